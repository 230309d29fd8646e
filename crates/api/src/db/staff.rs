//! Staff accounts, sessions, API tokens and the audit log.

use super::schema::{audit_log, branches, staff_branches, staff_sessions, staff_users};
use crate::auth::Staff;
use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_domain::staff::{Role, StaffScope};

/// The staff member a session or token secret (its sha256) belongs to, if it is live.
pub fn staff_for_secret(conn: &mut PgConnection, hash: &[u8]) -> QueryResult<Option<Staff>> {
    let found: Option<(i32, String, String, String)> = staff_sessions::table
        .inner_join(staff_users::table)
        .filter(staff_sessions::token_hash.eq(hash))
        .filter(staff_sessions::revoked_at.is_null())
        .filter(staff_sessions::expires_at.gt(diesel::dsl::now))
        .filter(staff_users::active.eq(true))
        .select((
            staff_users::id,
            staff_users::username,
            staff_users::display_name,
            staff_users::role,
        ))
        .first(conn)
        .optional()?;
    let Some((id, username, display_name, role)) = found else {
        return Ok(None);
    };
    // Remember use, at most once a minute per secret.
    diesel::update(
        staff_sessions::table
            .filter(staff_sessions::token_hash.eq(hash))
            .filter(staff_sessions::last_used_at.lt(Utc::now() - chrono::Duration::minutes(1))),
    )
    .set(staff_sessions::last_used_at.eq(diesel::dsl::now))
    .execute(conn)?;
    Ok(Some(Staff {
        id,
        username,
        display_name,
        scope: StaffScope::new(
            Role::parse(&role).unwrap_or(Role::Editor),
            branch_codes(conn, id)?,
        ),
    }))
}

/// The codes of the branches a staff member is assigned to.
pub fn branch_codes(conn: &mut PgConnection, user_id: i32) -> QueryResult<Vec<String>> {
    staff_branches::table
        .inner_join(branches::table)
        .filter(staff_branches::user_id.eq(user_id))
        .order(branches::code)
        .select(branches::code)
        .load(conn)
}

/// An active account by username: id and password hash.
pub fn account(conn: &mut PgConnection, username: &str) -> QueryResult<Option<(i32, String)>> {
    staff_users::table
        .filter(staff_users::username.eq(username))
        .filter(staff_users::active.eq(true))
        .select((staff_users::id, staff_users::password_hash))
        .first(conn)
        .optional()
}

/// Stores a session or API token (by its hash).
pub fn open_session(
    conn: &mut PgConnection,
    user_id: i32,
    hash: &[u8],
    kind: &str,
    name: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::token_hash.eq(hash),
            staff_sessions::user_id.eq(user_id),
            staff_sessions::kind.eq(kind),
            staff_sessions::name.eq(name),
            staff_sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Revokes a session or token by its hash; true when one was live.
pub fn revoke(conn: &mut PgConnection, hash: &[u8]) -> QueryResult<bool> {
    diesel::update(
        staff_sessions::table
            .filter(staff_sessions::token_hash.eq(hash))
            .filter(staff_sessions::revoked_at.is_null()),
    )
    .set(staff_sessions::revoked_at.eq(diesel::dsl::now))
    .execute(conn)
    .map(|n| n == 1)
}

/// Revokes one of a user's API tokens by the hex prefix it was listed with.
pub fn revoke_token(conn: &mut PgConnection, user_id: i32, id: &str) -> QueryResult<bool> {
    diesel::sql_query(
        "UPDATE staff_sessions SET revoked_at = now()
         WHERE user_id = $1 AND kind = 'api_token' AND revoked_at IS NULL
           AND encode(token_hash, 'hex') LIKE $2 || '%' AND length($2) >= 12",
    )
    .bind::<diesel::sql_types::Integer, _>(user_id)
    .bind::<diesel::sql_types::Text, _>(id)
    .execute(conn)
    .map(|n| n == 1)
}

/// Whether any account still has a published demo password.
pub fn demo_passwords_left(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    staff_users::table
        .filter(staff_users::demo_password.eq(true))
        .filter(staff_users::active.eq(true))
        .select(staff_users::username)
        .load(conn)
}

/// Writes one audit record, in the caller's transaction.
pub fn audit(
    conn: &mut PgConnection,
    actor: &Staff,
    action: &str,
    target: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(Some(actor.id)),
            audit_log::actor.eq(&actor.username),
            audit_log::action.eq(action),
            audit_log::target.eq(target),
            audit_log::before.eq(before),
            audit_log::after.eq(after),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Creates an account (or leaves an existing one alone); its id.
pub fn ensure_account(
    conn: &mut PgConnection,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
    demo_password: bool,
    branch_codes: &[&str],
) -> QueryResult<i32> {
    diesel::insert_into(staff_users::table)
        .values((
            staff_users::username.eq(username),
            staff_users::display_name.eq(display_name),
            staff_users::password_hash.eq(password_hash),
            staff_users::role.eq(role.code()),
            staff_users::demo_password.eq(demo_password),
        ))
        .on_conflict(staff_users::username)
        .do_nothing()
        .execute(conn)?;
    let id: i32 = staff_users::table
        .filter(staff_users::username.eq(username))
        .select(staff_users::id)
        .first(conn)?;
    for code in branch_codes {
        diesel::sql_query(
            "INSERT INTO staff_branches (user_id, branch_id)
             SELECT $1, id FROM branches WHERE code = $2 ON CONFLICT DO NOTHING",
        )
        .bind::<diesel::sql_types::Integer, _>(id)
        .bind::<diesel::sql_types::Text, _>(*code)
        .execute(conn)?;
    }
    Ok(id)
}

/// A user's password hash (active accounts only).
pub fn password_hash(conn: &mut PgConnection, user_id: i32) -> QueryResult<Option<String>> {
    staff_users::table
        .filter(staff_users::id.eq(user_id))
        .filter(staff_users::active.eq(true))
        .select(staff_users::password_hash)
        .first(conn)
        .optional()
}

/// Sets a new password (no longer a demo one) and ends every other session and token of the
/// user except the one with `keep` as its hash.
pub fn set_password(
    conn: &mut PgConnection,
    user_id: i32,
    hash: &str,
    keep: &[u8],
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(staff_users::table.filter(staff_users::id.eq(user_id)))
            .set((
                staff_users::password_hash.eq(hash),
                staff_users::demo_password.eq(false),
            ))
            .execute(conn)?;
        diesel::update(
            staff_sessions::table
                .filter(staff_sessions::user_id.eq(user_id))
                .filter(staff_sessions::token_hash.ne(keep))
                .filter(staff_sessions::revoked_at.is_null()),
        )
        .set(staff_sessions::revoked_at.eq(diesel::dsl::now))
        .execute(conn)
        .map(|_| ())
    })
}
