//! "Forgot your password?": asking for a link, and setting a new password
//! from it. Second factors are untouched (see
//! `core::accounts::password_reset`).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::recovery::password_reset;
use latchkey_core::tenants;
use serde::Deserialize;

use crate::AppState;
use crate::app::browser;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, Lang, Tenant};
use crate::app::form::{FormError, outcome_on};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::{self, Texts};

/// The binding of these pages' CSRF tokens (no session).
const BINDING: &str = "password-reset";

#[derive(Template)]
#[template(path = "forgot_password.html")]
struct ForgotPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    sent: bool,
    error: Option<FormError>,
}

fn forgot_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &tenants::Tenant,
    t: Texts,
    sent: bool,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = outcome_on(&["login"], failure);
    let (cookie, token) = csrf::issue(state, headers, tenant, BINDING);
    let page = ForgotPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        sent,
        error,
    };
    csrf::render(state, status, &page, &cookie)
}

pub async fn forgot_form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    headers: HeaderMap,
) -> Response {
    forgot_page(&state, &headers, &tenant, i18n::texts(lang), false, None)
}

#[derive(Deserialize, Default)]
pub struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

csrf_field!(Binding::Page(BINDING) => ForgotForm, ResetForm);

pub async fn forgot(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, WebError> {
    let t = i18n::texts(lang);
    let failure = |status, message| Some((status, message));
    if form.login.trim().is_empty() || form.login.len() > 254 {
        let failed = failure(StatusCode::BAD_REQUEST, t.get("signin-enter-login"));
        return Ok(forgot_page(&state, &headers, &tenant, t, false, failed));
    }
    let device = browser::device(&state, &headers, &tenant);
    match password_reset::request(&state.env(), &tenant, &form.login, device.as_deref(), &meta)
        .await
    {
        Ok(()) => Ok(forgot_page(&state, &headers, &tenant, t, true, None)),
        Err(Error::RateLimited { retry_after_secs }) => {
            let message = t.try_again("signin-too-many-requests", retry_after_secs);
            let failed = failure(StatusCode::TOO_MANY_REQUESTS, message);
            Ok(forgot_page(&state, &headers, &tenant, t, false, failed))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    token: String,
    error: Option<FormError>,
}

fn reset_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &tenants::Tenant,
    t: Texts,
    token: String,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = outcome_on(&["password", "repeat"], failure);
    let (cookie, csrf_token) = csrf::issue(state, headers, tenant, BINDING);
    let page = ResetPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: csrf_token,
        token,
        error,
    };
    csrf::render(state, status, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    token: Option<String>,
}

pub async fn reset_form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    query: Result<Query<TokenQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let token = query.ok().and_then(|Query(q)| q.token).unwrap_or_default();
    password_reset::check(&state.env(), &tenant, &token).await?;
    let t = i18n::texts(lang);
    Ok(reset_page(&state, &headers, &tenant, t, token, None))
}

pub async fn reset(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, WebError> {
    let t = i18n::texts(lang);
    let again = |message: String| {
        let failure = Some((StatusCode::BAD_REQUEST, message));
        reset_page(&state, &headers, &tenant, t, form.token.clone(), failure)
    };
    if form.password != form.repeat {
        return Ok(again(t.get("signin-passwords-differ")));
    }
    match password_reset::complete(&state.env(), &tenant, &form.token, &form.password, &meta).await
    {
        Ok(()) => Ok(see_other(&paths::signin_with(&tenant, "password_reset=1"))),
        Err(Error::Invalid(errors)) => Ok(again(
            errors
                .first()
                .map(|e| i18n::texts(lang).say_field(e))
                .unwrap_or_default(),
        )),
        Err(other) => Err(other.into()),
    }
}
