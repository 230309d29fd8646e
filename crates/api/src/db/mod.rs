//! PostgreSQL access: the connection pool, embedded migrations and (per resource) queries that
//! take a `&mut PgConnection`.

pub mod applications;
pub mod bookings;
pub mod catalog;
pub mod limits;
pub mod outbox;
pub mod payments;
pub mod prepared;
pub mod queue;
pub mod schema;
pub mod staff;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel::sql_types::BigInt;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;
pub type PgPooled = PooledConnection<ConnectionManager<PgConnection>>;

/// The SQL migrations under `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Advisory-lock key that serialises migrations when several instances start at once
/// ("nobatmig" in ASCII).
const MIGRATION_LOCK: i64 = 0x6e6f_6261_746d_6967;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Builds the pool. Connections are opened on demand (no idle minimum), so no background thread
/// is ever half-way through a libpq connect when the process exits (libpq and OpenSSL's exit
/// handlers do not survive that race).
/// No statement runs longer than this: a stuck query gives its connection back and the
/// request a 503 instead of holding both until the client has long given up.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sets the session limits on every new connection.
#[derive(Debug, Clone, Copy)]
struct SessionLimits;

impl diesel::r2d2::CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionLimits {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        let millis = STATEMENT_TIMEOUT.as_millis();
        for setting in [
            format!("SET statement_timeout = {millis}"),
            format!("SET idle_in_transaction_session_timeout = {}", millis * 3),
        ] {
            diesel::sql_query(setting)
                .execute(conn)
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

pub fn build_pool(database_url: &str, size: u32, timeout: Duration) -> Result<PgPool, BoxError> {
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    let pool = Pool::builder()
        .connection_customizer(Box::new(SessionLimits))
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(timeout)
        .idle_timeout(Some(Duration::from_secs(600)))
        .build(manager)?;
    Ok(pool)
}

/// Opens `count` connections now and returns them to the pool idle, so the first burst of
/// requests after start-up does not wait for connections to be established.
pub fn warm_up(pool: &PgPool, count: u32) {
    let held: Vec<_> = (0..count.min(pool.max_size()))
        .map_while(|_| pool.get().ok())
        .collect();
    tracing::debug!(connections = held.len(), "connection pool warmed up");
}

/// One connection outside any pool, for one-shot commands (migrate, seed-demo).
pub fn connect(database_url: &str) -> Result<PgConnection, BoxError> {
    Ok(PgConnection::establish(database_url)?)
}

/// Applies pending migrations; safe to call from many processes at once (the first one migrates,
/// the others wait on an advisory lock and then find nothing to do). Returns what was applied.
pub fn run_migrations(conn: &mut PgConnection) -> Result<Vec<String>, BoxError> {
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(conn)?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(ToString::to_string).collect::<Vec<_>>());
    let unlocked = diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(conn);
    let applied = applied?;
    unlocked?;
    Ok(applied)
}

/// Answers whether the database takes a trivial query right now.
pub fn ping(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// The moment after which a request's writes are rolled back instead of committed
/// (`NOBAT_REQUEST_DEADLINE_MS` after the request arrived): the client may have given up by
/// then, and must not miss a change it was never told about.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(std::time::Instant);

impl Deadline {
    /// `budget` from now.
    pub fn after(budget: Duration) -> Deadline {
        Deadline(std::time::Instant::now() + budget)
    }

    pub fn passed(&self) -> bool {
        std::time::Instant::now() >= self.0
    }
}

/// Runs `f` in a transaction that commits only if `deadline` has not passed when `f` is done;
/// otherwise everything is rolled back and the answer is a 503 saying nothing was changed.
pub fn transaction_before<T>(
    conn: &mut PgConnection,
    deadline: Deadline,
    f: impl FnOnce(&mut PgConnection) -> Result<T, crate::error::ApiError>,
) -> Result<T, crate::error::ApiError> {
    conn.transaction(|conn| {
        let done = f(conn)?;
        if deadline.passed() {
            tracing::warn!("a write finished after its request's deadline and was rolled back");
            return Err(crate::error::ApiError::Unavailable {
                detail: "The request could not be finished in time, so nothing was changed. \
                         Please try again."
                    .into(),
            });
        }
        Ok(done)
    })
}
