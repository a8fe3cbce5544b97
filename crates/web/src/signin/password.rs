//! The sign-in form and signing out.

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::password::Password;
use latchkey_core::accounts::session::SessionStage;
use latchkey_core::signin;
use latchkey_core::tenants;
use serde::Deserialize;

use crate::AppState;
use crate::app::browser;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::session::session_at;
use crate::app::extract::{Client, Lang, SignedIn, Tenant};
use crate::app::form::{FormError, error_for};
use crate::app::paths;
use crate::app::respond::{continue_to, query_escape, safe_return_to, see_other};
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    return_to: String,
    /// `return_to`, escaped for a link's query.
    return_to_query: String,
    login: String,
    error: Option<FormError>,
    notice: Option<String>,
    /// Offer "Sign in with a passkey".
    passwordless: bool,
    /// Passkeys only: no password form.
    password: bool,
}

/// What the sign-in form shows besides its fixed parts.
struct SigninView {
    login: String,
    return_to: String,
    error: Option<FormError>,
    notice: Option<String>,
}

fn signin_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &tenants::Tenant,
    t: Texts,
    status: StatusCode,
    view: SigninView,
) -> Response {
    let (cookie, token) = csrf::issue(state, headers, tenant, "");
    let page = SigninPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        return_to_query: query_escape(&view.return_to),
        return_to: view.return_to,
        login: view.login,
        error: view.error,
        notice: view.notice,
        passwordless: tenant.passwordless && state.relying_party().is_some(),
        password: !tenant.passkey_only(),
    };
    csrf::render(state, status, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct SigninQuery {
    return_to: Option<String>,
    /// Pre-filled login (an application's `login_hint`).
    login: Option<String>,
    fresh: Option<String>,
    signed_out: Option<String>,
    password_reset: Option<String>,
}

pub async fn signin_form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    signed_in: Option<SignedIn>,
    query: Result<Query<SigninQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let return_to = safe_return_to(&tenant, query.return_to.as_deref());
    // `fresh`: an application asked for a new sign-in (prompt=login,
    // max_age); the form is shown even to a signed-in browser, and the new
    // sign-in replaces the session.
    if query.fresh.is_none() && signed_in.is_some() {
        return see_other(&return_to);
    }
    let t = i18n::texts(lang);
    let notice = if query.password_reset.is_some() {
        Some(t.get("signin-password-reset-done"))
    } else {
        query
            .signed_out
            .is_some()
            .then(|| t.get("signin-signed-out"))
    };
    let view = SigninView {
        login: query
            .login
            .filter(|l| l.len() <= 256 && !l.chars().any(char::is_control))
            .unwrap_or_default(),
        return_to,
        error: None,
        notice,
    };
    signin_page(&state, &headers, &tenant, t, StatusCode::OK, view)
}

#[derive(Deserialize, Default)]
pub struct SigninForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    return_to: Option<String>,
}

/// Longest password accepted at all (bytes); longer input is refused before hashing.
const PASSWORD_INPUT_MAX: usize = 1024;

/// The password sign-in. (An unreadable form is a 400 with the reason, not
/// a CSRF failure: this is the form people meet first.)
pub async fn signin(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<SigninForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(form)) = form else {
        return Err(
            Error::invalid("form", "could not be read; send it from the sign-in page").into(),
        );
    };
    if !csrf::check(&state, &headers, &tenant, "", &form.csrf) {
        return Err(WebError::Csrf);
    }
    let t = i18n::texts(lang);
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let login = form.login.chars().take(254).collect::<String>();
    let again = |status, error: String| {
        let view = SigninView {
            login: login.clone(),
            return_to: return_to.clone(),
            error: Some(error_for(status, &["login", "password"], error)),
            notice: None,
        };
        signin_page(&state, &headers, &tenant, t, status, view)
    };
    if form.login.trim().is_empty() || form.password.is_empty() {
        return Ok(again(StatusCode::BAD_REQUEST, t.get("signin-enter-both")));
    }
    if form.password.len() > PASSWORD_INPUT_MAX {
        return Ok(again(StatusCode::BAD_REQUEST, t.get("signin-too-long")));
    }
    let config = state.config();
    let device = browser::device(&state, &headers, &tenant);
    let result = signin::sign_in(
        &state.env(),
        &tenant,
        &form.login,
        Password::presented(&form.password),
        device.as_deref(),
        &meta,
        &config.signin_limits,
        &config.session,
    )
    .await;
    let (status, message, retry_after) = match result {
        Ok(signed_in) => {
            browser::end_previous_sessions(&state, &headers, &tenant).await?;
            let complete = signed_in.session.stage == SessionStage::Complete;
            let next = if complete {
                return_to.clone()
            } else {
                paths::second_step(&tenant, &return_to)
            };
            let mut response = continue_to(&next);
            browser::set_session(&state, &tenant, &mut response, &signed_in.token);
            if complete {
                browser::after_sign_in(
                    &state,
                    &headers,
                    &tenant,
                    &signed_in.user,
                    &meta,
                    false,
                    false,
                    &mut response,
                )
                .await?;
            }
            return Ok(response);
        }
        // passkeys only: said as the organisation's rule, for every name
        Err(Error::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, t.say_first(&errors), None)
        }
        Err(Error::InvalidCredentials) => (
            StatusCode::UNAUTHORIZED,
            t.get("signin-wrong-credentials"),
            None,
        ),
        Err(Error::RateLimited { retry_after_secs }) => (
            StatusCode::TOO_MANY_REQUESTS,
            t.try_again("signin-too-many-signins", retry_after_secs),
            Some(retry_after_secs),
        ),
        Err(Error::Overloaded { retry_after_secs }) => {
            state.metrics().overloaded();
            (
                StatusCode::SERVICE_UNAVAILABLE,
                t.get("signin-busy"),
                Some(retry_after_secs),
            )
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = again(status, message);
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Signing out; a sign-in waiting for its second step ends on the server
/// too, not only in the browser.
pub async fn signout(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Result<Response, WebError> {
    let session = match session_at(&state, &headers, &tenant, SessionStage::Complete).await? {
        Some(found) => Some(found),
        None => session_at(&state, &headers, &tenant, SessionStage::SecondFactor).await?,
    };
    if let Some((session, _)) = session {
        let submitted = form.map(|Form(f)| f.csrf).unwrap_or_default();
        if !csrf::check(
            &state,
            &headers,
            &tenant,
            session.id_hash.as_str(),
            &submitted,
        ) {
            return Err(WebError::Csrf);
        }
        signin::sign_out(
            state.db(),
            state.random(),
            state.clock(),
            &tenant,
            &session,
            &meta,
        )
        .await?;
    }
    let mut response = see_other(&paths::signin_with(&tenant, "signed_out=1"));
    browser::clear_session(&state, &tenant, &mut response);
    Ok(response)
}
