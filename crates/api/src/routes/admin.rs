//! Running branches: closures (which cancel the bookings they cover, with a message and a
//! refund, after a confirmation that names how many), booking-window settings, and staff
//! accounts. Every change goes to the audit log with its before and after.

use crate::auth::{self, Staff};
use crate::db::schema::{branch_closures, branches, staff_branches, staff_users};
use crate::db::{bookings as booking_store, catalog, staff as staff_store, PgPool};
use crate::error::ApiError;
use crate::payments::{flow, Payments};
use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveTime, Utc};
use diesel::prelude::*;
use nobat_domain::staff::{password_problems, Permission, Role, StaffScope, Username};
use nobat_domain::wire::Problem;
use nobat_domain::Localized;
use std::collections::BTreeMap;

use super::bookings::conflict;

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::invalid([(field.to_owned(), message.to_owned())].into())
}

fn instant(field: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            invalid(
                field,
                "must be a date and time such as 2026-12-01T09:00:00+05:00",
            )
        })
}

/// Active bookings of a branch whose slot starts in `[from, to)`.
fn bookings_in(
    conn: &mut PgConnection,
    branch_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<i64>> {
    use crate::db::schema::{bookings, slots};
    bookings::table
        .inner_join(slots::table)
        .filter(bookings::branch_id.eq(branch_id))
        .filter(bookings::status.eq_any(["held", "confirmed"]))
        .filter(slots::starts_at.ge(from))
        .filter(slots::starts_at.lt(to))
        .select(bookings::id)
        .order(bookings::id)
        .load(conn)
}

/// `?starts_at=&ends_at=`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ClosureSpan {
    /// RFC 3339, e.g. `2026-12-01T00:00:00+05:00`.
    pub starts_at: String,
    pub ends_at: String,
}

/// How many bookings a closure would cancel.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"affected_bookings": 7}))]
pub struct ClosurePreview {
    pub affected_bookings: usize,
}

/// How many bookings closing a branch for a span would cancel (ask before closing).
#[utoipa::path(
    tag = "staff",
    operation_id = "preview_closure",
    params(("code" = String, Path, description = "The branch", example = "mary"), ClosureSpan),
    responses(
        (status = 200, description = "The bookings the closure would cancel", body = ClosurePreview),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad instants", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/branches/{code}/closures/preview")]
pub async fn preview_closure(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
    span: web::Query<ClosureSpan>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    let (from, to) = (
        instant("starts_at", &span.starts_at)?,
        instant("ends_at", &span.ends_at)?,
    );
    let affected = web::block(move || {
        let mut conn = pool.get()?;
        let branch = catalog::find_branch(&mut conn, &code)?
            .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
        Ok::<_, ApiError>(bookings_in(&mut conn, branch.id, from, to)?.len())
    })
    .await??;
    Ok(HttpResponse::Ok().json(ClosurePreview {
        affected_bookings: affected,
    }))
}

/// `POST /api/v1/staff/branches/{code}/closures`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"starts_at": "2026-12-04T00:00:00+05:00", "ends_at": "2026-12-05T00:00:00+05:00",
    "reason": {"tk": "Abatlaýyş işleri", "ru": "Ремонтные работы", "en": "Renovation works"}, "confirm_cancellations": 7}))]
pub struct NewClosure {
    pub starts_at: String,
    pub ends_at: String,
    /// Shown to citizens in their language.
    pub reason: Localized,
    /// The number of bookings the closure cancels, as the preview said; required when any.
    pub confirm_cancellations: Option<usize>,
}

/// A closure made.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClosureMade {
    pub id: i32,
    /// Bookings cancelled (each citizen gets a message).
    pub cancelled_bookings: usize,
    /// Paid fees refunded now (the rest are retried by the reconciler).
    pub refunded: usize,
}

/// Close a branch for a span: no slots are offered then, and the bookings it covers are
/// cancelled with a message and a refund of any paid fee. When bookings are affected the
/// request must confirm their number (`confirm_cancellations`, from the preview).
#[utoipa::path(
    tag = "staff",
    operation_id = "close_branch",
    request_body = NewClosure,
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 201, description = "Closed", body = ClosureMade),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`confirmation-required`: the detail says how many bookings would be cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad instants or an empty reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/branches/{code}/closures")]
pub async fn close_branch(
    staff: Staff,
    pool: web::Data<PgPool>,
    payments: web::Data<Payments>,
    code: web::Path<String>,
    body: web::Json<NewClosure>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    let (from, to) = (
        instant("starts_at", &body.starts_at)?,
        instant("ends_at", &body.ends_at)?,
    );
    if to <= from {
        return Err(invalid("ends_at", "must be after starts_at"));
    }
    let body = body.into_inner();
    if body.reason.tk.trim().is_empty() {
        return Err(invalid("reason.tk", "the Turkmen reason is required"));
    }
    let pool2 = pool.clone();
    let (made, refunds) = web::block(move || {
        let mut conn = pool2.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = catalog::find_branch(conn, &code)?
                .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
            let affected = bookings_in(conn, branch.id, from, to)?;
            if !affected.is_empty() && body.confirm_cancellations != Some(affected.len()) {
                return Err(conflict(
                    "confirmation-required",
                    "Confirm the cancellations",
                    format!(
                        "Closing cancels {n} booking(s); repeat with \"confirm_cancellations\": {n}.",
                        n = affected.len()
                    ),
                ));
            }
            let id: i32 = diesel::insert_into(branch_closures::table)
                .values((
                    branch_closures::branch_id.eq(branch.id),
                    branch_closures::starts_at.eq(from),
                    branch_closures::ends_at.eq(to),
                    branch_closures::reason_tk.eq(body.reason.tk.trim()),
                    branch_closures::reason_ru.eq(body.reason.ru.trim()),
                    branch_closures::reason_en.eq(body.reason.en.trim()),
                ))
                .returning(branch_closures::id)
                .get_result(conn)?;
            let note = format!("the branch is closed: {}", body.reason.en.trim());
            let mut refunds = Vec::new();
            let mut cancelled = 0;
            for booking in &affected {
                if let Some(ids) =
                    booking_store::cancel_booking(conn, *booking, &staff.username, &note)?
                {
                    cancelled += 1;
                    refunds.extend(ids);
                }
            }
            staff_store::audit(
                conn,
                &staff,
                "close_branch",
                &format!("branch:{code}"),
                serde_json::Value::Null,
                serde_json::json!({"starts_at": from, "ends_at": to, "reason": body.reason, "cancelled_bookings": cancelled}),
            )?;
            Ok((
                ClosureMade {
                    id,
                    cancelled_bookings: cancelled,
                    refunded: 0,
                },
                refunds,
            ))
        })
    })
    .await??;
    let payments = payments.clone();
    let refunded = web::block(move || {
        refunds
            .into_iter()
            .filter(|id| flow::refund(&pool, &payments, *id).unwrap_or(false))
            .count()
    })
    .await?;
    Ok(HttpResponse::Created().json(ClosureMade { refunded, ..made }))
}

/// `PATCH /api/v1/staff/branches/{code}/settings`: any of the fields.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"days_ahead": 21, "release_time": "08:00", "cutoff_minutes": 60, "hall_capacity": 3,
    "checkin_opens_minutes": 60, "max_calls": 3}))]
pub struct BranchSettingsChange {
    /// Bookable this many days ahead (1-366).
    pub days_ahead: Option<i16>,
    /// When the next day is released each day, `HH:MM` local.
    pub release_time: Option<String>,
    /// No booking later than this many minutes before a slot (0-10080).
    pub cutoff_minutes: Option<i16>,
    /// At most this many citizens per slot whatever the counters (null: no cap).
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<i32>)]
    pub hall_capacity: Option<Option<i32>>,
    /// Check-in opens this many minutes before a slot (5-240).
    pub checkin_opens_minutes: Option<i16>,
    /// Calls an absent citizen gets before the operator may mark a no-show (1-10).
    pub max_calls: Option<i16>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
        Option::<i32>::deserialize(d).map(Some)
    }
}

/// The booking settings of a branch.
#[derive(Debug, serde::Serialize, Queryable, utoipa::ToSchema)]
pub struct BranchSettings {
    pub days_ahead: i16,
    #[schema(value_type = String, example = "08:00:00")]
    pub release_time: NaiveTime,
    pub cutoff_minutes: i16,
    pub hall_capacity: Option<i32>,
    pub checkin_opens_minutes: i16,
    pub max_calls: i16,
}

fn settings_columns() -> (
    branches::days_ahead,
    branches::release_time,
    branches::cutoff_minutes,
    branches::hall_capacity,
    branches::checkin_opens_minutes,
    branches::max_calls,
) {
    (
        branches::days_ahead,
        branches::release_time,
        branches::cutoff_minutes,
        branches::hall_capacity,
        branches::checkin_opens_minutes,
        branches::max_calls,
    )
}

/// A branch's booking window, release time, cut-off, hall limit and queue rules.
#[utoipa::path(
    tag = "staff",
    operation_id = "get_branch_settings",
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "The settings", body = BranchSettings),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/branches/{code}/settings")]
pub async fn get_branch_settings(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    let settings = web::block(move || {
        let mut conn = pool.get()?;
        branches::table
            .filter(branches::code.eq(&code))
            .select(settings_columns())
            .first::<BranchSettings>(&mut conn)
            .optional()?
            .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))
    })
    .await??;
    Ok(HttpResponse::Ok().json(settings))
}

/// Change a branch's booking window, release time, cut-off, hall limit and queue rules.
#[utoipa::path(
    tag = "staff",
    operation_id = "change_branch_settings",
    request_body = BranchSettingsChange,
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "The settings now", body = BranchSettings),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A value out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/branches/{code}/settings")]
pub async fn change_branch_settings(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
    body: web::Json<BranchSettingsChange>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    let mut errors = BTreeMap::new();
    if body.days_ahead.is_some_and(|d| !(1..=366).contains(&d)) {
        errors.insert("days_ahead".to_owned(), "must be from 1 to 366".to_owned());
    }
    if body
        .cutoff_minutes
        .is_some_and(|m| !(0..=10080).contains(&m))
    {
        errors.insert(
            "cutoff_minutes".to_owned(),
            "must be from 0 to 10080".to_owned(),
        );
    }
    if body
        .checkin_opens_minutes
        .is_some_and(|m| !(5..=240).contains(&m))
    {
        errors.insert(
            "checkin_opens_minutes".to_owned(),
            "must be from 5 to 240".to_owned(),
        );
    }
    if body.max_calls.is_some_and(|m| !(1..=10).contains(&m)) {
        errors.insert("max_calls".to_owned(), "must be from 1 to 10".to_owned());
    }
    if body.hall_capacity.flatten().is_some_and(|h| h < 1) {
        errors.insert(
            "hall_capacity".to_owned(),
            "must be at least 1, or null".to_owned(),
        );
    }
    let release = match body.release_time.as_deref() {
        None => None,
        Some(raw) => match NaiveTime::parse_from_str(raw.trim(), "%H:%M") {
            Ok(t) => Some(t),
            Err(_) => {
                errors.insert("release_time".to_owned(), "must be HH:MM".to_owned());
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let body = body.into_inner();
    let settings = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let select = settings_columns();
            let target = branches::table.filter(branches::code.eq(&code));
            let before: BranchSettings = target
                .select(select)
                .for_update()
                .first(conn)
                .optional()?
                .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
            diesel::update(target)
                .set((
                    branches::days_ahead.eq(body.days_ahead.unwrap_or(before.days_ahead)),
                    branches::release_time.eq(release.unwrap_or(before.release_time)),
                    branches::cutoff_minutes
                        .eq(body.cutoff_minutes.unwrap_or(before.cutoff_minutes)),
                    branches::hall_capacity.eq(body.hall_capacity.unwrap_or(before.hall_capacity)),
                    branches::checkin_opens_minutes.eq(body
                        .checkin_opens_minutes
                        .unwrap_or(before.checkin_opens_minutes)),
                    branches::max_calls.eq(body.max_calls.unwrap_or(before.max_calls)),
                ))
                .execute(conn)?;
            let after: BranchSettings = target.select(select).first(conn)?;
            staff_store::audit(
                conn,
                &staff,
                "change_branch_settings",
                &format!("branch:{code}"),
                serde_json::to_value(&before).unwrap_or_default(),
                serde_json::to_value(&after).unwrap_or_default(),
            )?;
            Ok(after)
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(settings))
}

/// A staff account as administrators see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub branches: Vec<String>,
    pub active: bool,
    /// Still on a published demo password.
    pub demo_password: bool,
}

fn accounts(conn: &mut PgConnection) -> QueryResult<Vec<Account>> {
    let rows: Vec<(i32, String, String, String, bool, bool)> = staff_users::table
        .order(staff_users::username)
        .select((
            staff_users::id,
            staff_users::username,
            staff_users::display_name,
            staff_users::role,
            staff_users::active,
            staff_users::demo_password,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(id, username, display_name, role, active, demo_password)| {
                Ok(Account {
                    username,
                    display_name,
                    role,
                    branches: staff_store::branch_codes(conn, id)?,
                    active,
                    demo_password,
                })
            },
        )
        .collect()
}

fn visible_to(staff: &Staff, account: &Account) -> bool {
    staff.role() == Role::Admin
        || (staff.role() == Role::BranchHead
            && account
                .branches
                .iter()
                .any(|b| staff.scope.allows(Permission::ManageStaff, Some(b))))
}

/// Staff accounts: every account for an admin, the accounts of their branches for a head.
#[utoipa::path(
    tag = "staff",
    operation_id = "list_accounts",
    responses(
        (status = 200, description = "The accounts", body = Vec<Account>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Operators and editors manage no accounts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/accounts")]
pub async fn list_accounts(
    staff: Staff,
    pool: web::Data<PgPool>,
) -> Result<HttpResponse, ApiError> {
    if !matches!(staff.role(), Role::Admin | Role::BranchHead) {
        return Err(ApiError::Forbidden {
            detail: "Only admins and branch heads manage accounts.".into(),
        });
    }
    let list = web::block(move || {
        let mut conn = pool.get()?;
        Ok::<_, ApiError>(
            accounts(&mut conn)?
                .into_iter()
                .filter(|a| visible_to(&staff, a))
                .collect::<Vec<_>>(),
        )
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(list))
}

/// `POST /api/v1/staff/accounts`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"username": "operator.mary2", "display_name": "Maral Operatorowa", "role": "operator", "branches": ["mary"], "password": "Gök-Dere-2027-ýaz"}))]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    /// admin, branch_head, operator or editor.
    pub role: String,
    #[serde(default)]
    pub branches: Vec<String>,
    /// The first password (12+ characters; the user should change it).
    pub password: String,
}

/// Create a staff account (admins any; branch heads operators of their own branches).
#[utoipa::path(
    tag = "staff",
    operation_id = "create_account",
    request_body = NewAccount,
    responses(
        (status = 201, description = "Created", body = Account),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "You may not grant this role or these branches", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`username-taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad username, role, branch or a weak password", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/accounts")]
pub async fn create_account(
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = BTreeMap::new();
    let username = Username::parse(&body.username)
        .map_err(|e| errors.insert("username".to_owned(), e.to_string()))
        .ok();
    let role = Role::parse(&body.role);
    if role.is_none() {
        errors.insert(
            "role".to_owned(),
            "must be admin, branch_head, operator or editor".to_owned(),
        );
    }
    if body.display_name.trim().is_empty() {
        errors.insert("display_name".to_owned(), "is required".to_owned());
    }
    if let Some(u) = &username {
        let weak = password_problems(&body.password, u.as_str());
        if !weak.is_empty() {
            errors.insert("password".to_owned(), weak.join("; "));
        }
    }
    let (Some(username), Some(role), true) = (username, role, errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    let wanted = StaffScope::new(role, body.branches.clone());
    if !staff.scope.can_manage(&wanted) {
        return Err(ApiError::Forbidden {
            detail: "You may not create an account with this role or these branches.".into(),
        });
    }
    let hash = auth::hash_password(&body.password)?;
    let body = body.into_inner();
    let account = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let known: i64 = branches::table
                .filter(branches::code.eq_any(&body.branches))
                .count()
                .get_result(conn)?;
            if usize::try_from(known).unwrap_or(0) != body.branches.len() {
                return Err(invalid("branches", "names a branch that does not exist"));
            }
            let taken: bool = diesel::select(diesel::dsl::exists(
                staff_users::table.filter(staff_users::username.eq(username.as_str())),
            ))
            .get_result(conn)?;
            if taken {
                return Err(conflict(
                    "username-taken",
                    "The username is taken",
                    format!("There is already an account {:?}.", username.as_str()),
                ));
            }
            let codes: Vec<&str> = body.branches.iter().map(String::as_str).collect();
            staff_store::ensure_account(
                conn,
                username.as_str(),
                body.display_name.trim(),
                &hash,
                role,
                false,
                &codes,
            )?;
            staff_store::audit(
                conn,
                &staff,
                "create_account",
                &format!("staff:{}", username.as_str()),
                serde_json::Value::Null,
                serde_json::json!({"role": role.code(), "branches": body.branches}),
            )?;
            accounts(conn)?
                .into_iter()
                .find(|a| a.username == username.as_str())
                .ok_or_else(|| ApiError::internal("a new account vanished"))
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(account))
}

/// `PATCH /api/v1/staff/accounts/{username}`: any of the fields.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"active": false}))]
pub struct AccountChange {
    pub display_name: Option<String>,
    /// false: the account can no longer log in and its sessions and tokens end.
    pub active: Option<bool>,
    pub branches: Option<Vec<String>>,
}

/// Change, disable or re-enable a staff account (within what you may manage).
#[utoipa::path(
    tag = "staff",
    operation_id = "change_account",
    request_body = AccountChange,
    params(("username" = String, Path, description = "The account", example = "operator.mary")),
    responses(
        (status = 200, description = "The account now", body = Account),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "You may not manage this account (or grant these branches)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A branch that does not exist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/accounts/{username}")]
pub async fn change_account(
    staff: Staff,
    pool: web::Data<PgPool>,
    username: web::Path<String>,
    body: web::Json<AccountChange>,
) -> Result<HttpResponse, ApiError> {
    let username = username.into_inner().to_lowercase();
    let body = body.into_inner();
    let account = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let before = accounts(conn)?
                .into_iter()
                .find(|a| a.username == username)
                .ok_or_else(|| ApiError::not_found("No such account."))?;
            let role = Role::parse(&before.role).unwrap_or(Role::Editor);
            let current = StaffScope::new(role, before.branches.clone());
            let wanted = StaffScope::new(role, body.branches.clone().unwrap_or_else(|| before.branches.clone()));
            if !staff.scope.can_manage(&current) || !staff.scope.can_manage(&wanted) {
                return Err(ApiError::Forbidden {
                    detail: "You may not manage this account or grant these branches.".into(),
                });
            }
            let id: i32 = staff_users::table
                .filter(staff_users::username.eq(&username))
                .select(staff_users::id)
                .first(conn)?;
            if let Some(name) = body.display_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                diesel::update(staff_users::table.filter(staff_users::id.eq(id)))
                    .set(staff_users::display_name.eq(name))
                    .execute(conn)?;
            }
            if let Some(active) = body.active {
                diesel::update(staff_users::table.filter(staff_users::id.eq(id)))
                    .set(staff_users::active.eq(active))
                    .execute(conn)?;
            }
            if let Some(codes) = &body.branches {
                let ids: Vec<i32> = branches::table
                    .filter(branches::code.eq_any(codes))
                    .select(branches::id)
                    .load(conn)?;
                if ids.len() != codes.len() {
                    return Err(invalid("branches", "names a branch that does not exist"));
                }
                diesel::delete(staff_branches::table.filter(staff_branches::user_id.eq(id)))
                    .execute(conn)?;
                for branch in ids {
                    diesel::insert_into(staff_branches::table)
                        .values((staff_branches::user_id.eq(id), staff_branches::branch_id.eq(branch)))
                        .execute(conn)?;
                }
            }
            let after = accounts(conn)?
                .into_iter()
                .find(|a| a.username == username)
                .ok_or_else(|| ApiError::internal("an account vanished"))?;
            staff_store::audit(
                conn,
                &staff,
                "change_account",
                &format!("staff:{username}"),
                serde_json::json!({"active": before.active, "branches": before.branches, "display_name": before.display_name}),
                serde_json::json!({"active": after.active, "branches": after.branches, "display_name": after.display_name}),
            )?;
            Ok(after)
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(account))
}
