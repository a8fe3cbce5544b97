//! Password-reset links: one unused link per user; using one sets the
//! password and ends the user's sessions and known devices.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::password_reset::PasswordReset;
use latchkey_core::store::{Effects, PasswordResetStore, StoreResult};
use sqlx::any::AnyRow;

use crate::accounts::user::remove_held;
use crate::db::{Db, Run, col, id, maybe_time, optional, time};
use crate::write::Outcome::{Commit, Rollback};
use latchkey_core::accounts::held::Held;

fn from_row(row: &AnyRow) -> StoreResult<PasswordReset> {
    Ok(PasswordReset {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: id(row, "user_id")?,
        token_hash: col(row, "token_hash")?,
        email_key: col(row, "email_key")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        used_at: maybe_time(row, "used_at")?,
    })
}

impl PasswordResetStore for Db {
    async fn insert_password_reset(
        &self,
        r: &PasswordReset,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        // A void link (no account: `user_id` empty) runs the same two
        // statements and is stored with no user, so no lookup finds it.
        let user = (!r.user_id.as_str().is_empty()).then(|| r.user_id.as_str());
        self.write_with(effects, now, async |tx| {
            sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
                .bind(r.user_id.as_str())
                .run(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO password_resets (id, tenant_id, user_id, token_hash, email_key, created_at, expires_at, used_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
            )
            .bind(&r.id)
            .bind(r.tenant_id.as_str())
            .bind(user)
            .bind(&r.token_hash)
            .bind(&r.email_key)
            .bind(r.created_at.0)
            .bind(r.expires_at.0)
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn password_reset_by_hash(&self, token_hash: &str) -> StoreResult<Option<PasswordReset>> {
        optional(
            sqlx::query(
                "SELECT id, tenant_id, user_id, token_hash, email_key, created_at, expires_at, used_at
                 FROM password_resets WHERE token_hash = $1 AND user_id IS NOT NULL",
            )
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn complete_password_reset(
        &self,
        r: &PasswordReset,
        password_hash: &str,
        security_stamp: &str,
        ends: &[Held],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let used = sqlx::query(
                "UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
            )
            .bind(now.0)
            .bind(&r.id)
            .run(&mut *tx)
            .await?;
            if used != 1 {
                return Ok(Rollback(false));
            }
            let updated = sqlx::query(
                "UPDATE users SET password_hash = $1, security_stamp = $2, updated_at = $3,
                    password_reset_at = $3
                 WHERE id = $4 AND email_key = $5",
            )
            .bind(password_hash)
            .bind(security_stamp)
            .bind(now.0)
            .bind(r.user_id.as_str())
            .bind(&r.email_key)
            .run(&mut *tx)
            .await?;
            if updated != 1 {
                return Ok(Rollback(false));
            }
            remove_held(tx, &r.user_id, ends).await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn purge_password_resets(&self, before: UnixTime) -> StoreResult<u64> {
        sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
            .bind(before.0)
            .run(&self.pool)
            .await
    }
}
