//! Holding, confirming and cancelling seats. Capacity and "one active booking per passport" are
//! settled by PostgreSQL inside one transaction: a conditional `UPDATE` on the slot row (backed
//! by `CHECK (taken <= capacity)`) and a partial unique index, never by reading and then writing.

use super::prepared::Prepared;
use super::schema::{booking_applicants, booking_events, bookings, branches, outbox, slots};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, SmallInt, Text, Timestamptz};
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

/// What the booking path learns about a slot in its first statement.
#[derive(Debug, Clone, QueryableByName)]
pub struct SlotProbe {
    /// The current `catalog_version`: a kept [`crate::schedules::Schedule`] of another version
    /// is read again before it decides anything.
    #[diesel(sql_type = BigInt)]
    pub catalog_version: i64,
    /// The slot's row, if anyone has held a seat there before.
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub slot_id: Option<i64>,
    /// The row has no room for the seats asked for…
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub full: bool,
    /// …unless a hold on it has lapsed and is not yet reaped.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub slot_lapsed: bool,
    /// One of the passports is still in a hold that has lapsed (for this service).
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub passport_lapsed: bool,
}

impl SlotProbe {
    /// Every seat is taken and no lapsed hold would free one: the answer the hold would give.
    pub fn sold_out(&self) -> bool {
        self.full && !self.slot_lapsed
    }
}

/// Reads, in one statement, the catalog version and what a hold of `seats` at `starts_at` would
/// meet. On the morning a day is released most attempts end here.
pub fn probe_slot(
    conn: &mut PgConnection,
    branch_id: i32,
    service_id: i32,
    starts_at: DateTime<Utc>,
    seats: i32,
    passports: &[String],
) -> QueryResult<SlotProbe> {
    Prepared::new(
        "SELECT v.version AS catalog_version, s.id AS slot_id,
                COALESCE(s.taken + $4 > s.capacity, false) AS full,
                CASE WHEN s.taken + $4 > s.capacity THEN
                     EXISTS (SELECT 1 FROM bookings b
                              WHERE b.slot_id = s.id AND b.status = 'held'
                                AND b.hold_expires_at <= now())
                     ELSE false END AS slot_lapsed,
                EXISTS (SELECT 1 FROM booking_applicants a JOIN bookings b ON b.id = a.booking_id
                         WHERE a.active AND a.service_id = $2 AND a.passport_number = ANY($5)
                           AND b.status = 'held' AND b.hold_expires_at <= now()) AS passport_lapsed
           FROM catalog_version v
           LEFT JOIN slots s ON s.branch_id = $1 AND s.service_id = $2 AND s.starts_at = $3",
    )
    .bind::<Integer, _>(branch_id)
    .bind::<Integer, _>(service_id)
    .bind::<Timestamptz, _>(starts_at)
    .bind::<Integer, _>(seats)
    .bind::<Array<Text>, _>(passports)
    .get_result(conn)
}

/// Takes the seats and writes the booking, its applicants, its first event and (when confirmed
/// at once) its notifications, all or nothing, in a transaction of its own. `next_reference` is
/// asked again on the rare clash of references.
pub fn hold_seats(
    conn: &mut PgConnection,
    hold: &NewHold,
    next_reference: impl FnMut() -> String,
) -> Result<(i64, String), HoldError> {
    conn.transaction(|conn| {
        let probe = probe_slot(
            conn,
            hold.branch_id,
            hold.service_id,
            hold.starts_at,
            hold.applicants.len() as i32,
            &hold.passports(),
        )?;
        take_seats(conn, hold, &probe, next_reference, None)
            .map(|taken| (taken.id, taken.reference))
    })
}

/// A booking just written.
#[derive(Debug, Clone)]
pub struct Taken {
    pub id: i64,
    pub reference: String,
    pub created_at: DateTime<Utc>,
}

/// Takes the seats and writes the booking, its applicants, its first event, its payment (when
/// `payment_id` is given) and (when confirmed at once) its notifications, in the caller's
/// transaction: on an error the caller must roll back. `probe` is what [`probe_slot`] read
/// in that transaction.
///
/// The common case is one statement: the conditional `UPDATE` of the slot's seats and the
/// inserts that depend on it, chained in one common-table expression (issue #9: a hold took
/// 33 round trips to PostgreSQL, now 5 including the transaction's).
pub fn take_seats(
    conn: &mut PgConnection,
    hold: &NewHold,
    probe: &SlotProbe,
    mut next_reference: impl FnMut() -> String,
    payment_id: Option<&str>,
) -> Result<Taken, HoldError> {
    let slot_id = match probe.slot_id {
        Some(id) => id,
        None => slot_row(
            conn,
            hold.branch_id,
            hold.service_id,
            hold.starts_at,
            hold.ends_at,
            hold.capacity,
        )?,
    };
    // A seat is free the moment its hold lapses, and so is a passport: settle the lapsed holds
    // the probe saw before deciding.
    if probe.full && probe.slot_lapsed {
        expire_lapsed_holds(conn, Some(slot_id), None)?;
    }
    if probe.passport_lapsed {
        expire_lapsed_holds(conn, None, Some((&hold.passports(), hold.service_id)))?;
    }
    let seats = hold.applicants.len() as i32;
    for _ in 0..5 {
        let reference = next_reference();
        let written = write_hold(conn, hold, slot_id, &reference, payment_id)?;
        let Some(id) = written.booking_id else {
            if !written.took {
                return Err(HoldError::SlotFull);
            }
            // The reference is someone else's: give the seats back and draw another.
            diesel::update(slots::table.filter(slots::id.eq(slot_id)))
                .set(slots::taken.eq(slots::taken - seats))
                .execute(conn)?;
            continue;
        };
        if let Some(position) = (0..hold.applicants.len()).find(|p| {
            !written
                .positions
                .contains(&i16::try_from(*p).unwrap_or(i16::MAX))
        }) {
            // The only unique key a new booking's applicant can meet is
            // `one_active_booking_per_passport` (a conflict, not an error, so that PostgreSQL
            // does not write the passport number to its log).
            let (branch, date) = active_booking_of(
                conn,
                &hold.applicants[position].passport_number,
                hold.service_id,
            )?;
            return Err(HoldError::AlreadyBooked {
                passport_position: position,
                branch,
                date,
            });
        }
        let created_at = written.created_at.unwrap_or_else(Utc::now);
        if hold.status == "confirmed" {
            notify_first_applicant(
                conn,
                id,
                "booking_confirmed",
                hold.language,
                serde_json::json!({ "reference": reference, "starts_at": hold.starts_at }),
            )?;
        }
        return Ok(Taken {
            id,
            reference,
            created_at,
        });
    }
    Err(HoldError::Database(DieselError::RollbackTransaction))
}

impl NewHold {
    fn passports(&self) -> Vec<String> {
        self.applicants
            .iter()
            .map(|a| a.passport_number.clone())
            .collect()
    }
}

#[derive(QueryableByName)]
struct Written {
    /// The slot had room and its seats were taken.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    took: bool,
    /// The booking, unless the slot was full or the reference taken.
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    booking_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Timestamptz>)]
    created_at: Option<DateTime<Utc>>,
    /// The applicants written; a missing one already has an active booking.
    #[diesel(sql_type = Array<SmallInt>)]
    positions: Vec<i16>,
}

/// The one statement of a hold.
fn write_hold(
    conn: &mut PgConnection,
    hold: &NewHold,
    slot_id: i64,
    reference: &str,
    payment_id: Option<&str>,
) -> QueryResult<Written> {
    let a = &hold.applicants;
    let column = |f: fn(&NewApplicant) -> String| a.iter().map(f).collect::<Vec<_>>();
    let dates = |f: fn(&NewApplicant) -> NaiveDate| a.iter().map(f).collect::<Vec<_>>();
    Prepared::new(
        "WITH took AS (
             UPDATE slots SET taken = taken + $1
              WHERE id = $2 AND taken + $1 <= capacity
             RETURNING id),
         booking AS (
             INSERT INTO bookings (reference, branch_id, service_id, slot_id, seats, status,
                                   language, fee_minor, hold_expires_at, manage_token_hash)
             SELECT $3, $4, $5, id, $1::smallint, $6, $7, $8, $9, $10 FROM took
             ON CONFLICT (reference) DO NOTHING
             RETURNING id, created_at),
         applicants AS (
             INSERT INTO booking_applicants (booking_id, position, service_id, surname,
                 given_name, patronymic, date_of_birth, phone, email, passport_number,
                 passport_issued_on, passport_issued_by, passport_expires_on, fee_minor)
             SELECT booking.id, a.position, $5, a.surname, a.given_name, a.patronymic,
                    a.date_of_birth, a.phone, a.email, a.passport_number, a.passport_issued_on,
                    a.passport_issued_by, a.passport_expires_on, a.fee_minor
               FROM booking,
                    unnest($11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
                    AS a(position, surname, given_name, patronymic, date_of_birth, phone, email,
                         passport_number, passport_issued_on, passport_issued_by,
                         passport_expires_on, fee_minor)
             ON CONFLICT DO NOTHING
             RETURNING position),
         event AS (
             INSERT INTO booking_events (booking_id, actor, to_status, note)
             SELECT id, 'citizen', $6, $23 FROM booking),
         payment AS (
             INSERT INTO payments (public_id, booking_id, order_number, amount_minor, status)
             SELECT $24, id, $3 || '-1', $8, 'new' FROM booking WHERE $24 IS NOT NULL)
         SELECT EXISTS (SELECT 1 FROM took) AS took,
                (SELECT id FROM booking) AS booking_id,
                (SELECT created_at FROM booking) AS created_at,
                ARRAY(SELECT position FROM applicants) AS positions",
    )
    .bind::<Integer, _>(a.len() as i32)
    .bind::<BigInt, _>(slot_id)
    .bind::<Text, _>(reference)
    .bind::<Integer, _>(hold.branch_id)
    .bind::<Integer, _>(hold.service_id)
    .bind::<Text, _>(hold.status)
    .bind::<Text, _>(hold.language)
    .bind::<BigInt, _>(hold.fee_minor)
    .bind::<Nullable<Timestamptz>, _>(hold.hold_expires_at)
    .bind::<diesel::sql_types::Bytea, _>(&hold.manage_token_hash)
    .bind::<Array<SmallInt>, _>((0..a.len()).map(|p| p as i16).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(column(|x| x.surname.clone()))
    .bind::<Array<Text>, _>(column(|x| x.given_name.clone()))
    .bind::<Array<Nullable<Text>>, _>(a.iter().map(|x| x.patronymic.clone()).collect::<Vec<_>>())
    .bind::<Array<diesel::sql_types::Date>, _>(dates(|x| x.date_of_birth))
    .bind::<Array<Text>, _>(column(|x| x.phone.clone()))
    .bind::<Array<Nullable<Text>>, _>(a.iter().map(|x| x.email.clone()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(column(|x| x.passport_number.clone()))
    .bind::<Array<diesel::sql_types::Date>, _>(dates(|x| x.passport_issued_on))
    .bind::<Array<Text>, _>(column(|x| x.passport_issued_by.clone()))
    .bind::<Array<diesel::sql_types::Date>, _>(dates(|x| x.passport_expires_on))
    .bind::<Array<BigInt>, _>(a.iter().map(|x| x.fee_minor).collect::<Vec<_>>())
    .bind::<Text, _>(match hold.status {
        "confirmed" => "booked; no fee to pay",
        _ => "seat held until payment",
    })
    .bind::<Nullable<Text>, _>(payment_id)
    .get_result(conn)
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
