//! The typed client of Nobat's REST API: one request function that surfaces the server's
//! problem+json to the user, and one module per resource.

pub mod admin;
pub mod applications;
pub mod availability;
pub mod board;
pub mod bookings;
pub mod branches;
pub mod catalog;
pub mod health;
pub mod media;
pub mod reports;
pub mod services;
pub mod staff;

use gloo_net::http::{Request, RequestBuilder, Response};
use nobat_domain::catalog::{Page, MAX_PER_PAGE};
use nobat_domain::wire::Problem;
use nobat_domain::Language;
use serde::de::DeserializeOwned;

/// Why a call failed, in a form the interface can show.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem document.
    Problem(Problem),
    /// No answer at all (offline, server down) or an error that is not a problem document.
    Network(String),
    /// A successful answer whose body is not what this version of the app expects.
    Unreadable(String),
}

impl ApiError {
    /// What to tell the citizen: the server's own explanation when it sent one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ApiError::Problem(problem) if !problem.detail.trim().is_empty() => {
                Some(&problem.detail)
            }
            ApiError::Problem(problem) if !problem.title.trim().is_empty() => Some(&problem.title),
            ApiError::Problem(_) | ApiError::Network(_) | ApiError::Unreadable(_) => None,
        }
    }

    /// The problem's kind without its `urn:nobat:problem:` prefix (`slot-full`), if any.
    pub fn slug(&self) -> Option<&str> {
        match self {
            ApiError::Problem(problem) => problem.kind.rsplit(':').next(),
            ApiError::Network(_) | ApiError::Unreadable(_) => None,
        }
    }

    /// The HTTP status of a problem.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(problem) => Some(problem.status),
            ApiError::Network(_) | ApiError::Unreadable(_) => None,
        }
    }

    /// The id to quote to support, when the server gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Problem(problem) => problem.request_id.as_deref(),
            ApiError::Network(_) | ApiError::Unreadable(_) => None,
        }
    }
}

/// A query string (`?a=1&b=x%20y`) from name/value pairs, every part percent-encoded; empty
/// when there are no pairs.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let joined: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect();
    if joined.is_empty() {
        String::new()
    } else {
        format!("?{}", joined.join("&"))
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a value can go into a
/// path segment or a query string alike.
pub fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// GETs `path` (under `/api/v1`) and reads the answer as `T`.
pub async fn get_json<T: DeserializeOwned>(path: &str, language: Language) -> Result<T, ApiError> {
    read_json(get(path, language).await?).await
}

/// Every item of a paginated list at `path`, with `pairs` as further query parameters, fetched
/// in pages of the largest size. Stops after `max_pages` pages, so a wrong `total` cannot loop.
pub async fn get_all<T: DeserializeOwned>(
    path: &str,
    pairs: &[(&str, &str)],
    language: Language,
    max_pages: u32,
) -> Result<Vec<T>, ApiError> {
    let per_page = MAX_PER_PAGE.to_string();
    let mut items = Vec::new();
    for number in 1..=max_pages.max(1) {
        let page_number = number.to_string();
        let mut all_pairs = pairs.to_vec();
        all_pairs.push(("per_page", &per_page));
        if number > 1 {
            all_pairs.push(("page", &page_number));
        }
        let page: Page<T> = get_json(&format!("{path}{}", query(&all_pairs)), language).await?;
        let received = page.items.len();
        items.extend(page.items);
        if received == 0 || items.len() as u64 >= page.total {
            break;
        }
    }
    Ok(items)
}

/// GETs `path` (under `/api/v1`) in `language`.
pub async fn get(path: &str, language: Language) -> Result<Response, ApiError> {
    Request::get(&format!("/api/v1{path}"))
        .header("Accept", "application/json")
        .header("Accept-Language", language.code())
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

/// A request to `path` (under `/api/v1`) in `language`, asking for JSON.
pub fn request(method: gloo_net::http::Method, path: &str, language: Language) -> RequestBuilder {
    RequestBuilder::new(&format!("/api/v1{path}"))
        .method(method)
        .header("Accept", "application/json")
        .header("Accept-Language", language.code())
}

/// Sends a request; no answer at all is a [`ApiError::Network`].
pub async fn send(request: RequestBuilder) -> Result<Response, ApiError> {
    request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

/// Sends `request` with `body` as JSON.
pub async fn send_json<B: serde::Serialize>(
    request: RequestBuilder,
    body: &B,
) -> Result<Response, ApiError> {
    request
        .json(body)
        .map_err(|e| ApiError::Unreadable(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

/// Reads a successful body as text, or the problem the server sent.
pub async fn read_text(response: Response) -> Result<String, ApiError> {
    if response.ok() {
        return response
            .text()
            .await
            .map_err(|e| ApiError::Network(e.to_string()));
    }
    read_json::<()>(response).await.map(|()| String::new())
}

/// Reads a successful body as `T`, or the problem the server sent.
pub async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Unreadable(e.to_string()));
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Network(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_encode_every_value() {
        assert_eq!(query(&[]), "");
        assert_eq!(
            query(&[("region", "dashoguz"), ("per_page", "100")]),
            "?region=dashoguz&per_page=100"
        );
        assert_eq!(query(&[("q", "a b&c=d")]), "?q=a%20b%26c%3Dd");
        assert_eq!(query(&[("q", "Daşoguz")]), "?q=Da%C5%9Foguz");
        assert_eq!(query(&[("from", "2026-12-01")]), "?from=2026-12-01");
    }

    #[test]
    fn problems_show_their_detail() {
        let problem = |detail: &str| {
            ApiError::Problem(Problem {
                kind: "urn:nobat:problem:validation".into(),
                title: "Invalid".into(),
                status: 422,
                detail: detail.into(),
                errors: Default::default(),
                request_id: Some("r-1".into()),
            })
        };
        assert_eq!(problem("too long").detail(), Some("too long"));
        assert_eq!(problem(" ").detail(), Some("Invalid"));
        assert_eq!(problem("x").request_id(), Some("r-1"));
        assert_eq!(ApiError::Network("offline".into()).detail(), None);
        assert_eq!(problem("x").slug(), Some("validation"));
        assert_eq!(problem("x").status(), Some(422));
    }
}
