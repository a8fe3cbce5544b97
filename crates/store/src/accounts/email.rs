//! Address confirmations: a link's token is looked up by its hash and used
//! once, confirming the address it was sent to.

use latchkey_core::effects::mail::EmailVerification;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::{Effects, EmailVerificationStore, StoreResult};
use sqlx::any::AnyRow;

use crate::db::{Db, Run, col, id, maybe_time, optional, time};
use crate::write::Outcome;

fn from_row(row: &AnyRow) -> StoreResult<EmailVerification> {
    Ok(EmailVerification {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: id(row, "user_id")?,
        email_key: col(row, "email_key")?,
        token_hash: col(row, "token_hash")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        used_at: maybe_time(row, "used_at")?,
    })
}

impl EmailVerificationStore for Db {
    async fn email_verification_by_hash(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<EmailVerification>> {
        optional(
            sqlx::query(
                "SELECT id, tenant_id, user_id, email_key, token_hash, created_at, expires_at, used_at
                 FROM email_verifications WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn consume_email_verification(
        &self,
        v: &EmailVerification,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let used = sqlx::query(
                "UPDATE email_verifications SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
            )
            .bind(now.0)
            .bind(&v.id)
            .run(&mut *tx)
            .await?;
            let verified = sqlx::query(
                "UPDATE users SET email_verified = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4 AND email_key = $5",
            )
            .bind(true)
            .bind(now.0)
            .bind(v.user_id.as_str())
            .bind(v.tenant_id.as_str())
            .bind(&v.email_key)
            .run(&mut *tx)
            .await?;
            Ok(Outcome::applied(used == 1 && verified == 1))
        })
        .await
    }
}
