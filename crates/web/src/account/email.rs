//! The signed-in person's address: a new confirmation link for it, and
//! changing it (`core::accounts::email_change`): the form behind a recent
//! sign-in, and cancelling an open change.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::email_change;
use latchkey_core::effects::audit::Actor;
use latchkey_core::factors::totp::require_recent_auth;
use serde::Deserialize;

use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Button, Client, CsrfForm, Enrolled, SignedIn};
use crate::app::form::{FormError, outcome_on};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::{self, Texts};

pub async fn resend(
    State(state): State<AppState>,
    Client(meta): Client,
    Enrolled(me): Enrolled,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    latchkey_core::accounts::email::send(
        &state.env(),
        &me.tenant,
        &me.user,
        Actor::User(me.user.id.clone()),
        &meta,
    )
    .await?;
    Ok(see_other(&paths::account_with(
        &me.tenant,
        "sent=verification",
    )))
}

#[derive(Template)]
#[template(path = "email_change.html")]
struct ChangePage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    current: &'a str,
    /// What was typed, kept after an error.
    typed: &'a str,
    csrf: String,
    error: Option<FormError>,
}

fn change_page(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    typed: &str,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (cookie, token) = csrf::issue(state, headers, &me.tenant, me.session.id_hash.as_str());
    let (status, error) = outcome_on(&["email"], failure);
    let page = ChangePage {
        t: i18n::texts(me.lang),
        tenant_name: &me.tenant.display_name,
        tenant_slug: me.tenant.slug.as_str(),
        current: &me.user.email,
        typed,
        csrf: token,
        error,
    };
    csrf::render(state, status, &page, &cookie)
}

/// The form for a new address; a sign-in older than ten minutes is
/// confirmed first.
pub async fn change_form(
    State(state): State<AppState>,
    Enrolled(me): Enrolled,
    headers: HeaderMap,
) -> Response {
    if require_recent_auth(&me.session, state.clock().now()).is_err() {
        return see_other(&paths::reauth(&me.tenant, "account/email"));
    }
    change_page(&state, &headers, &me, "", None)
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

csrf_field!(Binding::Session => ChangeForm);

/// Names the new address: the link goes there, the old one is told; back
/// to the account page, which shows the open change.
pub async fn change(
    State(state): State<AppState>,
    Client(meta): Client,
    Enrolled(me): Enrolled,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ChangeForm>,
) -> Result<Response, WebError> {
    let typed: String = form.email.chars().take(320).collect();
    let requested = email_change::request(
        &state.env(),
        &me.tenant,
        &me.user,
        &me.session,
        &typed,
        &meta,
    )
    .await;
    match requested {
        Ok(_) => Ok(see_other(&paths::account_with(&me.tenant, "email=sent"))),
        Err(Error::ReauthRequired) => Ok(see_other(&paths::reauth(&me.tenant, "account/email"))),
        Err(Error::Invalid(errors)) => {
            let failure = Some((
                StatusCode::BAD_REQUEST,
                i18n::texts(me.lang).say_all(&errors),
            ));
            Ok(change_page(&state, &headers, &me, &typed, failure))
        }
        // said beside the field, the address kept
        Err(Error::RateLimited { retry_after_secs }) => {
            let text = i18n::texts(me.lang).try_again("error-limit-text", retry_after_secs);
            let failure = Some((StatusCode::TOO_MANY_REQUESTS, text));
            Ok(change_page(&state, &headers, &me, &typed, failure))
        }
        Err(other) => Err(other.into()),
    }
}

/// Cancels the open change (its link stops working).
pub async fn cancel(
    State(state): State<AppState>,
    Client(meta): Client,
    Enrolled(me): Enrolled,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    email_change::cancel(&state.env(), &me.tenant, &me.user, &meta).await?;
    Ok(see_other(&paths::account_with(
        &me.tenant,
        "email=cancelled",
    )))
}
