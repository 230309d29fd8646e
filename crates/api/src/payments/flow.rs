//! The steps of a payment that talk to the acquirer and then to the database: asking for an
//! order's status and settling it, refunding, and the reconciler's sweep. They block (run them on
//! the blocking pool) and never hold a database connection while waiting for the acquirer.

use super::{OrderStatus, Payments};
use crate::db::payments::{self as store, Observed};
use crate::db::PgPool;
use crate::error::ApiError;
use nobat_domain::payment::{OrderOutcome, PaymentStatus};

fn observed(status: &OrderStatus) -> Observed {
    Observed {
        outcome: status.outcome(),
        error_code: status.error_code.clone(),
        order_status: status.order_status,
        action_code: status.action_code,
        amount_minor: status.amount,
        masked_pan: status.masked_pan.clone(),
    }
}

/// Asks the acquirer about an order and applies the answer; refunds at once when money
/// arrived for a seat that could not be kept. Returns the payment's status afterwards.
pub fn check_and_settle(
    pool: &PgPool,
    payments: &Payments,
    payment_id: i64,
    order_id: &str,
    source: &str,
) -> Result<PaymentStatus, ApiError> {
    let status = payments
        .acquirer
        .status(order_id)
        .map_err(|e| ApiError::unavailable(format!("The card acquirer did not answer: {e}")))?;
    let after = {
        let mut conn = pool.get()?;
        store::settle(&mut conn, payment_id, &observed(&status), source)?
    };
    if after == PaymentStatus::RefundPending {
        return refund(pool, payments, payment_id).map(|done| {
            if done {
                PaymentStatus::Refunded
            } else {
                PaymentStatus::RefundPending
            }
        });
    }
    Ok(after)
}

/// Tries one refund of a payment marked for refund; true when the money went back. A refund
/// the acquirer already made (a retry after a lost answer) counts as made.
pub fn refund(pool: &PgPool, payments: &Payments, payment_id: i64) -> Result<bool, ApiError> {
    let claimed = {
        let mut conn = pool.get()?;
        store::claim_refund(&mut conn, payment_id)?
    };
    let Some((order_id, amount)) = claimed else {
        return Ok(false);
    };
    let outcome = payments.acquirer.refund(&order_id, amount);
    let mut conn = pool.get()?;
    match outcome {
        Ok(()) => {
            store::mark_refunded(&mut conn, payment_id, "refunded through the acquirer")?;
            Ok(true)
        }
        Err(e) => {
            drop(conn);
            let already = payments
                .acquirer
                .status(&order_id)
                .is_ok_and(|s| s.outcome() == OrderOutcome::Refunded);
            let mut conn = pool.get()?;
            if already {
                store::mark_refunded(&mut conn, payment_id, "the acquirer had already refunded")?;
                Ok(true)
            } else {
                store::refund_failed(&mut conn, payment_id, &e.to_string())?;
                tracing::warn!(payment_id, error = %e, "refund failed; will retry");
                Ok(false)
            }
        }
    }
}

/// What one sweep of the reconciler did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub checked: usize,
    pub paid: usize,
    pub declined: usize,
    pub refunded: usize,
    pub failed: usize,
}

/// One sweep: payments whose citizen left mid-payment (no callback, no return) are asked about;
/// pending refunds are retried. Safe on every instance at once.
pub fn reconcile_once(
    pool: &PgPool,
    payments: &Payments,
    min_age: chrono::Duration,
) -> Result<Reconciled, ApiError> {
    let (open, refunds) = {
        let mut conn = pool.get()?;
        store::due_for_reconciliation(&mut conn, min_age, 100)?
    };
    let mut done = Reconciled::default();
    for (id, order_id) in open {
        done.checked += 1;
        match check_and_settle(pool, payments, id, &order_id, "reconciler") {
            Ok(PaymentStatus::Paid) => done.paid += 1,
            Ok(PaymentStatus::Declined) => done.declined += 1,
            Ok(PaymentStatus::Refunded) => done.refunded += 1,
            Ok(_) => {}
            Err(e) => {
                done.failed += 1;
                tracing::warn!(payment_id = id, error = %e, "reconciling a payment failed");
            }
        }
    }
    for id in refunds {
        match refund(pool, payments, id) {
            Ok(true) => done.refunded += 1,
            Ok(false) => {}
            Err(_) => done.failed += 1,
        }
    }
    Ok(done)
}
