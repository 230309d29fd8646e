//! Passport applications for staff: the list with filters, one application with its photo and
//! history, and moving it through the statuses the domain allows (with a note; audited).
//! Operators and heads see the applications collected at their branches; admins all.

use super::applications::{photo_file, photo_response, ApplicationSettings, ApplicationView};
use super::bookings::{conflict, request_language};
use crate::auth::Staff;
use crate::db::applications::{self as store, ApplicationRow, Filter};
use crate::db::schema::branches;
use crate::db::{staff as staff_store, PgPool};
use crate::error::ApiError;
use crate::http::no_store;
use crate::payments::Payments;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use nobat_domain::booking::FieldErrors;
use nobat_domain::catalog::{parse_paging, Page};
use nobat_domain::passport::{ApplicationReason, ApplicationStatus};
use nobat_domain::staff::Permission;
use nobat_domain::wire::Problem;
use utoipa::IntoParams;

#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// Only this status.
    #[param(example = "submitted")]
    status: Option<String>,
    /// Only applications collected at this branch.
    #[param(example = "ashgabat-city")]
    branch: Option<String>,
    /// Only this reason.
    reason: Option<String>,
    /// Submitted on or after this date, `YYYY-MM-DD` (Aşgabat time).
    from: Option<String>,
    /// Submitted on or before this date.
    to: Option<String>,
    /// One application number.
    q: Option<String>,
    /// 1-based page number (default 1).
    page: Option<String>,
    /// Items per page, 1-100 (default 20).
    per_page: Option<String>,
}

/// One line of the staff list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ApplicationSummary {
    pub number: String,
    pub status: ApplicationStatus,
    pub status_label: String,
    pub reason: Option<String>,
    pub full_name: String,
    pub collection_branch: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// An application as staff see it: the holder's view, the name, the branch and the statuses
/// it may move to.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StaffApplicationView {
    #[serde(flatten)]
    pub view: ApplicationView,
    pub full_name: String,
    pub collection_branch: Option<String>,
    /// The statuses staff may move it to now (the console's buttons).
    pub allowed: Vec<ApplicationStatus>,
}

fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    nobat_domain::calendar::local_instant(date, chrono::NaiveTime::MIN).with_timezone(&Utc)
}

fn date(errors: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| errors.insert(field.to_owned(), "must be a date such as 2026-12-01".into()))
        .ok()
}

/// The branch ids the staff member's applications come from (None: every branch).
fn visible_branches(conn: &mut PgConnection, staff: &Staff) -> Result<Option<Vec<i32>>, ApiError> {
    if staff.scope.all_branches() {
        return Ok(None);
    }
    let mine: Vec<String> = staff
        .scope
        .branches
        .iter()
        .filter(|b| staff.scope.allows(Permission::HandleApplications, Some(b)))
        .cloned()
        .collect();
    Ok(Some(
        branches::table
            .filter(branches::code.eq_any(mine))
            .select(branches::id)
            .load(conn)?,
    ))
}

/// Submitted applications, the newest first, filtered; an operator or head sees those of
/// their branches only.
#[utoipa::path(
    tag = "staff",
    operation_id = "list_applications",
    params(ApplicationQuery),
    responses(
        (status = 200, description = "One page of applications", body = Page<ApplicationSummary>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A role that does not handle applications, or another branch", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter or paging value, named in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/passport-applications")]
pub async fn list_applications(
    request: HttpRequest,
    staff: Staff,
    pool: web::Data<PgPool>,
    query: web::Query<ApplicationQuery>,
) -> Result<HttpResponse, ApiError> {
    let branch = query
        .branch
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty());
    match branch {
        Some(code) => staff.require(Permission::HandleApplications, Some(code))?,
        None if staff.scope.all_branches() => {}
        None => {
            if !staff
                .scope
                .branches
                .iter()
                .any(|b| staff.scope.allows(Permission::HandleApplications, Some(b)))
            {
                staff.require(Permission::HandleApplications, None)?;
            }
        }
    }
    let mut errors = FieldErrors::new();
    let paging = parse_paging(query.page.as_deref(), query.per_page.as_deref(), 20);
    if let Err(e) = &paging {
        errors.extend(e.clone());
    }
    let status = query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if status.is_some_and(|s| ApplicationStatus::parse(s).is_none()) {
        errors.insert("status".into(), "is not an application status".into());
    }
    let reason = query
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if reason.is_some_and(|r| ApplicationReason::parse(r).is_none()) {
        errors.insert("reason".into(), "is not an application reason".into());
    }
    let from = date(&mut errors, "from", query.from.as_deref());
    let to = date(&mut errors, "to", query.to.as_deref());
    let (page, per_page) = match paging {
        Ok(p) if errors.is_empty() => p,
        _ => return Err(ApiError::invalid(errors)),
    };
    let mut filter = Filter {
        status: status.map(str::to_owned),
        reason: reason.map(str::to_owned),
        from: from.map(local_midnight),
        to: to.and_then(|d| d.succ_opt()).map(local_midnight),
        number: query
            .q
            .as_deref()
            .map(|q| q.trim().to_uppercase())
            .filter(|q| !q.is_empty()),
        ..Filter::default()
    };
    let branch = branch.map(str::to_owned);
    let language = request_language(&request);
    let body = web::block(move || {
        let mut conn = pool.get()?;
        filter.branches = visible_branches(&mut conn, &staff)?;
        if let Some(code) = &branch {
            let id: Option<i32> = branches::table
                .filter(branches::code.eq(code))
                .select(branches::id)
                .first(&mut conn)
                .optional()?;
            filter.branch = Some(id.unwrap_or(-1));
        }
        let offset = i64::from((page - 1) * per_page);
        let (rows, total) = store::list(&mut conn, &filter, offset, i64::from(per_page))?;
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.collection_branch_id).collect();
        let codes = store::branch_codes(&mut conn, &ids)?;
        let items = rows
            .iter()
            .map(|r| {
                let status =
                    ApplicationStatus::parse(&r.status).unwrap_or(ApplicationStatus::Draft);
                ApplicationSummary {
                    number: r.number.clone(),
                    status,
                    status_label: status.label(language),
                    reason: r.reason.clone(),
                    full_name: r.full_name.clone(),
                    collection_branch: r
                        .collection_branch_id
                        .and_then(|id| codes.get(&id).cloned()),
                    submitted_at: r.submitted_at,
                    updated_at: r.updated_at,
                }
            })
            .collect();
        Ok::<_, ApiError>(Page {
            items,
            page,
            per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    })
    .await??;
    Ok(no_store(&body))
}

/// The submitted application (drafts are the citizen's alone) if the staff member may see it.
fn visible(
    conn: &mut PgConnection,
    staff: &Staff,
    number: &str,
) -> Result<(ApplicationRow, Option<String>), ApiError> {
    let row = store::find(conn, number.trim())?
        .filter(|r| r.status != "draft")
        .ok_or_else(|| ApiError::not_found("No submitted application has this number."))?;
    let branch = match row.collection_branch_id {
        Some(id) => Some(store::branch_of(conn, id)?.0),
        None => None,
    };
    staff.require(Permission::HandleApplications, branch.as_deref())?;
    Ok((row, branch))
}

fn staff_view(
    conn: &mut PgConnection,
    row: &ApplicationRow,
    branch: Option<String>,
    settings: &ApplicationSettings,
    public_url: &str,
) -> Result<StaffApplicationView, ApiError> {
    let view = super::applications::view_of(conn, row, &settings.fees, public_url)?;
    let allowed = view
        .status
        .next_statuses()
        .into_iter()
        .filter(|next| view.status.staff_can_move_to(*next))
        .collect();
    Ok(StaffApplicationView {
        view,
        full_name: row.full_name.clone(),
        collection_branch: branch,
        allowed,
    })
}

/// One application with its answers, history and the statuses it may move to.
#[utoipa::path(
    tag = "staff",
    operation_id = "get_staff_application",
    params(("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93")),
    responses(
        (status = 200, description = "The application", body = StaffApplicationView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Collected at another branch, or a role that does not handle applications", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No submitted application has this number", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/passport-applications/{number}")]
pub async fn get_staff_application(
    staff: Staff,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    payments: web::Data<Payments>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require_any(Permission::HandleApplications)?;
    let public_url = payments.public_url.clone();
    let body = web::block(move || {
        let mut conn = pool.get()?;
        let (row, branch) = visible(&mut conn, &staff, &number)?;
        staff_view(&mut conn, &row, branch, &settings, &public_url)
    })
    .await??;
    Ok(no_store(&body))
}

/// The applicant's photo.
#[utoipa::path(
    tag = "staff",
    operation_id = "get_staff_application_photo",
    params(("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93")),
    responses(
        (status = 200, description = "The image", content_type = "image/jpeg"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Collected at another branch, or a role that does not handle applications", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application or no photo", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/passport-applications/{number}/photo")]
pub async fn get_staff_application_photo(
    staff: Staff,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require_any(Permission::HandleApplications)?;
    web::block(move || {
        let mut conn = pool.get()?;
        let (row, _) = visible(&mut conn, &staff, &number)?;
        photo_file(&settings, &row)
    })
    .await?
    .map(photo_response)
}

/// `POST /api/v1/staff/passport-applications/{number}/status`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"status": "needs_action", "note": "Bring the birth certificate of your child."}))]
pub struct StatusChange {
    pub status: String,
    /// Shown to the citizen; required for `needs_action` (what to bring) and `rejected` (why).
    #[serde(default)]
    pub note: String,
}

/// Move an application to the next status with a note. Only the moves the domain allows
/// (409 otherwise); every move is in the history and the audit log.
#[utoipa::path(
    tag = "staff",
    operation_id = "change_application_status",
    request_body = StatusChange,
    params(("number" = String, Path, description = "The application number", example = "P-26-4K7Q-93")),
    responses(
        (status = 200, description = "The application now", body = StaffApplicationView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Collected at another branch, or a role that does not handle applications", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No submitted application has this number", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition-not-allowed`: the status cannot follow the current one", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown status, or no note where one is required", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/passport-applications/{number}/status")]
pub async fn change_application_status(
    request: HttpRequest,
    staff: Staff,
    pool: web::Data<PgPool>,
    settings: web::Data<ApplicationSettings>,
    payments: web::Data<Payments>,
    number: web::Path<String>,
    body: web::Json<StatusChange>,
) -> Result<HttpResponse, ApiError> {
    staff.require_any(Permission::HandleApplications)?;
    let next = ApplicationStatus::parse(body.status.trim()).ok_or_else(|| {
        ApiError::invalid(
            [(
                "status".to_owned(),
                "must be one of submitted, under_review, needs_action, in_production, ready, issued, rejected".to_owned(),
            )]
            .into(),
        )
    })?;
    let note = body.note.trim().to_owned();
    if note.chars().count() > 2000 {
        return Err(ApiError::invalid(
            [(
                "note".to_owned(),
                "must be at most 2000 characters".to_owned(),
            )]
            .into(),
        ));
    }
    let public_url = payments.public_url.clone();
    let language = request_language(&request);
    let answer = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let (found, branch) = visible(conn, &staff, &number)?;
            let row = store::lock(conn, found.id)?;
            let current = ApplicationStatus::parse(&row.status).unwrap_or(ApplicationStatus::Draft);
            if let Err(e) = current.check_transition(next, &note) {
                return Err(match e {
                    nobat_domain::passport::TransitionError::NoteRequired { .. } => {
                        ApiError::invalid([("note".to_owned(), e.message(language))].into())
                    }
                    _ => conflict(
                        "transition-not-allowed",
                        "Not allowed now",
                        e.message(language),
                    ),
                });
            }
            if !current.staff_can_move_to(next) {
                return Err(conflict(
                    "transition-not-allowed",
                    "Not allowed now",
                    "Only the payment submits an application.".into(),
                ));
            }
            store::transition(
                conn,
                row.id,
                current.code(),
                next.code(),
                &staff.username,
                Some(staff.id),
                &note,
            )?;
            staff_store::audit(
                conn,
                &staff,
                "change_application_status",
                &format!("application:{}", row.number),
                serde_json::json!({"status": current.code()}),
                serde_json::json!({"status": next.code(), "note": note}),
            )?;
            let row = store::lock(conn, row.id)?;
            staff_view(conn, &row, branch, &settings, &public_url)
        })
    })
    .await??;
    Ok(no_store(&answer))
}
