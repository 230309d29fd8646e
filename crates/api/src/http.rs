//! Response helpers shared by the resources: JSON with a strong `ETag`, answered with
//! `304 Not Modified` when the client already has it.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// How long shared caches and browsers may keep a response.
pub mod cache {
    /// Reference data an editor changes rarely (branches, services).
    pub const CATALOG: &str = "public, max-age=300";
    /// The calendar of holidays, changed by decree.
    pub const CALENDAR: &str = "public, max-age=3600";
    /// Changes with every booking: always revalidate (cheap with the ETag).
    pub const LIVE: &str = "no-cache";
}

/// `body` as JSON with an `ETag` over its bytes, or 304 when `If-None-Match` already names it.
pub fn json_with_etag<T: Serialize>(
    request: &HttpRequest,
    body: &T,
    cache_control: &'static str,
) -> HttpResponse {
    let tagged = Tagged::new(serde_json::to_vec(body).unwrap_or_default());
    tagged.respond(request, cache_control)
}

/// A JSON body serialized once, with its strong `ETag`: what a cache keeps.
#[derive(Debug, Clone)]
pub struct Tagged {
    pub bytes: actix_web::web::Bytes,
    pub etag: String,
}

impl Tagged {
    pub fn new(bytes: Vec<u8>) -> Tagged {
        let digest = Sha256::digest(&bytes);
        let etag = format!(
            "\"{}\"",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..18])
        );
        Tagged {
            bytes: bytes.into(),
            etag,
        }
    }

    /// 200 with the JSON, or 304 when `If-None-Match` already names its `ETag`.
    pub fn respond(&self, request: &HttpRequest, cache_control: &'static str) -> HttpResponse {
        let matches = request
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .map(|t| t.trim().trim_start_matches("W/"))
                    .any(|t| t == self.etag || t == "*")
            });
        let mut response = if matches {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header((header::ETAG, self.etag.clone()))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .insert_header((header::VARY, "Accept-Encoding"));
        if matches {
            response.finish()
        } else {
            response
                .content_type("application/json")
                .body(self.bytes.clone())
        }
    }
}

/// `body` as JSON that no cache may keep (personal data, secrets).
pub fn no_store<T: Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}
