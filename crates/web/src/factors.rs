//! Second factors: the code prompt during sign-in, and setting up or
//! removing an authenticator app on the account page.

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::session::{Session, SessionStage};
use latchkey_core::accounts::signin;
use latchkey_core::accounts::user::User;
use latchkey_core::factors::{recovery_codes, totp};
use latchkey_core::store::{PasskeyStore, RecoveryCodeStore, TotpStore};
use latchkey_core::tenants::Tenant;
use qrcodegen::{QrCode, QrCodeEcc};
use serde::Deserialize;

use crate::AppState;
use crate::csrf::{self, CsrfCookie};
use crate::error::{WebError, wait_text};
use crate::pages::{Client, current_session, load_tenant, safe_return_to, see_other, session_at};

/// Off to `return_to` with the session's new cookie, after the second
/// sign-in step succeeded.
pub(crate) async fn signed_in_as(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
    meta: &latchkey_core::effects::audit::RequestMeta,
    token: &latchkey_core::platform::secret::SecretToken,
    return_to: &str,
) -> Result<Response, WebError> {
    let mut response = crate::pages::continue_to(return_to);
    crate::pages::set_session_cookie(state, tenant, &mut response, token);
    crate::pages::after_sign_in(state, headers, tenant, user, meta, true, &mut response).await?;
    Ok(response)
}

/// To the password prompt, then back to `/t/{tenant}/{back}`.
pub(crate) fn reauth_redirect(tenant: &Tenant, back: &str) -> Response {
    see_other(&format!(
        "/t/{0}/reauth?return_to=/t/{0}/{back}",
        tenant.slug
    ))
}

#[derive(Template)]
#[template(path = "reauth.html")]
struct ReauthPage<'a> {
    t: &'static crate::i18n::StepText,
    /// The user has an authenticator app, so its code is asked too.
    has_app: bool,
    /// The user can confirm with a passkey (and, without an app, must).
    has_passkey: bool,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    username: &'a str,
    csrf: String,
    return_to: String,
    error: Option<String>,
}

pub(crate) async fn reauth_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    return_to: String,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (status, error) = crate::error::outcome(failure);
    let has_app = state.db().totp_for_user(&user.id).await?.is_some();
    let has_passkey = state.relying_party().is_some()
        && state
            .db()
            .passkeys_for_user(&user.id)
            .await?
            .iter()
            .any(|p| p.signs_in());
    let (cookie, csrf) = csrf_for(state, headers, tenant, session);
    let page = ReauthPage {
        t: crate::i18n::step(
            user.language
                .unwrap_or_else(|| crate::pages::language_of(headers, tenant)),
        ),
        has_app,
        has_passkey,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        username: &user.username,
        csrf,
        return_to,
        error,
    };
    Ok(crate::csrf::render(state, status, &page, &cookie))
}

pub async fn reauth_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: Result<Query<ReturnTo>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let (session, user) = match signed_in(&state, &headers, &tenant).await? {
        Ok(pair) => pair,
        Err(redirect) => return Ok(redirect),
    };
    let return_to = safe_return_to(
        &tenant,
        query.ok().and_then(|Query(q)| q.return_to).as_deref(),
    );
    reauth_page(&state, &headers, &tenant, &user, &session, return_to, None).await
}

#[derive(Deserialize, Default)]
pub struct ReauthForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    code: Option<String>,
    return_to: Option<String>,
}

pub async fn reauth(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<ReauthForm>, FormRejection>,
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
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let step_text = crate::i18n::step(
        user.language
            .unwrap_or_else(|| crate::pages::language_of(&headers, &tenant)),
    );
    let again = |failure: (StatusCode, String)| {
        reauth_page(
            &state,
            &headers,
            &tenant,
            &user,
            &session,
            return_to.clone(),
            Some(failure),
        )
    };
    if form.password.is_empty() || form.password.len() > 1024 {
        return again((StatusCode::BAD_REQUEST, step_text.enter_password.to_owned())).await;
    }
    let proof = signin::Reauth {
        password: latchkey_core::accounts::password::Password::presented(&form.password),
        code: form.code.clone(),
    };
    let limits = state.config().signin_limits;
    let device = crate::cookies::get(&headers, &crate::recovery::device_cookie(&state, &tenant));
    match signin::reauthenticate(
        &state.env(),
        &tenant,
        &user,
        &session,
        proof,
        device.as_deref(),
        &meta,
        &limits,
    )
    .await
    {
        Ok(()) => Ok(see_other(&return_to)),
        Err(Error::InvalidCredentials) => {
            again((
                StatusCode::UNAUTHORIZED,
                step_text.wrong_password.to_owned(),
            ))
            .await
        }
        Err(Error::InvalidCode) => {
            let message = step_text.wrong_app_code.to_owned();
            again((StatusCode::UNAUTHORIZED, message)).await
        }
        Err(err @ Error::RateLimited { .. }) => {
            let failure = CodeFailure::from(err)?;
            let message = prompt_message(&headers, &tenant, &user, &failure, false);
            let page = again((failure.status, message)).await?;
            Ok(failure.apply(page))
        }
        Err(other) => Err(other.into()),
    }
}

/// The set-up pages' text in the user's language, else the browser's.
fn setup_text(
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
) -> &'static crate::i18n::SetupText {
    crate::i18n::setup(
        user.language
            .unwrap_or_else(|| crate::pages::language_of(headers, tenant)),
    )
}

/// A failed attempt at the second-step prompt, in the user's language.
fn prompt_message(
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
    failure: &CodeFailure,
    recovery_code: bool,
) -> String {
    let language = user
        .language
        .unwrap_or_else(|| crate::pages::language_of(headers, tenant));
    let t = crate::i18n::signin(language);
    match (failure.status, failure.retry_after) {
        (StatusCode::TOO_MANY_REQUESTS, Some(secs)) => format!(
            "{} {}.",
            t.too_many_attempts,
            crate::i18n::wait(language, secs)
        ),
        _ if recovery_code => t.wrong_recovery_code.to_owned(),
        _ => t.wrong_code.to_owned(),
    }
}

/// Forms that carry a CSRF token.
pub(crate) trait CsrfField {
    fn csrf(&self) -> &str;
}

macro_rules! csrf_field {
    ($($form:ty),+) => {
        $(impl $crate::factors::CsrfField for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use csrf_field;

csrf_field!(ReauthForm, CodeForm, CsrfForm);

/// A form posted by a signed-in user, after the CSRF check.
pub(crate) struct Posted<F> {
    pub(crate) tenant: Tenant,
    pub(crate) session: Session,
    pub(crate) user: User,
    pub(crate) form: F,
}

/// Reads a form posted by a signed-in user and checks its CSRF token;
/// `Ok(Err(redirect))` sends a signed-out browser to sign in.
pub(crate) async fn signed_in_post<F: CsrfField + Default>(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    form: Result<Form<F>, FormRejection>,
) -> Result<Result<Posted<F>, Response>, WebError> {
    let tenant = load_tenant(state, slug).await?;
    let (session, user) = match signed_in(state, headers, &tenant).await? {
        Ok(pair) => pair,
        Err(redirect) => return Ok(Err(redirect)),
    };
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf_ok(state, headers, &tenant, &session, form.csrf()) {
        return Err(WebError::Csrf);
    }
    Ok(Ok(Posted {
        tenant,
        session,
        user,
        form,
    }))
}

/// Reads a form posted at the second sign-in step and checks its CSRF
/// token; `Ok(Err(redirect))` sends a browser without such a step to sign in.
pub(crate) async fn pending_post<F: CsrfField + Default>(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    form: Result<Form<F>, FormRejection>,
) -> Result<Result<Posted<F>, Response>, WebError> {
    let tenant = load_tenant(state, slug).await?;
    let Some((session, user)) = pending(state, headers, &tenant).await? else {
        return Ok(Err(see_other(&format!("/t/{}/signin", tenant.slug))));
    };
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf_ok(state, headers, &tenant, &session, form.csrf()) {
        return Err(WebError::Csrf);
    }
    Ok(Ok(Posted {
        tenant,
        session,
        user,
        form,
    }))
}

/// The QR code of `text` as an SVG element (dark modules as one path).
pub fn qr_svg(text: &str) -> Result<String, WebError> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|e| WebError::Internal(format!("QR code: {e:?}")))?;
    let border = 4;
    let size = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"QR code\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

pub(crate) fn csrf_for(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &Session,
) -> (CsrfCookie, String) {
    csrf::issue(state, headers, tenant, &session.id_hash)
}

pub(crate) fn csrf_ok(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &Session,
    submitted: &str,
) -> bool {
    csrf::check(state, headers, tenant, &session.id_hash, submitted)
}

/// A failed code attempt as shown on the form: status, message, and the
/// `Retry-After` seconds when rate limited.
pub(crate) struct CodeFailure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    retry_after: Option<i64>,
}

impl CodeFailure {
    pub(crate) fn from(err: Error) -> Result<CodeFailure, WebError> {
        match err {
            Error::InvalidCode => Ok(CodeFailure {
                status: StatusCode::UNAUTHORIZED,
                message: Error::InvalidCode.to_string(),
                retry_after: None,
            }),
            Error::RateLimited { retry_after_secs } => Ok(CodeFailure {
                status: StatusCode::TOO_MANY_REQUESTS,
                message: format!(
                    "Too many attempts. Try again in {}.",
                    wait_text(retry_after_secs)
                ),
                retry_after: Some(retry_after_secs.max(1)),
            }),
            other => Err(other.into()),
        }
    }

    pub(crate) fn apply(&self, mut response: Response) -> Response {
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

#[derive(Template)]
#[template(path = "otp.html")]
struct OtpPage<'a> {
    t: &'static crate::i18n::SigninText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    return_to: String,
    error: Option<String>,
    has_app: bool,
    has_passkey: bool,
    /// The user has passkeys, but this server cannot offer them now.
    passkeys_offline: bool,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn otp_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &Session,
    user: &User,
    status: StatusCode,
    return_to: String,
    error: Option<String>,
) -> Result<Response, WebError> {
    let (cookie, csrf) = csrf_for(state, headers, tenant, session);
    // A passkey marked as a suspected copy is not offered.
    let owns_passkey = state
        .db()
        .passkeys_for_user(&user.id)
        .await?
        .iter()
        .any(|p| p.signs_in());
    let has_passkey = state.relying_party().is_some() && owns_passkey;
    let language = user
        .language
        .unwrap_or_else(|| crate::pages::language_of(headers, tenant));
    let page = OtpPage {
        t: crate::i18n::signin(language),
        passkeys_offline: owns_passkey && !has_passkey,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        return_to,
        error,
        has_app: state.db().totp_for_user(&user.id).await?.is_some(),
        has_passkey,
    };
    Ok(crate::csrf::render(state, status, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct ReturnTo {
    return_to: Option<String>,
}

pub(crate) async fn pending(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
) -> Result<Option<(Session, User)>, WebError> {
    session_at(state, headers, tenant, SessionStage::SecondFactor).await
}

pub async fn otp_form(
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
    let Some((session, user)) = pending(&state, &headers, &tenant).await? else {
        return Ok(see_other(&format!("/t/{}/signin", tenant.slug)));
    };
    otp_page(
        &state,
        &headers,
        &tenant,
        &session,
        &user,
        StatusCode::OK,
        return_to,
        None,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    offer: String,
    /// Set when the form replaces the user's current app.
    replacing: Option<String>,
    return_to: Option<String>,
}

pub async fn otp(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CodeForm>, FormRejection>,
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
    let policy = state.config().session;
    let step = totp::SecondStep {
        tenant: &tenant,
        user: &user,
        session: &session,
        meta: &meta,
        policy: &policy,
    };
    match totp::complete_sign_in(&state.env(), &step, &form.code).await {
        Ok(token) => {
            signed_in_as(&state, &headers, &tenant, &user, &meta, &token, &return_to).await
        }
        Err(err) => {
            let failure = CodeFailure::from(err)?;
            let message = prompt_message(&headers, &tenant, &user, &failure, false);
            let page = otp_page(
                &state,
                &headers,
                &tenant,
                &session,
                &user,
                failure.status,
                return_to,
                Some(message),
            )
            .await?;
            Ok(failure.apply(page))
        }
    }
}

#[derive(Template)]
#[template(path = "totp.html")]
struct TotpPage<'a> {
    t: &'static crate::i18n::SetupText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    qr_svg: String,
    secret: String,
    offer: String,
    error: Option<String>,
    /// The tenant requires a second factor (the page is not optional).
    required: bool,
    /// The id of the app this one replaces (a new phone).
    replacing: Option<String>,
    /// A passkey can be set up instead.
    passkeys_available: bool,
}

/// The set-up page; `failure` is the status and message of a failed attempt.
async fn totp_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    offer: Option<&str>,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (status, error) = crate::error::outcome(failure);
    let replacing = state.db().totp_for_user(&user.id).await?.map(|c| c.id);
    let env = state.env();
    // A failed attempt shows the same secret again: the app has it already.
    let (secret, sealed) = match offer.and_then(|o| {
        env.secrets
            .open(o, &format!("totp-offer:{}:{}", user.id, session.id_hash))
            .map(|s| (s, o.to_owned()))
    }) {
        Some(pair) => pair,
        None => {
            let fresh = totp::offer(&env, user, session);
            (fresh.secret.to_vec(), fresh.sealed)
        }
    };
    let uri = totp::otpauth_uri(&tenant.display_name, &user.username, &secret);
    let (cookie, csrf) = csrf_for(state, headers, tenant, session);
    let page = TotpPage {
        t: setup_text(headers, tenant, user),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        qr_svg: qr_svg(&uri)?,
        secret: totp::base32(&secret),
        offer: sealed,
        error,
        required: tenant.second_factor == latchkey_core::tenants::SecondFactorPolicy::Required,
        replacing,
        passkeys_available: state.relying_party().is_some(),
    };
    Ok(crate::csrf::render(state, status, &page, &cookie))
}

pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
) -> Result<Result<(Session, User), Response>, WebError> {
    Ok(match current_session(state, headers, tenant).await? {
        Some(pair) => Ok(pair),
        None => Err(see_other(&format!(
            "/t/{0}/signin?return_to=/t/{0}/account",
            tenant.slug
        ))),
    })
}

pub async fn totp_setup(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let (session, user) = match signed_in(&state, &headers, &tenant).await? {
        Ok(pair) => pair,
        Err(redirect) => return Ok(redirect),
    };
    if totp::require_recent_auth(&session, state.clock().now()).is_err() {
        return Ok(reauth_redirect(&tenant, "account/totp"));
    }
    totp_page(&state, &headers, &tenant, &user, &session, None, None).await
}

pub async fn totp_enrol(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CodeForm>, FormRejection>,
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
    match totp::enrol(
        &state.env(),
        &tenant,
        &user,
        &session,
        totp::Enrolment {
            offer: &form.offer,
            code: &form.code,
            replacing: form.replacing.as_deref().filter(|r| !r.is_empty()),
        },
        &meta,
    )
    .await
    {
        // A replacement keeps the recovery codes; a first app is followed by
        // them, for the day the phone is gone.
        Ok(()) if form.replacing.as_deref().is_some_and(|r| !r.is_empty()) => {
            Ok(see_other(&format!("/t/{}/account", tenant.slug)))
        }
        Ok(()) => Ok(see_other(&format!(
            "/t/{}/account/recovery-codes",
            tenant.slug
        ))),
        Err(Error::ReauthRequired) => Ok(reauth_redirect(&tenant, "account/totp")),
        Err(err @ (Error::InvalidCode | Error::RateLimited { .. })) => {
            let failure = CodeFailure::from(err)?;
            let page = totp_page(
                &state,
                &headers,
                &tenant,
                &user,
                &session,
                Some(&form.offer),
                Some((failure.status, failure.message.clone())),
            )
            .await?;
            Ok(failure.apply(page))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn totp_remove(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
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
    match totp::remove(&state.env(), &tenant, &user, &session, &meta).await {
        Ok(()) => Ok(see_other(&format!("/t/{}/account", tenant.slug))),
        Err(Error::ReauthRequired) => Ok(reauth_redirect(&tenant, "account")),
        Err(other) => Err(other.into()),
    }
}

/// The second sign-in step with a recovery code.
pub async fn recovery_code(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CodeForm>, FormRejection>,
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
    let policy = state.config().session;
    let env = state.env();
    let step = totp::SecondStep {
        tenant: &tenant,
        user: &user,
        session: &session,
        meta: &meta,
        policy: &policy,
    };
    match recovery_codes::complete_sign_in(&env, &step, &form.code).await {
        Ok(token) => {
            signed_in_as(&state, &headers, &tenant, &user, &meta, &token, &return_to).await
        }
        Err(err) => {
            let failure = CodeFailure::from(err)?;
            let message = prompt_message(&headers, &tenant, &user, &failure, true);
            let page = otp_page(
                &state,
                &headers,
                &tenant,
                &session,
                &user,
                failure.status,
                return_to,
                Some(message),
            )
            .await?;
            Ok(failure.apply(page))
        }
    }
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage<'a> {
    t: &'static crate::i18n::SetupText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    count: usize,
    unused: i64,
    codes: Vec<String>,
    download: String,
    /// Where "I saved them" leads: back to an application's sign-in that
    /// waited for the set-up, else the account page.
    next: String,
}

fn recovery_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    unused: i64,
    codes: Vec<String>,
) -> Response {
    let (cookie, csrf) = csrf_for(state, headers, tenant, session);
    let text = format!(
        "Recovery codes for {} ({}). Each works once.\n\n{}\n",
        tenant.display_name,
        state.config().public_url,
        codes.join("\n")
    );
    let download = format!(
        "data:text/plain;charset=utf-8,{}",
        crate::pages::query_escape(&text)
    );
    let page = RecoveryCodesPage {
        t: setup_text(headers, tenant, user),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        count: recovery_codes::COUNT,
        unused,
        codes,
        download,
        next: crate::oidc::resume_target(state, headers, tenant),
    };
    crate::csrf::render(state, StatusCode::OK, &page, &cookie)
}

pub async fn recovery_codes_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let (session, user) = match signed_in(&state, &headers, &tenant).await? {
        Ok(pair) => pair,
        Err(redirect) => return Ok(redirect),
    };
    let unused = state.db().unused_recovery_codes(&user.id).await?;
    Ok(recovery_page(
        &state,
        &headers,
        &tenant,
        &user,
        &session,
        unused,
        vec![],
    ))
}

pub async fn recovery_codes_create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
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
    let codes =
        match recovery_codes::regenerate(&state.env(), &tenant, &user, &session, &meta).await {
            Ok(codes) => codes,
            Err(Error::ReauthRequired) => {
                return Ok(reauth_redirect(&tenant, "account/recovery-codes"));
            }
            Err(other) => return Err(other.into()),
        };
    // Shown once: never cached (every page carries Cache-Control: no-store).
    Ok(recovery_page(
        &state,
        &headers,
        &tenant,
        &user,
        &session,
        codes.len() as i64,
        codes,
    ))
}
