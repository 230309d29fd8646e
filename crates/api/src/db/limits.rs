//! Fixed-window rate limits kept in PostgreSQL, so every instance counts the same attempts.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

/// Counts one attempt in `bucket`. `Ok(())` while at most `limit` attempts fell in the current
/// window of `window_secs`; otherwise `Err(seconds until the window ends)`.
pub fn hit(
    conn: &mut PgConnection,
    bucket: &str,
    limit: i32,
    window_secs: i64,
) -> QueryResult<Result<(), u64>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Integer)]
        hits: i32,
        #[diesel(sql_type = BigInt)]
        retry_after: i64,
    }
    let row: Row = diesel::sql_query(
        "INSERT INTO rate_limits AS r (bucket, window_started_at, hits) VALUES ($1, now(), 1)
         ON CONFLICT (bucket) DO UPDATE SET
           hits = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2::float8)
                       THEN 1 ELSE r.hits + 1 END,
           window_started_at = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2::float8)
                       THEN now() ELSE r.window_started_at END
         RETURNING hits,
           GREATEST(1, ceil(extract(epoch FROM window_started_at + make_interval(secs => $2::float8) - now())))::bigint
             AS retry_after",
    )
    .bind::<Text, _>(bucket)
    .bind::<BigInt, _>(window_secs)
    .get_result(conn)?;
    Ok(if row.hits <= limit {
        Ok(())
    } else {
        Err(u64::try_from(row.retry_after).unwrap_or(1))
    })
}
