//! Holding, confirming and cancelling seats. Capacity and "one active booking per passport" are
//! settled by PostgreSQL inside one transaction: a conditional `UPDATE` on the slot row (backed
//! by `CHECK (taken <= capacity)`) and a partial unique index, never by reading and then writing.

use super::schema::{booking_applicants, booking_events, bookings, branches, outbox, slots};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Integer, Text, Timestamptz};
use nobat_domain::Localized;
use std::collections::HashMap;

/// A seat request, already validated by the domain.
#[derive(Debug, Clone)]
pub struct NewHold {
    pub branch_id: i32,
    pub service_id: i32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Seats the slot has (counters serving the service, capped by the hall).
    pub capacity: i32,
    /// `held` (a fee to pay) or `confirmed` (nothing to pay).
    pub status: &'static str,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub fee_minor: i64,
    pub language: &'static str,
    pub manage_token_hash: Vec<u8>,
    pub applicants: Vec<NewApplicant>,
}

#[derive(Debug, Clone)]
pub struct NewApplicant {
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub date_of_birth: NaiveDate,
    pub phone: String,
    pub email: Option<String>,
    pub passport_number: String,
    pub passport_issued_on: NaiveDate,
    pub passport_issued_by: String,
    pub passport_expires_on: NaiveDate,
    pub fee_minor: i64,
}

/// Why a hold was refused.
#[derive(Debug)]
pub enum HoldError {
    /// Every seat of the slot is taken.
    SlotFull,
    /// A passport already has an active booking for this service, at this branch and date.
    AlreadyBooked {
        passport_position: usize,
        branch: Localized,
        date: NaiveDate,
    },
    Database(DieselError),
}

impl From<DieselError> for HoldError {
    fn from(e: DieselError) -> Self {
        HoldError::Database(e)
    }
}

/// Ends every hold whose time is up (optionally only those of one slot or some passports):
/// status `expired`, seats back to the slot, passports free again, an event for each.
pub fn expire_lapsed_holds(
    conn: &mut PgConnection,
    only_slot: Option<i64>,
    only_passports: Option<(&[String], i32)>,
) -> QueryResult<usize> {
    let (passports, service_id) = only_passports
        .map(|(p, s)| (p.to_vec(), s))
        .unwrap_or_default();
    diesel::sql_query(
        "WITH lapsed AS (
             UPDATE bookings SET status = 'expired', hold_expires_at = NULL
             WHERE status = 'held' AND hold_expires_at <= now()
               AND ($1 IS NULL OR slot_id = $1)
               AND ($2 = 0 OR id IN (SELECT booking_id FROM booking_applicants
                                     WHERE active AND service_id = $2 AND passport_number = ANY($3)))
             RETURNING id, slot_id, seats),
         freed AS (
             UPDATE slots SET taken = slots.taken - l.seats
             FROM (SELECT slot_id, sum(seats)::int AS seats FROM lapsed GROUP BY slot_id) l
             WHERE slots.id = l.slot_id),
         released AS (
             UPDATE booking_applicants SET active = false
             WHERE booking_id IN (SELECT id FROM lapsed))
         INSERT INTO booking_events (booking_id, actor, from_status, to_status, note)
         SELECT id, 'system', 'held', 'expired', 'the hold lapsed before payment' FROM lapsed",
    )
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(only_slot)
    .bind::<Integer, _>(service_id)
    .bind::<diesel::sql_types::Array<Text>, _>(passports)
    .execute(conn)
}

/// Takes the seats and writes the booking, its applicants, its first event and (when confirmed
/// at once) its notifications, all or nothing. `next_reference` is asked again on the rare
/// clash of references.
pub fn hold_seats(
    conn: &mut PgConnection,
    hold: &NewHold,
    mut next_reference: impl FnMut() -> String,
) -> Result<(i64, String), HoldError> {
    conn.transaction(|conn| {
        let passports: Vec<String> = hold
            .applicants
            .iter()
            .map(|a| a.passport_number.clone())
            .collect();
        let slot_id = slot_row(
            conn,
            hold.branch_id,
            hold.service_id,
            hold.starts_at,
            hold.ends_at,
            hold.capacity,
        )?;
        // A seat is free the moment its hold lapses: settle lapsed holds of this slot and of
        // these passports before deciding.
        expire_lapsed_holds(conn, Some(slot_id), None)?;
        expire_lapsed_holds(conn, None, Some((&passports, hold.service_id)))?;
        let seats = hold.applicants.len() as i32;
        let taken = diesel::update(slots::table)
            .filter(slots::id.eq(slot_id))
            .filter((slots::taken + seats).le(slots::capacity))
            .set(slots::taken.eq(slots::taken + seats))
            .execute(conn)?;
        if taken == 0 {
            return Err(HoldError::SlotFull);
        }
        let (booking_id, reference) = insert_booking(conn, hold, slot_id, &mut next_reference)?;
        insert_applicants(conn, hold, booking_id)?;
        diesel::insert_into(booking_events::table)
            .values((
                booking_events::booking_id.eq(booking_id),
                booking_events::actor.eq("citizen"),
                booking_events::to_status.eq(hold.status),
                booking_events::note.eq(match hold.status {
                    "confirmed" => "booked; no fee to pay",
                    _ => "seat held until payment",
                }),
            ))
            .execute(conn)?;
        if hold.status == "confirmed" {
            notify_first_applicant(
                conn,
                booking_id,
                "booking_confirmed",
                hold.language,
                serde_json::json!({ "reference": reference, "starts_at": hold.starts_at }),
            )?;
        }
        Ok((booking_id, reference))
    })
}

/// Whether the slot at `starts_at` already has a row that cannot take `seats` more and no lapsed
/// hold that would free a seat: the answer `hold_seats` would give (it decides on the same
/// stored capacity), found in one statement before anything else is computed. On the morning a
/// day is released most attempts end here.
pub fn slot_is_full(
    conn: &mut PgConnection,
    branch_id: i32,
    service_id: i32,
    starts_at: DateTime<Utc>,
    seats: i32,
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Full {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        full: bool,
    }
    diesel::sql_query(
        "SELECT EXISTS (
           SELECT 1 FROM slots s
            WHERE s.branch_id = $1 AND s.service_id = $2 AND s.starts_at = $3
              AND s.taken + $4 > s.capacity
              AND NOT EXISTS (SELECT 1 FROM bookings b
                               WHERE b.slot_id = s.id AND b.status = 'held'
                                 AND b.hold_expires_at <= now())) AS full",
    )
    .bind::<Integer, _>(branch_id)
    .bind::<Integer, _>(service_id)
    .bind::<Timestamptz, _>(starts_at)
    .bind::<Integer, _>(seats)
    .get_result::<Full>(conn)
    .map(|f| f.full)
}

/// The id of the slot row for a start, created (with `capacity`) on first use.
fn slot_row(
    conn: &mut PgConnection,
    branch_id: i32,
    service_id: i32,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: i32,
) -> QueryResult<i64> {
    diesel::insert_into(slots::table)
        .values((
            slots::branch_id.eq(branch_id),
            slots::service_id.eq(service_id),
            slots::starts_at.eq(starts_at),
            slots::ends_at.eq(ends_at),
            slots::capacity.eq(capacity),
        ))
        .on_conflict((slots::branch_id, slots::service_id, slots::starts_at))
        .do_nothing()
        .execute(conn)?;
    slots::table
        .filter(slots::branch_id.eq(branch_id))
        .filter(slots::service_id.eq(service_id))
        .filter(slots::starts_at.eq(starts_at))
        .select(slots::id)
        .first(conn)
}

/// Queues a message about a booking to its first applicant, by SMS and (when given) by email,
/// in the caller's transaction.
pub(crate) fn notify_first_applicant(
    conn: &mut PgConnection,
    booking_id: i64,
    template: &str,
    language: &str,
    payload: serde_json::Value,
) -> QueryResult<()> {
    let contact: Option<(String, Option<String>)> = booking_applicants::table
        .filter(booking_applicants::booking_id.eq(booking_id))
        .order(booking_applicants::position)
        .select((booking_applicants::phone, booking_applicants::email))
        .first(conn)
        .optional()?;
    let Some((phone, email)) = contact else {
        return Ok(());
    };
    let rows: Vec<_> = [Some(("sms", phone)), email.map(|e| ("email", e))]
        .into_iter()
        .flatten()
        .map(|(channel, recipient)| {
            (
                outbox::booking_id.eq(Some(booking_id)),
                outbox::channel.eq(channel),
                outbox::recipient.eq(recipient),
                outbox::template.eq(template.to_owned()),
                outbox::language.eq(language.to_owned()),
                outbox::payload.eq(payload.clone()),
            )
        })
        .collect();
    diesel::insert_into(outbox::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}

fn insert_booking(
    conn: &mut PgConnection,
    hold: &NewHold,
    slot_id: i64,
    next_reference: &mut impl FnMut() -> String,
) -> Result<(i64, String), HoldError> {
    for _ in 0..5 {
        let reference = next_reference();
        let attempt = conn.transaction(|conn| {
            diesel::insert_into(bookings::table)
                .values((
                    bookings::reference.eq(&reference),
                    bookings::branch_id.eq(hold.branch_id),
                    bookings::service_id.eq(hold.service_id),
                    bookings::slot_id.eq(slot_id),
                    bookings::seats.eq(hold.applicants.len() as i16),
                    bookings::status.eq(hold.status),
                    bookings::language.eq(hold.language),
                    bookings::fee_minor.eq(hold.fee_minor),
                    bookings::hold_expires_at.eq(hold.hold_expires_at),
                    bookings::manage_token_hash.eq(&hold.manage_token_hash),
                ))
                .returning(bookings::id)
                .get_result::<i64>(conn)
        });
        match attempt {
            Ok(id) => return Ok((id, reference)),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(HoldError::Database(DieselError::RollbackTransaction))
}

fn insert_applicants(
    conn: &mut PgConnection,
    hold: &NewHold,
    booking_id: i64,
) -> Result<(), HoldError> {
    for (position, a) in hold.applicants.iter().enumerate() {
        // ON CONFLICT DO NOTHING rather than a caught unique violation: PostgreSQL would write
        // the violating key, a passport number, to its server log.
        let inserted = diesel::insert_into(booking_applicants::table)
            .values((
                booking_applicants::booking_id.eq(booking_id),
                booking_applicants::position.eq(position as i16),
                booking_applicants::service_id.eq(hold.service_id),
                booking_applicants::surname.eq(&a.surname),
                booking_applicants::given_name.eq(&a.given_name),
                booking_applicants::patronymic.eq(&a.patronymic),
                booking_applicants::date_of_birth.eq(a.date_of_birth),
                booking_applicants::phone.eq(&a.phone),
                booking_applicants::email.eq(&a.email),
                booking_applicants::passport_number.eq(&a.passport_number),
                booking_applicants::passport_issued_on.eq(a.passport_issued_on),
                booking_applicants::passport_issued_by.eq(&a.passport_issued_by),
                booking_applicants::passport_expires_on.eq(a.passport_expires_on),
                booking_applicants::fee_minor.eq(a.fee_minor),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        if inserted == 0 {
            // The only unique key a new booking's applicant can meet is
            // `one_active_booking_per_passport`.
            let (branch, date) = active_booking_of(conn, &a.passport_number, hold.service_id)?;
            return Err(HoldError::AlreadyBooked {
                passport_position: position,
                branch,
                date,
            });
        }
    }
    Ok(())
}

/// Where and when a passport's active booking for a service is (branch name, local date).
fn active_booking_of(
    conn: &mut PgConnection,
    passport: &str,
    service_id: i32,
) -> QueryResult<(Localized, NaiveDate)> {
    let (tk, ru, en, starts_at): (String, String, String, DateTime<Utc>) =
        booking_applicants::table
            .inner_join(
                bookings::table
                    .inner_join(slots::table)
                    .inner_join(branches::table),
            )
            .filter(booking_applicants::passport_number.eq(passport))
            .filter(booking_applicants::service_id.eq(service_id))
            .filter(booking_applicants::active.eq(true))
            .select((
                branches::name_tk,
                branches::name_ru,
                branches::name_en,
                slots::starts_at,
            ))
            .first(conn)?;
    Ok((
        Localized::new(tk, ru, en),
        nobat_domain::calendar::local_date(starts_at),
    ))
}

/// Seats taken per slot start, not counting holds that have lapsed but are not yet reaped.
pub fn seats_taken(
    conn: &mut PgConnection,
    branch_id: i32,
    service_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<HashMap<DateTime<Utc>, u32>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Timestamptz)]
        starts_at: DateTime<Utc>,
        #[diesel(sql_type = Integer)]
        taken: i32,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT s.starts_at,
                (s.taken - COALESCE((SELECT sum(b.seats) FROM bookings b
                                     WHERE b.slot_id = s.id AND b.status = 'held'
                                       AND b.hold_expires_at <= now()), 0))::int AS taken
         FROM slots s
         WHERE s.branch_id = $1 AND s.service_id = $2 AND s.starts_at >= $3 AND s.starts_at < $4",
    )
    .bind::<Integer, _>(branch_id)
    .bind::<Integer, _>(service_id)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.starts_at, u32::try_from(r.taken).unwrap_or(0)))
        .collect())
}

/// A booking as its owner sees it.
#[derive(Debug, Clone)]
pub struct BookingRecord {
    pub id: i64,
    pub reference: String,
    pub status: String,
    pub language: String,
    pub seats: i16,
    pub fee_minor: i64,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub manage_token_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub branch_code: String,
    pub branch_name: Localized,
    pub branch_address: Localized,
    pub service_code: String,
    pub service_name: Localized,
    pub applicants: Vec<ApplicantRecord>,
    /// The latest payment: status and masked card.
    pub payment: Option<(String, Option<String>)>,
}

#[derive(Debug, Clone, Queryable)]
pub struct ApplicantRecord {
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub date_of_birth: NaiveDate,
    pub phone: String,
    pub passport_number: String,
    pub fee_minor: i64,
}

pub fn find_booking(
    conn: &mut PgConnection,
    reference: &str,
) -> QueryResult<Option<BookingRecord>> {
    use super::schema::services;
    type Head = (
        (
            i64,
            String,
            String,
            String,
            i16,
            i64,
            Option<DateTime<Utc>>,
            Vec<u8>,
            DateTime<Utc>,
        ),
        (DateTime<Utc>, DateTime<Utc>),
        (String, String, String, String, String, String, String),
        (String, String, String, String),
    );
    let head: Option<Head> = bookings::table
        .inner_join(slots::table)
        .inner_join(branches::table)
        .inner_join(services::table)
        .filter(bookings::reference.eq(reference))
        .select((
            (
                bookings::id,
                bookings::reference,
                bookings::status,
                bookings::language,
                bookings::seats,
                bookings::fee_minor,
                bookings::hold_expires_at,
                bookings::manage_token_hash,
                bookings::created_at,
            ),
            (slots::starts_at, slots::ends_at),
            (
                branches::code,
                branches::name_tk,
                branches::name_ru,
                branches::name_en,
                branches::address_tk,
                branches::address_ru,
                branches::address_en,
            ),
            (
                services::code,
                services::name_tk,
                services::name_ru,
                services::name_en,
            ),
        ))
        .first(conn)
        .optional()?;
    let Some((b, (starts_at, ends_at), br, sv)) = head else {
        return Ok(None);
    };
    let applicants = booking_applicants::table
        .filter(booking_applicants::booking_id.eq(b.0))
        .order(booking_applicants::position)
        .select((
            booking_applicants::surname,
            booking_applicants::given_name,
            booking_applicants::patronymic,
            booking_applicants::date_of_birth,
            booking_applicants::phone,
            booking_applicants::passport_number,
            booking_applicants::fee_minor,
        ))
        .load::<ApplicantRecord>(conn)?;
    let payment = super::payments::latest_for_booking(conn, b.0)?;
    Ok(Some(BookingRecord {
        id: b.0,
        reference: b.1,
        status: b.2,
        language: b.3,
        seats: b.4,
        fee_minor: b.5,
        hold_expires_at: b.6,
        manage_token_hash: b.7,
        created_at: b.8,
        starts_at,
        ends_at,
        branch_code: br.0,
        branch_name: Localized::new(br.1, br.2, br.3),
        branch_address: Localized::new(br.4, br.5, br.6),
        service_code: sv.0,
        service_name: Localized::new(sv.1, sv.2, sv.3),
        applicants,
        payment,
    }))
}

/// Cancels a held or confirmed booking: seats back, passports free, its paid payments marked
/// for refund, an event and a message. Returns the payments to refund, or `None` when the
/// booking was no longer cancellable (a concurrent change won).
pub fn cancel_booking(
    conn: &mut PgConnection,
    booking_id: i64,
    actor: &str,
    note: &str,
) -> QueryResult<Option<Vec<i64>>> {
    conn.transaction(|conn| {
        let cancelled: Option<(i64, i16, String, String)> = diesel::sql_query(
            "WITH old AS (SELECT id, status FROM bookings WHERE id = $1 FOR UPDATE)
             UPDATE bookings b SET status = 'cancelled', hold_expires_at = NULL
             FROM old WHERE b.id = old.id AND old.status IN ('held', 'confirmed')
               AND NOT (old.status = 'held' AND b.hold_expires_at <= now())
             RETURNING b.slot_id, b.seats, old.status AS from_status, b.language",
        )
        .bind::<BigInt, _>(booking_id)
        .get_result::<CancelledRow>(conn)
        .optional()?
        .map(|r| (r.slot_id, r.seats, r.from_status, r.language));
        let Some((slot_id, seats, from_status, language)) = cancelled else {
            return Ok(None);
        };
        diesel::update(slots::table.filter(slots::id.eq(slot_id)))
            .set(slots::taken.eq(slots::taken - i32::from(seats)))
            .execute(conn)?;
        diesel::update(
            booking_applicants::table.filter(booking_applicants::booking_id.eq(booking_id)),
        )
        .set(booking_applicants::active.eq(false))
        .execute(conn)?;
        diesel::insert_into(booking_events::table)
            .values((
                booking_events::booking_id.eq(booking_id),
                booking_events::actor.eq(actor),
                booking_events::from_status.eq(Some(from_status)),
                booking_events::to_status.eq("cancelled"),
                booking_events::note.eq(note),
            ))
            .execute(conn)?;
        notify_first_applicant(
            conn,
            booking_id,
            "booking_cancelled",
            &language,
            serde_json::json!({}),
        )?;
        super::payments::refund_paid_payments(conn, booking_id, "the booking was cancelled")
            .map(Some)
    })
}

#[derive(QueryableByName)]
struct CancelledRow {
    #[diesel(sql_type = BigInt)]
    slot_id: i64,
    #[diesel(sql_type = diesel::sql_types::SmallInt)]
    seats: i16,
    #[diesel(sql_type = Text)]
    from_status: String,
    #[diesel(sql_type = Text)]
    language: String,
}

/// The answer stored for an idempotency key, if the key was used before.
pub enum Idempotency {
    /// First use: go ahead (the key is now reserved inside the caller's transaction).
    Fresh,
    /// Same key, same body: replay this answer.
    Replay(i16, serde_json::Value),
    /// Same key, another body.
    Mismatch,
}

/// Reserves `key` for this request (blocking while another transaction holds it) or reports
/// the answer already given for it.
pub fn claim_idempotency_key(
    conn: &mut PgConnection,
    scope: &str,
    key: &str,
    request_hash: &[u8],
) -> QueryResult<Idempotency> {
    use super::schema::idempotency_keys as k;
    let inserted = diesel::insert_into(k::table)
        .values((
            k::scope.eq(scope),
            k::key.eq(key),
            k::request_hash.eq(request_hash),
        ))
        .on_conflict((k::scope, k::key))
        .do_nothing()
        .execute(conn)?;
    if inserted == 1 {
        return Ok(Idempotency::Fresh);
    }
    let (hash, status, response): (Vec<u8>, Option<i16>, Option<serde_json::Value>) = k::table
        .filter(k::scope.eq(scope))
        .filter(k::key.eq(key))
        .select((k::request_hash, k::status, k::response))
        .first(conn)?;
    if hash != request_hash {
        return Ok(Idempotency::Mismatch);
    }
    Ok(match (status, response) {
        (Some(status), Some(body)) => Idempotency::Replay(status, body),
        _ => Idempotency::Fresh,
    })
}

pub fn store_idempotent_answer(
    conn: &mut PgConnection,
    scope: &str,
    key: &str,
    status: i16,
    body: &serde_json::Value,
) -> QueryResult<()> {
    use super::schema::idempotency_keys as k;
    diesel::update(k::table.filter(k::scope.eq(scope)).filter(k::key.eq(key)))
        .set((k::status.eq(Some(status)), k::response.eq(Some(body))))
        .execute(conn)
        .map(|_| ())
}

/// Why a reschedule was refused.
#[derive(Debug)]
pub enum RescheduleError {
    /// The booking is no longer held or confirmed (a concurrent change won).
    NotChangeable,
    SlotFull,
    Database(DieselError),
}

impl From<DieselError> for RescheduleError {
    fn from(e: DieselError) -> Self {
        RescheduleError::Database(e)
    }
}

/// Moves a booking to another slot of the same branch and service: takes the new seats and
/// releases the old ones in one transaction; the payment and the fee stay with the booking.
pub fn reschedule_booking(
    conn: &mut PgConnection,
    booking_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: i32,
) -> Result<(), RescheduleError> {
    conn.transaction(|conn| {
        let current: Option<(i32, i32, i64, i16, String, String)> = bookings::table
            .filter(bookings::id.eq(booking_id))
            .filter(bookings::status.eq_any(["held", "confirmed"]))
            .select((
                bookings::branch_id,
                bookings::service_id,
                bookings::slot_id,
                bookings::seats,
                bookings::status,
                bookings::language,
            ))
            .for_update()
            .first(conn)
            .optional()?;
        let Some((branch_id, service_id, old_slot, seats, status, language)) = current else {
            return Err(RescheduleError::NotChangeable);
        };
        let new_slot = slot_row(conn, branch_id, service_id, starts_at, ends_at, capacity)?;
        if new_slot == old_slot {
            return Ok(());
        }
        expire_lapsed_holds(conn, Some(new_slot), None)?;
        let seats = i32::from(seats);
        let taken = diesel::update(slots::table)
            .filter(slots::id.eq(new_slot))
            .filter((slots::taken + seats).le(slots::capacity))
            .set(slots::taken.eq(slots::taken + seats))
            .execute(conn)?;
        if taken == 0 {
            return Err(RescheduleError::SlotFull);
        }
        diesel::update(slots::table.filter(slots::id.eq(old_slot)))
            .set(slots::taken.eq(slots::taken - seats))
            .execute(conn)?;
        // A new day deserves its own reminder.
        diesel::update(bookings::table.filter(bookings::id.eq(booking_id)))
            .set((
                bookings::slot_id.eq(new_slot),
                bookings::reminder_queued_at.eq(None::<DateTime<Utc>>),
            ))
            .execute(conn)?;
        diesel::insert_into(booking_events::table)
            .values((
                booking_events::booking_id.eq(booking_id),
                booking_events::actor.eq("citizen"),
                booking_events::from_status.eq(Some(status.clone())),
                booking_events::to_status.eq(status),
                booking_events::note.eq(format!("rescheduled to {}", starts_at.to_rfc3339())),
            ))
            .execute(conn)?;
        notify_first_applicant(
            conn,
            booking_id,
            "booking_rescheduled",
            &language,
            serde_json::json!({ "starts_at": starts_at }),
        )?;
        Ok(())
    })
}

/// Gives a booking a new manage token (access recovered): the old link stops working.
pub fn replace_manage_token(
    conn: &mut PgConnection,
    booking_id: i64,
    token_hash: &[u8],
) -> QueryResult<()> {
    conn.transaction(|conn| {
        let status: String = diesel::update(bookings::table.filter(bookings::id.eq(booking_id)))
            .set(bookings::manage_token_hash.eq(token_hash))
            .returning(bookings::status)
            .get_result(conn)?;
        diesel::insert_into(booking_events::table)
            .values((
                booking_events::booking_id.eq(booking_id),
                booking_events::actor.eq("citizen"),
                booking_events::from_status.eq(Some(status.clone())),
                booking_events::to_status.eq(status),
                booking_events::note.eq("access recovered with passport and birth date"),
            ))
            .execute(conn)
            .map(|_| ())
    })
}
