//! Bearer access tokens presented to userinfo, introspection and the API.

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::oidc;
use latchkey_core::tenants::Tenant;

use crate::AppState;
use crate::app::error::WebError;

/// The token of an `Authorization: Bearer …` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The tenant's issuer identifier.
pub fn issuer(state: &AppState, tenant: &Tenant) -> String {
    oidc::issuer(&state.config().public_url, tenant)
}

/// An access token of this tenant that still stands. A token naming a key
/// this node has not loaded yet (rotated elsewhere) reloads the keys once.
pub async fn active_access_token(
    state: &AppState,
    tenant: &Tenant,
    token: &str,
) -> Result<Option<oidc::ActiveToken>, WebError> {
    let iss = issuer(state, tenant);
    let now = state.clock().now();
    let keys = state.tenant_keys(&tenant.id, false).await?;
    if let Some(active) =
        oidc::check_access_token(state.db(), &keys.keys, tenant, &iss, token, now).await?
    {
        return Ok(Some(active));
    }
    let kid = token
        .split('.')
        .next()
        .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
        .and_then(|h| serde_json::from_slice::<serde_json::Value>(&h).ok())
        .and_then(|h| h["kid"].as_str().map(str::to_owned));
    match kid {
        Some(kid) if !keys.keys.iter().any(|k| k.kid == kid) => {
            let keys = state.tenant_keys(&tenant.id, true).await?;
            Ok(oidc::check_access_token(state.db(), &keys.keys, tenant, &iss, token, now).await?)
        }
        _ => Ok(None),
    }
}
