//! `GET /api/v1/branches`, `GET /api/v1/branches/{code}` and the most-read endpoint of all,
//! `GET /api/v1/branches/{code}/availability`.

use super::services::paginate;
use crate::availability_cache::AvailabilityCache;
use crate::db::{catalog, PgPool};
use crate::error::ApiError;
use crate::http::{cache, json_with_etag, Tagged};
use crate::schedules::{Missing, Schedules};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::Utc;
use nobat_domain::availability::DateRange;
use nobat_domain::calendar::local_date;
use nobat_domain::catalog::{parse_paging, Availability, Branch, Code, Page};
use nobat_domain::localized::turkmen_sort_key;
use nobat_domain::wire::Problem;
use nobat_domain::Region;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::IntoParams;

/// Citizens are asked to come this many minutes before their time.
pub const ARRIVE_MINUTES_EARLY: u16 = 10;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListBranches {
    /// Only branches of this region: `ashgabat`, `arkadag`, `ahal`, `balkan`, `dashoguz`,
    /// `lebap`, `mary`.
    #[param(example = "dashoguz")]
    region: Option<String>,
    /// Only branches offering this service code.
    #[param(example = "passport-international")]
    service: Option<String>,
    /// Only branches whose name or address (any language) contains this text.
    q: Option<String>,
    /// 1-based page number (default 1).
    page: Option<String>,
    /// Items per page, 1-100 (default 20).
    per_page: Option<String>,
}

/// Branch offices, by region and then in Turkmen alphabetical order.
#[utoipa::path(
    tag = "catalog",
    operation_id = "list_branches",
    params(ListBranches),
    responses(
        (status = 200, description = "One page of branches", body = Page<Branch>),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 422, description = "Unknown region, malformed service code or bad paging; `errors` names the parameter",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:nobat:problem:validation", "title": "The request has invalid fields", "status": 422,
                "detail": "1 field is invalid; see `errors`.", "errors": {"region": "\"moscow\" is not a region: ashgabat, arkadag, ahal, balkan, dashoguz, lebap, mary"}})),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/branches")]
pub async fn list_branches(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    query: web::Query<ListBranches>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = BTreeMap::new();
    let paging = parse_paging(query.page.as_deref(), query.per_page.as_deref(), 20);
    if let Err(e) = &paging {
        errors.extend(e.clone());
    }
    let region = match query
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => None,
        Some(raw) => {
            let region = Region::parse(raw);
            if region.is_none() {
                let known: Vec<&str> = Region::ALL.iter().map(|r| r.code()).collect();
                errors.insert(
                    "region".into(),
                    format!("{raw:?} is not a region: {}", known.join(", ")),
                );
            }
            region
        }
    };
    let service = match query
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => Code::parse(raw)
            .map_err(|e| errors.insert("service".into(), e.to_string()))
            .ok(),
    };
    let (page, per_page) = match paging {
        Ok(p) if errors.is_empty() => p,
        _ => return Err(ApiError::invalid(errors)),
    };
    let search = query.q.clone().filter(|q| !q.trim().is_empty());
    let today = local_date(Utc::now());
    let branches = web::block(move || {
        let mut conn = pool.get()?;
        let rows = catalog::active_branches(&mut conn, region)?;
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let mut offered = catalog::offered_services(&mut conn, &ids)?;
        let plans = catalog::weekly_plans(&mut conn, &ids)?;
        let mut rows = rows;
        rows.sort_by_cached_key(|r| (r.region(), r.sort_order, turkmen_sort_key(&r.name_tk)));
        Ok::<_, ApiError>(
            rows.iter()
                .map(|row| {
                    let services = offered.remove(&row.id).unwrap_or_default();
                    let no_plans = Vec::new();
                    row.to_wire(services, plans.get(&row.id).unwrap_or(&no_plans), today)
                })
                .collect::<Vec<Branch>>(),
        )
    })
    .await??;
    let matching: Vec<Branch> = branches
        .into_iter()
        .filter(|b| service.as_ref().is_none_or(|s| b.services.contains(s)))
        .filter(|b| {
            search.as_deref().is_none_or(|q| {
                b.name.contains_ignore_case(q.trim()) || b.address.contains_ignore_case(q.trim())
            })
        })
        .collect();
    let body = paginate(matching, page, per_page);
    Ok(json_with_etag(&request, &body, cache::CATALOG))
}

/// One branch with its services, opening hours and booking settings.
#[utoipa::path(
    tag = "catalog",
    operation_id = "get_branch",
    params(("code" = String, Path, description = "Branch code", example = "dashoguz")),
    responses(
        (status = 200, description = "The branch", body = Branch),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/branches/{code}")]
pub async fn get_branch(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let lookup = code.clone();
    let today = local_date(Utc::now());
    let branch = web::block(move || {
        let mut conn = pool.get()?;
        let Some(row) = catalog::find_branch(&mut conn, &lookup)? else {
            return Ok(None);
        };
        let services = catalog::offered_services(&mut conn, &[row.id])?
            .remove(&row.id)
            .unwrap_or_default();
        let plans = catalog::weekly_plans(&mut conn, &[row.id])?
            .remove(&row.id)
            .unwrap_or_default();
        Ok::<_, ApiError>(Some(row.to_wire(services, &plans, today)))
    })
    .await??
    .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
    Ok(json_with_etag(&request, &branch, cache::CATALOG))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// The service code (required).
    #[param(example = "passport-international")]
    service: Option<String>,
    /// First date, `YYYY-MM-DD` (default: today in Aşgabat).
    #[param(example = "2026-12-01")]
    from: Option<String>,
    /// Last date, `YYYY-MM-DD`, at most 61 days after `from` (default: `from` + 30 days).
    #[param(example = "2026-12-31")]
    to: Option<String>,
}

/// Which days have free times, and which times are free, for one service at one branch.
///
/// One entry per date: `open` (some time has a free seat), `full`, `closed` (with a `reason`:
/// weekend, a holiday's name, a closure's reason...) or `not_yet_open` (with `opens_at`). Slot
/// instants are RFC 3339 with the `+05:00` offset of Aşgabat. Citizens should arrive
/// `arrive_minutes_early` minutes before their time; late arrivals lose the booking.
#[utoipa::path(
    tag = "catalog",
    operation_id = "get_availability",
    params(("code" = String, Path, description = "Branch code", example = "dashoguz"), AvailabilityQuery),
    responses(
        (status = 200, description = "The days from `from` to `to`", body = Availability,
            example = json!({"branch": "dashoguz", "service": "passport-international", "time_zone": "Asia/Ashgabat",
                "arrive_minutes_early": 10, "days": [
                    {"date": "2026-12-01", "status": "open", "short_day": false, "slots": [
                        {"start": "2026-12-01T09:00:00+05:00", "end": "2026-12-01T09:30:00+05:00", "capacity": 3, "remaining": 3}]},
                    {"date": "2026-12-12", "status": "closed", "short_day": false, "slots": [],
                        "reason": {"code": "holiday", "text": {"tk": "Halkara Bitaraplyk güni", "ru": "Международный день нейтралитета", "en": "International Day of Neutrality"}}},
                    {"date": "2027-01-04", "status": "not_yet_open", "short_day": false, "slots": [], "opens_at": "2026-12-05T08:00:00+05:00"}]})),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 404, description = "No such branch or service, or the branch does not offer it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing service, a malformed date or a range over 62 days; `errors` names the parameter",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:nobat:problem:validation", "title": "The request has invalid fields", "status": 422,
                "detail": "1 field is invalid; see `errors`.", "errors": {"to": "the range may cover at most 62 days"}})),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/branches/{code}/availability")]
pub async fn get_availability(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    schedules: web::Data<Schedules>,
    code: web::Path<String>,
    query: web::Query<AvailabilityQuery>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let today = local_date(now);
    let mut errors = BTreeMap::new();
    let service_code = match query
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            errors.insert("service".to_owned(), "is required".to_owned());
            None
        }
        Some(raw) => Code::parse(raw)
            .map_err(|e| errors.insert("service".into(), e.to_string()))
            .ok(),
    };
    let range = DateRange::parse(query.from.as_deref(), query.to.as_deref(), today)
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(service_code), Some(range)) = (service_code, range) else {
        return Err(ApiError::invalid(errors));
    };
    let branch_code = code.into_inner();
    let cache = request.app_data::<web::Data<AvailabilityCache>>().cloned();
    let key = (branch_code.clone(), service_code.as_str().to_owned());
    if let Some(hit) = cache
        .as_ref()
        .and_then(|c| c.get(&key.0, &key.1, range.from, range.to))
    {
        return Ok(hit.respond(&request, cache::LIVE));
    }
    let generation = cache.as_ref().map(|c| c.generation());
    let body = web::block(move || {
        let mut conn = pool.get()?;
        let schedule = schedules
            .current(&mut conn, &branch_code, service_code.as_str())?
            .map_err(|missing| match missing {
                Missing::Branch => {
                    ApiError::not_found(format!("There is no branch {branch_code:?}."))
                }
                Missing::Service => {
                    ApiError::not_found(format!("There is no service {:?}.", service_code.as_str()))
                }
            })?;
        let (branch, service) = (&schedule.branch, &schedule.service);
        if !schedule.offered() {
            return Err(ApiError::not_found(format!(
                "The branch {branch_code:?} does not offer the service {:?}.",
                service_code.as_str()
            )));
        }
        let days = if schedule.covers(range) {
            let taken = catalog::seats_taken_in(&mut conn, branch.id, service.id, range)?;
            schedule.availability(range, now, &taken)
        } else {
            catalog::availability_between(&mut conn, branch, service, range, now)?
                .unwrap_or_default()
        };
        Ok::<_, ApiError>(Availability {
            branch: Code::from_database(&branch.code),
            service: Code::from_database(&service.code),
            time_zone: "Asia/Ashgabat".into(),
            arrive_minutes_early: ARRIVE_MINUTES_EARLY,
            days,
        })
    })
    .await??;
    let tagged = Tagged::new(serde_json::to_vec(&body).map_err(ApiError::internal)?);
    if let (Some(cache), Some(generation)) = (cache, generation) {
        cache.put(
            &key.0,
            &key.1,
            range.from,
            range.to,
            generation,
            tagged.clone(),
        );
    }
    Ok(tagged.respond(&request, cache::LIVE))
}
