//! Changing what availability is computed from: a branch's weekly opening plans, its counters
//! and the services they serve, and the national holidays. Validated by the domain's rules;
//! audited with before and after.

use crate::auth::Staff;
use crate::db::schema::{
    counter_services, counters, holidays, opening_breaks, opening_hours, opening_plans, services,
};
use crate::db::{catalog, staff as staff_store, PgPool};
use crate::error::ApiError;
use actix_web::{delete, patch, post, put, web, HttpResponse};
use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;
use nobat_domain::opening::{minute_of, DayHours, Span};
use nobat_domain::staff::Permission;
use nobat_domain::wire::Problem;
use nobat_domain::Localized;
use std::collections::BTreeMap;

use super::bookings::conflict;

fn time(errors: &mut BTreeMap<String, String>, field: String, raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| errors.insert(field, "must be HH:MM".to_owned()))
        .ok()
}

/// One weekday of an opening plan.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"weekday": 1, "opens": "09:00", "closes": "18:00", "breaks": [{"starts": "13:00", "ends": "14:00"}]}))]
pub struct PlanDay {
    /// ISO weekday: 1 Monday … 7 Sunday.
    pub weekday: i16,
    pub opens: String,
    pub closes: String,
    #[serde(default)]
    pub breaks: Vec<PlanBreak>,
}

#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct PlanBreak {
    pub starts: String,
    pub ends: String,
}

/// `PUT /api/v1/staff/branches/{code}/opening-plans/{effective_from}`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"days": [{"weekday": 1, "opens": "09:00", "closes": "18:00", "breaks": [{"starts": "13:00", "ends": "14:00"}]},
    {"weekday": 6, "opens": "09:00", "closes": "13:00"}]}))]
pub struct OpeningPlan {
    /// The open weekdays; a weekday not listed is closed.
    pub days: Vec<PlanDay>,
}

/// Set the weekly opening plan of a branch from a date on (replacing a plan from the same date).
/// Existing bookings are kept; the plan shapes the slots offered from then on.
#[utoipa::path(
    tag = "staff",
    operation_id = "put_opening_plan",
    request_body = OpeningPlan,
    params(
        ("code" = String, Path, description = "The branch", example = "mary"),
        ("effective_from" = String, Path, description = "The first day the plan applies, YYYY-MM-DD", example = "2027-01-04"),
    ),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad times, a break outside the hours or overlapping, a weekday twice; keyed like `days[0].breaks[1]`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/branches/{code}/opening-plans/{effective_from}")]
pub async fn put_opening_plan(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<(String, String)>,
    body: web::Json<OpeningPlan>,
) -> Result<HttpResponse, ApiError> {
    let (code, from) = path.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    let mut errors = BTreeMap::new();
    let from = NaiveDate::parse_from_str(&from, "%Y-%m-%d")
        .map_err(|_| errors.insert("effective_from".to_owned(), "must be YYYY-MM-DD".to_owned()))
        .ok();
    let mut seen = std::collections::BTreeSet::new();
    let mut days = Vec::new();
    for (i, day) in body.days.iter().enumerate() {
        if !(1..=7).contains(&day.weekday) || !seen.insert(day.weekday) {
            errors.insert(
                format!("days[{i}].weekday"),
                "must be 1-7, each at most once".to_owned(),
            );
            continue;
        }
        let opens = time(&mut errors, format!("days[{i}].opens"), &day.opens);
        let closes = time(&mut errors, format!("days[{i}].closes"), &day.closes);
        let breaks: Vec<Option<(NaiveTime, NaiveTime)>> = day
            .breaks
            .iter()
            .enumerate()
            .map(|(j, b)| {
                let s = time(
                    &mut errors,
                    format!("days[{i}].breaks[{j}].starts"),
                    &b.starts,
                );
                let e = time(&mut errors, format!("days[{i}].breaks[{j}].ends"), &b.ends);
                s.zip(e)
            })
            .collect();
        let (Some(opens), Some(closes)) = (opens, closes) else {
            continue;
        };
        let Some(breaks) = breaks.into_iter().collect::<Option<Vec<_>>>() else {
            continue;
        };
        let spans = breaks
            .iter()
            .map(|(s, e)| Span {
                start: minute_of(*s),
                end: minute_of(*e),
            })
            .collect();
        match DayHours::new(minute_of(opens), minute_of(closes), spans) {
            Ok(_) => days.push((day.weekday, opens, closes, breaks)),
            Err(e) => {
                errors.insert(format!("days[{i}]"), e.to_string());
            }
        }
    }
    let (Some(from), true) = (from, errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    let plan = serde_json::to_value(&body.days).unwrap_or_default();
    web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = catalog::find_branch(conn, &code)?
                .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
            diesel::delete(
                opening_plans::table
                    .filter(opening_plans::branch_id.eq(branch.id))
                    .filter(opening_plans::effective_from.eq(from)),
            )
            .execute(conn)?;
            let plan_id: i32 = diesel::insert_into(opening_plans::table)
                .values((
                    opening_plans::branch_id.eq(branch.id),
                    opening_plans::effective_from.eq(from),
                ))
                .returning(opening_plans::id)
                .get_result(conn)?;
            for (weekday, opens, closes, breaks) in &days {
                diesel::insert_into(opening_hours::table)
                    .values((
                        opening_hours::plan_id.eq(plan_id),
                        opening_hours::weekday.eq(weekday),
                        opening_hours::opens.eq(opens),
                        opening_hours::closes.eq(closes),
                    ))
                    .execute(conn)?;
                for (starts, ends) in breaks {
                    diesel::insert_into(opening_breaks::table)
                        .values((
                            opening_breaks::plan_id.eq(plan_id),
                            opening_breaks::weekday.eq(weekday),
                            opening_breaks::starts.eq(starts),
                            opening_breaks::ends.eq(ends),
                        ))
                        .execute(conn)?;
                }
            }
            staff_store::audit(
                conn,
                &staff,
                "put_opening_plan",
                &format!("branch:{code}/plan:{from}"),
                serde_json::Value::Null,
                plan,
            )
            .map_err(ApiError::from)
        })
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/staff/branches/{code}/counters`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"number": 7, "label": "7", "services": ["passport-international"]}))]
pub struct NewCounter {
    pub number: i16,
    pub label: Option<String>,
    /// Service codes the counter serves.
    pub services: Vec<String>,
}

/// `PATCH /api/v1/staff/branches/{code}/counters/{number}`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"services": ["passport-international", "reception"], "active": true}))]
pub struct CounterChange {
    pub label: Option<String>,
    pub services: Option<Vec<String>>,
    /// false takes the counter out of service (it no longer adds capacity).
    pub active: Option<bool>,
}

fn service_ids(conn: &mut PgConnection, codes: &[String]) -> Result<Vec<i32>, ApiError> {
    let ids: Vec<i32> = services::table
        .filter(services::code.eq_any(codes))
        .select(services::id)
        .load(conn)?;
    if ids.len() != codes.len() || codes.is_empty() {
        return Err(ApiError::invalid(
            [(
                "services".to_owned(),
                "must name existing services, at least one".to_owned(),
            )]
            .into(),
        ));
    }
    Ok(ids)
}

fn set_services(conn: &mut PgConnection, counter: i32, ids: &[i32]) -> QueryResult<()> {
    diesel::delete(counter_services::table.filter(counter_services::counter_id.eq(counter)))
        .execute(conn)?;
    for id in ids {
        diesel::insert_into(counter_services::table)
            .values((
                counter_services::counter_id.eq(counter),
                counter_services::service_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Add a counter to a branch (it adds capacity to the slots of its services from now on).
#[utoipa::path(
    tag = "staff",
    operation_id = "create_counter",
    request_body = NewCounter,
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 201, description = "Added"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`counter-exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad number or unknown services", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/branches/{code}/counters")]
pub async fn create_counter(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
    body: web::Json<NewCounter>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    if !(1..=99).contains(&body.number) {
        return Err(ApiError::invalid(
            [("number".to_owned(), "must be from 1 to 99".to_owned())].into(),
        ));
    }
    let body = body.into_inner();
    web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = catalog::find_branch(conn, &code)?
                .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
            let ids = service_ids(conn, &body.services)?;
            let label = body
                .label
                .clone()
                .unwrap_or_else(|| body.number.to_string());
            let id: Option<i32> = diesel::insert_into(counters::table)
                .values((
                    counters::branch_id.eq(branch.id),
                    counters::number.eq(body.number),
                    counters::label.eq(&label),
                ))
                .on_conflict_do_nothing()
                .returning(counters::id)
                .get_result(conn)
                .optional()?;
            let id = id.ok_or_else(|| {
                conflict(
                    "counter-exists",
                    "The counter exists",
                    format!("The branch already has a counter {}.", body.number),
                )
            })?;
            set_services(conn, id, &ids)?;
            staff_store::audit(
                conn,
                &staff,
                "create_counter",
                &format!("counter:{code}/{}", body.number),
                serde_json::Value::Null,
                serde_json::json!({"label": label, "services": body.services}),
            )
            .map_err(ApiError::from)
        })
    })
    .await??;
    Ok(HttpResponse::Created().finish())
}

/// Change a counter's label, services or whether it is in service.
#[utoipa::path(
    tag = "staff",
    operation_id = "change_counter",
    request_body = CounterChange,
    params(
        ("code" = String, Path, description = "The branch", example = "mary"),
        ("number" = i16, Path, description = "The counter", example = 1),
    ),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch or counter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown services", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/branches/{code}/counters/{number}")]
pub async fn change_counter(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<(String, i16)>,
    body: web::Json<CounterChange>,
) -> Result<HttpResponse, ApiError> {
    let (code, number) = path.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    let body = body.into_inner();
    web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let branch = catalog::find_branch(conn, &code)?
                .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
            let (id, label, active): (i32, String, bool) = counters::table
                .filter(counters::branch_id.eq(branch.id))
                .filter(counters::number.eq(number))
                .select((counters::id, counters::label, counters::active))
                .for_update()
                .first(conn)
                .optional()?
                .ok_or_else(|| ApiError::not_found(format!("There is no counter {number} here.")))?;
            if let Some(codes) = &body.services {
                let ids = service_ids(conn, codes)?;
                set_services(conn, id, &ids)?;
            }
            diesel::update(counters::table.filter(counters::id.eq(id)))
                .set((
                    counters::label.eq(body.label.clone().unwrap_or(label.clone())),
                    counters::active.eq(body.active.unwrap_or(active)),
                ))
                .execute(conn)?;
            staff_store::audit(
                conn,
                &staff,
                "change_counter",
                &format!("counter:{code}/{number}"),
                serde_json::json!({"label": label, "active": active}),
                serde_json::json!({"label": body.label, "active": body.active, "services": body.services}),
            )
            .map_err(ApiError::from)
        })
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/staff/holidays`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"date": "2027-03-22", "kind": "transfer", "name": {"tk": "Dynç güni", "ru": "Выходной день", "en": "Day off"}, "transferred_from": "2027-03-21"}))]
pub struct NewHoliday {
    pub date: String,
    /// fixed, movable, extra (a decreed day off) or transfer (a day off moved from `transferred_from`).
    pub kind: String,
    pub name: Localized,
    #[serde(default)]
    pub provisional: bool,
    pub transferred_from: Option<String>,
}

/// Add a national day off (admins). Availability stops offering it at once.
#[utoipa::path(
    tag = "staff",
    operation_id = "create_holiday",
    request_body = NewHoliday,
    responses(
        (status = 201, description = "Added; the body is its id", body = i32, content_type = "application/json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`holiday-exists`: that date already has that holiday", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad date or kind", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/holidays")]
pub async fn create_holiday(
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<NewHoliday>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let mut errors = BTreeMap::new();
    let date = NaiveDate::parse_from_str(body.date.trim(), "%Y-%m-%d")
        .map_err(|_| errors.insert("date".to_owned(), "must be YYYY-MM-DD".to_owned()))
        .ok();
    let kind = body.kind.trim().to_owned();
    if !matches!(kind.as_str(), "fixed" | "movable" | "extra" | "transfer") {
        errors.insert(
            "kind".to_owned(),
            "must be fixed, movable, extra or transfer".to_owned(),
        );
    }
    let from = match (kind.as_str(), body.transferred_from.as_deref()) {
        ("transfer", Some(raw)) => NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| {
                errors.insert(
                    "transferred_from".to_owned(),
                    "must be YYYY-MM-DD".to_owned(),
                )
            })
            .ok(),
        ("transfer", None) => {
            errors.insert(
                "transferred_from".to_owned(),
                "is required for a transfer".to_owned(),
            );
            None
        }
        (_, Some(_)) => {
            errors.insert(
                "transferred_from".to_owned(),
                "only for a transfer".to_owned(),
            );
            None
        }
        _ => None,
    };
    if body.name.tk.trim().is_empty() || body.name.en.trim().is_empty() {
        errors.insert(
            "name".to_owned(),
            "needs at least the Turkmen and English names".to_owned(),
        );
    }
    let (Some(date), true) = (date, errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    let body = body.into_inner();
    let id = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let id: Option<i32> = diesel::insert_into(holidays::table)
                .values((
                    holidays::date.eq(date),
                    holidays::kind.eq(&kind),
                    holidays::name_tk.eq(body.name.tk.trim()),
                    holidays::name_ru.eq(body.name.ru.trim()),
                    holidays::name_en.eq(body.name.en.trim()),
                    holidays::provisional.eq(body.provisional),
                    holidays::transferred_from.eq(from),
                ))
                .on_conflict_do_nothing()
                .returning(holidays::id)
                .get_result(conn)
                .optional()?;
            let id = id.ok_or_else(|| {
                conflict(
                    "holiday-exists",
                    "The holiday exists",
                    format!("{date} already has this holiday."),
                )
            })?;
            staff_store::audit(
                conn,
                &staff,
                "create_holiday",
                &format!("holiday:{id}"),
                serde_json::Value::Null,
                serde_json::json!({"date": date, "kind": kind, "name": body.name}),
            )?;
            Ok(id)
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(id))
}

/// Remove a day off (admins).
#[utoipa::path(
    tag = "staff",
    operation_id = "delete_holiday",
    params(("id" = i32, Path, description = "The holiday's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such holiday", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/staff/holidays/{id}")]
pub async fn delete_holiday(
    staff: Staff,
    pool: web::Data<PgPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let id = id.into_inner();
    web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let before: Option<(NaiveDate, String)> =
                diesel::delete(holidays::table.filter(holidays::id.eq(id)))
                    .returning((holidays::date, holidays::name_en))
                    .get_result(conn)
                    .optional()?;
            let (date, name) = before.ok_or_else(|| ApiError::not_found("No such holiday."))?;
            staff_store::audit(
                conn,
                &staff,
                "delete_holiday",
                &format!("holiday:{id}"),
                serde_json::json!({"date": date, "name": name}),
                serde_json::Value::Null,
            )
            .map_err(ApiError::from)
        })
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}
