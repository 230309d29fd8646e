//! `GET /api/v1/branches`: the migration offices.

use super::ApiError;
use nobat_domain::catalog::Branch;
use nobat_domain::{Language, Region};

/// Every branch in `region`, or in the whole country without one.
pub async fn list(region: Option<Region>, language: Language) -> Result<Vec<Branch>, ApiError> {
    let pairs: Vec<(&str, &str)> = region.map(|r| ("region", r.code())).into_iter().collect();
    super::get_all("/branches", &pairs, language, 10).await
}

/// One branch by its code.
pub async fn get(code: &str, language: Language) -> Result<Branch, ApiError> {
    super::get_json(
        &format!("/branches/{}", super::percent_encode(code)),
        language,
    )
    .await
}
