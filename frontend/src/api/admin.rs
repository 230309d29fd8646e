//! The running of a branch and of the service (`/staff/…`, heads of the branch and admins):
//! closures, booking settings, counters, staff accounts and the holidays (admins only).

use super::staff::branch_path;
use super::{percent_encode, read_json, read_text, request, send, send_json, ApiError};
use gloo_net::http::Method;
use nobat_domain::catalog::HolidayEntry;
use nobat_domain::{Language, Localized};
use serde::{Deserialize, Serialize};
use web_sys::RequestCache;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ClosurePreview {
    pub affected_bookings: u32,
}

/// How many bookings closing `branch` from `starts_at` to `ends_at` (RFC 3339) would cancel.
pub async fn preview_closure(
    branch: &str,
    starts_at: &str,
    ends_at: &str,
    language: Language,
) -> Result<ClosurePreview, ApiError> {
    let path = branch_path(
        branch,
        &format!(
            "/closures/preview{}",
            super::query(&[("starts_at", starts_at), ("ends_at", ends_at)])
        ),
    );
    read_json(send(request(Method::GET, &path, language)).await?).await
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewClosure {
    pub starts_at: String,
    pub ends_at: String,
    pub reason: Localized,
    /// The count the preview showed; the server refuses (409) when it has changed since.
    pub confirm_cancellations: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ClosureMade {
    pub id: i32,
    pub cancelled_bookings: u32,
    pub refunded: u32,
}

pub async fn close_branch(
    branch: &str,
    closure: &NewClosure,
    language: Language,
) -> Result<ClosureMade, ApiError> {
    let path = branch_path(branch, "/closures");
    read_json(send_json(request(Method::POST, &path, language), closure).await?).await
}

/// A change of a branch's booking settings; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SettingsChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_ahead: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cutoff_minutes: Option<i32>,
    /// `Some(None)` removes the hall limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hall_capacity: Option<Option<i32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkin_opens_minutes: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_calls: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BranchSettings {
    pub days_ahead: i32,
    pub release_time: String,
    pub cutoff_minutes: i32,
    #[serde(default)]
    pub hall_capacity: Option<i32>,
    /// Check-in opens this many minutes before the slot.
    #[serde(default)]
    pub checkin_opens_minutes: Option<i32>,
    /// Calls before an absent citizen may be marked no-show.
    #[serde(default)]
    pub max_calls: Option<i32>,
}

/// The branch's booking settings now.
pub async fn settings(branch: &str, language: Language) -> Result<BranchSettings, ApiError> {
    let path = branch_path(branch, "/settings");
    let request = request(Method::GET, &path, language).cache(RequestCache::NoCache);
    read_json(send(request).await?).await
}

pub async fn change_settings(
    branch: &str,
    change: &SettingsChange,
    language: Language,
) -> Result<BranchSettings, ApiError> {
    let path = branch_path(branch, "/settings");
    read_json(send_json(request(Method::PATCH, &path, language), change).await?).await
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewCounter {
    pub number: i32,
    pub label: String,
    pub services: Vec<String>,
}

pub async fn add_counter(
    branch: &str,
    counter: &NewCounter,
    language: Language,
) -> Result<(), ApiError> {
    let path = branch_path(branch, "/counters");
    read_text(send_json(request(Method::POST, &path, language), counter).await?)
        .await
        .map(drop)
}

#[derive(Serialize)]
struct Active {
    active: bool,
}

/// Takes counter `number` out of service: it no longer adds capacity.
pub async fn retire_counter(branch: &str, number: i32, language: Language) -> Result<(), ApiError> {
    let path = branch_path(branch, &format!("/counters/{number}"));
    let body = Active { active: false };
    read_text(send_json(request(Method::PATCH, &path, language), &body).await?)
        .await
        .map(drop)
}

/// A staff account as heads and admins see it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub branches: Vec<String>,
    pub active: bool,
    /// Still on a published demo password.
    #[serde(default)]
    pub demo_password: bool,
}

pub async fn accounts(language: Language) -> Result<Vec<Account>, ApiError> {
    read_json(send(request(Method::GET, "/staff/accounts", language)).await?).await
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub branches: Vec<String>,
    pub password: String,
}

pub async fn create_account(account: &NewAccount, language: Language) -> Result<Account, ApiError> {
    let request = request(Method::POST, "/staff/accounts", language);
    read_json(send_json(request, account).await?).await
}

/// Lets account `username` log in again, or not (its sessions end at once).
pub async fn set_account_active(
    username: &str,
    active: bool,
    language: Language,
) -> Result<Account, ApiError> {
    let path = format!("/staff/accounts/{}", percent_encode(username));
    read_json(send_json(request(Method::PATCH, &path, language), &Active { active }).await?).await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HolidayList {
    pub year: i32,
    pub items: Vec<HolidayEntry>,
}

/// The days off of `year`, as citizens see them; asked of the server each time (the public
/// list may be cached, and an admin who just added a day must see it).
pub async fn holidays(year: i32, language: Language) -> Result<HolidayList, ApiError> {
    let path = format!("/holidays?year={year}");
    let request = request(Method::GET, &path, language).cache(RequestCache::NoCache);
    read_json(send(request).await?).await
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewHoliday {
    pub date: String,
    /// `extra`, `transfer`, `fixed` or `movable`.
    pub kind: String,
    pub name: Localized,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transferred_from: Option<String>,
}

pub async fn add_holiday(holiday: &NewHoliday, language: Language) -> Result<(), ApiError> {
    let request = request(Method::POST, "/staff/holidays", language);
    read_text(send_json(request, holiday).await?)
        .await
        .map(drop)
}
