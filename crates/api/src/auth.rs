//! Who a staff request comes from: the console's session cookie or an integrator's bearer token,
//! both stored (as sha256) in PostgreSQL so every instance knows them and logout works at once.
//! Passwords are argon2id PHC strings.

use crate::db::{staff as store, PgPool};
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use nobat_domain::staff::{Permission, Role, StaffScope};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;

/// The console's session cookie.
pub const SESSION_COOKIE: &str = "nobat_session";

/// An argon2id hash of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// Whether `password` matches the stored hash (false for a malformed hash).
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new random secret (for a session or a token) and the sha256 stored for it.
pub fn new_secret() -> Result<(String, Vec<u8>), ApiError> {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(e.to_string()))?;
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = Sha256::digest(secret.as_bytes()).to_vec();
    Ok((secret, hash))
}

/// A logged-in staff member.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub scope: StaffScope,
}

impl Staff {
    pub fn role(&self) -> Role {
        self.scope.role
    }

    /// 403 unless the staff member may do `permission` (at `branch`).
    pub fn require(&self, permission: Permission, branch: Option<&str>) -> Result<(), ApiError> {
        if self.scope.allows(permission, branch) {
            Ok(())
        } else {
            Err(ApiError::Forbidden {
                detail: match branch {
                    Some(b) => format!(
                        "Your role ({}) may not do this at the branch {b:?}.",
                        self.scope.role.code()
                    ),
                    None => format!("Your role ({}) may not do this.", self.scope.role.code()),
                },
            })
        }
    }
}

impl Staff {
    /// 403 unless the staff member may do `permission` at some branch (which one is checked
    /// once the thing acted on is known).
    pub fn require_any(&self, permission: Permission) -> Result<(), ApiError> {
        let somewhere = self.scope.all_branches()
            || self
                .scope
                .branches
                .iter()
                .any(|b| self.scope.allows(permission, Some(b)));
        if somewhere {
            Ok(())
        } else {
            self.require(permission, None)
        }
    }
}

/// The session or token secret a request carries (the bearer token wins over the cookie).
pub fn presented_secret(request: &HttpRequest) -> Option<String> {
    if let Some(value) = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return value
            .strip_prefix("Bearer ")
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
    }
    request.cookie(SESSION_COOKIE).map(|c| c.value().to_owned())
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Staff, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let secret = presented_secret(request);
        let pool = request.app_data::<web::Data<PgPool>>().cloned();
        Box::pin(async move {
            let unauthorized = || ApiError::Unauthorized {
                detail: "Log in (session cookie) or send `Authorization: Bearer <token>`.".into(),
            };
            let secret = secret.ok_or_else(unauthorized)?;
            let pool = pool.ok_or_else(|| ApiError::internal("no database pool"))?;
            let hash = Sha256::digest(secret.as_bytes()).to_vec();
            web::block(move || {
                let mut conn = pool.get()?;
                store::staff_for_secret(&mut conn, &hash).map_err(ApiError::from)
            })
            .await??
            .ok_or_else(unauthorized)
        })
    }
}
