//! The authorization endpoint's rules: parsing a request (every parameter
//! checked, PKCE required for public clients), which redirect an error may
//! use, whether a sign-in is fresh enough, and issuing the code.

use super::*;

/// An authorization code lives this long (RFC 6749 recommends ≤ 10 min).
pub const CODE_SECS: i64 = 60;

/// Longest accepted value of any authorization parameter.
pub(super) const PARAM_MAX: usize = 2048;

/// The parameter latchkey adds to an authorization request it resumes after
/// a sign-in it forced (`prompt=login`, `max_age`): the sign-in must be this
/// recent. Dropping it only drops what the application asked for.
pub const SIGNED_IN_AFTER: &str = "latchkey_signed_in_after";

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
    pub scope: Vec<Scope>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    pub signed_in_after: Option<UnixTime>,
    /// The parameters as given, for resuming the request after a sign-in.
    pub(super) params: Vec<(String, String)>,
}

/// An error to send back to the application at its redirect URI
/// (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRedirect {
    pub redirect_uri: String,
    pub state: Option<String>,
    pub error: OAuthError,
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

pub(super) fn form_encode(value: &str) -> String {
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
            ("error", self.error.as_str()),
            ("error_description", self.description.as_str()),
        ];
        if let Some(state) = &self.state {
            pairs.push(("state", state));
        }
        pairs.push(("iss", issuer));
        with_query(&self.redirect_uri, &pairs)
    }
}

pub(super) fn single<'a>(
    params: &'a [(String, String)],
    name: &str,
) -> Result<Option<&'a str>, String> {
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
pub(super) fn pkce_shaped(value: &str) -> bool {
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
        .client_by_client_id(&tenant.id, &ClientId::new(client_id))
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
                error: OAuthError::InvalidRequest,
                description,
            }));
        }
    };
    let fail = |error: OAuthError, description: String| {
        AuthorizeError::Redirect(ErrorRedirect {
            redirect_uri: redirect_uri.clone(),
            state: state.clone(),
            error,
            description,
        })
    };
    let get = |name: &str| single(&params, name).map_err(|d| fail(OAuthError::InvalidRequest, d));
    for (name, error) in [
        ("request", OAuthError::RequestNotSupported),
        ("request_uri", OAuthError::RequestUriNotSupported),
        ("registration", OAuthError::RegistrationNotSupported),
    ] {
        if get(name)?.is_some() {
            return Err(fail(error, format!("{name} is not supported")));
        }
    }
    match get("response_type")? {
        Some("code") => {}
        None => {
            return Err(fail(
                OAuthError::InvalidRequest,
                "response_type is missing".into(),
            ));
        }
        Some(_) => {
            return Err(fail(
                OAuthError::UnsupportedResponseType,
                "only response_type=code is supported".into(),
            ));
        }
    }
    if !client.grant_types.contains(&GrantType::AuthorizationCode) {
        return Err(fail(
            OAuthError::UnauthorizedClient,
            "this application may not use the authorization code flow".into(),
        ));
    }
    match get("response_mode")? {
        None | Some("query") => {}
        Some(_) => {
            return Err(fail(
                OAuthError::InvalidRequest,
                "only response_mode=query is supported".into(),
            ));
        }
    }
    let mut scope: Vec<Scope> = vec![];
    for s in get("scope")?
        .unwrap_or("")
        .split(' ')
        .filter_map(Scope::known)
    {
        // One the application may not have is dropped, not refused
        // (RFC 6749 §3.3): the token response's scope says what was given.
        if !scope::allows(&client, s) {
            continue;
        }
        if !scope.contains(&s) {
            scope.push(s);
        }
    }
    if !scope.contains(&Scope::OpenId) {
        return Err(fail(
            OAuthError::InvalidScope,
            "scope must include openid".into(),
        ));
    }
    let code_challenge = get("code_challenge")?;
    match (code_challenge, get("code_challenge_method")?) {
        (None, None) if client.requires_pkce() => {
            return Err(fail(
                OAuthError::InvalidRequest,
                "PKCE is required for this application: send code_challenge with code_challenge_method=S256".into(),
            ));
        }
        (None, None) => {}
        (Some(c), Some("S256")) if pkce_shaped(c) => {}
        (Some(_), Some("S256")) => {
            return Err(fail(
                OAuthError::InvalidRequest,
                "code_challenge must be 43 to 128 URL-safe characters".into(),
            ));
        }
        (Some(_), None | Some("plain")) => {
            return Err(fail(
                OAuthError::InvalidRequest,
                "code_challenge_method must be S256 (plain is not accepted)".into(),
            ));
        }
        _ => {
            return Err(fail(
                OAuthError::InvalidRequest,
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
                    OAuthError::InvalidRequest,
                    format!("prompt value \"{other}\" is not known"),
                ));
            }
        }
    }
    if prompt.none && (prompt.login || prompt.consent) {
        return Err(fail(
            OAuthError::InvalidRequest,
            "prompt=none cannot be combined with other prompt values".into(),
        ));
    }
    let max_age = match get("max_age")? {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                return Err(fail(
                    OAuthError::InvalidRequest,
                    "max_age must be a whole number of seconds".into(),
                ));
            }
        },
    };
    let signed_in_after = match get(SIGNED_IN_AFTER)? {
        None => None,
        Some(v) => Some(UnixTime(v.parse::<i64>().map_err(|_| {
            fail(
                OAuthError::InvalidRequest,
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
    /// Sign in, then come back to [`AuthorizeRequest::resume_query`].
    /// `fresh`: the current sign-in is too old or a new one was asked for.
    SignIn { fresh: bool },
    /// The tenant requires a second factor the user has not set up yet.
    Enrol,
    /// The user has not allowed this application (or was asked to again).
    Consent,
    /// Everything is in place: issue a code.
    Issue,
    /// `prompt=none` and something above was needed.
    Fail(OAuthError),
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
                Next::Fail(OAuthError::LoginRequired)
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
                Next::Fail(OAuthError::LoginRequired)
            } else {
                Next::SignIn { fresh: true }
            };
        }
        if enrolment_pending {
            return if self.prompt.none {
                Next::Fail(OAuthError::InteractionRequired)
            } else {
                Next::Enrol
            };
        }
        if !self.client.first_party && (!consented || self.prompt.consent) {
            return if self.prompt.none {
                Next::Fail(OAuthError::ConsentRequired)
            } else {
                Next::Consent
            };
        }
        Next::Issue
    }

    /// The query (`?…`) that resumes this request at the authorization
    /// endpoint. After a forced sign-in (`fresh`) `prompt=login` and
    /// `max_age` give way to [`SIGNED_IN_AFTER`], so the resumed request
    /// accepts the new sign-in and no older one.
    pub fn resume_query(&self, fresh_after: Option<UnixTime>) -> String {
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
        with_query("", &refs)
    }

    pub fn scope_string(&self) -> String {
        scope::join(&self.scope)
    }

    /// An error for the application, at its redirect URI.
    pub fn error(&self, error: OAuthError, description: &str) -> ErrorRedirect {
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
        .copied()
        .filter(|s| *s != Scope::Admin || user.is_admin())
        .collect::<Vec<_>>();
    let scope = scope::join(&scope);
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

/// Whether the user allowed this client every scope the request asks for
/// (a first-party application needs no consent; the caller checks that).
pub async fn has_consent<S: OidcStore>(
    store: &S,
    user: &User,
    request: &AuthorizeRequest,
) -> Result<bool, Error> {
    Ok(store
        .consent(&user.id, &request.client.id)
        .await?
        .is_some_and(|granted| covers(&granted, &request.scope)))
}

/// Whether a granted scope string (space-separated) holds every scope asked.
fn covers(granted: &str, asked: &[Scope]) -> bool {
    asked.iter().all(|s| scope::has(granted, *s))
}

#[cfg(test)]
mod consent_tests {
    use super::{Scope, covers};

    #[test]
    fn consent_covers_only_what_was_granted() {
        let asked = |s: &str| s.split(' ').filter_map(Scope::known).collect::<Vec<_>>();
        assert!(covers("openid email profile", &asked("openid email")));
        assert!(!covers("openid", &asked("openid email")));
        assert!(
            !covers("openid emails", &asked("openid email")),
            "whole words only"
        );
        assert!(covers("openid", &[]));
    }
}
