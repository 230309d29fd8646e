//! The branch's live queue for staff: check-in with the 10-minute rule, walk-ins, counters and
//! calls. Every change is audited; every call is announced to the boards of every instance.

use crate::auth::Staff;
use crate::db::queue::{self as store, EntryRow, NewEntry};
use crate::db::{catalog, staff as staff_store, PgPool};
use crate::error::ApiError;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::Connection;
use nobat_domain::calendar::local_date;
use nobat_domain::identity::BookingReference;
use nobat_domain::queue::{
    check_in_window, CallPolicy, CheckInDecision, CheckInPolicy, OverrideReason, PriorityReason,
};
use nobat_domain::staff::Permission;
use nobat_domain::wire::Problem;

use super::bookings::{conflict, request_language};

/// A queue entry, as the console and integrators see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"id": 41, "number": "A-017", "service": "passport-international", "reference": "AG7-K3Q-9XF",
    "status": "waiting", "priority_reason": null, "appointment_at": "2026-12-01T04:00:00Z", "checked_in_at": "2026-11-30T03:52:10Z",
    "counter": null, "calls": 0}))]
pub struct QueueEntry {
    pub id: i64,
    /// The ticket number of the day, e.g. `A-017`.
    pub number: String,
    pub service: String,
    pub reference: Option<String>,
    /// waiting, called, serving, served, no_show or cancelled.
    pub status: String,
    pub priority_reason: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub appointment_at: chrono::DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub checked_in_at: chrono::DateTime<Utc>,
    /// The counter's number once called.
    pub counter: Option<i32>,
    pub calls: i32,
}

impl From<EntryRow> for QueueEntry {
    fn from(row: EntryRow) -> Self {
        QueueEntry {
            id: row.id,
            number: format!("{}-{:03}", row.prefix, row.number),
            service: row.service,
            reference: row.reference,
            status: row.status,
            priority_reason: row.priority_reason,
            appointment_at: row.appointment_at,
            checked_in_at: row.checked_in_at,
            counter: row.counter,
            calls: row.calls,
        }
    }
}

fn branch_id(conn: &mut diesel::PgConnection, code: &str) -> Result<i32, ApiError> {
    catalog::find_branch(conn, code)?
        .map(|b| b.id)
        .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))
}

/// The queue rules the branch's head has set.
fn queue_rules(
    conn: &mut diesel::PgConnection,
    branch: i32,
) -> Result<(CheckInPolicy, CallPolicy), ApiError> {
    use crate::db::schema::branches;
    use diesel::prelude::*;
    let (opens, calls): (i16, i16) = branches::table
        .find(branch)
        .select((branches::checkin_opens_minutes, branches::max_calls))
        .first(conn)?;
    let policy = CheckInPolicy::from_minutes(
        u32::try_from(opens).unwrap_or(60),
        u32::from(crate::routes::branches::ARRIVE_MINUTES_EARLY),
    );
    Ok((
        policy,
        CallPolicy {
            max_calls: u32::try_from(calls).unwrap_or(3),
        },
    ))
}

/// The letter a service's queue numbers start with, as its administrator set it.
fn stored_prefix(prefix: &str) -> char {
    prefix
        .chars()
        .next()
        .filter(char::is_ascii_uppercase)
        .unwrap_or('S')
}

fn service_prefix(conn: &mut diesel::PgConnection, service: i32) -> Result<char, ApiError> {
    use crate::db::schema::services;
    use diesel::prelude::*;
    let prefix: String = services::table
        .find(service)
        .select(services::queue_prefix)
        .first(conn)?;
    Ok(stored_prefix(&prefix))
}

fn load_entry(conn: &mut diesel::PgConnection, id: i64) -> Result<QueueEntry, ApiError> {
    store::entry(conn, id)?
        .map(QueueEntry::from)
        .ok_or_else(|| ApiError::internal("a queue entry vanished"))
}

/// `POST /api/v1/staff/branches/{code}/check-ins`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"reference": "AG7-K3Q-9XF"}))]
pub struct CheckInRequest {
    /// The booking reference (typed or read from the ticket's QR code).
    pub reference: String,
    /// A branch head checking in a late citizen anyway writes why (audited).
    pub override_reason: Option<String>,
    /// Disabled, elderly or pregnant citizens go first.
    pub priority_reason: Option<String>,
}

/// Check a citizen in by booking reference (after a look at the passport).
///
/// Opens 60 minutes before the slot and closes at its start: a citizen who comes later has lost
/// the booking (it becomes `missed`) and must book again, unless a branch head overrides with a
/// written reason.
#[utoipa::path(
    tag = "staff",
    operation_id = "check_in",
    request_body = CheckInRequest,
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 201, description = "In the queue with a number", body = QueueEntry),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of this branch, or not allowed to override", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch, or no booking with this reference at this branch", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`too-early`, `late` (the booking is lost: book again), `not-confirmed` (unpaid, cancelled or over), `already-checked-in`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a reference, or a bad override reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/branches/{code}/check-ins")]
pub async fn check_in(
    request: HttpRequest,
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
    body: web::Json<CheckInRequest>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::RunQueue, Some(&code))?;
    let language = request_language(&request);
    let reference = BookingReference::parse(&body.reference)
        .map_err(|e| ApiError::invalid([("reference".to_owned(), e.message(language))].into()))?;
    let override_reason = match body.override_reason.as_deref() {
        None => None,
        Some(raw) => Some(OverrideReason::parse(raw).map_err(|e| {
            ApiError::invalid([("override_reason".to_owned(), e.message(language))].into())
        })?),
    };
    if override_reason.is_some() {
        staff.require(Permission::OverrideLateCheckIn, Some(&code))?;
    }
    let priority = parse_priority(body.priority_reason.as_deref())?;
    let entry = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = branch_id(conn, &code)?;
            let booking = store::booking_for_check_in(conn, reference.as_str())?
                .filter(|b| b.branch_id == branch)
                .ok_or_else(|| {
                    ApiError::not_found("No booking with this reference at this branch.")
                })?;
            if let Some(id) = booking.entry_id {
                return Err(conflict(
                    "already-checked-in",
                    "Already checked in",
                    format!("This booking is already in the queue (entry {id})."),
                ));
            }
            // A booking already marked missed (by the sweeper, or an earlier refusal) is late.
            if !matches!(booking.status.as_str(), "confirmed" | "missed") {
                return Err(conflict(
                    "not-confirmed",
                    "The booking is not confirmed",
                    nobat_domain::Localized::new(
                        "Diňe tassyklanan (tölenen) nobaty hasaba alyp bolýar; bu nobat işjeň däl.",
                        "Отметить можно только подтверждённую (оплаченную) запись; эта запись не действует.",
                        "Only a confirmed (paid) booking can be checked in; this one is not active.",
                    )
                    .get(language)
                    .to_owned(),
                ));
            }
            let now = Utc::now();
            let decision = if booking.status == "missed" {
                CheckInDecision::Late
            } else {
                check_in_window(&queue_rules(conn, branch)?.0, booking.starts_at, now)
            };
            match (&decision, &override_reason) {
                (CheckInDecision::Open, _) => {}
                (CheckInDecision::Late, Some(reason)) => {
                    staff_store::audit(
                        conn,
                        &staff,
                        "late_check_in_override",
                        &format!("booking:{}", reference.as_str()),
                        serde_json::json!({"status": booking.status, "starts_at": booking.starts_at}),
                        serde_json::json!({"status": "checked_in", "reason": reason.as_str()}),
                    )?;
                }
                (CheckInDecision::Late, None) => {
                    // Late: the booking is lost now, in its own commit.
                    return Err(conflict("late", "Too late: book again", decision.message(language)));
                }
                (CheckInDecision::TooEarly { .. }, _) => {
                    return Err(conflict("too-early", "Check-in is not open yet", decision.message(language)));
                }
            }
            let prefix = service_prefix(conn, booking.service_id)?;
            let id = store::insert_entry(
                conn,
                &NewEntry {
                    branch_id: branch,
                    service_id: booking.service_id,
                    booking_id: Some(booking.id),
                    day: local_date(now),
                    prefix,
                    priority_reason: priority.map(PriorityReason::code),
                    appointment_at: booking.starts_at,
                    staff_id: staff.id,
                },
            )?;
            store::set_booking_status(
                conn,
                booking.id,
                &booking.status,
                "checked_in",
                &staff.username,
                "checked in at the branch",
            )?;
            let entry = load_entry(conn, id)?;
            staff_store::audit(
                conn,
                &staff,
                "check_in",
                &format!("booking:{}", reference.as_str()),
                serde_json::json!({"status": booking.status}),
                serde_json::json!({"status": "checked_in", "number": entry.number}),
            )?;
            Ok(entry)
        })
        .inspect_err(|e| {
            if let ApiError::Conflict { slug: "late", .. } = e {
                // The rule is applied at once: the booking becomes missed.
                if let Ok(mut conn) = pool.get() {
                    let _ = store::mark_missed(&mut conn);
                }
            }
        })
    })
    .await??;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(entry))
}

fn parse_priority(raw: Option<&str>) -> Result<Option<PriorityReason>, ApiError> {
    match raw {
        None | Some("") => Ok(None),
        Some(code) => PriorityReason::parse(code).map(Some).ok_or_else(|| {
            ApiError::invalid(
                [(
                    "priority_reason".to_owned(),
                    "must be disabled, elderly or pregnant".to_owned(),
                )]
                .into(),
            )
        }),
    }
}

/// `POST /api/v1/staff/branches/{code}/walk-ins`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"service": "reception", "priority_reason": "elderly"}))]
pub struct WalkInRequest {
    pub service: String,
    pub priority_reason: Option<String>,
}

/// Add a citizen without a booking (a walk-in) to the queue.
#[utoipa::path(
    tag = "staff",
    operation_id = "walk_in",
    request_body = WalkInRequest,
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 201, description = "In the queue with a number", body = QueueEntry),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of this branch", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch or service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad priority reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/branches/{code}/walk-ins")]
pub async fn walk_in(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
    body: web::Json<WalkInRequest>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::RunQueue, Some(&code))?;
    let priority = parse_priority(body.priority_reason.as_deref())?;
    let service_code = body.service.clone();
    let entry = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = branch_id(conn, &code)?;
            let service = catalog::find_service(conn, &service_code)?.ok_or_else(|| {
                ApiError::not_found(format!("There is no service {service_code:?}."))
            })?;
            let now = Utc::now();
            let id = store::insert_entry(
                conn,
                &NewEntry {
                    branch_id: branch,
                    service_id: service.id,
                    booking_id: None,
                    day: local_date(now),
                    prefix: stored_prefix(&service.queue_prefix),
                    priority_reason: priority.map(PriorityReason::code),
                    appointment_at: now,
                    staff_id: staff.id,
                },
            )?;
            let entry = load_entry(conn, id)?;
            staff_store::audit(
                conn,
                &staff,
                "walk_in",
                &format!("queue:{}", entry.number),
                serde_json::Value::Null,
                serde_json::json!({"service": service.code, "priority_reason": entry.priority_reason}),
            )?;
            Ok(entry)
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(entry))
}

/// Today's queue of a branch.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct QueueView {
    pub branch: String,
    /// Waiting, called and being served, in queue order (called first).
    pub entries: Vec<QueueEntry>,
}

/// Today's live queue at a branch (waiting, called, serving).
#[utoipa::path(
    tag = "staff",
    operation_id = "get_queue",
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "The queue", body = QueueView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of this branch", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/branches/{code}/queue")]
pub async fn get_queue(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::RunQueue, Some(&code))?;
    let view = web::block(move || {
        let mut conn = pool.get()?;
        let branch = branch_id(&mut conn, &code)?;
        let entries = store::live_entries(&mut conn, branch, local_date(Utc::now()))?
            .into_iter()
            .map(QueueEntry::from)
            .collect();
        Ok::<_, ApiError>(QueueView {
            branch: code,
            entries,
        })
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// What an operator does at a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CounterAction {
    Open,
    Close,
    CallNext,
}

/// Open or close a counter, or call the next citizen to it.
///
/// `call-next` takes the first waiting citizen of a service the counter serves (priority, then
/// appointment time, then check-in time); two operators calling at once never get the same one.
#[utoipa::path(
    tag = "staff",
    operation_id = "counter_action",
    params(
        ("code" = String, Path, description = "The branch", example = "mary"),
        ("number" = i16, Path, description = "The counter's number", example = 1),
        ("action" = CounterAction, Path, description = "open, close or call-next"),
    ),
    responses(
        (status = 200, description = "`call-next`: the citizen called; `open`/`close`: null", body = Option<QueueEntry>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of this branch", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch or counter", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`counter-closed`: open it first; `queue-empty`: nobody is waiting for this counter's services", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/branches/{code}/counters/{number}/{action}")]
pub async fn counter_action(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<(String, i16, CounterAction)>,
) -> Result<HttpResponse, ApiError> {
    let (code, number, action) = path.into_inner();
    staff.require(Permission::RunQueue, Some(&code))?;
    let answer = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = branch_id(conn, &code)?;
            let (counter, _label, opened_by) =
                store::counter(conn, branch, number)?.ok_or_else(|| {
                    ApiError::not_found(format!("There is no counter {number} here."))
                })?;
            let target = format!("counter:{code}/{number}");
            match action {
                CounterAction::Open | CounterAction::Close => {
                    let by = (action == CounterAction::Open).then_some(staff.id);
                    store::set_counter_open(conn, counter, by)?;
                    staff_store::audit(
                        conn,
                        &staff,
                        if by.is_some() {
                            "open_counter"
                        } else {
                            "close_counter"
                        },
                        &target,
                        serde_json::json!({"opened_by": opened_by}),
                        serde_json::json!({"opened_by": by}),
                    )?;
                    Ok(None)
                }
                CounterAction::CallNext => {
                    if opened_by.is_none() {
                        return Err(conflict(
                            "counter-closed",
                            "The counter is closed",
                            "Open the counter before calling citizens to it.".into(),
                        ));
                    }
                    let id = store::call_next(conn, branch, local_date(Utc::now()), counter)?
                        .ok_or_else(|| {
                            conflict(
                                "queue-empty",
                                "Nobody is waiting",
                                "Nobody is waiting for the services of this counter.".into(),
                            )
                        })?;
                    after_call(conn, &staff, id, "call")
                }
            }
        })
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// Announce a call and sync the booking; the entry as it is now.
fn after_call(
    conn: &mut diesel::PgConnection,
    staff: &Staff,
    id: i64,
    action: &str,
) -> Result<Option<QueueEntry>, ApiError> {
    let row = store::entry(conn, id)?.ok_or_else(|| ApiError::internal("entry vanished"))?;
    store::announce(conn, &row)?;
    if let Some(booking) = store::entry_booking(conn, id)? {
        store::set_booking_status(
            conn,
            booking,
            "checked_in",
            "serving",
            &staff.username,
            "called to a counter",
        )?;
    }
    let entry = QueueEntry::from(row);
    staff_store::audit(
        conn,
        staff,
        action,
        &format!("queue:{}", entry.number),
        serde_json::Value::Null,
        serde_json::json!({"counter": entry.counter, "calls": entry.calls}),
    )?;
    Ok(Some(entry))
}

/// What happens to a called citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EntryAction {
    /// Call again (the board shows it again).
    Recall,
    /// Served at the counter.
    Served,
    /// Called and absent (only after the configured number of calls, 3).
    NoShow,
}

/// Recall a called citizen, mark them served, or a no-show.
#[utoipa::path(
    tag = "staff",
    operation_id = "entry_action",
    params(
        ("code" = String, Path, description = "The branch", example = "mary"),
        ("id" = i64, Path, description = "The queue entry"),
        ("action" = EntryAction, Path, description = "recall, served or no-show"),
    ),
    responses(
        (status = 200, description = "The entry after the action", body = QueueEntry),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of this branch", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry at this branch", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not-allowed`: the entry is not called, or too few calls for a no-show", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/branches/{code}/queue/{id}/{action}")]
pub async fn entry_action(
    request: HttpRequest,
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<(String, i64, EntryAction)>,
) -> Result<HttpResponse, ApiError> {
    let (code, id, action) = path.into_inner();
    staff.require(Permission::RunQueue, Some(&code))?;
    let language = request_language(&request);
    let entry = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = branch_id(conn, &code)?; // 404 for an unknown branch
            let row = store::entry(conn, id)?
                .filter(|e| e.branch == code)
                .ok_or_else(|| ApiError::not_found("No such queue entry at this branch."))?;
            let refuse = |message: String| conflict("not-allowed", "Not allowed now", message);
            let calls = u32::try_from(row.calls).unwrap_or(0);
            let status = nobat_domain::queue::QueueEntryStatus::parse(&row.status)
                .ok_or_else(|| ApiError::internal("unknown queue status"))?;
            let progress = nobat_domain::queue::QueueProgress { status, calls };
            let policy = queue_rules(conn, branch)?.1;
            let (to, extra_call) = match action {
                EntryAction::Recall => (progress.recall(), true),
                EntryAction::Served => (progress.mark_served(), false),
                EntryAction::NoShow => (progress.mark_no_show(&policy), false),
            };
            let next = to.map_err(|e| refuse(e.message(language)))?;
            if !store::transition(conn, id, &row.status, next.status.code(), extra_call)? {
                return Err(refuse(
                    "The entry changed meanwhile; reload the queue.".into(),
                ));
            }
            if action == EntryAction::Recall {
                return after_call(conn, &staff, id, "recall")?
                    .ok_or_else(|| ApiError::internal("entry vanished"));
            }
            if let Some(booking) = store::entry_booking(conn, id)? {
                let to = if action == EntryAction::Served {
                    "served"
                } else {
                    "no_show"
                };
                store::set_booking_status(
                    conn,
                    booking,
                    "serving",
                    to,
                    &staff.username,
                    "at the counter",
                )?;
            }
            let entry = load_entry(conn, id)?;
            staff_store::audit(
                conn,
                &staff,
                next.status.code(),
                &format!("queue:{}", entry.number),
                serde_json::json!({"status": row.status}),
                serde_json::json!({"status": entry.status}),
            )?;
            Ok(entry)
        })
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(entry))
}

/// The counters of a branch: number, label, services, and who has it open.
#[utoipa::path(
    tag = "staff",
    operation_id = "list_counters",
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "The counters", body = Vec<store::CounterRow>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of this branch", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/branches/{code}/counters")]
pub async fn list_counters(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::RunQueue, Some(&code))?;
    let counters = web::block(move || {
        let mut conn = pool.get()?;
        let branch = branch_id(&mut conn, &code)?;
        store::counters_of(&mut conn, branch).map_err(ApiError::from)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(counters))
}
