//! International passport applications for citizens and integrators: a draft saved as the
//! citizen goes (its secret token in `X-Application-Token`, never in a URL), the photo
//! (multipart, streamed and size-limited, checked by content, kept on disk), submission with
//! the state fee paid through the same acquirer flow as bookings, a receipt, and public
//! tracking by number and birth date (rate-limited; any mismatch is the same 404).

use super::bookings::{conflict, idempotency_key, random_bytes, replay, request_language};
use crate::db::applications::{self as store, ApplicationRow, Prepared};
use crate::db::{bookings as booking_store, catalog, limits, payments as payment_store, PgPool};
use crate::error::ApiError;
use crate::http::no_store;
use crate::payments::Payments;
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::Connection;
use futures_util::StreamExt as _;
use nobat_domain::application_docs::{receipt_svg, ReceiptFacts};
use nobat_domain::booking::FieldErrors;
use nobat_domain::calendar::local_date;
use nobat_domain::passport::{
    icao_transliterate, inspect_photo, parse_application, Application, ApplicationInput,
    ApplicationNumber, ApplicationReason, ApplicationStatus, FeeSchedule, MAX_PHOTO_BYTES,
};
use nobat_domain::wire::Problem;
use nobat_domain::{Language, Localized, Money};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

const TOKEN_HEADER: &str = "x-application-token";
const IDEMPOTENCY_SCOPE: &str = "POST /api/v1/passport-applications";

/// Where photos live and what the fee is; from the configuration.
#[derive(Debug, Clone)]
pub struct ApplicationSettings {
    pub photo_dir: PathBuf,
    pub fees: FeeSchedule,
}

/// The body of `POST /api/v1/passport-applications` and of `PUT …/{number}`.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "language": "tk",
    "application": {
        "reason": "renewal_expiring",
        "applicant": {
            "surname": "Öwezgeldiýewa", "given_names": "Aýna", "patronymic": "Merdanowna",
            "date_of_birth": "1990-04-12", "place_of_birth": "Aşgabat", "sex": "F",
            "national_id": "I-AŞ 123456"
        },
        "address": {"velayat": "ashgabat", "locality": "Aşgabat", "street": "Magtymguly şaýoly 12, 5"},
        "phone": "+993 65 123456",
        "email": "ayna@example.com",
        "previous_passport": {"number": "A1234567", "issued_on": "2016-07-01"},
        "collection_branch": "ashgabat-city"
    }
}))]
pub struct ApplicationDraft {
    /// `tk`, `ru` or `en`: the language of messages and of the status texts.
    #[serde(default)]
    pub language: Option<String>,
    /// The answers so far; a draft may be incomplete.
    #[serde(default)]
    pub application: ApplicationInput,
}

/// The photo as stored.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PhotoView {
    /// `jpeg` or `png`.
    pub format: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i32,
}

/// The latest payment of the fee.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FeePayment {
    /// `new`, `pending`, `paid`, `declined`, `refund_pending`, `refunded`.
    pub status: String,
    /// Where the citizen's browser pays, while the payment is open.
    pub pay_url: Option<String>,
    pub masked_pan: Option<String>,
}

/// One status in an application's history.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub status: ApplicationStatus,
    pub label: String,
    pub at: DateTime<Utc>,
    /// What staff told the citizen (what to bring, why it was refused); may be empty.
    pub note: String,
}

/// The names as they will print in the passport.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PrintedNames {
    pub surname: String,
    pub given_names: String,
}

/// An application as its holder (and staff) see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "number": "P-26-4K7Q-93", "status": "draft", "status_label": "Garalama",
    "next_step": "Arzany dolduryň, suratyňyzy goşuň we döwlet pajyny töläň.",
    "language": "tk", "application": {"reason": "first_passport"},
    "problems": {"photo": "Surat goşulmady."},
    "photo": null, "fee": {"amount_minor": 6000, "currency": "TMT"}, "fee_text": "60.00 TMT",
    "printed_name": null, "mrz_name": null, "payment": null,
    "history": [{"status": "draft", "label": "Garalama", "at": "2026-11-26T10:00:00Z", "note": ""}],
    "action_required": null, "pickup": null,
    "created_at": "2026-11-26T10:00:00Z", "submitted_at": null, "expires_at": "2026-12-26T10:00:00Z"
}))]
pub struct ApplicationView {
    pub number: String,
    pub status: ApplicationStatus,
    pub status_label: String,
    /// What the citizen should do now, in the application's language.
    pub next_step: String,
    pub language: Language,
    /// The answers as saved.
    pub application: ApplicationInput,
    /// What still stops submission, by field path (`applicant.surname`, `photo`...); empty when
    /// complete or no longer a draft.
    pub problems: FieldErrors,
    pub photo: Option<PhotoView>,
    /// The state fee for these answers (0 for a child under 16).
    pub fee: Money,
    pub fee_text: String,
    pub printed_name: Option<PrintedNames>,
    /// The name line of the machine-readable zone.
    pub mrz_name: Option<String>,
    pub payment: Option<FeePayment>,
    pub history: Vec<HistoryEntry>,
    /// While `needs_action`: what to bring or correct.
    pub action_required: Option<String>,
    /// When `ready`: book a time to collect the passport.
    pub pickup: Option<Pickup>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// A draft is deleted after this (30 days after its last change).
    pub expires_at: DateTime<Utc>,
}

/// Where and how to collect a ready passport: book the free `passport-pickup` service at the
/// collection branch through the normal booking flow.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"branch": "mary", "service": "passport-pickup"}))]
pub struct Pickup {
    pub branch: String,
    pub service: String,
}

/// The pickup to offer when the passport is ready.
fn pickup(
    conn: &mut diesel::PgConnection,
    row: &ApplicationRow,
) -> Result<Option<Pickup>, ApiError> {
    match (status_of(row), row.collection_branch_id) {
        (ApplicationStatus::Ready, Some(branch)) => Ok(Some(Pickup {
            branch: store::branch_of(conn, branch)?.0,
            service: PICKUP_SERVICE.to_owned(),
        })),
        _ => Ok(None),
    }
}

/// The service booked to collect a ready passport.
pub const PICKUP_SERVICE: &str = "passport-pickup";

/// A new application: keep `token`, it is the only way back to the draft.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ApplicationCreated {
    pub number: String,
    /// Send it in `X-Application-Token` to read, change, submit or pay.
    pub token: String,
    pub application: ApplicationView,
}

fn language_of(row: &ApplicationRow) -> Language {
    Language::parse(&row.language).unwrap_or_default()
}

fn input_of(row: &ApplicationRow) -> ApplicationInput {
    serde_json::from_value(row.data.clone()).unwrap_or_default()
}

fn status_of(row: &ApplicationRow) -> ApplicationStatus {
    ApplicationStatus::parse(&row.status).unwrap_or(ApplicationStatus::Draft)
}

fn photo_problem(language: Language) -> String {
    Localized::new(
        "Suraty goşuň (JPEG ýa-da PNG, iň azyndan 600×800, 3:4).",
        "Добавьте фотографию (JPEG или PNG, не меньше 600×800, 3:4).",
        "Add the photo (JPEG or PNG, at least 600×800, 3:4).",
    )
    .get(language)
    .to_owned()
}

/// The checked application, or every problem (the photo's included).
fn check(
    row: &ApplicationRow,
    input: &ApplicationInput,
    today: NaiveDate,
) -> Result<Application, FieldErrors> {
    let language = language_of(row);
    let parsed = parse_application(input, today, language);
    let mut problems = parsed.as_ref().err().cloned().unwrap_or_default();
    if row.photo_sha256.is_none() {
        problems.insert("photo".to_owned(), photo_problem(language));
    }
    match parsed {
        Ok(application) if problems.is_empty() => Ok(application),
        _ => Err(problems),
    }
}

fn history(
    conn: &mut diesel::PgConnection,
    row: &ApplicationRow,
    language: Language,
) -> Result<Vec<HistoryEntry>, ApiError> {
    let mut entries: Vec<HistoryEntry> = store::events(conn, row.id)?
        .into_iter()
        .filter_map(|e| {
            let status = ApplicationStatus::parse(&e.to_status)?;
            Some(HistoryEntry {
                status,
                label: status.label(language),
                at: e.at,
                note: e.note,
            })
        })
        .collect();
    entries.insert(
        0,
        HistoryEntry {
            status: ApplicationStatus::Draft,
            label: ApplicationStatus::Draft.label(language),
            at: row.created_at,
            note: String::new(),
        },
    );
    Ok(entries)
}

pub(crate) fn view_of(
    conn: &mut diesel::PgConnection,
    row: &ApplicationRow,
    fees: &FeeSchedule,
    public_url: &str,
) -> Result<ApplicationView, ApiError> {
    let language = language_of(row);
    let status = status_of(row);
    let input = input_of(row);
    let today = local_date(Utc::now());
    let checked = check(row, &input, today);
    let parsed = parse_application(&input, today, language).ok();
    let fee = if status == ApplicationStatus::Draft {
        parsed
            .as_ref()
            .map_or(fees.base, |application| application.fee(fees, today))
    } else {
        Money::tmt(row.fee_minor)
    };
    let printed_name = match &parsed {
        Some(application) => Some(PrintedNames {
            surname: application.applicant.printed_surname.as_str().to_owned(),
            given_names: application
                .applicant
                .printed_given_names
                .as_str()
                .to_owned(),
        }),
        None => {
            let a = &input.applicant;
            (!a.surname.trim().is_empty() || !a.given_names.trim().is_empty()).then(|| {
                PrintedNames {
                    surname: icao_transliterate(a.surname.trim()),
                    given_names: icao_transliterate(a.given_names.trim()),
                }
            })
        }
    };
    let payment = payment_store::latest_for_application(conn, row.id)?.map(
        |(public_id, status, masked_pan)| {
            let open = matches!(status.as_str(), "new" | "pending")
                && row.status == "draft"
                && row.reason.is_some();
            FeePayment {
                pay_url: open
                    .then(|| format!("{public_url}{}/payments/{public_id}/pay", super::API_BASE)),
                status,
                masked_pan,
            }
        },
    );
    Ok(ApplicationView {
        number: row.number.clone(),
        status,
        status_label: status.label(language),
        next_step: status.next_step(language),
        language,
        problems: if status == ApplicationStatus::Draft {
            checked.err().unwrap_or_default()
        } else {
            FieldErrors::new()
        },
        photo: match (
            &row.photo_format,
            row.photo_width,
            row.photo_height,
            row.photo_bytes,
        ) {
            (Some(format), Some(width), Some(height), Some(bytes)) => Some(PhotoView {
                format: format.clone(),
                width,
                height,
                bytes,
            }),
            _ => None,
        },
        fee,
        fee_text: nobat_domain::ticket::fee_text(language, fee),
        printed_name,
        mrz_name: parsed.as_ref().map(Application::mrz_name),
        payment,
        history: history(conn, row, language)?,
        action_required: row.action_required.clone(),
        pickup: pickup(conn, row)?,
        application: input,
        created_at: row.created_at,
        submitted_at: row.submitted_at,
        expires_at: row.expires_at,
    })
}

fn token_of(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The application for a number, if the request carries its token. A wrong number, a wrong
/// token and an expired draft are the same 404.
fn authorised(
    conn: &mut diesel::PgConnection,
    token: Option<&str>,
    number: &str,
) -> Result<ApplicationRow, ApiError> {
    let not_found = || ApiError::not_found("No application with this number and token.");
    let token = token.ok_or_else(not_found)?;
    let row = store::find(conn, number.trim())?.ok_or_else(not_found)?;
    let presented = Sha256::digest(token.as_bytes());
    let same = presented.len() == row.token_hash.len()
        && presented
            .iter()
            .zip(&row.token_hash)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(row)
    } else {
        Err(not_found())
    }
}

fn language_field(raw: Option<&str>, fallback: Language) -> Result<Language, ApiError> {
    match raw.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(fallback),
        Some(tag) => Language::parse(tag).map_err(|_| {
            ApiError::invalid([("language".to_owned(), "must be tk, ru or en".to_owned())].into())
        }),
    }
}

fn data_of(draft: &ApplicationDraft) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(&draft.application).map_err(ApiError::internal)
}

fn not_a_draft(language: Language) -> ApiError {
    conflict(
        "not-a-draft",
        "The application is no longer a draft",
        Localized::new(
            "Arza eýýäm tabşyryldy; ony indi üýtgedip bolmaýar.",
            "Заявление уже подано; изменить его нельзя.",
            "The application has been submitted; it can no longer be changed.",
        )
        .get(language)
        .to_owned(),
    )
}

/// Start an application (a draft; it may be incomplete). The answer carries the token that
/// opens it again; repeat with the same `Idempotency-Key` to get the same answer.
#[utoipa::path(
    tag = "passport applications",
    operation_id = "create_application",
    request_body = ApplicationDraft,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string (1-200 characters); the same key and body replay the first answer")),
    responses(
        (status = 201, description = "The draft and its token", body = ApplicationCreated,
            headers(("Location" = String, description = "`/api/v1/passport-applications/{number}`"))),
        (status = 400, description = "The body is not JSON of this shape", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad language, or an `Idempotency-Key` reused with another body", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passport-applications")]
pub async fn create_application(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    payments: web::Data<Payments>,
    body: web::Json<ApplicationDraft>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&request)?;
    let draft = body.into_inner();
    let language = language_field(draft.language.as_deref(), request_language(&request))?;
    let data = data_of(&draft)?;
    let request_hash = Sha256::digest(serde_json::to_vec(&draft).unwrap_or_default()).to_vec();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let token_hash = Sha256::digest(token.as_bytes()).to_vec();
    let public_url = payments.public_url.clone();
    let (status, answer) = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            if let Some(answer) = replay(conn, IDEMPOTENCY_SCOPE, key.as_deref(), &request_hash)? {
                return Ok(answer);
            }
            let year = chrono::Datelike::year(&local_date(Utc::now()));
            let mut created = None;
            for _ in 0..8 {
                let random = u64::from_le_bytes(random_bytes::<8>()?);
                let number = ApplicationNumber::from_random(year, random);
                if let Some(id) =
                    store::insert(conn, number.as_str(), &token_hash, language.code(), &data)?
                {
                    created = Some(id);
                    break;
                }
            }
            let id = created.ok_or_else(|| ApiError::internal("no free application number"))?;
            let row = store::lock(conn, id)?;
            let body = serde_json::to_value(ApplicationCreated {
                number: row.number.clone(),
                token: token.clone(),
                application: view_of(conn, &row, &settings.fees, &public_url)?,
            })
            .map_err(ApiError::internal)?;
            if let Some(key) = &key {
                booking_store::store_idempotent_answer(conn, IDEMPOTENCY_SCOPE, key, 201, &body)?;
            }
            Ok((201, body))
        })
    })
    .await??;
    let status = actix_web::http::StatusCode::from_u16(status as u16)
        .unwrap_or(actix_web::http::StatusCode::CREATED);
    let number = answer["number"].as_str().unwrap_or_default().to_owned();
    Ok(HttpResponse::build(status)
        .insert_header((
            header::LOCATION,
            format!("{}/passport-applications/{number}", super::API_BASE),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// The application, for the holder of its token.
#[utoipa::path(
    tag = "passport applications",
    operation_id = "get_application",
    params(
        ("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93"),
        ("X-Application-Token" = String, Header, description = "The token given when the application was started"),
    ),
    responses(
        (status = 200, description = "The application", body = ApplicationView),
        (status = 404, description = "No application with this number and token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/passport-applications/{number}")]
pub async fn get_application(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    payments: web::Data<Payments>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token_of(&request);
    let public_url = payments.public_url.clone();
    let answer = web::block(move || {
        let mut conn = pool.get()?;
        let row = authorised(&mut conn, token.as_deref(), &number)?;
        view_of(&mut conn, &row, &settings.fees, &public_url)
    })
    .await??;
    Ok(no_store(&answer))
}

/// Save a draft's answers (the whole set; the draft is kept 30 more days).
#[utoipa::path(
    tag = "passport applications",
    operation_id = "save_application",
    request_body = ApplicationDraft,
    params(
        ("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93"),
        ("X-Application-Token" = String, Header, description = "The token given when the application was started"),
    ),
    responses(
        (status = 200, description = "The draft now, with what still stops submission", body = ApplicationView),
        (status = 400, description = "The body is not JSON of this shape", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No application with this number and token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-a-draft`: submitted applications cannot change", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad language", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/passport-applications/{number}")]
pub async fn save_application(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    payments: web::Data<Payments>,
    number: web::Path<String>,
    body: web::Json<ApplicationDraft>,
) -> Result<HttpResponse, ApiError> {
    let token = token_of(&request);
    let draft = body.into_inner();
    let data = data_of(&draft)?;
    let public_url = payments.public_url.clone();
    let fallback = request_language(&request);
    let answer = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let found = authorised(conn, token.as_deref(), &number)?;
            let row = store::lock(conn, found.id)?;
            let language = language_field(draft.language.as_deref(), language_of(&row))
                .or_else(|_| language_field(None, fallback))?;
            if row.status != "draft" {
                return Err(not_a_draft(language));
            }
            store::save_draft(conn, row.id, language.code(), &data)?;
            let row = store::lock(conn, row.id)?;
            view_of(conn, &row, &settings.fees, &public_url)
        })
    })
    .await??;
    Ok(no_store(&answer))
}

/// Reads the `photo` field of a multipart body, at most [`MAX_PHOTO_BYTES`], stopping as
/// soon as the limit is passed.
async fn read_photo(mut form: actix_multipart::Multipart) -> Result<Vec<u8>, ApiError> {
    let limit = usize::try_from(MAX_PHOTO_BYTES).unwrap_or(usize::MAX);
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| ApiError::BadRequest {
            detail: format!("The multipart body cannot be read: {e}"),
        })?;
        if field.name() != Some("photo") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest {
                detail: format!("The upload broke off: {e}"),
            })?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(bytes);
    }
    Err(ApiError::invalid(
        [(
            "photo".to_owned(),
            "send the image in a multipart/form-data field named photo".to_owned(),
        )]
        .into(),
    ))
}

/// Writes the photo under its sha256 (once; the same photo twice is one file).
fn store_photo(dir: &std::path::Path, sha: &str, bytes: &[u8]) -> Result<(), ApiError> {
    let path = dir.join(sha);
    if path.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(ApiError::internal)?;
    let partial = dir.join(format!(
        "{sha}.{}.partial",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<6>()?)
    ));
    std::fs::write(&partial, bytes).map_err(ApiError::internal)?;
    std::fs::rename(&partial, &path).map_err(ApiError::internal)
}

/// Add or replace the applicant's photo: JPEG or PNG (told by its content), at most 5 MiB, at
/// least 600×800 pixels, 3:4 (±2%). Sent as `multipart/form-data` with one file field `photo`.
#[utoipa::path(
    tag = "passport applications",
    operation_id = "upload_application_photo",
    params(
        ("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93"),
        ("X-Application-Token" = String, Header, description = "The token given when the application was started"),
    ),
    request_body(content = String, description = "A `multipart/form-data` body with the image in the field `photo`", content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The application with its photo", body = ApplicationView),
        (status = 400, description = "Not a readable multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No application with this number and token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-a-draft`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 5 MiB (the upload is stopped there)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a JPEG or PNG, too small, or not 3:4; `errors.photo` says which", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passport-applications/{number}/photo")]
pub async fn upload_application_photo(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    payments: web::Data<Payments>,
    number: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let token = token_of(&request);
    let number = number.into_inner();
    // The token first: a stranger's upload is not read at all.
    let (pool2, number2) = (pool.clone(), number.clone());
    let row = web::block(move || {
        let mut conn = pool2.get()?;
        authorised(&mut conn, token.as_deref(), &number2)
    })
    .await??;
    let language = language_of(&row);
    if row.status != "draft" {
        return Err(not_a_draft(language));
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_PHOTO_BYTES + 64 * 1024) {
        return Err(ApiError::PayloadTooLarge {
            limit: usize::try_from(MAX_PHOTO_BYTES).unwrap_or(usize::MAX),
        });
    }
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ApiError::UnsupportedMediaType {
            detail: "Send the photo as multipart/form-data with a field named photo.".into(),
        });
    }
    let form = actix_multipart::Multipart::new(request.headers(), payload);
    let bytes = read_photo(form).await?;
    let info = inspect_photo(&bytes).map_err(|problems| {
        let message = problems
            .iter()
            .map(|p| p.message(language))
            .collect::<Vec<_>>()
            .join(" ");
        ApiError::invalid([("photo".to_owned(), message)].into())
    })?;
    let sha = format!("{:x}", Sha256::digest(&bytes));
    let format = match info.format {
        nobat_domain::passport::ImageFormat::Png => "png",
        _ => "jpeg",
    };
    let public_url = payments.public_url.clone();
    let answer = web::block(move || {
        store_photo(&settings.photo_dir, &sha, &bytes)?;
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let row = store::lock(conn, row.id)?;
            if row.status != "draft" {
                return Err(not_a_draft(language));
            }
            store::set_photo(
                conn,
                row.id,
                &sha,
                format,
                info.width,
                info.height,
                bytes.len(),
            )?;
            let row = store::lock(conn, row.id)?;
            view_of(conn, &row, &settings.fees, &public_url)
        })
    })
    .await??;
    Ok(no_store(&answer))
}

/// The photo file of an application and its media type.
pub(crate) fn photo_file(
    settings: &ApplicationSettings,
    row: &ApplicationRow,
) -> Result<(Vec<u8>, &'static str), ApiError> {
    let (Some(sha), Some(format)) = (&row.photo_sha256, &row.photo_format) else {
        return Err(ApiError::not_found("The application has no photo yet."));
    };
    let bytes = std::fs::read(settings.photo_dir.join(sha))
        .map_err(|_| ApiError::not_found("The photo file is missing."))?;
    Ok((
        bytes,
        if format == "png" {
            "image/png"
        } else {
            "image/jpeg"
        },
    ))
}

/// The photo as a response: private, never cached.
pub(crate) fn photo_response((bytes, media_type): (Vec<u8>, &'static str)) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// The applicant's photo, for the holder of the token.
#[utoipa::path(
    tag = "passport applications",
    operation_id = "get_application_photo",
    params(
        ("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93"),
        ("X-Application-Token" = String, Header, description = "The token given when the application was started"),
    ),
    responses(
        (status = 200, description = "The image", content_type = "image/jpeg"),
        (status = 404, description = "No application with this number and token, or no photo yet", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/passport-applications/{number}/photo")]
pub async fn get_application_photo(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token_of(&request);
    web::block(move || {
        let mut conn = pool.get()?;
        let row = authorised(&mut conn, token.as_deref(), &number)?;
        photo_file(&settings, &row)
    })
    .await?
    .map(photo_response)
}

/// Submit the application: every field and the photo are checked (422 names each problem). A
/// child under 16 pays nothing and is `submitted` at once; otherwise the answer carries
/// `payment.pay_url` for the citizen's browser, and the payment submits it.
#[utoipa::path(
    tag = "passport applications",
    operation_id = "submit_application",
    params(
        ("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93"),
        ("X-Application-Token" = String, Header, description = "The token given when the application was started"),
    ),
    responses(
        (status = 200, description = "Submitted (exempt), or waiting for the fee at `payment.pay_url`", body = ApplicationView),
        (status = 404, description = "No application with this number and token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-a-draft`: already submitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "What is missing or wrong, by field path (`applicant.surname`, `photo`, `collection_branch`...)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passport-applications/{number}/submit")]
pub async fn submit_application(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    payments: web::Data<Payments>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token_of(&request);
    let public_url = payments.public_url.clone();
    let answer = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let found = authorised(conn, token.as_deref(), &number)?;
            let row = store::lock(conn, found.id)?;
            let language = language_of(&row);
            if row.status != "draft" {
                return Err(not_a_draft(language));
            }
            let today = local_date(Utc::now());
            let application = check(&row, &input_of(&row), today).map_err(ApiError::invalid)?;
            let branch = catalog::find_branch(conn, application.collection_branch.as_str())?
                .ok_or_else(|| {
                    ApiError::invalid(
                        [(
                            "collection_branch".to_owned(),
                            Localized::new(
                                "Beýle bölüm ýok.",
                                "Такого отдела нет.",
                                "There is no such branch.",
                            )
                            .get(language)
                            .to_owned(),
                        )]
                        .into(),
                    )
                })?;
            let fee = application.fee(&settings.fees, today);
            let full_name = application.full_name();
            store::prepare(
                conn,
                row.id,
                &Prepared {
                    reason: application.reason.code(),
                    full_name: &full_name,
                    date_of_birth: application.applicant.date_of_birth.date(),
                    branch_id: branch.id,
                    fee_minor: fee.amount_minor,
                },
            )?;
            if fee.amount_minor == 0 {
                store::transition(conn, row.id, "draft", "submitted", "citizen", None, "")?;
            } else {
                let open = payment_store::latest_for_application(conn, row.id)?
                    .is_some_and(|(_, status, _)| status == "new");
                if !open {
                    let public_id = base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .encode(random_bytes::<18>()?);
                    payment_store::create_application_payment(
                        conn,
                        row.id,
                        &row.number,
                        fee.amount_minor,
                        &public_id,
                    )?;
                }
            }
            let row = store::lock(conn, row.id)?;
            view_of(conn, &row, &settings.fees, &public_url)
        })
    })
    .await??;
    Ok(no_store(&answer))
}

/// A printable receipt with the number, a QR code of it, the collection branch and the
/// documents to bring.
#[utoipa::path(
    tag = "passport applications",
    operation_id = "get_application_receipt",
    params(
        ("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93"),
        ("X-Application-Token" = String, Header, description = "The token given when the application was started"),
    ),
    responses(
        (status = 200, description = "The receipt", content_type = "image/svg+xml"),
        (status = 404, description = "No application with this number and token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-submitted`: a draft has no receipt", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/passport-applications/{number}/receipt.svg")]
pub async fn get_application_receipt(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token_of(&request);
    let svg = web::block(move || {
        let mut conn = pool.get()?;
        let row = authorised(&mut conn, token.as_deref(), &number)?;
        let language = language_of(&row);
        let (Some(reason), Some(branch_id)) = (
            row.reason.as_deref().and_then(ApplicationReason::parse),
            row.collection_branch_id,
        ) else {
            return Err(conflict(
                "not-submitted",
                "Not submitted yet",
                "A draft has no receipt: submit the application first.".into(),
            ));
        };
        if row.status == "draft" {
            return Err(conflict(
                "not-submitted",
                "Not submitted yet",
                "The receipt is ready once the fee is paid.".into(),
            ));
        }
        let (_, branch_name) = store::branch_of(&mut conn, branch_id)?;
        let masked = payment_store::latest_for_application(&mut conn, row.id)?
            .filter(|(_, status, _)| status == "paid")
            .and_then(|(_, _, pan)| pan);
        let printed = parse_application(&input_of(&row), local_date(Utc::now()), language)
            .map(|a| {
                format!(
                    "{} {}",
                    a.applicant.printed_surname.as_str(),
                    a.applicant.printed_given_names.as_str()
                )
            })
            .unwrap_or_default();
        Ok(receipt_svg(&ReceiptFacts {
            number: &row.number,
            status: status_of(&row),
            full_name: &row.full_name,
            printed_name: &printed,
            reason,
            branch_name: branch_name.get(language),
            submitted_at: row.submitted_at,
            fee: Money::tmt(row.fee_minor),
            masked_pan: masked.as_deref(),
            language,
        }))
    })
    .await??;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(svg))
}

/// `POST /api/v1/passport-applications/track`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"number": "P-26-4K7Q-93", "date_of_birth": "1990-04-12", "language": "tk"}))]
pub struct TrackRequest {
    pub number: String,
    /// The applicant's, `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// `tk`, `ru` or `en` for the texts (default: `Accept-Language`).
    #[serde(default)]
    pub language: Option<String>,
}

/// The collection branch.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BranchRef {
    pub code: String,
    pub name: Localized,
}

/// What tracking tells: the status and its history, nothing else about the person.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "number": "P-26-4K7Q-93", "status": "under_review", "status_label": "Seredilýär",
    "since": "2026-11-27T09:12:00Z", "next_step": "Garaşyň: arzaňyz barlanýar.",
    "history": [{"status": "draft", "label": "Garalama", "at": "2026-11-26T10:00:00Z", "note": ""},
                {"status": "submitted", "label": "Kabul edildi", "at": "2026-11-26T10:05:00Z", "note": ""},
                {"status": "under_review", "label": "Seredilýär", "at": "2026-11-27T09:12:00Z", "note": ""}],
    "action_required": null, "pickup": null,
    "collection_branch": {"code": "ashgabat-city", "name": {"tk": "Aşgabat şäher bölümi", "ru": "Ашхабадский городской отдел", "en": "Aşgabat city office"}}
}))]
pub struct Tracking {
    pub number: String,
    pub status: ApplicationStatus,
    pub status_label: String,
    /// When the application reached its status.
    pub since: DateTime<Utc>,
    pub next_step: String,
    pub history: Vec<HistoryEntry>,
    pub action_required: Option<String>,
    pub collection_branch: BranchRef,
    /// When `ready`: book a time to collect the passport.
    pub pickup: Option<Pickup>,
}

/// Tries per hour from one address, and per 15 minutes for one number.
const TRACK_PER_ADDRESS: (i32, i64) = (30, 3600);
const TRACK_PER_NUMBER: (i32, i64) = (5, 900);

/// Track an application by its number and the applicant's birth date. A wrong number and a
/// wrong date are the same 404; tries are limited per address and per number.
#[utoipa::path(
    tag = "passport applications",
    operation_id = "track_application",
    request_body = TrackRequest,
    responses(
        (status = 200, description = "The status and its history", body = Tracking),
        (status = 400, description = "The body is not JSON of this shape", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No submitted application matches", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed number or date", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many tries; wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passport-applications/track")]
pub async fn track_application(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    body: web::Json<TrackRequest>,
) -> Result<HttpResponse, ApiError> {
    let language = language_field(body.language.as_deref(), request_language(&request))?;
    let mut errors = FieldErrors::new();
    let number = ApplicationNumber::parse(&body.number)
        .map_err(|e| errors.insert("number".to_owned(), e.message(language)))
        .ok();
    let born = NaiveDate::parse_from_str(body.date_of_birth.trim(), "%Y-%m-%d")
        .map_err(|_| {
            errors.insert(
                "date_of_birth".to_owned(),
                Localized::new(
                    "ÝÝÝÝ-AA-GG görnüşinde sene",
                    "дата в виде ГГГГ-ММ-ДД",
                    "must be a date such as 1990-04-12",
                )
                .get(language)
                .to_owned(),
            )
        })
        .ok();
    let (Some(number), Some(born)) = (number, born) else {
        return Err(ApiError::invalid(errors));
    };
    let address = crate::client::address(&request);
    let tracking = web::block(move || {
        let mut conn = pool.get()?;
        for (bucket, (limit, window)) in [
            (format!("track:address:{address}"), TRACK_PER_ADDRESS),
            (
                format!("track:number:{}", number.as_str()),
                TRACK_PER_NUMBER,
            ),
        ] {
            if let Err(retry_after_secs) = limits::hit(&mut conn, &bucket, limit, window)? {
                return Err(ApiError::RateLimited { retry_after_secs });
            }
        }
        let no_match = || {
            ApiError::not_found(
                Localized::new(
                    "Bu belgä we doglan senä laýyk arza tapylmady.",
                    "Заявление с таким номером и датой рождения не найдено.",
                    "No application matches this number and date of birth.",
                )
                .get(language),
            )
        };
        let row = store::find(&mut conn, number.as_str())?
            .filter(|r| r.status != "draft" && r.date_of_birth == Some(born))
            .ok_or_else(no_match)?;
        let branch_id = row.collection_branch_id.ok_or_else(no_match)?;
        let (code, name) = store::branch_of(&mut conn, branch_id)?;
        let history = history(&mut conn, &row, language)?;
        let status = status_of(&row);
        Ok(Tracking {
            number: row.number.clone(),
            status,
            status_label: status.label(language),
            since: history.last().map_or(row.updated_at, |h| h.at),
            next_step: status.next_step(language),
            history,
            action_required: row.action_required.clone(),
            pickup: pickup(&mut conn, &row)?,
            collection_branch: BranchRef { code, name },
        })
    })
    .await??;
    Ok(no_store(&tracking))
}
