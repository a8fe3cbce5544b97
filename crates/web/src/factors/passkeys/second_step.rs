//! "Use my passkey" at the second sign-in step.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::factors::passkey::{self, Answer, RelyingParty};
use latchkey_core::factors::totp::SecondStep;

use super::{PageParts, PasskeyForm, ceremony_page, relying_party};
use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Client, CsrfForm, PendingStep};
use crate::app::form::FormError;
use crate::app::paths;
use crate::app::respond::safe_return_to;
use crate::factors::prompt::otp_page;
use crate::factors::signed_in_as;
use crate::i18n;

fn parts(step: &PendingStep, return_to: &str) -> PageParts {
    let t = i18n::texts(step.lang);
    PageParts {
        t,
        heading: t.get("step-second-heading"),
        intro: t.get("step-second-intro"),
        button: t.get("step-second-button"),
        mode: "get",
        action: paths::signin_passkey_finish(&step.tenant),
        cancel: paths::second_step(&step.tenant, return_to),
        name: String::new(),
        return_to: return_to.to_owned(),
    }
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    step: &PendingStep,
    second: &SecondStep<'_>,
    return_to: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let started = match passkey::start_second_factor(&state.env(), rp, second).await {
        Ok(started) => started,
        // After a failure no passkey may sign in any more (the one used was
        // just marked as a copy): back to the prompt and its other ways.
        Err(Error::NotFound("passkey")) if failure.is_some() => {
            let failure = failure.map(|(status, text)| (status, FormError::general(text)));
            return otp_page(state, headers, step, return_to.to_owned(), failure).await;
        }
        Err(other) => return Err(other.into()),
    };
    Ok(ceremony_page(
        state,
        csrf::issue(state, headers, &step.tenant, step.session.id_hash.as_str()),
        &step.tenant,
        started,
        parts(step, return_to),
        failure,
    ))
}

pub async fn start(
    State(state): State<AppState>,
    Client(meta): Client,
    step: PendingStep,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(&step.tenant, form.return_to.as_deref());
    let rp = relying_party(&state)?;
    let policy = state.config().session;
    let second = SecondStep {
        tenant: &step.tenant,
        user: &step.user,
        session: &step.session,
        meta: &meta,
        policy: &policy,
    };
    page(&state, &headers, rp, &step, &second, &return_to, None).await
}

/// The browser's answer at the second sign-in step.
pub async fn finish(
    State(state): State<AppState>,
    Client(meta): Client,
    step: PendingStep,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(&step.tenant, form.return_to.as_deref());
    let rp = relying_party(&state)?;
    let policy = state.config().session;
    let second = SecondStep {
        tenant: &step.tenant,
        user: &step.user,
        session: &step.session,
        meta: &meta,
        policy: &policy,
    };
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    let failure = match passkey::complete_second_factor(&state.env(), rp, &second, answer).await {
        Ok(token) => {
            return signed_in_as(&state, &headers, &step, &meta, &token, &return_to).await;
        }
        Err(Error::Invalid(errors)) => (
            StatusCode::BAD_REQUEST,
            i18n::texts(step.lang).say_first(&errors),
        ),
        Err(Error::InvalidCode) => (
            StatusCode::UNAUTHORIZED,
            i18n::texts(step.lang).get("step-passkey-failed"),
        ),
        Err(other) => return Err(other.into()),
    };
    page(
        &state,
        &headers,
        rp,
        &step,
        &second,
        &return_to,
        Some(failure),
    )
    .await
}
