//! Confirming a recent sign-in before a sensitive change: the password, and
//! the app's code or a recovery code where the user has one (or a passkey:
//! see `passkeys::reauth`).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::password::Password;
use latchkey_core::signin;
use latchkey_core::store::{PasskeyStore, RecoveryCodeStore, TotpStore};
use serde::Deserialize;

use super::{CodeFailure, ReturnTo};
use crate::AppState;
use crate::app::browser;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, SignedIn};
use crate::app::form::{FormError, outcome_on};
use crate::app::respond::{safe_return_to, see_other};
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "reauth.html")]
struct ReauthPage<'a> {
    t: Texts,
    /// The user has an authenticator app, so its code is asked too.
    has_app: bool,
    /// The user can confirm with a passkey (and, without an app, must —
    /// or use a recovery code with the password).
    has_passkey: bool,
    /// The user holds unused recovery codes, which stand in for the app's
    /// code or the passkey.
    has_codes: bool,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    username: &'a str,
    csrf: String,
    return_to: String,
    error: Option<FormError>,
}

pub(crate) async fn reauth_page(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    return_to: String,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (status, error) = outcome_on(&["password", "code"], failure);
    let has_app = state.db().totp_for_user(&me.user.id).await?.is_some();
    let has_passkey = state.relying_party().is_some()
        && state
            .db()
            .passkeys_for_user(&me.user.id)
            .await?
            .iter()
            .any(|p| p.signs_in());
    let has_codes = state.db().unused_recovery_codes(&me.user.id).await? > 0;
    let (cookie, token) = csrf::issue(state, headers, &me.tenant, me.session.id_hash.as_str());
    let page = ReauthPage {
        t: i18n::texts(me.lang),
        has_app,
        has_passkey,
        has_codes,
        tenant_name: &me.tenant.display_name,
        tenant_slug: me.tenant.slug.as_str(),
        username: &me.user.username,
        csrf: token,
        return_to,
        error,
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

pub async fn form(
    State(state): State<AppState>,
    me: SignedIn,
    query: Result<Query<ReturnTo>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let return_to = query.ok().and_then(|Query(q)| q.return_to);
    let return_to = safe_return_to(&me.tenant, return_to.as_deref());
    reauth_page(&state, &headers, &me, return_to, None).await
}

#[derive(Deserialize, Default)]
pub struct ReauthForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    code: Option<String>,
    return_to: Option<String>,
}

csrf_field!(Binding::Session => ReauthForm);

pub async fn confirm(
    State(state): State<AppState>,
    Client(meta): Client,
    me: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ReauthForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(&me.tenant, form.return_to.as_deref());
    let t = i18n::texts(me.lang);
    if form.password.is_empty() || form.password.len() > 1024 {
        let failure = Some((StatusCode::BAD_REQUEST, t.get("step-enter-password")));
        return reauth_page(&state, &headers, &me, return_to, failure).await;
    }
    let proof = signin::Reauth {
        password: Password::presented(&form.password),
        code: form.code.clone(),
    };
    let limits = state.config().signin_limits;
    let device = browser::device(&state, &headers, &me.tenant);
    let result = signin::reauthenticate(
        &state.env(),
        &me.tenant,
        &me.user,
        &me.session,
        proof,
        device.as_deref(),
        &meta,
        &limits,
    )
    .await;
    let failure = match result {
        Ok(token) => {
            let mut response = see_other(&return_to);
            browser::set_session(&state, &me.tenant, &mut response, &token);
            return Ok(response);
        }
        Err(Error::InvalidCredentials) => {
            CodeFailure::page(StatusCode::UNAUTHORIZED, t.get("step-wrong-password"))
        }
        Err(Error::InvalidCode) => {
            CodeFailure::page(StatusCode::UNAUTHORIZED, t.get("step-wrong-app-code"))
        }
        Err(err @ Error::RateLimited { .. }) => {
            let failure = CodeFailure::from(err, me.lang)?;
            CodeFailure {
                message: failure.at_prompt(me.lang, false),
                ..failure
            }
        }
        Err(other) => return Err(other.into()),
    };
    let page = reauth_page(
        &state,
        &headers,
        &me,
        return_to,
        Some((failure.status, failure.message.clone())),
    )
    .await?;
    Ok(failure.apply(page))
}
