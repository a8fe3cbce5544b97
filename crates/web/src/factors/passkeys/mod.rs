//! Passkeys and security keys: adding, renaming and removing them on the
//! account page, the second sign-in step with one, confirming a recent
//! sign-in with one, and sign-in with a passkey alone where the tenant
//! allows it.
//!
//! Each ceremony is two requests: a form post starts it and renders a page
//! that carries the options; `/static/webauthn.js` asks the browser for the
//! credential and posts its answer as an ordinary form. Without JavaScript
//! the page says so; every other way to sign in stays available.

mod passwordless;
mod reauth;
mod register;
mod second_step;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use latchkey_core::Error;
use latchkey_core::factors::passkey::{RelyingParty, Started};
use latchkey_core::tenants::Tenant;
use serde::Deserialize;

use crate::AppState;
use crate::app::csrf::{self, Binding, CsrfCookie};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::form::{FormError, outcome_on};
use crate::app::paths;
use crate::i18n::Texts;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::PASSKEYS, post(register::start))
        .route(paths::PASSKEYS_FINISH, post(register::finish))
        .route(paths::PASSKEY_RENAME, post(register::rename))
        .route(
            paths::PASSKEY_REMOVE,
            get(super::removal::confirm_passkey).post(register::remove),
        )
        .route(paths::SIGNIN_PASSKEY, post(second_step::start))
        .route(paths::SIGNIN_PASSKEY_FINISH, post(second_step::finish))
        .route(paths::REAUTH_PASSKEY, post(reauth::start))
        .route(paths::REAUTH_PASSKEY_FINISH, post(reauth::finish))
        .route(paths::SIGNIN_PASSWORDLESS, post(passwordless::start))
        .route(
            paths::SIGNIN_PASSWORDLESS_AUTOFILL,
            post(passwordless::autofill),
        )
        .route(
            paths::SIGNIN_PASSWORDLESS_FINISH,
            post(passwordless::finish),
        )
}

/// The page that runs one ceremony in the browser.
#[derive(Template)]
#[template(path = "webauthn.html")]
struct CeremonyPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    heading: String,
    intro: String,
    button: String,
    /// `create` (registration) or `get` (sign-in).
    mode: &'a str,
    action: String,
    cancel: String,
    csrf: String,
    ceremony: String,
    options: String,
    /// The new passkey's name (registration).
    name: String,
    return_to: String,
    error: Option<FormError>,
}

/// What differs between the ceremonies' pages.
struct PageParts {
    t: Texts,
    heading: String,
    intro: String,
    button: String,
    mode: &'static str,
    action: String,
    cancel: String,
    name: String,
    return_to: String,
}

fn ceremony_page(
    state: &AppState,
    csrf: (CsrfCookie, String),
    tenant: &Tenant,
    started: Started,
    parts: PageParts,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = outcome_on(&[], failure);
    let (cookie, token) = csrf;
    let page = CeremonyPage {
        t: parts.t,
        tenant_name: &tenant.display_name,
        heading: parts.heading,
        intro: parts.intro,
        button: parts.button,
        mode: parts.mode,
        action: parts.action,
        cancel: parts.cancel,
        csrf: token,
        ceremony: started.ceremony.expose().to_owned(),
        options: started.options,
        name: parts.name,
        return_to: parts.return_to,
        error,
    };
    // (Cache-Control: no-store comes with every page; see layers.)
    csrf::render(state, status, &page, &cookie)
}

fn relying_party(state: &AppState) -> Result<&RelyingParty, WebError> {
    state.relying_party().ok_or_else(|| {
        Error::said(
            "passkey",
            latchkey_core::platform::validate::Said::PasskeysUnavailable,
        )
        .into()
    })
}

/// The forms of a signed-in user or a sign-in at its second step.
#[derive(Deserialize, Default)]
pub struct PasskeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    response: String,
    return_to: Option<String>,
}

/// The forms of the sign-in with a passkey alone (no session yet).
#[derive(Deserialize, Default)]
pub struct PasswordlessForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    response: String,
    return_to: Option<String>,
}

csrf_field!(Binding::Session => PasskeyForm);
csrf_field!(csrf::SIGN_IN => PasswordlessForm);
