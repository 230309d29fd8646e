//! Staff login: a session cookie for the console, bearer tokens for integrators, logout and
//! revocation. Login attempts are limited per account and per client address.

use crate::auth::{self, Staff, SESSION_COOKIE};
use crate::db::{limits, staff as store, PgPool};
use crate::error::ApiError;
use crate::payments::Payments;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use nobat_domain::wire::Problem;
use sha2::{Digest, Sha256};

/// How long a console session lasts.
const SESSION_HOURS: i64 = 12;
/// Login attempts per account per 15 minutes, and per client address.
const PER_ACCOUNT: (i32, i64) = (10, 900);
const PER_ADDRESS: (i32, i64) = (50, 900);

/// `POST /api/v1/auth/login`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"username": "operator", "password": "demo-operator-2026"}))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The logged-in staff member.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"username": "operator", "display_name": "Aýna Operatorowa", "role": "operator", "branches": ["mary"]}))]
pub struct StaffView {
    pub username: String,
    pub display_name: String,
    /// admin, branch_head, operator or editor.
    pub role: String,
    /// Branch codes the account works at (empty for an admin: all).
    pub branches: Vec<String>,
}

impl From<&Staff> for StaffView {
    fn from(staff: &Staff) -> Self {
        StaffView {
            username: staff.username.clone(),
            display_name: staff.display_name.clone(),
            role: staff.role().code().to_owned(),
            branches: staff.scope.branches.clone(),
        }
    }
}

fn session_cookie(value: String, secure: bool, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

/// Log in to the staff console: sets an HttpOnly, SameSite=Strict session cookie (Secure when
/// Nobat is served over https).
#[utoipa::path(
    tag = "staff",
    operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; the `nobat_session` cookie is set", body = StaffView),
        (status = 401, description = "Wrong username or password (the same answer for both)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this account or address; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    payments: web::Data<Payments>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let username = body.username.trim().to_lowercase();
    let password = body.password.clone();
    let address = crate::client::address(&request);
    let (secret, hash) = auth::new_secret()?;
    let staff = web::block(move || {
        let mut conn = pool.get()?;
        for (bucket, (limit, window)) in [
            (format!("login:address:{address}"), PER_ADDRESS),
            (format!("login:account:{username}"), PER_ACCOUNT),
        ] {
            if let Err(retry_after_secs) = limits::hit(&mut conn, &bucket, limit, window)? {
                return Err(ApiError::RateLimited { retry_after_secs });
            }
        }
        let wrong = || ApiError::Unauthorized {
            detail: "Wrong username or password.".into(),
        };
        let (id, stored) = store::account(&mut conn, &username)?.ok_or_else(wrong)?;
        drop(conn);
        if !auth::verify_password(&stored, &password) {
            return Err(wrong());
        }
        let mut conn = pool.get()?;
        store::open_session(
            &mut conn,
            id,
            &hash,
            "session",
            "console",
            Utc::now() + Duration::hours(SESSION_HOURS),
        )?;
        store::staff_for_secret(&mut conn, &hash)?.ok_or_else(wrong)
    })
    .await??;
    let secure = payments.public_url.starts_with("https://");
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(
            secret,
            secure,
            CookieDuration::hours(SESSION_HOURS),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(StaffView::from(&staff)))
}

/// Log out: the session (or the bearer token used) stops working on every instance.
#[utoipa::path(
    tag = "staff",
    operation_id = "logout",
    responses(
        (status = 204, description = "Logged out; the cookie is cleared"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    request: HttpRequest,
    _staff: Staff,
    pool: web::Data<PgPool>,
) -> Result<HttpResponse, ApiError> {
    let hash = Sha256::digest(
        auth::presented_secret(&request)
            .unwrap_or_default()
            .as_bytes(),
    )
    .to_vec();
    web::block(move || {
        let mut conn = pool.get()?;
        store::revoke(&mut conn, &hash).map_err(ApiError::from)
    })
    .await??;
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(String::new(), false, CookieDuration::ZERO))
        .finish())
}

/// Who is logged in.
#[utoipa::path(
    tag = "staff",
    operation_id = "whoami",
    responses(
        (status = 200, description = "The logged-in staff member", body = StaffView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/auth/me")]
pub async fn whoami(staff: Staff) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(StaffView::from(&staff))
}

/// `POST /api/v1/auth/tokens`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"name": "bank integration", "days": 90}))]
pub struct TokenRequest {
    /// What the token is for.
    pub name: String,
    /// Days until it expires, 1-365 (default 90).
    pub days: Option<u16>,
}

/// A new API token, shown once.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TokenCreated {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Revoke with `DELETE /api/v1/auth/tokens/{id}`.
    pub id: String,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: chrono::DateTime<Utc>,
}

/// Create a bearer token for an integrator, with the creating account's role and branches.
#[utoipa::path(
    tag = "staff",
    operation_id = "create_token",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "The token (shown once)", body = TokenCreated),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`name` is empty or `days` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/tokens")]
pub async fn create_token(
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = body.name.trim().to_owned();
    let days = body.days.unwrap_or(90);
    let mut errors = std::collections::BTreeMap::new();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name".to_owned(), "must be 1 to 100 characters".to_owned());
    }
    if !(1..=365).contains(&days) {
        errors.insert("days".to_owned(), "must be from 1 to 365".to_owned());
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let (secret, hash) = auth::new_secret()?;
    let id: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let expires_at = Utc::now() + Duration::days(i64::from(days));
    web::block(move || {
        let mut conn = pool.get()?;
        store::open_session(&mut conn, staff.id, &hash, "api_token", &name, expires_at)?;
        store::audit(
            &mut conn,
            &staff,
            "create_token",
            &format!("token:{name}"),
            serde_json::Value::Null,
            serde_json::json!({"expires_at": expires_at}),
        )
        .map_err(ApiError::from)
    })
    .await??;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenCreated {
            token: secret,
            id,
            expires_at,
        }))
}

/// Revoke one of your API tokens.
#[utoipa::path(
    tag = "staff",
    operation_id = "revoke_token",
    params(("id" = String, Path, description = "The token's id from its creation")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such live token of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/auth/tokens/{id}")]
pub async fn revoke_token(
    staff: Staff,
    pool: web::Data<PgPool>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let revoked = web::block(move || {
        let mut conn = pool.get()?;
        store::revoke_token(&mut conn, staff.id, &id).map_err(ApiError::from)
    })
    .await??;
    if revoked {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("No such live token of yours."))
    }
}

/// `POST /api/v1/auth/password`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"current_password": "demo-operator-2026", "new_password": "Bahar-2027-çaý-Mary"}))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Change your password. Every other session and token of the account stops working; a demo
/// password replaced this way no longer blocks a production start.
#[utoipa::path(
    tag = "staff",
    operation_id = "change_password",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not logged in, or the current password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too weak (`errors.new_password` says why)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    request: HttpRequest,
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let problems = nobat_domain::staff::password_problems(&body.new_password, &staff.username);
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            [("new_password".to_owned(), problems.join("; "))].into(),
        ));
    }
    let keep = Sha256::digest(
        auth::presented_secret(&request)
            .unwrap_or_default()
            .as_bytes(),
    )
    .to_vec();
    let body = body.into_inner();
    web::block(move || {
        let mut conn = pool.get()?;
        let stored = store::password_hash(&mut conn, staff.id)?.unwrap_or_default();
        drop(conn);
        if !auth::verify_password(&stored, &body.current_password) {
            return Err(ApiError::Unauthorized {
                detail: "The current password is wrong.".into(),
            });
        }
        let hash = auth::hash_password(&body.new_password)?;
        let mut conn = pool.get()?;
        store::set_password(&mut conn, staff.id, &hash, &keep)?;
        store::audit(
            &mut conn,
            &staff,
            "change_password",
            &format!("staff:{}", staff.username),
            serde_json::Value::Null,
            serde_json::Value::Null,
        )
        .map_err(ApiError::from)
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}
