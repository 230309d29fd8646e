//! Types that travel over HTTP as JSON, shared by the server and the SPA.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The media type of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error in the shape of RFC 9457 "Problem Details for HTTP APIs".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "https://nobat.gov.tm/problems/validation",
    "title": "The request has invalid fields",
    "status": 422,
    "detail": "2 fields are invalid",
    "errors": {"applicant.phone": "a Turkmen mobile number such as +993 65 123456"}
})))]
pub struct Problem {
    /// A URI naming the kind of problem; stable, safe to switch on.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem, the same for every occurrence.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, for a human.
    pub detail: String,
    /// Field path → what is wrong with it, for validation problems.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, String>,
    /// The request id to quote to support; the same id is in the server's logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Whether the service and its database are up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "status": "ok", "database": "up", "version": "0.1.0"
})))]
pub struct Health {
    /// `ok` when every dependency answers, `degraded` otherwise.
    pub status: HealthStatus,
    /// Whether PostgreSQL answered a query just now.
    pub database: DependencyState,
    /// The server's version.
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
    Degraded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DependencyState {
    Up,
    Down,
}

impl Health {
    pub fn from_database(database: DependencyState, version: impl Into<String>) -> Self {
        let status = match database {
            DependencyState::Up => HealthStatus::Ok,
            DependencyState::Down => HealthStatus::Degraded,
        };
        Health {
            status,
            database,
            version: version.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_is_degraded_exactly_when_the_database_is_down() {
        let up = Health::from_database(DependencyState::Up, "1");
        let down = Health::from_database(DependencyState::Down, "1");
        assert_eq!(up.status, HealthStatus::Ok);
        assert_eq!(down.status, HealthStatus::Degraded);
        let json = serde_json::to_value(&down).unwrap_or_default();
        assert_eq!(json["database"], "down");
        assert_eq!(json["status"], "degraded");
    }

    #[test]
    fn problem_omits_empty_errors_and_uses_type_key() {
        let problem = Problem {
            kind: "about:blank".into(),
            title: "Not Found".into(),
            status: 404,
            detail: "no such route".into(),
            errors: BTreeMap::new(),
            request_id: None,
        };
        let json = serde_json::to_value(&problem).unwrap_or_default();
        assert_eq!(json["type"], "about:blank");
        assert!(json.get("errors").is_none());
        assert!(json.get("request_id").is_none());
    }
}
