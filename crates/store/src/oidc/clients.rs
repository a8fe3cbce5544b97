//! Applications (OAuth clients), with a short-lived cache for the token
//! endpoint, which looks one up on every request.

use latchkey_core::oidc::Scope;
use latchkey_core::oidc::client::{Client, GrantType};
use latchkey_core::oidc::signing::Alg;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{ClientId, TenantId};
use latchkey_core::store::{ClientStore, Effects, StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::db::{Db, Run, all, col, flag, id, optional, parsed, time};
use crate::write::Outcome::{self, Commit};

const COLUMNS: &str = "id, tenant_id, client_id, name, secret_hash, redirect_uris, post_logout_uris, \
                       grant_types, first_party, access_token_secs, refresh_token_secs, created_at, jwks, token_alg, \
                       pkce_optional, scopes";

fn list(row: &AnyRow, name: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(&col::<String>(row, name)?)
        .map_err(|e| StoreError::Corrupt(format!("column {name}: {e}")))
}

fn from_row(row: &AnyRow) -> StoreResult<Client> {
    let grant_types = list(row, "grant_types")?
        .iter()
        .map(|g| GrantType::parse(g).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Client {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        client_id: id(row, "client_id")?,
        name: col(row, "name")?,
        secret_hash: col(row, "secret_hash")?,
        redirect_uris: list(row, "redirect_uris")?,
        post_logout_uris: list(row, "post_logout_uris")?,
        grant_types,
        first_party: flag(row, "first_party")?,
        scopes: list(row, "scopes")?
            .iter()
            .map(|s| Scope::parse(s).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?,
        access_token_secs: col(row, "access_token_secs")?,
        refresh_token_secs: col(row, "refresh_token_secs")?,
        created_at: time(row, "created_at")?,
        jwks: col(row, "jwks")?,
        token_alg: parsed("token_alg", Alg::parse(&col::<String>(row, "token_alg")?))?,
        pkce_optional: flag(row, "pkce_optional")?,
    })
}

fn grant_names(c: &Client) -> Vec<String> {
    c.grant_types
        .iter()
        .map(|g| g.as_str().to_owned())
        .collect()
}

fn scope_names(c: &Client) -> Vec<String> {
    c.scopes.iter().map(|s| s.as_str().to_owned()).collect()
}

fn json(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".into())
}

/// How long a node trusts an application it looked up. Registrations
/// through this process are seen at once; other processes' changes (the
/// CLI) within this time. Unknown client ids are not remembered.
pub const CLIENT_CACHE_SECS: u64 = 5;
const CLIENT_CACHE_MAX: usize = 10_000;

#[derive(Debug, Default)]
pub struct ClientCache(
    std::sync::Mutex<std::collections::HashMap<(TenantId, ClientId), (Client, std::time::Instant)>>,
);

impl ClientCache {
    fn get(&self, tenant_id: &TenantId, client_id: &ClientId) -> Option<Client> {
        let map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&(tenant_id.clone(), client_id.clone()))
            .filter(|(_, at)| at.elapsed().as_secs() < CLIENT_CACHE_SECS)
            .map(|(c, _)| c.clone())
    }

    /// Drops what this node remembers of a client it just changed.
    fn forget(&self, client: &Client) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&(client.tenant_id.clone(), client.client_id.clone()));
    }

    fn put(&self, client: &Client) {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= CLIENT_CACHE_MAX {
            map.clear();
        }
        map.insert(
            (client.tenant_id.clone(), client.client_id.clone()),
            (client.clone(), std::time::Instant::now()),
        );
    }
}

impl Db {
    /// Runs `query`, a change of the client's one row, with `effects` in one
    /// transaction; `true` if it changed the row. This node forgets its
    /// cached copy either way.
    async fn change_one<'q>(
        &self,
        c: &Client,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let changed = self
            .write_with(effects, now, async |tx| {
                let changed = query.run(&mut *tx).await?;
                Ok(Outcome::applied(changed == 1))
            })
            .await?;
        self.clients.forget(c);
        Ok(changed)
    }
}

impl ClientStore for Db {
    async fn insert_client(
        &self,
        c: &Client,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        let grants = grant_names(c);
        self.write_with(effects, now, async |tx| {
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO oauth_clients ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
            )))
            .bind(c.id.as_str())
            .bind(c.tenant_id.as_str())
            .bind(c.client_id.as_str())
            .bind(&c.name)
            .bind(&c.secret_hash)
            .bind(json(&c.redirect_uris))
            .bind(json(&c.post_logout_uris))
            .bind(json(&grants))
            .bind(c.first_party)
            .bind(c.access_token_secs)
            .bind(c.refresh_token_secs)
            .bind(c.created_at.0)
            .bind(&c.jwks)
            .bind(c.token_alg.as_str())
            .bind(c.pkce_optional)
            .bind(json(&scope_names(c)))
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn client_by_client_id(
        &self,
        tenant_id: &TenantId,
        client_id: &ClientId,
    ) -> StoreResult<Option<Client>> {
        if let Some(client) = self.clients.get(tenant_id, client_id) {
            return Ok(Some(client));
        }
        let client = self.client_for_change(tenant_id, client_id).await?;
        if let Some(c) = &client {
            self.clients.put(c);
        }
        Ok(client)
    }

    async fn update_client(
        &self,
        c: &Client,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let query = sqlx::query(
            "UPDATE oauth_clients SET name = $1, redirect_uris = $2, \
             post_logout_uris = $3, grant_types = $4, first_party = $5, access_token_secs = $6, \
             refresh_token_secs = $7, jwks = $8, token_alg = $9, pkce_optional = $12, \
             scopes = $13 WHERE id = $10 AND tenant_id = $11",
        )
        .bind(&c.name)
        .bind(json(&c.redirect_uris))
        .bind(json(&c.post_logout_uris))
        .bind(json(&grant_names(c)))
        .bind(c.first_party)
        .bind(c.access_token_secs)
        .bind(c.refresh_token_secs)
        .bind(&c.jwks)
        .bind(c.token_alg.as_str())
        .bind(c.id.as_str())
        .bind(c.tenant_id.as_str())
        .bind(c.pkce_optional)
        .bind(json(&scope_names(c)));
        self.change_one(c, query, effects, now).await
    }

    async fn client_for_change(
        &self,
        tenant_id: &TenantId,
        client_id: &ClientId,
    ) -> StoreResult<Option<Client>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM oauth_clients WHERE tenant_id = $1 AND client_id = $2"
            )))
            .bind(tenant_id.as_str())
            .bind(client_id.as_str())
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn set_client_secret(
        &self,
        c: &Client,
        secret_hash: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let query = sqlx::query(
            "UPDATE oauth_clients SET secret_hash = $1 \
             WHERE id = $2 AND tenant_id = $3 AND secret_hash IS NOT NULL",
        )
        .bind(secret_hash)
        .bind(c.id.as_str())
        .bind(c.tenant_id.as_str());
        self.change_one(c, query, effects, now).await
    }

    async fn delete_client(
        &self,
        c: &Client,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        // Codes, grants, consents and assertion records go with it
        // (ON DELETE CASCADE).
        let query = sqlx::query("DELETE FROM oauth_clients WHERE id = $1 AND tenant_id = $2")
            .bind(c.id.as_str())
            .bind(c.tenant_id.as_str());
        self.change_one(c, query, effects, now).await
    }

    async fn list_clients(&self, tenant_id: &TenantId) -> StoreResult<Vec<Client>> {
        all(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM oauth_clients WHERE tenant_id = $1 ORDER BY created_at, client_id"
            )))
            .bind(tenant_id.as_str())
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }
}
