//! `nobat seed-demo`: demo data for a local run, loaded idempotently (running it twice changes
//! nothing the second time, and rows an operator has edited are left alone). Each capability
//! adds its own data set here.

mod catalog;
pub mod media;
pub mod staff;

use diesel::pg::PgConnection;
use diesel::Connection;

/// What one run of the seeder did.
#[derive(Debug, Default)]
pub struct SeedReport {
    /// Data set name → rows inserted by this run (0 when everything was already there).
    pub inserted: Vec<(&'static str, usize)>,
}

/// Loads every demo data set in one transaction.
pub fn seed_demo(conn: &mut PgConnection) -> Result<SeedReport, diesel::result::Error> {
    conn.transaction(|conn| {
        let mut report = SeedReport::default();
        report.inserted.push(("services", catalog::services(conn)?));
        report.inserted.push(("branches", catalog::branches(conn)?));
        report.inserted.push(("holidays", catalog::holidays(conn)?));
        report
            .inserted
            .push(("staff accounts", staff::accounts(conn)?));
        Ok(report)
    })
}
