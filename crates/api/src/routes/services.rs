//! `GET /api/v1/services` and `GET /api/v1/services/{code}`: what a citizen can book.

use crate::db::{catalog, PgPool};
use crate::error::ApiError;
use crate::http::{cache, json_with_etag};
use actix_web::{get, web, HttpRequest, HttpResponse};
use nobat_domain::catalog::{parse_paging, Page, Service};
use nobat_domain::wire::Problem;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListServices {
    /// 1-based page number (default 1).
    page: Option<String>,
    /// Items per page, 1-100 (default 50).
    per_page: Option<String>,
}

/// The services, in display order.
#[utoipa::path(
    tag = "catalog",
    operation_id = "list_services",
    params(ListServices),
    responses(
        (status = 200, description = "One page of services", body = Page<Service>),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services")]
pub async fn list_services(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    query: web::Query<ListServices>,
) -> Result<HttpResponse, ApiError> {
    let (page, per_page) = parse_paging(query.page.as_deref(), query.per_page.as_deref(), 50)
        .map_err(ApiError::invalid)?;
    let rows = web::block(move || {
        let mut conn = pool.get()?;
        Ok::<_, ApiError>(catalog::active_services(&mut conn)?)
    })
    .await??;
    let body = paginate(rows.iter().map(|r| r.to_wire()).collect(), page, per_page);
    Ok(json_with_etag(&request, &body, cache::CATALOG))
}

/// One service with its fee, duration and the documents to bring.
#[utoipa::path(
    tag = "catalog",
    operation_id = "get_service",
    params(("code" = String, Path, description = "Service code", example = "passport-international")),
    responses(
        (status = 200, description = "The service", body = Service),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{code}")]
pub async fn get_service(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let lookup = code.clone();
    let row = web::block(move || {
        let mut conn = pool.get()?;
        Ok::<_, ApiError>(catalog::find_service(&mut conn, &lookup)?)
    })
    .await??
    .ok_or_else(|| ApiError::not_found(format!("There is no service {code:?}.")))?;
    Ok(json_with_etag(&request, &row.to_wire(), cache::CATALOG))
}

/// Cuts one page out of a complete, ordered list.
pub fn paginate<T>(items: Vec<T>, page: u32, per_page: u32) -> Page<T> {
    let total = items.len() as u64;
    let skip = (page as usize - 1).saturating_mul(per_page as usize);
    Page {
        items: items
            .into_iter()
            .skip(skip)
            .take(per_page as usize)
            .collect(),
        page,
        per_page,
        total,
    }
}
