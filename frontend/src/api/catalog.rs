//! The catalog as admins change it (`/staff/branches`, `/staff/services`) and a branch's weekly
//! opening plans (`/staff/branches/{code}/opening-plans`, heads of the branch too).

use super::staff::branch_path;
use super::{percent_encode, read_json, read_text, request, send, send_json, ApiError};
use gloo_net::http::Method;
use nobat_domain::catalog::GeoPoint;
use nobat_domain::{Language, Localized, LocalizedList, Money};
use serde::{Deserialize, Serialize};
use web_sys::RequestCache;

/// A new branch (`POST /staff/branches`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchDraft {
    pub code: String,
    pub region: String,
    pub name: Localized,
    pub address: Localized,
    pub phone: String,
    pub location: Option<GeoPoint>,
}

/// A change of a branch: every field is sent, as the form shows them all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchChange {
    pub region: String,
    pub name: Localized,
    pub address: Localized,
    pub phone: String,
    /// `None` clears the location.
    pub location: Option<GeoPoint>,
    pub active: bool,
}

/// A branch as the admin's form shows it (the public shape; `active` when the server says).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BranchAdmin {
    pub code: String,
    pub region: String,
    pub name: Localized,
    pub address: Localized,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// Sent by the server only where it knows; the public list holds active branches.
    #[serde(default)]
    pub active: Option<bool>,
}

impl BranchAdmin {
    pub fn is_active(&self) -> bool {
        self.active.unwrap_or(true)
    }
}

/// Every branch as an admin sees them, in service or not (`GET /staff/branches`).
pub async fn branches(language: Language) -> Result<Vec<BranchAdmin>, ApiError> {
    read_json(send(request(Method::GET, "/staff/branches", language)).await?).await
}

pub async fn create_branch(
    draft: &BranchDraft,
    language: Language,
) -> Result<BranchAdmin, ApiError> {
    let request = request(Method::POST, "/staff/branches", language);
    read_json(send_json(request, draft).await?).await
}

pub async fn change_branch(
    code: &str,
    change: &BranchChange,
    language: Language,
) -> Result<BranchAdmin, ApiError> {
    let path = format!("/staff/branches/{}", percent_encode(code));
    read_json(send_json(request(Method::PATCH, &path, language), change).await?).await
}

/// A service as an admin sees it: the public view, its queue letter and whether it is offered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ServiceAdmin {
    pub code: String,
    pub name: Localized,
    #[serde(default)]
    pub description: Localized,
    #[serde(default)]
    pub documents: LocalizedList,
    pub duration_minutes: i32,
    /// The fee as the public view writes it…
    #[serde(default)]
    pub fee: Option<Money>,
    /// …or as teňňe alone.
    #[serde(default)]
    pub fee_minor: Option<i64>,
    #[serde(default)]
    pub exemptions: Vec<String>,
    #[serde(default)]
    pub queue_prefix: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl ServiceAdmin {
    pub fn fee_in_tenne(&self) -> i64 {
        self.fee_minor
            .or(self.fee.map(|f| f.amount_minor))
            .unwrap_or_default()
    }
}

/// A new service (`POST /staff/services`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceDraft {
    pub code: String,
    pub name: Localized,
    pub description: Localized,
    pub documents: LocalizedList,
    pub duration_minutes: i32,
    /// In teňňe.
    pub fee_minor: i64,
    pub exemptions: Vec<String>,
    pub queue_prefix: String,
}

/// A change of a service: every field but the code, as the form shows them all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceChange {
    pub name: Localized,
    pub description: Localized,
    pub documents: LocalizedList,
    pub duration_minutes: i32,
    pub fee_minor: i64,
    pub exemptions: Vec<String>,
    pub queue_prefix: String,
    pub active: bool,
}

pub async fn services(language: Language) -> Result<Vec<ServiceAdmin>, ApiError> {
    let request = request(Method::GET, "/staff/services", language).cache(RequestCache::NoCache);
    read_json(send(request).await?).await
}

pub async fn create_service(
    service: &ServiceDraft,
    language: Language,
) -> Result<ServiceAdmin, ApiError> {
    let request = request(Method::POST, "/staff/services", language);
    read_json(send_json(request, service).await?).await
}

pub async fn change_service(
    code: &str,
    change: &ServiceChange,
    language: Language,
) -> Result<ServiceAdmin, ApiError> {
    let path = format!("/staff/services/{}", percent_encode(code));
    read_json(send_json(request(Method::PATCH, &path, language), change).await?).await
}

/// A break inside a day's hours, `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanBreak {
    pub starts: String,
    pub ends: String,
}

/// One open weekday of a plan (1 Monday … 7 Sunday); a weekday not listed is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDay {
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
    #[serde(default)]
    pub breaks: Vec<PlanBreak>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningPlan {
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    pub days: Vec<PlanDay>,
}

/// The branch's plans, newest first.
pub async fn opening_plans(branch: &str, language: Language) -> Result<Vec<OpeningPlan>, ApiError> {
    let path = branch_path(branch, "/opening-plans");
    let request = request(Method::GET, &path, language).cache(RequestCache::NoCache);
    read_json(send(request).await?).await
}

#[derive(Serialize)]
struct Days<'a> {
    days: &'a [PlanDay],
}

/// Sets the plan from `effective_from` on (replacing one from the same day).
pub async fn put_opening_plan(
    branch: &str,
    effective_from: &str,
    days: &[PlanDay],
    language: Language,
) -> Result<(), ApiError> {
    let path = branch_path(
        branch,
        &format!("/opening-plans/{}", percent_encode(effective_from)),
    );
    read_text(send_json(request(Method::PUT, &path, language), &Days { days }).await?)
        .await
        .map(drop)
}
