//! The operator console (`/operator`): tenants and their figures, creating
//! a tenant, inviting its administrator, onboarding, self-recovery on and
//! off, activation requests, surge alerts and the operator's own trail.
//!
//! Operators sign in with an account made at the command line (password
//! and authenticator code; `core::operator::console`). The console's
//! session has its own cookie, never a tenant's, and every form carries a
//! CSRF token bound to that session (or, on the sign-in page, to the
//! console alone). Handlers call the same core services as the CLI and the
//! operator API, with the console account as actor.

mod pages;
mod signin;
mod tenants;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use latchkey_core::operator::console::{self, OperatorAccount, OperatorSession};
use latchkey_core::platform::lang::Language;

use crate::AppState;
use crate::app::cookies;
use crate::app::csrf::{CsrfCookie, verify};
use crate::app::error::WebError;
use crate::app::extract::lang::negotiate;
use crate::app::paths;
use crate::app::respond::see_other;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::OPERATOR, get(tenants::list))
        .route(
            paths::OPERATOR_SIGNIN,
            get(signin::form).post(signin::sign_in),
        )
        .route(paths::OPERATOR_SIGNOUT, post(signin::sign_out))
        .route(
            paths::OPERATOR_TENANT_NEW,
            get(tenants::new_form).post(tenants::create),
        )
        .route(paths::OPERATOR_TENANT, get(tenants::show))
        .route(paths::OPERATOR_TENANT_INVITE, post(tenants::invite))
        .route(paths::OPERATOR_TENANT_UPGRADE, post(tenants::upgrade))
        .route(paths::OPERATOR_TENANT_RECOVERY, post(tenants::recovery))
        .route(paths::OPERATOR_REQUESTS, get(pages::requests))
        .route(paths::OPERATOR_TENANT_DECIDE, post(pages::decide))
        .route(paths::OPERATOR_AUDIT, get(pages::audit))
}

/// What the console's CSRF tokens name instead of a tenant: no slug can be
/// it (slugs have no ':').
const CSRF_SCOPE: &str = ":operator";

/// The console session's cookie (its own name; `Path=/` as `__Host-` needs).
fn cookie_name(state: &AppState) -> String {
    cookies::name(state.config().secure_cookies, "operator")
}

/// This browser's CSRF cookie and the console token bound to `binding`.
fn csrf_issue(state: &AppState, headers: &HeaderMap, binding: &str) -> (CsrfCookie, String) {
    let config = state.config();
    let cookie = CsrfCookie::from_request(headers, config.secure_cookies, state.random());
    let token = cookie.token(&config.secret_key, CSRF_SCOPE, binding);
    (cookie, token)
}

/// Refuses a form whose token is not this browser's for `binding`.
fn csrf_check(
    state: &AppState,
    headers: &HeaderMap,
    binding: &str,
    submitted: &str,
) -> Result<(), WebError> {
    let config = state.config();
    if verify(
        headers,
        config.secure_cookies,
        &config.secret_key,
        CSRF_SCOPE,
        binding,
        submitted,
    ) {
        Ok(())
    } else {
        Err(WebError::Csrf)
    }
}

/// The console's language: the one chosen with the header's switcher,
/// else the browser's (`Accept-Language`), else English — never a
/// tenant's, even on a tenant's page.
fn language(headers: &HeaderMap) -> Language {
    crate::app::context::chosen().unwrap_or_else(|| negotiate(headers, Language::En))
}

/// A signed-in operator: their console session and account. A browser
/// without one is sent to the console's sign-in.
pub(crate) struct Console {
    pub session: OperatorSession,
    pub account: OperatorAccount,
    /// The pages' language (see [`language`]).
    pub lang: Language,
}

impl Console {
    /// What this session's forms' CSRF tokens are bound to.
    fn binding(&self) -> &str {
        self.session.id_hash.as_str()
    }
}

impl FromRequestParts<AppState> for Console {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(presented) = cookies::get(&parts.headers, &cookie_name(state)) else {
            return Err(see_other(paths::OPERATOR_SIGNIN));
        };
        match console::session(state.db(), &presented, state.clock().now()).await {
            Ok(Some((session, account))) => Ok(Console {
                session,
                account,
                lang: language(&parts.headers),
            }),
            Ok(None) => Err(see_other(paths::OPERATOR_SIGNIN)),
            Err(err) => Err(WebError::from(err).into_response()),
        }
    }
}
