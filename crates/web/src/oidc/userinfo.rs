//! The userinfo endpoint: the claims of the user an access token speaks for.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::oidc::{self, OAuthError, Scope};

use crate::AppState;
use crate::app::bearer::active_access_token;
use crate::app::error::WebError;
use crate::app::extract::IssuerTenant;
use crate::app::respond::json;

fn bearer_error(error: Option<OAuthError>, status: StatusCode) -> Response {
    let challenge = match error {
        Some(e) => format!("Bearer realm=\"latchkey\", error=\"{}\"", e.as_str()),
        None => "Bearer realm=\"latchkey\"".to_owned(),
    };
    let mut response = (status, [(header::CACHE_CONTROL, "no-store")]).into_response();
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

pub async fn userinfo(
    State(state): State<AppState>,
    IssuerTenant(tenant): IssuerTenant,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
    else {
        return Ok(bearer_error(None, StatusCode::UNAUTHORIZED));
    };
    let Some(active) = active_access_token(&state, &tenant, token.trim()).await? else {
        return Ok(bearer_error(
            Some(OAuthError::InvalidToken),
            StatusCode::UNAUTHORIZED,
        ));
    };
    let (Some(user), Some(_)) = (&active.user, &active.grant) else {
        // A client-credentials token speaks for no user.
        return Ok(bearer_error(
            Some(OAuthError::InsufficientScope),
            StatusCode::FORBIDDEN,
        ));
    };
    // The token's own scope, not its grant's: a refresh may have issued it
    // with less (a narrower request, or a scope its application lost).
    let scope = active.claims["scope"].as_str().unwrap_or_default();
    if !oidc::scope::has(scope, Scope::OpenId) {
        return Ok(bearer_error(
            Some(OAuthError::InsufficientScope),
            StatusCode::FORBIDDEN,
        ));
    }
    let mut body = serde_json::json!({ "sub": user.id });
    for (k, v) in oidc::user_claims(user, scope) {
        body[k] = v;
    }
    Ok(json(StatusCode::OK, &body))
}
