//! Server-rendered pages: sign-in, sign-out, account.

use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Form};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::Error;
use latchkey_core::accounts::password::Password;
use latchkey_core::accounts::session::{self, AuthMethod, Session, SessionStage};
use latchkey_core::accounts::signin;
use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::factors::enrolment::{self, Pending};
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::store::{PasskeyStore, RecoveryCodeStore, RecoveryStore, TotpStore};
use latchkey_core::tenants::{self, Tenant};
use serde::Deserialize;

use crate::csrf;
use crate::error::{WebError, html, message};
use crate::{AppState, cookies};

/// Who is asking: client address and user agent, for audit and rate limits.
pub struct Client(pub RequestMeta);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The last X-Forwarded-For entry is the one the trusted proxy wrote;
        // when it is not an address, the connection's address is used.
        let forwarded = state
            .config()
            .trust_proxy_headers
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
            })
            .flatten();
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let ua = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok());
        Ok(Client(RequestMeta::new(
            forwarded.or(peer).map(|ip| ip.to_string()),
            ua,
        )))
    }
}

pub async fn index() -> Response {
    #[derive(Template)]
    #[template(path = "index.html")]
    struct Index {
        lang: &'static str,
        text: &'static str,
    }
    let (lang, text) = match crate::i18n::current() {
        latchkey_core::effects::mail::Language::En => (
            "en",
            "This is a latchkey identity provider. Sign in through the address your organisation gave you (it looks like",
        ),
        latchkey_core::effects::mail::Language::De => (
            "de",
            "Dies ist ein latchkey-Identitätsanbieter. Melden Sie sich über die Adresse an, die Ihre Organisation Ihnen gegeben hat (sie sieht so aus:",
        ),
        latchkey_core::effects::mail::Language::Fr => (
            "fr",
            "Ceci est un fournisseur d'identité latchkey. Connectez-vous à l'adresse que votre organisation vous a donnée (elle ressemble à",
        ),
    };
    html(StatusCode::OK, &Index { lang, text })
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/latchkey.css"),
    )
        .into_response()
}

pub async fn not_found() -> Response {
    message(
        StatusCode::NOT_FOUND,
        crate::i18n::errors().not_found_title,
        crate::i18n::errors().not_found_text,
    )
}

pub(crate) async fn load_tenant(state: &AppState, slug: &str) -> Result<Tenant, WebError> {
    tenants::by_slug(state.db(), slug)
        .await
        .map_err(|err| match err {
            Error::NotFound(_) => WebError::Core(Error::NotFound("organisation (tenant)")),
            other => WebError::Core(other),
        })
}

pub(crate) fn session_cookie(state: &AppState, tenant: &Tenant) -> String {
    cookies::name(
        state.config().secure_cookies,
        &format!("session-{}", tenant.slug),
    )
}

/// The signed-in session of this browser in `tenant` (complete sign-ins only).
pub(crate) async fn current_session(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
) -> Result<Option<(Session, User)>, WebError> {
    session_at(state, headers, tenant, SessionStage::Complete).await
}

/// This browser's session in `tenant` at `stage`.
pub(crate) async fn session_at(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    stage: SessionStage,
) -> Result<Option<(Session, User)>, WebError> {
    let Some(presented) = cookies::get(headers, &session_cookie(state, tenant)) else {
        return Ok(None);
    };
    Ok(session::authenticate(
        state.db(),
        state.clock(),
        &state.config().session,
        tenant,
        &presented,
        stage,
    )
    .await?)
}

/// A new sign-in replaces the session this browser had for the tenant:
/// that one ends, with the application tokens issued through it.
pub(crate) async fn end_previous_sessions(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
) -> Result<(), WebError> {
    for stage in [SessionStage::Complete, SessionStage::SecondFactor] {
        if let Some((previous, _)) = session_at(state, headers, tenant, stage).await? {
            signin::end_session(state.db(), &previous.id_hash, state.clock().now()).await?;
        }
    }
    Ok(())
}

/// Gives the browser its session: `token` in the tenant's session cookie.
pub(crate) fn set_session_cookie(
    state: &AppState,
    tenant: &Tenant,
    response: &mut Response,
    token: &latchkey_core::platform::secret::SecretToken,
) {
    let cookie = cookies::set(
        state.config().secure_cookies,
        &session_cookie(state, tenant),
        token.expose(),
        None,
    );
    append_cookie(response, Some(cookie));
}

pub(crate) fn append_cookie(response: &mut Response, cookie: Option<String>) {
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Where a user must go first when the tenant requires a second factor they
/// have not set up (see `core::policy`). Every page for signed-in users calls
/// this, except the set-up pages themselves and sign-out.
pub(crate) async fn enrolment_first(
    state: &AppState,
    tenant: &Tenant,
    user: &User,
) -> Result<Option<Response>, WebError> {
    Ok(
        match enrolment::pending_enrolment(state.db(), tenant, user).await? {
            Some(Pending::SecondFactor) => {
                Some(see_other(&format!("/t/{}/account/totp", tenant.slug)))
            }
            Some(Pending::RecoveryCodes) => Some(see_other(&format!(
                "/t/{}/account/recovery-codes",
                tenant.slug
            ))),
            None => None,
        },
    )
}

/// After a complete sign-in: this browser becomes (or stays) a known device
/// of the user — a recovery started here later skips the waiting period —
/// and, when a second factor was used, an open recovery case of the user
/// ends: they have what they said they lost.
pub(crate) async fn after_sign_in(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
    meta: &latchkey_core::effects::audit::RequestMeta,
    second_factor: bool,
    response: &mut Response,
) -> Result<(), WebError> {
    let name = crate::recovery::device_cookie(state, tenant);
    let now = state.clock().now();
    // A fresh id on every complete sign-in: a value planted in this browser
    // by someone else never becomes theirs to present later.
    let presented = cookies::get(headers, &name).and_then(|v| SecretToken::from_presented(&v));
    let fresh = SecretToken::generate(state.random());
    state
        .db()
        .rotate_device(
            presented.as_ref().map(SecretToken::hash).as_deref(),
            &fresh.hash(),
            &tenant.id,
            &user.id,
            now,
        )
        .await?;
    let cookie = cookies::set(
        state.config().secure_cookies,
        &name,
        fresh.expose(),
        Some(400 * 24 * 3600),
    );
    append_cookie(response, Some(cookie));
    if second_factor
        && let Err(err) =
            latchkey_core::recovery::journey::cancel_on_sign_in(&state.env(), tenant, user, meta)
                .await
    {
        // The sign-in stands; housekeeping ends the case later.
        tracing::warn!(error = %err, "could not end an open recovery after a sign-in");
    }
    Ok(())
}

/// The language of pages for a visitor not (yet) known: the browser's
/// choice, else the tenant's.
pub(crate) fn language_of(
    headers: &HeaderMap,
    tenant: &Tenant,
) -> latchkey_core::effects::mail::Language {
    crate::i18n::negotiate(headers, tenant.default_language)
}

/// A signed-in person's language: their own, else the browser's.
pub(crate) fn user_language(
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &latchkey_core::accounts::user::User,
) -> latchkey_core::effects::mail::Language {
    user.language
        .unwrap_or_else(|| language_of(headers, tenant))
}

pub(crate) fn signin_text(
    headers: &HeaderMap,
    tenant: &Tenant,
) -> &'static crate::i18n::SigninText {
    crate::i18n::signin(language_of(headers, tenant))
}

/// Percent-encodes a query value (keeping `/`, which paths are full of).
pub(crate) fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// After a form: to `location`. Browsers apply the page's CSP
/// `form-action 'self'` to every redirect that follows a form submission,
/// so a way that ends at an application (the authorization endpoint, or
/// the application itself) continues from a small page instead, which
/// starts a navigation of its own.
pub(crate) fn continue_to(location: &str) -> Response {
    let leaves = location.starts_with("https://")
        || location.starts_with("http://")
        || (location.starts_with("/t/") && location.contains("/authorize?"));
    if !leaves {
        return see_other(location);
    }
    #[derive(Template)]
    #[template(path = "continue.html")]
    struct ContinuePage<'a> {
        t: &'static crate::i18n::OidcText,
        location: &'a str,
    }
    html(
        StatusCode::OK,
        &ContinuePage {
            t: crate::i18n::oidc(crate::i18n::current()),
            location,
        },
    )
}

pub(crate) fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// Only paths inside this tenant are followed after sign-in; anything else
/// (other hosts, `//evil`, backslashes) falls back to the account page.
pub(crate) fn safe_return_to(tenant: &Tenant, value: Option<&str>) -> String {
    let prefix = format!("/t/{}/", tenant.slug);
    match value {
        Some(v)
            if v.starts_with(&prefix)
                && v.len() <= 4096
                && !v.contains("//")
                && !v.contains('\\')
                && !v.chars().any(char::is_control) =>
        {
            v.to_owned()
        }
        _ => format!("{prefix}account"),
    }
}

pub async fn tenant_home(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    Ok(see_other(&format!("/t/{}/account", tenant.slug)))
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage<'a> {
    t: &'static crate::i18n::SigninText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    return_to: String,
    /// `return_to`, escaped for a link's query.
    return_to_query: String,
    login: String,
    error: Option<String>,
    notice: Option<&'a str>,
    /// Offer "Sign in with a passkey".
    passwordless: bool,
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

/// What the sign-in form shows besides its fixed parts.
struct SigninView {
    login: String,
    return_to: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

fn signin_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    status: StatusCode,
    view: SigninView,
) -> Response {
    let SigninView {
        login,
        return_to,
        error,
        notice,
    } = view;
    let (cookie, csrf) = csrf::issue(state, headers, tenant, "");
    let page = SigninPage {
        t: signin_text(headers, tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        return_to_query: query_escape(&return_to),
        return_to,
        login,
        error,
        notice,
        passwordless: tenant.passwordless && state.relying_party().is_some(),
    };
    csrf::render(state, status, &page, &cookie)
}

pub async fn signin_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: Result<Query<SigninQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let query = query.map(|Query(q)| q).unwrap_or_default();
    // `fresh`: an application asked for a new sign-in (prompt=login,
    // max_age); the form is shown even to a signed-in browser, and the new
    // sign-in replaces the session.
    if query.fresh.is_none() && current_session(&state, &headers, &tenant).await?.is_some() {
        return Ok(see_other(&safe_return_to(
            &tenant,
            query.return_to.as_deref(),
        )));
    }
    let t = signin_text(&headers, &tenant);
    let notice = if query.password_reset.is_some() {
        Some(t.password_reset_done)
    } else {
        query.signed_out.is_some().then_some(t.signed_out)
    };
    let return_to = safe_return_to(&tenant, query.return_to.as_deref());
    let view = SigninView {
        login: query
            .login
            .filter(|l| l.len() <= 256 && !l.chars().any(char::is_control))
            .unwrap_or_default(),
        return_to,
        error: None,
        notice,
    };
    Ok(signin_page(&state, &headers, &tenant, StatusCode::OK, view))
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

pub async fn signin(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<SigninForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let Ok(Form(form)) = form else {
        return Err(
            Error::invalid("form", "could not be read; send it from the sign-in page").into(),
        );
    };
    let config = state.config();
    if !csrf::check(&state, &headers, &tenant, "", &form.csrf) {
        return Err(WebError::Csrf);
    }
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let login = form.login.chars().take(254).collect::<String>();
    let again = |status, error: String| {
        let view = SigninView {
            login: login.clone(),
            return_to: return_to.clone(),
            error: Some(error),
            notice: None,
        };
        signin_page(&state, &headers, &tenant, status, view)
    };
    if form.login.trim().is_empty() || form.password.is_empty() {
        return Ok(again(
            StatusCode::BAD_REQUEST,
            signin_text(&headers, &tenant).enter_both.into(),
        ));
    }
    if form.password.len() > PASSWORD_INPUT_MAX {
        return Ok(again(
            StatusCode::BAD_REQUEST,
            signin_text(&headers, &tenant).too_long.into(),
        ));
    }
    let device = cookies::get(&headers, &crate::recovery::device_cookie(&state, &tenant));
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
    match result {
        Ok(signed_in) => {
            end_previous_sessions(&state, &headers, &tenant).await?;
            let next = match signed_in.session.stage {
                SessionStage::Complete => return_to.clone(),
                SessionStage::SecondFactor => format!(
                    "/t/{}/signin/otp?return_to={}",
                    tenant.slug,
                    query_escape(&return_to)
                ),
            };
            let mut response = continue_to(&next);
            set_session_cookie(&state, &tenant, &mut response, &signed_in.token);
            if signed_in.session.stage == SessionStage::Complete {
                after_sign_in(
                    &state,
                    &headers,
                    &tenant,
                    &signed_in.user,
                    &meta,
                    false,
                    &mut response,
                )
                .await?;
            }
            Ok(response)
        }
        Err(Error::InvalidCredentials) => Ok(again(
            StatusCode::UNAUTHORIZED,
            signin_text(&headers, &tenant).wrong_credentials.to_owned(),
        )),
        Err(Error::RateLimited { retry_after_secs }) => {
            let mut response = again(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "{} {}.",
                    signin_text(&headers, &tenant).too_many_signins,
                    crate::i18n::wait(language_of(&headers, &tenant), retry_after_secs)
                ),
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after_secs.max(1)),
            );
            Ok(response)
        }
        Err(Error::Overloaded { retry_after_secs }) => {
            state.metrics().overloaded();
            let mut response = again(
                StatusCode::SERVICE_UNAVAILABLE,
                signin_text(&headers, &tenant).busy.into(),
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after_secs.max(1)),
            );
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    t: &'static crate::i18n::AccountText,
    notice: Option<&'a str>,
    /// When the authenticator app was set up, if it is.
    totp_since: Option<String>,
    passkeys: Vec<PasskeyRow>,
    /// The server can offer passkeys (see `AppState::relying_party`).
    passkeys_available: bool,
    /// The user has a second factor (app or passkey), so recovery codes count.
    has_factor: bool,
    /// How ready the user is for the day they lose a factor: (done, advice).
    readiness: Vec<(bool, &'static str)>,
    /// For tenant admins: self-recovery's state and their latest request.
    admin: Option<AdminView>,
    /// Second factors the user had, newest first: (what, name, removed, by).
    history: Vec<(&'static str, String, String, &'static str)>,
    recovery_codes: i64,
    /// Applications the user allowed: (client row id, name, since).
    apps: Vec<(String, String, String)>,
    apps_text: &'static crate::i18n::OidcText,
    /// "Administration", for the console link administrators see.
    admin_title: &'static str,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    display_name: &'a str,
    username: &'a str,
    email: &'a str,
    email_verified: bool,
    signed_in_at: String,
    /// How this session was earned, e.g. "password, authenticator app".
    signed_in_with: String,
    expires_at: String,
    idle_minutes: i64,
    csrf: String,
}

/// What a tenant admin sees about self-recovery.
struct AdminView {
    active: bool,
    /// (status, when, the operator's reason).
    request: Option<(String, String, Option<String>)>,
    /// A new request can be made.
    can_request: bool,
}

/// A passkey as the account page lists it.
struct PasskeyRow {
    id: String,
    name: String,
    added: String,
    last_used: Option<String>,
    /// "synced passkey" or "not synced".
    kind: &'static str,
    /// Marked as a suspected copy: the warning to show.
    suspected_copy: Option<&'static str>,
}

pub(crate) fn utc(t: latchkey_core::platform::clock::UnixTime) -> String {
    match time::OffsetDateTime::from_unix_timestamp(t.0) {
        Ok(d) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute()
        ),
        Err(_) => t.0.to_string(),
    }
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    sent: Option<String>,
    password: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: Result<Query<AccountQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let tenant = load_tenant(&state, &slug).await?;
    let Some((session, user)) = current_session(&state, &headers, &tenant).await? else {
        return Ok(see_other(&format!(
            "/t/{0}/signin?return_to=/t/{0}/account",
            tenant.slug
        )));
    };
    if let Some(redirect) = enrolment_first(&state, &tenant, &user).await? {
        return Ok(redirect);
    }
    let config = state.config();
    let (cookie, csrf) = csrf::issue(&state, &headers, &tenant, &session.id_hash);
    let language = user
        .language
        .unwrap_or_else(|| language_of(&headers, &tenant));
    let t = crate::i18n::account(language);
    let notice = if query.password.is_some() {
        Some(t.password_changed)
    } else {
        query.sent.is_some().then_some(t.link_sent)
    };
    let totp_since = state
        .db()
        .totp_for_user(&user.id)
        .await?
        .map(|c| utc(c.created_at));
    let recovery_codes = state.db().unused_recovery_codes(&user.id).await?;
    let passkeys: Vec<PasskeyRow> = state
        .db()
        .passkeys_for_user(&user.id)
        .await?
        .into_iter()
        .map(|p| PasskeyRow {
            kind: if p.backup_eligible {
                t.synced
            } else {
                t.not_synced
            },
            suspected_copy: (!p.signs_in()).then_some(t.suspected_copy),
            id: p.id,
            name: p.name,
            added: utc(p.created_at),
            last_used: p.last_used_at.map(utc),
        })
        .collect();
    let factors = usize::from(totp_since.is_some()) + passkeys.len();
    let readiness = vec![
        (user.email_verified, t.ready_email),
        (recovery_codes > 0, t.ready_codes),
        (factors > 1, t.ready_factors),
    ];
    let history = state
        .db()
        .factor_history(&user.id)
        .await?
        .into_iter()
        .take(10)
        .map(|h| {
            (
                match h.kind {
                    latchkey_core::recovery::case::FactorKind::Totp => t.kind_app,
                    latchkey_core::recovery::case::FactorKind::Passkey => t.kind_passkey,
                    latchkey_core::recovery::case::FactorKind::RecoveryCodes => t.kind_codes,
                },
                h.name,
                utc(h.removed_at),
                if h.removed_by.starts_with("helpdesk:") {
                    t.by_admin
                } else {
                    t.by_recovery
                },
            )
        })
        .collect();
    let admin = if user.is_admin() {
        let latest = state.db().latest_activation_request(&tenant.id).await?;
        Some(AdminView {
            active: tenant.self_recovery,
            can_request: !tenant.self_recovery
                && latest.as_ref().is_none_or(|r| {
                    r.status != latchkey_core::recovery::case::RequestStatus::Pending
                }),
            request: latest.map(|r| {
                (
                    r.status.as_str().to_owned(),
                    utc(r.decided_at.unwrap_or(r.created_at)),
                    r.decision_reason,
                )
            }),
        })
    } else {
        None
    };
    let apps = latchkey_core::store::OidcStore::consents_for_user(state.db(), &user.id)
        .await?
        .into_iter()
        .map(|c| (c.client_id, c.client_name, utc(c.granted_at)))
        .collect();
    let page = AccountPage {
        apps,
        apps_text: crate::i18n::oidc(language),
        admin_title: crate::i18n::admin(language).title,
        t,
        notice,
        admin,
        readiness,
        history,
        has_factor: factors > 0,
        totp_since,
        passkeys,
        passkeys_available: state.relying_party().is_some(),
        recovery_codes,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        display_name: &user.display_name,
        username: &user.username,
        email: &user.email,
        email_verified: user.email_verified,
        signed_in_at: utc(session.auth_time),
        signed_in_with: session
            .methods
            .iter()
            .map(|m| match m {
                AuthMethod::Password => t.m_password,
                AuthMethod::Otp => t.m_otp,
                AuthMethod::HardwareKey => t.m_hwk,
                AuthMethod::SoftwareKey => t.m_swk,
                AuthMethod::KeyPossession => t.m_pop,
                AuthMethod::RecoveryCode => t.m_rc,
                AuthMethod::Recovery => t.m_recovery,
            })
            .collect::<Vec<_>>()
            .join(", "),
        expires_at: utc(session.expires_at),
        idle_minutes: config.session.idle_secs / 60,
        csrf,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn signout(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let config = state.config();
    let signin_url = format!("/t/{}/signin?signed_out=1", tenant.slug);
    // A sign-in waiting for its second step ends on the server too, not
    // only in the browser.
    let session = match current_session(&state, &headers, &tenant).await? {
        Some(found) => Some(found),
        None => session_at(&state, &headers, &tenant, SessionStage::SecondFactor).await?,
    };
    let Some((session, _user)) = session else {
        let mut response = see_other(&signin_url);
        append_cookie(
            &mut response,
            Some(cookies::clear(
                config.secure_cookies,
                &session_cookie(&state, &tenant),
            )),
        );
        return Ok(response);
    };
    let submitted = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if !csrf::check(&state, &headers, &tenant, &session.id_hash, &submitted) {
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
    let mut response = see_other(&signin_url);
    append_cookie(
        &mut response,
        Some(cookies::clear(
            config.secure_cookies,
            &session_cookie(&state, &tenant),
        )),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "verify_email.html")]
struct VerifyEmailPage<'a> {
    t: &'static crate::i18n::SigninText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    token: &'a str,
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The page a verification link opens: a button that confirms. (A link alone
/// changes nothing, so mail scanners that follow links cannot use it up.)
pub async fn verify_email_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: Result<Query<TokenQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let (cookie, csrf) = csrf::issue(&state, &headers, &tenant, "");
    let token: String = query.token.chars().take(64).collect();
    let page = VerifyEmailPage {
        t: signin_text(&headers, &tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        token: &token,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct VerifyEmailForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

pub async fn verify_email(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<VerifyEmailForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf::check(&state, &headers, &tenant, "", &form.csrf) {
        return Err(WebError::Csrf);
    }
    let user =
        latchkey_core::accounts::email::confirm(&state.env(), &tenant, &form.token, &meta).await?;
    let t = crate::i18n::signin(
        user.language
            .unwrap_or_else(|| language_of(&headers, &tenant)),
    );
    Ok(crate::error::html(
        StatusCode::OK,
        &crate::error::MessagePage {
            lang: t.lang,
            title: t.verified_title,
            message: &format!("{} {}", user.email, t.verified_text),
            details: vec![],
            link: Some((&format!("/t/{}/account", tenant.slug), t.to_account)),
        },
    ))
}

/// Sends the signed-in user a new verification link.
pub async fn resend_verification(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let Some((session, user)) = current_session(&state, &headers, &tenant).await? else {
        return Ok(see_other(&format!(
            "/t/{0}/signin?return_to=/t/{0}/account",
            tenant.slug
        )));
    };
    if let Some(redirect) = enrolment_first(&state, &tenant, &user).await? {
        return Ok(redirect);
    }
    let submitted = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if !csrf::check(&state, &headers, &tenant, &session.id_hash, &submitted) {
        return Err(WebError::Csrf);
    }
    latchkey_core::accounts::email::send(
        &state.env(),
        &tenant,
        &user,
        format!("user:{}", user.id),
        &meta,
    )
    .await?;
    Ok(see_other(&format!(
        "/t/{}/account?sent=verification",
        tenant.slug
    )))
}
