//! Revocation (RFC 7009) and introspection (RFC 7662).

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::oidc::{self, OAuthError, TokenError};

use super::authorize::Params;
use super::token::token_client;
use crate::AppState;
use crate::app::bearer::{active_access_token, issuer};
use crate::app::error::{OAuthFailure as Failure, OAuthRefusal};
use crate::app::extract::{Client, IssuerTenant};
use crate::app::respond::json;

fn missing_token(headers: &HeaderMap) -> OAuthRefusal {
    OAuthRefusal {
        error: TokenError::new(OAuthError::InvalidRequest, "token is missing"),
        basic: headers.contains_key(header::AUTHORIZATION),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    IssuerTenant(tenant): IssuerTenant,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, Failure> {
    let (form, client) = token_client(&state, &tenant, &headers, &meta, form, "revoke").await?;
    let token = form.get("token").ok_or_else(|| missing_token(&headers))?;
    let keys = state.tenant_keys(&tenant.id, false).await?;
    oidc::revoke(
        state.db(),
        state.secrets(),
        &keys.keys,
        &tenant,
        &issuer(&state, &tenant),
        &client,
        token,
        state.clock().now(),
    )
    .await?;
    Ok((StatusCode::OK, [(header::CACHE_CONTROL, "no-store")]).into_response())
}

pub async fn introspect(
    State(state): State<AppState>,
    IssuerTenant(tenant): IssuerTenant,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, Failure> {
    let (form, client) = token_client(&state, &tenant, &headers, &meta, form, "introspect").await?;
    if client.is_public() {
        return Err(Failure::OAuth(OAuthRefusal {
            error: TokenError::new(
                OAuthError::InvalidClient,
                "introspection needs a confidential client (one with a secret)",
            ),
            basic: headers.contains_key(header::AUTHORIZATION),
        }));
    }
    let token = form.get("token").ok_or_else(|| missing_token(&headers))?;
    // Access tokens: any confidential client of the tenant (resource
    // servers) may ask. Refresh tokens: only the client they were issued to.
    if let Some(active) = active_access_token(&state, &tenant, token).await? {
        let c = &active.claims;
        let mut body = serde_json::json!({
            "active": true,
            "token_type": "access_token",
            "iss": c["iss"], "sub": c["sub"], "aud": c["aud"], "client_id": c["client_id"],
            "exp": c["exp"], "iat": c["iat"], "jti": c["jti"],
        });
        for k in ["scope", "auth_time", "acr", "amr", "sid"] {
            if let Some(v) = c.get(k) {
                body[k] = v.clone();
            }
        }
        if let Some(user) = &active.user {
            body["username"] = user.username.clone().into();
        }
        return Ok(json(StatusCode::OK, &body));
    }
    let now = state.clock().now();
    if let Some((grant, user)) =
        oidc::check_refresh_token(state.db(), state.secrets(), &client, token, now).await?
    {
        return Ok(json(
            StatusCode::OK,
            &serde_json::json!({
                "active": true,
                "token_type": "refresh_token",
                "iss": issuer(&state, &tenant),
                "sub": user.id,
                "username": user.username,
                "client_id": client.client_id,
                "scope": grant.scope,
                "exp": grant.expires_at.0,
                "iat": grant.created_at.0,
                "auth_time": grant.auth_time.0,
            }),
        ));
    }
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "active": false }),
    ))
}
