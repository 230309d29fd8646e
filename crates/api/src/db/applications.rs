//! Passport applications in PostgreSQL: drafts as typed, the columns copied out when the
//! citizen submits (reason, birth date, branch, fee), the photo's metadata (the file is on
//! disk), and every status with who, when and a note.

use super::payments::{event as payment_event, set_status, Observed};
use super::schema::{
    application_events, branches, outbox, passport_applications, payments, webhooks,
};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_domain::payment::PaymentStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = passport_applications, check_for_backend(diesel::pg::Pg))]
pub struct ApplicationRow {
    pub id: i64,
    pub number: String,
    pub token_hash: Vec<u8>,
    pub status: String,
    pub language: String,
    pub data: serde_json::Value,
    pub reason: Option<String>,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub collection_branch_id: Option<i32>,
    pub photo_sha256: Option<String>,
    pub photo_format: Option<String>,
    pub photo_width: Option<i32>,
    pub photo_height: Option<i32>,
    pub photo_bytes: Option<i32>,
    pub fee_minor: i64,
    pub action_required: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub to_status: String,
    pub note: String,
}

/// How long a draft is kept after its last change.
pub fn draft_lifetime() -> chrono::Duration {
    chrono::Duration::days(30)
}

pub fn insert(
    conn: &mut PgConnection,
    number: &str,
    token_hash: &[u8],
    language: &str,
    data: &serde_json::Value,
) -> QueryResult<Option<i64>> {
    diesel::insert_into(passport_applications::table)
        .values((
            passport_applications::number.eq(number),
            passport_applications::token_hash.eq(token_hash),
            passport_applications::language.eq(language),
            passport_applications::data.eq(data),
            passport_applications::expires_at.eq(Utc::now() + draft_lifetime()),
        ))
        .on_conflict_do_nothing()
        .returning(passport_applications::id)
        .get_result(conn)
        .optional()
}

/// An application by number; expired drafts count as gone.
pub fn find(conn: &mut PgConnection, number: &str) -> QueryResult<Option<ApplicationRow>> {
    passport_applications::table
        .filter(passport_applications::number.eq(number))
        .filter(
            passport_applications::status
                .ne("draft")
                .or(passport_applications::expires_at.gt(Utc::now())),
        )
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

/// The same, locked for an update in the caller's transaction.
pub fn lock(conn: &mut PgConnection, id: i64) -> QueryResult<ApplicationRow> {
    passport_applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .for_update()
        .first(conn)
}

/// Saves a draft's answers; what was prepared for submission is dropped (the citizen submits
/// again, and a payment arriving for the old answers is refunded).
pub fn save_draft(
    conn: &mut PgConnection,
    id: i64,
    language: &str,
    data: &serde_json::Value,
) -> QueryResult<()> {
    diesel::update(passport_applications::table.find(id))
        .set((
            passport_applications::language.eq(language),
            passport_applications::data.eq(data),
            passport_applications::reason.eq(None::<String>),
            passport_applications::date_of_birth.eq(None::<NaiveDate>),
            passport_applications::collection_branch_id.eq(None::<i32>),
            passport_applications::expires_at.eq(Utc::now() + draft_lifetime()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The photo's metadata (the file is already on disk under its sha256).
pub fn set_photo(
    conn: &mut PgConnection,
    id: i64,
    sha256: &str,
    format: &str,
    width: u32,
    height: u32,
    bytes: usize,
) -> QueryResult<()> {
    let as_i32 = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    diesel::update(passport_applications::table.find(id))
        .set((
            passport_applications::photo_sha256.eq(Some(sha256)),
            passport_applications::photo_format.eq(Some(format)),
            passport_applications::photo_width.eq(Some(as_i32(width.into()))),
            passport_applications::photo_height.eq(Some(as_i32(height.into()))),
            passport_applications::photo_bytes.eq(Some(as_i32(bytes as u64))),
            passport_applications::expires_at.eq(Utc::now() + draft_lifetime()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// What submission copies out of a complete application.
pub struct Prepared<'a> {
    pub reason: &'a str,
    pub full_name: &'a str,
    pub date_of_birth: NaiveDate,
    pub branch_id: i32,
    pub fee_minor: i64,
}

/// Records the checked facts of a draft about to be paid for (or submitted, when exempt).
pub fn prepare(conn: &mut PgConnection, id: i64, p: &Prepared) -> QueryResult<()> {
    diesel::update(passport_applications::table.find(id))
        .set((
            passport_applications::reason.eq(Some(p.reason)),
            passport_applications::full_name.eq(p.full_name),
            passport_applications::date_of_birth.eq(Some(p.date_of_birth)),
            passport_applications::collection_branch_id.eq(Some(p.branch_id)),
            passport_applications::fee_minor.eq(p.fee_minor),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Moves an application to `to`, recording who and why; `action_required` is set for
/// `needs_action` and cleared otherwise.
pub fn transition(
    conn: &mut PgConnection,
    id: i64,
    from: &str,
    to: &str,
    actor: &str,
    staff_id: Option<i32>,
    note: &str,
) -> QueryResult<()> {
    let now = Utc::now();
    let action = (to == "needs_action").then(|| note.to_owned());
    let target = passport_applications::table.find(id);
    let changed = if to == "submitted" {
        diesel::update(target)
            .set((
                passport_applications::status.eq(to),
                passport_applications::action_required.eq(action),
                passport_applications::submitted_at.eq(Some(now)),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((
                passport_applications::status.eq(to),
                passport_applications::action_required.eq(action),
            ))
            .execute(conn)?
    };
    if changed > 0 {
        let event: i64 = diesel::insert_into(application_events::table)
            .values((
                application_events::application_id.eq(id),
                application_events::at.eq(now),
                application_events::from_status.eq(Some(from)),
                application_events::to_status.eq(to),
                application_events::actor.eq(actor),
                application_events::staff_id.eq(staff_id),
                application_events::note.eq(note),
            ))
            .returning(application_events::id)
            .get_result(conn)?;
        queue_messages(conn, id, from, to, note, event, now)?;
    }
    Ok(())
}

/// The citizen's SMS (and email) about a new status, and one signed event per registered
/// webhook; all in the outbox, in the caller's transaction, so they go out exactly when the
/// change commits.
fn queue_messages(
    conn: &mut PgConnection,
    id: i64,
    from: &str,
    to: &str,
    note: &str,
    event: i64,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    let (number, language, data): (String, String, serde_json::Value) =
        passport_applications::table
            .find(id)
            .select((
                passport_applications::number,
                passport_applications::language,
                passport_applications::data,
            ))
            .first(conn)?;
    let citizen = serde_json::json!({"number": number, "status": to, "note": note});
    let contacts = [
        ("sms", data["phone"].as_str()),
        ("email", data["email"].as_str()),
    ];
    for (channel, recipient) in contacts {
        let Some(recipient) = recipient.map(str::trim).filter(|r| !r.is_empty()) else {
            continue;
        };
        diesel::insert_into(outbox::table)
            .values((
                outbox::application_id.eq(Some(id)),
                outbox::channel.eq(channel),
                outbox::recipient.eq(recipient),
                outbox::template.eq(APPLICATION_STATUS),
                outbox::language.eq(&language),
                outbox::payload.eq(&citizen),
            ))
            .execute(conn)?;
    }
    let hooks: Vec<(i32, String)> = webhooks::table
        .filter(webhooks::active.eq(true))
        .select((webhooks::id, webhooks::url))
        .load(conn)?;
    for (webhook, url) in hooks {
        let payload = serde_json::json!({
            "webhook_id": webhook,
            "event": {
                "id": format!("evt_{event}"),
                "type": STATUS_CHANGED,
                "created_at": at,
                "data": {"number": number, "status": to, "previous_status": from, "note": note},
            },
        });
        diesel::insert_into(outbox::table)
            .values((
                outbox::application_id.eq(Some(id)),
                outbox::channel.eq("webhook"),
                outbox::recipient.eq(&url),
                outbox::template.eq(STATUS_CHANGED),
                outbox::language.eq(&language),
                outbox::payload.eq(&payload),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The outbox template of the citizen's message about a status.
pub const APPLICATION_STATUS: &str = "application_status";
/// The type of the webhook event sent for each status change.
pub const STATUS_CHANGED: &str = "application.status_changed";

/// The history, oldest first.
pub fn events(conn: &mut PgConnection, id: i64) -> QueryResult<Vec<EventRow>> {
    application_events::table
        .filter(application_events::application_id.eq(id))
        .order((application_events::at, application_events::id))
        .select((
            application_events::at,
            application_events::to_status,
            application_events::note,
        ))
        .load(conn)
}

/// The collection branch's code and names.
pub fn branch_of(
    conn: &mut PgConnection,
    branch_id: i32,
) -> QueryResult<(String, nobat_domain::Localized)> {
    let (code, tk, ru, en): (String, String, String, String) = branches::table
        .find(branch_id)
        .select((
            branches::code,
            branches::name_tk,
            branches::name_ru,
            branches::name_en,
        ))
        .first(conn)?;
    Ok((code, nobat_domain::Localized::new(tk, ru, en)))
}

/// Money arrived for an application's fee (inside the payment's settling transaction): a
/// draft prepared for exactly this amount is submitted; anything else is refunded.
pub fn paid(
    conn: &mut PgConnection,
    payment_id: i64,
    application_id: i64,
    amount: i64,
    observed: &Observed,
) -> QueryResult<PaymentStatus> {
    diesel::update(payments::table.filter(payments::id.eq(payment_id)))
        .set((
            payments::status.eq(PaymentStatus::Paid.code()),
            payments::paid_at.eq(Some(Utc::now())),
            payments::masked_pan.eq(observed.masked_pan.clone()),
        ))
        .execute(conn)?;
    let row = lock(conn, application_id)?;
    let short = observed.amount_minor.is_some_and(|a| a < amount);
    let prepared = row.reason.is_some() && row.collection_branch_id.is_some();
    if row.status == "draft" && prepared && !short && amount == row.fee_minor {
        transition(
            conn,
            application_id,
            "draft",
            "submitted",
            "payments",
            None,
            "",
        )?;
        Ok(PaymentStatus::Paid)
    } else {
        set_status(conn, payment_id, PaymentStatus::RefundPending)?;
        payment_event(
            conn,
            payment_id,
            "settle",
            None,
            "refund_pending",
            "the application was not waiting for this payment",
        )?;
        Ok(PaymentStatus::RefundPending)
    }
}

/// A filter of the staff list.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// None: every branch (an admin); Some: only these branch ids.
    pub branches: Option<Vec<i32>>,
    pub branch: Option<i32>,
    pub status: Option<String>,
    pub reason: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub number: Option<String>,
}

/// Submitted applications matching the filter, the newest submission first: one page and the
/// total count.
pub fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ApplicationRow>, i64)> {
    let query = || {
        let mut q = passport_applications::table
            .filter(passport_applications::status.ne("draft"))
            .into_boxed();
        if let Some(ids) = &filter.branches {
            q = q.filter(passport_applications::collection_branch_id.eq_any(ids.clone()));
        }
        if let Some(id) = filter.branch {
            q = q.filter(passport_applications::collection_branch_id.eq(id));
        }
        if let Some(status) = &filter.status {
            q = q.filter(passport_applications::status.eq(status.clone()));
        }
        if let Some(reason) = &filter.reason {
            q = q.filter(passport_applications::reason.eq(reason.clone()));
        }
        if let Some(from) = filter.from {
            q = q.filter(passport_applications::submitted_at.ge(from));
        }
        if let Some(to) = filter.to {
            q = q.filter(passport_applications::submitted_at.lt(to));
        }
        if let Some(number) = &filter.number {
            q = q.filter(passport_applications::number.eq(number.clone()));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .order((
            passport_applications::submitted_at.desc(),
            passport_applications::id.desc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(ApplicationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Branch codes by id, for lists.
pub fn branch_codes(
    conn: &mut PgConnection,
    ids: &[i32],
) -> QueryResult<std::collections::HashMap<i32, String>> {
    Ok(branches::table
        .filter(branches::id.eq_any(ids))
        .select((branches::id, branches::code))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect())
}

/// Deletes drafts past their expiry that no payment is still open for (a payment in flight
/// settles first), then the photo files no application uses; how many drafts went.
pub fn forget_expired_drafts(
    conn: &mut PgConnection,
    photo_dir: &std::path::Path,
) -> QueryResult<usize> {
    let busy = payments::table
        .filter(payments::application_id.eq(passport_applications::id.nullable()))
        .filter(payments::status.eq_any(["pending", "paid", "refund_pending"]));
    let photos: Vec<Option<String>> = diesel::delete(
        passport_applications::table
            .filter(passport_applications::status.eq("draft"))
            .filter(passport_applications::expires_at.lt(Utc::now()))
            .filter(diesel::dsl::not(diesel::dsl::exists(busy))),
    )
    .returning(passport_applications::photo_sha256)
    .get_results(conn)?;
    for sha in photos.iter().flatten() {
        let used: i64 = passport_applications::table
            .filter(passport_applications::photo_sha256.eq(sha))
            .count()
            .get_result(conn)?;
        if used == 0 {
            let _ = std::fs::remove_file(photo_dir.join(sha));
        }
    }
    Ok(photos.len())
}
