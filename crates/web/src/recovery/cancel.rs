//! The cancel link from the waiting mail: a page with a button (link
//! scanners must not cancel by opening it).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::recovery::journey;
use serde::Deserialize;

use super::text;
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::{WebError, message};
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, Lang, Tenant};
use crate::i18n::Texts;

/// The binding of the cancel page's CSRF token (no session, no case).
const BINDING: &str = "recovery-cancel";

#[derive(Template)]
#[template(path = "recover_cancel.html")]
struct CancelPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    token: String,
}

#[derive(Deserialize, Default)]
pub struct CancelQuery {
    token: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    lang: Lang,
    query: Result<Query<CancelQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let token = query
        .ok()
        .and_then(|Query(q)| q.token)
        .filter(|t| SecretToken::from_presented(t).is_some())
        .ok_or(Error::InvalidLink)?;
    let (cookie, csrf_token) = csrf::issue(&state, &headers, &tenant, BINDING);
    let page = CancelPage {
        t: text(lang.0),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: csrf_token,
        token,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct CancelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

csrf_field!(Binding::Page(BINDING) => CancelForm);

pub async fn cancel(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    lang: Lang,
    Client(meta): Client,
    CsrfForm(form): CsrfForm<CancelForm>,
) -> Result<Response, WebError> {
    journey::cancel_by_link(&state.env(), &tenant, &form.token, &meta).await?;
    let t = text(lang.0);
    Ok(message(
        StatusCode::OK,
        &t.get("recovery-cancelled-title"),
        &t.get("recovery-cancelled-text"),
    ))
}
