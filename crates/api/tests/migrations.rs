//! Embedded migrations: applied once even when several instances start at the same moment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use nobat_api::db;
use std::sync::{Arc, Barrier};

#[test]
fn concurrent_start_ups_migrate_exactly_once() {
    let database = support::TestDb::empty();
    const INSTANCES: usize = 6;
    let barrier = Arc::new(Barrier::new(INSTANCES));
    let handles: Vec<_> = (0..INSTANCES)
        .map(|_| {
            let barrier = barrier.clone();
            let mut conn = database.connect();
            std::thread::spawn(move || {
                barrier.wait();
                db::run_migrations(&mut conn).map_err(|e| e.to_string())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let applied: usize = results
        .iter()
        .map(|r| r.as_ref().map(Vec::len).unwrap_or_else(|e| panic!("{e}")))
        .sum();
    let mut conn = database.connect();
    let recorded: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "SELECT count(*) FROM __diesel_schema_migrations",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(
        applied as i64, recorded,
        "every migration applied by exactly one instance"
    );
    assert!(recorded >= 1);
    assert!(conn.pending_migrations(db::MIGRATIONS).unwrap().is_empty());
}

#[test]
fn a_migrated_database_has_nothing_pending() {
    let database = support::TestDb::new();
    let mut conn = database.connect();
    assert!(db::run_migrations(&mut conn).unwrap().is_empty());
}
