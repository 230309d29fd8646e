//! `/api/v1/passport-applications`: a citizen's application (created with an
//! `Idempotency-Key`, then changed, given a photo, submitted and paid with the
//! `X-Application-Token` it came with, never in a URL), tracking by number and date of birth, and
//! the staff's list, detail and status changes (`/staff/passport-applications`).

use super::{percent_encode, query, read_json, request, send, send_json, ApiError};
use chrono::{DateTime, Utc};
use gloo_net::http::{Method, RequestBuilder, Response};
use nobat_domain::catalog::Page;
use nobat_domain::passport::ApplicationInput;
use nobat_domain::{Language, Money};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use web_sys::RequestCache;

const TOKEN_HEADER: &str = "X-Application-Token";

/// The photo the application holds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PhotoMeta {
    pub format: String,
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PrintedName {
    pub surname: String,
    pub given_names: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApplicationPayment {
    pub status: String,
    #[serde(default)]
    pub pay_url: Option<String>,
    #[serde(default)]
    pub masked_pan: Option<String>,
}

/// One step of an application's history.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HistoryEntry {
    pub status: String,
    #[serde(default)]
    pub label: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub note: Option<String>,
}

/// An application as its citizen (and, with more, the staff) sees it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApplicationView {
    pub number: String,
    pub status: String,
    #[serde(default)]
    pub status_label: String,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub application: ApplicationInput,
    /// What still blocks submitting, by field path; empty when complete.
    #[serde(default)]
    pub problems: BTreeMap<String, String>,
    #[serde(default)]
    pub photo: Option<PhotoMeta>,
    pub fee: Money,
    #[serde(default)]
    pub fee_text: Option<String>,
    #[serde(default)]
    pub printed_name: Option<PrintedName>,
    #[serde(default)]
    pub mrz_name: Option<String>,
    #[serde(default)]
    pub payment: Option<ApplicationPayment>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// While the status is `needs_action`: what to bring or correct.
    #[serde(default)]
    pub action_required: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApplicationView {
    /// The fee as citizens read it.
    pub fn fee_display(&self) -> String {
        self.fee_text.clone().unwrap_or_else(|| self.fee.display())
    }
}

/// What creating an application gives: its number, and the token that is the only key to it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApplicationCreated {
    pub number: String,
    pub token: String,
    pub application: ApplicationView,
}

#[derive(Serialize)]
struct Body<'a> {
    language: &'static str,
    application: &'a ApplicationInput,
}

fn path(number: &str, rest: &str) -> String {
    format!("/passport-applications/{}{rest}", percent_encode(number))
}

fn as_owner(
    method: Method,
    number: &str,
    rest: &str,
    token: &str,
    language: Language,
) -> RequestBuilder {
    request(method, &path(number, rest), language)
        .header(TOKEN_HEADER, token)
        .cache(RequestCache::NoStore)
}

/// Starts a draft; a retry with the same `idempotency_key` gives the same application.
pub async fn create(
    application: &ApplicationInput,
    idempotency_key: &str,
    language: Language,
) -> Result<ApplicationCreated, ApiError> {
    let request = request(Method::POST, "/passport-applications", language)
        .header("Idempotency-Key", idempotency_key);
    let body = Body {
        language: language.code(),
        application,
    };
    read_json(send_json(request, &body).await?).await
}

pub async fn fetch(
    number: &str,
    token: &str,
    language: Language,
) -> Result<ApplicationView, ApiError> {
    read_json(send(as_owner(Method::GET, number, "", token, language)).await?).await
}

/// Saves the draft as it is now (409 once it is no longer a draft).
pub async fn save(
    number: &str,
    token: &str,
    application: &ApplicationInput,
    language: Language,
) -> Result<ApplicationView, ApiError> {
    let body = Body {
        language: language.code(),
        application,
    };
    let builder = as_owner(Method::PUT, number, "", token, language);
    read_json(send_json(builder, &body).await?).await
}

/// Uploads the photo as the multipart field `photo`.
pub async fn upload_photo(
    number: &str,
    token: &str,
    photo: &web_sys::Blob,
    file_name: &str,
    language: Language,
) -> Result<ApplicationView, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::Unreadable("FormData".into()))?;
    form.append_with_blob_and_filename("photo", photo, file_name)
        .map_err(|_| ApiError::Unreadable("FormData".into()))?;
    // The browser writes the multipart Content-Type with its boundary.
    let request = as_owner(Method::POST, number, "/photo", token, language)
        .body(form)
        .map_err(|e| ApiError::Unreadable(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read_json(response).await
}

/// Reads a successful body into a Blob URL the page can show (the caller revokes it).
async fn object_url(response: Response) -> Result<String, ApiError> {
    if !response.ok() {
        return read_json::<()>(response).await.map(|()| String::new());
    }
    let media_type = response
        .headers()
        .get("content-type")
        .unwrap_or_else(|| "application/octet-stream".into());
    let bytes = response
        .binary()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    blob_url(&bytes, &media_type).ok_or_else(|| ApiError::Unreadable("blob".into()))
}

/// A Blob URL of `bytes` typed `media_type`.
pub fn blob_url(bytes: &[u8], media_type: &str) -> Option<String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The stored photo, as a Blob URL.
pub async fn photo_url(number: &str, token: &str, language: Language) -> Result<String, ApiError> {
    let request =
        as_owner(Method::GET, number, "/photo", token, language).header("Accept", "image/*");
    object_url(send(request).await?).await
}

/// The receipt (number and documents list), as a Blob URL of its SVG.
pub async fn receipt_url(
    number: &str,
    token: &str,
    language: Language,
) -> Result<String, ApiError> {
    let request = as_owner(Method::GET, number, "/receipt.svg", token, language)
        .header("Accept", "image/svg+xml");
    object_url(send(request).await?).await
}

/// Checks everything; with a fee to pay the answer holds where to pay it.
pub async fn submit(
    number: &str,
    token: &str,
    language: Language,
) -> Result<ApplicationView, ApiError> {
    read_json(send(as_owner(Method::POST, number, "/submit", token, language)).await?).await
}

/// Where an application is, as tracking shows it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Tracking {
    pub number: String,
    pub status: String,
    #[serde(default)]
    pub status_label: String,
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub action_required: Option<String>,
    #[serde(default)]
    pub collection_branch: Option<CollectionBranch>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CollectionBranch {
    pub code: String,
    #[serde(default)]
    pub name: serde_json::Value,
}

impl CollectionBranch {
    /// The name in `language`, whether the server sent one text or one per language.
    pub fn name_in(&self, language: Language) -> String {
        match &self.name {
            serde_json::Value::String(name) => name.clone(),
            serde_json::Value::Object(names) => names
                .get(language.code())
                .or_else(|| names.get("tk"))
                .and_then(|v| v.as_str())
                .unwrap_or(&self.code)
                .to_owned(),
            _ => self.code.clone(),
        }
    }
}

/// Why tracking failed.
#[derive(Debug, Clone, PartialEq)]
pub enum TrackError {
    /// No application with this number and date of birth.
    NotFound,
    /// Too many attempts: try again after so many seconds, when the server says.
    TooMany(Option<u32>),
    Failed(ApiError),
}

#[derive(Serialize)]
struct TrackBody<'a> {
    number: &'a str,
    date_of_birth: &'a str,
    language: &'static str,
}

pub async fn track(
    number: &str,
    date_of_birth: &str,
    language: Language,
) -> Result<Tracking, TrackError> {
    let body = TrackBody {
        number,
        date_of_birth,
        language: language.code(),
    };
    let request = request(Method::POST, "/passport-applications/track", language);
    let response = send_json(request, &body)
        .await
        .map_err(TrackError::Failed)?;
    match response.status() {
        404 => Err(TrackError::NotFound),
        429 => Err(TrackError::TooMany(
            response
                .headers()
                .get("retry-after")
                .and_then(|s| s.trim().parse().ok()),
        )),
        _ => read_json(response).await.map_err(TrackError::Failed),
    }
}

/// One line of the staff's list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApplicationSummary {
    pub number: String,
    pub status: String,
    #[serde(default)]
    pub status_label: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub collection_branch: serde_json::Value,
    #[serde(default)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ApplicationSummary {
    /// The collection branch's code, whether the server sent a code or an object.
    pub fn branch_code(&self) -> String {
        match &self.collection_branch {
            serde_json::Value::String(code) => code.clone(),
            serde_json::Value::Object(fields) => fields
                .get("code")
                .and_then(|c| c.as_str())
                .unwrap_or_default()
                .to_owned(),
            _ => String::new(),
        }
    }
}

/// The staff's filters; empty ones are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub status: String,
    pub branch: String,
    pub reason: String,
    pub from: String,
    pub to: String,
    pub number: String,
    pub page: u32,
}

impl Filters {
    pub fn query(&self, per_page: u32) -> String {
        let page = self.page.max(1).to_string();
        let per_page = per_page.to_string();
        let pairs: Vec<(&str, &str)> = [
            ("status", self.status.as_str()),
            ("branch", self.branch.as_str()),
            ("reason", self.reason.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("q", self.number.trim()),
            ("page", page.as_str()),
            ("per_page", per_page.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        query(&pairs)
    }
}

pub async fn staff_list(
    filters: &Filters,
    per_page: u32,
    language: Language,
) -> Result<Page<ApplicationSummary>, ApiError> {
    let path = format!("/staff/passport-applications{}", filters.query(per_page));
    let request = request(Method::GET, &path, language).cache(RequestCache::NoStore);
    read_json(send(request).await?).await
}

/// An application as the staff see it: the citizen's view, the full name, and where it may go.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StaffApplicationView {
    #[serde(flatten)]
    pub view: ApplicationView,
    #[serde(default)]
    pub allowed: Vec<String>,
    #[serde(default)]
    pub full_name: String,
}

fn staff_path(number: &str, rest: &str) -> String {
    format!(
        "/staff/passport-applications/{}{rest}",
        percent_encode(number)
    )
}

pub async fn staff_fetch(
    number: &str,
    language: Language,
) -> Result<StaffApplicationView, ApiError> {
    let request =
        request(Method::GET, &staff_path(number, ""), language).cache(RequestCache::NoStore);
    read_json(send(request).await?).await
}

pub async fn staff_photo_url(number: &str, language: Language) -> Result<String, ApiError> {
    let request = request(Method::GET, &staff_path(number, "/photo"), language)
        .header("Accept", "image/*")
        .cache(RequestCache::NoStore);
    object_url(send(request).await?).await
}

#[derive(Serialize)]
struct StatusChange<'a> {
    status: &'a str,
    note: &'a str,
}

/// Moves the application on (409 when that step is not allowed from where it is).
pub async fn change_status(
    number: &str,
    status: &str,
    note: &str,
    language: Language,
) -> Result<StaffApplicationView, ApiError> {
    let request = request(Method::POST, &staff_path(number, "/status"), language);
    read_json(send_json(request, &StatusChange { status, note }).await?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_are_left_out() {
        let filters = Filters {
            status: "submitted".into(),
            number: " P-26-4K7Q-93 ".into(),
            page: 2,
            ..Filters::default()
        };
        assert_eq!(
            filters.query(20),
            "?status=submitted&q=P-26-4K7Q-93&page=2&per_page=20"
        );
        assert_eq!(Filters::default().query(20), "?page=1&per_page=20");
    }

    #[test]
    fn a_view_reads_with_only_what_is_required() {
        let view: ApplicationView = serde_json::from_str(
            r#"{"number":"P-26-4K7Q-93","status":"draft","fee":{"amount_minor":6000,"currency":"TMT"},
                "application":{"reason":"lost","applicant":{"surname":"Amanow"}},
                "problems":{"photo":"missing"},"photo":null,"payment":null,"history":[]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(view.application.applicant.surname, "Amanow");
        assert_eq!(
            view.problems.get("photo").map(String::as_str),
            Some("missing")
        );
        assert_eq!(view.fee_display(), "60,00 TMT");
    }

    #[test]
    fn a_branch_name_reads_either_way() {
        let one = CollectionBranch {
            code: "mary".into(),
            name: serde_json::json!({"tk": "Mary", "ru": "Мары", "en": "Mary"}),
        };
        assert_eq!(one.name_in(Language::Ru), "Мары");
        let plain = CollectionBranch {
            code: "mary".into(),
            name: serde_json::json!("Mary bölümi"),
        };
        assert_eq!(plain.name_in(Language::En), "Mary bölümi");
    }
}
