//! Background work of a `nobat serve` instance. Each job is safe to run on every instance at
//! once: it changes rows with conditional updates, so two instances never do the same work twice.

use crate::db::{bookings, PgPool};
use std::time::Duration;

/// How often lapsed holds are swept. Seats are free the moment a hold lapses anyway (queries
/// ignore lapsed holds); the sweep makes it visible in the data and frees the passports.
const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// Expires lapsed holds every [`SWEEP_EVERY`], forever.
pub async fn expire_holds(pool: PgPool) {
    let mut ticker = actix_web::rt::time::interval(SWEEP_EVERY);
    loop {
        ticker.tick().await;
        let pool = pool.clone();
        let swept = actix_web::web::block(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let expired =
                bookings::expire_lapsed_holds(&mut conn, None, None).map_err(|e| e.to_string())?;
            // Confirmed bookings not checked in by their start are lost (the 10-minute rule).
            let missed = crate::db::queue::mark_missed(&mut conn).map_err(|e| e.to_string())?;
            if missed > 0 {
                tracing::info!(missed, "bookings missed: not checked in by their start");
            }
            Ok::<_, String>(expired)
        })
        .await;
        match swept {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(expired = n, "released lapsed holds"),
            Ok(Err(e)) => tracing::warn!(error = %e, "sweeping lapsed holds failed"),
            Err(e) => tracing::warn!(error = %e, "sweeping lapsed holds failed"),
        }
    }
}

/// Payments left unsettled (the citizen closed the card page, the callback was lost) are asked
/// about once they are a minute old; refunds that failed are retried. Every
/// `payments.reconcile_every`, forever.
pub async fn reconcile_payments(pool: PgPool, payments: crate::payments::Payments) {
    let mut ticker = actix_web::rt::time::interval(payments.reconcile_every);
    loop {
        ticker.tick().await;
        let (pool, payments) = (pool.clone(), payments.clone());
        let swept = actix_web::web::block(move || {
            crate::payments::flow::reconcile_once(&pool, &payments, chrono::Duration::minutes(1))
        })
        .await;
        match swept {
            Ok(Ok(done)) if done == Default::default() => {}
            Ok(Ok(done)) => tracing::info!(?done, "reconciled payments"),
            Ok(Err(e)) => tracing::warn!(error = %e, "reconciling payments failed"),
            Err(e) => tracing::warn!(error = %e, "reconciling payments failed"),
        }
    }
}

/// How often drafts past their 30 days are looked for.
const FORGET_EVERY: Duration = Duration::from_secs(3600);

/// Deletes passport application drafts kept past their 30 days, and the photos no application
/// uses any more: personal data is not kept longer than promised. Every hour, forever.
pub async fn forget_drafts(pool: PgPool, photo_dir: std::path::PathBuf) {
    let mut ticker = actix_web::rt::time::interval(FORGET_EVERY);
    loop {
        ticker.tick().await;
        let (pool, dir) = (pool.clone(), photo_dir.clone());
        let done = actix_web::web::block(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            crate::db::applications::forget_expired_drafts(&mut conn, &dir)
                .map_err(|e| e.to_string())
        })
        .await;
        match done {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(drafts = n, "expired application drafts deleted"),
            Ok(Err(e)) => tracing::warn!(error = %e, "deleting expired drafts failed"),
            Err(e) => tracing::warn!(error = %e, "deleting expired drafts failed"),
        }
    }
}
