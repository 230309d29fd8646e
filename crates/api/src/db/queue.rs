//! The live queue of a branch in PostgreSQL: check-ins, walk-ins, counters and calls. Call-next
//! picks the first waiting citizen with `FOR UPDATE SKIP LOCKED`, so two operators calling at the
//! same instant never get the same person; every call is announced with `pg_notify` so boards on
//! any instance hear it.

use super::schema::{bookings, counters, queue_entries};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamptz};

/// The channel board events travel on.
pub const BOARD_CHANNEL: &str = "nobat_board";

/// A queue entry as staff and boards see it.
#[derive(Debug, Clone, QueryableByName, serde::Serialize)]
pub struct EntryRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub branch: String,
    #[diesel(sql_type = Text)]
    pub service: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub reference: Option<String>,
    #[diesel(sql_type = Text)]
    pub prefix: String,
    #[diesel(sql_type = Integer)]
    pub number: i32,
    #[diesel(sql_type = Nullable<Text>)]
    pub priority_reason: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub appointment_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub checked_in_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Integer>)]
    pub counter: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub counter_label: Option<String>,
    #[diesel(sql_type = Integer)]
    pub calls: i32,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub called_at: Option<DateTime<Utc>>,
}

const ENTRY_SELECT: &str =
    "SELECT e.id, b.code AS branch, s.code AS service, bk.reference, e.prefix, e.number,
        e.priority_reason, e.appointment_at, e.checked_in_at, e.status,
        c.number::int AS counter, c.label AS counter_label, e.calls, e.called_at
 FROM queue_entries e
 JOIN branches b ON b.id = e.branch_id
 JOIN services s ON s.id = e.service_id
 LEFT JOIN bookings bk ON bk.id = e.booking_id
 LEFT JOIN counters c ON c.id = e.counter_id";

pub fn entry(conn: &mut PgConnection, id: i64) -> QueryResult<Option<EntryRow>> {
    diesel::sql_query(format!("{ENTRY_SELECT} WHERE e.id = $1"))
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()
}

/// Today's entries of a branch still in the queue or at a counter, in queue order.
pub fn live_entries(
    conn: &mut PgConnection,
    branch_id: i32,
    day: NaiveDate,
) -> QueryResult<Vec<EntryRow>> {
    diesel::sql_query(format!(
        "{ENTRY_SELECT} WHERE e.branch_id = $1 AND e.queue_date = $2
           AND e.status IN ('waiting', 'called', 'serving')
         ORDER BY e.status = 'waiting', (e.priority_reason IS NOT NULL) DESC, e.appointment_at, e.checked_in_at"
    ))
    .bind::<Integer, _>(branch_id)
    .bind::<Date, _>(day)
    .load(conn)
}

/// The last calls of the day at a branch, newest first.
pub fn last_calls(
    conn: &mut PgConnection,
    branch_id: i32,
    day: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    diesel::sql_query(format!(
        "{ENTRY_SELECT} WHERE e.branch_id = $1 AND e.queue_date = $2 AND e.called_at IS NOT NULL
         ORDER BY e.called_at DESC LIMIT $3"
    ))
    .bind::<Integer, _>(branch_id)
    .bind::<Date, _>(day)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// The next number of the day for a prefix at a branch.
pub fn next_number(
    conn: &mut PgConnection,
    branch_id: i32,
    day: NaiveDate,
    prefix: char,
) -> QueryResult<i32> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = Integer)]
        last_number: i32,
    }
    diesel::sql_query(
        "INSERT INTO queue_numbers (branch_id, queue_date, prefix, last_number) VALUES ($1, $2, $3, 1)
         ON CONFLICT (branch_id, queue_date, prefix)
         DO UPDATE SET last_number = queue_numbers.last_number + 1
         RETURNING last_number",
    )
    .bind::<Integer, _>(branch_id)
    .bind::<Date, _>(day)
    .bind::<Text, _>(prefix.to_string())
    .get_result::<N>(conn)
    .map(|n| n.last_number)
}

/// What a new queue entry is.
pub struct NewEntry {
    pub branch_id: i32,
    pub service_id: i32,
    pub booking_id: Option<i64>,
    pub day: NaiveDate,
    pub prefix: char,
    pub priority_reason: Option<&'static str>,
    pub appointment_at: DateTime<Utc>,
    pub staff_id: i32,
}

pub fn insert_entry(conn: &mut PgConnection, new: &NewEntry) -> QueryResult<i64> {
    let number = next_number(conn, new.branch_id, new.day, new.prefix)?;
    diesel::insert_into(queue_entries::table)
        .values((
            queue_entries::branch_id.eq(new.branch_id),
            queue_entries::service_id.eq(new.service_id),
            queue_entries::booking_id.eq(new.booking_id),
            queue_entries::queue_date.eq(new.day),
            queue_entries::prefix.eq(new.prefix.to_string()),
            queue_entries::number.eq(number),
            queue_entries::priority_reason.eq(new.priority_reason),
            queue_entries::appointment_at.eq(new.appointment_at),
            queue_entries::checked_in_by.eq(Some(new.staff_id)),
        ))
        .returning(queue_entries::id)
        .get_result(conn)
}

/// The booking a reference names, for a check-in: id, branch id, service id and code, status,
/// slot start (locked for the check-in's transaction).
#[derive(Debug, QueryableByName)]
pub struct BookingForCheckIn {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Integer)]
    pub branch_id: i32,
    #[diesel(sql_type = Integer)]
    pub service_id: i32,
    #[diesel(sql_type = Text)]
    pub service_code: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Timestamptz)]
    pub starts_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub entry_id: Option<i64>,
}

pub fn booking_for_check_in(
    conn: &mut PgConnection,
    reference: &str,
) -> QueryResult<Option<BookingForCheckIn>> {
    diesel::sql_query(
        "SELECT b.id, b.branch_id, b.service_id, s.code AS service_code, b.status, sl.starts_at,
                (SELECT e.id FROM queue_entries e WHERE e.booking_id = b.id) AS entry_id
         FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN services s ON s.id = b.service_id
         WHERE b.reference = $1 FOR UPDATE OF b",
    )
    .bind::<Text, _>(reference)
    .get_result(conn)
    .optional()
}

/// Moves a booking to another status with an event (no seat arithmetic: used for the queue's
/// states after the visit has started).
pub fn set_booking_status(
    conn: &mut PgConnection,
    booking_id: i64,
    from: &str,
    to: &str,
    actor: &str,
    note: &str,
) -> QueryResult<()> {
    use super::schema::booking_events;
    let changed = diesel::update(
        bookings::table
            .filter(bookings::id.eq(booking_id))
            .filter(bookings::status.eq(from)),
    )
    .set(bookings::status.eq(to))
    .execute(conn)?;
    if changed == 1 {
        if matches!(to, "missed" | "no_show" | "served") {
            diesel::update(
                super::schema::booking_applicants::table
                    .filter(super::schema::booking_applicants::booking_id.eq(booking_id)),
            )
            .set(super::schema::booking_applicants::active.eq(false))
            .execute(conn)?;
        }
        diesel::insert_into(booking_events::table)
            .values((
                booking_events::booking_id.eq(booking_id),
                booking_events::actor.eq(actor),
                booking_events::from_status.eq(Some(from)),
                booking_events::to_status.eq(to),
                booking_events::note.eq(note),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Confirmed bookings whose slot has started without a check-in become `missed` (the citizen
/// must book again); their passports are free for a new booking.
pub fn mark_missed(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "WITH missed AS (
             UPDATE bookings b SET status = 'missed'
             FROM slots s
             WHERE s.id = b.slot_id AND b.status = 'confirmed' AND s.starts_at <= now()
             RETURNING b.id),
         released AS (
             UPDATE booking_applicants SET active = false WHERE booking_id IN (SELECT id FROM missed))
         INSERT INTO booking_events (booking_id, actor, from_status, to_status, note)
         SELECT id, 'system', 'confirmed', 'missed', 'not checked in by the start of the slot' FROM missed",
    )
    .execute(conn)
}

/// A counter of a branch by its number: id, label and who opened it.
pub fn counter(
    conn: &mut PgConnection,
    branch_id: i32,
    number: i16,
) -> QueryResult<Option<(i32, String, Option<i32>)>> {
    counters::table
        .filter(counters::branch_id.eq(branch_id))
        .filter(counters::number.eq(number))
        .filter(counters::active.eq(true))
        .select((counters::id, counters::label, counters::opened_by))
        .first(conn)
        .optional()
}

pub fn set_counter_open(
    conn: &mut PgConnection,
    counter_id: i32,
    by: Option<i32>,
) -> QueryResult<()> {
    diesel::update(counters::table.filter(counters::id.eq(counter_id)))
        .set((
            counters::opened_by.eq(by),
            counters::opened_at.eq(by.map(|_| Utc::now())),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Calls the first waiting citizen this counter serves (priority, then appointment, then
/// check-in). Rows another operator is calling are skipped, never shared.
pub fn call_next(
    conn: &mut PgConnection,
    branch_id: i32,
    day: NaiveDate,
    counter_id: i32,
) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let called: Option<Id> = diesel::sql_query(
        "UPDATE queue_entries SET status = 'called', counter_id = $3, calls = 1, called_at = now(),
             first_called_at = now()
         WHERE id = (
             SELECT e.id FROM queue_entries e
             WHERE e.branch_id = $1 AND e.queue_date = $2 AND e.status = 'waiting'
               AND e.service_id IN (SELECT service_id FROM counter_services WHERE counter_id = $3)
             ORDER BY (e.priority_reason IS NOT NULL) DESC, e.appointment_at, e.checked_in_at
             LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id",
    )
    .bind::<Integer, _>(branch_id)
    .bind::<Date, _>(day)
    .bind::<Integer, _>(counter_id)
    .get_result(conn)
    .optional()?;
    Ok(called.map(|c| c.id))
}

/// Applies a counter action to an entry if it is still in `from`; true when it changed.
pub fn transition(
    conn: &mut PgConnection,
    entry_id: i64,
    from: &str,
    to: &str,
    extra_call: bool,
) -> QueryResult<bool> {
    let finished = matches!(to, "served" | "no_show" | "cancelled");
    diesel::sql_query(
        "UPDATE queue_entries SET status = $3,
             calls = calls + CASE WHEN $4 THEN 1 ELSE 0 END,
             called_at = CASE WHEN $4 THEN now() ELSE called_at END,
             finished_at = CASE WHEN $5 THEN now() ELSE finished_at END
         WHERE id = $1 AND status = $2",
    )
    .bind::<BigInt, _>(entry_id)
    .bind::<Text, _>(from)
    .bind::<Text, _>(to)
    .bind::<diesel::sql_types::Bool, _>(extra_call)
    .bind::<diesel::sql_types::Bool, _>(finished)
    .execute(conn)
    .map(|n| n == 1)
}

/// The booking behind a queue entry, if any.
pub fn entry_booking(conn: &mut PgConnection, entry_id: i64) -> QueryResult<Option<i64>> {
    queue_entries::table
        .filter(queue_entries::id.eq(entry_id))
        .select(queue_entries::booking_id)
        .first::<Option<i64>>(conn)
        .optional()
        .map(Option::flatten)
}

/// Announces a call to every board (on every instance), in the caller's transaction: delivered
/// on commit.
pub fn announce(conn: &mut PgConnection, entry: &EntryRow) -> QueryResult<()> {
    let payload = serde_json::json!({
        "branch": entry.branch,
        "number": format!("{}-{:03}", entry.prefix, entry.number),
        "counter": entry.counter,
        "counter_label": entry.counter_label,
        "calls": entry.calls,
        "at": entry.called_at,
    })
    .to_string();
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(BOARD_CHANNEL)
        .bind::<Text, _>(payload)
        .execute(conn)
        .map(|_| ())
}

/// A counter of a branch for the console.
#[derive(Debug, Clone, QueryableByName, serde::Serialize, utoipa::ToSchema)]
pub struct CounterRow {
    #[diesel(sql_type = Integer)]
    pub number: i32,
    #[diesel(sql_type = Text)]
    pub label: String,
    /// The services it serves (codes).
    #[diesel(sql_type = diesel::sql_types::Array<Text>)]
    pub services: Vec<String>,
    /// Who opened it, when open.
    #[diesel(sql_type = Nullable<Text>)]
    pub opened_by: Option<String>,
}

pub fn counters_of(conn: &mut PgConnection, branch_id: i32) -> QueryResult<Vec<CounterRow>> {
    diesel::sql_query(
        "SELECT c.number::int AS number, c.label,
                COALESCE(array_agg(s.code ORDER BY s.code) FILTER (WHERE s.code IS NOT NULL), '{}') AS services,
                u.username AS opened_by
         FROM counters c
         LEFT JOIN counter_services cs ON cs.counter_id = c.id
         LEFT JOIN services s ON s.id = cs.service_id
         LEFT JOIN staff_users u ON u.id = c.opened_by
         WHERE c.branch_id = $1 AND c.active
         GROUP BY c.id, u.username ORDER BY c.number",
    )
    .bind::<Integer, _>(branch_id)
    .load(conn)
}

/// A checked-in booking's place in the queue: its number, how many wait ahead of it and the
/// estimated wait (from the open counters of its service and today's average service time,
/// 10 minutes when nobody has been served yet).
pub fn position_of(
    conn: &mut PgConnection,
    booking_id: i64,
) -> QueryResult<Option<nobat_domain::booking_api::QueuePosition>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        prefix: String,
        #[diesel(sql_type = Integer)]
        number: i32,
        #[diesel(sql_type = Text)]
        status: String,
        #[diesel(sql_type = BigInt)]
        ahead: i64,
        #[diesel(sql_type = BigInt)]
        open_counters: i64,
        #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
        average_seconds: Option<f64>,
        #[diesel(sql_type = Nullable<Integer>)]
        counter: Option<i32>,
    }
    let row: Option<Row> = diesel::sql_query(
        "SELECT e.prefix, e.number, e.status,
           (SELECT count(*) FROM queue_entries o
             WHERE o.branch_id = e.branch_id AND o.queue_date = e.queue_date AND o.status = 'waiting'
               AND o.service_id = e.service_id AND o.id <> e.id
               AND ((o.priority_reason IS NOT NULL, e.appointment_at, e.checked_in_at)
                    > (e.priority_reason IS NOT NULL, o.appointment_at, o.checked_in_at))) AS ahead,
           (SELECT count(*) FROM counters c JOIN counter_services cs ON cs.counter_id = c.id
             WHERE c.branch_id = e.branch_id AND cs.service_id = e.service_id
               AND c.opened_by IS NOT NULL) AS open_counters,
           (SELECT avg(extract(epoch FROM o.finished_at - o.first_called_at))::float8 FROM queue_entries o
             WHERE o.branch_id = e.branch_id AND o.queue_date = e.queue_date AND o.status = 'served'
               AND o.service_id = e.service_id) AS average_seconds,
           c.number::int AS counter
         FROM queue_entries e LEFT JOIN counters c ON c.id = e.counter_id
         WHERE e.booking_id = $1",
    )
    .bind::<BigInt, _>(booking_id)
    .get_result(conn)
    .optional()?;
    Ok(row.map(|r| {
        let ahead = u32::try_from(r.ahead).unwrap_or(0);
        let average =
            std::time::Duration::from_secs_f64(r.average_seconds.unwrap_or(600.0).max(0.0));
        let waiting = r.status == "waiting";
        nobat_domain::booking_api::QueuePosition {
            number: format!("{}-{:03}", r.prefix, r.number),
            status: r.status,
            ahead: if waiting { ahead } else { 0 },
            estimated_wait_minutes: waiting
                .then(|| {
                    nobat_domain::queue::estimated_wait(
                        ahead as usize,
                        usize::try_from(r.open_counters).unwrap_or(0),
                        chrono::Duration::from_std(average).unwrap_or_default(),
                    )
                })
                .flatten()
                .map(|d| u32::try_from(d.num_minutes()).unwrap_or(u32::MAX)),
            counter: r.counter,
        }
    }))
}
