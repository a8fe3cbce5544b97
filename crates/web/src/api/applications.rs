//! A tenant's applications, for its administrators.

use axum::extract::State;
use axum::http::StatusCode;
use latchkey_core::Error;
use latchkey_core::effects::audit::Actor;
use latchkey_core::oidc::client::{self, ClientChange, ClientInput};
use latchkey_core::platform::ids::ClientId;
use latchkey_core::store::{ClientStore, StoreError};
use serde::Deserialize;
use serde_json::json;

use super::{ApiAdmin, ApiPath, ApiResult, JsonBody, RecentApiAdmin, ok};
use crate::AppState;
use crate::app::error::ApiError;

pub async fn list(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    ApiAdmin { tenant }: ApiAdmin,
) -> ApiResult {
    ok(StatusCode::OK, state.db().list_clients(&tenant.id).await?)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicationBody {
    name: String,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    post_logout_uris: Vec<String>,
    #[serde(default)]
    grant_types: Vec<String>,
    #[serde(default)]
    public: bool,
    #[serde(default)]
    first_party: bool,
    /// The scopes it may be given; left out or empty: the default
    /// (openid profile email offline_access).
    #[serde(default)]
    scopes: Vec<String>,
    access_token_minutes: Option<i64>,
    refresh_token_days: Option<i64>,
    signing_alg: Option<String>,
    /// A JWK Set (object) of the application's public keys, for
    /// `private_key_jwt` instead of a secret.
    jwks: Option<serde_json::Value>,
    /// Legacy: a confidential application may leave out PKCE.
    #[serde(default)]
    pkce_optional: bool,
}

pub async fn create(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
    body: JsonBody,
) -> ApiResult {
    let b: ApplicationBody = body.read()?;
    let input = ClientInput {
        name: b.name,
        redirect_uris: b.redirect_uris,
        post_logout_uris: b.post_logout_uris,
        grant_types: b.grant_types,
        public: b.public,
        first_party: b.first_party,
        scopes: b.scopes,
        access_token_minutes: b.access_token_minutes,
        refresh_token_days: b.refresh_token_days,
        jwks: b.jwks.map(|v| v.to_string()),
        token_alg: b.signing_alg,
        pkce_optional: b.pkce_optional,
    };
    let (c, secret) = client::create(
        state.db(),
        state.random(),
        state.clock(),
        state.secrets(),
        &tenant,
        &input,
        &Actor::Admin(admin.id.clone()),
    )
    .await?;
    let mut value = serde_json::to_value(&c)
        .map_err(|e| ApiError::Core(Error::Store(StoreError::Corrupt(e.to_string()))))?;
    if let Some(s) = secret {
        value["client_secret"] = s.expose().into();
    }
    ok(StatusCode::CREATED, value)
}

pub async fn show(
    State(state): State<AppState>,
    ApiPath((_, client_id)): ApiPath<(String, ClientId)>,
    ApiAdmin { tenant }: ApiAdmin,
) -> ApiResult {
    ok(
        StatusCode::OK,
        client::find(state.db(), &tenant, &client_id).await?,
    )
}

/// A change to an application: fields left out stay as they are.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicationChangeBody {
    name: Option<String>,
    redirect_uris: Option<Vec<String>>,
    post_logout_uris: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
    first_party: Option<bool>,
    /// Replaces the scopes it may be given.
    scopes: Option<Vec<String>>,
    access_token_minutes: Option<i64>,
    refresh_token_days: Option<i64>,
    signing_alg: Option<String>,
    jwks: Option<serde_json::Value>,
    pkce_optional: Option<bool>,
}

pub async fn update(
    State(state): State<AppState>,
    ApiPath((_, client_id)): ApiPath<(String, ClientId)>,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
    body: JsonBody,
) -> ApiResult {
    let b: ApplicationChangeBody = body.read()?;
    let change = ClientChange {
        name: b.name,
        redirect_uris: b.redirect_uris,
        post_logout_uris: b.post_logout_uris,
        grant_types: b.grant_types,
        first_party: b.first_party,
        scopes: b.scopes,
        access_token_minutes: b.access_token_minutes,
        refresh_token_days: b.refresh_token_days,
        jwks: b.jwks.map(|v| v.to_string()),
        token_alg: b.signing_alg,
        pkce_optional: b.pkce_optional,
    };
    let c = client::update(
        state.db(),
        state.random(),
        state.clock(),
        state.secrets(),
        &tenant,
        &client_id,
        &change,
        &Actor::Admin(admin.id.clone()),
    )
    .await?;
    ok(StatusCode::OK, c)
}

pub async fn rotate_secret(
    State(state): State<AppState>,
    ApiPath((_, client_id)): ApiPath<(String, ClientId)>,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
) -> ApiResult {
    let (c, secret) = client::rotate_secret(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &client_id,
        &Actor::Admin(admin.id.clone()),
    )
    .await?;
    ok(
        StatusCode::OK,
        json!({ "client_id": c.client_id, "client_secret": secret.expose() }),
    )
}

pub async fn delete(
    State(state): State<AppState>,
    ApiPath((_, client_id)): ApiPath<(String, ClientId)>,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
) -> Result<StatusCode, ApiError> {
    client::delete(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &client_id,
        &Actor::Admin(admin.id.clone()),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
