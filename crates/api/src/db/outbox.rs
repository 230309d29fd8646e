//! The outbox: claiming the messages that are due (safe with many instances: `FOR UPDATE SKIP
//! LOCKED` and a lease through `next_attempt_at`), recording how delivery went, the facts a
//! message states about its booking, and queuing reminders the day before a visit.

use super::schema::{bookings, branches, services, slots};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz};
use nobat_domain::calendar::{local_date, local_instant};
use nobat_domain::notification::Facts;
use nobat_domain::{Localized, Money};

/// After this many attempts a message is no longer tried (about two hours of retries).
pub const MAX_ATTEMPTS: i32 = 8;

/// A message claimed for delivery. Its `next_attempt_at` is already pushed back by the backoff,
/// so if this instance dies before recording the outcome, another retries it later.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub booking_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub channel: String,
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub template: String,
    #[diesel(sql_type = Text)]
    pub language: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    /// Attempts so far, this one included.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

/// Claims up to `limit` due messages, oldest first: one statement, so two instances (or two
/// threads) never claim the same row. The backoff doubles from 30 s up to an hour.
pub fn claim_due(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<Claimed>> {
    let mut claimed: Vec<Claimed> = diesel::sql_query(
        "UPDATE outbox SET attempts = attempts + 1,
                next_attempt_at = now() + least(interval '30 seconds' * power(2, attempts),
                                                interval '1 hour')
         WHERE id IN (SELECT id FROM outbox
                      WHERE delivered_at IS NULL AND next_attempt_at <= now() AND attempts < $1
                      ORDER BY id LIMIT $2
                      FOR UPDATE SKIP LOCKED)
         RETURNING id, booking_id, channel, recipient, template, language, payload, attempts",
    )
    .bind::<Integer, _>(MAX_ATTEMPTS)
    .bind::<BigInt, _>(limit)
    .load(conn)?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// The secret of a webhook still registered.
pub fn webhook_secret(conn: &mut PgConnection, webhook: i64) -> QueryResult<Option<String>> {
    use super::schema::webhooks;
    webhooks::table
        .filter(webhooks::id.eq(i32::try_from(webhook).unwrap_or(-1)))
        .filter(webhooks::active.eq(true))
        .select(webhooks::secret)
        .first(conn)
        .optional()
}

pub fn mark_delivered(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::sql_query("UPDATE outbox SET delivered_at = now(), last_error = NULL WHERE id = $1")
        .bind::<BigInt, _>(id)
        .execute(conn)
        .map(|_| ())
}

/// Records a failed attempt; the backoff set when it was claimed decides the next one.
pub fn mark_failed(conn: &mut PgConnection, id: i64, error: &str) -> QueryResult<()> {
    diesel::sql_query("UPDATE outbox SET last_error = $2 WHERE id = $1")
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(error)
        .execute(conn)
        .map(|_| ())
}

/// Records a failure that retrying cannot fix (an unknown template, a vanished booking).
pub fn give_up(conn: &mut PgConnection, id: i64, error: &str) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE outbox SET last_error = $2, attempts = greatest(attempts, $3) WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(error)
    .bind::<Integer, _>(MAX_ATTEMPTS)
    .execute(conn)
    .map(|_| ())
}

/// What messages say about a booking, as it is now.
pub fn booking_facts(conn: &mut PgConnection, booking_id: i64) -> QueryResult<Option<Facts>> {
    type Row = (
        String,
        i64,
        DateTime<Utc>,
        (String, String, String),
        (String, String, String),
        (String, String, String),
    );
    let row: Option<Row> = bookings::table
        .inner_join(slots::table)
        .inner_join(branches::table)
        .inner_join(services::table)
        .filter(bookings::id.eq(booking_id))
        .select((
            bookings::reference,
            bookings::fee_minor,
            slots::starts_at,
            (branches::name_tk, branches::name_ru, branches::name_en),
            (
                branches::address_tk,
                branches::address_ru,
                branches::address_en,
            ),
            (services::name_tk, services::name_ru, services::name_en),
        ))
        .first(conn)
        .optional()?;
    Ok(
        row.map(|(reference, fee, start, branch, address, service)| Facts {
            reference,
            branch_name: Localized::new(branch.0, branch.1, branch.2),
            branch_address: Localized::new(address.0, address.1, address.2),
            service_name: Localized::new(service.0, service.1, service.2),
            start,
            fee: Money::tmt(fee),
            amount: None,
        }),
    )
}

/// Queues a `booking_reminder` (SMS, and email when given, to the first applicant) for every
/// confirmed booking whose slot starts tomorrow in Ashgabat (as seen at `now`) and that has not
/// been reminded, marking it reminded in the same statement: running it on several instances at
/// once queues each reminder once. Returns the number of messages queued.
pub fn queue_reminders(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    let tomorrow = local_date(now) + Duration::days(1);
    let from = local_instant(tomorrow, NaiveTime::MIN).with_timezone(&Utc);
    let to = local_instant(tomorrow + Duration::days(1), NaiveTime::MIN).with_timezone(&Utc);
    diesel::sql_query(
        "WITH due AS (
             UPDATE bookings b SET reminder_queued_at = now()
             FROM slots s
             WHERE s.id = b.slot_id AND b.status = 'confirmed' AND b.reminder_queued_at IS NULL
               AND s.starts_at >= $1 AND s.starts_at < $2
             RETURNING b.id, b.reference, b.language, s.starts_at)
         INSERT INTO outbox (booking_id, channel, recipient, template, language, payload)
         SELECT due.id, m.channel, m.recipient, 'booking_reminder', due.language,
                jsonb_build_object('reference', due.reference, 'starts_at', due.starts_at)
         FROM due
         JOIN booking_applicants a
           ON a.booking_id = due.id
          AND a.position = (SELECT min(position) FROM booking_applicants WHERE booking_id = due.id)
         CROSS JOIN LATERAL (VALUES ('sms', a.phone), ('email', a.email)) AS m (channel, recipient)
         WHERE m.recipient IS NOT NULL",
    )
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .execute(conn)
}
