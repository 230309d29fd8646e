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

/// Every write to a table that decides bookable times moves `catalog_version` (instances reload
/// their kept schedules when it moves); a booking does not.
#[test]
fn catalog_writes_and_only_they_move_the_catalog_version() {
    let database = support::TestDb::new();
    let mut conn = database.connect();
    nobat_api::seed::seed_demo(&mut conn).unwrap();
    let version = |conn: &mut PgConnection| nobat_api::schedules::catalog_version(conn).unwrap();
    let writes = [
        "UPDATE branches SET phone = phone WHERE code = 'mary'",
        "UPDATE services SET sort_order = sort_order WHERE code = 'reception'",
        "UPDATE counters SET label = label WHERE id = (SELECT min(id) FROM counters)",
        "DELETE FROM counter_services WHERE counter_id = (SELECT min(counter_id) FROM counter_services)",
        "UPDATE opening_plans SET effective_from = effective_from WHERE id = (SELECT min(id) FROM opening_plans)",
        "UPDATE opening_hours SET opens = opens WHERE plan_id = (SELECT min(plan_id) FROM opening_hours)",
        "DELETE FROM opening_breaks WHERE plan_id = (SELECT min(plan_id) FROM opening_breaks)",
        "INSERT INTO holidays (date, kind, name_tk, name_ru, name_en) VALUES ('2031-03-08', 'extra', 'Baýram', 'Праздник', 'Holiday')",
        "INSERT INTO branch_closures (branch_id, starts_at, ends_at, reason_tk, reason_ru, reason_en)
         SELECT id, now() + interval '40 days', now() + interval '41 days', 'Abatlaýyş', 'Ремонт', 'Repairs' FROM branches WHERE code = 'mary'",
    ];
    for write in writes {
        let before = version(&mut conn);
        diesel::sql_query(write).execute(&mut conn).unwrap();
        assert!(version(&mut conn) > before, "{write}");
    }
    let before = version(&mut conn);
    diesel::sql_query("UPDATE slots SET taken = taken")
        .execute(&mut conn)
        .unwrap();
    diesel::sql_query("UPDATE bookings SET language = language")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(version(&mut conn), before);
}
