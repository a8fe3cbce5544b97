//! Discovery (OpenID Connect Discovery 1.0) and the tenant's keys.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use latchkey_core::oidc;
use latchkey_core::oidc::signing::Alg;
use latchkey_core::store::SigningKeyStore;

use crate::AppState;
use crate::app::bearer::issuer;
use crate::app::error::WebError;
use crate::app::extract::Tenant;

pub async fn discovery(State(state): State<AppState>, Tenant(tenant): Tenant) -> Response {
    let iss = issuer(&state, &tenant);
    let body = serde_json::json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "jwks_uri": format!("{iss}/jwks"),
        "revocation_endpoint": format!("{iss}/revoke"),
        "introspection_endpoint": format!("{iss}/introspect"),
        "end_session_endpoint": format!("{iss}/end_session"),
        "scopes_supported": oidc::Scope::ALL,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": Alg::ALL,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": Alg::ALL,
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "acr_values_supported": ["1", "2"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid",
            "at_hash", "email", "email_verified", "name", "preferred_username", "locale", "updated_at"
        ],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The tenant's JSON Web Key Set: the keys that sign its tokens.
pub async fn jwks(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
) -> Result<Response, WebError> {
    // Read each time (public keys only; a rotation elsewhere shows at once);
    // a tenant without keys gets its first one.
    let mut keys = state.db().signing_keys(&tenant.id).await?;
    if keys.is_empty() {
        keys = state.tenant_keys(&tenant.id, false).await?.keys.clone();
    }
    let body = oidc::signing::jwks(&keys, state.clock().now());
    Ok((
        [
            (header::CONTENT_TYPE, "application/jwk-set+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body.to_string(),
    )
        .into_response())
}
