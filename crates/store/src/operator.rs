//! The operator console: its accounts, their sessions, the operator's
//! trail across tenants, and the figures its tenant list shows.

use latchkey_core::effects::audit::AuditEvent;
use latchkey_core::operator::console::{OperatorAccount, OperatorSession};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{OperatorAccountId, SessionHash, TenantId};
use latchkey_core::store::{Effects, OperatorAccountStore, StoreResult, TenantFigures};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::db::{Db, Run, all, col, db_err, id, maybe_time, optional, time};
use crate::write::Outcome::{Commit, Rollback};

const ACCOUNT: &str = "a.id, a.name, a.name_key, a.password_hash, a.totp_sealed, a.totp_last_step, a.created_at, a.disabled_at";

fn account(row: &AnyRow) -> StoreResult<OperatorAccount> {
    Ok(OperatorAccount {
        id: id(row, "id")?,
        name: col(row, "name")?,
        name_key: col(row, "name_key")?,
        password_hash: col(row, "password_hash")?,
        totp_sealed: col(row, "totp_sealed")?,
        totp_last_step: col(row, "totp_last_step")?,
        created_at: time(row, "created_at")?,
        disabled_at: maybe_time(row, "disabled_at")?,
    })
}

fn session(row: &AnyRow) -> StoreResult<(OperatorSession, OperatorAccount)> {
    Ok((
        OperatorSession {
            id_hash: id(row, "s_id_hash")?,
            account_id: id(row, "id")?,
            created_at: time(row, "s_created_at")?,
            last_seen_at: time(row, "s_last_seen_at")?,
            expires_at: time(row, "s_expires_at")?,
            ip: col(row, "s_ip")?,
            user_agent: col(row, "s_user_agent")?,
        },
        account(row)?,
    ))
}

impl OperatorAccountStore for Db {
    async fn insert_operator_account(
        &self,
        a: &OperatorAccount,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            sqlx::query(
                "INSERT INTO operator_accounts (id, name, name_key, password_hash, totp_sealed, totp_last_step, created_at, disabled_at)
                 VALUES ($1, $2, $3, $4, $5, NULL, $6, NULL)",
            )
            .bind(a.id.as_str())
            .bind(&a.name)
            .bind(&a.name_key)
            .bind(&a.password_hash)
            .bind(&a.totp_sealed)
            .bind(a.created_at.0)
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn operator_account_by_name(
        &self,
        name_key: &str,
    ) -> StoreResult<Option<OperatorAccount>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {ACCOUNT} FROM operator_accounts a WHERE a.name_key = $1"
            )))
            .bind(name_key)
            .fetch_optional(&self.pool)
            .await,
            account,
        )
    }

    async fn disable_operator_account(
        &self,
        id: &OperatorAccountId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let changed = sqlx::query(
                "UPDATE operator_accounts SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL",
            )
            .bind(now.0)
            .bind(id.as_str())
            .run(&mut *tx)
            .await?;
            if changed != 1 {
                return Ok(Rollback(false));
            }
            sqlx::query("DELETE FROM operator_sessions WHERE account_id = $1")
                .bind(id.as_str())
                .run(&mut *tx)
                .await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn list_operator_accounts(&self) -> StoreResult<Vec<OperatorAccount>> {
        all(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {ACCOUNT} FROM operator_accounts a ORDER BY a.name_key"
            )))
            .fetch_all(&self.pool)
            .await,
            account,
        )
    }

    async fn start_operator_session(
        &self,
        s: &OperatorSession,
        step: i64,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let spent = sqlx::query(
                "UPDATE operator_accounts SET totp_last_step = $1
                 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
            )
            .bind(step)
            .bind(s.account_id.as_str())
            .run(&mut *tx)
            .await?;
            if spent != 1 {
                return Ok(Rollback(false));
            }
            sqlx::query(
                "INSERT INTO operator_sessions (id_hash, account_id, created_at, last_seen_at, expires_at, ip, user_agent)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(s.id_hash.as_str())
            .bind(s.account_id.as_str())
            .bind(s.created_at.0)
            .bind(s.last_seen_at.0)
            .bind(s.expires_at.0)
            .bind(s.ip.as_deref())
            .bind(s.user_agent.as_deref())
            .run(&mut *tx)
            .await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn operator_session(
        &self,
        id_hash: &SessionHash,
    ) -> StoreResult<Option<(OperatorSession, OperatorAccount)>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {ACCOUNT}, s.id_hash AS s_id_hash, s.created_at AS s_created_at,
                        s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at,
                        s.ip AS s_ip, s.user_agent AS s_user_agent
                 FROM operator_sessions s JOIN operator_accounts a ON a.id = s.account_id
                 WHERE s.id_hash = $1"
            )))
            .bind(id_hash.as_str())
            .fetch_optional(&self.pool)
            .await,
            session,
        )
    }

    async fn touch_operator_session(
        &self,
        id_hash: &SessionHash,
        now: UnixTime,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE operator_sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now.0)
            .bind(id_hash.as_str())
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn end_operator_session(&self, id_hash: &SessionHash) -> StoreResult<()> {
        sqlx::query("DELETE FROM operator_sessions WHERE id_hash = $1")
            .bind(id_hash.as_str())
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn operator_audit(&self, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        // Spelt out rather than as a range of text (PostgreSQL compares text
        // by the database's collation, where punctuation may not count), and
        // exactly as the partial index `audit_events_operator` (migration
        // 0024) is, so both engines read that index.
        all(
            sqlx::query(
                "SELECT id, tenant_id, user_id, actor, event, ip, user_agent, detail, at
                 FROM audit_events
                 WHERE actor = 'operator' OR actor LIKE 'operator:%' OR event = 'operator.signin.failed'
                 ORDER BY at DESC, id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await,
            crate::effects::audit::from_row,
        )
    }

    async fn tenant_figures(&self, tenant_id: &TenantId) -> StoreResult<TenantFigures> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM users WHERE tenant_id = $1) AS users,
                    (SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND status = 'pending' AND kind <> 'void') AS pending,
                    (SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND status = 'failed') AS failed",
        )
        .bind(tenant_id.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(TenantFigures {
            users: col(&row, "users")?,
            mail_pending: col(&row, "pending")?,
            mail_failed: col(&row, "failed")?,
        })
    }
}
