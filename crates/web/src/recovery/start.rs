//! "Can't sign in?": the start page (or the helpdesk's instructions where
//! the tenant has not activated self-recovery), and the way in from the
//! second sign-in step.

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::session::SessionStage;
use latchkey_core::platform::time::DAY;
use latchkey_core::recovery::journey::{self, Origin, Started, View};
use latchkey_core::tenants::Tenant as TenantRecord;
use serde::Deserialize;

use super::text;
use crate::AppState;
use crate::app::browser;
use crate::app::cookies::{self, Names};
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::recovery::case_cookie;
use crate::app::extract::session::session_at;
use crate::app::extract::{Client, CsrfForm, Lang, Tenant};
use crate::app::form::{FormError, outcome_on};
use crate::app::paths;
use crate::app::respond::{safe_return_to, see_other};
use crate::i18n::Texts;

#[derive(Template)]
#[template(path = "recover_start.html")]
struct StartPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    enabled: bool,
    helpdesk_text: Option<&'a str>,
    helpdesk_url: Option<&'a str>,
    csrf: String,
    return_to: String,
    error: Option<FormError>,
}

fn start_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &TenantRecord,
    lang: Lang,
    return_to: String,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = outcome_on(&["login"], failure);
    let binding = csrf::recovery_binding(state, headers, tenant);
    let (cookie, token) = csrf::issue(state, headers, tenant, &binding);
    let page = StartPage {
        t: text(lang.0),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        enabled: tenant.self_recovery,
        helpdesk_text: tenant.helpdesk_text.as_deref(),
        helpdesk_url: tenant.helpdesk_url.as_deref(),
        csrf: token,
        return_to,
        error,
    };
    csrf::render(state, status, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct ReturnTo {
    return_to: Option<String>,
}

/// "Can't sign in?": the start page — or, for a browser that holds an
/// open case (real or decoy alike), that case's page: the owner comes back
/// to it whichever way they come in.
pub async fn form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    lang: Lang,
    Client(meta): Client,
    query: Result<Query<ReturnTo>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if tenant.self_recovery
        && let Some(browser) = case_cookie(&state, &headers, &tenant)
        && let Some(view) = journey::view(&state.env(), &tenant, &browser, &meta).await?
        && !matches!(view, View::Ended(_))
    {
        return Ok(see_other(&paths::recover_case(&tenant)));
    }
    let return_to = query.ok().and_then(|Query(q)| q.return_to);
    let return_to = safe_return_to(&tenant, return_to.as_deref());
    Ok(start_page(&state, &headers, &tenant, lang, return_to, None))
}

#[derive(Deserialize, Default)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    return_to: Option<String>,
}

csrf_field!(Binding::RecoveryCase => StartForm);

/// To the case page; a new case's cookie goes with it (a browser going
/// back to the case it holds keeps its cookie).
fn to_case(state: &AppState, tenant: &TenantRecord, started: Started) -> Response {
    let mut response = see_other(&paths::recover_case(tenant));
    if let Started::New(browser) = started {
        let cookie = cookies::set(
            state.config().secure_cookies,
            &Names::of(state, tenant).recovery_case(),
            browser.expose(),
            Some(7 * DAY),
        );
        cookies::append(&mut response, Some(cookie));
    }
    response
}

fn start_error(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &TenantRecord,
    lang: Lang,
    return_to: String,
    err: Error,
) -> Result<Response, WebError> {
    let failure = match err {
        Error::RateLimited { retry_after_secs } => Some((
            StatusCode::TOO_MANY_REQUESTS,
            text(lang.0).try_again("recovery-too-many-starts", retry_after_secs),
        )),
        // Not activated: the page shows the helpdesk path.
        Error::NotFound(_) => None,
        other => return Err(other.into()),
    };
    Ok(start_page(state, headers, tenant, lang, return_to, failure))
}

pub async fn start(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<StartForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    if form.login.trim().is_empty() || form.login.len() > 254 {
        let failure = Some((
            StatusCode::BAD_REQUEST,
            text(lang.0).get("recovery-enter-login"),
        ));
        return Ok(start_page(
            &state, &headers, &tenant, lang, return_to, failure,
        ));
    }
    let device = browser::device(&state, &headers, &tenant);
    let current = case_cookie(&state, &headers, &tenant);
    let started = journey::start(
        &state.env(),
        &tenant,
        Origin::Login(&form.login),
        current.as_deref(),
        device.as_deref(),
        Some(return_to.clone()),
        &meta,
    )
    .await;
    match started {
        Ok(started) => Ok(to_case(&state, &tenant, started)),
        Err(err) => start_error(&state, &headers, &tenant, lang, return_to, err),
    }
}

#[derive(Deserialize, Default)]
pub struct SecondStepForm {
    #[serde(default)]
    csrf: String,
    return_to: Option<String>,
}

/// "I lost my second factor" at the second sign-in step: the password was
/// just checked, so the case starts with it. A browser without such a step
/// goes to the start page (so the form is read before the session).
pub async fn from_second_step(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<SecondStepForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let pending = session_at(&state, &headers, &tenant, SessionStage::SecondFactor).await?;
    let Some((session, _)) = pending else {
        return Ok(see_other(&paths::recover(&tenant)));
    };
    if !csrf::check(
        &state,
        &headers,
        &tenant,
        session.id_hash.as_str(),
        &form.csrf,
    ) {
        return Err(WebError::Csrf);
    }
    let device = browser::device(&state, &headers, &tenant);
    let current = case_cookie(&state, &headers, &tenant);
    let started = journey::start(
        &state.env(),
        &tenant,
        Origin::SecondStep(&session),
        current.as_deref(),
        device.as_deref(),
        Some(return_to.clone()),
        &meta,
    )
    .await;
    match started {
        Ok(started) => Ok(to_case(&state, &tenant, started)),
        Err(err) => start_error(&state, &headers, &tenant, lang, return_to, err),
    }
}
