//! Passkeys and security keys: adding, renaming and removing them on the
//! account page, the second sign-in step with one, and sign-in with a
//! passkey alone where the tenant allows it.
//!
//! Each ceremony is two requests: a form post starts it and renders a page
//! that carries the options; `/static/webauthn.js` asks the browser for the
//! credential and posts its answer as an ordinary form. Without JavaScript
//! the page says so; every other way to sign in stays available.

use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::Error;
use latchkey_core::accounts::session::Session;
use latchkey_core::accounts::user::User;
use latchkey_core::factors::passkey::{self, Answer, RelyingParty, Started};
use latchkey_core::factors::totp::SecondStep;
use latchkey_core::store::RecoveryCodeStore;
use latchkey_core::tenants::Tenant;
use serde::Deserialize;

use crate::AppState;
use crate::csrf::CsrfCookie;
use crate::error::WebError;
use crate::factors::{
    Posted, csrf_field, csrf_for, pending_post, reauth_redirect, signed_in_as, signed_in_post,
};
use crate::i18n::StepText;
use crate::pages::{Client, load_tenant, safe_return_to, see_other};

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/webauthn.js"),
    )
        .into_response()
}

/// The page that runs one ceremony in the browser.
#[derive(Template)]
#[template(path = "webauthn.html")]
struct CeremonyPage<'a> {
    t: &'static StepText,
    tenant_name: &'a str,
    heading: &'a str,
    intro: &'a str,
    button: &'a str,
    /// `create` (registration) or `get` (sign-in).
    mode: &'a str,
    action: String,
    cancel: String,
    csrf: String,
    ceremony: String,
    options: String,
    /// The new passkey's name (registration).
    name: String,
    return_to: String,
    error: Option<String>,
}

/// What differs between the three ceremonies' pages.
struct PageParts<'a> {
    t: &'static StepText,
    heading: &'a str,
    intro: &'a str,
    button: &'a str,
    mode: &'a str,
    action: String,
    cancel: String,
    name: String,
    return_to: String,
}

fn ceremony_page(
    state: &AppState,
    csrf: (CsrfCookie, String),
    tenant: &Tenant,
    started: Started,
    parts: PageParts<'_>,
    failure: Option<(StatusCode, String)>,
) -> Response {
    let (status, error) = crate::error::outcome(failure);
    let (cookie, csrf) = csrf;
    let page = CeremonyPage {
        t: parts.t,
        tenant_name: &tenant.display_name,
        heading: parts.heading,
        intro: parts.intro,
        button: parts.button,
        mode: parts.mode,
        action: parts.action,
        cancel: parts.cancel,
        csrf,
        ceremony: started.ceremony.expose().to_owned(),
        options: started.options,
        name: parts.name,
        return_to: parts.return_to,
        error,
    };
    // (Cache-Control: no-store comes with every page; see layers.)
    crate::csrf::render(state, status, &page, &cookie)
}

/// The user's language, else the browser's.
fn user_text(headers: &HeaderMap, tenant: &Tenant, user: &User) -> &'static StepText {
    crate::i18n::step(crate::pages::user_language(headers, tenant, user))
}

fn relying_party(state: &AppState) -> Result<&RelyingParty, WebError> {
    state.relying_party().ok_or_else(|| {
        Error::invalid(
            "passkey",
            "passkeys are not available on this server: it must be reached over https (or http://localhost); ask your administrator",
        )
        .into()
    })
}

#[derive(Deserialize, Default)]
pub struct PasskeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    response: String,
    return_to: Option<String>,
}

csrf_field!(PasskeyForm);

fn registration_parts(t: &'static StepText, tenant: &Tenant, name: &str) -> PageParts<'static> {
    PageParts {
        t,
        heading: t.register_heading,
        intro: t.register_intro,
        button: t.register_button,
        mode: "create",
        action: format!("/t/{}/account/passkeys/finish", tenant.slug),
        cancel: format!("/t/{}/account", tenant.slug),
        name: name.to_owned(),
        return_to: String::new(),
    }
}

/// The account page's "Add a passkey" form: starts a registration.
pub async fn start_registration(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user,
        form,
    } = match signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let rp = relying_party(&state)?;
    registration_page(
        &state, &headers, rp, &tenant, &user, &session, &form.name, None,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn registration_page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    name: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    match passkey::start_registration(&state.env(), rp, tenant, user, session, name).await {
        Ok(started) => Ok(ceremony_page(
            state,
            csrf_for(state, headers, tenant, session),
            tenant,
            started,
            registration_parts(user_text(headers, tenant, user), tenant, name),
            failure,
        )),
        Err(Error::ReauthRequired) => Ok(reauth_redirect(tenant, "account")),
        Err(other) => Err(other.into()),
    }
}

/// The browser's answer to a registration.
pub async fn finish_registration(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user,
        form,
    } = match signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let rp = relying_party(&state)?;
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    match passkey::finish_registration(&state.env(), rp, &tenant, &user, &session, answer, &meta)
        .await
    {
        Ok(_) => {
            // A first second factor is followed by recovery codes, for the
            // day it is lost.
            if state.db().unused_recovery_codes(&user.id).await? == 0 {
                Ok(see_other(&format!(
                    "/t/{}/account/recovery-codes",
                    tenant.slug
                )))
            } else {
                Ok(see_other(&format!("/t/{}/account", tenant.slug)))
            }
        }
        Err(Error::ReauthRequired) => Ok(reauth_redirect(&tenant, "account")),
        // Another try, with a new challenge (unless the name itself is bad).
        Err(err @ (Error::Invalid(_) | Error::Conflict(_)))
            if passkey::parse_name(&form.name).is_ok() =>
        {
            let lang = crate::pages::user_language(&headers, &tenant, &user);
            let message = match err {
                Error::Invalid(errors) => crate::i18n::say_first(&errors, lang),
                Error::Conflict(e) => crate::i18n::say_first(&[e], lang),
                _ => String::new(),
            };
            registration_page(
                &state,
                &headers,
                rp,
                &tenant,
                &user,
                &session,
                &form.name,
                Some((StatusCode::BAD_REQUEST, message)),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Renames one of the user's passkeys.
pub async fn rename(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session: _,
        user,
        form,
    } = match signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    passkey::rename(&state.env(), &tenant, &user, &id, &form.name, &meta).await?;
    Ok(see_other(&format!("/t/{}/account", tenant.slug)))
}

/// Removes one of the user's passkeys (after a recent sign-in). Every other
/// session of the user ends with it; this one stays under a new cookie.
pub async fn remove(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user,
        form: _,
    } = match signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    match passkey::remove(&state.env(), &tenant, &user, &session, &id, &meta).await {
        Ok(token) => {
            let mut response = see_other(&format!("/t/{}/account", tenant.slug));
            crate::pages::set_session_cookie(&state, &tenant, &mut response, &token);
            Ok(response)
        }
        Err(Error::ReauthRequired) => Ok(reauth_redirect(&tenant, "account")),
        Err(other) => Err(other.into()),
    }
}

fn second_factor_parts(
    t: &'static StepText,
    tenant: &Tenant,
    return_to: &str,
) -> PageParts<'static> {
    PageParts {
        t,
        heading: t.second_heading,
        intro: t.second_intro,
        button: t.second_button,
        mode: "get",
        action: format!("/t/{}/signin/passkey/finish", tenant.slug),
        cancel: format!(
            "/t/{}/signin/otp?return_to={}",
            tenant.slug,
            crate::pages::query_escape(return_to)
        ),
        name: String::new(),
        return_to: return_to.to_owned(),
    }
}

async fn second_factor_page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    step: &SecondStep<'_>,
    return_to: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let started = match passkey::start_second_factor(&state.env(), rp, step).await {
        Ok(started) => started,
        // After a failure no passkey may sign in any more (the one used was
        // just marked as a copy): back to the prompt and its other ways.
        Err(Error::NotFound("passkey")) if failure.is_some() => {
            let (status, error) = crate::error::outcome(failure);
            return crate::factors::otp_page(
                state,
                headers,
                step.tenant,
                step.session,
                step.user,
                status,
                return_to.to_owned(),
                error,
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    };
    Ok(ceremony_page(
        state,
        csrf_for(state, headers, step.tenant, step.session),
        step.tenant,
        started,
        second_factor_parts(
            user_text(headers, step.tenant, step.user),
            step.tenant,
            return_to,
        ),
        failure,
    ))
}

/// "Use my passkey" at the second sign-in step.
pub async fn start_second_factor(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user,
        form,
    } = match pending_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let rp = relying_party(&state)?;
    let policy = state.config().session;
    let step = SecondStep {
        tenant: &tenant,
        user: &user,
        session: &session,
        meta: &meta,
        policy: &policy,
    };
    second_factor_page(&state, &headers, rp, &step, &return_to, None).await
}

/// The browser's answer at the second sign-in step.
pub async fn finish_second_factor(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user,
        form,
    } = match pending_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let rp = relying_party(&state)?;
    let policy = state.config().session;
    let step = SecondStep {
        tenant: &tenant,
        user: &user,
        session: &session,
        meta: &meta,
        policy: &policy,
    };
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    match passkey::complete_second_factor(&state.env(), rp, &step, answer).await {
        Ok(token) => {
            signed_in_as(&state, &headers, &tenant, &user, &meta, &token, &return_to).await
        }
        Err(Error::Invalid(errors)) => {
            let message = crate::i18n::say_first(
                &errors,
                crate::pages::user_language(&headers, &tenant, &user),
            );
            second_factor_page(
                &state,
                &headers,
                rp,
                &step,
                &return_to,
                Some((StatusCode::BAD_REQUEST, message)),
            )
            .await
        }
        Err(Error::InvalidCode) => {
            let message = user_text(&headers, &tenant, &user).passkey_failed;
            second_factor_page(
                &state,
                &headers,
                rp,
                &step,
                &return_to,
                Some((StatusCode::UNAUTHORIZED, message.to_owned())),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

fn passwordless_parts(
    t: &'static StepText,
    tenant: &Tenant,
    return_to: &str,
) -> PageParts<'static> {
    PageParts {
        t,
        heading: t.passwordless_heading,
        intro: t.passwordless_intro,
        button: t.passwordless_button,
        mode: "get",
        action: format!("/t/{}/signin/passwordless/finish", tenant.slug),
        cancel: format!(
            "/t/{}/signin?return_to={}",
            tenant.slug,
            crate::pages::query_escape(return_to)
        ),
        name: String::new(),
        return_to: return_to.to_owned(),
    }
}

async fn passwordless_page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    tenant: &Tenant,
    meta: &latchkey_core::effects::audit::RequestMeta,
    return_to: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    match passkey::start_passwordless(&state.env(), rp, tenant, meta).await {
        Ok(started) => Ok(ceremony_page(
            state,
            crate::csrf::issue(state, headers, tenant, ""),
            tenant,
            started,
            passwordless_parts(
                crate::i18n::step(crate::pages::language_of(headers, tenant)),
                tenant,
                return_to,
            ),
            failure,
        )),
        Err(other) => Err(other.into()),
    }
}

/// "Sign in with a passkey" on the sign-in page.
pub async fn start_passwordless(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !crate::csrf::check(&state, &headers, &tenant, "", &form.csrf) {
        return Err(WebError::Csrf);
    }
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    passwordless_page(&state, &headers, rp, &tenant, &meta, &return_to, None).await
}

/// The browser's answer to a passwordless sign-in.
pub async fn finish_passwordless(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !crate::csrf::check(&state, &headers, &tenant, "", &form.csrf) {
        return Err(WebError::Csrf);
    }
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    let policy = state.config().session;
    match passkey::finish_passwordless(&state.env(), rp, &tenant, answer, &meta, &policy).await {
        Ok(signed_in) => {
            crate::pages::end_previous_sessions(&state, &headers, &tenant).await?;
            let mut response = crate::pages::continue_to(&return_to);
            crate::pages::set_session_cookie(&state, &tenant, &mut response, &signed_in.token);
            crate::pages::after_sign_in(
                &state,
                &headers,
                &tenant,
                &signed_in.user,
                &meta,
                true,
                &mut response,
            )
            .await?;
            Ok(response)
        }
        Err(Error::InvalidCredentials) => {
            let message =
                crate::i18n::step(crate::pages::language_of(&headers, &tenant)).passkey_failed_org;
            passwordless_page(
                &state,
                &headers,
                rp,
                &tenant,
                &meta,
                &return_to,
                Some((StatusCode::UNAUTHORIZED, message.to_owned())),
            )
            .await
        }
        Err(Error::Invalid(errors)) => {
            let message =
                crate::i18n::say_first(&errors, crate::pages::language_of(&headers, &tenant));
            passwordless_page(
                &state,
                &headers,
                rp,
                &tenant,
                &meta,
                &return_to,
                Some((StatusCode::BAD_REQUEST, message)),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

fn reauth_parts(t: &'static StepText, tenant: &Tenant, return_to: &str) -> PageParts<'static> {
    PageParts {
        t,
        heading: t.reauth_heading,
        intro: t.second_intro,
        button: t.second_button,
        mode: "get",
        action: format!("/t/{}/reauth/passkey/finish", tenant.slug),
        cancel: format!("/t/{}/account", tenant.slug),
        name: String::new(),
        return_to: return_to.to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn reauth_ceremony_page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    return_to: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let started = match passkey::start_reauth(&state.env(), rp, tenant, user, session).await {
        Ok(started) => started,
        // As at the second step: no passkey left that may sign in.
        Err(Error::NotFound("passkey")) if failure.is_some() => {
            return crate::factors::reauth_page(
                state,
                headers,
                tenant,
                user,
                session,
                return_to.to_owned(),
                failure,
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    };
    Ok(ceremony_page(
        state,
        csrf_for(state, headers, tenant, session),
        tenant,
        started,
        reauth_parts(user_text(headers, tenant, user), tenant, return_to),
        failure,
    ))
}

/// "Confirm with my passkey" on the re-authentication page.
pub async fn start_reauth(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user,
        form,
    } = match signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    reauth_ceremony_page(
        &state, &headers, rp, &tenant, &user, &session, &return_to, None,
    )
    .await
}

/// The browser's answer to a re-authentication.
pub async fn finish_reauth(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<PasskeyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user,
        form,
    } = match signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    let failure =
        match passkey::finish_reauth(&state.env(), rp, &tenant, &user, &session, answer, &meta)
            .await
        {
            Ok(()) => return Ok(see_other(&return_to)),
            Err(Error::InvalidCode) => (
                StatusCode::UNAUTHORIZED,
                user_text(&headers, &tenant, &user).passkey_retry.to_owned(),
            ),
            Err(Error::Invalid(errors)) => (
                StatusCode::BAD_REQUEST,
                crate::i18n::say_first(
                    &errors,
                    crate::pages::user_language(&headers, &tenant, &user),
                ),
            ),
            Err(other) => return Err(other.into()),
        };
    reauth_ceremony_page(
        &state,
        &headers,
        rp,
        &tenant,
        &user,
        &session,
        &return_to,
        Some(failure),
    )
    .await
}
