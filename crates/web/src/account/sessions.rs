//! "Where you are signed in" (`core::accounts::browsers`): the person's
//! browsers, signing one out, signing out everywhere else — behind the
//! recent sign-in that every change guarding the account needs.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::browsers::{self, Browser};
use latchkey_core::factors::totp::require_recent_auth;
use serde::Deserialize;

use crate::AppState;
use crate::app::browser;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Button, Client, CsrfForm, Enrolled};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::app::timezone::PageZone;
use crate::i18n::{self, Texts};

const HERE: &str = "account/sessions";

/// A browser as the page shows it.
struct Row {
    handle: String,
    /// "Firefox on Linux".
    device: String,
    /// "Signed in …", "last active …", "from 192.0.2.x".
    facts: Vec<String>,
    current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    rows: Vec<Row>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    ended: Option<String>,
}

fn row(t: Texts, zone: &PageZone, b: Browser) -> Row {
    let device = t.device(b.device);
    let mut facts = vec![
        t.with1("sessions-signed-in", "at", &zone.at(b.signed_in_at)),
        t.with1("sessions-last-active", "at", &zone.at(b.last_active_at)),
    ];
    if let Some(address) = &b.address {
        facts.push(t.with1("sessions-address", "address", address));
    }
    Row {
        handle: b.handle,
        device,
        facts,
        current: b.current,
    }
}

pub async fn list(
    State(state): State<AppState>,
    Enrolled(me): Enrolled,
    query: Result<Query<Done>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if require_recent_auth(&me.session, state.clock().now()).is_err() {
        return Ok(see_other(&paths::reauth(&me.tenant, HERE)));
    }
    let t = i18n::texts(me.lang);
    let policy = state.config().session;
    let zone = PageZone::of(&headers, &me.tenant);
    let rows = browsers::list(&state.env(), &me.user, &me.session, &policy)
        .await?
        .into_iter()
        .map(|b| row(t, &zone, b))
        .collect();
    let notice = match query.ok().and_then(|Query(q)| q.ended).as_deref() {
        Some("one") => Some(t.get("sessions-ended-one")),
        Some("others") => Some(t.get("sessions-ended-others")),
        Some("gone") => Some(t.get("sessions-gone")),
        _ => None,
    };
    let (cookie, token) = csrf::issue(&state, &headers, &me.tenant, me.session.id_hash.as_str());
    let page = SessionsPage {
        t,
        tenant_name: &me.tenant.display_name,
        tenant_slug: me.tenant.slug.as_str(),
        csrf: token,
        rows,
        notice,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct EndForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    session: String,
}

csrf_field!(Binding::Session => EndForm);

fn done(me: &latchkey_core::tenants::Tenant, what: &str) -> Response {
    see_other(&format!("/t/{}/{HERE}?ended={what}", me.slug))
}

pub async fn end_one(
    State(state): State<AppState>,
    Client(meta): Client,
    Enrolled(me): Enrolled,
    CsrfForm(form): CsrfForm<EndForm>,
) -> Result<Response, WebError> {
    let policy = state.config().session;
    let ended = latchkey_core::signin::sign_out_browser(
        &state.env(),
        &me.tenant,
        &me.user,
        &me.session,
        &form.session,
        &policy,
        &meta,
    )
    .await;
    match ended {
        Ok(()) => Ok(done(&me.tenant, "one")),
        Err(Error::NotFound(_)) => Ok(done(&me.tenant, "gone")),
        Err(Error::ReauthRequired) => Ok(see_other(&paths::reauth(&me.tenant, HERE))),
        Err(other) => Err(other.into()),
    }
}

pub async fn end_others(
    State(state): State<AppState>,
    Client(meta): Client,
    Enrolled(me): Enrolled,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    let ended =
        browsers::sign_out_everywhere_else(&state.env(), &me.tenant, &me.user, &me.session, &meta)
            .await;
    match ended {
        Ok(token) => {
            let mut response = done(&me.tenant, "others");
            browser::set_session(&state, &me.tenant, &mut response, &token);
            Ok(response)
        }
        Err(Error::ReauthRequired) => Ok(see_other(&paths::reauth(&me.tenant, HERE))),
        Err(other) => Err(other.into()),
    }
}
