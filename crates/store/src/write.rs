//! Every write transaction of the store begins and ends here: on SQLite it
//! waits for this process's writer lock first, then runs its statements,
//! applies the [`Effects`] the change causes (audit events, mail, counters)
//! and commits — or rolls back, when its statements found the change no
//! longer applies (a row gone, a version moved on) or failed.
//!
//! A store method gives the statements as an async closure over the
//! transaction's connection, and ends it with [`Commit`] or [`Rollback`],
//! either carrying its answer:
//!
//! ```text
//! self.write_with(effects, now, async |tx| {
//!     let used = sqlx::query("UPDATE … SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
//!         .bind(now.0)
//!         .bind(id)
//!         .run(&mut *tx)
//!         .await?;
//!     if used != 1 {
//!         return Ok(Rollback(false)); // used meanwhile: nothing happens
//!     }
//!     // … more statements …
//!     Ok(Commit(true)) // and `effects` are applied
//! })
//! .await
//! ```
//!
//! Writes outside this helper are single statements on the pool, atomic by
//! themselves (touching a session, spending a TOTP step, inserting a code).
//!
//! [`Commit`]: Outcome::Commit
//! [`Rollback`]: Outcome::Rollback

use std::sync::Arc;

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::store::{Effects, StoreResult};
use sqlx::{AnyConnection, AnyPool};
use tokio::sync::Mutex;

use crate::db::{Db, db_err};

/// How a write transaction ends; either way the value is the method's
/// answer.
#[derive(Debug)]
pub(crate) enum Outcome<T> {
    /// Keep the changes, with the effects.
    Commit(T),
    /// Undo them; the effects are not applied.
    Rollback(T),
}

impl Outcome<bool> {
    /// `Commit(true)` when the change applied, else `Rollback(false)`.
    pub(crate) fn applied(applied: bool) -> Outcome<bool> {
        if applied {
            Outcome::Commit(true)
        } else {
            Outcome::Rollback(false)
        }
    }
}

/// What a write transaction needs: the pool, SQLite's writer lock and the
/// key that seals queued mail. Cheap to clone; the refresh writer holds one
/// of its own (see `oidc/refresh.rs`).
#[derive(Debug, Clone)]
pub(crate) struct Writes {
    pool: AnyPool,
    /// SQLite has one writer at a time; a second one waits in SQLite's busy
    /// handler, which sleeps in steps of milliseconds. Write transactions of
    /// this process queue here instead, without sleeping. `None` on
    /// PostgreSQL, where writers run side by side.
    lock: Option<Arc<Mutex<()>>>,
    /// Seals mail parameters (they can hold links with tokens) at rest.
    pub(crate) sealing: Option<Arc<SecretBox>>,
}

impl Writes {
    pub(crate) fn new(pool: AnyPool, one_writer: bool) -> Writes {
        Writes {
            pool,
            lock: one_writer.then(Arc::default),
            sealing: None,
        }
    }

    /// Runs `body` in a transaction of its own (after the writer lock, on
    /// SQLite); on [`Outcome::Commit`] applies `effects` and commits, on
    /// [`Outcome::Rollback`] or an error rolls back — before the lock is
    /// released, so the next writer finds the database free.
    pub(crate) async fn run<T>(
        &self,
        effects: Option<(&Effects<'_>, UnixTime)>,
        body: impl AsyncFnOnce(&mut AnyConnection) -> StoreResult<Outcome<T>>,
    ) -> StoreResult<T> {
        let _turn = match &self.lock {
            Some(lock) => Some(lock.lock().await),
            None => None,
        };
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let ended = match body(&mut tx).await {
            Ok(Outcome::Commit(value)) => match effects {
                Some((effects, now)) => {
                    crate::effects::apply(&mut tx, effects, now, self.sealing.as_deref())
                        .await
                        .map(|()| Outcome::Commit(value))
                }
                None => Ok(Outcome::Commit(value)),
            },
            other => other,
        };
        match ended {
            Ok(Outcome::Commit(value)) => {
                tx.commit().await.map_err(db_err)?;
                Ok(value)
            }
            Ok(Outcome::Rollback(value)) => {
                tx.rollback().await.map_err(db_err)?;
                Ok(value)
            }
            Err(err) => {
                // The error that made the write fail is the answer; a failed
                // rollback (the connection is gone) changes nothing.
                if let Err(undo) = tx.rollback().await {
                    tracing::debug!(error = %undo, "rollback after a failed write");
                }
                Err(err)
            }
        }
    }
}

impl Db {
    /// A write transaction without effects (see [`Writes::run`]).
    pub(crate) async fn write<T>(
        &self,
        body: impl AsyncFnOnce(&mut AnyConnection) -> StoreResult<Outcome<T>>,
    ) -> StoreResult<T> {
        self.writes.run(None, body).await
    }

    /// A write transaction that applies `effects` when it commits (see
    /// [`Writes::run`]).
    pub(crate) async fn write_with<T>(
        &self,
        effects: &Effects<'_>,
        now: UnixTime,
        body: impl AsyncFnOnce(&mut AnyConnection) -> StoreResult<Outcome<T>>,
    ) -> StoreResult<T> {
        self.writes.run(Some((effects, now)), body).await
    }
}

#[cfg(test)]
mod tests {
    use latchkey_core::store::{CounterChange, StoreError};

    use super::Outcome::{Commit, Rollback};
    use super::*;
    use crate::db::Backend;
    use crate::testing::TestDb;

    /// Writes the counter `key` in `tx`.
    async fn put(tx: &mut AnyConnection, key: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO rate_limits (key, window_start, count) VALUES ($1, 0, 1)")
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn counters(db: &Db) -> Vec<String> {
        sqlx::query_scalar("SELECT key FROM rate_limits ORDER BY key")
            .fetch_all(&db.pool)
            .await
            .unwrap()
    }

    async fn ends_as_told(backend: Backend) {
        let t = TestDb::new(backend).await.unwrap();
        let db = &t.db;
        let now = UnixTime(1_000);
        let effects = Effects {
            counters: vec![CounterChange::Add {
                key: "effect",
                delta: 1,
                window_secs: 60,
            }],
            ..Default::default()
        };

        let kept = db
            .write_with(&effects, now, async |tx| {
                put(tx, "kept").await?;
                Ok(Commit(1))
            })
            .await;
        assert_eq!(kept.unwrap(), 1);
        assert_eq!(counters(db).await, ["effect", "kept"]);

        let undone = db
            .write_with(&effects, now, async |tx| {
                put(tx, "undone").await?;
                Ok(Rollback(2))
            })
            .await;
        assert_eq!(undone.unwrap(), 2, "the answer comes back");
        assert_eq!(counters(db).await, ["effect", "kept"], "nothing stays");

        let failed: StoreResult<()> = db
            .write_with(&effects, now, async |tx| {
                put(tx, "failed").await?;
                put(tx, "kept").await?; // a unique violation
                Ok(Commit(()))
            })
            .await;
        assert!(matches!(failed, Err(StoreError::Unique(_))), "{failed:?}");
        assert_eq!(counters(db).await, ["effect", "kept"], "nothing stays");

        // The failed write let go of the database: the next one runs.
        db.write(async |tx| {
            put(tx, "next").await?;
            Ok(Commit(()))
        })
        .await
        .unwrap();
        assert_eq!(counters(db).await, ["effect", "kept", "next"]);
    }

    #[tokio::test]
    async fn ends_as_told_sqlite() {
        ends_as_told(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn ends_as_told_postgres() {
        ends_as_told(Backend::Postgres).await;
    }
}
