//! Branch reports for a day range: bookings by outcome, waits (check-in → first call) and
//! service times (first call → served) with average and 90th percentile, per-counter throughput,
//! and the same per day as CSV.

use crate::auth::Staff;
use crate::db::{catalog, PgPool};
use crate::error::ApiError;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Integer, Nullable};
use nobat_domain::staff::Permission;
use nobat_domain::wire::Problem;

/// `?from=&to=&format=`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// First day (Asia/Ashgabat), `YYYY-MM-DD`.
    pub from: String,
    /// Last day, inclusive; at most 366 days after `from`.
    pub to: String,
    /// `json` (default) or `csv` (one row per day).
    pub format: Option<String>,
}

/// Counts of one day (or the whole range).
#[derive(Debug, Clone, Default, serde::Serialize, QueryableByName, utoipa::ToSchema)]
pub struct DayCounts {
    #[diesel(sql_type = Nullable<Date>)]
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
    /// Bookings for slots in the range, whatever became of them (unpaid lapsed holds excluded).
    #[diesel(sql_type = BigInt)]
    pub booked: i64,
    /// Of those, paid by card.
    #[diesel(sql_type = BigInt)]
    pub paid: i64,
    #[diesel(sql_type = BigInt)]
    pub checked_in: i64,
    /// Not checked in by the start (late): the booking was lost.
    #[diesel(sql_type = BigInt)]
    pub missed: i64,
    #[diesel(sql_type = BigInt)]
    pub no_show: i64,
    #[diesel(sql_type = BigInt)]
    pub served: i64,
    #[diesel(sql_type = BigInt)]
    pub cancelled: i64,
}

/// Average and 90th percentile of a duration, in seconds.
#[derive(Debug, Clone, Default, serde::Serialize, QueryableByName, utoipa::ToSchema)]
pub struct Timing {
    #[diesel(sql_type = BigInt)]
    pub count: i64,
    #[diesel(sql_type = Nullable<Double>)]
    pub average_seconds: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    pub p90_seconds: Option<f64>,
}

/// Served citizens per counter.
#[derive(Debug, Clone, serde::Serialize, QueryableByName, utoipa::ToSchema)]
pub struct CounterThroughput {
    #[diesel(sql_type = Integer)]
    pub counter: i32,
    #[diesel(sql_type = BigInt)]
    pub served: i64,
    #[diesel(sql_type = Nullable<Double>)]
    pub average_service_seconds: Option<f64>,
}

/// A branch's report for a day range.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BranchReport {
    pub branch: String,
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    pub totals: DayCounts,
    /// Check-in → first call, for everyone called (booked or walk-in).
    pub wait: Timing,
    /// First call → served.
    pub service: Timing,
    pub counters: Vec<CounterThroughput>,
    pub days: Vec<DayCounts>,
}

const DAY_COUNTS: &str = "
SELECT {date} AS date,
       count(*) AS booked,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.status IN ('paid', 'refund_pending', 'refunded'))) AS paid,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM queue_entries e WHERE e.booking_id = b.id)) AS checked_in,
       count(*) FILTER (WHERE b.status = 'missed') AS missed,
       count(*) FILTER (WHERE b.status = 'no_show') AS no_show,
       count(*) FILTER (WHERE b.status = 'served') AS served,
       count(*) FILTER (WHERE b.status = 'cancelled') AS cancelled
FROM bookings b JOIN slots s ON s.id = b.slot_id
WHERE b.branch_id = $1 AND b.status <> 'expired'
  AND (s.starts_at AT TIME ZONE 'Asia/Ashgabat')::date BETWEEN $2 AND $3";

fn timing(
    conn: &mut PgConnection,
    branch: i32,
    range: (NaiveDate, NaiveDate),
    from_col: &str,
    to_col: &str,
    only_served: bool,
) -> QueryResult<Timing> {
    diesel::sql_query(format!(
        "SELECT count(*) AS count,
                avg(extract(epoch FROM {to_col} - {from_col}))::float8 AS average_seconds,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM {to_col} - {from_col}))::float8 AS p90_seconds
         FROM queue_entries
         WHERE branch_id = $1 AND queue_date BETWEEN $2 AND $3
           AND {from_col} IS NOT NULL AND {to_col} IS NOT NULL {served}",
        served = if only_served { "AND status = 'served'" } else { "" }
    ))
    .bind::<Integer, _>(branch)
    .bind::<Date, _>(range.0)
    .bind::<Date, _>(range.1)
    .get_result(conn)
}

fn report(
    conn: &mut PgConnection,
    code: String,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BranchReport, ApiError> {
    let branch = catalog::find_branch(conn, &code)?
        .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
    let totals: DayCounts = diesel::sql_query(DAY_COUNTS.replace("{date}", "NULL::date"))
        .bind::<Integer, _>(branch.id)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .get_result(conn)?;
    let days: Vec<DayCounts> = diesel::sql_query(format!(
        "{} GROUP BY 1 ORDER BY 1",
        DAY_COUNTS.replace("{date}", "(s.starts_at AT TIME ZONE 'Asia/Ashgabat')::date")
    ))
    .bind::<Integer, _>(branch.id)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;
    let wait = timing(
        conn,
        branch.id,
        (from, to),
        "checked_in_at",
        "first_called_at",
        false,
    )?;
    let service = timing(
        conn,
        branch.id,
        (from, to),
        "first_called_at",
        "finished_at",
        true,
    )?;
    let counters: Vec<CounterThroughput> = diesel::sql_query(
        "SELECT c.number::int AS counter, count(*) AS served,
                avg(extract(epoch FROM e.finished_at - e.first_called_at))::float8 AS average_service_seconds
         FROM queue_entries e JOIN counters c ON c.id = e.counter_id
         WHERE e.branch_id = $1 AND e.queue_date BETWEEN $2 AND $3 AND e.status = 'served'
         GROUP BY c.number ORDER BY c.number",
    )
    .bind::<Integer, _>(branch.id)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;
    Ok(BranchReport {
        branch: code,
        from,
        to,
        totals,
        wait,
        service,
        counters,
        days,
    })
}

fn csv(report: &BranchReport) -> String {
    let mut out = String::from("date,booked,paid,checked_in,missed,no_show,served,cancelled\n");
    for d in &report.days {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            d.date.map(|d| d.to_string()).unwrap_or_default(),
            d.booked,
            d.paid,
            d.checked_in,
            d.missed,
            d.no_show,
            d.served,
            d.cancelled
        ));
    }
    out
}

/// A branch's report for a day range (branch heads of the branch and admins).
#[utoipa::path(
    tag = "staff",
    operation_id = "branch_report",
    params(("code" = String, Path, description = "The branch", example = "mary"), ReportQuery),
    responses(
        (status = 200, description = "The report (JSON, or CSV per day with `format=csv`)", body = BranchReport),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad dates or format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/branches/{code}/reports")]
pub async fn branch_report(
    staff: Staff,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    staff.require(Permission::ViewReports, Some(&code))?;
    let mut errors = std::collections::BTreeMap::new();
    let from = NaiveDate::parse_from_str(query.from.trim(), "%Y-%m-%d").ok();
    let to = NaiveDate::parse_from_str(query.to.trim(), "%Y-%m-%d").ok();
    if from.is_none() {
        errors.insert(
            "from".to_owned(),
            "must be a date such as 2026-12-01".to_owned(),
        );
    }
    if to.is_none() {
        errors.insert(
            "to".to_owned(),
            "must be a date such as 2026-12-31".to_owned(),
        );
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f || (t - f).num_days() > 366 {
            errors.insert(
                "to".to_owned(),
                "must be from `from` to 366 days after it".to_owned(),
            );
        }
    }
    let as_csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            errors.insert("format".to_owned(), "must be json or csv".to_owned());
            false
        }
    };
    let (Some(from), Some(to), true) = (from, to, errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    let report = web::block(move || {
        let mut conn = pool.get()?;
        report(&mut conn, code, from, to)
    })
    .await??;
    if as_csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"nobat-{}-{}-{}.csv\"",
                    report.branch, report.from, report.to
                ),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(csv(&report)));
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(report))
}
