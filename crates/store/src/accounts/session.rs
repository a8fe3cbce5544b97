//! Browser sessions, stored by the hash of their id; what ending other
//! sessions means ([`sign_out_others`], [`keep_one`]) for the writes that
//! need it.

use latchkey_core::accounts::everyone::{SignedOutCount, TenantSignOut};
use latchkey_core::accounts::session::{
    Session, SessionStage, methods_from_string, methods_to_string,
};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{SessionHash, UserId};
use latchkey_core::store::{Effects, SecondFactorDone, SessionStore, SignOutOthers, StoreResult};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::db::{Db, Run, col, db_err, id, optional, parsed, time};
use crate::write::Outcome::{Commit, Rollback};

fn from_row(row: &AnyRow) -> StoreResult<Session> {
    Ok(Session {
        id_hash: id(row, "id_hash")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: id(row, "user_id")?,
        created_at: time(row, "created_at")?,
        last_seen_at: time(row, "last_seen_at")?,
        expires_at: time(row, "expires_at")?,
        auth_time: time(row, "auth_time")?,
        methods: methods_from_string(&col::<String>(row, "methods")?),
        security_stamp: col(row, "security_stamp")?,
        ip: col(row, "ip")?,
        user_agent: col(row, "user_agent")?,
        stage: parsed(
            "stage",
            SessionStage::parse(&col::<String>(row, "stage")?).ok_or("unknown stage"),
        )?,
    })
}

/// Signs everyone but the session `others.keep_session` out of the user's
/// account in `conn`'s transaction: a new security stamp (every
/// application's tokens stop working), and [`keep_one`].
pub(crate) async fn sign_out_others(
    conn: &mut AnyConnection,
    user_id: &UserId,
    others: &SignOutOthers<'_>,
    now: UnixTime,
) -> StoreResult<()> {
    sqlx::query("UPDATE users SET security_stamp = $1, updated_at = $2 WHERE id = $3")
        .bind(others.security_stamp)
        .bind(now.0)
        .bind(user_id.as_str())
        .run(&mut *conn)
        .await?;
    keep_one(conn, user_id, others).await
}

/// Deletes every session of the user but `others.keep_session`, which goes
/// on under its new id with the new stamp.
pub(crate) async fn keep_one(
    conn: &mut AnyConnection,
    user_id: &UserId,
    others: &SignOutOthers<'_>,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id.as_str())
        .bind(others.keep_session.as_str())
        .run(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE sessions SET security_stamp = $1, id_hash = $2 WHERE id_hash = $3 AND user_id = $4",
    )
    .bind(others.security_stamp)
    .bind(others.new_session.as_str())
    .bind(others.keep_session.as_str())
    .bind(user_id.as_str())
    .run(&mut *conn)
    .await?;
    Ok(())
}

/// Stores a new session in `conn`'s transaction.
pub(crate) async fn insert(conn: &mut AnyConnection, s: &Session) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, tenant_id, user_id, created_at, last_seen_at, expires_at, auth_time,
                               methods, security_stamp, ip, user_agent, stage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(s.id_hash.as_str())
    .bind(s.tenant_id.as_str())
    .bind(s.user_id.as_str())
    .bind(s.created_at.0)
    .bind(s.last_seen_at.0)
    .bind(s.expires_at.0)
    .bind(s.auth_time.0)
    .bind(methods_to_string(&s.methods))
    .bind(&s.security_stamp)
    .bind(s.ip.as_deref())
    .bind(s.user_agent.as_deref())
    .bind(s.stage.as_str())
    .run(&mut *conn)
    .await?;
    if s.stage == SessionStage::Complete {
        signed_in(conn, s.user_id.as_str(), s.auth_time).await?;
    }
    Ok(())
}

/// Records a sign-in (a session that became complete) on its user, for the
/// list of people.
async fn signed_in(conn: &mut AnyConnection, user_id: &str, at: UnixTime) -> StoreResult<()> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(at.0)
        .bind(user_id)
        .run(&mut *conn)
        .await?;
    Ok(())
}

impl SessionStore for Db {
    async fn sign_out_tenant(
        &self,
        out: &TenantSignOut<'_>,
        now: UnixTime,
    ) -> StoreResult<SignedOutCount> {
        let tenant = out.tenant_id.as_str();
        // No session has the empty id: with nobody kept, every one goes.
        let keep = out.keep.map_or("", |(_, k)| k.keep_session.as_str());
        self.writes
            .run(None, async |tx| {
                let people = sqlx::query(
                    "UPDATE users SET security_stamp = $1, updated_at = $2 WHERE tenant_id = $3",
                )
                .bind(out.security_stamp)
                .bind(now.0)
                .bind(tenant)
                .run(&mut *tx)
                .await?;
                let sessions: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sessions
                     WHERE tenant_id = $1 AND id_hash <> $2 AND stage = $3 AND expires_at > $4",
                )
                .bind(tenant)
                .bind(keep)
                .bind(SessionStage::Complete.as_str())
                .bind(now.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
                sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND id_hash <> $2")
                    .bind(tenant)
                    .bind(keep)
                    .run(&mut *tx)
                    .await?;
                if let Some((user_id, k)) = out.keep {
                    sqlx::query(
                        "UPDATE sessions SET security_stamp = $1, id_hash = $2
                         WHERE id_hash = $3 AND user_id = $4 AND tenant_id = $5",
                    )
                    .bind(out.security_stamp)
                    .bind(k.new_session.as_str())
                    .bind(k.keep_session.as_str())
                    .bind(user_id.as_str())
                    .bind(tenant)
                    .run(&mut *tx)
                    .await?;
                }
                let count = SignedOutCount {
                    people,
                    sessions: u64::try_from(sessions).unwrap_or_default(),
                };
                let mut event = out.event.clone();
                event.detail = (out.detail)(&count);
                crate::effects::audit::insert(&mut *tx, &event).await?;
                Ok(Commit(count))
            })
            .await
    }

    async fn start_session(
        &self,
        s: &Session,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            insert(&mut *tx, s).await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn session_by_hash(&self, id_hash: &SessionHash) -> StoreResult<Option<Session>> {
        optional(sqlx::query(
            "SELECT id_hash, tenant_id, user_id, created_at, last_seen_at, expires_at, auth_time, methods,
                    security_stamp, ip, user_agent, stage
             FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash.as_str()).fetch_optional(&self.pool).await, from_row)
    }

    async fn complete_second_factor(
        &self,
        c: &SecondFactorDone,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let done = sqlx::query(
                "UPDATE sessions SET stage = $6, id_hash = $4, methods = methods || ' ' || $1,
                        auth_time = $2, last_seen_at = $2, expires_at = $5
                 WHERE id_hash = $3 AND stage = $7",
            )
            .bind(c.method.as_str())
            .bind(now.0)
            .bind(c.id_hash.as_str())
            .bind(c.new_id_hash.as_str())
            .bind(c.expires_at.0)
            .bind(SessionStage::Complete.as_str())
            .bind(SessionStage::SecondFactor.as_str())
            .run(&mut *tx)
            .await?;
            if done != 1 {
                return Ok(Rollback(false));
            }
            sqlx::query(
                "UPDATE users SET last_sign_in_at = $1
                 WHERE id = (SELECT user_id FROM sessions WHERE id_hash = $2)",
            )
            .bind(now.0)
            .bind(c.new_id_hash.as_str())
            .run(&mut *tx)
            .await?;
            if let Some(user_id) = &c.confirms_password_of {
                sqlx::query("UPDATE users SET password_reset_at = NULL WHERE id = $1")
                    .bind(user_id.as_str())
                    .run(&mut *tx)
                    .await?;
            }
            Ok(Commit(true))
        })
        .await
    }

    async fn refresh_auth_time(
        &self,
        id_hash: &SessionHash,
        new_id_hash: &SessionHash,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let renamed = sqlx::query(
                "UPDATE sessions SET auth_time = $1, last_seen_at = $1, id_hash = $2
                 WHERE id_hash = $3",
            )
            .bind(now.0)
            .bind(new_id_hash.as_str())
            .bind(id_hash.as_str())
            .run(&mut *tx)
            .await?;
            if renamed != 1 {
                return Ok(Rollback(false));
            }
            for statement in [
                "UPDATE oauth_grants SET session_hash = $1 WHERE session_hash = $2",
                "UPDATE oauth_codes SET session_hash = $1 WHERE session_hash = $2",
                "UPDATE passkey_ceremonies SET session_hash = $1 WHERE session_hash = $2",
            ] {
                sqlx::query(statement)
                    .bind(new_id_hash.as_str())
                    .bind(id_hash.as_str())
                    .run(&mut *tx)
                    .await?;
            }
            Ok(Commit(true))
        })
        .await
    }

    async fn touch_session(&self, id_hash: &SessionHash, now: UnixTime) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now.0)
            .bind(id_hash.as_str())
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &SessionHash) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash.as_str())
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn sessions_of_user(&self, user_id: &UserId) -> StoreResult<Vec<Session>> {
        let rows = sqlx::query(
            "SELECT id_hash, tenant_id, user_id, created_at, last_seen_at, expires_at, auth_time, methods,
                    security_stamp, ip, user_agent, stage
             FROM sessions WHERE user_id = $1",
        )
        .bind(user_id.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(from_row).collect()
    }

    async fn delete_user_sessions(&self, user_id: &UserId) -> StoreResult<u64> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.as_str())
            .run(&self.pool)
            .await
    }

    async fn purge_sessions(&self, before: UnixTime) -> StoreResult<u64> {
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
            .bind(before.0)
            .bind(before.0)
            .run(&self.pool)
            .await
    }
}
