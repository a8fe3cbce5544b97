//! Invitations: one unused invitation per address and tenant. Accepting a
//! tenant administrator's creates the user in its transaction; a person's
//! belongs to the account made with it and accepting it sets the password.

use latchkey_core::accounts::invitation::{Invitation, Purpose};
use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{TenantId, UserId};
use latchkey_core::store::{Effects, InvitationStore, StoreResult};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::accounts::user::insert_user_row;
use crate::db::{Db, Run, all, col, id, maybe_id, maybe_time, optional, parsed, time};
use crate::write::Outcome::{Commit, Rollback};

const COLUMNS: &str = "id, purpose, tenant_id, email, email_key, token_hash, invited_by, created_at, expires_at, used_at, user_id";

fn from_row(row: &AnyRow) -> StoreResult<Invitation> {
    Ok(Invitation {
        id: id(row, "id")?,
        purpose: parsed(
            "purpose",
            Purpose::parse(&col::<String>(row, "purpose")?).ok_or("not a purpose"),
        )?,
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

/// Stores `i` in a write transaction; an unused invitation of the tenant
/// to the same address ends with it.
async fn insert_row(tx: &mut AnyConnection, i: &Invitation) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM admin_invitations WHERE tenant_id = $1 AND email_key = $2 AND used_at IS NULL",
    )
    .bind(i.tenant_id.as_str())
    .bind(&i.email_key)
    .run(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO admin_invitations (id, purpose, tenant_id, email, email_key, token_hash, invited_by, created_at, expires_at, used_at, user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10)",
    )
    .bind(i.id.as_str())
    .bind(i.purpose.as_str())
    .bind(i.tenant_id.as_str())
    .bind(&i.email)
    .bind(&i.email_key)
    .bind(&i.token_hash)
    .bind(i.invited_by.to_string())
    .bind(i.created_at.0)
    .bind(i.expires_at.0)
    .bind(match i.purpose {
        Purpose::Person => i.user_id.as_ref().map(|u| u.as_str()),
        Purpose::Admin => None,
    })
    .run(&mut *tx)
    .await?;
    Ok(())
}

impl Db {
    /// Ends the unused invitation `old` if it was made at or before
    /// `not_after`, and stores `new` (if any) in its place: false, and
    /// nothing written, if `old` was used, ended or too recent.
    async fn replace_or_end(
        &self,
        old: &Invitation,
        new: Option<&Invitation>,
        not_after: UnixTime,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let ended = sqlx::query(
                "DELETE FROM admin_invitations WHERE id = $1 AND used_at IS NULL AND created_at <= $2",
            )
            .bind(old.id.as_str())
            .bind(not_after.0)
            .run(&mut *tx)
            .await?;
            if ended != 1 {
                return Ok(Rollback(false));
            }
            if let Some(new) = new {
                insert_row(tx, new).await?;
            }
            Ok(Commit(true))
        })
        .await
    }
}

impl InvitationStore for Db {
    async fn insert_invitation(
        &self,
        i: &Invitation,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            insert_row(tx, i).await?;
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

    async fn insert_person_invitation(
        &self,
        user: &User,
        i: &Invitation,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            insert_user_row(tx, user).await?;
            insert_row(tx, i).await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn open_invitation_of(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
    ) -> StoreResult<Option<Invitation>> {
        optional(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM admin_invitations
                 WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL
                 ORDER BY created_at DESC, id DESC LIMIT 1"
            )))
            .bind(tenant_id.as_str())
            .bind(user_id.as_str())
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn replace_invitation(
        &self,
        old: &Invitation,
        new: &Invitation,
        not_after: UnixTime,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.replace_or_end(old, Some(new), not_after, effects, now)
            .await
    }

    async fn withdraw_invitation(
        &self,
        i: &Invitation,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        // however recent
        self.replace_or_end(i, None, UnixTime(i64::MAX), effects, now)
            .await
    }

    async fn accept_person_invitation(
        &self,
        i: &Invitation,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let used = sqlx::query(
                "UPDATE admin_invitations SET used_at = $1
                 WHERE id = $2 AND user_id = $3 AND purpose = 'person' AND used_at IS NULL AND expires_at > $1",
            )
            .bind(now.0)
            .bind(i.id.as_str())
            .bind(user.id.as_str())
            .run(&mut *tx)
            .await?;
            let set = sqlx::query(
                "UPDATE users SET password_hash = $1, security_stamp = $2, email_verified = $3, updated_at = $4
                 WHERE id = $5 AND password_hash IS NULL",
            )
            .bind(user.password_hash.as_deref())
            .bind(&user.security_stamp)
            .bind(true)
            .bind(now.0)
            .bind(user.id.as_str())
            .run(&mut *tx)
            .await?;
            if used != 1 || set != 1 {
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
                "SELECT {COLUMNS} FROM admin_invitations WHERE tenant_id = $1 AND purpose = 'admin'
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
