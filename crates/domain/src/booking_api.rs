//! The booking API's request and answers, and the parsing of a request into a [`SeatRequest`]
//! the server can act on. Every problem is reported by field path, in the request's language.

use crate::booking::{
    parse_applicant, Applicant, ApplicantInput, BookingStatus, FieldErrors, MAX_APPLICANTS,
};
use crate::calendar::local_date;
use crate::catalog::Code;
use crate::{Language, Localized, Money};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/bookings`. Give either `applicant` (one person) or `applicants` (1 to 5 people
/// booked together, e.g. a family): all take seats in the same slot, or none does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "branch": "dashoguz", "service": "passport-international", "start": "2026-12-01T09:00:00+05:00", "language": "tk",
    "applicant": {"surname": "Amanow", "given_name": "Merdan", "patronymic": "Batyrowiç", "date_of_birth": "1990-05-17",
        "phone": "+993 65 123456", "email": "merdan@example.tm",
        "passport": {"number": "A1234567", "issued_on": "2019-03-01", "issued_by": "Aşgabat", "expires_on": "2029-03-01"}}
})))]
pub struct BookingRequest {
    /// Branch code.
    pub branch: String,
    /// Service code.
    pub service: String,
    /// The slot's start, RFC 3339 as the availability endpoint gives it.
    pub start: String,
    /// `tk` (default), `ru` or `en`: the language of the ticket, messages and errors.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub applicant: Option<ApplicantInput>,
    #[serde(default)]
    pub applicants: Option<Vec<ApplicantInput>>,
}

/// A booking request that passed every check that needs no database.
#[derive(Debug, Clone)]
pub struct SeatRequest {
    pub branch: Code,
    pub service: Code,
    pub start: DateTime<Utc>,
    pub language: Language,
    pub applicants: Vec<Applicant>,
}

fn say(language: Language, tk: &str, ru: &str, en: &str) -> String {
    Localized::new(tk, ru, en).get(language).to_owned()
}

/// Parses a request; `fallback` is the language of `Accept-Language` when the body names none.
pub fn parse_booking_request(
    request: &BookingRequest,
    today: NaiveDate,
    fallback: Language,
) -> Result<SeatRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let language = match request
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        None => fallback,
        Some(raw) => match Language::parse(raw) {
            Ok(l) => l,
            Err(_) => {
                errors.insert(
                    "language".into(),
                    say(
                        fallback,
                        "tk, ru ýa-da en bolmaly",
                        "должен быть tk, ru или en",
                        "must be tk, ru or en",
                    ),
                );
                fallback
            }
        },
    };
    let code = |field: &str, raw: &str, errors: &mut FieldErrors| match Code::parse(raw.trim()) {
        Ok(code) => Some(code),
        Err(_) => {
            let message = if raw.trim().is_empty() {
                say(
                    language,
                    "hökman görkezilmeli",
                    "обязательное поле",
                    "is required",
                )
            } else {
                say(
                    language,
                    "nädogry kod",
                    "неверный код",
                    "is not a valid code",
                )
            };
            errors.insert(field.into(), message);
            None
        }
    };
    let branch = code("branch", &request.branch, &mut errors);
    let service = code("service", &request.service, &mut errors);
    let start = match DateTime::parse_from_rfc3339(request.start.trim()) {
        Ok(start) => Some(start.with_timezone(&Utc)),
        Err(_) => {
            errors.insert(
                "start".into(),
                say(
                    language,
                    "2026-12-01T09:00:00+05:00 ýaly sene we wagt bolmaly",
                    "должно быть датой и временем вида 2026-12-01T09:00:00+05:00",
                    "must be a date and time such as 2026-12-01T09:00:00+05:00",
                ),
            );
            None
        }
    };
    let appointment_day = start.map(local_date).unwrap_or(today);
    let (inputs, prefix): (Vec<&ApplicantInput>, Option<&str>) =
        match (&request.applicant, &request.applicants) {
            (Some(one), None) => (vec![one], Some("applicant")),
            (None, Some(many)) if (1..=MAX_APPLICANTS).contains(&many.len()) => {
                (many.iter().collect(), None)
            }
            (None, Some(_)) => {
                errors.insert(
                    "applicants".into(),
                    say(
                        language,
                        "1-den 5-e çenli adam bolmaly",
                        "от 1 до 5 человек",
                        "must list 1 to 5 people",
                    ),
                );
                (vec![], None)
            }
            (Some(_), Some(_)) => {
                errors.insert(
                    "applicants".into(),
                    say(
                        language,
                        "applicant ýa-da applicants, ikisi däl",
                        "applicant или applicants, но не оба",
                        "give applicant or applicants, not both",
                    ),
                );
                (vec![], None)
            }
            (None, None) => {
                errors.insert(
                    "applicant".into(),
                    say(
                        language,
                        "hökman görkezilmeli",
                        "обязательное поле",
                        "is required",
                    ),
                );
                (vec![], None)
            }
        };
    let mut applicants = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let path = prefix.map_or_else(|| format!("applicants[{i}]"), str::to_owned);
        if let Some(applicant) =
            parse_applicant(input, &path, today, appointment_day, language, &mut errors)
        {
            applicants.push(applicant);
        }
    }
    for (i, a) in applicants.iter().enumerate() {
        if applicants[..i]
            .iter()
            .any(|b| b.passport.number == a.passport.number)
        {
            let path = prefix.map_or_else(|| format!("applicants[{i}]"), str::to_owned);
            errors.insert(
                format!("{path}.passport.number"),
                say(
                    language,
                    "bu pasport eýýäm sanawda bar",
                    "этот паспорт уже в списке",
                    "this passport is already in the list",
                ),
            );
        }
    }
    match (branch, service, start) {
        (Some(branch), Some(service), Some(start)) if errors.is_empty() => Ok(SeatRequest {
            branch,
            service,
            start,
            language,
            applicants,
        }),
        _ => Err(errors),
    }
}

/// Where the citizen pays (present while a fee is due and card payment is available).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLink {
    /// Open this URL in the citizen's browser: it leads to the acquirer's card page and back to
    /// `/my-booking/{reference}?payment=…`.
    pub pay_url: String,
}

/// A branch or service as named on a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedRef {
    pub code: String,
    pub name: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Localized>,
}

/// A person on a booking, as much as the owner needs to recognise them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantSummary {
    pub full_name: String,
    /// The passport number with all but its last three characters hidden.
    pub passport: String,
    pub fee: Money,
}

/// A booking, as `GET /api/v1/bookings/{reference}` shows it to its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingView {
    pub reference: String,
    pub status: BookingStatus,
    pub language: Language,
    pub branch: NamedRef,
    pub service: NamedRef,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: DateTime<FixedOffset>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end: DateTime<FixedOffset>,
    /// Come by this time (10 minutes early); late arrivals lose the booking.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub arrive_by: DateTime<FixedOffset>,
    pub seats: u8,
    /// The sum of the applicants' fees.
    pub fee: Money,
    /// While `held`: when the seat is released unless paid.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub hold_expires_at: Option<DateTime<FixedOffset>>,
    pub applicants: Vec<ApplicantSummary>,
    /// The latest card payment for the booking; absent when nothing was ever to be paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentSummary>,
    /// Once checked in at the branch: the queue number, how many are ahead and the estimated
    /// wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueuePosition>,
}

/// Where a checked-in citizen is in the branch's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuePosition {
    /// The ticket number of the day, e.g. `A-017`.
    pub number: String,
    /// waiting, called, serving, served, no_show or cancelled.
    pub status: String,
    /// Citizens ahead (while waiting).
    pub ahead: u32,
    /// Estimated minutes until called (while waiting and counters are open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_minutes: Option<u32>,
    /// The counter to go to, once called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<i32>,
}

/// A booking's latest card payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentSummary {
    pub status: crate::payment::PaymentStatus,
    /// The card, masked (first six and last four digits), once the acquirer reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
}

/// The answer to a successful `POST /api/v1/bookings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingCreated {
    pub reference: String,
    pub status: BookingStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub hold_expires_at: Option<DateTime<FixedOffset>>,
    pub fee: Money,
    /// The secret that opens this booking (`X-Booking-Token`). Shown once; keep it.
    pub manage_token: String,
    /// Where to send the citizen to pay by card; absent when nothing is to be paid. Unpaid when
    /// the hold expires, the booking lapses and its seat is released.
    pub payment: Option<PaymentLink>,
    pub booking: BookingView,
}
