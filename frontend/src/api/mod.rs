//! The typed client of Nobat's REST API: one request function that surfaces the server's
//! problem+json to the user, and one module per resource.

pub mod health;

use gloo_net::http::{Request, Response};
use nobat_domain::wire::Problem;
use nobat_domain::Language;
use serde::de::DeserializeOwned;

/// Why a call failed, in a form the interface can show.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem document.
    Problem(Problem),
    /// No answer at all (offline, server down) or an answer we cannot read.
    Network(String),
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

/// Reads a successful body as `T`, or the problem the server sent.
pub async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Network(e.to_string()));
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
