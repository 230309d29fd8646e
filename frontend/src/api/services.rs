//! `GET /api/v1/services`: what a citizen can book.

use super::ApiError;
use nobat_domain::catalog::Service;
use nobat_domain::Language;

/// Every service of the migration service; a branch offers some of them.
pub async fn list(language: Language) -> Result<Vec<Service>, ApiError> {
    super::get_all("/services", &[], language, 10).await
}
