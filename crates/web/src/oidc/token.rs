//! The token endpoint (RFC 6749 §3.2): the authorization code, refresh
//! token and client credentials grants. Also how the token-style endpoints
//! read their form and authenticate the client.

use latchkey_core::platform::ids::ClientId;
use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::oidc::client::Client as OauthClient;
use latchkey_core::oidc::{self, ClientAuth, Issuer, OAuthError, TokenError, client_limit};
use latchkey_core::tenants::Tenant as TenantRecord;

use super::authorize::Params;
use crate::AppState;
use crate::app::bearer::issuer;
use crate::app::error::OAuthRefusal;
use crate::app::extract::{Client, IssuerTenant};
use crate::app::respond::json;

/// A form posted to the token-style endpoints: each parameter at most once
/// (RFC 6749 §3.2).
pub struct TokenForm {
    params: HashMap<String, String>,
    auth: ClientAuth,
}

impl TokenForm {
    /// How the client authenticates, as the request says.
    pub fn auth(&self) -> &ClientAuth {
        &self.auth
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The client id and secret of an `Authorization: Basic` header (RFC 6749
/// §2.3.1), `None` without the header.
pub fn read_basic(headers: &HeaderMap) -> Result<Option<(String, String)>, TokenError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || {
        TokenError::new(
            OAuthError::InvalidClient,
            "the Authorization header is not valid Basic authentication",
        )
    };
    let value = value.to_str().map_err(|_| bad())?;
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return Err(bad());
    };
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    // RFC 6749 §2.3.1: both parts are form-encoded before Basic.
    let unescape = |v: &str| -> Result<String, TokenError> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={v}"))
            .ok()
            .and_then(|mut p| p.pop())
            .map(|(_, v)| v)
            .ok_or_else(bad)
    };
    Ok(Some((unescape(id)?, unescape(secret)?)))
}

/// The form of a token-style endpoint (each parameter at most once) and the
/// client authentication it carries.
pub fn read_token_form(
    headers: &HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<TokenForm, TokenError> {
    let Ok(Form(pairs)) = form else {
        return Err(TokenError::new(
            OAuthError::InvalidRequest,
            "send the parameters as application/x-www-form-urlencoded in the body",
        ));
    };
    let mut params = HashMap::new();
    for (k, v) in pairs {
        if params.contains_key(&k) {
            return Err(TokenError::new(
                OAuthError::InvalidRequest,
                format!("the parameter {k} is given more than once"),
            ));
        }
        params.insert(k, v);
    }
    let auth = ClientAuth {
        basic: read_basic(headers)?,
        client_id: params
            .get("client_id")
            .filter(|v| !v.is_empty())
            .map(|v| ClientId::new(v.as_str())),
        client_secret: params
            .get("client_secret")
            .filter(|v| !v.is_empty())
            .cloned(),
        assertion_type: params.get("client_assertion_type").cloned(),
        assertion: params.get("client_assertion").cloned(),
    };
    Ok(TokenForm { params, auth })
}

/// Reads the form and authenticates the client (within the limits on
/// failures, per client and address: `core::oidc::client_limit`).
pub(super) async fn token_client(
    state: &AppState,
    tenant: &TenantRecord,
    headers: &HeaderMap,
    meta: &RequestMeta,
    form: Result<Form<Params>, FormRejection>,
    endpoint: &str,
) -> Result<(TokenForm, OauthClient), OAuthRefusal> {
    let basic = headers.contains_key(header::AUTHORIZATION);
    let failed = |error| OAuthRefusal { error, basic };
    let form = read_token_form(headers, form).map_err(failed)?;
    let iss = issuer(state, tenant);
    let token_endpoint = format!("{iss}/token");
    let this_endpoint = format!("{iss}/{endpoint}");
    let audiences = [
        iss.as_str(),
        token_endpoint.as_str(),
        this_endpoint.as_str(),
    ];
    let client = client_limit::authenticate(
        state.db(),
        state.client_limiter(),
        tenant,
        &form.auth,
        &audiences,
        meta.ip.as_deref(),
        state.clock().now(),
    )
    .await
    .map_err(failed)?;
    Ok((form, client))
}

pub async fn token(
    State(state): State<AppState>,
    IssuerTenant(tenant): IssuerTenant,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, OAuthRefusal> {
    let (form, client) = token_client(&state, &tenant, &headers, &meta, form, "token").await?;
    let basic = headers.contains_key(header::AUTHORIZATION);
    let tokens = grant(&state, &tenant, &form, &client)
        .await
        .map_err(|error| OAuthRefusal { error, basic })?;
    Ok(json(
        StatusCode::OK,
        &serde_json::to_value(&tokens).unwrap_or_default(),
    ))
}

/// The grant the form asks for.
async fn grant(
    state: &AppState,
    tenant: &TenantRecord,
    form: &TokenForm,
    client: &OauthClient,
) -> Result<oidc::TokenResponse, TokenError> {
    let keys = state.tenant_keys_for(&tenant.id, client.token_alg).await?;
    let Some(signer) = keys.for_alg(client.token_alg) else {
        return Err(TokenError::new(
            OAuthError::ServerError,
            format!("no {} key for tenant {}", client.token_alg, tenant.slug),
        ));
    };
    let iss = issuer(state, tenant);
    let issuer = Issuer {
        issuer: &iss,
        signer,
        secrets: state.secrets(),
    };
    let now = state.clock().now();
    match form.get("grant_type") {
        Some("authorization_code") => {
            let Some(code) = form.get("code") else {
                return Err(TokenError::new(
                    OAuthError::InvalidRequest,
                    "code is missing",
                ));
            };
            oidc::exchange_code(
                state.db(),
                state.random(),
                &issuer,
                client,
                code,
                form.get("redirect_uri"),
                form.get("code_verifier"),
                now,
            )
            .await
        }
        Some("refresh_token") => {
            let Some(token) = form.get("refresh_token") else {
                return Err(TokenError::new(
                    OAuthError::InvalidRequest,
                    "refresh_token is missing",
                ));
            };
            oidc::refresh(
                state.db(),
                state.random(),
                &issuer,
                client,
                token,
                form.get("scope"),
                now,
            )
            .await
        }
        Some("client_credentials") => {
            oidc::client_credentials(state.random(), &issuer, client, form.get("scope"), now)
        }
        Some(other) => Err(TokenError::new(
            OAuthError::UnsupportedGrantType,
            format!("grant_type {other} is not supported"),
        )),
        None => Err(TokenError::new(
            OAuthError::InvalidRequest,
            "grant_type is missing",
        )),
    }
}
