//! Payments in PostgreSQL. Settling an acquirer's answer happens in one transaction with the
//! payment and its booking locked, so callbacks, returns and the reconciler on any number of
//! instances can race on the same order and the outcome is still applied exactly once.

use super::bookings::notify_first_applicant;
use super::schema::{
    booking_applicants, booking_events, bookings, payment_events, payments, slots,
};
use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use nobat_domain::booking::BookingStatus;
use nobat_domain::payment::{settle_paid, OrderOutcome, PaidSettlement, PaymentStatus};

/// A payment with what its handlers need to know about what it pays for: a booking (the
/// reference, its status and hold) or a passport application (its number and status).
#[derive(Debug, Clone, QueryableByName)]
pub struct PaymentRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub public_id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub booking_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub application_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub order_number: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub acquirer_order_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub form_url: Option<String>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub amount_minor: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub status: String,
    /// The booking's reference or the application's number.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub reference: String,
    /// The booking's or the application's status.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub subject_status: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub language: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    pub hold_expires_at: Option<DateTime<Utc>>,
}

impl PaymentRow {
    pub fn status(&self) -> PaymentStatus {
        PaymentStatus::parse(&self.status).unwrap_or(PaymentStatus::Declined)
    }

    /// Whether what the payment is for still waits for it right now: a booking's hold is live,
    /// or an application is a draft.
    pub fn hold_is_live(&self, now: DateTime<Utc>) -> bool {
        if self.application_id.is_some() {
            return self.subject_status == "draft";
        }
        self.subject_status == "held" && self.hold_expires_at.is_some_and(|t| t > now)
    }

    /// The SPA page the citizen returns to.
    pub fn page(&self) -> String {
        if self.application_id.is_some() {
            format!("/apply/{}", self.reference)
        } else {
            format!("/my-booking/{}", self.reference)
        }
    }
}

fn row_where(
    conn: &mut PgConnection,
    condition: &str,
    bind: RowKey,
) -> QueryResult<Option<PaymentRow>> {
    let query = diesel::sql_query(format!(
        "SELECT p.id, p.public_id, p.booking_id, p.application_id, p.order_number,
                p.acquirer_order_id, p.form_url, p.amount_minor, p.status,
                COALESCE(b.reference, a.number) AS reference,
                COALESCE(b.status, a.status) AS subject_status,
                COALESCE(b.language, a.language) AS language,
                b.hold_expires_at
         FROM payments p
         LEFT JOIN bookings b ON b.id = p.booking_id
         LEFT JOIN passport_applications a ON a.id = p.application_id
         WHERE {condition}"
    ));
    match bind {
        RowKey::Text(text) => query
            .bind::<diesel::sql_types::Text, _>(text)
            .get_result(conn)
            .optional(),
        RowKey::Id(id) => query
            .bind::<diesel::sql_types::BigInt, _>(id)
            .get_result(conn)
            .optional(),
    }
}

enum RowKey<'a> {
    Text(&'a str),
    Id(i64),
}

/// A new payment for a held booking; its order number is the reference and the attempt.
pub fn create_payment(
    conn: &mut PgConnection,
    booking_id: i64,
    reference: &str,
    amount_minor: i64,
    public_id: &str,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        let attempts: i64 = payments::table
            .filter(payments::booking_id.eq(booking_id))
            .count()
            .get_result(conn)?;
        diesel::insert_into(payments::table)
            .values((
                payments::public_id.eq(public_id),
                payments::booking_id.eq(booking_id),
                payments::order_number.eq(format!("{reference}-{}", attempts + 1)),
                payments::amount_minor.eq(amount_minor),
                payments::status.eq(PaymentStatus::New.code()),
            ))
            .execute(conn)
            .map(|_| ())
    })
}

/// A new payment of an application's state fee; its order number is the application number
/// and the attempt.
pub fn create_application_payment(
    conn: &mut PgConnection,
    application_id: i64,
    number: &str,
    amount_minor: i64,
    public_id: &str,
) -> QueryResult<()> {
    let attempts: i64 = payments::table
        .filter(payments::application_id.eq(application_id))
        .count()
        .get_result(conn)?;
    diesel::insert_into(payments::table)
        .values((
            payments::public_id.eq(public_id),
            payments::application_id.eq(application_id),
            payments::order_number.eq(format!("{number}-{}", attempts + 1)),
            payments::amount_minor.eq(amount_minor),
            payments::status.eq(PaymentStatus::New.code()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The latest payment of an application: public id, status and masked card.
pub fn latest_for_application(
    conn: &mut PgConnection,
    application_id: i64,
) -> QueryResult<Option<(String, String, Option<String>)>> {
    payments::table
        .filter(payments::application_id.eq(application_id))
        .order(payments::id.desc())
        .select((payments::public_id, payments::status, payments::masked_pan))
        .first(conn)
        .optional()
}

pub fn by_public_id(conn: &mut PgConnection, public_id: &str) -> QueryResult<Option<PaymentRow>> {
    row_where(conn, "p.public_id = $1", RowKey::Text(public_id))
}

pub fn by_order_id(conn: &mut PgConnection, order_id: &str) -> QueryResult<Option<PaymentRow>> {
    row_where(conn, "p.acquirer_order_id = $1", RowKey::Text(order_id))
}

pub fn by_id(conn: &mut PgConnection, id: i64) -> QueryResult<Option<PaymentRow>> {
    row_where(conn, "p.id = $1", RowKey::Id(id))
}

/// The latest payment of a booking: status and masked card.
pub fn latest_for_booking(
    conn: &mut PgConnection,
    booking_id: i64,
) -> QueryResult<Option<(String, Option<String>)>> {
    payments::table
        .filter(payments::booking_id.eq(booking_id))
        .order(payments::id.desc())
        .select((payments::status, payments::masked_pan))
        .first(conn)
        .optional()
}

/// Whether any payment of the booking is paid (so no new one may start).
pub fn has_paid(conn: &mut PgConnection, booking_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        payments::table
            .filter(payments::booking_id.eq(booking_id))
            .filter(payments::status.eq(PaymentStatus::Paid.code())),
    ))
    .get_result(conn)
}

/// Reserves a `new` payment for registration with the acquirer (for 20 seconds), so two clicks
/// on the pay link do not register two orders.
pub fn claim_registration(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    diesel::sql_query(
        "UPDATE payments SET checked_at = now()
         WHERE id = $1 AND status = 'new'
           AND (checked_at IS NULL OR checked_at < now() - interval '20 seconds')",
    )
    .bind::<diesel::sql_types::BigInt, _>(id)
    .execute(conn)
    .map(|n| n == 1)
}

/// Registration failed: free the claim so the citizen can try again at once.
pub fn release_registration(conn: &mut PgConnection, id: i64, note: &str) -> QueryResult<()> {
    diesel::update(payments::table.filter(payments::id.eq(id)))
        .set(payments::checked_at.eq(None::<DateTime<Utc>>))
        .execute(conn)?;
    event(conn, id, "register", None, "new", note)
}

pub fn mark_registered(
    conn: &mut PgConnection,
    id: i64,
    order_id: &str,
    form_url: &str,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(
            payments::table
                .filter(payments::id.eq(id))
                .filter(payments::status.eq("new")),
        )
        .set((
            payments::acquirer_order_id.eq(Some(order_id)),
            payments::form_url.eq(Some(form_url)),
            payments::status.eq(PaymentStatus::Pending.code()),
            payments::checked_at.eq(Some(Utc::now())),
        ))
        .execute(conn)?;
        event(
            conn,
            id,
            "register",
            None,
            "pending",
            "registered with the acquirer",
        )
    })
}

/// What the acquirer said about an order.
#[derive(Debug, Clone)]
pub struct Observed {
    pub outcome: OrderOutcome,
    pub error_code: String,
    pub order_status: Option<i64>,
    pub action_code: Option<i64>,
    pub amount_minor: Option<i64>,
    pub masked_pan: Option<String>,
}

pub(crate) fn event(
    conn: &mut PgConnection,
    payment_id: i64,
    source: &str,
    observed: Option<&Observed>,
    status_after: &str,
    note: &str,
) -> QueryResult<()> {
    diesel::insert_into(payment_events::table)
        .values((
            payment_events::payment_id.eq(payment_id),
            payment_events::source.eq(source),
            payment_events::error_code.eq(observed.map(|o| o.error_code.clone())),
            payment_events::order_status
                .eq(observed.and_then(|o| o.order_status).map(|s| s as i32)),
            payment_events::action_code.eq(observed.and_then(|o| o.action_code).map(|s| s as i32)),
            payment_events::amount_minor.eq(observed.and_then(|o| o.amount_minor)),
            payment_events::masked_pan.eq(observed.and_then(|o| o.masked_pan.clone())),
            payment_events::status_after.eq(status_after),
            payment_events::note.eq(note),
        ))
        .execute(conn)
        .map(|_| ())
}

fn booking_event(
    conn: &mut PgConnection,
    booking_id: i64,
    from: &str,
    to: &str,
    note: &str,
) -> QueryResult<()> {
    diesel::insert_into(booking_events::table)
        .values((
            booking_events::booking_id.eq(booking_id),
            booking_events::actor.eq("payments"),
            booking_events::from_status.eq(Some(from)),
            booking_events::to_status.eq(to),
            booking_events::note.eq(note),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Applies what the acquirer said to a payment and its booking, once: money for a held seat
/// confirms the booking; money for a lapsed hold takes the seat again if it is still free;
/// any other money is marked for refund. Returns the payment's status afterwards.
pub fn settle(
    conn: &mut PgConnection,
    payment_id: i64,
    observed: &Observed,
    source: &str,
) -> QueryResult<PaymentStatus> {
    conn.transaction(|conn| {
        let (booking_id, application_id, status, amount, order_id): Subject = payments::table
            .filter(payments::id.eq(payment_id))
            .select((
                payments::booking_id,
                payments::application_id,
                payments::status,
                payments::amount_minor,
                payments::acquirer_order_id,
            ))
            .for_update()
            .first(conn)?;
        let subject = PaidFor::of(booking_id, application_id);
        let current = PaymentStatus::parse(&status).unwrap_or(PaymentStatus::Declined);
        diesel::update(payments::table.filter(payments::id.eq(payment_id)))
            .set(payments::checked_at.eq(Some(Utc::now())))
            .execute(conn)?;
        let next = match observed.outcome {
            OrderOutcome::Paid if current.can_become(PaymentStatus::Paid) => match subject {
                PaidFor::Booking(booking_id) => {
                    paid(conn, payment_id, booking_id, amount, observed)?
                }
                PaidFor::Application(id) => {
                    super::applications::paid(conn, payment_id, id, amount, observed)?
                }
            },
            OrderOutcome::Declined if current.can_become(PaymentStatus::Declined) => {
                set_status(conn, payment_id, PaymentStatus::Declined)?;
                PaymentStatus::Declined
            }
            OrderOutcome::Refunded
                if matches!(current, PaymentStatus::Paid | PaymentStatus::RefundPending) =>
            {
                mark_refunded_in(conn, payment_id, subject, amount)?;
                PaymentStatus::Refunded
            }
            _ => current,
        };
        if next != current || order_id.is_some() {
            let note = if next == current {
                "no change".to_owned()
            } else {
                format!("{} -> {}", current.code(), next.code())
            };
            event(conn, payment_id, source, Some(observed), next.code(), &note)?;
        }
        Ok(next)
    })
}

type Subject = (Option<i64>, Option<i64>, String, i64, Option<String>);

/// What a payment pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidFor {
    Booking(i64),
    Application(i64),
}

impl PaidFor {
    fn of(booking_id: Option<i64>, application_id: Option<i64>) -> PaidFor {
        match (booking_id, application_id) {
            (Some(id), _) => PaidFor::Booking(id),
            (None, Some(id)) => PaidFor::Application(id),
            // The table's CHECK makes exactly one of them set.
            (None, None) => PaidFor::Application(0),
        }
    }
}

pub(crate) fn set_status(
    conn: &mut PgConnection,
    payment_id: i64,
    status: PaymentStatus,
) -> QueryResult<()> {
    diesel::update(payments::table.filter(payments::id.eq(payment_id)))
        .set(payments::status.eq(status.code()))
        .execute(conn)
        .map(|_| ())
}

fn paid(
    conn: &mut PgConnection,
    payment_id: i64,
    booking_id: i64,
    amount: i64,
    observed: &Observed,
) -> QueryResult<PaymentStatus> {
    diesel::update(payments::table.filter(payments::id.eq(payment_id)))
        .set((
            payments::status.eq(PaymentStatus::Paid.code()),
            payments::paid_at.eq(Some(Utc::now())),
            payments::masked_pan.eq(observed.masked_pan.clone()),
        ))
        .execute(conn)?;
    let (status, slot_id, seats, language): (String, i64, i16, String) = bookings::table
        .filter(bookings::id.eq(booking_id))
        .select((
            bookings::status,
            bookings::slot_id,
            bookings::seats,
            bookings::language,
        ))
        .for_update()
        .first(conn)?;
    let booking_status = BookingStatus::parse(&status).unwrap_or(BookingStatus::Expired);
    let short = observed.amount_minor.is_some_and(|a| a < amount);
    let settlement = if short {
        PaidSettlement::Refund
    } else {
        settle_paid(booking_status)
    };
    let confirmed = match settlement {
        PaidSettlement::Confirm => {
            diesel::update(bookings::table.filter(bookings::id.eq(booking_id)))
                .set((
                    bookings::status.eq("confirmed"),
                    bookings::hold_expires_at.eq(None::<DateTime<Utc>>),
                ))
                .execute(conn)?;
            booking_event(conn, booking_id, "held", "confirmed", "paid by card")?;
            true
        }
        PaidSettlement::RetakeSeatOrRefund => retake_seat(conn, booking_id, slot_id, seats)?,
        PaidSettlement::Refund => false,
    };
    if confirmed {
        let reference: String = bookings::table
            .filter(bookings::id.eq(booking_id))
            .select(bookings::reference)
            .first(conn)?;
        notify_first_applicant(
            conn,
            booking_id,
            "booking_confirmed",
            &language,
            serde_json::json!({ "reference": reference }),
        )?;
        Ok(PaymentStatus::Paid)
    } else {
        set_status(conn, payment_id, PaymentStatus::RefundPending)?;
        Ok(PaymentStatus::RefundPending)
    }
}

/// The hold lapsed before the money came: take the seat again (and the passports) if both
/// are still free; all or nothing.
fn retake_seat(
    conn: &mut PgConnection,
    booking_id: i64,
    slot_id: i64,
    seats: i16,
) -> QueryResult<bool> {
    let attempt = conn.transaction::<bool, DieselError, _>(|conn| {
        let seats = i32::from(seats);
        let taken = diesel::update(slots::table)
            .filter(slots::id.eq(slot_id))
            .filter((slots::taken + seats).le(slots::capacity))
            .filter(slots::starts_at.gt(diesel::dsl::now))
            .set(slots::taken.eq(slots::taken + seats))
            .execute(conn)?;
        if taken == 0 {
            return Err(DieselError::RollbackTransaction);
        }
        diesel::update(
            booking_applicants::table.filter(booking_applicants::booking_id.eq(booking_id)),
        )
        .set(booking_applicants::active.eq(true))
        .execute(conn)?;
        diesel::update(bookings::table.filter(bookings::id.eq(booking_id)))
            .set(bookings::status.eq("confirmed"))
            .execute(conn)?;
        booking_event(
            conn,
            booking_id,
            "expired",
            "confirmed",
            "paid after the hold lapsed; the seat was still free",
        )?;
        Ok(true)
    });
    match attempt {
        Ok(done) => Ok(done),
        Err(DieselError::RollbackTransaction)
        | Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Inside a cancellation: every paid payment of the booking is to be refunded.
pub fn refund_paid_payments(
    conn: &mut PgConnection,
    booking_id: i64,
    note: &str,
) -> QueryResult<Vec<i64>> {
    let ids: Vec<i64> = diesel::update(
        payments::table
            .filter(payments::booking_id.eq(booking_id))
            .filter(payments::status.eq(PaymentStatus::Paid.code())),
    )
    .set(payments::status.eq(PaymentStatus::RefundPending.code()))
    .returning(payments::id)
    .get_results(conn)?;
    for id in &ids {
        event(conn, *id, "settle", None, "refund_pending", note)?;
    }
    Ok(ids)
}

/// Claims a pending refund for one attempt (for a minute): the acquirer's order and amount.
pub fn claim_refund(
    conn: &mut PgConnection,
    payment_id: i64,
) -> QueryResult<Option<(String, i64)>> {
    diesel::update(
        payments::table
            .filter(payments::id.eq(payment_id))
            .filter(payments::status.eq(PaymentStatus::RefundPending.code()))
            .filter(
                payments::refund_claimed_at
                    .is_null()
                    .or(payments::refund_claimed_at.lt(Utc::now() - chrono::Duration::minutes(1))),
            ),
    )
    .set(payments::refund_claimed_at.eq(Some(Utc::now())))
    .returning((payments::acquirer_order_id, payments::amount_minor))
    .get_result::<(Option<String>, i64)>(conn)
    .optional()
    .map(|r| r.and_then(|(order, amount)| order.map(|o| (o, amount))))
}

/// The acquirer refunded: record it and tell the citizen.
pub fn mark_refunded(conn: &mut PgConnection, payment_id: i64, note: &str) -> QueryResult<()> {
    conn.transaction(|conn| {
        let row: Option<(Option<i64>, Option<i64>, i64)> = payments::table
            .filter(payments::id.eq(payment_id))
            .filter(payments::status.eq_any(["paid", "refund_pending"]))
            .select((
                payments::booking_id,
                payments::application_id,
                payments::amount_minor,
            ))
            .for_update()
            .first(conn)
            .optional()?;
        if let Some((booking_id, application_id, amount)) = row {
            let subject = PaidFor::of(booking_id, application_id);
            mark_refunded_in(conn, payment_id, subject, amount)?;
            event(conn, payment_id, "refund", None, "refunded", note)?;
        }
        Ok(())
    })
}

fn mark_refunded_in(
    conn: &mut PgConnection,
    payment_id: i64,
    subject: PaidFor,
    amount: i64,
) -> QueryResult<()> {
    diesel::update(payments::table.filter(payments::id.eq(payment_id)))
        .set((
            payments::status.eq(PaymentStatus::Refunded.code()),
            payments::refunded_at.eq(Some(Utc::now())),
        ))
        .execute(conn)?;
    let PaidFor::Booking(booking_id) = subject else {
        return Ok(());
    };
    let language: String = bookings::table
        .filter(bookings::id.eq(booking_id))
        .select(bookings::language)
        .first(conn)?;
    notify_first_applicant(
        conn,
        booking_id,
        "payment_refunded",
        &language,
        serde_json::json!({ "amount_minor": amount }),
    )
}

/// A refund attempt failed; it stays pending and is retried.
pub fn refund_failed(conn: &mut PgConnection, payment_id: i64, note: &str) -> QueryResult<()> {
    event(conn, payment_id, "refund", None, "refund_pending", note)
}

/// Open payments (id, acquirer order id) to ask about, and payment ids to refund.
pub type DueForReconciliation = (Vec<(i64, String)>, Vec<i64>);

/// Payments the reconciler should ask the acquirer about: registered at least `min_age` ago
/// and not checked within `min_age`, and refunds still to make.
pub fn due_for_reconciliation(
    conn: &mut PgConnection,
    min_age: chrono::Duration,
    limit: i64,
) -> QueryResult<DueForReconciliation> {
    let before = Utc::now() - min_age;
    let open: Vec<(i64, Option<String>)> = payments::table
        .filter(payments::status.eq(PaymentStatus::Pending.code()))
        .filter(payments::created_at.le(before))
        .filter(
            payments::checked_at
                .is_null()
                .or(payments::checked_at.le(before)),
        )
        .order(payments::checked_at.asc().nulls_first())
        .select((payments::id, payments::acquirer_order_id))
        .limit(limit)
        .load(conn)?;
    let refunds: Vec<i64> = payments::table
        .filter(payments::status.eq(PaymentStatus::RefundPending.code()))
        .order(payments::id)
        .select(payments::id)
        .limit(limit)
        .load(conn)?;
    Ok((
        open.into_iter()
            .filter_map(|(id, order)| order.map(|o| (id, o)))
            .collect(),
        refunds,
    ))
}
