//! The staff side of the API: the session (`/auth/login`, `/auth/me`, `/auth/logout`,
//! `/auth/password`, with the `nobat_session` cookie the browser keeps) and a branch's live queue
//! (`/staff/branches/{code}/…`: check-ins, walk-ins, counters and queue entries).

use super::{percent_encode, read_json, read_text, request, send, send_json, ApiError};
use chrono::{DateTime, Utc};
use gloo_net::http::{Method, Response};
use nobat_domain::Language;
use serde::{Deserialize, Serialize};

/// The logged-in staff member.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StaffView {
    pub username: String,
    pub display_name: String,
    /// `admin`, `branch_head`, `operator` or `editor`.
    pub role: String,
    /// The branches the account works at (empty for an admin: all of them).
    #[serde(default)]
    pub branches: Vec<String>,
}

/// A citizen in the day's queue, as the console sees it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QueueEntry {
    pub id: i64,
    /// The ticket number of the day, e.g. `A-017`.
    pub number: String,
    pub service: String,
    #[serde(default)]
    pub reference: Option<String>,
    /// waiting, called, serving, served, no_show or cancelled.
    pub status: String,
    #[serde(default)]
    pub priority_reason: Option<String>,
    #[serde(default)]
    pub appointment_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub checked_in_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub counter: Option<i32>,
    #[serde(default)]
    pub calls: i32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QueueView {
    pub branch: String,
    /// Called and at a counter first, then the waiting in the order they will be called.
    pub entries: Vec<QueueEntry>,
}

/// Why a login failed.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginError {
    /// The username or the password is wrong (the server does not say which).
    Wrong,
    /// Too many attempts; try again after so many seconds, when the server says.
    TooMany(Option<u32>),
    Failed(ApiError),
}

fn retry_after(response: &Response) -> Option<u32> {
    response
        .headers()
        .get("retry-after")
        .and_then(|seconds| seconds.trim().parse().ok())
}

#[derive(Serialize)]
struct Credentials<'a> {
    username: &'a str,
    password: &'a str,
}

/// Logs in; the server sets the session cookie.
pub async fn login(
    username: &str,
    password: &str,
    language: Language,
) -> Result<StaffView, LoginError> {
    let body = Credentials { username, password };
    let response = send_json(request(Method::POST, "/auth/login", language), &body)
        .await
        .map_err(LoginError::Failed)?;
    match response.status() {
        401 => Err(LoginError::Wrong),
        429 => Err(LoginError::TooMany(retry_after(&response))),
        _ => read_json(response).await.map_err(LoginError::Failed),
    }
}

/// Who is logged in in this browser; `None` without a (live) session.
pub async fn me(language: Language) -> Result<Option<StaffView>, ApiError> {
    let response = send(request(Method::GET, "/auth/me", language)).await?;
    if response.status() == 401 {
        return Ok(None);
    }
    read_json(response).await.map(Some)
}

pub async fn logout(language: Language) -> Result<(), ApiError> {
    read_text(send(request(Method::POST, "/auth/logout", language)).await?)
        .await
        .map(drop)
}

#[derive(Serialize)]
struct PasswordChange<'a> {
    current_password: &'a str,
    new_password: &'a str,
}

/// Changes the logged-in member's password (401: the current one is wrong; 422: the new one is
/// refused, with the reason in `errors.new_password`).
pub async fn change_password(
    current_password: &str,
    new_password: &str,
    language: Language,
) -> Result<(), ApiError> {
    let body = PasswordChange {
        current_password,
        new_password,
    };
    read_text(send_json(request(Method::POST, "/auth/password", language), &body).await?)
        .await
        .map(drop)
}

pub(super) fn branch_path(branch: &str, rest: &str) -> String {
    format!("/staff/branches/{}{rest}", percent_encode(branch))
}

#[derive(Serialize)]
struct CheckIn<'a> {
    reference: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    override_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority_reason: Option<&'a str>,
}

/// Checks in the citizen of booking `reference`: their queue number, or why not (`too-early`,
/// `late`, `not-confirmed`, `already-checked-in`, with a `detail` in `language`).
pub async fn check_in(
    branch: &str,
    reference: &str,
    priority_reason: Option<&str>,
    override_reason: Option<&str>,
    language: Language,
) -> Result<QueueEntry, ApiError> {
    let body = CheckIn {
        reference,
        override_reason,
        priority_reason,
    };
    let path = branch_path(branch, "/check-ins");
    read_json(send_json(request(Method::POST, &path, language), &body).await?).await
}

#[derive(Serialize)]
struct WalkIn<'a> {
    service: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority_reason: Option<&'a str>,
}

/// Adds a citizen without a booking to the queue of `service`.
pub async fn walk_in(
    branch: &str,
    service: &str,
    priority_reason: Option<&str>,
    language: Language,
) -> Result<QueueEntry, ApiError> {
    let body = WalkIn {
        service,
        priority_reason,
    };
    let path = branch_path(branch, "/walk-ins");
    read_json(send_json(request(Method::POST, &path, language), &body).await?).await
}

pub async fn queue(branch: &str, language: Language) -> Result<QueueView, ApiError> {
    read_json(
        send(request(
            Method::GET,
            &branch_path(branch, "/queue"),
            language,
        ))
        .await?,
    )
    .await
}

/// A counter of a branch, as `GET /staff/branches/{code}/counters` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CounterView {
    pub number: i32,
    pub label: String,
    /// The services it serves (codes).
    #[serde(default)]
    pub services: Vec<String>,
    /// Who has it open (a username); `None` while closed.
    #[serde(default)]
    pub opened_by: Option<String>,
}

/// The counters of `branch`, in number order.
pub async fn counters(branch: &str, language: Language) -> Result<Vec<CounterView>, ApiError> {
    let path = branch_path(branch, "/counters");
    read_json(send(request(Method::GET, &path, language)).await?).await
}

/// What an operator does with a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterAction {
    Open,
    Close,
    CallNext,
}

impl CounterAction {
    fn path(self) -> &'static str {
        match self {
            CounterAction::Open => "open",
            CounterAction::Close => "close",
            CounterAction::CallNext => "call-next",
        }
    }
}

/// Opens or closes counter `number`, or calls the next citizen to it (then: who was called).
pub async fn counter(
    branch: &str,
    number: i32,
    action: CounterAction,
    language: Language,
) -> Result<Option<QueueEntry>, ApiError> {
    let path = branch_path(branch, &format!("/counters/{number}/{}", action.path()));
    let response = send(request(Method::POST, &path, language)).await?;
    match action {
        CounterAction::CallNext => read_json(response).await.map(Some),
        CounterAction::Open | CounterAction::Close => read_text(response).await.map(|_| None),
    }
}

/// What an operator does with a called citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryAction {
    Recall,
    Served,
    NoShow,
}

impl EntryAction {
    pub const ALL: [EntryAction; 3] = [
        EntryAction::Recall,
        EntryAction::Served,
        EntryAction::NoShow,
    ];

    pub fn path(self) -> &'static str {
        match self {
            EntryAction::Recall => "recall",
            EntryAction::Served => "served",
            EntryAction::NoShow => "no-show",
        }
    }
}

pub async fn entry(
    branch: &str,
    id: i64,
    action: EntryAction,
    language: Language,
) -> Result<QueueEntry, ApiError> {
    let path = branch_path(branch, &format!("/queue/{id}/{}", action.path()));
    read_json(send(request(Method::POST, &path, language)).await?).await
}
