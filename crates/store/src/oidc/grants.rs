//! Authorization codes, grants, consents and client assertions; refreshes
//! go through [`super::refresh`].

use latchkey_core::accounts::session::methods_to_string;
use latchkey_core::accounts::user::User;
use latchkey_core::oidc::{AuthCode, Grant};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{ClientRowId, GrantId, SessionHash, TenantId, UserId};
use latchkey_core::store::{Connection, Consent, Effects, OidcStore, StoreResult};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, Executor};

use super::refresh::{self, Rotated};
use super::rows::{
    CODE_COLUMNS, GRANT_COLUMNS, GRANT_WITH_USER, code_from_row, grant_from_row,
    grant_with_user_from_row,
};
use crate::db::{Db, Run, all, col, db_err, flag, id, maybe_time, optional, time};
use crate::write::Outcome::{Commit, Rollback};

/// Stores `g` as it is; with `if_absent`, nothing happens when a grant with
/// its id is stored already.
async fn insert_grant<'e>(
    executor: impl Executor<'e, Database = Any> + 'e,
    g: &Grant,
    if_absent: bool,
) -> StoreResult<()> {
    let on_conflict = if if_absent {
        "ON CONFLICT (id) DO NOTHING"
    } else {
        ""
    };
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO oauth_grants (id, tenant_id, client_id, user_id, session_hash, scope, amr, auth_time,
                                   security_stamp, code_hash, created_at, expires_at, revoked_at,
                                   refresh_generation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         {on_conflict}"
    )))
    .bind(g.id.as_str())
    .bind(g.tenant_id.as_str())
    .bind(g.client_id.as_str())
    .bind(g.user_id.as_ref().map(UserId::as_str))
    .bind(g.session_hash.as_ref().map(SessionHash::as_str))
    .bind(&g.scope)
    .bind(methods_to_string(&g.amr))
    .bind(g.auth_time.0)
    .bind(&g.security_stamp)
    .bind(&g.code_hash)
    .bind(g.created_at.0)
    .bind(g.expires_at.0)
    .bind(g.revoked_at.map(|t| t.0))
    .bind(g.refresh_generation)
    .run(executor)
    .await?;
    Ok(())
}

/// The statement that revokes, now (`$1`), the grants not revoked yet that
/// `which` picks, its parameters numbered from `$2`.
fn revoke_grants(now: UnixTime, which: &str) -> Query<'static, Any, AnyArguments> {
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE oauth_grants SET revoked_at = $1 WHERE {which} AND revoked_at IS NULL"
    )))
    .bind(now.0)
}

impl OidcStore for Db {
    async fn insert_code(&self, c: &AuthCode) -> StoreResult<()> {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO oauth_codes ({CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14)"
        )))
        .bind(&c.code_hash)
        .bind(c.tenant_id.as_str())
        .bind(c.client_id.as_str())
        .bind(c.user_id.as_str())
        .bind(c.session_hash.as_str())
        .bind(&c.redirect_uri)
        .bind(&c.scope)
        .bind(&c.nonce)
        .bind(&c.code_challenge)
        .bind(c.auth_time.0)
        .bind(methods_to_string(&c.amr))
        .bind(c.created_at.0)
        .bind(c.expires_at.0)
        .bind(&c.security_stamp)
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn code_by_hash(&self, code_hash: &str) -> StoreResult<Option<AuthCode>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {CODE_COLUMNS} FROM oauth_codes WHERE code_hash = $1"
            )))
            .bind(code_hash)
            .fetch_optional(&self.pool)
            .await,
            code_from_row,
        )
    }

    async fn redeem_code(&self, code_hash: &str, g: &Grant, now: UnixTime) -> StoreResult<bool> {
        self.write(async |tx| {
            let done = sqlx::query(
                "UPDATE oauth_codes SET used_at = $1, grant_id = $2 WHERE code_hash = $3 AND used_at IS NULL",
            )
            .bind(now.0)
            .bind(g.id.as_str())
            .bind(code_hash)
            .run(&mut *tx)
            .await?;
            if done != 1 {
                return Ok(Rollback(false));
            }
            insert_grant(&mut *tx, g, false).await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn rotate_refresh(
        &self,
        grant_id: &GrantId,
        generation: i64,
        client_id: &ClientRowId,
        now: UnixTime,
    ) -> StoreResult<Rotated> {
        refresh::rotate(self, grant_id, generation, client_id, now).await
    }

    async fn revoke_grants_of_code(&self, code_hash: &str, now: UnixTime) -> StoreResult<()> {
        revoke_grants(now, "code_hash = $2")
            .bind(code_hash)
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn grant_by_id(&self, id: &GrantId) -> StoreResult<Option<Grant>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {GRANT_COLUMNS} FROM oauth_grants g WHERE g.id = $1"
            )))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await,
            grant_from_row,
        )
    }

    async fn grant_with_user(&self, id: &GrantId) -> StoreResult<Option<(Grant, User)>> {
        static BY_ID: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| format!("{} WHERE g.id = $1", GRANT_WITH_USER.as_str()));
        optional(
            sqlx::query(AssertSqlSafe(BY_ID.as_str()))
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await,
            grant_with_user_from_row,
        )
    }

    async fn revoke_grant(&self, id: &GrantId, now: UnixTime) -> StoreResult<()> {
        revoke_grants(now, "id = $2")
            .bind(id.as_str())
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn insert_revoked_grant(&self, g: &Grant) -> StoreResult<()> {
        insert_grant(&self.pool, g, true).await
    }

    async fn revoke_session_grants(
        &self,
        session_hash: &SessionHash,
        now: UnixTime,
    ) -> StoreResult<u64> {
        revoke_grants(now, "session_hash = $2")
            .bind(session_hash.as_str())
            .run(&self.pool)
            .await
    }

    async fn consent(
        &self,
        user_id: &UserId,
        client_id: &ClientRowId,
    ) -> StoreResult<Option<String>> {
        let row =
            sqlx::query("SELECT scope FROM oauth_consents WHERE user_id = $1 AND client_id = $2")
                .bind(user_id.as_str())
                .bind(client_id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        row.map(|r| col(&r, "scope")).transpose()
    }

    async fn save_consent(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        client_id: &ClientRowId,
        scope: &str,
        now: UnixTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO oauth_consents (user_id, client_id, tenant_id, scope, granted_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at",
        )
        .bind(user_id.as_str())
        .bind(client_id.as_str())
        .bind(tenant_id.as_str())
        .bind(scope)
        .bind(now.0)
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn consents_for_user(&self, user_id: &UserId) -> StoreResult<Vec<Consent>> {
        all(
            sqlx::query(
                "SELECT c.client_id, o.name, c.scope, c.granted_at
                 FROM oauth_consents c JOIN oauth_clients o ON o.id = c.client_id
                 WHERE c.user_id = $1 ORDER BY c.granted_at, o.name",
            )
            .bind(user_id.as_str())
            .fetch_all(&self.pool)
            .await,
            |row| {
                Ok(Consent {
                    client_id: id(row, "client_id")?,
                    client_name: col(row, "name")?,
                    scope: col(row, "scope")?,
                    granted_at: time(row, "granted_at")?,
                })
            },
        )
    }

    async fn connections_for_user(
        &self,
        user_id: &UserId,
        security_stamp: &str,
        now: UnixTime,
    ) -> StoreResult<Vec<Connection>> {
        all(
            sqlx::query(
                "WITH live AS (
                     SELECT client_id, COUNT(*) AS grants, MAX(COALESCE(used_at, created_at)) AS last_used_at
                     FROM oauth_grants
                     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND security_stamp = $3
                     GROUP BY client_id)
                 SELECT o.id, o.name, o.first_party, c.granted_at, l.grants, l.last_used_at
                 FROM oauth_clients o
                 LEFT JOIN oauth_consents c ON c.client_id = o.id AND c.user_id = $1
                 LEFT JOIN live l ON l.client_id = o.id
                 WHERE c.user_id IS NOT NULL OR l.client_id IS NOT NULL
                 ORDER BY o.name, o.id",
            )
            .bind(user_id.as_str())
            .bind(now.0)
            .bind(security_stamp)
            .fetch_all(&self.pool)
            .await,
            |row| {
                Ok(Connection {
                    client_id: id(row, "id")?,
                    client_name: col(row, "name")?,
                    first_party: flag(row, "first_party")?,
                    consented_at: maybe_time(row, "granted_at")?,
                    grants: col::<Option<i64>>(row, "grants")?.unwrap_or(0),
                    last_used_at: maybe_time(row, "last_used_at")?,
                })
            },
        )
    }

    async fn remove_access(
        &self,
        user_id: &UserId,
        client_id: &ClientRowId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let consents =
                sqlx::query("DELETE FROM oauth_consents WHERE user_id = $1 AND client_id = $2")
                    .bind(user_id.as_str())
                    .bind(client_id.as_str())
                    .run(&mut *tx)
                    .await?;
            let grants = revoke_grants(now, "user_id = $2 AND client_id = $3")
                .bind(user_id.as_str())
                .bind(client_id.as_str())
                .run(&mut *tx)
                .await?;
            if consents + grants == 0 {
                return Ok(Rollback(false));
            }
            // A code handed out but not redeemed yet would make a new grant.
            sqlx::query(
                "UPDATE oauth_codes SET used_at = $1
                 WHERE user_id = $2 AND client_id = $3 AND used_at IS NULL",
            )
            .bind(now.0)
            .bind(user_id.as_str())
            .bind(client_id.as_str())
            .run(&mut *tx)
            .await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn use_assertion(
        &self,
        jti_hash: &str,
        client_id: &ClientRowId,
        expires_at: UnixTime,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO oauth_assertions (jti_hash, client_id, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (jti_hash) DO NOTHING",
        )
        .bind(jti_hash)
        .bind(client_id.as_str())
        .bind(expires_at.0)
        .run(&self.pool)
        .await?;
        Ok(done == 1)
    }

    async fn purge_oauth(&self, now: UnixTime) -> StoreResult<u64> {
        // Used codes stay a day, so a late replay is still recognised (and
        // revokes what the code gave).
        let mut removed = 0;
        for (sql, at) in [
            (
                "DELETE FROM oauth_codes WHERE expires_at < $1",
                now.0 - 24 * 3600,
            ),
            (
                "DELETE FROM oauth_grants WHERE expires_at < $1",
                now.0 - 24 * 3600,
            ),
            ("DELETE FROM oauth_assertions WHERE expires_at < $1", now.0),
        ] {
            removed += sqlx::query(sql).bind(at).run(&self.pool).await?;
        }
        Ok(removed)
    }
}
