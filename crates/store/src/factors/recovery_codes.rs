//! Recovery codes: replaced as a set, each spent once.

use latchkey_core::factors::recovery_codes::{CodeTally, RecoveryCode};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::UserId;
use latchkey_core::store::{Effects, RecoveryCodeStore, StoreResult};

use crate::accounts::user::lock_user;
use crate::db::{Db, Run, col, db_err};
use crate::write::Outcome::Commit;

impl RecoveryCodeStore for Db {
    async fn replace_recovery_codes(
        &self,
        user_id: &UserId,
        codes: &[RecoveryCode],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            // Two replacements at once must not both keep their codes: the
            // second waits here until the first commits, then deletes them.
            lock_user(self, tx, user_id).await?;
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user_id.as_str())
                .run(&mut *tx)
                .await?;
            for c in codes {
                sqlx::query(
                    "INSERT INTO recovery_codes (id, tenant_id, user_id, code_hash, created_at, used_at)
                     VALUES ($1, $2, $3, $4, $5, NULL)",
                )
                .bind(&c.id)
                .bind(c.tenant_id.as_str())
                .bind(c.user_id.as_str())
                .bind(&c.code_hash)
                .bind(c.created_at.0)
                .run(&mut *tx)
                .await?;
            }
            Ok(Commit(()))
        })
        .await
    }

    async fn recovery_code_unused(&self, user_id: &UserId, code_hash: &str) -> StoreResult<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(user_id.as_str())
        .bind(code_hash)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(col::<i64>(&row, "n")? > 0)
    }

    async fn use_recovery_code(
        &self,
        user_id: &UserId,
        code_hash: &str,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        spend(&mut conn, user_id, code_hash, now).await
    }

    async fn unused_recovery_codes(&self, user_id: &UserId) -> StoreResult<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        col(&row, "n")
    }

    async fn recovery_code_tally(&self, user_id: &UserId) -> StoreResult<CodeTally> {
        let row = sqlx::query(
            "SELECT COUNT(CASE WHEN used_at IS NULL THEN 1 END) AS unused,
                    COUNT(CASE WHEN used_at IS NOT NULL AND offer_seen_at IS NULL THEN 1 END) AS unanswered
             FROM recovery_codes WHERE user_id = $1",
        )
        .bind(user_id.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(CodeTally {
            unused: col(&row, "unused")?,
            used_unanswered: col(&row, "unanswered")?,
        })
    }

    async fn answer_recovery_code_offer(&self, user_id: &UserId, now: UnixTime) -> StoreResult<()> {
        sqlx::query(
            "UPDATE recovery_codes SET offer_seen_at = $1
             WHERE user_id = $2 AND used_at IS NOT NULL AND offer_seen_at IS NULL",
        )
        .bind(now.0)
        .bind(user_id.as_str())
        .run(&self.pool)
        .await?;
        Ok(())
    }
}

/// Marks the unused code used on `conn` (inside the caller's transaction
/// when there is one); false if there is no such unused code.
pub(crate) async fn spend(
    conn: &mut sqlx::AnyConnection,
    user_id: &UserId,
    code_hash: &str,
    now: UnixTime,
) -> StoreResult<bool> {
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now.0)
    .bind(user_id.as_str())
    .bind(code_hash)
    .run(&mut *conn)
    .await?;
    Ok(used == 1)
}

impl Db {
    /// Keys the recovery codes still stored plain (by versions before
    /// decision 0020): `key` turns a stored SHA-256 into its keyed form,
    /// which starts with `prefix`. Only values without `prefix` change, so
    /// it can run at every start; returns how many it keyed.
    pub async fn key_recovery_codes(
        &self,
        prefix: &str,
        key: impl Fn(&str) -> String,
    ) -> StoreResult<u64> {
        self.write(async |tx| {
            let rows =
                sqlx::query("SELECT id, code_hash FROM recovery_codes WHERE code_hash NOT LIKE $1")
                    .bind(format!("{prefix}%"))
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(db_err)?;
            let mut keyed = 0;
            for row in &rows {
                let id: String = col(row, "id")?;
                let plain: String = col(row, "code_hash")?;
                keyed += sqlx::query(
                    "UPDATE recovery_codes SET code_hash = $1 WHERE id = $2 AND code_hash = $3",
                )
                .bind(key(&plain))
                .bind(&id)
                .bind(&plain)
                .run(&mut *tx)
                .await?;
            }
            Ok(Commit(keyed))
        })
        .await
    }
}
