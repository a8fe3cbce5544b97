//! Tokens of the operator API.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::OperatorTokenId;
use latchkey_core::store::{OperatorStore, OperatorToken, StoreResult};
use sqlx::any::AnyRow;

use crate::db::{Db, Run, all, col, id, maybe_time, optional, time};

fn from_row(row: &AnyRow) -> StoreResult<OperatorToken> {
    Ok(OperatorToken {
        id: id(row, "id")?,
        name: col(row, "name")?,
        token_hash: col(row, "token_hash")?,
        created_at: time(row, "created_at")?,
        revoked_at: maybe_time(row, "revoked_at")?,
    })
}

impl OperatorStore for Db {
    async fn insert_operator_token(&self, t: &OperatorToken) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO operator_tokens (id, name, token_hash, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, NULL)",
        )
        .bind(t.id.as_str())
        .bind(&t.name)
        .bind(&t.token_hash)
        .bind(t.created_at.0)
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn operator_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<OperatorToken>> {
        optional(
            sqlx::query(
                "SELECT id, name, token_hash, created_at, revoked_at FROM operator_tokens
                 WHERE token_hash = $1 AND revoked_at IS NULL",
            )
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn list_operator_tokens(&self) -> StoreResult<Vec<OperatorToken>> {
        all(
            sqlx::query(
                "SELECT id, name, token_hash, created_at, revoked_at FROM operator_tokens
                 ORDER BY created_at, id",
            )
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }

    async fn revoke_operator_token(
        &self,
        id: &OperatorTokenId,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE operator_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now.0)
        .bind(id.as_str())
        .run(&self.pool)
        .await?;
        Ok(done == 1)
    }
}
