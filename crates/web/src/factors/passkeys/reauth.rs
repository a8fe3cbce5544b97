//! "Confirm with my passkey" on the re-authentication page.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::factors::passkey::{self, Answer, RelyingParty};

use super::{PageParts, PasskeyForm, ceremony_page, relying_party};
use crate::AppState;
use crate::app::error::WebError;
use crate::app::extract::{Client, CsrfForm, SignedIn};
use crate::app::paths;
use crate::app::respond::{safe_return_to, see_other};
use crate::app::{browser, csrf};
use crate::factors::reauth::reauth_page;
use crate::i18n;

fn parts(me: &SignedIn, return_to: &str) -> PageParts {
    let t = i18n::texts(me.lang);
    PageParts {
        t,
        heading: t.get("step-reauth-heading"),
        intro: t.get("step-second-intro"),
        button: t.get("step-second-button"),
        mode: "get",
        action: paths::reauth_passkey_finish(&me.tenant),
        cancel: paths::account(&me.tenant),
        name: String::new(),
        return_to: return_to.to_owned(),
    }
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    me: &SignedIn,
    return_to: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let started =
        match passkey::start_reauth(&state.env(), rp, &me.tenant, &me.user, &me.session).await {
            Ok(started) => started,
            // As at the second step: no passkey left that may sign in.
            Err(Error::NotFound("passkey")) if failure.is_some() => {
                return reauth_page(state, headers, me, return_to.to_owned(), failure).await;
            }
            Err(other) => return Err(other.into()),
        };
    Ok(ceremony_page(
        state,
        csrf::issue(state, headers, &me.tenant, me.session.id_hash.as_str()),
        &me.tenant,
        started,
        parts(me, return_to),
        failure,
    ))
}

pub async fn start(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&me.tenant, form.return_to.as_deref());
    page(&state, &headers, rp, &me, &return_to, None).await
}

/// The browser's answer to a re-authentication.
pub async fn finish(
    State(state): State<AppState>,
    Client(meta): Client,
    me: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&me.tenant, form.return_to.as_deref());
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    let (tenant, user, session) = (&me.tenant, &me.user, &me.session);
    let failure = match passkey::finish_reauth(
        &state.env(),
        rp,
        tenant,
        user,
        session,
        answer,
        &meta,
    )
    .await
    {
        Ok(token) => {
            let mut response = see_other(&return_to);
            browser::set_session(&state, tenant, &mut response, &token);
            return Ok(response);
        }
        Err(Error::InvalidCode) => (
            StatusCode::UNAUTHORIZED,
            i18n::texts(me.lang).get("step-passkey-retry"),
        ),
        Err(Error::Invalid(errors)) => (
            StatusCode::BAD_REQUEST,
            i18n::texts(me.lang).say_first(&errors),
        ),
        Err(other) => return Err(other.into()),
    };
    page(&state, &headers, rp, &me, &return_to, Some(failure)).await
}
