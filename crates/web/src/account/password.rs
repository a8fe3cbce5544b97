//! Changing one's password while signed in (`core::accounts::password_change`).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::factors::totp::require_recent_auth;
use serde::Deserialize;

use crate::AppState;
use crate::app::browser;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, Enrolled, SignedIn};
use crate::app::form::{FormError, outcome_on};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "password.html")]
struct ChangePage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    username: &'a str,
    csrf: String,
    error: Option<FormError>,
}

fn change_page(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (cookie, token) = csrf::issue(state, headers, &me.tenant, me.session.id_hash.as_str());
    let (status, error) = outcome_on(&["password", "repeat"], failure);
    let page = ChangePage {
        t: i18n::texts(me.lang),
        tenant_name: &me.tenant.display_name,
        tenant_slug: me.tenant.slug.as_str(),
        username: &me.user.username,
        csrf: token,
        error,
    };
    csrf::render(state, status, &page, &cookie)
}

/// The form for a new password; a sign-in older than ten minutes is
/// confirmed first.
pub async fn change_form(
    State(state): State<AppState>,
    Enrolled(me): Enrolled,
    headers: HeaderMap,
) -> Response {
    if require_recent_auth(&me.session, state.clock().now()).is_err() {
        return see_other(&paths::reauth(&me.tenant, "account/password"));
    }
    change_page(&state, &headers, &me, None)
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

csrf_field!(Binding::Session => ChangeForm);

pub async fn change(
    State(state): State<AppState>,
    Client(meta): Client,
    Enrolled(me): Enrolled,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ChangeForm>,
) -> Result<Response, WebError> {
    if form.password != form.repeat {
        let text = i18n::texts(me.lang)
            .get("account-passwords-differ-account")
            .to_owned();
        let failure = Some((StatusCode::BAD_REQUEST, text));
        return Ok(change_page(&state, &headers, &me, failure));
    }
    let changed = latchkey_core::accounts::password_change::change(
        &state.env(),
        &me.tenant,
        &me.user,
        &me.session,
        &form.password,
        &meta,
    )
    .await;
    match changed {
        Ok(token) => {
            // the session goes on under its new id
            let mut response = see_other(&paths::account_with(&me.tenant, "password=1"));
            browser::set_session(&state, &me.tenant, &mut response, &token);
            Ok(response)
        }
        Err(Error::ReauthRequired) => Ok(see_other(&paths::reauth(&me.tenant, "account/password"))),
        Err(Error::Invalid(errors)) => {
            let failure = Some((
                StatusCode::BAD_REQUEST,
                i18n::texts(me.lang).say_all(&errors),
            ));
            Ok(change_page(&state, &headers, &me, failure))
        }
        Err(other) => Err(other.into()),
    }
}
