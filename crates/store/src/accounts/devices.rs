//! Known devices: the browsers a user signed in with — sign-in's smart
//! lockout and a recovery case both weigh them.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{TenantId, UserId};
use latchkey_core::store::{DeviceStore, StoreResult};

use crate::db::{Db, Run, db_err};
use crate::write::Outcome::Commit;

async fn rotate_device(
    db: &Db,
    old_hash: Option<&str>,
    new_hash: &str,
    tenant_id: &TenantId,
    user_id: &UserId,
    now: UnixTime,
) -> StoreResult<()> {
    db.write(async |tx| {
        if let Some(old) = old_hash {
            sqlx::query("DELETE FROM known_devices WHERE id_hash = $1 AND user_id = $2")
                .bind(old)
                .bind(user_id.as_str())
                .run(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO known_devices (id_hash, tenant_id, user_id, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(new_hash)
        .bind(tenant_id.as_str())
        .bind(user_id.as_str())
        .bind(now.0)
        .run(&mut *tx)
        .await?;
        Ok(Commit(()))
    })
    .await
}

async fn device_known(
    db: &Db,
    id_hash: &str,
    user_id: &UserId,
    since: UnixTime,
) -> StoreResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT last_seen_at FROM known_devices
         WHERE id_hash = $1 AND user_id = $2 AND last_seen_at >= $3",
    )
    .bind(id_hash)
    .bind(user_id.as_str())
    .bind(since.0)
    .fetch_optional(&db.pool)
    .await
    .map_err(db_err)?;
    Ok(found.is_some())
}

impl DeviceStore for Db {
    async fn rotate_device(
        &self,
        old_hash: Option<&str>,
        new_hash: &str,
        tenant_id: &TenantId,
        user_id: &UserId,
        now: UnixTime,
    ) -> StoreResult<()> {
        rotate_device(self, old_hash, new_hash, tenant_id, user_id, now).await
    }

    async fn device_known(
        &self,
        id_hash: &str,
        user_id: &UserId,
        since: UnixTime,
    ) -> StoreResult<bool> {
        device_known(self, id_hash, user_id, since).await
    }

    async fn has_known_device(&self, user_id: &UserId, since: UnixTime) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT last_seen_at FROM known_devices
             WHERE user_id = $1 AND last_seen_at >= $2 LIMIT 1",
        )
        .bind(user_id.as_str())
        .bind(since.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(crate::db::db_err)?;
        Ok(found.is_some())
    }
}
