//! Getting back into a booking without its link: reference + passport number + date of birth
//! give a new manage token. Rate-limited per client address and per reference, in PostgreSQL so
//! that every instance counts the same attempts.

use super::bookings::{random_bytes, request_language};
use crate::db::bookings as store;
use crate::db::{limits, PgPool};
use crate::error::ApiError;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine as _;
use nobat_domain::identity::{parse_iso_date, BookingReference, PassportNumber};
use nobat_domain::wire::Problem;
use nobat_domain::Localized;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Attempts per client address per hour, and per reference per 15 minutes.
const PER_ADDRESS: (i32, i64) = (20, 3600);
const PER_REFERENCE: (i32, i64) = (5, 900);

/// `POST /api/v1/bookings/recover`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"reference": "AG7-K3Q-9XF", "passport_number": "A1234567", "date_of_birth": "1990-05-17"}))]
pub struct RecoverRequest {
    pub reference: String,
    /// The passport number of any person on the booking.
    pub passport_number: String,
    /// That person's date of birth, `YYYY-MM-DD`.
    pub date_of_birth: String,
}

/// A new manage token for a booking.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"reference": "AG7-K3Q-9XF", "manage_token": "pQ3l0V-0kJY1nmb0cZ3Vb8d5n7Ks2Wq9xH4tY6uR1eA"}))]
pub struct Recovered {
    pub reference: String,
    /// The new secret for `X-Booking-Token`; earlier links stop working.
    pub manage_token: String,
}

/// Recover access to a booking with its reference and a person's passport number and date of
/// birth.
///
/// A wrong reference, passport or date all answer the same 404, and attempts are limited
/// (20 per client address per hour, 5 per reference per 15 minutes: 429 with `Retry-After`).
#[utoipa::path(
    tag = "bookings",
    operation_id = "recover_booking",
    request_body = RecoverRequest,
    responses(
        (status = 200, description = "A new manage token", body = Recovered),
        (status = 404, description = "No booking matches these details", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not a reference, passport number or date", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see `Retry-After`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/recover")]
pub async fn recover_booking(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    body: web::Json<RecoverRequest>,
) -> Result<HttpResponse, ApiError> {
    let language = request_language(&request);
    let mut errors = BTreeMap::new();
    let reference = BookingReference::parse(&body.reference)
        .map_err(|e| errors.insert("reference".to_owned(), e.message(language)))
        .ok();
    let passport = PassportNumber::parse(&body.passport_number)
        .map_err(|e| errors.insert("passport_number".to_owned(), e.message(language)))
        .ok();
    let born = parse_iso_date(&body.date_of_birth);
    if born.is_none() {
        errors.insert(
            "date_of_birth".to_owned(),
            Localized::new(
                "ÝÝÝÝ-AA-GG görnüşinde sene bolmaly",
                "дата в виде ГГГГ-ММ-ДД",
                "must be a date such as 1990-05-17",
            )
            .get(language)
            .to_owned(),
        );
    }
    let (Some(reference), Some(passport), Some(born)) = (reference, passport, born) else {
        return Err(ApiError::invalid(errors));
    };
    let address = crate::client::address(&request);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let hash = Sha256::digest(token.as_bytes()).to_vec();
    let answer = web::block(move || {
        let mut conn = pool.get()?;
        for (bucket, (limit, window)) in [
            (format!("recover:address:{address}"), PER_ADDRESS),
            (
                format!("recover:reference:{}", reference.as_str()),
                PER_REFERENCE,
            ),
        ] {
            if let Err(retry_after_secs) = limits::hit(&mut conn, &bucket, limit, window)? {
                return Err(ApiError::RateLimited { retry_after_secs });
            }
        }
        let no_match = || {
            ApiError::not_found(
                Localized::new(
                    "Bu maglumatlara laýyk nobat tapylmady.",
                    "Запись с такими данными не найдена.",
                    "No booking matches these details.",
                )
                .get(language),
            )
        };
        let record = store::find_booking(&mut conn, reference.as_str())?.ok_or_else(no_match)?;
        let matches = record
            .applicants
            .iter()
            .any(|a| a.passport_number == passport.as_str() && a.date_of_birth == born);
        if !matches {
            return Err(no_match());
        }
        store::replace_manage_token(&mut conn, record.id, &hash)?;
        Ok(Recovered {
            reference: record.reference,
            manage_token: token,
        })
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}
