//! latchkey's HTTP surface. Handlers parse input, call one core service and
//! map the result to a response; they hold no business rules.
//!
//! Errors: handlers return [`error::WebError`], which renders a page (or JSON
//! for `/api` and health endpoints) and logs internal detail without ever
//! returning it.

mod admin;
mod api;
pub mod cookies;
pub mod csrf;
pub mod error;
mod factors;
pub mod hashing;
mod health;
mod i18n;
mod layers;
pub mod metrics;
mod oidc;
mod pages;
mod passkeys;
mod password_reset;
mod recovery;
mod state;

pub use state::{AppState, WebConfig};

use axum::Router;
use axum::routing::{get, post};

/// The metrics listener (`metrics.listen`): `GET /metrics` and nothing
/// else. The figures name every tenant, so they are never on the main
/// listener; with `token`, a scrape must also send
/// `Authorization: Bearer <token>`.
pub fn metrics_router(state: AppState, token: Option<&str>) -> Router {
    let expected = token.map(|t| latchkey_core::platform::secret::sha256_hex(t.as_bytes()));
    Router::new()
        .route(
            "/metrics",
            get(
                move |state: axum::extract::State<AppState>, headers: axum::http::HeaderMap| {
                    health::metrics(state, headers, expected.clone())
                },
            ),
        )
        .fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "not found\n") })
        .with_state(state)
}

/// An unknown address: a page, or JSON in the API's shape under `/api/`.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        api::not_found().await
    } else {
        pages::not_found().await
    }
}

/// All routes, with middleware.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(pages::index))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/latchkey.css", get(pages::stylesheet))
        .route("/static/webauthn.js", get(passkeys::script))
        .route(
            "/t/{tenant}/account/passkeys",
            post(passkeys::start_registration),
        )
        .route(
            "/t/{tenant}/account/passkeys/finish",
            post(passkeys::finish_registration),
        )
        .route(
            "/t/{tenant}/account/passkeys/{id}/rename",
            post(passkeys::rename),
        )
        .route(
            "/t/{tenant}/account/passkeys/{id}/remove",
            post(passkeys::remove),
        )
        .route(
            "/t/{tenant}/signin/passkey",
            post(passkeys::start_second_factor),
        )
        .route(
            "/t/{tenant}/signin/passkey/finish",
            post(passkeys::finish_second_factor),
        )
        .route("/t/{tenant}/reauth/passkey", post(passkeys::start_reauth))
        .route(
            "/t/{tenant}/reauth/passkey/finish",
            post(passkeys::finish_reauth),
        )
        .route(
            "/t/{tenant}/signin/passwordless",
            post(passkeys::start_passwordless),
        )
        .route(
            "/t/{tenant}/signin/passwordless/finish",
            post(passkeys::finish_passwordless),
        )
        .route("/t/{tenant}/jwks", get(health::jwks))
        .route(
            "/t/{tenant}/.well-known/openid-configuration",
            get(oidc::discovery),
        )
        .route(
            "/t/{tenant}/authorize",
            get(oidc::authorize).post(oidc::authorize_post),
        )
        .route("/t/{tenant}/authorize/consent", post(oidc::consent))
        .route("/api/t/{tenant}/recovery/stats", get(api::tenant_stats))
        .route(
            "/api/t/{tenant}/recovery/activation-request",
            post(api::request_activation),
        )
        .route(
            "/api/t/{tenant}/users/{login}/reset-factors",
            post(api::reset_factors),
        )
        .route(
            "/api/t/{tenant}/applications",
            get(api::list_applications).post(api::create_application),
        )
        .route(
            "/api/t/{tenant}/applications/{client_id}",
            get(api::show_application)
                .patch(api::update_application)
                .delete(api::delete_application),
        )
        .route(
            "/api/t/{tenant}/applications/{client_id}/secret",
            post(api::rotate_application_secret),
        )
        .route(
            "/api/operator/recovery/requests",
            get(api::operator_requests),
        )
        .route(
            "/api/operator/tenants/{tenant}/recovery/stats",
            get(api::operator_stats),
        )
        .route(
            "/api/operator/tenants/{tenant}/recovery/{action}",
            post(api::operator_recovery),
        )
        .route("/t/{tenant}/admin", get(admin::console))
        .route(
            "/t/{tenant}/admin/users/{user}/reset-factors",
            post(admin::reset_factors),
        )
        .route(
            "/t/{tenant}/admin/applications",
            post(admin::create_application),
        )
        .route(
            "/t/{tenant}/admin/applications/{client_id}",
            get(admin::application).post(admin::update_application),
        )
        .route(
            "/t/{tenant}/admin/applications/{client_id}/secret",
            post(admin::rotate_application_secret),
        )
        .route(
            "/t/{tenant}/admin/applications/{client_id}/delete",
            post(admin::delete_application),
        )
        .route(
            "/t/{tenant}/admin/second-factors",
            post(admin::second_factors),
        )
        .route("/t/{tenant}/token", post(oidc::token))
        .route(
            "/t/{tenant}/account/applications/{client}/remove",
            post(oidc::withdraw_consent),
        )
        .route(
            "/t/{tenant}/userinfo",
            get(oidc::userinfo).post(oidc::userinfo),
        )
        .route("/t/{tenant}/revoke", post(oidc::revoke))
        .route("/t/{tenant}/introspect", post(oidc::introspect))
        .route(
            "/t/{tenant}/end_session",
            get(oidc::end_session).post(oidc::end_session_post),
        )
        .route(
            "/t/{tenant}/end_session/confirm",
            post(oidc::end_session_confirm),
        )
        .route("/t/{tenant}", get(pages::tenant_home))
        .route("/t/{tenant}/", get(pages::tenant_home))
        .route(
            "/t/{tenant}/signin",
            get(pages::signin_form).post(pages::signin),
        )
        .route("/t/{tenant}/signout", post(pages::signout))
        .route(
            "/t/{tenant}/signin/otp",
            get(factors::otp_form).post(factors::otp),
        )
        .route(
            "/t/{tenant}/account/totp",
            get(factors::totp_setup).post(factors::totp_enrol),
        )
        .route(
            "/t/{tenant}/account/totp/remove",
            post(factors::totp_remove),
        )
        .route(
            "/t/{tenant}/reauth",
            get(factors::reauth_form).post(factors::reauth),
        )
        .route(
            "/t/{tenant}/signin/recovery-code",
            post(factors::recovery_code),
        )
        .route(
            "/t/{tenant}/account/recovery-codes",
            get(factors::recovery_codes_page).post(factors::recovery_codes_create),
        )
        .route(
            "/t/{tenant}/recover",
            get(recovery::start_form).post(recovery::start),
        )
        .route(
            "/t/{tenant}/recover/second-step",
            post(recovery::start_from_second_step),
        )
        .route("/t/{tenant}/recover/case", get(recovery::case))
        .route(
            "/t/{tenant}/admin/recovery-request",
            post(recovery::request_activation),
        )
        .route("/t/{tenant}/recover/proof", post(recovery::proof))
        .route("/t/{tenant}/recover/complete", post(recovery::complete))
        .route("/t/{tenant}/recover/stop", post(recovery::stop))
        .route(
            "/t/{tenant}/recover/cancel",
            get(recovery::cancel_form).post(recovery::cancel),
        )
        .route(
            "/t/{tenant}/forgot-password",
            get(password_reset::forgot_form).post(password_reset::forgot),
        )
        .route(
            "/t/{tenant}/reset-password",
            get(password_reset::reset_form).post(password_reset::reset),
        )
        .route("/t/{tenant}/account", get(pages::account))
        .route(
            "/t/{tenant}/account/password",
            get(password_reset::change_form).post(password_reset::change),
        )
        .route(
            "/t/{tenant}/account/verify-email",
            post(pages::resend_verification),
        )
        .route(
            "/t/{tenant}/verify-email",
            get(pages::verify_email_form).post(pages::verify_email),
        )
        .fallback(not_found)
        .with_state(state.clone());
    layers::wrap(routes, state)
}
