//! `nobat seed-demo`: demo data for a local run, loaded idempotently (running it twice changes
//! nothing the second time). Each capability adds its own data set here.

use diesel::pg::PgConnection;

/// What one run of the seeder did.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub data_sets: Vec<&'static str>,
}

/// Loads every demo data set, each in its own transaction.
pub fn seed_demo(_conn: &mut PgConnection) -> Result<SeedReport, diesel::result::Error> {
    Ok(SeedReport::default())
}
