//! Refreshes move their grant's generation on through one writer task that
//! applies every refresh waiting at that moment in one statement (group
//! commit), then reads the moved grants with their users in one more:
//! concurrent refreshes share two round trips and a commit instead of
//! queueing for SQLite's single writer one by one.

use latchkey_core::platform::ids::{ClientRowId, GrantId};
use std::collections::{HashMap, HashSet};

use latchkey_core::accounts::user::User;
use latchkey_core::oidc::Grant;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::{StoreError, StoreResult};
use sqlx::AssertSqlSafe;

use super::rows::{GRANT_WITH_USER, grant_with_user_from_row};
use crate::db::{Db, db_err, id};
use crate::write::Outcome::Commit;
use crate::write::Writes;

pub(super) type Rotated = Option<(Grant, User)>;

/// A refresh waiting for the writer: grant id, generation, client row id,
/// the time, and where the answer goes.
struct Pending {
    grant_id: GrantId,
    generation: i64,
    client_id: ClientRowId,
    now: i64,
    reply: tokio::sync::oneshot::Sender<StoreResult<Rotated>>,
}

/// The writer task's queue, started with the first refresh.
#[derive(Debug, Default)]
pub struct RefreshWriter(std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<Pending>>);

/// Most refreshes applied in one statement.
const BATCH_MAX: usize = 64;

impl RefreshWriter {
    fn sender(&self, db: &Db) -> &tokio::sync::mpsc::UnboundedSender<Pending> {
        self.0.get_or_init(|| {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            // The task holds the write side, not the Db: when the last Db goes,
            // the sender goes, and the task ends.
            tokio::spawn(write_refreshes(db.writes.clone(), rx));
            tx
        })
    }
}

async fn write_refreshes(writes: Writes, mut rx: tokio::sync::mpsc::UnboundedReceiver<Pending>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH_MAX {
            match rx.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        // The same grant twice at once: a race between two uses of one
        // token; only the first may move it on.
        let mut seen = HashSet::new();
        let mut work = vec![];
        for p in batch {
            if seen.insert(p.grant_id.clone()) {
                work.push(p);
            } else {
                let _ = p.reply.send(Ok(None));
            }
        }
        // The move and the read in one transaction: if the read fails,
        // nothing moved, and the clients' retries with the same tokens work
        // (a moved-but-unanswered grant would look like reuse and be revoked).
        let read = writes
            .run(None, async |tx| {
                let ids = move_on(tx, &work).await?;
                if ids.is_empty() {
                    return Ok(Commit(HashMap::new()));
                }
                Ok(Commit(grants_with_users(tx, &ids).await?))
            })
            .await;
        match read {
            Ok(mut found) => {
                for p in work {
                    let _ = p.reply.send(Ok(found.remove(&p.grant_id)));
                }
            }
            Err(err) => {
                let text = err.to_string();
                for p in work {
                    let _ = p.reply.send(Err(StoreError::Database(text.clone())));
                }
            }
        }
    }
}

/// Moves every waiting grant that is still at its generation on, in one
/// statement; the ids of those that moved.
async fn move_on(conn: &mut sqlx::AnyConnection, work: &[Pending]) -> StoreResult<Vec<GrantId>> {
    let values: Vec<String> = (0..work.len())
        .map(|i| format!("(${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
        .collect();
    let sql = format!(
        "UPDATE oauth_grants SET refresh_generation = refresh_generation + 1, used_at = $1
         WHERE revoked_at IS NULL AND expires_at > $1
           AND (id, refresh_generation, client_id) IN (VALUES {})
         RETURNING id",
        values.join(", ")
    );
    // the latest time of the batch: the strictest expiry check
    let now = work.iter().map(|p| p.now).max().unwrap_or_default();
    let mut query = sqlx::query(AssertSqlSafe(sql)).bind(now);
    for p in work {
        query = query
            .bind(p.grant_id.as_str())
            .bind(p.generation)
            .bind(p.client_id.as_str());
    }
    let rows = query.fetch_all(&mut *conn).await.map_err(db_err)?;
    rows.iter().map(|r| id(r, "id")).collect()
}

async fn grants_with_users(
    conn: &mut sqlx::AnyConnection,
    ids: &[GrantId],
) -> StoreResult<HashMap<GrantId, (Grant, User)>> {
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "{} WHERE g.id IN ({})",
        GRANT_WITH_USER.as_str(),
        marks.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(id.as_str());
    }
    let rows = query.fetch_all(&mut *conn).await.map_err(db_err)?;
    rows.iter()
        .map(|row| {
            let found = grant_with_user_from_row(row)?;
            Ok((found.0.id.clone(), found))
        })
        .collect()
}

/// Queues the refresh for the writer task and waits for its answer (see
/// [`OidcStore::rotate_refresh`](latchkey_core::store::OidcStore::rotate_refresh)).
pub(super) async fn rotate(
    db: &Db,
    grant_id: &GrantId,
    generation: i64,
    client_id: &ClientRowId,
    now: UnixTime,
) -> StoreResult<Rotated> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    db.refreshes
        .sender(db)
        .send(Pending {
            grant_id: grant_id.clone(),
            generation,
            client_id: client_id.clone(),
            now: now.0,
            reply,
        })
        .map_err(|_| StoreError::Unavailable("the refresh writer has stopped".into()))?;
    answer
        .await
        .map_err(|_| StoreError::Unavailable("the refresh writer has stopped".into()))?
}
