//! Authorization codes, grants, refresh tokens and consents.

use std::collections::HashMap;

use latchkey_core::accounts::session::{methods_from_string, methods_to_string};
use latchkey_core::oidc::{AuthCode, Grant};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::{Consent, OidcStore, StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::db::{Db, Run, all, col, db_err, optional};
use crate::write::Outcome::{Commit, Rollback};
use crate::write::Writes;

const CODE_COLUMNS: &str = "code_hash, tenant_id, client_id, user_id, session_hash, redirect_uri, scope, \
                            nonce, code_challenge, auth_time, amr, created_at, expires_at, used_at, security_stamp";
const GRANT_COLUMNS: &str = "g.id, g.tenant_id, g.client_id, g.user_id, g.session_hash, g.scope, g.amr, \
                             g.auth_time, g.security_stamp, g.code_hash, g.created_at, g.expires_at, g.revoked_at, \
                             g.refresh_generation";

fn code_from_row(row: &AnyRow) -> StoreResult<AuthCode> {
    Ok(AuthCode {
        code_hash: col(row, "code_hash")?,
        tenant_id: col(row, "tenant_id")?,
        client_id: col(row, "client_id")?,
        user_id: col(row, "user_id")?,
        session_hash: col(row, "session_hash")?,
        redirect_uri: col(row, "redirect_uri")?,
        scope: col(row, "scope")?,
        nonce: col(row, "nonce")?,
        code_challenge: col(row, "code_challenge")?,
        auth_time: UnixTime(col(row, "auth_time")?),
        amr: methods_from_string(&col::<String>(row, "amr")?),
        created_at: UnixTime(col(row, "created_at")?),
        expires_at: UnixTime(col(row, "expires_at")?),
        used_at: col::<Option<i64>>(row, "used_at")?.map(UnixTime),
        security_stamp: col(row, "security_stamp")?,
    })
}

fn grant_from_row(row: &AnyRow) -> StoreResult<Grant> {
    grant_from_prefixed(row, "")
}

/// A grant from columns named `{prefix}id`, `{prefix}tenant_id`, …
fn grant_from_prefixed(row: &AnyRow, prefix: &str) -> StoreResult<Grant> {
    let c = |name: &str| format!("{prefix}{name}");
    Ok(Grant {
        id: col(row, &c("id"))?,
        tenant_id: col(row, &c("tenant_id"))?,
        client_id: col(row, &c("client_id"))?,
        user_id: col(row, &c("user_id"))?,
        session_hash: col(row, &c("session_hash"))?,
        scope: col(row, &c("scope"))?,
        amr: methods_from_string(&col::<String>(row, &c("amr"))?),
        auth_time: UnixTime(col(row, &c("auth_time"))?),
        security_stamp: col(row, &c("security_stamp"))?,
        code_hash: col(row, &c("code_hash"))?,
        created_at: UnixTime(col(row, &c("created_at"))?),
        expires_at: UnixTime(col(row, &c("expires_at"))?),
        revoked_at: col::<Option<i64>>(row, &c("revoked_at"))?.map(UnixTime),
        refresh_generation: col(row, &c("refresh_generation"))?,
    })
}

type Rotated = Option<(Grant, latchkey_core::accounts::user::User)>;

/// A refresh waiting for the writer: grant id, generation, client row id,
/// the time, and where the answer goes.
struct Pending {
    grant_id: String,
    generation: i64,
    client_id: String,
    now: i64,
    reply: tokio::sync::oneshot::Sender<StoreResult<Rotated>>,
}

/// Refreshes move their grant's generation on through one writer task that
/// applies every refresh waiting at that moment in one statement (group
/// commit), then reads the moved grants with their users in one more:
/// concurrent refreshes share two round trips and a commit instead of
/// queueing for SQLite's single writer one by one.
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
        let mut seen = std::collections::HashSet::new();
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
async fn move_on(conn: &mut sqlx::AnyConnection, work: &[Pending]) -> StoreResult<Vec<String>> {
    let values: Vec<String> = (0..work.len())
        .map(|i| format!("(${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
        .collect();
    let sql = format!(
        "UPDATE oauth_grants SET refresh_generation = refresh_generation + 1
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
            .bind(p.grant_id.clone())
            .bind(p.generation)
            .bind(p.client_id.clone());
    }
    let rows = query.fetch_all(&mut *conn).await.map_err(db_err)?;
    rows.iter().map(|r| col::<String>(r, "id")).collect()
}

/// The grants (`g_…` columns) joined with their users' columns.
static GRANT_WITH_USER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let grant: Vec<String> = GRANT_COLUMNS
        .split(',')
        .map(|c| format!("{} AS g_{}", c.trim(), c.trim().trim_start_matches("g.")))
        .collect();
    let user: Vec<String> = crate::accounts::user::COLUMNS
        .split(',')
        .map(|c| format!("u.{}", c.trim()))
        .collect();
    format!(
        "SELECT {}, {} FROM oauth_grants g JOIN users u ON u.id = g.user_id",
        grant.join(", "),
        user.join(", ")
    )
});

async fn grants_with_users(
    conn: &mut sqlx::AnyConnection,
    ids: &[String],
) -> StoreResult<HashMap<String, (Grant, latchkey_core::accounts::user::User)>> {
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "{} WHERE g.id IN ({})",
        GRANT_WITH_USER.as_str(),
        marks.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(id.clone());
    }
    let rows = query.fetch_all(&mut *conn).await.map_err(db_err)?;
    rows.iter()
        .map(|row| {
            let grant = grant_from_prefixed(row, "g_")?;
            Ok((
                grant.id.clone(),
                (grant, crate::accounts::user::from_row(row)?),
            ))
        })
        .collect()
}

impl OidcStore for Db {
    async fn insert_code(&self, c: &AuthCode) -> StoreResult<()> {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO oauth_codes ({CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14)"
        )))
        .bind(&c.code_hash)
        .bind(&c.tenant_id)
        .bind(&c.client_id)
        .bind(&c.user_id)
        .bind(&c.session_hash)
        .bind(&c.redirect_uri)
        .bind(&c.scope)
        .bind(&c.nonce)
        .bind(&c.code_challenge)
        .bind(c.auth_time.0)
        .bind(methods_to_string(&c.amr))
        .bind(c.created_at.0)
        .bind(c.expires_at.0)
        .bind(&c.security_stamp)
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn code_by_hash(&self, code_hash: &str) -> StoreResult<Option<AuthCode>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {CODE_COLUMNS} FROM oauth_codes WHERE code_hash = $1"
            )))
            .bind(code_hash)
            .fetch_optional(&self.pool)
            .await,
            code_from_row,
        )
    }

    async fn redeem_code(&self, code_hash: &str, g: &Grant, now: UnixTime) -> StoreResult<bool> {
        self.write(async |tx| {
            let done = sqlx::query(
                "UPDATE oauth_codes SET used_at = $1, grant_id = $2 WHERE code_hash = $3 AND used_at IS NULL",
            )
            .bind(now.0)
            .bind(&g.id)
            .bind(code_hash)
            .run(&mut *tx)
            .await?;
            if done != 1 {
                return Ok(Rollback(false));
            }
            sqlx::query(
                "INSERT INTO oauth_grants (id, tenant_id, client_id, user_id, session_hash, scope, amr, auth_time,
                                           security_stamp, code_hash, created_at, expires_at, revoked_at,
                                           refresh_generation)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13)",
            )
            .bind(&g.id)
            .bind(&g.tenant_id)
            .bind(&g.client_id)
            .bind(&g.user_id)
            .bind(&g.session_hash)
            .bind(&g.scope)
            .bind(methods_to_string(&g.amr))
            .bind(g.auth_time.0)
            .bind(&g.security_stamp)
            .bind(&g.code_hash)
            .bind(g.created_at.0)
            .bind(g.expires_at.0)
            .bind(g.refresh_generation)
            .run(&mut *tx)
            .await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn rotate_refresh(
        &self,
        grant_id: &str,
        generation: i64,
        client_id: &str,
        now: UnixTime,
    ) -> StoreResult<Rotated> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.refreshes
            .sender(self)
            .send(Pending {
                grant_id: grant_id.to_owned(),
                generation,
                client_id: client_id.to_owned(),
                now: now.0,
                reply,
            })
            .map_err(|_| StoreError::Unavailable("the refresh writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Unavailable("the refresh writer has stopped".into()))?
    }

    async fn revoke_grants_of_code(&self, code_hash: &str, now: UnixTime) -> StoreResult<()> {
        sqlx::query(
            "UPDATE oauth_grants SET revoked_at = $1 WHERE code_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now.0)
        .bind(code_hash)
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn grant_by_id(&self, id: &str) -> StoreResult<Option<Grant>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {GRANT_COLUMNS} FROM oauth_grants g WHERE g.id = $1"
            )))
            .bind(id)
            .fetch_optional(&self.pool)
            .await,
            grant_from_row,
        )
    }

    async fn grant_with_user(
        &self,
        id: &str,
    ) -> StoreResult<Option<(Grant, latchkey_core::accounts::user::User)>> {
        static BY_ID: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| format!("{} WHERE g.id = $1", GRANT_WITH_USER.as_str()));
        let row = sqlx::query(AssertSqlSafe(BY_ID.as_str()))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((
            grant_from_prefixed(&row, "g_")?,
            crate::accounts::user::from_row(&row)?,
        )))
    }

    async fn revoke_grant(&self, id: &str, now: UnixTime) -> StoreResult<()> {
        sqlx::query("UPDATE oauth_grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now.0)
            .bind(id)
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn insert_revoked_grant(&self, g: &Grant) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO oauth_grants (id, tenant_id, client_id, user_id, session_hash, scope, amr, auth_time,
                                       security_stamp, code_hash, created_at, expires_at, revoked_at,
                                       refresh_generation)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&g.id)
        .bind(&g.tenant_id)
        .bind(&g.client_id)
        .bind(&g.user_id)
        .bind(&g.session_hash)
        .bind(&g.scope)
        .bind(methods_to_string(&g.amr))
        .bind(g.auth_time.0)
        .bind(&g.security_stamp)
        .bind(&g.code_hash)
        .bind(g.created_at.0)
        .bind(g.expires_at.0)
        .bind(g.revoked_at.map(|t| t.0))
        .bind(g.refresh_generation)
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn revoke_session_grants(&self, session_hash: &str, now: UnixTime) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE oauth_grants SET revoked_at = $1 WHERE session_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now.0)
        .bind(session_hash)
        .run(&self.pool)
        .await?;
        Ok(done)
    }

    async fn consent(&self, user_id: &str, client_id: &str) -> StoreResult<Option<String>> {
        let row =
            sqlx::query("SELECT scope FROM oauth_consents WHERE user_id = $1 AND client_id = $2")
                .bind(user_id)
                .bind(client_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        row.map(|r| col(&r, "scope")).transpose()
    }

    async fn save_consent(
        &self,
        tenant_id: &str,
        user_id: &str,
        client_id: &str,
        scope: &str,
        now: UnixTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO oauth_consents (user_id, client_id, tenant_id, scope, granted_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at",
        )
        .bind(user_id)
        .bind(client_id)
        .bind(tenant_id)
        .bind(scope)
        .bind(now.0)
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn consents_for_user(&self, user_id: &str) -> StoreResult<Vec<Consent>> {
        all(
            sqlx::query(
                "SELECT c.client_id, o.name, c.scope, c.granted_at
                 FROM oauth_consents c JOIN oauth_clients o ON o.id = c.client_id
                 WHERE c.user_id = $1 ORDER BY c.granted_at, o.name",
            )
            .bind(user_id)
            .fetch_all(&self.pool)
            .await,
            |row| {
                Ok(Consent {
                    client_id: col(row, "client_id")?,
                    client_name: col(row, "name")?,
                    scope: col(row, "scope")?,
                    granted_at: UnixTime(col(row, "granted_at")?),
                })
            },
        )
    }

    async fn withdraw_consent(
        &self,
        user_id: &str,
        client_id: &str,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write(async |tx| {
            let done =
                sqlx::query("DELETE FROM oauth_consents WHERE user_id = $1 AND client_id = $2")
                    .bind(user_id)
                    .bind(client_id)
                    .run(&mut *tx)
                    .await?;
            sqlx::query(
                "UPDATE oauth_grants SET revoked_at = $1
                 WHERE user_id = $2 AND client_id = $3 AND revoked_at IS NULL",
            )
            .bind(now.0)
            .bind(user_id)
            .bind(client_id)
            .run(&mut *tx)
            .await?;
            Ok(Commit(done > 0))
        })
        .await
    }

    async fn use_assertion(
        &self,
        jti_hash: &str,
        client_id: &str,
        expires_at: UnixTime,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO oauth_assertions (jti_hash, client_id, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (jti_hash) DO NOTHING",
        )
        .bind(jti_hash)
        .bind(client_id)
        .bind(expires_at.0)
        .run(&self.pool)
        .await?;
        Ok(done == 1)
    }

    async fn purge_oauth(&self, now: UnixTime) -> StoreResult<u64> {
        // Used codes stay a day, so a late replay is still recognised (and
        // revokes what the code gave).
        let mut removed = 0;
        for (sql, at) in [
            (
                "DELETE FROM oauth_codes WHERE expires_at < $1",
                now.0 - 24 * 3600,
            ),
            (
                "DELETE FROM oauth_grants WHERE expires_at < $1",
                now.0 - 24 * 3600,
            ),
            ("DELETE FROM oauth_assertions WHERE expires_at < $1", now.0),
        ] {
            removed += sqlx::query(sql).bind(at).run(&self.pool).await?;
        }
        Ok(removed)
    }
}
