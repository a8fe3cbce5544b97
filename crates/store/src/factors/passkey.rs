//! Passkeys and their registration and sign-in ceremonies.

use latchkey_core::factors::passkey::{Ceremony, CeremonyKind, PasskeyCredential};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{PasskeyId, SessionHash, UserId};
use latchkey_core::store::{
    Effects, FactorRemoval, PasskeyStore, SignOutOthers, StoreError, StoreResult,
};
use sqlx::any::AnyRow;

use crate::accounts::session::sign_out_others;
use crate::accounts::user::lock_user;
use crate::db::{Db, Run, all, col, flag, id, maybe_id, maybe_time, optional, time};
use crate::factors::after_removal;
use crate::write::Outcome::{self, Commit, Rollback};

const COLUMNS: &str = "id, tenant_id, user_id, name, credential_id, passkey, backup_eligible, created_at, last_used_at, suspected_clone_at";

fn from_row(row: &AnyRow) -> StoreResult<PasskeyCredential> {
    Ok(PasskeyCredential {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: id(row, "user_id")?,
        name: col(row, "name")?,
        credential_id: col(row, "credential_id")?,
        passkey: col(row, "passkey")?,
        backup_eligible: flag(row, "backup_eligible")?,
        created_at: time(row, "created_at")?,
        last_used_at: maybe_time(row, "last_used_at")?,
        suspected_clone_at: maybe_time(row, "suspected_clone_at")?,
    })
}

fn ceremony_from_row(row: &AnyRow) -> StoreResult<Ceremony> {
    let kind: String = col(row, "kind")?;
    Ok(Ceremony {
        id_hash: id(row, "id_hash")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: maybe_id(row, "user_id")?,
        session_hash: maybe_id(row, "session_hash")?,
        kind: CeremonyKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("ceremony kind `{kind}`")))?,
        name: col(row, "name")?,
        state_sealed: col(row, "state_sealed")?,
        expires_at: time(row, "expires_at")?,
    })
}

impl PasskeyStore for Db {
    async fn insert_passkey_ceremony(&self, c: &Ceremony, _now: UnixTime) -> StoreResult<()> {
        self.write(async |tx| {
            if let Some(session_hash) = &c.session_hash {
                sqlx::query("DELETE FROM passkey_ceremonies WHERE session_hash = $1 AND kind = $2")
                    .bind(session_hash.as_str())
                    .bind(c.kind.as_str())
                    .run(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO passkey_ceremonies (id_hash, tenant_id, user_id, session_hash, kind, name, state_sealed, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&c.id_hash)
            .bind(c.tenant_id.as_str())
            .bind(c.user_id.as_ref().map(UserId::as_str))
            .bind(c.session_hash.as_ref().map(SessionHash::as_str))
            .bind(c.kind.as_str())
            .bind(&c.name)
            .bind(&c.state_sealed)
            .bind(c.expires_at.0)
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn take_passkey_ceremony(&self, id_hash: &str) -> StoreResult<Option<Ceremony>> {
        optional(
            sqlx::query(
                "DELETE FROM passkey_ceremonies WHERE id_hash = $1
                 RETURNING id_hash, tenant_id, user_id, session_hash, kind, name, state_sealed, expires_at",
            )
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await,
            ceremony_from_row,
        )
    }

    async fn purge_passkey_ceremonies(&self, before: UnixTime) -> StoreResult<u64> {
        sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at < $1")
            .bind(before.0)
            .run(&self.pool)
            .await
    }

    async fn insert_passkey(
        &self,
        c: &PasskeyCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            sqlx::query(
                "INSERT INTO passkeys (id, tenant_id, user_id, name, credential_id, passkey, backup_eligible, created_at, last_used_at,
                                       suspected_clone_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(c.id.as_str())
            .bind(c.tenant_id.as_str())
            .bind(c.user_id.as_str())
            .bind(&c.name)
            .bind(&c.credential_id)
            .bind(&c.passkey)
            .bind(c.backup_eligible)
            .bind(c.created_at.0)
            .bind(c.last_used_at.map(|t| t.0))
            .bind(c.suspected_clone_at.map(|t| t.0))
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn passkeys_for_user(&self, user_id: &UserId) -> StoreResult<Vec<PasskeyCredential>> {
        all(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"
            )))
            .bind(user_id.as_str())
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }

    async fn record_passkey_use(
        &self,
        id: &PasskeyId,
        checked: &str,
        passkey: &str,
        backup_eligible: bool,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE passkeys SET passkey = $1, backup_eligible = $2, last_used_at = $3
             WHERE id = $4 AND passkey = $5 AND suspected_clone_at IS NULL",
        )
        .bind(passkey)
        .bind(backup_eligible)
        .bind(now.0)
        .bind(id.as_str())
        .bind(checked)
        .run(&self.pool)
        .await?;
        Ok(updated == 1)
    }

    async fn mark_passkey_cloned(
        &self,
        id: &PasskeyId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let marked = sqlx::query(
                "UPDATE passkeys SET suspected_clone_at = $1 WHERE id = $2 AND suspected_clone_at IS NULL",
            )
            .bind(now.0)
            .bind(id.as_str())
            .run(&mut *tx)
            .await?;
            Ok(Outcome::applied(marked == 1))
        })
        .await
    }

    async fn rename_passkey(
        &self,
        user_id: &UserId,
        id: &PasskeyId,
        name: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let updated =
                sqlx::query("UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3")
                    .bind(name)
                    .bind(id.as_str())
                    .bind(user_id.as_str())
                    .run(&mut *tx)
                    .await?;
            Ok(Outcome::applied(updated == 1))
        })
        .await
    }

    async fn delete_passkey(
        &self,
        user_id: &UserId,
        id: &PasskeyId,
        keep_last: bool,
        others: &SignOutOthers<'_>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<FactorRemoval> {
        self.write_with(effects, now, async |tx| {
            lock_user(self, tx, user_id).await?;
            // Rolled back with the rest when the passkey is not removed.
            sign_out_others(tx, user_id, others, now).await?;
            let deleted = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2")
                .bind(id.as_str())
                .bind(user_id.as_str())
                .run(&mut *tx)
                .await?;
            if deleted != 1 {
                return Ok(Rollback(FactorRemoval::NotFound));
            }
            after_removal(tx, user_id, keep_last).await
        })
        .await
    }
}
