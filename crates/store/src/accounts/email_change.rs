//! Changes of address: one open change per user, its link looked up by the
//! token's hash and used once; the address changes in the transaction that
//! spends it.

use latchkey_core::accounts::email_change::EmailChange;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::UserId;
use latchkey_core::store::{Effects, EmailChangeStore, StoreResult};
use sqlx::any::AnyRow;

use crate::db::{Db, Run, col, id, maybe_time, optional, time};
use crate::write::Outcome::{Commit, Rollback};

const COLUMNS: &str = "id, tenant_id, user_id, new_email, new_email_key, old_email_key, token_hash, created_at, expires_at, used_at";

fn from_row(row: &AnyRow) -> StoreResult<EmailChange> {
    Ok(EmailChange {
        id: col(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: id(row, "user_id")?,
        new_email: col(row, "new_email")?,
        new_email_key: col(row, "new_email_key")?,
        old_email_key: col(row, "old_email_key")?,
        token_hash: col(row, "token_hash")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        used_at: maybe_time(row, "used_at")?,
    })
}

impl EmailChangeStore for Db {
    async fn insert_email_change(
        &self,
        c: &EmailChange,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            sqlx::query("DELETE FROM email_changes WHERE user_id = $1 AND used_at IS NULL")
                .bind(c.user_id.as_str())
                .run(&mut *tx)
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO email_changes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)"
            )))
            .bind(&c.id)
            .bind(c.tenant_id.as_str())
            .bind(c.user_id.as_str())
            .bind(&c.new_email)
            .bind(&c.new_email_key)
            .bind(&c.old_email_key)
            .bind(&c.token_hash)
            .bind(c.created_at.0)
            .bind(c.expires_at.0)
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn email_change_by_hash(&self, token_hash: &str) -> StoreResult<Option<EmailChange>> {
        optional(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM email_changes WHERE token_hash = $1"
            )))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn open_email_change(
        &self,
        user_id: &UserId,
        now: UnixTime,
    ) -> StoreResult<Option<EmailChange>> {
        optional(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM email_changes
                 WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2
                 ORDER BY created_at DESC, id LIMIT 1"
            )))
            .bind(user_id.as_str())
            .bind(now.0)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn cancel_email_change(
        &self,
        user_id: &UserId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let ended = sqlx::query(
                "DELETE FROM email_changes WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(user_id.as_str())
            .bind(now.0)
            .run(&mut *tx)
            .await?;
            Ok(if ended > 0 {
                Commit(true)
            } else {
                Rollback(false)
            })
        })
        .await
    }

    async fn apply_email_change(
        &self,
        c: &EmailChange,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let used = sqlx::query(
                "UPDATE email_changes SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
            )
            .bind(now.0)
            .bind(&c.id)
            .run(&mut *tx)
            .await?;
            if used != 1 {
                return Ok(Rollback(false));
            }
            let changed = sqlx::query(
                "UPDATE users SET email = $1, email_key = $2, email_verified = $3, email_changed_at = $4, updated_at = $4
                 WHERE id = $5 AND tenant_id = $6 AND email_key = $7",
            )
            .bind(&c.new_email)
            .bind(&c.new_email_key)
            .bind(true)
            .bind(now.0)
            .bind(c.user_id.as_str())
            .bind(c.tenant_id.as_str())
            .bind(&c.old_email_key)
            .run(&mut *tx)
            .await?;
            if changed != 1 {
                return Ok(Rollback(false));
            }
            sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
                .bind(c.user_id.as_str())
                .run(&mut *tx)
                .await?;
            Ok(Commit(true))
        })
        .await
    }
}
