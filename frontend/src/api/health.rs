//! `GET /api/v1/health`.

use super::ApiError;
use nobat_domain::wire::Health;
use nobat_domain::Language;

/// The service's health; a 503 still carries a `Health` body saying what is down.
pub async fn fetch(language: Language) -> Result<Health, ApiError> {
    let response = super::get("/health", language).await?;
    if response.status() == 503 {
        return response
            .json::<Health>()
            .await
            .map_err(|e| ApiError::Network(e.to_string()));
    }
    super::read_json(response).await
}
