//! Paying for a booking by card: the pay link that registers the order and sends the browser to
//! the acquirer's card page, the return from it, the acquirer's signed callback, and a new
//! payment attempt for a held booking.

use super::bookings::{authorised, conflict, new_payment, token_of};
use crate::db::payments::{self as store, PaymentRow};
use crate::db::PgPool;
use crate::error::ApiError;
use crate::payments::{flow, NewOrder, Payments};
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use nobat_domain::booking_api::PaymentLink;
use nobat_domain::payment::PaymentStatus;
use nobat_domain::wire::Problem;
use nobat_domain::{Language, Localized};
use std::collections::BTreeMap;

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// The citizen's booking page in the SPA, with the payment's outcome.
/// Back to the SPA's page of what was paid for (`/my-booking/{reference}` or
/// `/apply/{number}`) with the outcome.
fn booking_page(payments: &Payments, row: &PaymentRow, outcome: &str) -> HttpResponse {
    see_other(format!(
        "{}{}?payment={outcome}",
        payments.public_url,
        row.page()
    ))
}

fn outcome_word(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Paid => "paid",
        PaymentStatus::Declined => "declined",
        PaymentStatus::RefundPending | PaymentStatus::Refunded => "refunded",
        PaymentStatus::New | PaymentStatus::Pending => "pending",
    }
}

async fn load(pool: &web::Data<PgPool>, public_id: String) -> Result<PaymentRow, ApiError> {
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        store::by_public_id(&mut conn, &public_id).map_err(ApiError::from)
    })
    .await??
    .ok_or_else(|| ApiError::not_found("No such payment."))
}

/// Go to the card page for a payment (the `pay_url` of a booking).
///
/// Registers the order with the acquirer on first use (`register.do`, amount in teňňe, currency
/// 934, the hold's remaining time as the card page's session) and redirects the browser to the
/// acquirer's card page. A payment already settled, or a hold already lapsed, redirects to the
/// booking's page in the SPA with `?payment=paid|declined|refunded|expired|unavailable`.
#[utoipa::path(
    tag = "payments",
    operation_id = "pay",
    params(("payment" = String, Path, description = "The payment's public id from `pay_url`", example = "q3JxV0nB7cTgk2LpZ8aW1sYd")),
    responses(
        (status = 303, description = "To the acquirer's card page, or to `/my-booking/{reference}?payment=…` (`/apply/{number}?payment=…` for an application's fee)",
            headers(("Location" = String, description = "Where to go next"))),
        (status = 404, description = "No such payment", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/payments/{payment}/pay")]
pub async fn pay(
    pool: web::Data<PgPool>,
    payments: web::Data<Payments>,
    payment: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let public_id = payment.into_inner();
    for _ in 0..10 {
        let row = load(&pool, public_id.clone()).await?;
        match row.status() {
            PaymentStatus::Pending => {
                return Ok(match (&row.form_url, row.hold_is_live(Utc::now())) {
                    (Some(url), true) => see_other(url.clone()),
                    _ => booking_page(&payments, &row, "expired"),
                });
            }
            PaymentStatus::New => {
                if !row.hold_is_live(Utc::now()) {
                    return Ok(booking_page(&payments, &row, "expired"));
                }
                let (pool2, id) = (pool.clone(), row.id);
                let claimed = web::block(move || {
                    let mut conn = pool2.get()?;
                    store::claim_registration(&mut conn, id).map_err(ApiError::from)
                })
                .await??;
                if !claimed {
                    // Another click is registering this payment right now.
                    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
                    continue;
                }
                return register(&pool, &payments, row).await;
            }
            settled => {
                return Ok(booking_page(&payments, &row, outcome_word(settled)));
            }
        }
    }
    Err(ApiError::unavailable(
        "The payment is being prepared; try the link again in a moment.",
    ))
}

async fn register(
    pool: &web::Data<PgPool>,
    payments: &web::Data<Payments>,
    row: PaymentRow,
) -> Result<HttpResponse, ApiError> {
    let return_url = format!(
        "{}{}/payments/{}/return",
        payments.public_url,
        super::API_BASE,
        row.public_id
    );
    let seconds_left = row
        .hold_expires_at
        .map_or(60, |t| (t - Utc::now()).num_seconds())
        .max(60);
    let (pool, payments2) = (pool.clone(), payments.clone());
    let back = row.clone();
    let registered = web::block(move || {
        let description = format!("Nobat {}", row.reference);
        let answer = payments2.acquirer.register(&NewOrder {
            order_number: &row.order_number,
            amount_minor: row.amount_minor,
            return_url: &return_url,
            language: &row.language,
            description: &description,
            session_timeout_secs: seconds_left,
        });
        let mut conn = pool.get()?;
        match answer {
            Ok(order) => {
                store::mark_registered(&mut conn, row.id, &order.order_id, &order.form_url)?;
                Ok::<_, ApiError>(Ok(order.form_url))
            }
            Err(e) => {
                tracing::warn!(payment = row.id, error = %e, "registering a payment failed");
                store::release_registration(&mut conn, row.id, &e.to_string())?;
                Ok(Err(()))
            }
        }
    })
    .await??;
    Ok(match registered {
        Ok(form_url) => see_other(form_url),
        Err(()) => booking_page(payments, &back, "unavailable"),
    })
}

/// The acquirer's return and fail URL.
///
/// Asks the acquirer for the order's status (`getOrderStatusExtended.do`; paid only when
/// `errorCode` is 0 and `orderStatus` is 2), settles the booking, and redirects the browser to
/// `/my-booking/{reference}?payment=paid|declined|refunded|pending`.
#[utoipa::path(
    tag = "payments",
    operation_id = "payment_return",
    params(
        ("payment" = String, Path, description = "The payment's public id"),
        ("orderId" = Option<String>, Query, description = "Appended by the acquirer; not trusted, the status is asked for"),
    ),
    responses(
        (status = 303, description = "To the booking's (or application's) page in the SPA", headers(("Location" = String, description = "`/my-booking/{reference}?payment=…` or `/apply/{number}?payment=…`"))),
        (status = 404, description = "No such payment", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/payments/{payment}/return")]
pub async fn payment_return(
    pool: web::Data<PgPool>,
    payments: web::Data<Payments>,
    payment: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&pool, payment.into_inner()).await?;
    let Some(order_id) = row.acquirer_order_id.clone() else {
        return Ok(booking_page(&payments, &row, "pending"));
    };
    let (pool2, payments2, id) = (pool.clone(), payments.clone(), row.id);
    let after =
        web::block(move || flow::check_and_settle(&pool2, &payments2, id, &order_id, "return"))
            .await?;
    // The acquirer not answering now is not the citizen's problem: the callback or the
    // reconciler settles it; the page shows "pending".
    let word = after.map_or("pending", outcome_word);
    Ok(booking_page(&payments, &row, word))
}

/// The acquirer's callback notification.
///
/// Parameters `mdOrder`, `orderNumber`, `operation`, `status` and `checksum`: the uppercase hex
/// HMAC-SHA256, under the shared callback key, of every other parameter sorted by name as
/// `name;value;`. A verified callback makes Nobat ask the acquirer for the order's status and
/// settle it; repeating a callback changes nothing.
#[utoipa::path(
    tag = "payments",
    operation_id = "payment_callback",
    params(
        ("mdOrder" = String, Query, description = "The acquirer's order id"),
        ("orderNumber" = String, Query, description = "Nobat's order number"),
        ("operation" = String, Query, description = "deposited, refunded, reversed, declinedByTimeout…"),
        ("status" = String, Query, description = "1 succeeded, 0 failed"),
        ("checksum" = String, Query, description = "HMAC-SHA256 of the other parameters"),
    ),
    responses(
        (status = 200, description = "Received and settled", body = Object, example = json!({"received": true, "status": "paid"})),
        (status = 403, description = "The checksum does not match", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No payment has this order", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database or the acquirer is unavailable; the acquirer retries", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/payments/callback")]
pub async fn payment_callback(
    pool: web::Data<PgPool>,
    payments: web::Data<Payments>,
    query: web::Query<BTreeMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner();
    if !payments.acquirer.verify_callback(&params) {
        return Err(ApiError::Forbidden {
            detail: "The callback's checksum does not match its parameters.".into(),
        });
    }
    let order_id = params.get("mdOrder").cloned().unwrap_or_default();
    let (pool2, payments2) = (pool.clone(), payments.clone());
    let status = web::block(move || {
        let row = {
            let mut conn = pool2.get()?;
            store::by_order_id(&mut conn, &order_id)?
        }
        .ok_or_else(|| ApiError::not_found("No payment has this order."))?;
        flow::check_and_settle(&pool2, &payments2, row.id, &order_id, "callback")
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({"received": true, "status": status})))
}

/// Start another card payment for a held booking (after a decline, or when the first link was
/// lost). Any earlier attempt that still succeeds is refunded automatically.
#[utoipa::path(
    tag = "bookings",
    operation_id = "start_booking_payment",
    params(
        ("reference" = String, Path, description = "The booking reference", example = "AG7-K3Q-9XF"),
        ("X-Booking-Token" = String, Header, description = "The manage token given when the booking was made"),
    ),
    responses(
        (status = 201, description = "Open `pay_url` in the citizen's browser", body = PaymentLink),
        (status = 404, description = "No booking with this reference and token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-payable`: the booking is not held (already paid, lapsed or cancelled)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/{reference}/payment")]
pub async fn start_booking_payment(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    payments: web::Data<Payments>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token_of(&request);
    let public_url = payments.public_url.clone();
    let link = web::block(move || {
        let mut conn = pool.get()?;
        let record = authorised(&mut conn, token.as_deref(), &reference)?;
        let language = Language::parse(&record.language).unwrap_or_default();
        let live =
            record.status == "held" && record.hold_expires_at.is_some_and(|t| t > Utc::now());
        if !live || store::has_paid(&mut conn, record.id)? {
            return Err(conflict(
                "not-payable",
                "Nothing to pay",
                Localized::new(
                    "Bu nobat töleg garaşmaýar: eýýäm tölenen, möhleti geçen ýa-da ýatyrylan.",
                    "Эта запись не ожидает оплаты: уже оплачена, истекла или отменена.",
                    "This booking is not awaiting payment: it is paid, lapsed or cancelled.",
                )
                .get(language)
                .to_owned(),
            ));
        }
        new_payment(
            &mut conn,
            record.id,
            &record.reference,
            record.fee_minor,
            &public_url,
        )
    })
    .await??;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(link))
}
