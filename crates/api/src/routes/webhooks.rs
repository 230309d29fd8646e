//! Integrators' webhooks: a URL that receives every passport application status change as a
//! signed JSON POST (`X-Nobat-Signature: t=…,v1=…`, HMAC-SHA256 over `"{t}.{body}"` with the
//! secret shown once at registration), retried with back-off from the outbox, at least once;
//! `X-Nobat-Event-Id` (also the body's `id`) lets the receiver drop repeats. Admins register them.

use super::bookings::random_bytes;
use crate::auth::Staff;
use crate::db::schema::webhooks;
use crate::db::{staff as staff_store, PgPool};
use crate::error::ApiError;
use actix_web::{delete, get, post, web, HttpResponse};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use nobat_domain::staff::Permission;
use nobat_domain::wire::Problem;

/// `POST /api/v1/staff/webhooks`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"url": "https://portal.example.tm/nobat/events", "description": "State services portal"}))]
pub struct NewWebhook {
    /// Where events are POSTed: `https://…` (or `http://` inside a private network).
    pub url: String,
    #[serde(default)]
    pub description: String,
}

/// A registered webhook.
#[derive(Debug, Clone, serde::Serialize, Queryable, utoipa::ToSchema)]
pub struct Webhook {
    pub id: i32,
    pub url: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

/// A webhook just registered, with its signing secret (shown this once).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WebhookCreated {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The HMAC-SHA256 key of `X-Nobat-Signature`. Keep it; it is not shown again.
    pub secret: String,
}

fn check_url(raw: &str) -> Result<String, ApiError> {
    let url = raw.trim();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    let fine = host.is_some_and(|h| !h.is_empty() && !h.contains('@'))
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if fine {
        Ok(url.to_owned())
    } else {
        Err(ApiError::invalid(
            [(
                "url".to_owned(),
                "must be an http:// or https:// URL without credentials, at most 2000 characters"
                    .to_owned(),
            )]
            .into(),
        ))
    }
}

/// Register a webhook for passport application status changes.
#[utoipa::path(
    tag = "staff",
    operation_id = "create_webhook",
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Registered; `secret` signs every event", body = WebhookCreated),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an http(s) URL", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/webhooks")]
pub async fn create_webhook(
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let url = check_url(&body.url)?;
    let description: String = body.description.trim().chars().take(200).collect();
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?)
    );
    let created = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let webhook: Webhook = diesel::insert_into(webhooks::table)
                .values((
                    webhooks::url.eq(&url),
                    webhooks::secret.eq(&secret),
                    webhooks::description.eq(&description),
                    webhooks::created_by.eq(Some(staff.id)),
                ))
                .returning((
                    webhooks::id,
                    webhooks::url,
                    webhooks::description,
                    webhooks::created_at,
                ))
                .get_result(conn)?;
            staff_store::audit(
                conn,
                &staff,
                "create_webhook",
                &format!("webhook:{}", webhook.id),
                serde_json::Value::Null,
                serde_json::json!({"url": webhook.url, "description": webhook.description}),
            )?;
            Ok(WebhookCreated { webhook, secret })
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(created))
}

/// The registered webhooks (without their secrets).
#[utoipa::path(
    tag = "staff",
    operation_id = "list_webhooks",
    responses(
        (status = 200, description = "The active webhooks", body = Vec<Webhook>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/webhooks")]
pub async fn list_webhooks(
    staff: Staff,
    pool: web::Data<PgPool>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let all: Vec<Webhook> = web::block(move || {
        let mut conn = pool.get()?;
        webhooks::table
            .filter(webhooks::active.eq(true))
            .order(webhooks::id)
            .select((
                webhooks::id,
                webhooks::url,
                webhooks::description,
                webhooks::created_at,
            ))
            .load(&mut conn)
            .map_err(ApiError::from)
    })
    .await??;
    Ok(HttpResponse::Ok().json(all))
}

/// Stop sending events to a webhook (events not yet delivered are dropped).
#[utoipa::path(
    tag = "staff",
    operation_id = "delete_webhook",
    params(("id" = i32, Path, description = "The webhook", example = 1)),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/staff/webhooks/{id}")]
pub async fn delete_webhook(
    staff: Staff,
    pool: web::Data<PgPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let id = id.into_inner();
    web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let url: String = diesel::update(
                webhooks::table
                    .filter(webhooks::id.eq(id))
                    .filter(webhooks::active.eq(true)),
            )
            .set(webhooks::active.eq(false))
            .returning(webhooks::url)
            .get_result(conn)
            .optional()?
            .ok_or_else(|| ApiError::not_found("No such webhook."))?;
            staff_store::audit(
                conn,
                &staff,
                "delete_webhook",
                &format!("webhook:{id}"),
                serde_json::json!({"url": url}),
                serde_json::Value::Null,
            )?;
            Ok(())
        })
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}
