//! The one error type at the HTTP edge and its RFC 9457 problem+json rendering.
//!
//! Handlers return [`ApiError`]; actix's own extractor failures (bad JSON, bad query, bad path,
//! payload too large) are mapped onto it by the configs in [`extractor_configs`]; and
//! [`problem_responses`] turns every remaining bare 4xx/5xx under `/api` (unknown route, wrong
//! method) into the same shape and stamps each problem with the request id from the logs.

use actix_web::{
    body::{BoxBody, EitherBody},
    dev::ServiceResponse,
    http::{header, StatusCode},
    middleware::{ErrorHandlerResponse, ErrorHandlers},
    web, HttpMessage, HttpRequest, HttpResponse, ResponseError,
};
use nobat_domain::wire::{Problem, PROBLEM_CONTENT_TYPE};
use serde_json::error::Category;
use std::collections::BTreeMap;
use std::fmt;
use tracing_actix_web::RequestId;

/// Largest JSON body any endpoint accepts. Uploads have their own, streamed limits.
pub const JSON_LIMIT_BYTES: usize = 64 * 1024;

/// Deepest nesting of arrays and objects a request body may have.
pub const JSON_MAX_DEPTH: usize = 32;

/// Whether `body`'s arrays and objects nest deeper than `max` (strings are skipped; the scan is
/// linear and allocates nothing, so it runs before any parser sees the body).
pub fn json_nesting_exceeds(body: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Everything that can go wrong in a request, as the client is allowed to see it.
#[derive(Debug)]
pub enum ApiError {
    /// The request cannot be understood at all (malformed JSON, bad query string).
    BadRequest {
        detail: String,
    },
    /// The request is understood but fields are invalid; `errors` is field path → message.
    Validation {
        detail: String,
        errors: BTreeMap<String, String>,
    },
    NotFound {
        detail: String,
    },
    /// No valid login (session cookie or bearer token).
    Unauthorized {
        detail: String,
    },
    /// The request is understood and refused (e.g. a callback with a wrong signature, a role
    /// that may not do this).
    Forbidden {
        detail: String,
    },
    MethodNotAllowed,
    /// The request conflicts with the current state; `slug` names the kind of conflict.
    Conflict {
        slug: &'static str,
        title: &'static str,
        detail: String,
    },
    PayloadTooLarge {
        limit: usize,
    },
    UnsupportedMediaType {
        detail: String,
    },
    RateLimited {
        retry_after_secs: u64,
    },
    /// A dependency (the database) is unreachable or the pool is exhausted.
    Unavailable {
        detail: String,
    },
    /// A bug or an unexpected failure. The cause is logged, never sent.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError::Internal(cause.into())
    }

    /// A 422 naming each invalid field (`field path → what is wrong`).
    pub fn invalid(errors: BTreeMap<String, String>) -> Self {
        let detail = match errors.len() {
            1 => "1 field is invalid; see `errors`.".to_owned(),
            n => format!("{n} fields are invalid; see `errors`."),
        };
        ApiError::Validation { detail, errors }
    }

    /// A 503 for a dependency other than the database (e.g. the card acquirer).
    pub fn unavailable(detail: impl Into<String>) -> Self {
        ApiError::Unavailable {
            detail: detail.into(),
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::NotFound {
            detail: detail.into(),
        }
    }

    /// The problem for a status that carries no more information than its code.
    pub fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => ApiError::NotFound {
                detail: "There is no such resource. The API is described at /api/v1/openapi.json."
                    .into(),
            },
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
                limit: JSON_LIMIT_BYTES,
            },
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType {
                detail: "Send the body as application/json.".into(),
            },
            s if s.is_client_error() => ApiError::BadRequest {
                detail: s.canonical_reason().unwrap_or("Bad request").into(),
            },
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable {
                detail: "The service is temporarily unavailable; try again shortly.".into(),
            },
            s => ApiError::internal(format!("bare {s} response")),
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad-request",
            ApiError::Validation { .. } => "validation",
            ApiError::NotFound { .. } => "not-found",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::MethodNotAllowed => "method-not-allowed",
            ApiError::Conflict { slug, .. } => slug,
            ApiError::PayloadTooLarge { .. } => "payload-too-large",
            ApiError::UnsupportedMediaType { .. } => "unsupported-media-type",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "The request could not be understood",
            ApiError::Validation { .. } => "The request has invalid fields",
            ApiError::NotFound { .. } => "Not found",
            ApiError::Forbidden { .. } => "Forbidden",
            ApiError::Unauthorized { .. } => "Login required",
            ApiError::MethodNotAllowed => "Method not allowed",
            ApiError::Conflict { title, .. } => title,
            ApiError::PayloadTooLarge { .. } => "The request body is too large",
            ApiError::UnsupportedMediaType { .. } => "Unsupported media type",
            ApiError::RateLimited { .. } => "Too many requests",
            ApiError::Unavailable { .. } => "Service unavailable",
            ApiError::Internal(_) => "Internal server error",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest { detail }
            | ApiError::Validation { detail, .. }
            | ApiError::NotFound { detail }
            | ApiError::Forbidden { detail }
            | ApiError::Unauthorized { detail }
            | ApiError::Conflict { detail, .. }
            | ApiError::UnsupportedMediaType { detail }
            | ApiError::Unavailable { detail } => detail.clone(),
            ApiError::MethodNotAllowed => "This resource does not support that HTTP method.".into(),
            ApiError::PayloadTooLarge { limit } => {
                format!("The body is larger than the {limit} bytes this endpoint accepts.")
            }
            ApiError::RateLimited { retry_after_secs } => {
                format!("Slow down: try again in {retry_after_secs} s.")
            }
            ApiError::Internal(_) => {
                "Something went wrong on our side. It has been logged; quote the request id.".into()
            }
        }
    }

    /// The problem document for this error.
    pub fn problem(&self, request_id: Option<String>) -> Problem {
        Problem {
            kind: format!("urn:nobat:problem:{}", self.slug()),
            title: self.title().into(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            errors: match self {
                ApiError::Validation { errors, .. } => errors.clone(),
                _ => BTreeMap::new(),
            },
            request_id,
        }
    }

    fn render(&self, request_id: Option<String>) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if let ApiError::Unauthorized { .. } = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"nobat\""));
        }
        if let ApiError::RateLimited { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        let body = serde_json::to_vec(&self.problem(request_id)).unwrap_or_default();
        response.body(body)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Internal(cause) => write!(f, "internal error: {cause}"),
            other => write!(f, "{}: {}", other.title(), other.detail()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.render(None)
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(_: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable {
            detail: "The database is busy or unreachable; try again shortly.".into(),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => ApiError::NotFound {
                detail: "No such record.".into(),
            },
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => ApiError::Unavailable {
                detail: "The database connection was lost; try again shortly.".into(),
            },
            Error::DatabaseError(_, info) if info.message().contains("statement timeout") => {
                ApiError::Unavailable {
                    detail: "The database took too long to answer; try again shortly.".into(),
                }
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(error.to_string())
    }
}

fn json_error(error: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match error {
        E::Overflow { limit } => ApiError::PayloadTooLarge { limit },
        E::OverflowKnownLength { limit, .. } => ApiError::PayloadTooLarge { limit },
        E::ContentType => ApiError::UnsupportedMediaType {
            detail: "Send the body as application/json.".into(),
        },
        E::Deserialize(e) if e.classify() == Category::Data => ApiError::Validation {
            detail: format!("The JSON does not have the expected shape: {e}."),
            errors: BTreeMap::new(),
        },
        E::Deserialize(e) => ApiError::BadRequest {
            detail: format!("The body is not valid JSON: {e}."),
        },
        other => ApiError::BadRequest {
            detail: format!("The body could not be read: {other}."),
        },
    };
    api.into()
}

fn query_error(error: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest {
        detail: format!("The query string is invalid: {error}."),
    }
    .into()
}

fn path_error(error: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound {
        detail: format!("The path does not name a resource: {error}."),
    }
    .into()
}

/// Extractor configurations that make actix's own errors speak problem+json.
pub fn extractor_configs(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(JSON_LIMIT_BYTES)
            .error_handler(json_error),
    )
    // Bodies read as bytes (bookings parse their own JSON) have the same limit.
    .app_data(web::PayloadConfig::new(JSON_LIMIT_BYTES))
    .app_data(web::QueryConfig::default().error_handler(query_error))
    .app_data(web::PathConfig::default().error_handler(path_error));
}

/// Middleware that renders every 4xx/5xx under `/api/` as problem+json with the request id,
/// and logs the cause of 5xx responses (the client only sees a generic message).
pub fn problem_responses<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render_problem)
}

fn render_problem<B>(response: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Leave alone pages outside the API, and API responses that already carry a body of their
    // own choosing (a 503 health report is JSON on purpose).
    let deliberate = response.response().error().is_none()
        && response.headers().contains_key(header::CONTENT_TYPE);
    if !response.request().path().starts_with("/api/") || deliberate {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let request_id = response
        .request()
        .extensions()
        .get::<RequestId>()
        .map(|id| id.to_string());
    let mut status = response.status();
    let mut allow = None;
    if status == StatusCode::NOT_FOUND {
        // The router answers 404 for a known path with another method; the spec knows better.
        if let Some(routes) = response.request().app_data::<web::Data<ApiRoutes>>() {
            let method = response.request().method().as_str().to_owned();
            // A known path whose methods do not include this one: the router's 404 is a 405.
            allow = routes
                .methods_for(response.request().path())
                .filter(|methods| !methods.split(", ").any(|m| m == method));
            if allow.is_some() {
                status = StatusCode::METHOD_NOT_ALLOWED;
            }
        }
    }
    let rendered = match response.response().error() {
        _ if allow.is_some() => ApiError::MethodNotAllowed.render(request_id),
        Some(error) => match error.as_error::<ApiError>() {
            Some(api) => {
                if let ApiError::Internal(cause) = api {
                    tracing::error!(request_id = request_id.as_deref(), %cause, "request failed");
                }
                api.render(request_id)
            }
            None => from_foreign(status, request_id, &error.to_string()),
        },
        None => from_foreign(status, request_id, "bare error response"),
    };
    let (request, original) = response.into_parts();
    let mut rendered = rendered;
    // Keep headers the original response owed the client (e.g. `Allow` on a 405).
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && !rendered.headers().contains_key(name)
        {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    if let Some(methods) = allow.and_then(|m| header::HeaderValue::from_str(&m).ok()) {
        rendered.headers_mut().insert(header::ALLOW, methods);
    }
    let response: ServiceResponse<BoxBody> = ServiceResponse::new(request, rendered);
    Ok(ErrorHandlerResponse::Response(
        response.map_body(|_, body| EitherBody::right(body)),
    ))
}

/// The API's path templates and their methods, taken from the OpenAPI document, so that a wrong
/// method on a known path is a 405 with `Allow` rather than the router's 404.
#[derive(Debug, Default)]
pub struct ApiRoutes(Vec<(Vec<String>, Vec<&'static str>)>);

impl ApiRoutes {
    pub fn from_doc(doc: &utoipa::openapi::OpenApi) -> Self {
        use utoipa::openapi::HttpMethod;
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.split('/').map(str::to_owned).collect();
                let methods = [
                    (HttpMethod::Get, "GET", &item.get),
                    (HttpMethod::Post, "POST", &item.post),
                    (HttpMethod::Put, "PUT", &item.put),
                    (HttpMethod::Patch, "PATCH", &item.patch),
                    (HttpMethod::Delete, "DELETE", &item.delete),
                ]
                .into_iter()
                .filter(|(_, _, operation)| operation.is_some())
                .map(|(_, name, _)| name)
                .collect();
                (segments, methods)
            })
            .collect();
        ApiRoutes(routes)
    }

    /// The methods served at `path` (e.g. `"GET, POST"`), if any template matches it.
    pub fn methods_for(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .find(|(template, _)| {
                template.len() == segments.len()
                    && template
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
            })
            .map(|(_, methods)| methods.join(", "))
    }
}

fn from_foreign(status: StatusCode, request_id: Option<String>, cause: &str) -> HttpResponse {
    let api = ApiError::from_status(status);
    if let ApiError::Internal(_) = api {
        tracing::error!(request_id = request_id.as_deref(), cause, "request failed");
    }
    let mut rendered = api.render(request_id);
    // `from_status` maps unknown statuses to a nearby kind; keep the exact code.
    *rendered.status_mut() = status;
    rendered
}

/// The problem document as served, for OpenAPI examples and tests.
pub fn problem_example(error: ApiError) -> serde_json::Value {
    serde_json::to_value(error.problem(None)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_nesting_is_measured_outside_strings() {
        assert!(!json_nesting_exceeds(br#"{"a":[1,{"b":[]}]}"#, 4));
        assert!(json_nesting_exceeds(br#"{"a":[1,{"b":[]}]}"#, 3));
        assert!(!json_nesting_exceeds(br#"{"a":"[[[[[[\"[[["}"#, 1));
        assert!(json_nesting_exceeds(&[b'['; 33], 32));
        assert!(!json_nesting_exceeds(&[b'['; 32], 32));
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let error = ApiError::internal("relation \"secret_table\" does not exist");
        let problem = error.problem(Some("r1".into()));
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("secret_table"));
        assert_eq!(problem.request_id.as_deref(), Some("r1"));
    }

    #[test]
    fn validation_errors_carry_field_paths() {
        let mut errors = BTreeMap::new();
        errors.insert(
            "applicant.phone".to_string(),
            "not a mobile number".to_string(),
        );
        let problem = ApiError::Validation {
            detail: "1 field is invalid".into(),
            errors,
        }
        .problem(None);
        assert_eq!(problem.status, 422);
        assert_eq!(problem.kind, "urn:nobat:problem:validation");
        assert_eq!(problem.errors["applicant.phone"], "not a mobile number");
    }

    #[test]
    fn statuses_map_to_their_problem_kinds() {
        for (status, slug) in [
            (StatusCode::NOT_FOUND, "not-found"),
            (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed"),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large"),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type"),
            (StatusCode::IM_A_TEAPOT, "bad-request"),
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            (StatusCode::BAD_GATEWAY, "internal"),
        ] {
            assert_eq!(ApiError::from_status(status).slug(), slug, "{status}");
        }
    }
}
