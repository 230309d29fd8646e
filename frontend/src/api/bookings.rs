//! `/api/v1/bookings`: hold seats (`POST /bookings`, with an `Idempotency-Key`), recover the
//! manage token with passport data, and everything its holder does with it (`X-Booking-Token`,
//! never in a URL): look, pay, cancel, reschedule, and take the ticket away.

use super::{percent_encode, read_json, read_text, request, send, send_json, ApiError};
use gloo_net::http::{Method, RequestBuilder};
use nobat_domain::booking_api::{BookingCreated, BookingRequest, BookingView, PaymentLink};
use nobat_domain::Language;
use serde::{Deserialize, Serialize};

const TOKEN_HEADER: &str = "X-Booking-Token";

fn owner_path(reference: &str, rest: &str) -> String {
    format!("/bookings/{}{rest}", percent_encode(reference))
}

fn as_owner(
    method: Method,
    reference: &str,
    rest: &str,
    token: &str,
    language: Language,
) -> RequestBuilder {
    request(method, &owner_path(reference, rest), language).header(TOKEN_HEADER, token)
}

/// A [`BookingRequest`] as the JSON text sent: a retry sends these very bytes again.
pub fn booking_body(request: &BookingRequest) -> String {
    serde_json::to_string(request).unwrap_or_default()
}

/// Holds seats (`body` from [`booking_body`]); repeating the call with the same
/// `idempotency_key` and body gives the same answer.
pub async fn create(
    body: &str,
    idempotency_key: &str,
    language: Language,
) -> Result<BookingCreated, ApiError> {
    let request = request(Method::POST, "/bookings", language)
        .header("Idempotency-Key", idempotency_key)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .map_err(|e| ApiError::Unreadable(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read_json(response).await
}

pub async fn fetch(
    reference: &str,
    token: &str,
    language: Language,
) -> Result<BookingView, ApiError> {
    read_json(send(as_owner(Method::GET, reference, "", token, language)).await?).await
}

pub async fn cancel(
    reference: &str,
    token: &str,
    language: Language,
) -> Result<BookingView, ApiError> {
    read_json(
        send(as_owner(
            Method::POST,
            reference,
            "/cancel",
            token,
            language,
        ))
        .await?,
    )
    .await
}

#[derive(Serialize)]
struct Reschedule<'a> {
    start: &'a str,
}

/// Moves the booking to the slot starting at `start` (RFC 3339).
pub async fn reschedule(
    reference: &str,
    token: &str,
    start: &str,
    language: Language,
) -> Result<BookingView, ApiError> {
    let builder = as_owner(Method::POST, reference, "/reschedule", token, language);
    read_json(send_json(builder, &Reschedule { start }).await?).await
}

/// Starts a card payment for a held booking: where to send the citizen.
pub async fn pay(
    reference: &str,
    token: &str,
    language: Language,
) -> Result<PaymentLink, ApiError> {
    read_json(
        send(as_owner(
            Method::POST,
            reference,
            "/payment",
            token,
            language,
        ))
        .await?,
    )
    .await
}

/// The ticket (QR code and details) as SVG text.
pub async fn ticket_svg(
    reference: &str,
    token: &str,
    language: Language,
) -> Result<String, ApiError> {
    read_text(
        send(as_owner(
            Method::GET,
            reference,
            "/ticket.svg",
            token,
            language,
        ))
        .await?,
    )
    .await
}

/// The booking as an iCalendar file.
pub async fn ticket_ics(
    reference: &str,
    token: &str,
    language: Language,
) -> Result<String, ApiError> {
    read_text(
        send(as_owner(
            Method::GET,
            reference,
            "/ticket.ics",
            token,
            language,
        ))
        .await?,
    )
    .await
}

#[derive(Serialize)]
struct RecoverRequest<'a> {
    reference: &'a str,
    passport_number: &'a str,
    date_of_birth: &'a str,
}

#[derive(Deserialize)]
pub struct Recovered {
    pub reference: String,
    pub manage_token: String,
}

/// Why the manage token could not be recovered.
#[derive(Debug, Clone, PartialEq)]
pub enum RecoverError {
    /// No booking has this reference with a person of this passport and birth date.
    NoMatch,
    /// Too many attempts; try again after so many seconds, when the server says.
    TooMany(Option<u32>),
    Failed(ApiError),
}

/// The manage token of a booking, for a person on it.
pub async fn recover(
    reference: &str,
    passport_number: &str,
    date_of_birth: &str,
    language: Language,
) -> Result<Recovered, RecoverError> {
    let body = RecoverRequest {
        reference,
        passport_number,
        date_of_birth,
    };
    let response = send_json(request(Method::POST, "/bookings/recover", language), &body)
        .await
        .map_err(RecoverError::Failed)?;
    match response.status() {
        404 => Err(RecoverError::NoMatch),
        429 => Err(RecoverError::TooMany(
            response
                .headers()
                .get("retry-after")
                .and_then(|seconds| seconds.trim().parse().ok()),
        )),
        _ => read_json(response).await.map_err(RecoverError::Failed),
    }
}
