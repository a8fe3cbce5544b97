//! Users; a password change; and what other domains do to a user's rows in
//! their transactions ([`lock_user`], [`remove_held`]).

use latchkey_core::accounts::held::Held;
use latchkey_core::accounts::user::{LoginKey, Role, User, UserStatus};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{SessionHash, TenantId, UserId};
use latchkey_core::platform::lang::Language;
use latchkey_core::store::{
    Activity, Effects, PeopleFilter, PersonRow, SignOutOthers, StoreResult, UserStore,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::accounts::session::keep_one;
use crate::db::{Backend, Db, Run, all, col, flag, id, maybe_time, optional, parsed, time};
use crate::write::Outcome::{self, Commit, Rollback};

pub(crate) const COLUMNS: &str = "id, tenant_id, username, username_key, email, email_key, display_name, status, \
                       email_verified, language, password_hash, security_stamp, created_at, updated_at, role, password_reset_at, email_changed_at";

pub(crate) fn from_row(row: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        username: col(row, "username")?,
        username_key: col(row, "username_key")?,
        email: col(row, "email")?,
        email_key: col(row, "email_key")?,
        display_name: col(row, "display_name")?,
        status: parsed("status", UserStatus::parse(&col::<String>(row, "status")?))?,
        email_verified: flag(row, "email_verified")?,
        language: col::<Option<String>>(row, "language")?
            .map(|l| parsed("language", Language::parse(&l)))
            .transpose()?,
        password_hash: col(row, "password_hash")?,
        security_stamp: col(row, "security_stamp")?,
        role: parsed("role", Role::parse(&col::<String>(row, "role")?))?,
        password_reset_at: maybe_time(row, "password_reset_at")?,
        email_changed_at: maybe_time(row, "email_changed_at")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

/// Locks the user's row until `conn`'s transaction ends, on PostgreSQL
/// (SQLite has one writer at a time anyway): changes to one user's factors
/// take turns, so "is this the last one?" is answered after any concurrent
/// removal, replacement or reset committed.
pub(crate) async fn lock_user(
    db: &Db,
    conn: &mut AnyConnection,
    user_id: &UserId,
) -> StoreResult<()> {
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
            .bind(user_id.as_str())
            .run(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Removes what the user holds of each kind `ends` names — core decides
/// the list (see `core::accounts::held`), this maps it to tables.
pub(crate) async fn remove_held(
    conn: &mut AnyConnection,
    user_id: &UserId,
    ends: &[Held],
) -> StoreResult<()> {
    for held in ends {
        let which = match held {
            Held::Sessions => "sessions WHERE user_id = $1",
            Held::KnownDevices => "known_devices WHERE user_id = $1",
            Held::AuthenticatorApp => "totp_credentials WHERE user_id = $1",
            Held::Passkeys => "passkeys WHERE user_id = $1",
            Held::RecoveryCodes => "recovery_codes WHERE user_id = $1",
            Held::PasskeyCeremonies => "passkey_ceremonies WHERE user_id = $1",
            Held::ResetLinks => "password_resets WHERE user_id = $1 AND used_at IS NULL",
        };
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {which}")))
            .bind(user_id.as_str())
            .run(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Inserts a new user's row inside a write transaction (a new account, an
/// accepted invitation).
pub(crate) async fn insert_user_row(tx: &mut AnyConnection, u: &User) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO users (id, tenant_id, username, username_key, email, email_key, display_name, status,
                            email_verified, password_hash, security_stamp, created_at, updated_at, language, role,
                            display_name_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(u.id.as_str())
    .bind(u.tenant_id.as_str())
    .bind(&u.username)
    .bind(&u.username_key)
    .bind(&u.email)
    .bind(&u.email_key)
    .bind(&u.display_name)
    .bind(u.status.as_str())
    .bind(u.email_verified)
    .bind(u.password_hash.as_deref())
    .bind(&u.security_stamp)
    .bind(u.created_at.0)
    .bind(u.updated_at.0)
    .bind(u.language.map(|l| l.as_str()))
    .bind(u.role.as_str())
    .bind(u.display_name_key())
    .run(tx)
    .await?;
    Ok(())
}

impl UserStore for Db {
    async fn change_password(
        &self,
        user_id: &UserId,
        password_hash: &str,
        security_stamp: &str,
        keep_session: &SessionHash,
        new_session: &SessionHash,
        ends: &[Held],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let updated = sqlx::query(
                "UPDATE users SET password_hash = $1, security_stamp = $2, updated_at = $3, password_reset_at = NULL
                 WHERE id = $4",
            )
            .bind(password_hash)
            .bind(security_stamp)
            .bind(now.0)
            .bind(user_id.as_str())
            .run(&mut *tx)
            .await?;
            if updated != 1 {
                return Ok(Rollback(false));
            }
            let others = SignOutOthers {
                security_stamp,
                keep_session,
                new_session,
            };
            keep_one(tx, user_id, &others).await?;
            remove_held(tx, user_id, ends).await?;
            sqlx::query(
                "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
            )
            .bind(now.0)
            .bind(user_id.as_str())
            .run(&mut *tx)
            .await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn set_user_role(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        role: Role,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let updated = sqlx::query(
                "UPDATE users SET role = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4",
            )
            .bind(role.as_str())
            .bind(now.0)
            .bind(tenant_id.as_str())
            .bind(user_id.as_str())
            .run(&mut *tx)
            .await?;
            Ok(Outcome::applied(updated == 1))
        })
        .await
    }

    async fn insert_user(&self, u: &User, effects: &Effects<'_>, now: UnixTime) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            insert_user_row(tx, u).await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn user_by_login(
        &self,
        tenant_id: &TenantId,
        login: &LoginKey,
    ) -> StoreResult<Option<User>> {
        let column = match login {
            LoginKey::Username(_) => "username_key",
            LoginKey::Email(_) => "email_key",
        };
        let sql = format!("SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND {column} = $2");
        optional(
            sqlx::query(AssertSqlSafe(sql))
                .bind(tenant_id.as_str())
                .bind(login.as_str())
                .fetch_optional(&self.pool)
                .await,
            from_row,
        )
    }

    async fn user_by_id(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
    ) -> StoreResult<Option<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2");
        optional(
            sqlx::query(AssertSqlSafe(sql))
                .bind(tenant_id.as_str())
                .bind(user_id.as_str())
                .fetch_optional(&self.pool)
                .await,
            from_row,
        )
    }

    async fn list_users(&self, tenant_id: &TenantId) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE tenant_id = $1 ORDER BY username_key");
        all(
            sqlx::query(AssertSqlSafe(sql))
                .bind(tenant_id.as_str())
                .fetch_all(&self.pool)
                .await,
            from_row,
        )
    }

    async fn list_people(
        &self,
        tenant_id: &TenantId,
        filter: &PeopleFilter,
    ) -> StoreResult<Vec<PersonRow>> {
        crate::accounts::people::list_people(self, tenant_id, filter).await
    }

    async fn user_activity(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        now: UnixTime,
    ) -> StoreResult<Option<Activity>> {
        crate::accounts::people::user_activity(self, tenant_id, user_id, now).await
    }

    async fn set_user_status(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        status: UserStatus,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let updated = sqlx::query(
                "UPDATE users SET status = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4",
            )
            .bind(status.as_str())
            .bind(now.0)
            .bind(tenant_id.as_str())
            .bind(user_id.as_str())
            .run(&mut *tx)
            .await?;
            if updated == 0 {
                // No such user in this tenant: nobody else's sessions end.
                return Ok(Rollback(false));
            }
            remove_held(tx, user_id, status.ends()).await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn replace_password_hash(
        &self,
        user_id: &UserId,
        old_hash: &str,
        new_hash: &str,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3 AND password_hash = $4",
        )
        .bind(new_hash)
        .bind(now.0)
        .bind(user_id.as_str())
        .bind(old_hash)
        .run(&self.pool)
        .await?;
        Ok(updated > 0)
    }
}
