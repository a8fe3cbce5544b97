//! Rate-limit counters: one atomic upsert per hit, windows that start over.

use latchkey_core::effects::ratelimit::Hit;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::{RateLimitStore, StoreResult};

use sqlx::{Any, Executor};

use crate::db::{Db, Run, col, db_err, time};
use crate::write::Outcome::Commit;

/// Adds `delta` to counter `key` (see [`RateLimitStore::rate_limit_add`]) on
/// the pool or inside a transaction.
pub(crate) async fn add<'e, E: Executor<'e, Database = Any> + 'e>(
    executor: E,
    key: &str,
    delta: i64,
    now: UnixTime,
    window_secs: i64,
) -> StoreResult<Hit> {
    // One atomic upsert: a window older than `window_secs` starts over.
    let row = sqlx::query(
        "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_start <= $4 THEN $3
                        WHEN rate_limits.count + $5 < 0 THEN 0
                        ELSE rate_limits.count + $5 END,
           window_start = CASE WHEN rate_limits.window_start <= $4 THEN $2
                               ELSE rate_limits.window_start END
         RETURNING count, window_start",
    )
    .bind(key)
    .bind(now.0)
    .bind(delta.max(0))
    .bind(now.0 - window_secs)
    .bind(delta)
    .fetch_one(executor)
    .await
    .map_err(db_err)?;
    Ok(Hit {
        count: col(&row, "count")?,
        window_start: time(&row, "window_start")?,
    })
}

pub(crate) async fn clear<'e, E: Executor<'e, Database = Any> + 'e>(
    executor: E,
    key: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(key)
        .run(executor)
        .await?;
    Ok(())
}

impl RateLimitStore for Db {
    async fn rate_limit_add(
        &self,
        key: &str,
        delta: i64,
        now: UnixTime,
        window_secs: i64,
    ) -> StoreResult<Hit> {
        add(&self.pool, key, delta, now, window_secs).await
    }

    async fn rate_limit_clear(&self, key: &str) -> StoreResult<()> {
        clear(&self.pool, key).await
    }

    async fn purge_rate_limits(&self, before: UnixTime) -> StoreResult<u64> {
        self.write(async |tx| {
            let purged = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
                .bind(before.0)
                .run(&mut *tx)
                .await?;
            Ok(Commit(purged))
        })
        .await
    }
}
