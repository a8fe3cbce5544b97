//! Invitations of a tenant's administrator: one unused invitation per
//! address and tenant; accepting one creates the user in its transaction.

use latchkey_core::accounts::invitation::Invitation;
use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::store::{Effects, InvitationStore, StoreResult};
use sqlx::any::AnyRow;

use crate::accounts::user::insert_user_row;
use crate::db::{Db, Run, all, col, id, maybe_id, maybe_time, optional, parsed, time};
use crate::write::Outcome::{Commit, Rollback};

const COLUMNS: &str = "id, tenant_id, email, email_key, token_hash, invited_by, created_at, expires_at, used_at, user_id";

fn from_row(row: &AnyRow) -> StoreResult<Invitation> {
    Ok(Invitation {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        email: col(row, "email")?,
        email_key: col(row, "email_key")?,
        token_hash: col(row, "token_hash")?,
        invited_by: parsed(
            "invited_by",
            Actor::parse(&col::<String>(row, "invited_by")?).ok_or("not an actor"),
        )?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        used_at: maybe_time(row, "used_at")?,
        user_id: maybe_id(row, "user_id")?,
    })
}

impl InvitationStore for Db {
    async fn insert_invitation(
        &self,
        i: &Invitation,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            sqlx::query(
                "DELETE FROM admin_invitations WHERE tenant_id = $1 AND email_key = $2 AND used_at IS NULL",
            )
            .bind(i.tenant_id.as_str())
            .bind(&i.email_key)
            .run(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO admin_invitations (id, tenant_id, email, email_key, token_hash, invited_by, created_at, expires_at, used_at, user_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)",
            )
            .bind(i.id.as_str())
            .bind(i.tenant_id.as_str())
            .bind(&i.email)
            .bind(&i.email_key)
            .bind(&i.token_hash)
            .bind(i.invited_by.to_string())
            .bind(i.created_at.0)
            .bind(i.expires_at.0)
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn invitation_by_hash(&self, token_hash: &str) -> StoreResult<Option<Invitation>> {
        optional(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM admin_invitations WHERE token_hash = $1"
            )))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn accept_invitation(
        &self,
        i: &Invitation,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            insert_user_row(tx, user).await?;
            let used = sqlx::query(
                "UPDATE admin_invitations SET used_at = $1, user_id = $2
                 WHERE id = $3 AND used_at IS NULL AND expires_at > $1",
            )
            .bind(now.0)
            .bind(user.id.as_str())
            .bind(i.id.as_str())
            .run(&mut *tx)
            .await?;
            if used != 1 {
                return Ok(Rollback(false));
            }
            Ok(Commit(true))
        })
        .await
    }

    async fn list_invitations(
        &self,
        tenant_id: &TenantId,
        limit: u32,
    ) -> StoreResult<Vec<Invitation>> {
        all(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM admin_invitations WHERE tenant_id = $1
                 ORDER BY created_at DESC, id DESC LIMIT $2"
            )))
            .bind(tenant_id.as_str())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }
}
