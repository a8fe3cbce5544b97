//! Applications (OAuth 2.0 / OpenID Connect clients) of a tenant.
//!
//! A confidential client gets a random 256-bit secret, shown once and stored
//! as SHA-256 (it is random, so a slow hash would add nothing but latency).
//! Public clients (single-page and native apps) have no secret and must use
//! PKCE. Redirect URIs are matched exactly, so they are validated strictly
//! here: absolute, https — or http on a loopback address for native apps —
//! and without a fragment.

use crate::Error;
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::oidc::scope::Scope;
use crate::oidc::signing::Alg;
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::ids::{ClientId, ClientRowId, TenantId};
use crate::platform::random::{Random, bytes, new_id};
use crate::platform::secret::{SecretToken, b64url};
use crate::platform::time::{DAY, MINUTE};
use crate::platform::validate::{self, Errors, FieldError, Said, UriProblem};
use crate::store::{ClientStore, Effects, SigningKeyStore};
use crate::tenants::Tenant;

pub const NAME_MAX: usize = 100;
pub const URIS_MAX: usize = 20;
pub const URI_MAX: usize = 2000;

crate::platform::text_enum!(
    /// What a client may ask the token endpoint for.
    GrantType, "grant_types", {
        AuthorizationCode => "authorization_code",
        RefreshToken => "refresh_token",
        ClientCredentials => "client_credentials"
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Client {
    #[serde(skip)]
    pub id: ClientRowId,
    #[serde(skip)]
    pub tenant_id: TenantId,
    pub client_id: ClientId,
    pub name: String,
    /// SHA-256 of the secret; `None` for a public client.
    #[serde(skip)]
    pub secret_hash: Option<String>,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub grant_types: Vec<GrantType>,
    /// Trusted by the tenant: no consent page.
    pub first_party: bool,
    /// The scopes it may be given (decision 0032): always `openid`;
    /// `latchkey:admin` only when first-party. A request for any other is
    /// dropped ([`crate::oidc::scope::allows`]).
    pub scopes: Vec<Scope>,
    pub access_token_secs: i64,
    pub refresh_token_secs: i64,
    pub created_at: UnixTime,
    /// Public keys (a JWK Set) for `private_key_jwt`, instead of a secret.
    #[serde(skip)]
    pub jwks: Option<String>,
    /// What its ID and access tokens are signed with: ES256 or RS256.
    pub token_alg: Alg,
    /// Legacy: this confidential application may leave out PKCE
    /// (`code_challenge`). Every other client must send it (decision 0020).
    pub pkce_optional: bool,
}

impl Client {
    /// How long the application can act for a person after one sign-in:
    /// its refresh tokens' lifetime where it may refresh, else one access
    /// token's (the consent page says it; ASVS 10.7.2).
    pub fn access_after_sign_in_secs(&self) -> i64 {
        if self.grant_types.contains(&GrantType::RefreshToken) {
            self.refresh_token_secs
        } else {
            self.access_token_secs
        }
    }

    /// Whether an authorization request of this client must carry a
    /// `code_challenge`: always, unless a confidential client is marked
    /// legacy ([`Client::pkce_optional`]).
    pub fn requires_pkce(&self) -> bool {
        self.is_public() || !self.pkce_optional
    }

    /// No secret and no keys: a single-page or native application.
    pub fn is_public(&self) -> bool {
        self.secret_hash.is_none() && self.jwks.is_none()
    }
}

/// Raw input for a new client, as typed into the CLI or a form.
#[derive(Debug, Clone, Default)]
pub struct ClientInput {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    /// Default: authorization_code and refresh_token.
    pub grant_types: Vec<String>,
    pub public: bool,
    pub first_party: bool,
    /// The scopes it may be given; empty means the default,
    /// [`Scope::DEFAULT`] (`latchkey:admin` only when named).
    pub scopes: Vec<String>,
    /// Default 10 (1–1440).
    pub access_token_minutes: Option<i64>,
    /// Default 30 (1–365).
    pub refresh_token_days: Option<i64>,
    /// A JWK Set of public keys: the client authenticates with
    /// `private_key_jwt` and gets no secret.
    pub jwks: Option<String>,
    /// ES256 (default) or RS256.
    pub token_alg: Option<String>,
    /// Legacy: let a confidential client leave out PKCE.
    pub pkce_optional: bool,
}

/// Whether `uri` may be a redirect target: absolute https, or http on a
/// loopback address (native apps), no fragment, no user info, and written in
/// its plain (normalised) form, since redirects are matched byte for byte.
pub fn check_redirect_uri(field: &str, uri: &str) -> Result<String, FieldError> {
    let bad = |problem: UriProblem| {
        FieldError::said(
            field,
            Said::RedirectUri {
                uri: uri.to_owned(),
                problem,
            },
        )
    };
    let uri = uri.trim();
    if uri.len() > URI_MAX {
        return Err(bad(UriProblem::TooLong { max: URI_MAX }));
    }
    if uri.contains('#') {
        return Err(bad(UriProblem::Fragment));
    }
    if uri.contains('\\') || uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(UriProblem::Spaces));
    }
    let parsed = webauthn_rs::prelude::Url::parse(uri).map_err(|_| bad(UriProblem::NotAbsolute))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(UriProblem::UserInfo));
    }
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err(bad(UriProblem::NoHost));
    };
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(bad(UriProblem::PlainHttp)),
        _ => return Err(bad(UriProblem::NotHttp)),
    }
    if parsed.as_str() != uri {
        return Err(FieldError::said(
            field,
            Said::RedirectNotPlain {
                uri: uri.to_owned(),
                plain: parsed.as_str().to_owned(),
            },
        ));
    }
    Ok(uri.to_owned())
}

fn uris(errors: &mut Errors, field: &str, values: &[String]) -> Vec<String> {
    if values.len() > URIS_MAX {
        errors.push(FieldError::said(
            field,
            Said::TooManyAddresses { max: URIS_MAX },
        ));
    }
    let mut out: Vec<String> = vec![];
    for v in values {
        if let Some(u) = errors.take(check_redirect_uri(field, v))
            && !out.contains(&u)
        {
            out.push(u);
        }
    }
    out
}

/// The scopes an application may be given: known words only, `openid`
/// always, `latchkey:admin` only for a first-party application; empty means
/// [`Scope::DEFAULT`].
fn scopes(errors: &mut Errors, values: &[String], first_party: bool) -> Vec<Scope> {
    if values.is_empty() {
        return Scope::DEFAULT.to_vec();
    }
    let mut out: Vec<Scope> = vec![];
    let mut known = true;
    for v in values {
        match Scope::parse(v) {
            Ok(s) if !out.contains(&s) => out.push(s),
            Ok(_) => {}
            Err(e) => {
                known = false;
                errors.push(e);
            }
        }
    }
    if known && !out.contains(&Scope::OpenId) {
        errors.push(FieldError::said("scopes", Said::ScopesNeedOpenId));
    }
    if out.contains(&Scope::Admin) && !first_party {
        errors.push(FieldError::said("scopes", Said::AdminScopeFirstPartyOnly));
    }
    // Kept in the order latchkey lists them, so a list reads the same
    // however it was typed.
    out.sort_by_key(|s| Scope::ALL.iter().position(|a| a == s));
    out
}

fn minutes_or(errors: &mut Errors, field: &str, value: Option<i64>, default: i64, max: i64) -> i64 {
    match value {
        None => default,
        Some(v) if (1..=max).contains(&v) => v,
        Some(v) => {
            errors.push(FieldError::said(field, Said::NotBetween { value: v, max }));
            default
        }
    }
}

impl ClientInput {
    /// Parses every field, reporting all problems at once. Returns the
    /// client and, for a confidential one, its secret (shown once).
    pub fn parse(
        &self,
        tenant: &Tenant,
        random: &dyn Random,
        now: UnixTime,
    ) -> Result<(Client, Option<SecretToken>), Error> {
        let mut errors = Errors::default();
        let name = errors.take(validate::text("name", &self.name, NAME_MAX));
        let redirect_uris = uris(&mut errors, "redirect_uris", &self.redirect_uris);
        let post_logout_uris = uris(&mut errors, "post_logout_uris", &self.post_logout_uris);
        let requested: Vec<String> = if self.grant_types.is_empty() {
            vec!["authorization_code".into(), "refresh_token".into()]
        } else {
            self.grant_types.clone()
        };
        let mut grant_types = vec![];
        for g in &requested {
            if let Some(g) = errors.take(GrantType::parse(g))
                && !grant_types.contains(&g)
            {
                grant_types.push(g);
            }
        }
        if grant_types.contains(&GrantType::AuthorizationCode) && redirect_uris.is_empty() {
            errors.push(FieldError::said("redirect_uris", Said::NeedsRedirect));
        }
        if self.public && grant_types.contains(&GrantType::ClientCredentials) {
            errors.push(FieldError::said(
                "grant_types",
                Said::ClientCredentialsNeedsSecret,
            ));
        }
        let scopes = scopes(&mut errors, &self.scopes, self.first_party);
        let access = minutes_or(
            &mut errors,
            "access_token_minutes",
            self.access_token_minutes,
            10,
            1440,
        );
        let refresh = minutes_or(
            &mut errors,
            "refresh_token_days",
            self.refresh_token_days,
            30,
            365,
        );
        let jwks = match &self.jwks {
            Some(text) if self.public => {
                errors.push(FieldError::new(
                    "jwks",
                    format!(
                        "a public client has no keys; leave out --public to register keys ({} bytes given)",
                        text.len()
                    ),
                ));
                None
            }
            Some(text) => errors.take(crate::oidc::assertion::check_jwks("jwks", text)),
            None => None,
        };
        let token_alg = match self.token_alg.as_deref().map(str::trim) {
            None | Some("") => Alg::Es256,
            Some(a) => Alg::parse(a).unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    "signing_alg",
                    format!("\"{a}\" is not supported; choose ES256 (default) or RS256"),
                ));
                Alg::Es256
            }),
        };
        if self.public && self.pkce_optional {
            errors.push(FieldError::new(
                "pkce_optional",
                "a public application always sends PKCE (code_challenge); only a confidential one can be let off it",
            ));
        }
        errors.into_result()?;
        let secret = (!self.public && jwks.is_none()).then(|| SecretToken::generate(random));
        let client = Client {
            id: new_id(random),
            tenant_id: tenant.id.clone(),
            client_id: ClientId::new(format!("lk_{}", b64url(&bytes::<12>(random)))),
            name: name.unwrap_or_default(),
            secret_hash: secret.as_ref().map(SecretToken::hash),
            redirect_uris,
            post_logout_uris,
            grant_types,
            first_party: self.first_party,
            scopes,
            access_token_secs: access * MINUTE,
            refresh_token_secs: refresh * DAY,
            created_at: now,
            jwks,
            token_alg,
            pkce_optional: self.pkce_optional,
        };
        Ok((client, secret))
    }
}

/// Registers a client in `tenant`; the secret (for a confidential client)
/// exists only in the return value.
///
/// An RS256 client makes the tenant's RS256 key now (sealed with
/// `secrets`), so it is in the JWKS before the first token it signs.
pub async fn create<S: ClientStore + SigningKeyStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    secrets: &crate::platform::crypto::SecretBox,
    tenant: &Tenant,
    input: &ClientInput,
    actor: &Actor,
) -> Result<(Client, Option<SecretToken>), Error> {
    let (client, secret) = input.parse(tenant, random, clock.now())?;
    if client.token_alg == Alg::Rs256 {
        crate::oidc::signing::ensure_rs256(store, &tenant.id, random, secrets, clock.now()).await?;
    }
    let event = client_event(
        random,
        clock,
        tenant,
        actor,
        AuditKind::ClientCreated,
        serde_json::json!({ "client_id": client.client_id, "name": client.name }),
    );
    store
        .insert_client(&client, &Effects::audit(event), clock.now())
        .await?;
    Ok((client, secret))
}

/// A change to a registered client, as typed into the CLI, a form or the
/// API: fields left `None` stay as they are. Whether the client is public,
/// has a secret or has keys does not change here (see [`rotate_secret`]).
#[derive(Debug, Clone, Default)]
pub struct ClientChange {
    pub name: Option<String>,
    pub redirect_uris: Option<Vec<String>>,
    pub post_logout_uris: Option<Vec<String>>,
    pub grant_types: Option<Vec<String>>,
    pub first_party: Option<bool>,
    /// Replaces the list of scopes it may be given.
    pub scopes: Option<Vec<String>>,
    pub access_token_minutes: Option<i64>,
    pub refresh_token_days: Option<i64>,
    /// A new JWK Set, for a client that signs in with `private_key_jwt`.
    pub jwks: Option<String>,
    pub token_alg: Option<String>,
    pub pkce_optional: Option<bool>,
}

impl ClientChange {
    /// The client after the change, validated exactly as a new client is
    /// (every problem at once). Identity, secret and creation time stay.
    pub fn apply(
        &self,
        client: &Client,
        tenant: &Tenant,
        random: &dyn Random,
    ) -> Result<Client, Error> {
        if let Some(jwks) = &self.jwks
            && client.jwks.is_none()
        {
            let why = if client.is_public() {
                "a public application has no keys"
            } else {
                "this application signs in with a secret"
            };
            return Err(Error::invalid(
                "jwks",
                format!(
                    "{why}; register a new application with keys for private_key_jwt ({} bytes given)",
                    jwks.len()
                ),
            ));
        }
        let or =
            |v: &Option<Vec<String>>, old: &[String]| v.clone().unwrap_or_else(|| old.to_vec());
        let input = ClientInput {
            name: self.name.clone().unwrap_or_else(|| client.name.clone()),
            redirect_uris: or(&self.redirect_uris, &client.redirect_uris),
            post_logout_uris: or(&self.post_logout_uris, &client.post_logout_uris),
            grant_types: self.grant_types.clone().unwrap_or_else(|| {
                client
                    .grant_types
                    .iter()
                    .map(|g| g.as_str().to_owned())
                    .collect()
            }),
            public: client.is_public(),
            first_party: self.first_party.unwrap_or(client.first_party),
            scopes: self.scopes.clone().unwrap_or_else(|| {
                client
                    .scopes
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect()
            }),
            access_token_minutes: self
                .access_token_minutes
                .or(Some(client.access_token_secs / 60)),
            refresh_token_days: self
                .refresh_token_days
                .or(Some(client.refresh_token_secs / DAY)),
            jwks: self.jwks.clone().or_else(|| client.jwks.clone()),
            token_alg: self
                .token_alg
                .clone()
                .or_else(|| Some(client.token_alg.as_str().to_owned())),
            pkce_optional: self.pkce_optional.unwrap_or(client.pkce_optional),
        };
        let parsed = input.parse(tenant, random, client.created_at);
        // An empty list would mean the defaults for a new client; for a
        // change it means someone unticked everything.
        let mut emptied = vec![];
        if self.grant_types.as_ref().is_some_and(Vec::is_empty) {
            emptied.push(FieldError::said("grant_types", Said::NeedsGrantType));
        }
        if self.scopes.as_ref().is_some_and(Vec::is_empty) {
            emptied.push(FieldError::said("scopes", Said::ScopesNeedOpenId));
        }
        let (changed, _) = match (emptied.is_empty(), parsed) {
            (true, parsed) => parsed?,
            (false, parsed) => {
                let mut errors = match parsed {
                    Err(Error::Invalid(errors)) => errors,
                    Err(other) => return Err(other),
                    Ok(_) => vec![],
                };
                errors.extend(emptied);
                return Err(Error::Invalid(errors));
            }
        };
        Ok(Client {
            id: client.id.clone(),
            tenant_id: client.tenant_id.clone(),
            client_id: client.client_id.clone(),
            secret_hash: client.secret_hash.clone(),
            created_at: client.created_at,
            ..changed
        })
    }
}

/// The names of the fields that differ, for the audit log.
fn changed_fields(before: &Client, after: &Client) -> Vec<&'static str> {
    let pairs = [
        ("name", before.name != after.name),
        ("redirect_uris", before.redirect_uris != after.redirect_uris),
        (
            "post_logout_uris",
            before.post_logout_uris != after.post_logout_uris,
        ),
        ("grant_types", before.grant_types != after.grant_types),
        ("first_party", before.first_party != after.first_party),
        ("scopes", before.scopes != after.scopes),
        (
            "access_token_secs",
            before.access_token_secs != after.access_token_secs,
        ),
        (
            "refresh_token_secs",
            before.refresh_token_secs != after.refresh_token_secs,
        ),
        ("jwks", before.jwks != after.jwks),
        ("token_alg", before.token_alg != after.token_alg),
        ("pkce_optional", before.pkce_optional != after.pkce_optional),
        ("secret", before.secret_hash != after.secret_hash),
    ];
    pairs.iter().filter(|p| p.1).map(|p| p.0).collect()
}

/// The tenant's client as stored now (not from a cache), or
/// `NotFound("application")`.
pub async fn find<S: ClientStore>(
    store: &S,
    tenant: &Tenant,
    client_id: &ClientId,
) -> Result<Client, Error> {
    store
        .client_for_change(&tenant.id, &ClientId::new(client_id.as_str().trim()))
        .await?
        .ok_or(Error::NotFound("application"))
}

fn client_event(
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    actor: &Actor,
    action: AuditKind,
    detail: serde_json::Value,
) -> crate::effects::audit::AuditEvent {
    let mut event = audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        action,
        &RequestMeta::default(),
    );
    event.detail = detail.to_string();
    event
}

/// Changes a client's settings. Tokens already issued stay valid until
/// they expire or are refreshed; a refresh then follows the new settings
/// (lifetimes, grant types).
#[allow(clippy::too_many_arguments)]
pub async fn update<S: ClientStore + SigningKeyStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    secrets: &crate::platform::crypto::SecretBox,
    tenant: &Tenant,
    client_id: &ClientId,
    change: &ClientChange,
    actor: &Actor,
) -> Result<Client, Error> {
    let before = find(store, tenant, client_id).await?;
    let after = change.apply(&before, tenant, random)?;
    let fields = changed_fields(&before, &after);
    if fields.is_empty() {
        return Ok(after);
    }
    if after.token_alg == Alg::Rs256 {
        crate::oidc::signing::ensure_rs256(store, &tenant.id, random, secrets, clock.now()).await?;
    }
    let event = client_event(
        random,
        clock,
        tenant,
        actor,
        AuditKind::ClientUpdated,
        serde_json::json!({ "client_id": after.client_id, "changed": fields }),
    );
    if !store
        .update_client(&after, &Effects::audit(event), clock.now())
        .await?
    {
        return Err(Error::NotFound("application"));
    }
    Ok(after)
}

/// Gives a confidential client a new secret; the old one stops working at
/// once (other servers within the client cache's few seconds). The new
/// secret exists only in the return value.
pub async fn rotate_secret<S: ClientStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    client_id: &ClientId,
    actor: &Actor,
) -> Result<(Client, SecretToken), Error> {
    let mut client = find(store, tenant, client_id).await?;
    if client.secret_hash.is_none() {
        let why = if client.jwks.is_some() {
            "it signs in with its registered keys (private_key_jwt); change its keys instead"
        } else {
            "it is a public application (PKCE, no secret)"
        };
        return Err(Error::invalid(
            "client_id",
            format!("{} has no secret to replace: {why}", client.client_id),
        ));
    }
    let secret = SecretToken::generate(random);
    let hash = secret.hash();
    client.secret_hash = Some(hash.clone());
    let event = client_event(
        random,
        clock,
        tenant,
        actor,
        AuditKind::ClientSecretRotated,
        serde_json::json!({ "client_id": client.client_id }),
    );
    if !store
        .set_client_secret(&client, &hash, &Effects::audit(event), clock.now())
        .await?
    {
        return Err(Error::NotFound("application"));
    }
    Ok((client, secret))
}

/// Removes a client and everything issued to it: its refresh tokens stop
/// working at once, and its access tokens are no longer active at
/// userinfo and introspection.
pub async fn delete<S: ClientStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    client_id: &ClientId,
    actor: &Actor,
) -> Result<Client, Error> {
    let client = find(store, tenant, client_id).await?;
    let event = client_event(
        random,
        clock,
        tenant,
        actor,
        AuditKind::ClientDeleted,
        serde_json::json!({ "client_id": client.client_id, "name": client.name }),
    );
    if !store
        .delete_client(&client, &Effects::audit(event), clock.now())
        .await?
    {
        return Err(Error::NotFound("application"));
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::SeededRandom;
    use crate::tenants::TenantInput;

    fn tenant() -> Tenant {
        TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t".into(), UnixTime(0))
        .unwrap()
    }

    #[test]
    fn only_a_confidential_client_can_be_let_off_pkce() {
        let tenant = tenant();
        let input = |public: bool| ClientInput {
            name: "App".into(),
            redirect_uris: vec!["https://app.example/cb".into()],
            public,
            pkce_optional: true,
            ..Default::default()
        };
        let err = input(true)
            .parse(&tenant, &crate::platform::random::OsRandom, UnixTime(1))
            .unwrap_err();
        assert!(err.to_string().contains("always sends PKCE"), "{err}");
        let (legacy, _) = input(false)
            .parse(&tenant, &crate::platform::random::OsRandom, UnixTime(1))
            .unwrap();
        assert!(legacy.pkce_optional && !legacy.requires_pkce());
        let (new, _) = ClientInput {
            pkce_optional: false,
            ..input(false)
        }
        .parse(&tenant, &crate::platform::random::OsRandom, UnixTime(1))
        .unwrap();
        assert!(new.requires_pkce(), "every new application sends PKCE");
    }

    #[test]
    fn access_after_a_sign_in_lasts_as_long_as_its_longest_token() {
        let tenant = tenant();
        let input = |grants: &[&str]| ClientInput {
            name: "App".into(),
            redirect_uris: vec!["https://app.example/cb".into()],
            grant_types: grants.iter().map(|g| (*g).to_owned()).collect(),
            access_token_minutes: Some(15),
            refresh_token_days: Some(7),
            ..Default::default()
        };
        let parse = |i: ClientInput| {
            i.parse(&tenant, &crate::platform::random::OsRandom, UnixTime(1))
                .unwrap()
                .0
        };
        let refreshing = parse(input(&["authorization_code", "refresh_token"]));
        assert_eq!(refreshing.access_after_sign_in_secs(), 7 * DAY);
        let single = parse(input(&["authorization_code"]));
        assert_eq!(single.access_after_sign_in_secs(), 15 * MINUTE);
    }

    #[test]
    fn redirect_uris_are_strict() {
        for ok in [
            "https://app.example.com/callback",
            "https://app.example.com:8443/cb?x=1",
            "http://localhost:3000/cb",
            "http://127.0.0.1:8080/cb",
            "http://[::1]:9000/cb",
            "http://[::1]/cb",
        ] {
            assert!(check_redirect_uri("r", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://app.example.com/cb",
            "https://app.example.com/cb#frag",
            "app.example.com/cb",
            "javascript:alert(1)",
            "https://user@app.example.com/cb",
            "https:///cb",
            "ftp://app.example.com/cb",
            "https://app.example.com/a b",
            "http://localhost:abc/cb",
            "http://localhost:8080.evil.example/",
            "https://:443/cb",
            "https://evil.example\\.good.example/cb",
            "https://app.example.com:99999/cb",
            "https://App.Example.com/cb",
        ] {
            assert!(check_redirect_uri("r", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn clients_are_validated_all_at_once() {
        let random = SeededRandom::new(1);
        let (client, secret) = ClientInput {
            name: "Shop".into(),
            redirect_uris: vec![
                "https://shop.example/cb".into(),
                "https://shop.example/cb".into(),
            ],
            ..Default::default()
        }
        .parse(&tenant(), &random, UnixTime(5))
        .unwrap();
        let secret = secret.unwrap();
        assert_eq!(client.secret_hash.as_deref(), Some(secret.hash().as_str()));
        assert_eq!(client.redirect_uris.len(), 1, "duplicates collapse");
        assert_eq!(
            client.grant_types,
            [GrantType::AuthorizationCode, GrantType::RefreshToken]
        );
        assert_eq!(
            (client.access_token_secs, client.refresh_token_secs),
            (600, 30 * DAY)
        );

        let Error::Invalid(errors) = ClientInput {
            name: "".into(),
            redirect_uris: vec!["http://evil.example/cb".into()],
            grant_types: vec!["client_credentials".into(), "password".into()],
            public: true,
            access_token_minutes: Some(0),
            ..Default::default()
        }
        .parse(&tenant(), &random, UnixTime(5))
        .unwrap_err() else {
            panic!("expected Invalid")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "redirect_uris",
                "grant_types",
                "grant_types",
                "access_token_minutes"
            ]
        );

        let (public, none) = ClientInput {
            name: "SPA".into(),
            redirect_uris: vec!["http://localhost:5173/cb".into()],
            public: true,
            ..Default::default()
        }
        .parse(&tenant(), &random, UnixTime(5))
        .unwrap();
        assert!(public.is_public() && none.is_none());
    }

    #[test]
    fn scopes_are_checked_with_the_other_fields_and_default_to_least_privilege() {
        let random = SeededRandom::new(3);
        let input = |scopes: &[&str], first_party: bool| ClientInput {
            name: "App".into(),
            redirect_uris: vec!["https://app.example/cb".into()],
            first_party,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            ..Default::default()
        };
        let (plain, _) = input(&[], true)
            .parse(&tenant(), &random, UnixTime(1))
            .unwrap();
        assert_eq!(
            plain.scopes,
            [
                Scope::OpenId,
                Scope::Profile,
                Scope::Email,
                Scope::OfflineAccess
            ],
            "no latchkey:admin unless asked, first-party or not"
        );
        let (admin, _) = input(&["latchkey:admin", " openid", "openid"], true)
            .parse(&tenant(), &random, UnixTime(1))
            .unwrap();
        assert_eq!(admin.scopes, [Scope::OpenId, Scope::Admin], "ordered, once");

        let Error::Invalid(errors) = ClientInput {
            name: "".into(),
            ..input(&["email", "phone", "latchkey:admin"], false)
        }
        .parse(&tenant(), &random, UnixTime(1))
        .unwrap_err() else {
            panic!("expected Invalid")
        };
        let said: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(said[0].0, "name", "every field at once: {said:?}");
        assert_eq!(said[1].0, "scopes");
        assert!(said[1].1.contains("\"phone\""), "{said:?}");
        assert_eq!(
            said[2],
            ("scopes", Said::AdminScopeFirstPartyOnly.english().as_str())
        );
        assert_eq!(
            said.len(),
            3,
            "an unknown word hides the openid check: {said:?}"
        );
        let Error::Invalid(errors) = input(&["email"], true)
            .parse(&tenant(), &random, UnixTime(1))
            .unwrap_err()
        else {
            panic!("expected Invalid")
        };
        assert_eq!(errors[0].message, Said::ScopesNeedOpenId.english());

        // a change: an empty list, or first-party taken away while the
        // application keeps latchkey:admin, is named
        let change = |c: ClientChange| c.apply(&admin, &tenant(), &random);
        let Error::Invalid(errors) = change(ClientChange {
            scopes: Some(vec![]),
            ..Default::default()
        })
        .unwrap_err() else {
            panic!("expected Invalid")
        };
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].message, Said::ScopesNeedOpenId.english());
        let Error::Invalid(errors) = change(ClientChange {
            first_party: Some(false),
            ..Default::default()
        })
        .unwrap_err() else {
            panic!("expected Invalid")
        };
        assert_eq!(errors[0].message, Said::AdminScopeFirstPartyOnly.english());
        let narrowed = change(ClientChange {
            scopes: Some(vec!["openid".into(), "email".into()]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(narrowed.scopes, [Scope::OpenId, Scope::Email]);
        assert_eq!(changed_fields(&admin, &narrowed), ["scopes"]);
    }

    #[test]
    fn grant_types_are_written_as_the_words_of_the_standard() {
        let json = serde_json::to_string(&GrantType::ALL).unwrap();
        assert_eq!(
            json,
            r#"["authorization_code","refresh_token","client_credentials"]"#
        );
        let kind =
            serde_json::to_string(&crate::recovery::case::FactorKind::RecoveryCodes).unwrap();
        assert_eq!(kind, r#""recovery_codes""#);
    }

    #[test]
    fn a_change_keeps_identity_and_secret_and_is_validated_like_a_new_client() {
        let random = SeededRandom::new(2);
        let (client, _) = ClientInput {
            name: "Shop".into(),
            redirect_uris: vec!["https://shop.example/cb".into()],
            access_token_minutes: Some(15),
            ..Default::default()
        }
        .parse(&tenant(), &random, UnixTime(5))
        .unwrap();
        let changed = ClientChange {
            name: Some("Shop 2".into()),
            post_logout_uris: Some(vec!["https://shop.example/bye".into()]),
            first_party: Some(true),
            ..Default::default()
        }
        .apply(&client, &tenant(), &random)
        .unwrap();
        assert_eq!(
            (&changed.id, &changed.client_id, &changed.secret_hash),
            (&client.id, &client.client_id, &client.secret_hash)
        );
        assert_eq!(changed.created_at, client.created_at);
        assert_eq!(changed.name, "Shop 2");
        assert_eq!(changed.redirect_uris, client.redirect_uris, "untouched");
        assert_eq!(changed.access_token_secs, 15 * MINUTE, "untouched");
        assert!(changed.first_party);
        assert_eq!(
            changed_fields(&client, &changed),
            ["name", "post_logout_uris", "first_party"]
        );

        let Error::Invalid(errors) = ClientChange {
            redirect_uris: Some(vec![]),
            refresh_token_days: Some(400),
            grant_types: Some(vec![]),
            ..Default::default()
        }
        .apply(&client, &tenant(), &random)
        .unwrap_err() else {
            panic!("expected Invalid")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["redirect_uris", "refresh_token_days", "grant_types"]
        );

        let err = ClientChange {
            jwks: Some("{\"keys\":[]}".into()),
            ..Default::default()
        }
        .apply(&client, &tenant(), &random)
        .unwrap_err();
        assert!(err.to_string().contains("signs in with a secret"), "{err}");
    }
}
