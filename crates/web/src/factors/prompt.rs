//! The second sign-in step: a code from the authenticator app or a
//! recovery code (passkeys are in `passkeys::second_step`).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::factors::{recovery_codes, totp};
use latchkey_core::store::{PasskeyStore, TotpStore};

use super::{CodeFailure, CodeForm, ReturnTo, code_offer, signed_in_as};
use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Client, CsrfForm, PendingStep};
use crate::app::form::{FormError, error_for};
use crate::app::respond::{leaves, safe_return_to};
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "otp.html")]
struct OtpPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    return_to: String,
    error: Option<FormError>,
    has_app: bool,
    has_passkey: bool,
    /// The user has passkeys, but this server cannot offer them now.
    passkeys_offline: bool,
}

/// The prompt; `failure` is the status and message of a failed attempt.
pub(crate) async fn otp_page(
    state: &AppState,
    headers: &HeaderMap,
    step: &PendingStep,
    return_to: String,
    failure: Option<(StatusCode, FormError)>,
) -> Result<Response, WebError> {
    let (status, error) = match failure {
        Some((status, error)) => (status, Some(error)),
        None => (StatusCode::OK, None),
    };
    let (cookie, token) = csrf::issue(state, headers, &step.tenant, step.session.id_hash.as_str());
    // A passkey marked as a suspected copy is not offered.
    let owns_passkey = state
        .db()
        .passkeys_for_user(&step.user.id)
        .await?
        .iter()
        .any(|p| p.signs_in());
    let has_passkey = state.relying_party().is_some() && owns_passkey;
    let page = OtpPage {
        t: i18n::texts(step.lang),
        passkeys_offline: owns_passkey && !has_passkey,
        tenant_name: &step.tenant.display_name,
        tenant_slug: step.tenant.slug.as_str(),
        csrf: token,
        return_to,
        error,
        has_app: state.db().totp_for_user(&step.user.id).await?.is_some(),
        has_passkey,
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

pub async fn otp_form(
    State(state): State<AppState>,
    step: PendingStep,
    query: Result<Query<ReturnTo>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let return_to = query.ok().and_then(|Query(q)| q.return_to);
    let return_to = safe_return_to(&step.tenant, return_to.as_deref());
    otp_page(&state, &headers, &step, return_to, None).await
}

/// The code from the authenticator app.
pub async fn otp(
    State(state): State<AppState>,
    Client(meta): Client,
    step: PendingStep,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(&step.tenant, form.return_to.as_deref());
    let policy = state.config().session;
    let second = totp::SecondStep {
        tenant: &step.tenant,
        user: &step.user,
        session: &step.session,
        meta: &meta,
        policy: &policy,
    };
    match totp::complete_sign_in(&state.env(), &second, &form.code).await {
        Ok(token) => signed_in_as(&state, &headers, &step, &meta, &token, &return_to).await,
        Err(err) => failed(&state, &headers, &step, return_to, err, false).await,
    }
}

/// A recovery code instead of the second factor.
pub async fn recovery_code(
    State(state): State<AppState>,
    Client(meta): Client,
    step: PendingStep,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(&step.tenant, form.return_to.as_deref());
    let policy = state.config().session;
    let second = totp::SecondStep {
        tenant: &step.tenant,
        user: &step.user,
        session: &step.session,
        meta: &meta,
        policy: &policy,
    };
    match recovery_codes::complete_sign_in(&state.env(), &second, &form.code).await {
        Ok(token) => {
            // A used code is offered a fresh set at once — unless an
            // application waits for this sign-in: it goes first, and the
            // account page makes the offer (decision 0031).
            let next = if leaves(&return_to) {
                return_to
            } else {
                code_offer::offer_path(&step.tenant, &return_to)
            };
            signed_in_as(&state, &headers, &step, &meta, &token, &next).await
        }
        Err(err) => failed(&state, &headers, &step, return_to, err, true).await,
    }
}

/// The prompt again after a wrong code (or too many).
async fn failed(
    state: &AppState,
    headers: &HeaderMap,
    step: &PendingStep,
    return_to: String,
    err: latchkey_core::Error,
    recovery_code: bool,
) -> Result<Response, WebError> {
    let failure = CodeFailure::from(err, step.lang)?;
    let message = failure.at_prompt(step.lang, recovery_code);
    let field = if recovery_code { "recovery" } else { "code" };
    let error = error_for(failure.status, &[field], message);
    let page = otp_page(
        state,
        headers,
        step,
        return_to,
        Some((failure.status, error)),
    )
    .await?;
    Ok(failure.apply(page))
}
