//! "Forgot your password?": asking for a link, and setting a new password
//! from it. Second factors are untouched (see `core::password_reset`).
//! Also changing one's password while signed in (`core::password_change`).

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::password_reset;
use latchkey_core::tenants::Tenant;
use serde::Deserialize;

use crate::AppState;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::SigninText;
use crate::pages::{Client, load_tenant, see_other};
use crate::pages::{language_of, signin_text};

/// CSRF tokens of these pages are bound to no session.
const BINDING: &str = "password-reset";

#[derive(Template)]
#[template(path = "forgot_password.html")]
struct ForgotPage<'a> {
    t: &'static SigninText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    sent: bool,
    error: Option<String>,
}

fn forgot_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    sent: bool,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = crate::error::outcome(failure);
    let (cookie, csrf) = csrf::issue(state, headers, tenant, BINDING);
    let page = ForgotPage {
        t: signin_text(headers, tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        sent,
        error,
    };
    crate::csrf::render(state, status, &page, &cookie)
}

pub async fn forgot_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    Ok(forgot_page(&state, &headers, &tenant, false, None))
}

#[derive(Deserialize, Default)]
pub struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<ForgotForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf::check(&state, &headers, &tenant, BINDING, &form.csrf) {
        return Err(WebError::Csrf);
    }
    if form.login.trim().is_empty() || form.login.len() > 254 {
        let message = signin_text(&headers, &tenant).enter_login;
        return Ok(forgot_page(
            &state,
            &headers,
            &tenant,
            false,
            Some((StatusCode::BAD_REQUEST, message.into())),
        ));
    }
    let device = crate::cookies::get(&headers, &crate::recovery::device_cookie(&state, &tenant));
    match password_reset::request(&state.env(), &tenant, &form.login, device.as_deref(), &meta)
        .await
    {
        Ok(()) => Ok(forgot_page(&state, &headers, &tenant, true, None)),
        Err(Error::RateLimited { retry_after_secs }) => Ok(forgot_page(
            &state,
            &headers,
            &tenant,
            false,
            Some((
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "{} {}.",
                    signin_text(&headers, &tenant).too_many_requests,
                    crate::i18n::wait(language_of(&headers, &tenant), retry_after_secs)
                ),
            )),
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage<'a> {
    t: &'static SigninText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    token: String,
    error: Option<String>,
}

fn reset_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    token: String,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = crate::error::outcome(failure);
    let (cookie, csrf) = csrf::issue(state, headers, tenant, BINDING);
    let page = ResetPage {
        t: signin_text(headers, tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        token,
        error,
    };
    crate::csrf::render(state, status, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    token: Option<String>,
}

pub async fn reset_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: Result<Query<TokenQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let token = query.ok().and_then(|Query(q)| q.token).unwrap_or_default();
    password_reset::check(&state.env(), &tenant, &token).await?;
    Ok(reset_page(&state, &headers, &tenant, token, None))
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

pub async fn reset(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf::check(&state, &headers, &tenant, BINDING, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let again = |message: String| {
        reset_page(
            &state,
            &headers,
            &tenant,
            form.token.clone(),
            Some((StatusCode::BAD_REQUEST, message)),
        )
    };
    if form.password != form.repeat {
        return Ok(again(
            signin_text(&headers, &tenant).passwords_differ.into(),
        ));
    }
    match password_reset::complete(&state.env(), &tenant, &form.token, &form.password, &meta).await
    {
        Ok(()) => Ok(see_other(&format!(
            "/t/{}/signin?password_reset=1",
            tenant.slug
        ))),
        Err(Error::Invalid(errors)) => Ok(again(
            errors
                .first()
                .map(|e| crate::i18n::say_field(e, crate::pages::language_of(&headers, &tenant)))
                .unwrap_or_default(),
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "password.html")]
struct ChangePage<'a> {
    t: &'static crate::i18n::AccountText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    username: &'a str,
    csrf: String,
    error: Option<String>,
}

fn change_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &latchkey_core::accounts::session::Session,
    user: &latchkey_core::accounts::user::User,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (cookie, csrf) = csrf::issue(state, headers, tenant, &session.id_hash);
    let (status, error) = match failure {
        Some((status, error)) => (status, Some(error)),
        None => (StatusCode::OK, None),
    };
    let page = ChangePage {
        t: crate::i18n::account(crate::pages::user_language(headers, tenant, user)),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        username: &user.username,
        csrf,
        error,
    };
    csrf::render(state, status, &page, &cookie)
}

/// The form for a new password; a sign-in older than ten minutes is
/// confirmed first.
pub async fn change_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let (session, user) = match crate::factors::signed_in(&state, &headers, &tenant).await? {
        Ok(pair) => pair,
        Err(redirect) => return Ok(redirect),
    };
    if let Some(redirect) = crate::pages::enrolment_first(&state, &tenant, &user).await? {
        return Ok(redirect);
    }
    if latchkey_core::factors::totp::require_recent_auth(&session, state.clock().now()).is_err() {
        return Ok(crate::factors::reauth_redirect(&tenant, "account/password"));
    }
    Ok(change_page(
        &state, &headers, &tenant, &session, &user, None,
    ))
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

crate::factors::csrf_field!(ChangeForm);

pub async fn change(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<ChangeForm>, FormRejection>,
) -> Result<Response, WebError> {
    let crate::factors::Posted {
        tenant,
        session,
        user,
        form,
    } = match crate::factors::signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    if let Some(redirect) = crate::pages::enrolment_first(&state, &tenant, &user).await? {
        return Ok(redirect);
    }
    let lang = crate::pages::user_language(&headers, &tenant, &user);
    if form.password != form.repeat {
        let text = crate::i18n::account(lang)
            .passwords_differ_account
            .to_owned();
        let failure = Some((StatusCode::BAD_REQUEST, text));
        return Ok(change_page(
            &state, &headers, &tenant, &session, &user, failure,
        ));
    }
    let env = state.env();
    match latchkey_core::accounts::password_change::change(
        &env,
        &tenant,
        &user,
        &session,
        &form.password,
        &meta,
    )
    .await
    {
        Ok(token) => {
            // the session goes on under its new id
            let mut response = see_other(&format!("/t/{}/account?password=1", tenant.slug));
            crate::pages::set_session_cookie(&state, &tenant, &mut response, &token);
            Ok(response)
        }
        Err(Error::ReauthRequired) => {
            Ok(crate::factors::reauth_redirect(&tenant, "account/password"))
        }
        Err(Error::Invalid(errors)) => {
            let failure = Some((StatusCode::BAD_REQUEST, crate::i18n::say_all(&errors, lang)));
            Ok(change_page(
                &state, &headers, &tenant, &session, &user, failure,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
