//! Bookings: hold a seat (`POST /api/v1/bookings`), look at it and cancel it with the secret
//! manage token (`X-Booking-Token`, never in a URL).

use crate::db::bookings::{
    self as store, HoldError, Idempotency, NewApplicant, NewHold, RescheduleError,
};
use crate::db::{catalog, limits, PgPool};
use crate::error::ApiError;
use crate::payments::Payments;
use crate::schedules::{Missing, Schedules};
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use base64::Engine as _;
use chrono::{Duration, Utc};
use nobat_domain::availability::DateRange;
use nobat_domain::booking::{fee_for, BookingStatus};
use nobat_domain::booking_api::{
    parse_booking_request, ApplicantSummary, BookingCreated, BookingRequest, BookingView, NamedRef,
    PaymentLink, PaymentSummary,
};
use nobat_domain::calendar::local_date;
use nobat_domain::identity::{BookingReference, PassportNumber};
use nobat_domain::payment::PaymentStatus;
use nobat_domain::wire::Problem;
use nobat_domain::{Language, Localized, Money};
use sha2::{Digest, Sha256};

/// How bookings behave; from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct BookingPolicy {
    /// How long a seat is held for payment.
    pub hold: Duration,
    /// No cancelling or rescheduling later than this before the slot.
    pub change_cutoff: Duration,
    /// A booking, cancellation or change not committed this long after its request arrived is
    /// rolled back (503).
    pub deadline: std::time::Duration,
}

const TOKEN_HEADER: &str = "x-booking-token";
const IDEMPOTENCY_SCOPE: &str = "POST /api/v1/bookings";

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(bytes)
}

pub(crate) fn request_language(request: &HttpRequest) -> Language {
    request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Language::from_accept_language)
        .unwrap_or_default()
}

/// The request's `Idempotency-Key`, if any (422 when malformed).
pub(crate) fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    match request.headers().get("idempotency-key").map(|v| v.to_str()) {
        None => Ok(None),
        Some(Ok(k))
            if (1..=200).contains(&k.len()) && k.bytes().all(|b| (0x20..0x7f).contains(&b)) =>
        {
            Ok(Some(k.to_owned()))
        }
        Some(_) => Err(ApiError::invalid(
            [(
                "Idempotency-Key".to_owned(),
                "must be 1 to 200 visible characters".to_owned(),
            )]
            .into(),
        )),
    }
}

/// Inside the caller's transaction: reserves a fresh key, or gives the first answer to replay
/// (422 when the key was used with another body).
pub(crate) fn replay(
    conn: &mut diesel::PgConnection,
    scope: &str,
    key: Option<&str>,
    request_hash: &[u8],
) -> Result<Option<(i16, serde_json::Value)>, ApiError> {
    let Some(key) = key else {
        return Ok(None);
    };
    match store::claim_idempotency_key(conn, scope, key, request_hash)? {
        Idempotency::Fresh => Ok(None),
        Idempotency::Replay(status, body) => Ok(Some((status, body))),
        Idempotency::Mismatch => Err(ApiError::invalid(
            [(
                "Idempotency-Key".to_owned(),
                "was already used with a different request body".to_owned(),
            )]
            .into(),
        )),
    }
}

pub(crate) fn conflict(slug: &'static str, title: &'static str, detail: String) -> ApiError {
    ApiError::Conflict {
        slug,
        title,
        detail,
    }
}

fn parse_body(request: &HttpRequest, body: &[u8]) -> Result<BookingRequest, ApiError> {
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return Err(ApiError::from_status(
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ));
    }
    if crate::error::json_nesting_exceeds(body, crate::error::JSON_MAX_DEPTH) {
        return Err(ApiError::BadRequest {
            detail: format!(
                "The JSON is nested deeper than {} levels.",
                crate::error::JSON_MAX_DEPTH
            ),
        });
    }
    serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::Validation {
            detail: format!("The JSON does not have the expected shape: {e}."),
            errors: Default::default(),
        },
        _ => ApiError::BadRequest {
            detail: format!("The body is not valid JSON: {e}."),
        },
    })
}

/// Book a visit: hold seats for one to five people in one slot.
///
/// With a fee to pay the booking is `held` for a few minutes (`hold_expires_at`) and its seats
/// are released unless paid; with no fee (a free service, or every applicant exempt) it is
/// `confirmed` at once. Repeat the request with the same `Idempotency-Key` to get the same answer.
#[utoipa::path(
    tag = "bookings",
    operation_id = "create_booking",
    request_body = BookingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string (1-200 characters); the same key and body replay the first answer")),
    responses(
        (status = 201, description = "Seats taken", body = BookingCreated),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch or service, or the branch does not offer it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`slot-full`: no seat left; `slot-unavailable`: not a bookable time; `already-booked`: a passport already has an active booking for this service",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:nobat:problem:already-booked", "title": "This passport already has a booking", "status": 409,
                "detail": "The passport A*****567 already has an active booking for this service: Daşoguz welaýat migrasiýa bölümi, 01.12.2026."})),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (keyed by path, e.g. `applicant.passport.number`, in the request's language), or an `Idempotency-Key` reused with another body",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:nobat:problem:validation", "title": "The request has invalid fields", "status": 422,
                "detail": "2 fields are invalid; see `errors`.",
                "errors": {"applicant.phone": "not a Turkmen mobile number", "start": "must be a date and time such as 2026-12-01T09:00:00+05:00"}})),
        (status = 429, description = "Too many booking attempts from this address or for this passport (`NOBAT_BOOKING_LIMITS`, counted by every instance together); wait `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is counted"))),
        (status = 503, description = "The database is unavailable, or the write could not be finished within `NOBAT_REQUEST_DEADLINE_MS` of the request (10 s by default) and was rolled back: nothing was changed, so the request can be repeated as it was", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings")]
pub async fn create_booking(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    policy: web::Data<BookingPolicy>,
    payments: web::Data<Payments>,
    schedules: web::Data<Schedules>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let deadline = crate::db::Deadline::after(policy.deadline);
    let parsed = parse_body(&request, &body)?;
    let key = idempotency_key(&request)?;
    let request_hash = Sha256::digest(&body).to_vec();
    let now = Utc::now();
    let seat = parse_booking_request(&parsed, local_date(now), request_language(&request))
        .map_err(ApiError::invalid)?;
    let policy = **policy;
    let public_url = payments.public_url.clone();
    let buckets = attempt_buckets(&request, &seat);
    let (status, answer) = web::block(move || {
        let mut conn = pool.get()?;
        // Counted outside the booking's transaction: a refused attempt still counts.
        for (bucket, limit, window) in buckets {
            if let Err(retry_after_secs) = limits::hit(&mut conn, &bucket, limit, window)? {
                return Err(ApiError::RateLimited { retry_after_secs });
            }
        }
        crate::db::transaction_before(&mut conn, deadline, |conn| {
            if let Some(answer) = replay(conn, IDEMPOTENCY_SCOPE, key.as_deref(), &request_hash)? {
                return Ok(answer);
            }
            let created = book(conn, &schedules, &seat, now, policy, &public_url)?;
            let body = serde_json::to_value(&created).map_err(ApiError::internal)?;
            if let Some(key) = &key {
                store::store_idempotent_answer(conn, IDEMPOTENCY_SCOPE, key, 201, &body)?;
            }
            Ok((201, body))
        })
    })
    .await??;
    let status = actix_web::http::StatusCode::from_u16(status as u16)
        .unwrap_or(actix_web::http::StatusCode::CREATED);
    let reference = answer["reference"].as_str().unwrap_or_default().to_owned();
    Ok(HttpResponse::build(status)
        .insert_header((header::LOCATION, format!("/api/v1/bookings/{reference}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// The rate-limit buckets a booking attempt counts in: its client address and each applicant's
/// passport (by a hash: the number itself is never a key).
fn attempt_buckets(
    request: &HttpRequest,
    seat: &nobat_domain::booking_api::SeatRequest,
) -> Vec<(String, i32, i64)> {
    let limits = request
        .app_data::<web::Data<crate::client::BookingLimits>>()
        .map(|l| *l.get_ref())
        .unwrap_or_default();
    let window = i64::from(limits.window_secs);
    let mut buckets = Vec::new();
    if limits.per_address > 0 {
        buckets.push((
            format!("book:address:{}", crate::client::address(request)),
            i32::try_from(limits.per_address).unwrap_or(i32::MAX),
            window,
        ));
    }
    if limits.per_passport > 0 {
        for applicant in &seat.applicants {
            let digest = Sha256::digest(applicant.passport.number.as_str().as_bytes());
            let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
            buckets.push((
                format!("book:passport:{hex}"),
                i32::try_from(limits.per_passport).unwrap_or(i32::MAX),
                window,
            ));
        }
    }
    buckets
}

fn book(
    conn: &mut diesel::PgConnection,
    schedules: &Schedules,
    seat: &nobat_domain::booking_api::SeatRequest,
    now: chrono::DateTime<Utc>,
    policy: BookingPolicy,
    public_url: &str,
) -> Result<BookingCreated, ApiError> {
    let language = seat.language;
    let (branch_code, service_code) = (seat.branch.as_str(), seat.service.as_str());
    let missing = |m: Missing| match m {
        Missing::Branch => ApiError::not_found(format!("There is no branch {branch_code:?}.")),
        Missing::Service => ApiError::not_found(format!("There is no service {service_code:?}.")),
    };
    let slot_full = || {
        conflict(
            "slot-full",
            "The time is fully booked",
            Localized::new(
                "Bu wagtda boş orun galmady. Başga wagt saýlaň.",
                "На это время свободных мест нет. Выберите другое время.",
                "There are no seats left at this time. Please choose another time.",
            )
            .get(language)
            .to_owned(),
        )
    };
    let seats = i32::try_from(seat.applicants.len()).unwrap_or(i32::MAX);
    let passports: Vec<String> = seat
        .applicants
        .iter()
        .map(|a| a.passport.number.as_str().to_owned())
        .collect();
    // The kept schedule and one statement about the slot; the schedule is read again only when
    // the catalog changed since it was kept.
    let mut schedule = schedules
        .get(conn, branch_code, service_code)?
        .map_err(missing)?;
    let probe = loop {
        let probe = store::probe_slot(
            conn,
            schedule.branch.id,
            schedule.service.id,
            seat.start,
            seats,
            &passports,
        )?;
        if probe.catalog_version == schedule.version {
            break probe;
        }
        let fresh = schedules
            .reload(conn, branch_code, service_code)?
            .map_err(missing)?;
        let same_rows =
            fresh.branch.id == schedule.branch.id && fresh.service.id == schedule.service.id;
        schedule = fresh;
        if same_rows {
            break probe;
        }
    };
    if !schedule.offered() {
        return Err(ApiError::not_found(format!(
            "The branch {branch_code:?} does not offer the service {service_code:?}."
        )));
    }
    // A slot already full answers at once, without computing the day.
    if probe.sold_out() {
        return Err(slot_full());
    }
    let Some(slot) = schedule.bookable_slot(seat.start, now) else {
        return Err(conflict(
            "slot-unavailable",
            "Not a bookable time",
            Localized::new(
                "Bu wagt saýlanan bölümde we hyzmat üçin ýazylyp bolýan wagt däl.",
                "Это время нельзя забронировать в выбранном отделении для этой услуги.",
                "This is not a bookable time for this service at this branch.",
            )
            .get(language)
            .to_owned(),
        ));
    };
    if (slot.capacity as usize) < seat.applicants.len() {
        return Err(slot_full());
    }
    let (branch, service) = (&schedule.branch, &schedule.service);
    let day = local_date(seat.start);
    let base_fee = Money::tmt(service.fee_minor);
    let exemptions = service.to_wire().exemptions;
    let applicants: Vec<NewApplicant> = seat
        .applicants
        .iter()
        .map(|a| NewApplicant {
            surname: a.surname.as_str().to_owned(),
            given_name: a.given_name.as_str().to_owned(),
            patronymic: a.patronymic.as_ref().map(|p| p.as_str().to_owned()),
            date_of_birth: a.date_of_birth.date(),
            phone: a.phone.as_str().to_owned(),
            email: a.email.as_ref().map(|e| e.as_str().to_owned()),
            passport_number: a.passport.number.as_str().to_owned(),
            passport_issued_on: a.passport.issued_on,
            passport_issued_by: a.passport.issued_by.clone(),
            passport_expires_on: a.passport.expires_on,
            fee_minor: fee_for(base_fee, &exemptions, a.date_of_birth.age_on(day)).amount_minor,
        })
        .collect();
    let total: i64 = applicants.iter().map(|a| a.fee_minor).sum();
    let status = if total == 0 {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Held
    };
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let payment_id = match status {
        BookingStatus::Held => {
            Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<18>()?))
        }
        _ => None,
    };
    let hold = NewHold {
        branch_id: branch.id,
        service_id: service.id,
        starts_at: seat.start,
        ends_at: slot.end.with_timezone(&Utc),
        capacity: i32::try_from(slot.capacity).unwrap_or(i32::MAX),
        status: if status == BookingStatus::Held {
            "held"
        } else {
            "confirmed"
        },
        // PostgreSQL keeps microseconds: the answer shows what is stored.
        hold_expires_at: (status == BookingStatus::Held)
            .then(|| chrono::SubsecRound::trunc_subsecs(now + policy.hold, 6)),
        fee_minor: total,
        language: language.code(),
        manage_token_hash: Sha256::digest(token.as_bytes()).to_vec(),
        applicants,
    };
    let mut reference_error = None;
    let taken = store::take_seats(
        conn,
        &hold,
        &probe,
        || match random_bytes::<8>() {
            Ok(bytes) => BookingReference::from_random(u64::from_le_bytes(bytes)).to_string(),
            Err(e) => {
                reference_error = Some(e);
                String::new()
            }
        },
        payment_id.as_deref(),
    );
    if let Some(e) = reference_error {
        return Err(e);
    }
    let taken = taken.map_err(|e| match e {
        HoldError::SlotFull => slot_full(),
        HoldError::AlreadyBooked {
            passport_position,
            branch,
            date,
        } => {
            let passport = seat
                .applicants
                .get(passport_position)
                .map(|a| a.passport.number.masked())
                .unwrap_or_default();
            conflict(
                "already-booked",
                "This passport already has a booking",
                format!(
                    "{} {passport}: {}, {}.",
                    Localized::new(
                        "Bu hyzmat üçin işjeň nobaty eýýäm bar bolan pasport",
                        "У паспорта уже есть действующая запись на эту услугу",
                        "This passport already has an active booking for this service",
                    )
                    .get(language),
                    branch.get(language),
                    date.format("%d.%m.%Y")
                ),
            )
        }
        HoldError::Database(e) => e.into(),
    })?;
    // The answer is made from what was just written, without reading it back.
    let record = store::BookingRecord {
        id: taken.id,
        reference: taken.reference.clone(),
        status: hold.status.to_owned(),
        language: hold.language.to_owned(),
        seats: i16::try_from(hold.applicants.len()).unwrap_or(i16::MAX),
        fee_minor: hold.fee_minor,
        hold_expires_at: hold.hold_expires_at,
        manage_token_hash: hold.manage_token_hash.clone(),
        created_at: taken.created_at,
        starts_at: hold.starts_at,
        ends_at: hold.ends_at,
        branch_code: branch.code.clone(),
        branch_name: branch.name(),
        branch_address: Localized::new(&branch.address_tk, &branch.address_ru, &branch.address_en),
        service_code: service.code.clone(),
        service_name: Localized::new(&service.name_tk, &service.name_ru, &service.name_en),
        applicants: hold
            .applicants
            .into_iter()
            .map(|a| store::ApplicantRecord {
                surname: a.surname,
                given_name: a.given_name,
                patronymic: a.patronymic,
                date_of_birth: a.date_of_birth,
                phone: a.phone,
                passport_number: a.passport_number,
                fee_minor: a.fee_minor,
            })
            .collect(),
        payment: payment_id
            .as_ref()
            .map(|_| (PaymentStatus::New.code().to_owned(), None)),
    };
    let view = view_of(&record);
    Ok(BookingCreated {
        reference: view.reference.clone(),
        status: view.status,
        hold_expires_at: view.hold_expires_at,
        fee: view.fee,
        manage_token: token,
        payment: payment_id.map(|id| payment_link(public_url, &id)),
        booking: view,
    })
}

/// A new card payment for a held booking, and the link that starts it.
pub(crate) fn new_payment(
    conn: &mut diesel::PgConnection,
    booking_id: i64,
    reference: &str,
    amount_minor: i64,
    public_url: &str,
) -> Result<PaymentLink, ApiError> {
    let public_id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<18>()?);
    crate::db::payments::create_payment(conn, booking_id, reference, amount_minor, &public_id)?;
    Ok(payment_link(public_url, &public_id))
}

/// The link that starts a payment.
fn payment_link(public_url: &str, public_id: &str) -> PaymentLink {
    PaymentLink {
        pay_url: format!(
            "{public_url}{}/payments/{public_id}/pay",
            crate::routes::API_BASE
        ),
    }
}

pub(crate) fn token_of(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The booking's view for the holder of its manage token.
pub(crate) async fn owner_view(
    request: &HttpRequest,
    pool: web::Data<PgPool>,
    reference: String,
) -> Result<BookingView, ApiError> {
    let token = token_of(request);
    web::block(move || {
        let mut conn = pool.get()?;
        let record = authorised(&mut conn, token.as_deref(), &reference)?;
        let mut view = view_of(&record);
        view.queue = crate::db::queue::position_of(&mut conn, record.id)?;
        Ok(view)
    })
    .await?
}

pub(crate) fn status_of(stored: &str) -> BookingStatus {
    serde_json::from_value(serde_json::Value::String(stored.to_owned()))
        .unwrap_or(BookingStatus::Expired)
}

pub(crate) fn view_of(record: &store::BookingRecord) -> BookingView {
    let offset = |t: chrono::DateTime<Utc>| {
        t.with_timezone(&nobat_domain::calendar::ZONE)
            .fixed_offset()
    };
    BookingView {
        reference: record.reference.clone(),
        status: status_of(&record.status),
        language: Language::parse(&record.language).unwrap_or_default(),
        branch: NamedRef {
            code: record.branch_code.clone(),
            name: record.branch_name.clone(),
            address: Some(record.branch_address.clone()),
        },
        service: NamedRef {
            code: record.service_code.clone(),
            name: record.service_name.clone(),
            address: None,
        },
        start: offset(record.starts_at),
        end: offset(record.ends_at),
        arrive_by: offset(record.starts_at - Duration::minutes(10)),
        seats: u8::try_from(record.seats).unwrap_or(0),
        fee: Money::tmt(record.fee_minor),
        hold_expires_at: record.hold_expires_at.map(offset),
        applicants: record
            .applicants
            .iter()
            .map(|a| ApplicantSummary {
                full_name: [
                    Some(a.surname.as_str()),
                    Some(a.given_name.as_str()),
                    a.patronymic.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
                passport: PassportNumber::parse(&a.passport_number)
                    .map(|p| p.masked())
                    .unwrap_or_else(|_| "***".into()),
                fee: Money::tmt(a.fee_minor),
            })
            .collect(),
        payment: record
            .payment
            .as_ref()
            .map(|(status, card)| PaymentSummary {
                status: PaymentStatus::parse(status).unwrap_or(PaymentStatus::Declined),
                card: card.clone(),
            }),
        queue: None,
    }
}

/// The booking for a reference, if the request carries its manage token. A wrong token and an
/// unknown reference look the same, so references cannot be probed.
pub(crate) fn authorised(
    conn: &mut diesel::PgConnection,
    token: Option<&str>,
    reference: &str,
) -> Result<store::BookingRecord, ApiError> {
    let not_found = || ApiError::not_found("No booking with this reference and token.");
    let reference = BookingReference::parse(reference).map_err(|_| not_found())?;
    let token = token.ok_or_else(not_found)?;
    let record = store::find_booking(conn, reference.as_str())?.ok_or_else(not_found)?;
    let presented = Sha256::digest(token.as_bytes());
    let same = presented.len() == record.manage_token_hash.len()
        && presented
            .iter()
            .zip(&record.manage_token_hash)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(record)
    } else {
        Err(not_found())
    }
}

/// A booking, for its owner.
#[utoipa::path(
    tag = "bookings",
    operation_id = "get_booking",
    params(
        ("reference" = String, Path, description = "The booking reference", example = "AG7-K3Q-9XF"),
        ("X-Booking-Token" = String, Header, description = "The manage token given when the booking was made"),
    ),
    responses(
        (status = 200, description = "The booking", body = BookingView),
        (status = 404, description = "No booking with this reference and token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/bookings/{reference}")]
pub async fn get_booking(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = owner_view(&request, pool, reference.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// Cancel a booking (before the change cut-off, by default 2 hours before the slot).
#[utoipa::path(
    tag = "bookings",
    operation_id = "cancel_booking",
    params(
        ("reference" = String, Path, description = "The booking reference", example = "AG7-K3Q-9XF"),
        ("X-Booking-Token" = String, Header, description = "The manage token given when the booking was made"),
    ),
    responses(
        (status = 200, description = "Cancelled; the seat is free again and a paid fee is refunded to the card (`payment.status` `refunded`, or `refund_pending` while the acquirer is retried)", body = BookingView),
        (status = 404, description = "No booking with this reference and token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-cancellable`: the booking has ended or the cut-off has passed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable, or the write could not be finished within `NOBAT_REQUEST_DEADLINE_MS` of the request (10 s by default) and was rolled back: nothing was changed, so the request can be repeated as it was", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/{reference}/cancel")]
pub async fn cancel_booking(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    policy: web::Data<BookingPolicy>,
    payments: web::Data<Payments>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cutoff = policy.change_cutoff;
    let deadline = crate::db::Deadline::after(policy.deadline);
    let token = token_of(&request);
    let view = web::block(move || {
        let mut conn = pool.get()?;
        let record = authorised(&mut conn, token.as_deref(), &reference)?;
        let language = Language::parse(&record.language).unwrap_or_default();
        let refuse = |tk: &str, ru: &str, en: &str| {
            conflict(
                "not-cancellable",
                "The booking cannot be cancelled",
                Localized::new(tk, ru, en).get(language).to_owned(),
            )
        };
        if !status_of(&record.status).can_become(BookingStatus::Cancelled) {
            return Err(refuse(
                "Bu nobat eýýäm tamamlandy ýa-da ýatyryldy.",
                "Эта запись уже завершена или отменена.",
                "This booking has already ended or been cancelled.",
            ));
        }
        if Utc::now() > record.starts_at - cutoff {
            return Err(refuse(
                "Nobaty ýatyrmak üçin möhlet geçdi.",
                "Срок для отмены записи истёк.",
                "It is too late to cancel this booking.",
            ));
        }
        let Some(refunds) = crate::db::transaction_before(&mut conn, deadline, |conn| {
            Ok(store::cancel_booking(
                conn,
                record.id,
                "citizen",
                "cancelled by the citizen",
            )?)
        })?
        else {
            return Err(refuse(
                "Bu nobat eýýäm tamamlandy ýa-da ýatyryldy.",
                "Эта запись уже завершена или отменена.",
                "This booking has already ended or been cancelled.",
            ));
        };
        drop(conn);
        // The money goes back now; if the acquirer does not answer, the reconciler retries.
        for payment in refunds {
            if let Err(e) = crate::payments::flow::refund(&pool, &payments, payment) {
                tracing::warn!(payment, error = %e, "refund on cancel deferred to the reconciler");
            }
        }
        let mut conn = pool.get()?;
        let record = store::find_booking(&mut conn, &record.reference)?
            .ok_or_else(|| ApiError::internal("a cancelled booking vanished"))?;
        Ok::<_, ApiError>(view_of(&record))
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// `POST /api/v1/bookings/{reference}/reschedule`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"start": "2026-12-03T10:00:00+05:00"}))]
pub struct RescheduleRequest {
    /// The new slot's start, RFC 3339, at the same branch and for the same service.
    pub start: String,
}

/// Move a booking to another time at the same branch (before the change cut-off).
///
/// The new seats are taken and the old ones released in one transaction; a payment made for the
/// booking carries over.
#[utoipa::path(
    tag = "bookings",
    operation_id = "reschedule_booking",
    request_body = RescheduleRequest,
    params(
        ("reference" = String, Path, description = "The booking reference", example = "AG7-K3Q-9XF"),
        ("X-Booking-Token" = String, Header, description = "The manage token given when the booking was made"),
    ),
    responses(
        (status = 200, description = "Moved", body = BookingView),
        (status = 404, description = "No booking with this reference and token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-changeable`: ended or past the cut-off; `slot-full`; `slot-unavailable`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`start` is not a date and time", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable, or the write could not be finished within `NOBAT_REQUEST_DEADLINE_MS` of the request (10 s by default) and was rolled back: nothing was changed, so the request can be repeated as it was", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/{reference}/reschedule")]
pub async fn reschedule_booking(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    policy: web::Data<BookingPolicy>,
    reference: web::Path<String>,
    body: web::Json<RescheduleRequest>,
) -> Result<HttpResponse, ApiError> {
    let cutoff = policy.change_cutoff;
    let deadline = crate::db::Deadline::after(policy.deadline);
    let token = token_of(&request);
    let start = chrono::DateTime::parse_from_rfc3339(body.start.trim())
        .map(|s| s.with_timezone(&Utc))
        .map_err(|_| {
            ApiError::invalid(
                [(
                    "start".to_owned(),
                    "must be a date and time such as 2026-12-01T09:00:00+05:00".to_owned(),
                )]
                .into(),
            )
        })?;
    let view = web::block(move || {
        let mut conn = pool.get()?;
        let record = authorised(&mut conn, token.as_deref(), &reference)?;
        let language = Language::parse(&record.language).unwrap_or_default();
        let say =
            |tk: &str, ru: &str, en: &str| Localized::new(tk, ru, en).get(language).to_owned();
        let not_changeable = || {
            conflict(
                "not-changeable",
                "The booking cannot be changed",
                say(
                    "Bu nobaty indi üýtgedip bolmaýar.",
                    "Эту запись уже нельзя изменить.",
                    "This booking can no longer be changed.",
                ),
            )
        };
        if !matches!(
            status_of(&record.status),
            BookingStatus::Held | BookingStatus::Confirmed
        ) || Utc::now() > record.starts_at - cutoff
        {
            return Err(not_changeable());
        }
        let now = Utc::now();
        let branch = catalog::find_branch(&mut conn, &record.branch_code)?
            .ok_or_else(|| ApiError::not_found("The booking's branch is closed."))?;
        let service = catalog::find_service(&mut conn, &record.service_code)?
            .ok_or_else(|| ApiError::not_found("The booking's service is withdrawn."))?;
        let day = local_date(start);
        let days = catalog::availability_between(
            &mut conn,
            &branch,
            &service,
            DateRange { from: day, to: day },
            now,
        )?
        .unwrap_or_default();
        let Some(slot) = days
            .iter()
            .flat_map(|d| d.slots.iter())
            .find(|s| s.start.with_timezone(&Utc) == start)
        else {
            return Err(conflict(
                "slot-unavailable",
                "Not a bookable time",
                say(
                    "Bu wagt ýazylyp bolýan wagt däl.",
                    "Это время нельзя забронировать.",
                    "This is not a bookable time.",
                ),
            ));
        };
        crate::db::transaction_before(&mut conn, deadline, |conn| {
            store::reschedule_booking(
                conn,
                record.id,
                start,
                slot.end.with_timezone(&Utc),
                i32::try_from(slot.capacity).unwrap_or(i32::MAX),
            )
            .map_err(|e| match e {
                RescheduleError::NotChangeable => not_changeable(),
                RescheduleError::SlotFull => conflict(
                    "slot-full",
                    "The time is fully booked",
                    say(
                        "Bu wagtda boş orun galmady.",
                        "На это время свободных мест нет.",
                        "There are no seats left at this time.",
                    ),
                ),
                RescheduleError::Database(e) => e.into(),
            })
        })?;
        let record = store::find_booking(&mut conn, &record.reference)?
            .ok_or_else(|| ApiError::internal("a rescheduled booking vanished"))?;
        Ok::<_, ApiError>(view_of(&record))
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// The booking as an iCalendar event for the citizen's calendar, in the booking's language.
#[utoipa::path(
    tag = "bookings",
    operation_id = "get_booking_ics",
    params(
        ("reference" = String, Path, description = "The booking reference", example = "AG7-K3Q-9XF"),
        ("X-Booking-Token" = String, Header, description = "The manage token given when the booking was made"),
    ),
    responses(
        (status = 200, description = "An RFC 5545 calendar with one event and a reminder an hour before", content_type = "text/calendar", body = String),
        (status = 404, description = "No booking with this reference and token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/bookings/{reference}/ticket.ics")]
pub async fn get_booking_ics(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = owner_view(&request, pool, reference.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"nobat-{}.ics\"", view.reference),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(nobat_domain::ticket::ics(&view, Utc::now())))
}
