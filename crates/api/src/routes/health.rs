//! `GET /api/v1/health`: is the service up, and can it reach its database?

use crate::db::{self, PgPool};
use actix_web::{get, http::header, web, HttpResponse};
use nobat_domain::wire::{DependencyState, Health};
use std::time::Duration;

/// How long the health check waits for a pooled connection before calling the database down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// Health of the service and its database.
///
/// Load balancers and the SPA poll this. It answers 200 when PostgreSQL takes a query and 503,
/// in the same shape, when it does not.
#[utoipa::path(
    tag = "system",
    operation_id = "get_health",
    responses(
        (status = 200, description = "The service and its database are up", body = Health),
        (status = 503, description = "The database does not answer; the service is degraded",
            body = Health,
            example = json!({"status": "degraded", "database": "down", "version": "0.1.0"})),
    )
)]
#[get("/health")]
pub async fn health(pool: web::Data<PgPool>) -> HttpResponse {
    let pool = pool.into_inner();
    let database = web::block(move || {
        let mut conn = pool.get_timeout(CHECK_TIMEOUT).ok()?;
        db::ping(&mut conn).ok()
    })
    .await
    .ok()
    .flatten()
    .map_or(DependencyState::Down, |()| DependencyState::Up);
    let body = Health::from_database(database, env!("CARGO_PKG_VERSION"));
    let mut response = match database {
        DependencyState::Up => HttpResponse::Ok(),
        DependencyState::Down => HttpResponse::ServiceUnavailable(),
    };
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}
