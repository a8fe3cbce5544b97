//! Account Self-Recovery pages: the way in from the sign-in page and the
//! second-factor prompt, proofs, the wait, completion, and cancelling from
//! the link in the mail. The rules are in `core::recovery` and
//! `core::recovery_flow`; the browser's case is named by a case cookie,
//! never by the URL.

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::password::Password;
use latchkey_core::accounts::session::SessionStage;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::recovery::case::CaseState;
use latchkey_core::recovery::journey::{self, Origin, ProofInput, Started, View};
use latchkey_core::store::SessionStore;
use latchkey_core::tenants::{SecondFactorPolicy, Tenant};
use serde::Deserialize;

use crate::AppState;
use crate::cookies;
use crate::csrf::{self, CsrfCookie};
use crate::error::{WebError, html};
use crate::i18n::{self, RecoveryText};
use crate::pages::{
    Client, append_cookie, load_tenant, safe_return_to, see_other, session_at, utc,
};

/// The page language: the browser's choice, else the tenant's — never the
/// account's, which would tell a real case from a decoy.
fn text(headers: &HeaderMap, tenant: &Tenant) -> &'static RecoveryText {
    i18n::recovery(i18n::negotiate(headers, tenant.default_language))
}

fn wait_in(headers: &HeaderMap, tenant: &Tenant, secs: i64) -> String {
    i18n::wait(i18n::negotiate(headers, tenant.default_language), secs)
}

fn case_cookie(state: &AppState, tenant: &Tenant) -> String {
    cookies::name(
        state.config().secure_cookies,
        &format!("recovery-{}", tenant.slug),
    )
}

pub(crate) fn device_cookie(state: &AppState, tenant: &Tenant) -> String {
    cookies::name(
        state.config().secure_cookies,
        &format!("device-{}", tenant.slug),
    )
}

/// CSRF tokens on recovery pages are bound to the case cookie (or to none
/// on the start page).
fn binding(headers: &HeaderMap, state: &AppState, tenant: &Tenant) -> String {
    cookies::get(headers, &case_cookie(state, tenant))
        .map(|c| {
            format!(
                "recovery:{}",
                latchkey_core::platform::secret::sha256_hex(c.as_bytes())
            )
        })
        .unwrap_or_default()
}

fn csrf_pair(state: &AppState, headers: &HeaderMap, tenant: &Tenant) -> (CsrfCookie, String) {
    csrf::issue(state, headers, tenant, &binding(headers, state, tenant))
}

fn csrf_ok(state: &AppState, headers: &HeaderMap, tenant: &Tenant, submitted: &str) -> bool {
    csrf::check(
        state,
        headers,
        tenant,
        &binding(headers, state, tenant),
        submitted,
    )
}

#[derive(Template)]
#[template(path = "recover_start.html")]
struct StartPage<'a> {
    t: &'static RecoveryText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    enabled: bool,
    helpdesk_text: Option<&'a str>,
    helpdesk_url: Option<&'a str>,
    csrf: String,
    return_to: String,
    error: Option<String>,
}

fn start_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    return_to: String,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = crate::error::outcome(failure);
    let (cookie, csrf) = csrf_pair(state, headers, tenant);
    let page = StartPage {
        t: text(headers, tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        enabled: tenant.self_recovery,
        helpdesk_text: tenant.helpdesk_text.as_deref(),
        helpdesk_url: tenant.helpdesk_url.as_deref(),
        csrf,
        return_to,
        error,
    };
    crate::csrf::render(state, status, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct ReturnTo {
    return_to: Option<String>,
}

/// "Can't sign in?": the start page, or the helpdesk's instructions where
/// the tenant has not activated self-recovery.
pub async fn start_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: Result<Query<ReturnTo>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let return_to = safe_return_to(
        &tenant,
        query.ok().and_then(|Query(q)| q.return_to).as_deref(),
    );
    Ok(start_page(&state, &headers, &tenant, return_to, None))
}

#[derive(Deserialize, Default)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    return_to: Option<String>,
}

/// To the case page; a new case's cookie goes with it (a browser going
/// back to the case it holds keeps its cookie).
fn to_case(state: &AppState, tenant: &Tenant, started: Started) -> Response {
    let mut response = see_other(&format!("/t/{}/recover/case", tenant.slug));
    if let Started::New(browser) = started {
        let cookie = cookies::set(
            state.config().secure_cookies,
            &case_cookie(state, tenant),
            browser.expose(),
            Some(7 * 24 * 3600),
        );
        append_cookie(&mut response, Some(cookie));
    }
    response
}

fn start_error(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    return_to: String,
    err: Error,
) -> Result<Response, WebError> {
    match err {
        Error::RateLimited { retry_after_secs } => Ok(start_page(
            state,
            headers,
            tenant,
            return_to,
            Some((
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "{} {}.",
                    text(headers, tenant).too_many_starts,
                    wait_in(headers, tenant, retry_after_secs)
                ),
            )),
        )),
        // Not activated: the page shows the helpdesk path.
        Error::NotFound(_) => Ok(start_page(state, headers, tenant, return_to, None)),
        other => Err(other.into()),
    }
}

pub async fn start(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<StartForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf_ok(&state, &headers, &tenant, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    if form.login.trim().is_empty() || form.login.len() > 254 {
        return Ok(start_page(
            &state,
            &headers,
            &tenant,
            return_to,
            Some((
                StatusCode::BAD_REQUEST,
                text(&headers, &tenant).enter_login.into(),
            )),
        ));
    }
    let device = cookies::get(&headers, &device_cookie(&state, &tenant));
    let current = browser_of(&state, &headers, &tenant);
    match journey::start(
        &state.env(),
        &tenant,
        Origin::Login(&form.login),
        current.as_deref(),
        device.as_deref(),
        Some(return_to.clone()),
        &meta,
    )
    .await
    {
        Ok(started) => Ok(to_case(&state, &tenant, started)),
        Err(err) => start_error(&state, &headers, &tenant, return_to, err),
    }
}

#[derive(Deserialize, Default)]
pub struct CsrfReturn {
    #[serde(default)]
    csrf: String,
    return_to: Option<String>,
}

/// "I lost my second factor" at the second sign-in step: the password was
/// just checked, so the case starts with it.
pub async fn start_from_second_step(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfReturn>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let Some((session, _)) =
        session_at(&state, &headers, &tenant, SessionStage::SecondFactor).await?
    else {
        return Ok(see_other(&format!("/t/{}/recover", tenant.slug)));
    };
    if !csrf::check(&state, &headers, &tenant, &session.id_hash, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let device = cookies::get(&headers, &device_cookie(&state, &tenant));
    let current = browser_of(&state, &headers, &tenant);
    match journey::start(
        &state.env(),
        &tenant,
        Origin::SecondStep(&session),
        current.as_deref(),
        device.as_deref(),
        Some(return_to.clone()),
        &meta,
    )
    .await
    {
        Ok(started) => {
            // The half-finished sign-in is not needed any more.
            state.db().delete_session(&session.id_hash).await?;
            Ok(to_case(&state, &tenant, started))
        }
        Err(err) => start_error(&state, &headers, &tenant, return_to, err),
    }
}

#[derive(Template)]
#[template(path = "recover_case.html")]
struct CasePage<'a> {
    t: &'static RecoveryText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    view: View,
    csrf: String,
    error: Option<String>,
}

impl CasePage<'_> {
    fn when(&self, at: &UnixTime) -> String {
        utc(*at)
    }

    fn ended(&self, state: &CaseState) -> &'static str {
        match state {
            CaseState::Completed => self.t.ended_completed,
            CaseState::Cancelled => self.t.ended_cancelled,
            CaseState::Expired => self.t.ended_expired,
            CaseState::Locked => self.t.ended_locked,
            _ => self.t.ended_other,
        }
    }
}

fn case_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    view: View,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = crate::error::outcome(failure);
    let (cookie, csrf) = csrf_pair(state, headers, tenant);
    let page = CasePage {
        t: text(headers, tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        view,
        csrf,
        error,
    };
    crate::csrf::render(state, status, &page, &cookie)
}

crate::factors::csrf_field!(ProofForm, CompleteForm, CsrfReturn, RequestForm);

/// A form posted on the browser's case: its tenant, case cookie and form,
/// after the CSRF check; `Ok(Err(redirect))` sends a browser without a case
/// to the start.
async fn case_post<F: crate::factors::CsrfField + Default>(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    form: Result<Form<F>, FormRejection>,
) -> Result<Result<(Tenant, String, F), Response>, WebError> {
    let tenant = load_tenant(state, slug).await?;
    let Some(browser) = browser_of(state, headers, &tenant) else {
        return Ok(Err(see_other(&format!("/t/{}/recover", tenant.slug))));
    };
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf_ok(state, headers, &tenant, form.csrf()) {
        return Err(WebError::Csrf);
    }
    Ok(Ok((tenant, browser, form)))
}

fn browser_of(state: &AppState, headers: &HeaderMap, tenant: &Tenant) -> Option<String> {
    cookies::get(headers, &case_cookie(state, tenant))
}

pub async fn case(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let Some(browser) = browser_of(&state, &headers, &tenant) else {
        return Ok(see_other(&format!("/t/{}/recover", tenant.slug)));
    };
    let Some(view) = journey::view(&state.env(), &tenant, &browser, &meta).await? else {
        return Ok(to_start(&tenant));
    };
    Ok(case_page(&state, &headers, &tenant, view, None))
}

/// A browser without a case (or whose case is gone) starts at the start.
fn to_start(tenant: &Tenant) -> Response {
    see_other(&format!("/t/{}/recover", tenant.slug))
}

#[derive(Deserialize, Default)]
pub struct ProofForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
}

pub async fn proof(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<ProofForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (tenant, browser, form) = match case_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let input = match form.kind.as_str() {
        _ if form.value.is_empty() || form.value.len() > 1024 => None,
        "email_code" => Some(ProofInput::EmailCode(form.value)),
        "password" => Some(ProofInput::Password(Password::presented(&form.value))),
        "recovery_code" => Some(ProofInput::RecoveryCode(form.value)),
        _ => None,
    };
    let env = state.env();
    let Some(input) = input else {
        let Some(view) = journey::view(&env, &tenant, &browser, &meta).await? else {
            return Ok(to_start(&tenant));
        };
        let message = text(&headers, &tenant).fill_one;
        return Ok(case_page(
            &state,
            &headers,
            &tenant,
            view,
            Some((StatusCode::BAD_REQUEST, message.into())),
        ));
    };
    match journey::prove(&env, &tenant, &browser, input, &meta).await {
        Ok(Some(_)) => Ok(see_other(&format!("/t/{}/recover/case", tenant.slug))),
        Ok(None) => Ok(to_start(&tenant)),
        Err(err) => {
            let t = text(&headers, &tenant);
            let (status, message) = match err {
                Error::InvalidCode => (StatusCode::UNAUTHORIZED, t.wrong_proof.to_owned()),
                Error::RateLimited { retry_after_secs } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "{} {}.",
                        t.too_many_attempts,
                        wait_in(&headers, &tenant, retry_after_secs)
                    ),
                ),
                Error::Overloaded { .. } => (StatusCode::SERVICE_UNAVAILABLE, t.busy.to_owned()),
                Error::Conflict(e) => (
                    StatusCode::CONFLICT,
                    i18n::say_first(&[e], i18n::negotiate(&headers, tenant.default_language)),
                ),
                Error::Invalid(errors) => (
                    StatusCode::CONFLICT,
                    i18n::say_first(&errors, i18n::negotiate(&headers, tenant.default_language)),
                ),
                other => return Err(other.into()),
            };
            let Some(view) = journey::view(&env, &tenant, &browser, &meta).await? else {
                return Ok(to_start(&tenant));
            };
            Ok(case_page(
                &state,
                &headers,
                &tenant,
                view,
                Some((status, message)),
            ))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CompleteForm {
    #[serde(default)]
    csrf: String,
    password: Option<String>,
}

#[derive(Template)]
#[template(path = "recover_done.html")]
struct DonePage<'a> {
    t: &'static RecoveryText,
    tenant_name: &'a str,
    required: bool,
    next: String,
}

pub async fn complete(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CompleteForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (tenant, browser, form) = match case_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let password = form
        .password
        .filter(|p| !p.is_empty() && p.len() <= 1024)
        .map(|p| Password::presented(&p));
    let env = state.env();
    let policy = state.config().session;
    let done = match journey::complete(&env, &tenant, &browser, password, &meta, &policy).await {
        Ok(done) => done,
        Err(err) => {
            let (status, message) = match err {
                Error::InvalidCredentials => (
                    StatusCode::UNAUTHORIZED,
                    text(&headers, &tenant).wrong_password.to_owned(),
                ),
                Error::Invalid(errors) => (
                    StatusCode::CONFLICT,
                    i18n::say_first(&errors, i18n::negotiate(&headers, tenant.default_language)),
                ),
                Error::RateLimited { retry_after_secs } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "{} {}.",
                        text(&headers, &tenant).too_many_attempts,
                        wait_in(&headers, &tenant, retry_after_secs)
                    ),
                ),
                other => return Err(other.into()),
            };
            let Some(view) = journey::view(&env, &tenant, &browser, &meta).await? else {
                return Ok(to_start(&tenant));
            };
            return Ok(case_page(
                &state,
                &headers,
                &tenant,
                view,
                Some((status, message)),
            ));
        }
    };
    let next = safe_return_to(&tenant, done.return_to.as_deref());
    let page = DonePage {
        t: text(&headers, &tenant),
        tenant_name: &tenant.display_name,
        required: tenant.second_factor == SecondFactorPolicy::Required,
        next,
    };
    let secure = state.config().secure_cookies;
    let mut response = html(StatusCode::OK, &page);
    crate::pages::set_session_cookie(&state, &tenant, &mut response, &done.token);
    append_cookie(
        &mut response,
        Some(cookies::clear(secure, &case_cookie(&state, &tenant))),
    );
    crate::pages::after_sign_in(
        &state,
        &headers,
        &tenant,
        &done.user,
        &meta,
        false,
        &mut response,
    )
    .await?;
    Ok(response)
}

/// "Stop this recovery" on the case page.
pub async fn stop(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfReturn>, FormRejection>,
) -> Result<Response, WebError> {
    let (tenant, browser, _) = match case_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    journey::cancel_own(&state.env(), &tenant, &browser, &meta).await?;
    Ok(see_other(&format!("/t/{}/recover/case", tenant.slug)))
}

#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

/// A tenant admin asks the operator to activate self-recovery.
pub async fn request_activation(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<RequestForm>, FormRejection>,
) -> Result<Response, WebError> {
    let crate::factors::Posted {
        tenant, user, form, ..
    } = match crate::factors::signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    latchkey_core::recovery::case::request_activation(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &user,
        &form.note,
        &meta,
    )
    .await?;
    Ok(see_other(&format!("/t/{}/account", tenant.slug)))
}

#[derive(Template)]
#[template(path = "recover_cancel.html")]
struct CancelPage<'a> {
    t: &'static RecoveryText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    token: String,
}

#[derive(Deserialize, Default)]
pub struct CancelQuery {
    token: Option<String>,
}

/// The cancel link from the waiting mail: a page with a button (link
/// scanners must not cancel by opening it).
pub async fn cancel_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: Result<Query<CancelQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let token = query
        .ok()
        .and_then(|Query(q)| q.token)
        .filter(|t| SecretToken::from_presented(t).is_some())
        .ok_or(Error::InvalidLink)?;
    let (cookie, csrf) = csrf::issue(&state, &headers, &tenant, "recovery-cancel");
    let page = CancelPage {
        t: text(&headers, &tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
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

pub async fn cancel(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CancelForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf::check(&state, &headers, &tenant, "recovery-cancel", &form.csrf) {
        return Err(WebError::Csrf);
    }
    journey::cancel_by_link(&state.env(), &tenant, &form.token, &meta).await?;
    let t = text(&headers, &tenant);
    Ok(crate::error::message(
        StatusCode::OK,
        t.cancelled_title,
        t.cancelled_text,
    ))
}
