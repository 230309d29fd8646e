//! Demo staff accounts, one per role, with published passwords (see the README). A production
//! start (`NOBAT_PRODUCTION=on`) refuses to run while any of them keeps its demo password.

use crate::db::staff::ensure_account;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_domain::staff::Role;

/// Username, display name, demo password, role, branches.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role, &[&str]); 4] = [
    (
        "admin",
        "Serdar Adminow",
        "demo-admin-2026",
        Role::Admin,
        &[],
    ),
    (
        "head.mary",
        "Gülälek Başlykowa",
        "demo-head-2026",
        Role::BranchHead,
        &["mary"],
    ),
    (
        "operator.mary",
        "Aýna Operatorowa",
        "demo-operator-2026",
        Role::Operator,
        &["mary"],
    ),
    (
        "editor",
        "Merjen Redaktorowa",
        "demo-editor-2026",
        Role::Editor,
        &[],
    ),
];

pub fn accounts(conn: &mut PgConnection) -> Result<usize, diesel::result::Error> {
    let mut made = 0;
    for (username, name, password, role, branches) in DEMO_ACCOUNTS {
        let exists: bool = diesel::select(diesel::dsl::exists(
            crate::db::schema::staff_users::table
                .filter(crate::db::schema::staff_users::username.eq(username)),
        ))
        .get_result(conn)?;
        if exists {
            continue;
        }
        let hash = crate::auth::hash_password(password)
            .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
        ensure_account(conn, username, name, &hash, role, true, branches)?;
        made += 1;
    }
    Ok(made)
}
