//! Authenticator apps (TOTP): one per user, each time step used once.

use latchkey_core::factors::totp::TotpCredential;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{TotpId, UserId};
use latchkey_core::store::{Effects, FactorRemoval, StoreResult, TotpStore};
use sqlx::any::AnyRow;

use crate::accounts::user::lock_user;
use crate::db::{Db, Run, col, id, optional, time};
use crate::factors::after_removal;
use crate::write::Outcome::{Commit, Rollback};

fn from_row(row: &AnyRow) -> StoreResult<TotpCredential> {
    Ok(TotpCredential {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: id(row, "user_id")?,
        secret_sealed: col(row, "secret_sealed")?,
        last_used_step: col(row, "last_used_step")?,
        created_at: time(row, "created_at")?,
    })
}

async fn insert(conn: &mut sqlx::AnyConnection, c: &TotpCredential) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO totp_credentials (id, tenant_id, user_id, secret_sealed, last_used_step, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(c.id.as_str())
    .bind(c.tenant_id.as_str())
    .bind(c.user_id.as_str())
    .bind(&c.secret_sealed)
    .bind(c.last_used_step)
    .bind(c.created_at.0)
    .run(&mut *conn)
    .await?;
    Ok(())
}

impl TotpStore for Db {
    async fn insert_totp(
        &self,
        c: &TotpCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            insert(&mut *tx, c).await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn replace_totp(
        &self,
        old_id: &TotpId,
        c: &TotpCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let deleted =
                sqlx::query("DELETE FROM totp_credentials WHERE id = $1 AND user_id = $2")
                    .bind(old_id.as_str())
                    .bind(c.user_id.as_str())
                    .run(&mut *tx)
                    .await?;
            if deleted != 1 {
                return Ok(Rollback(false));
            }
            insert(&mut *tx, c).await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn totp_for_user(&self, user_id: &UserId) -> StoreResult<Option<TotpCredential>> {
        optional(
            sqlx::query(
                "SELECT id, tenant_id, user_id, secret_sealed, last_used_step, created_at
                 FROM totp_credentials WHERE user_id = $1",
            )
            .bind(user_id.as_str())
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn use_totp_step(&self, credential_id: &TotpId, step: i64) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE totp_credentials SET last_used_step = $1
             WHERE id = $2 AND (last_used_step IS NULL OR last_used_step < $1)",
        )
        .bind(step)
        .bind(credential_id.as_str())
        .run(&self.pool)
        .await?;
        Ok(updated == 1)
    }

    async fn delete_totp(
        &self,
        user_id: &UserId,
        keep_last: bool,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<FactorRemoval> {
        self.write_with(effects, now, async |tx| {
            lock_user(self, tx, user_id).await?;
            let deleted = sqlx::query("DELETE FROM totp_credentials WHERE user_id = $1")
                .bind(user_id.as_str())
                .run(&mut *tx)
                .await?;
            if deleted == 0 {
                return Ok(Rollback(FactorRemoval::NotFound));
            }
            after_removal(tx, user_id, keep_last).await
        })
        .await
    }
}
