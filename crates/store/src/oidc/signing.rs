//! Token signing keys per tenant: rotated by retiring the current ones.

use latchkey_core::oidc::signing::{Alg, SigningKey};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::store::{SigningKeyStore, StoreResult};
use sqlx::any::AnyRow;

use crate::db::{Db, Run, all, col, id, maybe_time, parsed, time};
use crate::write::Outcome::Commit;

fn from_row(row: &AnyRow) -> StoreResult<SigningKey> {
    Ok(SigningKey {
        kid: col(row, "kid")?,
        tenant_id: id(row, "tenant_id")?,
        alg: parsed("alg", Alg::parse(&col::<String>(row, "alg")?))?,
        public_jwk: col(row, "public_jwk")?,
        private_sealed: col(row, "private_sealed")?,
        created_at: time(row, "created_at")?,
        retired_at: maybe_time(row, "retired_at")?,
    })
}

impl SigningKeyStore for Db {
    async fn signing_keys(&self, tenant_id: &TenantId) -> StoreResult<Vec<SigningKey>> {
        all(
            sqlx::query(
                "SELECT kid, tenant_id, alg, public_jwk, private_sealed, created_at, retired_at
                 FROM signing_keys WHERE tenant_id = $1 ORDER BY created_at DESC, kid",
            )
            .bind(tenant_id.as_str())
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }

    async fn rotate_signing_keys(
        &self,
        tenant_id: &TenantId,
        keys: &[SigningKey],
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write(async |tx| {
            sqlx::query(
                "UPDATE signing_keys SET retired_at = $1 WHERE tenant_id = $2 AND retired_at IS NULL",
            )
            .bind(now.0)
            .bind(tenant_id.as_str())
            .run(&mut *tx)
            .await?;
            for key in keys {
                insert(&mut *tx, key).await?;
            }
            Ok(Commit(()))
        })
        .await
    }

    async fn add_signing_key(&self, key: &SigningKey) -> StoreResult<()> {
        self.write(async |tx| {
            insert(&mut *tx, key).await?;
            Ok(Commit(()))
        })
        .await
    }
}

async fn insert(conn: &mut sqlx::AnyConnection, key: &SigningKey) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO signing_keys (kid, tenant_id, alg, public_jwk, private_sealed, created_at, retired_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL)",
    )
    .bind(&key.kid)
    .bind(key.tenant_id.as_str())
    .bind(key.alg.as_str())
    .bind(&key.public_jwk)
    .bind(&key.private_sealed)
    .bind(key.created_at.0)
    .run(&mut *conn)
    .await?;
    Ok(())
}
