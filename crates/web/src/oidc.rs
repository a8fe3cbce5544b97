//! The OpenID Connect endpoints of a tenant: discovery, authorize (with the
//! consent page), token, userinfo, revocation, introspection and
//! RP-initiated logout. The rules are in `core::oidc`; this module reads
//! requests and writes the answers the RFCs prescribe.

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use latchkey_core::accounts::session::Session;
use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::factors::enrolment;
use latchkey_core::oidc::client::Client as OauthClient;
use latchkey_core::oidc::client_limit;
use latchkey_core::oidc::{
    self, AuthorizeError, AuthorizeRequest, ClientAuth, Issuer, Next, TokenError,
};
use latchkey_core::store::{ClientStore, OidcStore};
use latchkey_core::tenants::Tenant;
use serde::Deserialize;

use crate::error::{WebError, html};
use crate::pages::{
    Client, append_cookie, current_session, language_of, load_tenant, query_escape, safe_return_to,
    see_other, session_cookie,
};
use crate::{AppState, cookies, csrf};

type Params = Vec<(String, String)>;

fn issuer(state: &AppState, tenant: &Tenant) -> String {
    oidc::issuer(&state.config().public_url, tenant)
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The redirect to an application: 302 (RFC 6749 examples), never cached.
fn found(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location.to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}

// ---------------------------------------------------------------------------
// Discovery

pub async fn discovery(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let iss = issuer(&state, &tenant);
    let body = serde_json::json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "jwks_uri": format!("{iss}/jwks"),
        "revocation_endpoint": format!("{iss}/revoke"),
        "introspection_endpoint": format!("{iss}/introspect"),
        "end_session_endpoint": format!("{iss}/end_session"),
        "scopes_supported": oidc::SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES256", "RS256"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "acr_values_supported": ["1", "2"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid",
            "at_hash", "email", "email_verified", "name", "preferred_username", "locale", "updated_at"
        ],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body.to_string(),
    )
        .into_response())
}

// ---------------------------------------------------------------------------
// Authorize

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage<'a> {
    t: &'static crate::i18n::OidcText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    client_name: &'a str,
    username: &'a str,
    scopes: Vec<&'static str>,
    csrf: String,
    request: String,
}

fn text(headers: &HeaderMap, tenant: &Tenant) -> &'static crate::i18n::OidcText {
    crate::i18n::oidc(language_of(headers, tenant))
}

fn request_error_page(headers: &HeaderMap, tenant: &Tenant, detail: &str) -> Response {
    let t = text(headers, tenant);
    html(
        StatusCode::BAD_REQUEST,
        &crate::error::MessagePage {
            lang: t.lang,
            title: t.request_title,
            message: t.request_text,
            details: vec![detail.to_owned()],
            link: None,
        },
    )
}

/// The cookie that remembers an authorization request while the user sets
/// up a required second factor, so the last set-up page leads back to it.
fn resume_cookie(state: &AppState, tenant: &Tenant) -> String {
    cookies::name(
        state.config().secure_cookies,
        &format!("resume-{}", tenant.slug),
    )
}

/// Where the set-up pages lead when they are done: the remembered
/// authorization request, else the account page.
pub(crate) fn resume_target(state: &AppState, headers: &HeaderMap, tenant: &Tenant) -> String {
    let remembered = cookies::get(headers, &resume_cookie(state, tenant))
        .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
        .and_then(|b| String::from_utf8(b).ok());
    safe_return_to(tenant, remembered.as_deref())
}

pub async fn authorize(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    query: Result<Query<Params>, QueryRejection>,
) -> Result<Response, WebError> {
    let params = query.map(|Query(q)| q).map_err(|_| "the query string");
    authorize_with(&state, &slug, &headers, params).await
}

pub async fn authorize_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, WebError> {
    let params = form.map(|Form(f)| f).map_err(|_| "the request body");
    authorize_with(&state, &slug, &headers, params).await
}

/// An authorization request by GET or POST; `Err(what)` names the part that
/// is not valid form encoding.
async fn authorize_with(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    params: Result<Params, &str>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(state, slug).await?;
    match params {
        Ok(params) => run_authorize(state, headers, &tenant, params).await,
        Err(what) => Ok(request_error_page(
            headers,
            &tenant,
            &format!("{what} is not valid form encoding"),
        )),
    }
}

/// Whether the user allowed `client` at least `scope` before.
async fn has_consent(
    state: &AppState,
    user: &User,
    request: &AuthorizeRequest,
) -> Result<bool, WebError> {
    let Some(granted) = state.db().consent(&user.id, &request.client.id).await? else {
        return Ok(false);
    };
    let granted: Vec<&str> = granted.split(' ').collect();
    Ok(request.scope.iter().all(|s| granted.contains(&s.as_str())))
}

async fn run_authorize(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    params: Params,
) -> Result<Response, WebError> {
    let iss = issuer(state, tenant);
    let request = match oidc::parse_authorize(state.db(), tenant, params).await {
        Ok(r) => r,
        Err(AuthorizeError::Page(detail)) => {
            return Ok(request_error_page(headers, tenant, &detail));
        }
        Err(AuthorizeError::Redirect(e)) => return Ok(found(&e.location(&iss))),
    };
    let now = state.clock().now();
    let current = current_session(state, headers, tenant).await?;
    let (pending, consented) = match &current {
        Some((_, user)) => (
            enrolment::pending_enrolment(state.db(), tenant, user)
                .await?
                .is_some(),
            has_consent(state, user, &request).await?,
        ),
        None => (false, false),
    };
    let step = request.next(current.as_ref().map(|(s, _)| s), now, pending, consented);
    match step {
        Next::Fail(error) => {
            let description = match error {
                "login_required" => "the user must sign in",
                "interaction_required" => "the user must set up a second factor first",
                _ => "the user must allow this application",
            };
            Ok(found(&request.error(error, description).location(&iss)))
        }
        Next::SignIn { fresh } => {
            let resume = request.resume_path(tenant, fresh.then_some(now));
            let mut location = format!(
                "/t/{}/signin?return_to={}",
                tenant.slug,
                query_escape(&resume)
            );
            if let Some(hint) = &request.login_hint {
                location.push_str("&login=");
                location.push_str(&query_escape(hint));
            }
            if fresh {
                // The form even for a signed-in browser; the new sign-in
                // will replace the session (a GET here ends nothing).
                location.push_str("&fresh=1");
            }
            Ok(see_other(&location))
        }
        Next::Enrol => {
            let Some((_, user)) = &current else {
                return Err(WebError::Internal("enrolment without a session".into()));
            };
            let target = crate::pages::enrolment_first(state, tenant, user)
                .await?
                .unwrap_or_else(|| see_other(&format!("/t/{}/account", tenant.slug)));
            let mut response = target;
            append_cookie(
                &mut response,
                Some(cookies::set(
                    state.config().secure_cookies,
                    &resume_cookie(state, tenant),
                    &URL_SAFE_NO_PAD.encode(request.resume_path(tenant, None)),
                    Some(3600),
                )),
            );
            Ok(response)
        }
        Next::Consent => {
            let Some((session, user)) = &current else {
                return Err(WebError::Internal("consent without a session".into()));
            };
            Ok(consent_page(
                state, headers, tenant, session, user, &request,
            ))
        }
        Next::Issue => {
            let Some((session, user)) = &current else {
                return Err(WebError::Internal("a code without a session".into()));
            };
            issue(state, tenant, &request, session, user).await
        }
    }
}

/// The consent form's CSRF binding: this session and this very request, so
/// a token from another page cannot answer it.
fn consent_binding(session: &Session, request: &str) -> String {
    format!(
        "{}:consent:{}",
        session.id_hash,
        latchkey_core::platform::secret::sha256_hex(request.as_bytes())
    )
}

fn consent_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &Session,
    user: &User,
    request: &AuthorizeRequest,
) -> Response {
    let t = text(headers, tenant);
    let scopes = request
        .scope
        .iter()
        .map(|s| match s.as_str() {
            "openid" => t.scope_openid,
            "profile" => t.scope_profile,
            "email" => t.scope_email,
            oidc::ADMIN_SCOPE => t.scope_admin,
            _ => t.scope_offline,
        })
        .collect();
    let resume = request.resume_path(tenant, None);
    let (cookie, csrf) = csrf::issue(state, headers, tenant, &consent_binding(session, &resume));
    let page = ConsentPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        client_name: &request.client.name,
        username: &user.username,
        scopes,
        csrf,
        request: resume,
    };
    csrf::render(state, StatusCode::OK, &page, &cookie)
}

/// A redirect answered to a form, as a page that continues (see
/// [`crate::pages::continue_to`]), keeping the redirect's cookies.
fn leave_form(redirect: Response) -> Response {
    let Some(location) = redirect
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return redirect;
    };
    let mut page = crate::pages::continue_to(&location);
    for cookie in redirect.headers().get_all(header::SET_COOKIE) {
        page.headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    page
}

/// Issues the code and sends the browser back to the application.
async fn issue(
    state: &AppState,
    tenant: &Tenant,
    request: &AuthorizeRequest,
    session: &Session,
    user: &User,
) -> Result<Response, WebError> {
    let code = oidc::issue_code(
        state.db(),
        state.random(),
        tenant,
        request,
        session,
        user,
        state.clock().now(),
    )
    .await?;
    let iss = issuer(state, tenant);
    let mut pairs = vec![("code", code.expose())];
    if let Some(s) = &request.state {
        pairs.push(("state", s));
    }
    pairs.push(("iss", &iss));
    let mut response = found(&oidc::with_query(&request.redirect_uri, &pairs));
    append_cookie(
        &mut response,
        Some(cookies::clear(
            state.config().secure_cookies,
            &resume_cookie(state, tenant),
        )),
    );
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request: String,
    #[serde(default)]
    decision: String,
}

/// The consent page's answer.
pub async fn consent(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<ConsentForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let prefix = format!("/t/{}/authorize?", tenant.slug);
    let Some(query) = form.request.strip_prefix(&prefix) else {
        return Ok(request_error_page(
            &headers,
            &tenant,
            "the consent form does not carry an authorization request",
        ));
    };
    let Some((session, user)) = current_session(&state, &headers, &tenant).await? else {
        return Ok(see_other(&format!(
            "/t/{}/signin?return_to={}",
            tenant.slug,
            query_escape(&form.request)
        )));
    };
    if !csrf::check(
        &state,
        &headers,
        &tenant,
        &consent_binding(&session, &form.request),
        &form.csrf,
    ) {
        return Err(WebError::Csrf);
    }
    let params: Params = serde_urlencoded::from_str(query).unwrap_or_default();
    let iss = issuer(&state, &tenant);
    let request = match oidc::parse_authorize(state.db(), &tenant, params).await {
        Ok(r) => r,
        Err(AuthorizeError::Page(detail)) => {
            return Ok(request_error_page(&headers, &tenant, &detail));
        }
        Err(AuthorizeError::Redirect(e)) => return Ok(found(&e.location(&iss))),
    };
    // Everything but the consent itself must still hold (a fresh enough
    // sign-in, a required set-up done); otherwise the request starts over.
    let pending = enrolment::pending_enrolment(state.db(), &tenant, &user)
        .await?
        .is_some();
    match request.next(Some(&session), state.clock().now(), pending, false) {
        Next::Consent | Next::Issue => {}
        _ => return Ok(see_other(&request.resume_path(&tenant, None))),
    }
    match form.decision.as_str() {
        "allow" => {
            state
                .db()
                .save_consent(
                    &tenant.id,
                    &user.id,
                    &request.client.id,
                    &request.scope_string(),
                    state.clock().now(),
                )
                .await?;
            let issued = issue(&state, &tenant, &request, &session, &user).await?;
            Ok(leave_form(issued))
        }
        _ => Ok(crate::pages::continue_to(
            &request
                .error("access_denied", "the user did not allow this application")
                .location(&iss),
        )),
    }
}

// ---------------------------------------------------------------------------
// Token, revocation, introspection

fn token_error(err: &TokenError, basic: bool) -> Response {
    if err.error == "server_error" {
        tracing::error!(detail = %err.description, "token endpoint failed");
    }
    let description = if err.error == "server_error" {
        "the request could not be completed; try again"
    } else {
        err.description.as_str()
    };
    let mut response = json(
        StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST),
        &serde_json::json!({ "error": err.error, "error_description": description }),
    );
    if err.error == "server_error" {
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    }
    if err.error == "temporarily_unavailable" {
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    if let Some(secs) = err.retry_after_secs {
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    }
    if err.status() == 401 {
        let challenge = if basic {
            "Basic realm=\"latchkey\""
        } else {
            "Basic realm=\"latchkey\", error=\"invalid_client\""
        };
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
    }
    response
}

/// A form posted to the token-style endpoints: each parameter at most once
/// (RFC 6749 §3.2).
struct TokenForm {
    params: std::collections::HashMap<String, String>,
    auth: ClientAuth,
}

impl TokenForm {
    fn get(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

fn read_basic(headers: &HeaderMap) -> Result<Option<(String, String)>, TokenError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || {
        TokenError::new(
            "invalid_client",
            "the Authorization header is not valid Basic authentication",
        )
    };
    let value = value.to_str().map_err(|_| bad())?;
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return Err(bad());
    };
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    // RFC 6749 §2.3.1: both parts are form-encoded before Basic.
    let unescape = |v: &str| -> Result<String, TokenError> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={v}"))
            .ok()
            .and_then(|mut p| p.pop())
            .map(|(_, v)| v)
            .ok_or_else(bad)
    };
    Ok(Some((unescape(id)?, unescape(secret)?)))
}

fn read_token_form(
    headers: &HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<TokenForm, TokenError> {
    let Ok(Form(pairs)) = form else {
        return Err(TokenError::new(
            "invalid_request",
            "send the parameters as application/x-www-form-urlencoded in the body",
        ));
    };
    let mut params = std::collections::HashMap::new();
    for (k, v) in pairs {
        if params.contains_key(&k) {
            return Err(TokenError::new(
                "invalid_request",
                format!("the parameter {k} is given more than once"),
            ));
        }
        params.insert(k, v);
    }
    let auth = ClientAuth {
        basic: read_basic(headers)?,
        client_id: params.get("client_id").filter(|v| !v.is_empty()).cloned(),
        client_secret: params
            .get("client_secret")
            .filter(|v| !v.is_empty())
            .cloned(),
        assertion_type: params.get("client_assertion_type").cloned(),
        assertion: params.get("client_assertion").cloned(),
    };
    Ok(TokenForm { params, auth })
}

/// Reads the form and authenticates the client (within the limits on
/// failures, per client and address: `core::client_limit`).
async fn token_client(
    state: &AppState,
    tenant: &Tenant,
    headers: &HeaderMap,
    meta: &RequestMeta,
    form: Result<Form<Params>, FormRejection>,
    endpoint: &str,
) -> Result<(TokenForm, OauthClient), TokenError> {
    let form = read_token_form(headers, form)?;
    let iss = issuer(state, tenant);
    let token_endpoint = format!("{iss}/token");
    let this_endpoint = format!("{iss}/{endpoint}");
    let audiences = [
        iss.as_str(),
        token_endpoint.as_str(),
        this_endpoint.as_str(),
    ];
    let client = client_limit::authenticate(
        state.db(),
        state.client_limiter(),
        tenant,
        &form.auth,
        &audiences,
        meta.ip.as_deref(),
        state.clock().now(),
    )
    .await?;
    Ok((form, client))
}

pub async fn token(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = state.issuer_tenant(&slug).await?;
    let basic = headers.contains_key(header::AUTHORIZATION);
    let result = token_grant(&state, &tenant, &headers, &meta, form).await;
    Ok(match result {
        Ok(tokens) => json(
            StatusCode::OK,
            &serde_json::to_value(&tokens).unwrap_or_default(),
        ),
        Err(err) => token_error(&err, basic),
    })
}

async fn token_grant(
    state: &AppState,
    tenant: &Tenant,
    headers: &HeaderMap,
    meta: &RequestMeta,
    form: Result<Form<Params>, FormRejection>,
) -> Result<oidc::TokenResponse, TokenError> {
    let (form, client) = token_client(state, tenant, headers, meta, form, "token").await?;
    let keys = state.tenant_keys_for(&tenant.id, &client.token_alg).await?;
    let Some(signer) = keys.for_alg(&client.token_alg) else {
        return Err(TokenError::new(
            "server_error",
            format!("no {} key for tenant {}", client.token_alg, tenant.slug),
        ));
    };
    let iss = issuer(state, tenant);
    let issuer = Issuer {
        issuer: &iss,
        signer,
        secrets: state.secrets(),
    };
    let now = state.clock().now();
    match form.get("grant_type") {
        Some("authorization_code") => {
            let Some(code) = form.get("code") else {
                return Err(TokenError::new("invalid_request", "code is missing"));
            };
            oidc::exchange_code(
                state.db(),
                state.random(),
                &issuer,
                &client,
                code,
                form.get("redirect_uri"),
                form.get("code_verifier"),
                now,
            )
            .await
        }
        Some("refresh_token") => {
            let Some(token) = form.get("refresh_token") else {
                return Err(TokenError::new(
                    "invalid_request",
                    "refresh_token is missing",
                ));
            };
            oidc::refresh(
                state.db(),
                state.random(),
                &issuer,
                &client,
                token,
                form.get("scope"),
                now,
            )
            .await
        }
        Some("client_credentials") => {
            oidc::client_credentials(state.random(), &issuer, &client, form.get("scope"), now)
        }
        Some(other) => Err(TokenError::new(
            "unsupported_grant_type",
            format!("grant_type {other} is not supported"),
        )),
        None => Err(TokenError::new("invalid_request", "grant_type is missing")),
    }
}

/// An access token of this tenant that still stands. A token naming a key
/// this node has not loaded yet (rotated elsewhere) reloads the keys once.
pub(crate) async fn active_access_token(
    state: &AppState,
    tenant: &Tenant,
    token: &str,
) -> Result<Option<oidc::ActiveToken>, WebError> {
    let iss = issuer(state, tenant);
    let now = state.clock().now();
    let keys = state.tenant_keys(&tenant.id, false).await?;
    if let Some(active) =
        oidc::check_access_token(state.db(), &keys.keys, tenant, &iss, token, now).await?
    {
        return Ok(Some(active));
    }
    let kid = token
        .split('.')
        .next()
        .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
        .and_then(|h| serde_json::from_slice::<serde_json::Value>(&h).ok())
        .and_then(|h| h["kid"].as_str().map(str::to_owned));
    match kid {
        Some(kid) if !keys.keys.iter().any(|k| k.kid == kid) => {
            let keys = state.tenant_keys(&tenant.id, true).await?;
            Ok(oidc::check_access_token(state.db(), &keys.keys, tenant, &iss, token, now).await?)
        }
        _ => Ok(None),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = state.issuer_tenant(&slug).await?;
    let basic = headers.contains_key(header::AUTHORIZATION);
    let authenticated = token_client(&state, &tenant, &headers, &meta, form, "revoke").await;
    let (form, client) = match authenticated {
        Ok(pair) => pair,
        Err(err) => return Ok(token_error(&err, basic)),
    };
    let Some(token) = form.get("token") else {
        return Ok(token_error(
            &TokenError::new("invalid_request", "token is missing"),
            basic,
        ));
    };
    let keys = state.tenant_keys(&tenant.id, false).await?;
    oidc::revoke(
        state.db(),
        state.secrets(),
        &keys.keys,
        &tenant,
        &issuer(&state, &tenant),
        &client,
        token,
        state.clock().now(),
    )
    .await?;
    Ok((StatusCode::OK, [(header::CACHE_CONTROL, "no-store")]).into_response())
}

pub async fn introspect(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = state.issuer_tenant(&slug).await?;
    let basic = headers.contains_key(header::AUTHORIZATION);
    let (form, client) =
        match token_client(&state, &tenant, &headers, &meta, form, "introspect").await {
            Ok(pair) => pair,
            Err(err) => return Ok(token_error(&err, basic)),
        };
    if client.is_public() {
        return Ok(token_error(
            &TokenError::new(
                "invalid_client",
                "introspection needs a confidential client (one with a secret)",
            ),
            basic,
        ));
    }
    let Some(token) = form.get("token") else {
        return Ok(token_error(
            &TokenError::new("invalid_request", "token is missing"),
            basic,
        ));
    };
    let inactive = serde_json::json!({ "active": false });
    let iss = issuer(&state, &tenant);
    // Access tokens: any confidential client of the tenant (resource
    // servers) may ask. Refresh tokens: only the client they were issued to.
    if let Some(active) = active_access_token(&state, &tenant, token).await? {
        let c = &active.claims;
        let mut body = serde_json::json!({
            "active": true,
            "token_type": "access_token",
            "iss": c["iss"], "sub": c["sub"], "aud": c["aud"], "client_id": c["client_id"],
            "exp": c["exp"], "iat": c["iat"], "jti": c["jti"],
        });
        for k in ["scope", "auth_time", "acr", "amr", "sid"] {
            if let Some(v) = c.get(k) {
                body[k] = v.clone();
            }
        }
        if let Some(user) = &active.user {
            body["username"] = user.username.clone().into();
        }
        return Ok(json(StatusCode::OK, &body));
    }
    let now = state.clock().now();
    if let Some((grant, user)) =
        oidc::check_refresh_token(state.db(), state.secrets(), &client, token, now).await?
    {
        return Ok(json(
            StatusCode::OK,
            &serde_json::json!({
                "active": true,
                "token_type": "refresh_token",
                "iss": iss,
                "sub": user.id,
                "username": user.username,
                "client_id": client.client_id,
                "scope": grant.scope,
                "exp": grant.expires_at.0,
                "iat": grant.created_at.0,
                "auth_time": grant.auth_time.0,
            }),
        ));
    }
    Ok(json(StatusCode::OK, &inactive))
}

// ---------------------------------------------------------------------------
// Userinfo

fn bearer_error(error: Option<&str>, status: StatusCode) -> Response {
    let challenge = match error {
        Some(e) => format!("Bearer realm=\"latchkey\", error=\"{e}\""),
        None => "Bearer realm=\"latchkey\"".to_owned(),
    };
    let mut response = (status, [(header::CACHE_CONTROL, "no-store")]).into_response();
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

pub async fn userinfo(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = state.issuer_tenant(&slug).await?;
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
    else {
        return Ok(bearer_error(None, StatusCode::UNAUTHORIZED));
    };
    let Some(active) = active_access_token(&state, &tenant, token.trim()).await? else {
        return Ok(bearer_error(
            Some("invalid_token"),
            StatusCode::UNAUTHORIZED,
        ));
    };
    let (Some(user), Some(grant)) = (&active.user, &active.grant) else {
        // A client-credentials token speaks for no user.
        return Ok(bearer_error(
            Some("insufficient_scope"),
            StatusCode::FORBIDDEN,
        ));
    };
    if !grant.scope.split(' ').any(|s| s == "openid") {
        return Ok(bearer_error(
            Some("insufficient_scope"),
            StatusCode::FORBIDDEN,
        ));
    }
    let mut body = serde_json::json!({ "sub": user.id });
    for (k, v) in oidc::user_claims(user, &grant.scope) {
        body[k] = v;
    }
    Ok(json(StatusCode::OK, &body))
}

// ---------------------------------------------------------------------------
// RP-initiated logout

#[derive(Template)]
#[template(path = "logout.html")]
struct LogoutPage<'a> {
    t: &'static crate::i18n::OidcText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    redirect: String,
}

fn single(params: &Params, name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty() && v.len() <= 8192)
}

/// Where to send the browser after signing out, if the application asked
/// for a registered address; an unregistered one is an error page.
async fn logout_target(
    state: &AppState,
    tenant: &Tenant,
    params: &Params,
) -> Result<Result<(Option<String>, Option<String>), String>, WebError> {
    let hint = match single(params, "id_token_hint") {
        Some(token) => {
            let keys = state.tenant_keys(&tenant.id, false).await?;
            // An ID token (not an access token) this issuer signed; expired
            // ones are fine, as RP-initiated logout says.
            let Some(claims) = latchkey_core::oidc::signing::verify(
                &keys.keys,
                &token,
                "JWT",
                state.clock().now(),
            )
            .filter(|c| c["iss"] == issuer(state, tenant) && c.get("azp") == c.get("aud")) else {
                return Ok(Err(
                    "id_token_hint is not an ID token this issuer signed".into()
                ));
            };
            Some(claims)
        }
        None => None,
    };
    let client_id = single(params, "client_id");
    let hinted = hint
        .as_ref()
        .and_then(|c| c["aud"].as_str().map(str::to_owned));
    if let (Some(a), Some(b)) = (&client_id, &hinted)
        && a != b
    {
        return Ok(Err("client_id differs from the ID token's audience".into()));
    }
    let sid = hint
        .as_ref()
        .and_then(|c| c["sid"].as_str().map(str::to_owned));
    let Some(uri) = single(params, "post_logout_redirect_uri") else {
        return Ok(Ok((None, sid)));
    };
    let Some(client_id) = client_id.or(hinted) else {
        return Ok(Err(
            "post_logout_redirect_uri needs id_token_hint or client_id".into(),
        ));
    };
    let Some(client) = state
        .db()
        .client_by_client_id(&tenant.id, &client_id)
        .await?
    else {
        return Ok(Err(format!(
            "no application \"{client_id}\" is registered here"
        )));
    };
    if !client.post_logout_uris.contains(&uri) {
        return Ok(Err(
            "post_logout_redirect_uri is not registered for this application".into(),
        ));
    }
    let target = match single(params, "state") {
        Some(s) => oidc::with_query(&uri, &[("state", &s)]),
        None => uri,
    };
    Ok(Ok((Some(target), sid)))
}

async fn sign_out_browser(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    meta: &latchkey_core::effects::audit::RequestMeta,
    session: &Session,
    target: Option<String>,
) -> Result<Response, WebError> {
    latchkey_core::accounts::signin::sign_out(
        state.db(),
        state.random(),
        state.clock(),
        tenant,
        session,
        meta,
    )
    .await?;
    let mut response = signed_out(headers, tenant, target);
    append_cookie(
        &mut response,
        Some(cookies::clear(
            state.config().secure_cookies,
            &session_cookie(state, tenant),
        )),
    );
    Ok(response)
}

fn signed_out(headers: &HeaderMap, tenant: &Tenant, target: Option<String>) -> Response {
    match target {
        Some(target) => found(&target),
        None => {
            let t = text(headers, tenant);
            html(
                StatusCode::OK,
                &crate::error::MessagePage {
                    lang: t.lang,
                    title: t.signed_out_title,
                    message: t.signed_out_text,
                    details: vec![],
                    link: None,
                },
            )
        }
    }
}

/// The sign-out form's CSRF binding: the session and the address it
/// returns to (checked when the form was made), so neither can be swapped.
fn logout_binding(session: &Session, target: &str) -> String {
    format!(
        "{}:logout:{}",
        session.id_hash,
        latchkey_core::platform::secret::sha256_hex(target.as_bytes())
    )
}

async fn end_session_with(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    meta: &latchkey_core::effects::audit::RequestMeta,
    params: Params,
) -> Result<Response, WebError> {
    let (target, sid) = match logout_target(state, tenant, &params).await? {
        Ok(pair) => pair,
        Err(detail) => return Ok(request_error_page(headers, tenant, &detail)),
    };
    let Some((session, _)) = current_session(state, headers, tenant).await? else {
        return Ok(signed_out(headers, tenant, target));
    };
    // The application proved which sign-in it means: no question needed.
    if sid.is_some_and(|sid| sid == oidc::sid(state.secrets(), &session.id_hash)) {
        return sign_out_browser(state, headers, tenant, meta, &session, target).await;
    }
    let target = target.unwrap_or_default();
    let (cookie, csrf) = csrf::issue(state, headers, tenant, &logout_binding(&session, &target));
    let page = LogoutPage {
        t: text(headers, tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        redirect: target,
    };
    Ok(csrf::render(state, StatusCode::OK, &page, &cookie))
}

pub async fn end_session(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    query: Result<Query<Params>, QueryRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let params = query.map(|Query(q)| q).unwrap_or_default();
    end_session_with(&state, &headers, &tenant, &meta, params).await
}

pub async fn end_session_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let params = form.map(|Form(f)| f).unwrap_or_default();
    end_session_with(&state, &headers, &tenant, &meta, params).await
}

#[derive(Deserialize, Default)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    post_logout_redirect_uri: String,
}

/// The confirmation of the sign-out page. The address to return to was
/// checked when the page was made; it is checked again here, since the
/// form comes back from the browser.
pub async fn end_session_confirm(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&state, &slug).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let Some((session, _)) = current_session(&state, &headers, &tenant).await? else {
        return Ok(signed_out(&headers, &tenant, None));
    };
    let binding = logout_binding(&session, &form.post_logout_redirect_uri);
    if !csrf::check(&state, &headers, &tenant, &binding, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let target = Some(form.post_logout_redirect_uri).filter(|t| !t.is_empty());
    let response = sign_out_browser(&state, &headers, &tenant, &meta, &session, target).await?;
    Ok(leave_form(response))
}

/// The account page's "Remove access": the consent goes, and with it every
/// token the application holds for the user.
pub async fn withdraw_consent(
    State(state): State<AppState>,
    Path((slug, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<crate::factors::CsrfForm>, FormRejection>,
) -> Result<Response, WebError> {
    let posted = match crate::factors::signed_in_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(redirect),
    };
    state
        .db()
        .withdraw_consent(&posted.user.id, &client_id, state.clock().now())
        .await?;
    Ok(see_other(&format!("/t/{}/account", posted.tenant.slug)))
}
