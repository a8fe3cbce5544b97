//! The OpenID Connect endpoints of a tenant, one file each: discovery and
//! keys, authorize (with the consent page), token, revocation and
//! introspection, userinfo, and RP-initiated logout. The rules are in
//! `core::oidc`; this module reads requests and writes the answers the RFCs
//! prescribe.

mod authorize;
mod consent;
mod discovery;
mod introspect;
mod logout;
pub(crate) mod token;
mod userinfo;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use latchkey_core::tenants::Tenant;

use crate::AppState;
use crate::app::error::{MessagePage, html};
use crate::app::extract::lang::of_visitor;
use crate::app::paths;
use crate::i18n::{self, Texts};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::DISCOVERY, get(discovery::discovery))
        .route(paths::JWKS, get(discovery::jwks))
        .route(
            paths::AUTHORIZE,
            get(authorize::authorize).post(authorize::authorize_post),
        )
        .route(paths::AUTHORIZE_CONSENT, post(consent::consent))
        .route(paths::TOKEN, post(token::token))
        .route(paths::REVOKE, post(introspect::revoke))
        .route(paths::INTROSPECT, post(introspect::introspect))
        .route(
            paths::USERINFO,
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
        .route(
            paths::END_SESSION,
            get(logout::end_session).post(logout::end_session_post),
        )
        .route(paths::END_SESSION_CONFIRM, post(logout::confirm))
}

/// The pages' text: these pages speak the browser's language, else the
/// tenant's (an application sends people here before anyone is known).
fn text(headers: &HeaderMap, tenant: &Tenant) -> Texts {
    i18n::texts(of_visitor(headers, tenant))
}

/// A request the application got wrong, shown to the person (it cannot be
/// sent back to an address not yet checked).
fn request_error_page(headers: &HeaderMap, tenant: &Tenant, detail: &str) -> Response {
    let t = text(headers, tenant);
    let (title, text) = (t.get("oidc-request-title"), t.get("oidc-request-text"));
    html(
        StatusCode::BAD_REQUEST,
        &MessagePage::new(t, &title, &text).details(vec![detail.to_owned()]),
    )
}
