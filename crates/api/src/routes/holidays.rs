//! `GET /api/v1/holidays?year=YYYY`: the national days off, with Sunday holidays' transfers.

use crate::db::{catalog, PgPool};
use crate::error::ApiError;
use crate::http::{cache, json_with_etag};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Datelike, Days, NaiveDate, Utc};
use nobat_domain::calendar::{local_date, HolidayCalendar};
use nobat_domain::catalog::HolidayEntry;
use nobat_domain::wire::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayQuery {
    /// The year, 2000-2100 (default: the current year in Aşgabat).
    #[param(example = 2026)]
    year: Option<String>,
}

/// The days off of one year.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayList {
    pub year: i32,
    pub items: Vec<HolidayEntry>,
}

/// National holidays and the days off that replace Sunday holidays.
///
/// Movable holidays of years not yet decreed are marked `provisional`.
#[utoipa::path(
    tag = "catalog",
    operation_id = "list_holidays",
    params(HolidayQuery),
    responses(
        (status = 200, description = "The year's days off in date order", body = HolidayList),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 422, description = "`year` is not a year from 2000 to 2100", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/holidays")]
pub async fn list_holidays(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    query: web::Query<HolidayQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = match query.year.as_deref().map(str::trim) {
        None | Some("") => local_date(Utc::now()).year(),
        Some(raw) => match raw.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => {
                return Err(ApiError::invalid(BTreeMap::from([(
                    "year".to_owned(),
                    format!("{raw:?} is not a year from 2000 to 2100"),
                )])))
            }
        },
    };
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let stored = web::block(move || {
        let mut conn = pool.get()?;
        // A Sunday holiday late in December moves into January: look a fortnight back.
        let since = first.checked_sub_days(Days::new(14)).unwrap_or(first);
        Ok::<_, ApiError>(catalog::holidays_between(&mut conn, since, last)?)
    })
    .await??;
    let calendar = HolidayCalendar::new(stored);
    let body = HolidayList {
        year,
        items: calendar
            .between(first, last)
            .map(HolidayEntry::from)
            .collect(),
    };
    Ok(json_with_etag(&request, &body, cache::CALENDAR))
}
