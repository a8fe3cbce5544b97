//! The OpenID Connect provider's rules: authorization requests, codes,
//! grants with rotating refresh tokens, token contents, and what each
//! endpoint may answer. HTTP lives in the web crate; this module decides.
//!
//! Every tenant is its own issuer (`{public_url}/t/{slug}`). Codes and
//! refresh tokens are random 256-bit values stored as SHA-256. A grant is
//! what one redeemed code gave: its refresh tokens form one family, and every
//! access token names the grant in its `jti`, so revoking the grant (reuse
//! of a refresh token, replay of a code, sign-out, revocation) ends them all
//! at the userinfo and introspection endpoints.

pub mod assertion;
pub mod client;
pub mod client_limit;
pub mod signing;
pub mod store;

use std::collections::BTreeMap;

use crate::Error;
use crate::accounts::session::{AuthMethod, Session};
use crate::accounts::user::User;
use crate::oidc::client::{Client, GrantType};
use crate::oidc::signing::Signer;
use crate::platform::clock::UnixTime;
use crate::platform::crypto::SecretBox;
use crate::platform::random::{Random, new_id};
use crate::platform::secret::{SecretToken, b64url, ct_eq, sha256_hex};
use crate::store::{ClientStore, OidcStore, SessionStore, StoreResult, UserStore};
use crate::tenants::Tenant;

/// An authorization code lives this long (RFC 6749 recommends ≤ 10 min).
pub const CODE_SECS: i64 = 60;
/// Scopes latchkey knows; others are ignored, as OpenID Connect asks.
pub const SCOPES: [&str; 5] = ["openid", "profile", "email", "offline_access", ADMIN_SCOPE];
/// Access to the tenant administration API: only for first-party
/// applications, and only granted to the tenant's administrators.
pub const ADMIN_SCOPE: &str = "latchkey:admin";
/// Longest accepted value of any authorization parameter.
const PARAM_MAX: usize = 2048;
/// The parameter latchkey adds to an authorization request it resumes after
/// a sign-in it forced (`prompt=login`, `max_age`): the sign-in must be this
/// recent. Dropping it only drops what the application asked for.
pub const SIGNED_IN_AFTER: &str = "latchkey_signed_in_after";

/// The issuer of a tenant.
pub fn issuer(public_url: &str, tenant: &Tenant) -> String {
    format!("{}/t/{}", public_url.trim_end_matches('/'), tenant.slug)
}

/// `acr`: "2" when a second factor (app code, security key or passkey,
/// recovery code) was part of the sign-in, else "1".
pub fn acr(methods: &[AuthMethod]) -> &'static str {
    if methods.iter().any(|m| {
        matches!(
            m,
            AuthMethod::Otp
                | AuthMethod::HardwareKey
                | AuthMethod::SoftwareKey
                | AuthMethod::KeyPossession
                | AuthMethod::RecoveryCode
        )
    }) {
        "2"
    } else {
        "1"
    }
}

/// The session id an application sees (`sid`): a keyed hash of the
/// session's own hash, so it identifies the session without revealing it.
pub fn sid(secrets: &SecretBox, session_hash: &str) -> String {
    secrets.mac(&[b"oidc-sid", session_hash.as_bytes()])[..32].to_owned()
}

// ---------------------------------------------------------------------------
// Authorization requests

/// What an application asked for with `prompt`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prompt {
    pub none: bool,
    pub login: bool,
    pub consent: bool,
}

/// A validated authorization request.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub client: Client,
    pub redirect_uri: String,
    /// Known scopes only, in the order asked.
    pub scope: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    pub signed_in_after: Option<UnixTime>,
    /// The parameters as given, for resuming the request after a sign-in.
    params: Vec<(String, String)>,
}

/// An error to send back to the application at its redirect URI
/// (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRedirect {
    pub redirect_uri: String,
    pub state: Option<String>,
    pub error: &'static str,
    pub description: String,
}

/// Why an authorization request fails: with a redirect URI that cannot be
/// trusted, the user sees a page; otherwise the application gets the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeError {
    Page(String),
    Redirect(ErrorRedirect),
}

/// Adds `pairs` to the query of `uri` (which may have one already).
pub fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (k, v) in pairs {
        out.push(sep);
        out.push_str(&form_encode(k));
        out.push('=');
        out.push_str(&form_encode(v));
        sep = '&';
    }
    out
}

fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

impl ErrorRedirect {
    /// Where the browser goes: the redirect URI with `error`,
    /// `error_description`, `state` and `iss` (RFC 9207).
    pub fn location(&self, issuer: &str) -> String {
        let mut pairs = vec![
            ("error", self.error),
            ("error_description", self.description.as_str()),
        ];
        if let Some(state) = &self.state {
            pairs.push(("state", state));
        }
        pairs.push(("iss", issuer));
        with_query(&self.redirect_uri, &pairs)
    }
}

fn single<'a>(params: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, String> {
    let mut found = params.iter().filter(|(k, _)| k == name);
    let first = found.next();
    if found.next().is_some() {
        return Err(format!("the parameter {name} is given more than once"));
    }
    match first {
        Some((_, v)) if v.len() > PARAM_MAX => Err(format!(
            "the parameter {name} is longer than {PARAM_MAX} characters"
        )),
        Some((_, v)) if v.is_empty() => Ok(None),
        Some((_, v)) => Ok(Some(v.as_str())),
        None => Ok(None),
    }
}

/// Whether `value` is a PKCE code verifier or S256 challenge's character set
/// and length (RFC 7636 §4.1: 43–128 unreserved characters).
fn pkce_shaped(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Whether the PKCE `verifier` matches the S256 `challenge`, in constant time.
pub fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    use sha2::Digest;
    pkce_shaped(verifier)
        && ct_eq(
            b64url(&sha2::Sha256::digest(verifier.as_bytes())).as_bytes(),
            challenge.as_bytes(),
        )
}

/// Validates an authorization request. The client and redirect URI are
/// checked first: until both are known good, nothing is sent back to the
/// redirect URI (an open redirector otherwise).
pub async fn parse_authorize<S: ClientStore>(
    store: &S,
    tenant: &Tenant,
    params: Vec<(String, String)>,
) -> Result<AuthorizeRequest, AuthorizeError> {
    let page = AuthorizeError::Page;
    if params.len() > 40 {
        return Err(page("the request has too many parameters".into()));
    }
    let client_id = single(&params, "client_id").map_err(page)?;
    let Some(client_id) = client_id else {
        return Err(page(
            "the application did not say who it is (client_id is missing)".into(),
        ));
    };
    let client = store
        .client_by_client_id(&tenant.id, client_id)
        .await
        .map_err(|_| page("the application could not be looked up; try again".into()))?
        .ok_or_else(|| page(format!("no application \"{client_id}\" is registered here")))?;
    let redirect_uri = single(&params, "redirect_uri").map_err(page)?;
    let Some(redirect_uri) = redirect_uri else {
        return Err(page(
            "the application did not say where to return (redirect_uri is missing)".into(),
        ));
    };
    if !client.redirect_uris.iter().any(|u| u == redirect_uri) {
        return Err(page(
            "the application asked to return to an address it has not registered".into(),
        ));
    }
    let redirect_uri = redirect_uri.to_owned();
    // A state that cannot be returned exactly is an error (without it).
    let state = match single(&params, "state") {
        Ok(state) => state.map(str::to_owned),
        Err(description) => {
            return Err(AuthorizeError::Redirect(ErrorRedirect {
                redirect_uri,
                state: None,
                error: "invalid_request",
                description,
            }));
        }
    };
    let fail = |error: &'static str, description: String| {
        AuthorizeError::Redirect(ErrorRedirect {
            redirect_uri: redirect_uri.clone(),
            state: state.clone(),
            error,
            description,
        })
    };
    let get = |name: &str| single(&params, name).map_err(|d| fail("invalid_request", d));
    for (name, error) in [
        ("request", "request_not_supported"),
        ("request_uri", "request_uri_not_supported"),
        ("registration", "registration_not_supported"),
    ] {
        if get(name)?.is_some() {
            return Err(fail(error, format!("{name} is not supported")));
        }
    }
    match get("response_type")? {
        Some("code") => {}
        None => return Err(fail("invalid_request", "response_type is missing".into())),
        Some(_) => {
            return Err(fail(
                "unsupported_response_type",
                "only response_type=code is supported".into(),
            ));
        }
    }
    if !client.grant_types.contains(&GrantType::AuthorizationCode) {
        return Err(fail(
            "unauthorized_client",
            "this application may not use the authorization code flow".into(),
        ));
    }
    match get("response_mode")? {
        None | Some("query") => {}
        Some(_) => {
            return Err(fail(
                "invalid_request",
                "only response_mode=query is supported".into(),
            ));
        }
    }
    let mut scope: Vec<String> = vec![];
    for s in get("scope")?.unwrap_or("").split(' ') {
        if s == ADMIN_SCOPE && !client.first_party {
            continue;
        }
        if SCOPES.contains(&s) && !scope.iter().any(|x| x == s) {
            scope.push(s.to_owned());
        }
    }
    if !scope.iter().any(|s| s == "openid") {
        return Err(fail("invalid_scope", "scope must include openid".into()));
    }
    let code_challenge = get("code_challenge")?;
    match (code_challenge, get("code_challenge_method")?) {
        (None, None) if client.is_public() => {
            return Err(fail(
                "invalid_request",
                "PKCE is required for this application: send code_challenge with code_challenge_method=S256".into(),
            ));
        }
        (None, None) => {}
        (Some(c), Some("S256")) if pkce_shaped(c) => {}
        (Some(_), Some("S256")) => {
            return Err(fail(
                "invalid_request",
                "code_challenge must be 43 to 128 URL-safe characters".into(),
            ));
        }
        (Some(_), None | Some("plain")) => {
            return Err(fail(
                "invalid_request",
                "code_challenge_method must be S256 (plain is not accepted)".into(),
            ));
        }
        _ => {
            return Err(fail(
                "invalid_request",
                "code_challenge_method needs code_challenge, and only S256 is accepted".into(),
            ));
        }
    }
    let mut prompt = Prompt::default();
    for p in get("prompt")?
        .unwrap_or("")
        .split(' ')
        .filter(|p| !p.is_empty())
    {
        match p {
            "none" => prompt.none = true,
            "login" => prompt.login = true,
            "consent" => prompt.consent = true,
            "select_account" => {}
            other => {
                return Err(fail(
                    "invalid_request",
                    format!("prompt value \"{other}\" is not known"),
                ));
            }
        }
    }
    if prompt.none && (prompt.login || prompt.consent) {
        return Err(fail(
            "invalid_request",
            "prompt=none cannot be combined with other prompt values".into(),
        ));
    }
    let max_age = match get("max_age")? {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                return Err(fail(
                    "invalid_request",
                    "max_age must be a whole number of seconds".into(),
                ));
            }
        },
    };
    let signed_in_after = match get(SIGNED_IN_AFTER)? {
        None => None,
        Some(v) => Some(UnixTime(v.parse::<i64>().map_err(|_| {
            fail(
                "invalid_request",
                format!("{SIGNED_IN_AFTER} is not a time"),
            )
        })?)),
    };
    let nonce = get("nonce")?.map(str::to_owned);
    let login_hint = get("login_hint")?.map(str::to_owned);
    Ok(AuthorizeRequest {
        redirect_uri,
        scope,
        nonce,
        code_challenge: code_challenge.map(str::to_owned),
        prompt,
        max_age,
        login_hint,
        signed_in_after,
        state,
        client,
        params,
    })
}

/// What an authorization request needs next for this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Sign in, then come back to [`AuthorizeRequest::resume_path`].
    /// `fresh`: the current sign-in is too old or a new one was asked for.
    SignIn { fresh: bool },
    /// The tenant requires a second factor the user has not set up yet.
    Enrol,
    /// The user has not allowed this application (or was asked to again).
    Consent,
    /// Everything is in place: issue a code.
    Issue,
    /// `prompt=none` and something above was needed.
    Fail(&'static str),
}

impl AuthorizeRequest {
    /// What to do for a browser with `session` (a complete sign-in), at `now`.
    pub fn next(
        &self,
        session: Option<&Session>,
        now: UnixTime,
        enrolment_pending: bool,
        consented: bool,
    ) -> Next {
        let Some(session) = session else {
            return if self.prompt.none {
                Next::Fail("login_required")
            } else {
                Next::SignIn { fresh: false }
            };
        };
        let too_old = self
            .max_age
            .is_some_and(|max| now.since(session.auth_time) > max)
            || self.signed_in_after.is_some_and(|t| session.auth_time < t);
        // `prompt=login` asks once: the resumed request carries
        // SIGNED_IN_AFTER instead.
        let forced = self.prompt.login && self.signed_in_after.is_none();
        if forced || too_old {
            return if self.prompt.none {
                Next::Fail("login_required")
            } else {
                Next::SignIn { fresh: true }
            };
        }
        if enrolment_pending {
            return if self.prompt.none {
                Next::Fail("interaction_required")
            } else {
                Next::Enrol
            };
        }
        if !self.client.first_party && (!consented || self.prompt.consent) {
            return if self.prompt.none {
                Next::Fail("consent_required")
            } else {
                Next::Consent
            };
        }
        Next::Issue
    }

    /// The path that resumes this request. After a forced sign-in (`fresh`)
    /// `prompt=login` and `max_age` give way to [`SIGNED_IN_AFTER`], so the
    /// resumed request accepts the new sign-in and no older one.
    pub fn resume_path(&self, tenant: &Tenant, fresh_after: Option<UnixTime>) -> String {
        let mut pairs: Vec<(String, String)> = self
            .params
            .iter()
            .filter(|(k, _)| {
                fresh_after.is_none()
                    || !matches!(k.as_str(), "prompt" | "max_age" | SIGNED_IN_AFTER)
            })
            .cloned()
            .collect();
        if let Some(t) = fresh_after {
            pairs.push((SIGNED_IN_AFTER.to_owned(), t.0.to_string()));
            if self.prompt.consent {
                pairs.push(("prompt".to_owned(), "consent".to_owned()));
            }
        }
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        with_query(&format!("/t/{}/authorize", tenant.slug), &refs)
    }

    pub fn scope_string(&self) -> String {
        self.scope.join(" ")
    }

    /// An error for the application, at its redirect URI.
    pub fn error(&self, error: &'static str, description: &str) -> ErrorRedirect {
        ErrorRedirect {
            redirect_uri: self.redirect_uri.clone(),
            state: self.state.clone(),
            error,
            description: description.to_owned(),
        }
    }
}

// ---------------------------------------------------------------------------
// Codes, grants, refresh tokens

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCode {
    pub code_hash: String,
    pub tenant_id: String,
    /// The client's row id.
    pub client_id: String,
    pub user_id: String,
    pub session_hash: String,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: UnixTime,
    pub amr: Vec<AuthMethod>,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    pub used_at: Option<UnixTime>,
    /// The user's security stamp when the code was issued.
    pub security_stamp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: String,
    pub tenant_id: String,
    /// The client's row id.
    pub client_id: String,
    /// `None` for client credentials.
    pub user_id: Option<String>,
    pub session_hash: Option<String>,
    pub scope: String,
    pub amr: Vec<AuthMethod>,
    pub auth_time: UnixTime,
    /// The user's security stamp when granted: a change (password reset,
    /// recovery, helpdesk reset) ends the grant.
    pub security_stamp: Option<String>,
    pub code_hash: Option<String>,
    pub created_at: UnixTime,
    /// When its last refresh token can no longer be used.
    pub expires_at: UnixTime,
    pub revoked_at: Option<UnixTime>,
    /// The generation of the one refresh token that works now (0: the grant
    /// has none). Every use moves it on by one.
    pub refresh_generation: i64,
}

/// A refresh token: the grant, the generation, and a MAC over both with
/// the deployment key. Nothing secret is stored: the grant keeps only the
/// current generation, so a token of an earlier generation is recognised
/// as genuine but used (reuse), and anything else as not valid.
pub fn refresh_token(secrets: &SecretBox, grant_id: &str, generation: i64) -> String {
    let generation = generation.to_string();
    let mac = secrets.mac(&[b"oidc-refresh", grant_id.as_bytes(), generation.as_bytes()]);
    format!("lkr.{grant_id}.{generation}.{mac}")
}

/// The grant and generation of a refresh token latchkey issued.
pub fn parse_refresh_token(secrets: &SecretBox, token: &str) -> Option<(String, i64)> {
    if token.len() > 200 {
        return None;
    }
    let mut parts = token.split('.');
    let (Some("lkr"), Some(grant_id), Some(generation), Some(mac), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let generation: i64 = generation.parse().ok().filter(|g| *g > 0)?;
    let expected = refresh_token(secrets, grant_id, generation);
    ct_eq(expected.as_bytes(), token.as_bytes())
        .then(|| (grant_id.to_owned(), generation))
        .filter(|_| !mac.is_empty())
}

/// Issues a code for a request the user has signed in to (and consented).
///
/// The administration scope is kept only for an administrator.
pub async fn issue_code<S: OidcStore>(
    store: &S,
    random: &dyn Random,
    tenant: &Tenant,
    request: &AuthorizeRequest,
    session: &Session,
    user: &User,
    now: UnixTime,
) -> Result<SecretToken, Error> {
    let code = SecretToken::generate(random);
    let scope = request
        .scope
        .iter()
        .filter(|s| s.as_str() != ADMIN_SCOPE || user.is_admin())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    store
        .insert_code(&AuthCode {
            code_hash: code.hash(),
            tenant_id: tenant.id.clone(),
            client_id: request.client.id.clone(),
            user_id: session.user_id.clone(),
            session_hash: session.id_hash.clone(),
            redirect_uri: request.redirect_uri.clone(),
            scope,
            nonce: request.nonce.clone(),
            code_challenge: request.code_challenge.clone(),
            auth_time: session.auth_time,
            amr: session.methods.clone(),
            created_at: now,
            expires_at: now.plus(CODE_SECS),
            used_at: None,
            security_stamp: Some(session.security_stamp.clone()),
        })
        .await?;
    Ok(code)
}

/// A token endpoint error (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub error: &'static str,
    pub description: String,
    /// Set when the request was refused by a rate limit: answered 429 with
    /// this `Retry-After`.
    pub retry_after_secs: Option<i64>,
}

impl TokenError {
    pub fn new(error: &'static str, description: impl Into<String>) -> TokenError {
        TokenError {
            error,
            description: description.into(),
            retry_after_secs: None,
        }
    }

    /// A refusal by a rate limit (too many failed client authentications):
    /// RFC 6749 has no code for it; `temporarily_unavailable` (§4.1.2.1)
    /// is the registered one that says "try again later", which clients
    /// already handle, with 429 and `Retry-After` (RFC 6585) saying when.
    pub fn limited(retry_after_secs: i64) -> TokenError {
        TokenError {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..TokenError::new(
                "temporarily_unavailable",
                "too many failed client authentications; try again after the time in Retry-After",
            )
        }
    }

    /// 429 for a rate limit, 401 for a failed client authentication, else 400.
    pub fn status(&self) -> u16 {
        if self.retry_after_secs.is_some() {
            429
        } else if self.error == "invalid_client" {
            401
        } else {
            400
        }
    }
}

impl From<Error> for TokenError {
    fn from(err: Error) -> TokenError {
        match err {
            Error::RateLimited { retry_after_secs } => TokenError::limited(retry_after_secs),
            Error::Overloaded { .. } => TokenError::new("temporarily_unavailable", err.to_string()),
            // The cause goes in the description's place only for the log:
            // the web layer logs server errors and sends a fixed text.
            other => TokenError::new("server_error", other.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for TokenError {
    fn from(err: crate::store::StoreError) -> TokenError {
        TokenError::from(Error::Store(err))
    }
}

/// How a client presented itself at the token, revocation or introspection
/// endpoint.
#[derive(Debug, Clone, Default)]
pub struct ClientAuth {
    /// From HTTP Basic (`client_secret_basic`).
    pub basic: Option<(String, String)>,
    /// From the form.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub assertion_type: Option<String>,
    pub assertion: Option<String>,
}

impl ClientAuth {
    /// The client this request names (not yet authenticated): HTTP Basic's
    /// id, else the form's `client_id`, else the `sub` of a client
    /// assertion (read before verifying only to know whose keys to use).
    pub fn named_client(&self) -> Option<String> {
        if let Some((id, _)) = &self.basic {
            return Some(id.clone());
        }
        if let Some(id) = &self.client_id {
            return Some(id.clone());
        }
        self.assertion
            .as_deref()?
            .split('.')
            .nth(1)
            .and_then(|c| {
                base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, c).ok()
            })
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|c| c["sub"].as_str().map(str::to_owned))
    }
}

/// Authenticates the client of a token request. A public client names
/// itself and has no secret; a confidential one must prove its secret with
/// exactly one method.
pub async fn authenticate_client<S: ClientStore + OidcStore>(
    store: &S,
    tenant: &Tenant,
    auth: &ClientAuth,
    audiences: &[&str],
    now: UnixTime,
) -> Result<Client, TokenError> {
    let invalid = || TokenError::new("invalid_client", "client authentication failed");
    if auth.assertion.is_some() || auth.assertion_type.is_some() {
        return assertion_client(store, tenant, auth, audiences, now).await;
    }
    let (client_id, secret) = match (&auth.basic, &auth.client_secret) {
        (Some(_), Some(_)) => {
            return Err(TokenError::new(
                "invalid_request",
                "use one client authentication method, not several",
            ));
        }
        (Some((id, secret)), None) => {
            if auth.client_id.as_ref().is_some_and(|c| c != id) {
                return Err(TokenError::new(
                    "invalid_request",
                    "client_id in the form differs from the authenticated client",
                ));
            }
            (id.clone(), Some(secret.clone()))
        }
        (None, secret) => match &auth.client_id {
            Some(id) => (id.clone(), secret.clone()),
            None => {
                return Err(TokenError::new(
                    "invalid_client",
                    "client authentication is missing",
                ));
            }
        },
    };
    if client_id.len() > 200 || secret.as_ref().is_some_and(|s| s.len() > 200) {
        return Err(invalid());
    }
    let client = store.client_by_client_id(&tenant.id, &client_id).await?;
    // A hash is computed even for an unknown client, so timing does not say
    // which client ids exist.
    let presented = sha256_hex(secret.as_deref().unwrap_or("").as_bytes());
    match (client, secret) {
        // A client with keys must use them: no secret, no plain client_id.
        (Some(client), _) if client.jwks.is_some() => Err(invalid()),
        (Some(client), None) if client.is_public() => Ok(client),
        (Some(client), Some(_)) => match &client.secret_hash {
            Some(hash) if ct_eq(hash.as_bytes(), presented.as_bytes()) => Ok(client),
            _ => Err(invalid()),
        },
        _ => Err(invalid()),
    }
}

/// `private_key_jwt`: the client named by the assertion, when it signed it
/// with a registered key and its `jti` is new.
async fn assertion_client<S: ClientStore + OidcStore>(
    store: &S,
    tenant: &Tenant,
    auth: &ClientAuth,
    audiences: &[&str],
    now: UnixTime,
) -> Result<Client, TokenError> {
    let invalid = |why: &str| TokenError::new("invalid_client", why);
    if auth.basic.is_some() || auth.client_secret.is_some() {
        return Err(TokenError::new(
            "invalid_request",
            "use one client authentication method, not several",
        ));
    }
    if auth.assertion_type.as_deref() != Some(crate::oidc::assertion::JWT_BEARER) {
        return Err(invalid(
            "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ));
    }
    let Some(assertion) = auth.assertion.as_deref() else {
        return Err(invalid("client_assertion is missing"));
    };
    // The client is named by client_id, or else by the assertion's `sub`.
    let Some(client_id) = auth.named_client().filter(|id| id.len() <= 200) else {
        return Err(invalid("client authentication failed"));
    };
    let Some(client) = store.client_by_client_id(&tenant.id, &client_id).await? else {
        return Err(invalid("client authentication failed"));
    };
    let Some(jwks) = &client.jwks else {
        return Err(invalid(
            "this client has no registered keys; use its secret",
        ));
    };
    let checked =
        crate::oidc::assertion::verify(jwks, assertion, &client.client_id, audiences, now)
            .map_err(invalid)?;
    let jti_hash = sha256_hex(format!("{}:{}", client.id, checked.jti).as_bytes());
    if !store
        .use_assertion(&jti_hash, &client.id, checked.expires_at)
        .await?
    {
        return Err(invalid("this client assertion was used before"));
    }
    Ok(client)
}

/// What the token endpoint hands out.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scope: String,
}

/// What signing needs: the tenant's issuer and opened key.
pub struct Issuer<'a> {
    pub issuer: &'a str,
    pub signer: &'a Signer,
    pub secrets: &'a SecretBox,
}

fn at_hash(access_token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    b64url(&digest[..16])
}

/// Claims about the user that `scope` lets the application see.
pub fn user_claims(user: &User, scope: &str) -> BTreeMap<&'static str, serde_json::Value> {
    let mut claims = BTreeMap::new();
    let has = |s: &str| scope.split(' ').any(|x| x == s);
    if has("email") {
        claims.insert("email", user.email.clone().into());
        claims.insert("email_verified", user.email_verified.into());
    }
    if has("profile") {
        claims.insert("name", user.display_name.clone().into());
        claims.insert("preferred_username", user.username.clone().into());
        if let Some(lang) = user.language {
            claims.insert("locale", lang.as_str().into());
        }
        claims.insert("updated_at", user.updated_at.0.into());
    }
    claims
}

/// Signs the access token (and for a user grant the ID token) of `grant`.
#[allow(clippy::too_many_arguments)]
fn mint(
    iss: &Issuer<'_>,
    random: &dyn Random,
    client: &Client,
    grant: &Grant,
    user: Option<&User>,
    nonce: Option<&str>,
    refresh_token: Option<String>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    let exp = now.plus(client.access_token_secs);
    let jti = format!("{}.{}", grant.id, new_id(random));
    let sub = grant
        .user_id
        .clone()
        .unwrap_or_else(|| client.client_id.clone());
    let mut access = serde_json::json!({
        "iss": iss.issuer,
        "sub": sub,
        "aud": client.client_id,
        "client_id": client.client_id,
        "iat": now.0,
        "exp": exp.0,
        "jti": jti,
    });
    if !grant.scope.is_empty() {
        access["scope"] = grant.scope.clone().into();
    }
    let mut id_token = None;
    let access_token;
    if let Some(user) = user {
        let amr: Vec<&str> = grant.amr.iter().map(|m| m.as_str()).collect();
        access["auth_time"] = grant.auth_time.0.into();
        access["amr"] = amr.clone().into();
        access["acr"] = acr(&grant.amr).into();
        if let Some(session) = &grant.session_hash {
            access["sid"] = sid(iss.secrets, session).into();
        }
        access_token = iss.signer.sign_typed("at+jwt", &access)?;
        if grant.scope.split(' ').any(|s| s == "openid") {
            let mut id = serde_json::json!({
                "iss": iss.issuer,
                "sub": sub,
                "aud": client.client_id,
                "azp": client.client_id,
                "iat": now.0,
                "exp": exp.0,
                "auth_time": grant.auth_time.0,
                "amr": amr,
                "acr": acr(&grant.amr),
                "at_hash": at_hash(&access_token),
            });
            if let Some(session) = &grant.session_hash {
                id["sid"] = sid(iss.secrets, session).into();
            }
            if let Some(nonce) = nonce {
                id["nonce"] = nonce.into();
            }
            for (k, v) in user_claims(user, &grant.scope) {
                id[k] = v;
            }
            id_token = Some(iss.signer.sign(&id)?);
        }
    } else {
        access_token = iss.signer.sign_typed("at+jwt", &access)?;
    }
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: client.access_token_secs,
        refresh_token,
        id_token,
        scope: grant.scope.clone(),
    })
}

/// The user of a grant, if the grant still stands for them: active, and
/// with the security stamp the grant began with.
async fn grant_user<S: UserStore>(store: &S, grant: &Grant) -> StoreResult<Option<User>> {
    let Some(user_id) = &grant.user_id else {
        return Ok(None);
    };
    let user = store.user_by_id(&grant.tenant_id, user_id).await?;
    Ok(user.filter(|u| stands_for(grant, u)))
}

/// Whether `grant` still stands for `user`: active, with the security
/// stamp the grant began with.
fn stands_for(grant: &Grant, user: &User) -> bool {
    user.is_active() && grant.security_stamp.as_deref() == Some(user.security_stamp.as_str())
}

/// `grant_type=authorization_code`. A code presented a second time revokes
/// everything issued from it (RFC 6749 §4.1.2).
#[allow(clippy::too_many_arguments)]
pub async fn exchange_code<S: OidcStore + UserStore + SessionStore>(
    store: &S,
    random: &dyn Random,
    iss: &Issuer<'_>,
    client: &Client,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    let bad = |d: &str| TokenError::new("invalid_grant", d);
    if !client.grant_types.contains(&GrantType::AuthorizationCode) {
        return Err(TokenError::new(
            "unauthorized_client",
            "this client may not use authorization codes",
        ));
    }
    let Some(presented) = SecretToken::from_presented(code) else {
        return Err(bad("the code is not valid"));
    };
    let hash = presented.hash();
    // Another tenant's or another client's code is just "not valid": only
    // its own client's replay revokes what it gave.
    let Some(stored) = store
        .code_by_hash(&hash)
        .await?
        .filter(|c| c.tenant_id == client.tenant_id && c.client_id == client.id)
    else {
        return Err(bad("the code is not valid"));
    };
    if stored.used_at.is_some() {
        store.revoke_grants_of_code(&hash, now).await?;
        return Err(bad(
            "the code was used before; tokens issued from it are revoked",
        ));
    }
    if now >= stored.expires_at {
        return Err(bad("the code has expired"));
    }
    if redirect_uri != Some(stored.redirect_uri.as_str()) {
        return Err(bad("redirect_uri differs from the authorization request's"));
    }
    match (&stored.code_challenge, verifier) {
        (Some(challenge), Some(v)) if pkce_matches(challenge, v) => {}
        (Some(_), Some(_)) => return Err(bad("the PKCE code_verifier does not match")),
        (Some(_), None) => return Err(bad("code_verifier is missing")),
        (None, Some(_)) => {
            return Err(bad(
                "code_verifier was sent but the request had no code_challenge",
            ));
        }
        (None, None) if client.is_public() => return Err(bad("PKCE is required")),
        (None, None) => {}
    }
    let user = store.user_by_id(&stored.tenant_id, &stored.user_id).await?;
    // The sign-in the code came from must still stand: not signed out, no
    // password or factor reset since.
    let session_stands = store.session_by_hash(&stored.session_hash).await?.is_some();
    let Some(user) = user.filter(|u| {
        u.is_active()
            && session_stands
            && stored.security_stamp.as_deref() == Some(u.security_stamp.as_str())
    }) else {
        return Err(bad("the sign-in behind this code has ended"));
    };
    let grant = Grant {
        id: new_id(random),
        tenant_id: stored.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: Some(user.id.clone()),
        session_hash: Some(stored.session_hash.clone()),
        scope: stored.scope.clone(),
        amr: stored.amr.clone(),
        auth_time: stored.auth_time,
        security_stamp: Some(user.security_stamp.clone()),
        code_hash: Some(hash.clone()),
        created_at: now,
        expires_at: now.plus(client.refresh_token_secs),
        revoked_at: None,
        refresh_generation: i64::from(client.grant_types.contains(&GrantType::RefreshToken)),
    };
    let refresh = (grant.refresh_generation > 0)
        .then(|| refresh_token(iss.secrets, &grant.id, grant.refresh_generation));
    if !store.redeem_code(&hash, &grant, now).await? {
        // Redeemed by a concurrent request: a replay all the same.
        store.revoke_grants_of_code(&hash, now).await?;
        return Err(bad(
            "the code was used before; tokens issued from it are revoked",
        ));
    }
    mint(
        iss,
        random,
        client,
        &grant,
        Some(&user),
        stored.nonce.as_deref(),
        refresh,
        now,
    )
}

/// `grant_type=refresh_token`: the token is rotated. A token presented
/// after it was rotated revokes its whole family (the grant).
pub async fn refresh<S: OidcStore + UserStore>(
    store: &S,
    random: &dyn Random,
    iss: &Issuer<'_>,
    client: &Client,
    token: &str,
    scope: Option<&str>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    let bad = |d: &str| TokenError::new("invalid_grant", d);
    if !client.grant_types.contains(&GrantType::RefreshToken) {
        return Err(TokenError::new(
            "unauthorized_client",
            "this client may not use refresh tokens",
        ));
    }
    let Some((grant_id, generation)) = parse_refresh_token(iss.secrets, token) else {
        return Err(bad("the refresh token is not valid"));
    };
    let narrower = scope.filter(|s| !s.trim().is_empty());
    if narrower.is_none() {
        // The usual refresh: move the grant on first (one batched statement
        // with every refresh of the moment), then look at what moved. When
        // nothing moved, the careful way below says why.
        if let Some((grant, user)) = store
            .rotate_refresh(&grant_id, generation, &client.id, now)
            .await?
        {
            if grant.revoked_at.is_some() {
                // revoked between the move and the read
                return Err(bad("the refresh token has expired or was revoked"));
            }
            if !stands_for(&grant, &user) {
                store.revoke_grant(&grant.id, now).await?;
                return Err(bad("the sign-in behind this token has ended"));
            }
            let next = Some(refresh_token(iss.secrets, &grant.id, generation + 1));
            return mint(iss, random, client, &grant, Some(&user), None, next, now);
        }
    }
    let Some((grant, user)) = store
        .grant_with_user(&grant_id)
        .await?
        .filter(|(g, _)| g.client_id == client.id)
    else {
        return Err(bad("the refresh token is not valid"));
    };
    if generation < grant.refresh_generation {
        store.revoke_grant(&grant.id, now).await?;
        return Err(bad(
            "the refresh token was used before; every token of its sign-in is revoked",
        ));
    }
    if generation != grant.refresh_generation
        || grant.revoked_at.is_some()
        || now >= grant.expires_at
    {
        return Err(bad("the refresh token has expired or was revoked"));
    }
    if let Some(asked) = scope {
        let granted: Vec<&str> = grant.scope.split(' ').collect();
        if asked
            .split(' ')
            .any(|s| !s.is_empty() && !granted.contains(&s))
        {
            return Err(TokenError::new(
                "invalid_scope",
                "a refresh cannot add scopes the user did not grant",
            ));
        }
    }
    if !stands_for(&grant, &user) {
        store.revoke_grant(&grant.id, now).await?;
        return Err(bad("the sign-in behind this token has ended"));
    }
    // A narrower scope applies to the tokens of this answer; the grant
    // (and so later refreshes) keeps what the user allowed.
    let mut minted = grant.clone();
    if let Some(asked) = narrower {
        minted.scope = asked
            .split(' ')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    if store
        .rotate_refresh(&grant.id, generation, &client.id, now)
        .await?
        .is_none()
    {
        store.revoke_grant(&grant.id, now).await?;
        return Err(bad(
            "the refresh token was used before; every token of its sign-in is revoked",
        ));
    }
    mint(
        iss,
        random,
        client,
        &minted,
        Some(&user),
        None,
        Some(refresh_token(iss.secrets, &grant.id, generation + 1)),
        now,
    )
}

/// `grant_type=client_credentials`: an access token for the client itself.
pub fn client_credentials(
    random: &dyn Random,
    iss: &Issuer<'_>,
    client: &Client,
    scope: Option<&str>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    if client.is_public() || !client.grant_types.contains(&GrantType::ClientCredentials) {
        return Err(TokenError::new(
            "unauthorized_client",
            "this client may not use client_credentials",
        ));
    }
    if scope.is_some_and(|s| !s.trim().is_empty()) {
        return Err(TokenError::new(
            "invalid_scope",
            "no scopes are registered for machine-to-machine use; leave scope out",
        ));
    }
    let grant = Grant {
        id: new_id(random),
        tenant_id: client.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: None,
        session_hash: None,
        scope: String::new(),
        amr: vec![],
        auth_time: now,
        security_stamp: None,
        code_hash: None,
        created_at: now,
        expires_at: now.plus(client.access_token_secs),
        revoked_at: None,
        refresh_generation: 0,
    };
    mint(iss, random, client, &grant, None, None, None, now)
}

/// What an access token stands for, when it still does.
#[derive(Debug, Clone)]
pub struct ActiveToken {
    pub claims: serde_json::Value,
    /// The user, for a user's token.
    pub user: Option<User>,
    pub grant: Option<Grant>,
}

/// Checks an access token of `tenant` (signature, issuer, expiry) and that
/// its grant still stands. A client-credentials token's grant is stored
/// only once the token is revoked (see [`revoke`]): until then the token
/// stands while its client may still use the grant type.
pub async fn check_access_token<S: OidcStore + UserStore + ClientStore>(
    store: &S,
    keys: &[crate::oidc::signing::SigningKey],
    tenant: &Tenant,
    issuer: &str,
    token: &str,
    now: UnixTime,
) -> StoreResult<Option<ActiveToken>> {
    let Some(claims) = crate::oidc::signing::verify(keys, token, "at+jwt", now) else {
        return Ok(None);
    };
    if claims["iss"] != issuer || claims["exp"].as_i64().is_none_or(|exp| now.0 >= exp) {
        return Ok(None);
    }
    if claims.get("auth_time").is_none() {
        // Client credentials: no stored grant, but the client must still
        // exist and may still use the grant type.
        let Some(client_id) = claims["client_id"].as_str() else {
            return Ok(None);
        };
        let client = store.client_by_client_id(&tenant.id, client_id).await?;
        if !client.is_some_and(|c| {
            !c.is_public() && c.grant_types.contains(&GrantType::ClientCredentials)
        }) {
            return Ok(None);
        }
        let Some(grant_id) = grant_id_of(&claims) else {
            return Ok(None);
        };
        if store.grant_by_id(grant_id).await?.is_some() {
            // stored only as a revocation
            return Ok(None);
        }
        return Ok(Some(ActiveToken {
            claims,
            user: None,
            grant: None,
        }));
    }
    let Some(grant_id) = grant_id_of(&claims) else {
        return Ok(None);
    };
    let Some(grant) = store.grant_by_id(grant_id).await? else {
        return Ok(None);
    };
    if grant.revoked_at.is_some() {
        return Ok(None);
    }
    let Some(user) = grant_user(store, &grant).await? else {
        return Ok(None);
    };
    Ok(Some(ActiveToken {
        claims,
        user: Some(user),
        grant: Some(grant),
    }))
}

/// The grant an access token names: the first part of its `jti`.
fn grant_id_of(claims: &serde_json::Value) -> Option<&str> {
    claims["jti"]
        .as_str()
        .and_then(|j| j.split('.').next())
        .filter(|id| !id.is_empty())
}

/// The refresh token's grant, when it still stands and belongs to `client`.
pub async fn check_refresh_token<S: OidcStore + UserStore>(
    store: &S,
    secrets: &SecretBox,
    client: &Client,
    token: &str,
    now: UnixTime,
) -> StoreResult<Option<(Grant, User)>> {
    let Some((grant_id, generation)) = parse_refresh_token(secrets, token) else {
        return Ok(None);
    };
    let Some(grant) = store.grant_by_id(&grant_id).await? else {
        return Ok(None);
    };
    if grant.client_id != client.id
        || generation != grant.refresh_generation
        || grant.revoked_at.is_some()
        || now >= grant.expires_at
    {
        return Ok(None);
    }
    let Some(user) = grant_user(store, &grant).await? else {
        return Ok(None);
    };
    Ok(Some((grant, user)))
}

/// RFC 7009: revokes the grant behind a refresh or access token of
/// `client`. Unknown tokens and other clients' tokens are ignored, as the
/// RFC asks (the answer is the same either way). A client-credentials
/// access token has no stored grant: its revocation is stored as a revoked
/// grant of its own, kept until the token expires, which
/// [`check_access_token`] then finds.
#[allow(clippy::too_many_arguments)]
pub async fn revoke<S: OidcStore + UserStore + ClientStore>(
    store: &S,
    secrets: &SecretBox,
    keys: &[crate::oidc::signing::SigningKey],
    tenant: &Tenant,
    issuer: &str,
    client: &Client,
    token: &str,
    now: UnixTime,
) -> StoreResult<()> {
    if let Some((grant_id, _)) = parse_refresh_token(secrets, token)
        && let Some(grant) = store.grant_by_id(&grant_id).await?
    {
        if grant.client_id == client.id {
            store.revoke_grant(&grant.id, now).await?;
        }
        return Ok(());
    }
    let Some(active) = check_access_token(store, keys, tenant, issuer, token, now).await? else {
        return Ok(());
    };
    match active.grant {
        Some(grant) if grant.client_id == client.id => {
            store.revoke_grant(&grant.id, now).await?;
        }
        Some(_) => {}
        None if active.claims["client_id"] == client.client_id.as_str() => {
            let (Some(grant_id), Some(iat), Some(exp)) = (
                grant_id_of(&active.claims),
                active.claims["iat"].as_i64(),
                active.claims["exp"].as_i64(),
            ) else {
                return Ok(());
            };
            store
                .insert_revoked_grant(&Grant {
                    id: grant_id.to_owned(),
                    tenant_id: tenant.id.clone(),
                    client_id: client.id.clone(),
                    user_id: None,
                    session_hash: None,
                    scope: String::new(),
                    amr: vec![],
                    auth_time: UnixTime(iat),
                    security_stamp: None,
                    code_hash: None,
                    created_at: UnixTime(iat),
                    expires_at: UnixTime(exp),
                    revoked_at: Some(now),
                    refresh_generation: 0,
                })
                .await?;
        }
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::SeededRandom;

    fn client(public: bool, first_party: bool) -> Client {
        Client {
            id: "row1".into(),
            tenant_id: "t1".into(),
            client_id: "app".into(),
            name: "App".into(),
            secret_hash: (!public).then(|| sha256_hex(b"s3cret")),
            redirect_uris: vec!["https://app.example/cb".into()],
            post_logout_uris: vec![],
            grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            first_party,
            access_token_secs: 600,
            refresh_token_secs: 86400,
            created_at: UnixTime(0),
            jwks: None,
            token_alg: "ES256".into(),
        }
    }

    fn request(prompt: Prompt, max_age: Option<i64>, after: Option<i64>) -> AuthorizeRequest {
        AuthorizeRequest {
            client: client(false, false),
            redirect_uri: "https://app.example/cb".into(),
            scope: vec!["openid".into()],
            state: Some("s".into()),
            nonce: None,
            code_challenge: None,
            prompt,
            max_age,
            login_hint: None,
            signed_in_after: after.map(UnixTime),
            params: vec![
                ("client_id".into(), "app".into()),
                ("prompt".into(), "login".into()),
                ("max_age".into(), "0".into()),
            ],
        }
    }

    fn session(auth_time: i64) -> Session {
        Session {
            id_hash: "h".into(),
            tenant_id: "t1".into(),
            user_id: "u".into(),
            created_at: UnixTime(auth_time),
            last_seen_at: UnixTime(auth_time),
            expires_at: UnixTime(auth_time + 1000),
            auth_time: UnixTime(auth_time),
            methods: vec![AuthMethod::Password],
            security_stamp: "s".into(),
            ip: None,
            user_agent: None,
            stage: crate::accounts::session::SessionStage::Complete,
        }
    }

    #[test]
    fn pkce_s256_matches_the_rfc_example() {
        // RFC 7636 appendix B
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(challenge, verifier));
        assert!(!pkce_matches(
            challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx"
        ));
        assert!(!pkce_matches(challenge, "short"));
    }

    #[test]
    fn prompt_none_never_shows_a_page() {
        let none = Prompt {
            none: true,
            ..Prompt::default()
        };
        let r = request(none, None, None);
        assert_eq!(
            r.next(None, UnixTime(10), false, true),
            Next::Fail("login_required")
        );
        let s = session(0);
        assert_eq!(
            r.next(Some(&s), UnixTime(10), true, true),
            Next::Fail("interaction_required")
        );
        assert_eq!(
            r.next(Some(&s), UnixTime(10), false, false),
            Next::Fail("consent_required")
        );
        assert_eq!(r.next(Some(&s), UnixTime(10), false, true), Next::Issue);
    }

    #[test]
    fn a_forced_sign_in_is_asked_once_and_then_accepted() {
        let login = Prompt {
            login: true,
            ..Prompt::default()
        };
        let r = request(login, None, None);
        let old = session(0);
        assert_eq!(
            r.next(Some(&old), UnixTime(100), false, true),
            Next::SignIn { fresh: true }
        );
        // the resumed request names the time, and no longer prompt=login
        let tenant_path = r.resume_path(&test_tenant(), Some(UnixTime(100)));
        assert!(
            tenant_path.contains("latchkey_signed_in_after=100"),
            "{tenant_path}"
        );
        assert!(!tenant_path.contains("prompt=login") && !tenant_path.contains("max_age"));
        let resumed = request(Prompt::default(), None, Some(100));
        assert_eq!(
            resumed.next(Some(&old), UnixTime(101), false, true),
            Next::SignIn { fresh: true },
            "the old sign-in still does not count"
        );
        assert_eq!(
            resumed.next(Some(&session(100)), UnixTime(101), false, true),
            Next::Issue
        );
        // max_age
        let aged = request(Prompt::default(), Some(60), None);
        assert_eq!(
            aged.next(Some(&session(50)), UnixTime(100), false, true),
            Next::Issue
        );
        assert_eq!(
            aged.next(Some(&session(0)), UnixTime(100), false, true),
            Next::SignIn { fresh: true }
        );
    }

    #[test]
    fn first_party_clients_skip_consent_unless_asked() {
        let mut r = request(Prompt::default(), None, None);
        r.client.first_party = true;
        assert_eq!(
            r.next(Some(&session(0)), UnixTime(1), false, false),
            Next::Issue
        );
        r.client.first_party = false;
        assert_eq!(
            r.next(Some(&session(0)), UnixTime(1), false, false),
            Next::Consent
        );
        r.prompt.consent = true;
        assert_eq!(
            r.next(Some(&session(0)), UnixTime(1), false, true),
            Next::Consent
        );
    }

    #[test]
    fn error_redirects_keep_the_callers_query_and_state() {
        let e = ErrorRedirect {
            redirect_uri: "https://app.example/cb?x=1".into(),
            state: Some("a b&c".into()),
            error: "access_denied",
            description: "no".into(),
        };
        assert_eq!(
            e.location("https://id.example/t/acme"),
            "https://app.example/cb?x=1&error=access_denied&error_description=no&state=a%20b%26c&iss=https%3A%2F%2Fid.example%2Ft%2Facme"
        );
    }

    #[test]
    fn refresh_tokens_are_genuine_or_nothing() {
        let secrets = SecretBox::new(&[1; 32]);
        let t = refresh_token(&secrets, "g1", 3);
        assert_eq!(parse_refresh_token(&secrets, &t), Some(("g1".into(), 3)));
        assert_eq!(parse_refresh_token(&SecretBox::new(&[2; 32]), &t), None);
        let forged = t.replace(".3.", ".4.");
        assert_eq!(parse_refresh_token(&secrets, &forged), None);
        assert_eq!(parse_refresh_token(&secrets, "lkr.g1.0.x"), None);
        assert_eq!(parse_refresh_token(&secrets, "garbage"), None);
        assert_ne!(refresh_token(&secrets, "g1", 4), t);
    }

    #[test]
    fn acr_counts_second_factors() {
        assert_eq!(acr(&[AuthMethod::Password]), "1");
        assert_eq!(acr(&[AuthMethod::Password, AuthMethod::Otp]), "2");
        assert_eq!(acr(&[AuthMethod::SoftwareKey]), "2");
        assert_eq!(acr(&[AuthMethod::Password, AuthMethod::KeyPossession]), "2");
        assert_eq!(acr(&[AuthMethod::Password, AuthMethod::Recovery]), "1");
    }

    #[test]
    fn sid_hides_the_session() {
        let secrets = SecretBox::new(&[1; 32]);
        let a = sid(&secrets, "hash-a");
        assert_eq!(a.len(), 32);
        assert_ne!(a, sid(&secrets, "hash-b"));
        assert!(!a.contains("hash"));
        let _ = SeededRandom::new(1);
    }

    fn test_tenant() -> Tenant {
        crate::tenants::TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t1".into(), UnixTime(0))
        .unwrap()
    }
}
