//! `GET /api/v1/branches/{code}/availability`: the days and times free for a service.

use super::{percent_encode, query, ApiError};
use chrono::NaiveDate;
use nobat_domain::catalog::{Availability, Code};
use nobat_domain::Language;

/// The status of every day from `from` to `to` (at most 62 days) and the free times of open days.
pub async fn fetch(
    branch: &Code,
    service: &Code,
    from: NaiveDate,
    to: NaiveDate,
    language: Language,
) -> Result<Availability, ApiError> {
    let from = from.format("%Y-%m-%d").to_string();
    let to = to.format("%Y-%m-%d").to_string();
    let path = format!(
        "/branches/{}/availability{}",
        percent_encode(branch.as_str()),
        query(&[("service", service.as_str()), ("from", &from), ("to", &to)])
    );
    super::get_json(&path, language).await
}
