//! Everything outside the REST API on the same port: the SPA from `NOBAT_STATIC_DIR` with a
//! fallback to `index.html` for client-side routes, caching rules, the request id header and
//! the security headers (with a Content-Security-Policy that admits exactly the SPA's own inline
//! boot script, by hash).

use crate::error::ApiError;
use actix_files::Files;
use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderValue},
    middleware::{DefaultHeaders, Next},
    web, HttpMessage, HttpRequest, HttpResponse,
};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing_actix_web::RequestId;

/// The built SPA as found at start-up.
#[derive(Debug, Clone)]
pub struct Spa {
    dir: PathBuf,
    /// `index.html`, or `None` when the SPA has not been built.
    index_html: Option<Arc<str>>,
}

impl Spa {
    pub fn load(dir: &Path) -> Self {
        let index_html = std::fs::read_to_string(dir.join("index.html"))
            .ok()
            .map(Arc::from);
        if index_html.is_none() {
            tracing::warn!(
                dir = %dir.display(),
                "no index.html: the web app is not built (run `trunk build --release` in frontend/); \
                 serving the API only"
            );
        }
        Spa {
            dir: dir.to_owned(),
            index_html,
        }
    }

    pub fn is_built(&self) -> bool {
        self.index_html.is_some()
    }

    /// The Content-Security-Policy for every response: same-origin only, WASM allowed, and the
    /// inline scripts of `index.html` admitted by their sha256.
    pub fn content_security_policy(&self) -> String {
        let hashes: String = self
            .index_html
            .as_deref()
            .map(inline_scripts)
            .unwrap_or_default()
            .into_iter()
            .map(|script| {
                let digest = Sha256::digest(script.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
             connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; \
             form-action 'self'; frame-ancestors 'none'"
        )
    }

    /// Serves the SPA's files, and `index.html` for any other path outside the API.
    pub fn configure(self, cfg: &mut web::ServiceConfig) {
        let index = self.index_html.clone();
        let fallback = web::to(move |request: HttpRequest| {
            let index = index.clone();
            async move { spa_fallback(&request, index.as_deref()) }
        });
        if self.is_built() {
            cfg.service(
                Files::new("/", &self.dir)
                    .index_file("index.html")
                    .use_etag(true)
                    .use_last_modified(true)
                    .default_handler(fallback),
            );
        } else {
            cfg.default_service(fallback);
        }
    }
}

fn spa_fallback(request: &HttpRequest, index: Option<&str>) -> Result<HttpResponse, ApiError> {
    if request.path().starts_with("/api/") || request.path() == "/api" {
        return Err(ApiError::from_status(
            actix_web::http::StatusCode::NOT_FOUND,
        ));
    }
    Ok(match index {
        Some(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(html.to_owned()),
        None => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body(
                "The Nobat web app is not built. Build it with `trunk build --release` in \
                 frontend/ or point NOBAT_STATIC_DIR at its dist folder. The API is at /api/v1 \
                 and its documentation at /swagger-ui/.",
            ),
    })
}

/// The contents of every `<script>` element without a `src` attribute.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(tag_end) = after_tag.find('>') else {
            break;
        };
        let tag = &after_tag[..tag_end];
        let body_and_more = &after_tag[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            scripts.push(&body_and_more[..close]);
        }
        rest = &body_and_more[close..];
    }
    scripts
}

/// Security headers for every response.
pub fn security_headers(csp: &str) -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, csp.to_owned()))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add(("cross-origin-opener-policy", "same-origin"))
        .add((
            "permissions-policy",
            "camera=(self), geolocation=(), microphone=(), payment=()",
        ))
}

/// Adds `x-request-id` (the id in the logs) and a `Cache-Control` that suits the response:
/// `no-store` for the API, a year for content-hashed assets, `no-cache` for HTML.
pub async fn response_headers(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = request.path().to_owned();
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.to_string());
    let mut response = next.call(request).await?;
    let headers = response.headers_mut();
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(header::HeaderName::from_static("x-request-id"), id);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let policy = if path.starts_with("/api/") {
            "no-store"
        } else if is_html {
            "no-cache"
        } else if is_content_hashed(&path) && response.status().is_success() {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    Ok(response)
}

/// Whether a file name carries a content hash, as trunk writes them
/// (`nobat-frontend-1a2b3c4d5e6f7a8b_bg.wasm`, `style-0123456789abcdef.css`).
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_scripts() {
        let html = r#"<html><head><script src="/a.js"></script>
            <script type="module">import init from '/x.js';init('/x.wasm');</script></head>
            <body><script>console.log(1)</script></body></html>"#;
        assert_eq!(
            inline_scripts(html),
            vec![
                "import init from '/x.js';init('/x.wasm');",
                "console.log(1)"
            ]
        );
    }

    #[test]
    fn csp_carries_the_hash_of_each_inline_script() {
        let spa = Spa {
            dir: PathBuf::new(),
            index_html: Some(Arc::from("<script>alert(1)</script>")),
        };
        let csp = spa.content_security_policy();
        // sha256("alert(1)") in base64
        assert!(
            csp.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
    }

    #[test]
    fn recognises_content_hashed_assets() {
        assert!(is_content_hashed(
            "/nobat-frontend-1a2b3c4d5e6f7a8b_bg.wasm"
        ));
        assert!(is_content_hashed("/style-0123456789abcdef.css"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/favicon.svg"));
        assert!(!is_content_hashed("/nobat-frontend.js"));
    }
}
