//! Adding, renaming and removing passkeys on the account page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::factors::passkey::{self, Answer, RelyingParty};
use latchkey_core::platform::ids::PasskeyId;

use super::{PageParts, PasskeyForm, ceremony_page, relying_party};
use crate::AppState;
use crate::app::browser;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Client, CsrfForm, SignedIn};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::factors::reauth_redirect;
use crate::i18n;

fn registration_parts(me: &SignedIn, name: &str) -> PageParts {
    let t = i18n::texts(me.lang);
    PageParts {
        t,
        heading: t.get("step-register-heading"),
        intro: t.get("step-register-intro"),
        button: t.get("step-register-button"),
        mode: "create",
        action: paths::passkeys_finish(&me.tenant),
        cancel: paths::account(&me.tenant),
        name: name.to_owned(),
        return_to: String::new(),
    }
}

async fn registration_page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    me: &SignedIn,
    name: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let started =
        passkey::start_registration(&state.env(), rp, &me.tenant, &me.user, &me.session, name)
            .await;
    match started {
        Ok(started) => Ok(ceremony_page(
            state,
            csrf::issue(state, headers, &me.tenant, me.session.id_hash.as_str()),
            &me.tenant,
            started,
            registration_parts(me, name),
            failure,
        )),
        Err(Error::ReauthRequired) => Ok(reauth_redirect(&me.tenant, "account")),
        Err(other) => Err(other.into()),
    }
}

/// The account page's "Add a passkey" form: starts a registration.
pub async fn start(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let rp = relying_party(&state)?;
    let name = if form.name.trim().is_empty() {
        default_name(&me, &headers)
    } else {
        form.name.clone()
    };
    registration_page(&state, &headers, rp, &me, &name, None).await
}

/// The name of a passkey added without one: "Passkey (Chrome on macOS)",
/// from the browser adding it, in the person's language; "Passkey" where
/// the browser names itself in no way we know.
fn default_name(me: &SignedIn, headers: &HeaderMap) -> String {
    let t = i18n::texts(me.lang);
    let device = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(latchkey_core::platform::client::device)
        .filter(|d| d.browser.is_some() || d.system.is_some());
    match device {
        Some(device) => t.with1("account-passkey-default-name", "device", &t.device(device)),
        None => t.get("account-passkey-default"),
    }
}

/// The browser's answer to a registration.
pub async fn finish(
    State(state): State<AppState>,
    Client(meta): Client,
    me: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let rp = relying_party(&state)?;
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    let (tenant, user, session) = (&me.tenant, &me.user, &me.session);
    match passkey::finish_registration(&state.env(), rp, tenant, user, session, answer, &meta).await
    {
        // A first second factor is followed by recovery codes, for the day
        // it is lost.
        Ok(_) => {
            crate::factors::recovery_codes::after_factor(&state, &headers, &me, &meta, "passkey")
                .await
        }
        Err(Error::ReauthRequired) => Ok(reauth_redirect(tenant, "account")),
        // Another try, with a new challenge (unless the name itself is bad).
        Err(err @ (Error::Invalid(_) | Error::Conflict(_)))
            if passkey::parse_name(&form.name).is_ok() =>
        {
            let message = match err {
                Error::Invalid(errors) => i18n::texts(me.lang).say_first(&errors),
                Error::Conflict(e) => i18n::texts(me.lang).say_first(&[e]),
                _ => String::new(),
            };
            let failure = Some((StatusCode::BAD_REQUEST, message));
            registration_page(&state, &headers, rp, &me, &form.name, failure).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Renames one of the user's passkeys.
pub async fn rename(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, PasskeyId)>,
    Client(meta): Client,
    me: SignedIn,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    passkey::rename(&state.env(), &me.tenant, &me.user, &id, &form.name, &meta).await?;
    Ok(see_other(&paths::account(&me.tenant)))
}

/// Removes one of the user's passkeys (after a recent sign-in). Every other
/// session of the user ends with it; this one stays under a new cookie.
pub async fn remove(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, PasskeyId)>,
    Client(meta): Client,
    me: SignedIn,
    CsrfForm(_): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let removed =
        passkey::remove(&state.env(), &me.tenant, &me.user, &me.session, &id, &meta).await;
    match removed {
        Ok(token) => {
            let mut response = see_other(&paths::account_with(&me.tenant, "done=passkey-removed"));
            browser::set_session(&state, &me.tenant, &mut response, &token);
            Ok(response)
        }
        Err(Error::ReauthRequired) => Ok(reauth_redirect(
            &me.tenant,
            &format!("account/passkeys/{id}/remove"),
        )),
        Err(other) => Err(other.into()),
    }
}
