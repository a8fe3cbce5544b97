//! Passkeys and security keys (WebAuthn). webauthn-rs checks the ceremonies;
//! this module decides who may run them, keeps their state between the two
//! requests of a ceremony, and stores the credentials.
//!
//! A ceremony's state lives in the database, sealed, under the hash of a
//! random id the browser carries in the form; finishing takes it out in the
//! same statement (`DELETE … RETURNING`), so every challenge is answered at
//! most once. A ceremony is bound to its tenant and, where there is one, to
//! the user and the session that started it.
//!
//! Every passkey is asked for user verification (PIN or biometrics), so a
//! passkey alone is two factors: what you have and what you know or are. That
//! is what makes passwordless sign-in acceptable where a tenant enables it.
//!
//! Every assertion, whatever the ceremony, is checked against the credential
//! as stored when it is answered (its signature counter included), never
//! against the copy the ceremony captured when it started; the new counter is
//! stored only if nobody else used the credential in between. A counter that
//! does not go up marks the credential as a suspected copy: it signs in no
//! more until its owner removes it, the owner is mailed, and it is audited.
//! Assertions made for a page embedded in another site (`crossOrigin: true`)
//! are refused on every path.

use std::time::Duration;

use webauthn_rs::prelude::{
    Credential, DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, WebauthnError,
};
use webauthn_rs::{Webauthn, WebauthnBuilder};
use webauthn_rs_proto::ResidentKeyRequirement;

use crate::Error;
use crate::accounts::session::{AuthMethod, Session, SessionPolicy};
use crate::accounts::user::{User, new_security_stamp};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::{SecurityEvent, security_notice};
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::factors::totp::{SecondStep, require_recent_auth};
use crate::platform::clock::UnixTime;
use crate::platform::random::new_id;
use crate::platform::secret::{SecretToken, b64url};
use crate::platform::validate::{self, FieldError, Said};
use crate::store::{
    CounterChange, EffectStore, Effects, FactorRemoval, PasskeyStore, RateLimitStore, SessionStore,
    SignOutOthers, StoreError, UserStore,
};
use crate::tenants::Tenant;

/// How long a browser has to answer a ceremony.
pub const CEREMONY_SECS: i64 = 5 * 60;
/// Passkeys one user may register.
pub const MAX_PER_USER: usize = 10;
pub const NAME_MAX: usize = 64;
/// Passwordless sign-ins started from one address.
pub const PASSWORDLESS_LIMIT: RateLimit = RateLimit {
    max: 30,
    window_secs: 5 * 60,
};
const PASSWORDLESS_SCOPE: &str = "passwordless";

/// The relying party: the site passkeys are bound to. Built once at start-up
/// from configuration; a mismatch between id and origin is a start-up error.
pub struct RelyingParty {
    webauthn: Webauthn,
    pub id: String,
    pub origin: Url,
}

impl RelyingParty {
    /// `id` must be the origin's host or a parent domain of it (WebAuthn
    /// §5.1.4); the origin must be https, or http on localhost.
    pub fn new(id: &str, origin: &str) -> Result<RelyingParty, String> {
        let origin = Url::parse(origin).map_err(|e| format!("`{origin}` is not a URL: {e}"))?;
        let host = origin.host_str().unwrap_or_default().to_owned();
        if origin.scheme() != "https" && host != "localhost" {
            return Err(format!(
                "passkeys need https (or http://localhost); `{origin}` is neither"
            ));
        }
        if host.parse::<std::net::IpAddr>().is_ok()
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::Ipv6Addr>()
                .is_ok()
        {
            return Err(format!(
                "passkeys need a domain name, not an IP address (`{host}`); use localhost or a name"
            ));
        }
        if id != "localhost" && !id.contains('.') {
            return Err(format!(
                "the relying-party id `{id}` is a top-level name; use the site's own domain"
            ));
        }
        if !(host == id || host.ends_with(&format!(".{id}"))) {
            return Err(format!(
                "the relying-party id `{id}` must be `{host}` or a parent domain of it"
            ));
        }
        let webauthn = WebauthnBuilder::new(id, &origin)
            .and_then(|b| {
                b.rp_name("latchkey")
                    .timeout(Duration::from_secs(CEREMONY_SECS as u64))
                    .build()
            })
            .map_err(|e| format!("the relying party `{id}` for `{origin}` is not usable: {e}"))?;
        Ok(RelyingParty {
            webauthn,
            id: id.to_owned(),
            origin,
        })
    }
}

/// A registered passkey or security key.
#[derive(Debug, Clone)]
pub struct PasskeyCredential {
    pub id: String,
    pub tenant_id: String,
    pub user_id: String,
    pub name: String,
    /// The WebAuthn credential id, base64url.
    pub credential_id: String,
    /// webauthn-rs's record of the credential (public key, counter), JSON.
    pub passkey: String,
    /// What the authenticator says: the credential may be backed up
    /// (synced). Said, not proven: registration asks for no attestation.
    pub backup_eligible: bool,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
    /// When an assertion showed a signature counter that did not go up: the
    /// credential may have been copied, and signs in no more.
    pub suspected_clone_at: Option<UnixTime>,
}

impl PasskeyCredential {
    fn passkey(&self) -> Result<Passkey, Error> {
        serde_json::from_str(&self.passkey).map_err(|e| {
            Error::Store(StoreError::Corrupt(format!(
                "passkey {} cannot be read: {e}",
                self.id
            )))
        })
    }

    pub fn method(&self) -> AuthMethod {
        method(self.backup_eligible)
    }

    /// Whether it may sign in: not marked as a suspected copy.
    pub fn signs_in(&self) -> bool {
        self.suspected_clone_at.is_none()
    }
}

/// The RFC 8176 `amr` value a passkey proves. Without attestation nothing
/// proves hardware, so `hwk` is never claimed: a synced passkey is a
/// software-secured key (`swk`); one that says it is not synced proves
/// possession of a key of unknown kind (`pop`), which a software
/// authenticator can equally say.
fn method(backup_eligible: bool) -> AuthMethod {
    if backup_eligible {
        AuthMethod::SoftwareKey
    } else {
        AuthMethod::KeyPossession
    }
}

/// Whether the browser made the assertion for a page embedded in another
/// site's frame (`crossOrigin: true` in the client data). webauthn-rs checks
/// this at registration only; every assertion path refuses it here. Client
/// data that cannot be read counts as cross-origin: nothing is lost, as the
/// library would refuse it anyway.
fn cross_origin(response: &PublicKeyCredential) -> bool {
    #[derive(serde::Deserialize)]
    struct ClientData {
        #[serde(rename = "crossOrigin", default)]
        cross_origin: Option<bool>,
    }
    serde_json::from_slice::<ClientData>(response.response.client_data_json.as_ref())
        .map_or(true, |c| c.cross_origin.unwrap_or(false))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CeremonyKind {
    Register,
    SecondFactor,
    Passwordless,
    /// Confirming a signed-in user again before a change.
    Reauth,
}

impl CeremonyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CeremonyKind::Register => "register",
            CeremonyKind::SecondFactor => "second_factor",
            CeremonyKind::Passwordless => "passwordless",
            CeremonyKind::Reauth => "reauth",
        }
    }

    pub fn parse(value: &str) -> Option<CeremonyKind> {
        [
            CeremonyKind::Register,
            CeremonyKind::SecondFactor,
            CeremonyKind::Passwordless,
            CeremonyKind::Reauth,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
    }
}

/// A ceremony between its start and its finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    pub id_hash: String,
    pub tenant_id: String,
    pub user_id: Option<String>,
    /// The session that started it; starting another ceremony of the same
    /// kind in that session ends this one.
    pub session_hash: Option<String>,
    pub kind: CeremonyKind,
    /// The name a new passkey gets.
    pub name: Option<String>,
    pub state_sealed: String,
    pub expires_at: UnixTime,
}

/// What the browser needs to run a ceremony.
pub struct Started {
    /// Goes back with the answer.
    pub ceremony: SecretToken,
    /// `PublicKeyCredentialCreationOptions` or `…RequestOptions`, as JSON
    /// with binary fields in base64url.
    pub options: String,
}

/// What the browser sent back.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub ceremony: &'a str,
    /// The `PublicKeyCredential`, as JSON with binary fields in base64url.
    pub response: &'a str,
}

fn expired_ceremony() -> Error {
    Error::said("ceremony", Said::PasskeyRequestExpired)
}

fn unreadable_response() -> Error {
    Error::said("response", Said::PasskeyUnreadable)
}

/// Validates a passkey's name as the user typed it.
pub fn parse_name(value: &str) -> Result<String, FieldError> {
    validate::text("name", value, NAME_MAX)
}

fn user_handle(user: &User) -> Result<Uuid, Error> {
    Uuid::parse_str(&user.id).map_err(|_| {
        Error::Store(StoreError::Corrupt(format!(
            "user id {} is not a UUID",
            user.id
        )))
    })
}

fn seal_state<S, W>(env: &Env<'_, S, W>, id_hash: &str, state: &impl serde::Serialize) -> String {
    // Serialising webauthn-rs's own state types cannot fail.
    let json = serde_json::to_vec(state).unwrap_or_default();
    env.secrets
        .seal(env.random, &json, &format!("passkey-ceremony:{id_hash}"))
}

fn open_state<S, W, T: serde::de::DeserializeOwned>(
    env: &Env<'_, S, W>,
    ceremony: &Ceremony,
) -> Result<T, Error> {
    env.secrets
        .open(
            &ceremony.state_sealed,
            &format!("passkey-ceremony:{}", ceremony.id_hash),
        )
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or_else(expired_ceremony)
}

async fn begin<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    ceremony: Ceremony,
    state: &impl serde::Serialize,
    options: &impl serde::Serialize,
    token: SecretToken,
) -> Result<Started, Error> {
    let ceremony = Ceremony {
        state_sealed: seal_state(env, &ceremony.id_hash, state),
        ..ceremony
    };
    env.store
        .insert_passkey_ceremony(&ceremony, env.clock.now())
        .await?;
    Ok(Started {
        ceremony: token,
        options: serde_json::to_string(options).unwrap_or_default(),
    })
}

fn new_ceremony<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    kind: CeremonyKind,
) -> (SecretToken, Ceremony) {
    let token = SecretToken::generate(env.random);
    let ceremony = Ceremony {
        id_hash: token.hash(),
        tenant_id: tenant.id.clone(),
        user_id: None,
        session_hash: None,
        kind,
        name: None,
        state_sealed: String::new(),
        expires_at: env.clock.now().plus(CEREMONY_SECS),
    };
    (token, ceremony)
}

/// Takes the ceremony `presented` out of the store if it is of `kind`, of
/// this tenant, still running and (where given) of this user and session.
async fn take<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    kind: CeremonyKind,
    presented: &str,
    owner: Option<(&User, &Session)>,
) -> Result<Ceremony, Error> {
    let token = SecretToken::from_presented(presented).ok_or_else(expired_ceremony)?;
    let ceremony = env
        .store
        .take_passkey_ceremony(&token.hash())
        .await?
        .ok_or_else(expired_ceremony)?;
    let owner_matches = match owner {
        Some((user, session)) => {
            ceremony.user_id.as_deref() == Some(user.id.as_str())
                && ceremony.session_hash.as_deref() == Some(session.id_hash.as_str())
        }
        None => ceremony.user_id.is_none(),
    };
    if ceremony.kind != kind
        || ceremony.tenant_id != tenant.id
        || !owner_matches
        || env.clock.now() >= ceremony.expires_at
    {
        return Err(expired_ceremony());
    }
    Ok(ceremony)
}

/// Starts adding a passkey named `name` (needs a recent sign-in).
pub async fn start_registration<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    name: &str,
) -> Result<Started, Error> {
    require_recent_auth(session, env.clock.now())?;
    let name = parse_name(name).map_err(|e| Error::Invalid(vec![e]))?;
    let existing = env.store.passkeys_for_user(&user.id).await?;
    if existing.len() >= MAX_PER_USER {
        return Err(Error::said(
            "name",
            Said::PasskeyLimit { max: MAX_PER_USER },
        ));
    }
    let exclude = existing
        .iter()
        .map(|c| c.passkey().map(|p| p.cred_id().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let (mut options, state) = rp
        .webauthn
        .start_passkey_registration(
            user_handle(user)?,
            // One relying party serves every tenant: the browser's list of
            // passkeys tells them apart by the tenant's name.
            &format!("{} ({})", user.username, tenant.display_name),
            &user.display_name,
            Some(exclude),
        )
        .map_err(|e| Error::Store(StoreError::Database(format!("webauthn: {e}"))))?;
    options.public_key.rp.name = tenant.display_name.clone();
    // Ask for a discoverable credential where the authenticator can make one,
    // so the same passkey also works for passwordless sign-in.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Preferred);
    }
    let (token, mut ceremony) = new_ceremony(env, tenant, CeremonyKind::Register);
    ceremony.user_id = Some(user.id.clone());
    ceremony.session_hash = Some(session.id_hash.clone());
    ceremony.name = Some(name);
    begin::<S, W>(env, ceremony, &state, &options, token).await
}

/// Finishes adding a passkey: verifies the authenticator's answer to the
/// challenge of the ceremony and stores the credential.
pub async fn finish_registration<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    answer: Answer<'_>,
    meta: &RequestMeta,
) -> Result<PasskeyCredential, Error> {
    // Recency was checked when the ceremony started (it lives 5 minutes, in
    // this session only): checking again here would strand a credential the
    // authenticator has just made.
    let now = env.clock.now();
    let ceremony = take(
        env,
        tenant,
        CeremonyKind::Register,
        answer.ceremony,
        Some((user, session)),
    )
    .await?;
    let state: PasskeyRegistration = open_state(env, &ceremony)?;
    let response: RegisterPublicKeyCredential =
        serde_json::from_str(answer.response).map_err(|_| unreadable_response())?;
    let passkey = rp
        .webauthn
        .finish_passkey_registration(&response, &state)
        .map_err(|e| {
            // The library's words are for the log; people get plain ones.
            tracing::info!(user_id = %user.id, error = %e, "passkey registration not verified");
            Error::said("response", Said::PasskeyNotVerified)
        })?;
    if env.store.passkeys_for_user(&user.id).await?.len() >= MAX_PER_USER {
        return Err(Error::said(
            "name",
            Said::PasskeyLimit { max: MAX_PER_USER },
        ));
    }
    let backup_eligible = passkey_backup_eligible(&passkey);
    let credential = PasskeyCredential {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        name: ceremony.name.clone().unwrap_or_default(),
        credential_id: b64url(passkey.cred_id()),
        passkey: serde_json::to_string(&passkey).unwrap_or_default(),
        backup_eligible,
        created_at: now,
        last_used_at: None,
        suspected_clone_at: None,
    };
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        "factor.passkey.added",
        meta,
    ));
    effects.mail.push(security_notice(
        env.random,
        tenant,
        user,
        SecurityEvent::PasskeyAdded,
        now,
    ));
    env.store
        .insert_passkey(&credential, &effects, now)
        .await
        .map_err(|e| e.into_conflict("response", "this passkey is registered already"))?;
    Ok(credential)
}

/// Whether the authenticator said the credential may be backed up (synced).
fn passkey_backup_eligible(passkey: &Passkey) -> bool {
    Credential::from(passkey.clone()).backup_eligible
}

/// Renames one of the user's passkeys.
pub async fn rename<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    id: &str,
    name: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let name = parse_name(name).map_err(|e| Error::Invalid(vec![e]))?;
    let effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        "factor.passkey.renamed",
        meta,
    ));
    if !env
        .store
        .rename_passkey(&user.id, id, &name, &effects, env.clock.now())
        .await?
    {
        return Err(Error::NotFound("passkey"));
    }
    Ok(())
}

/// Removes one of the user's passkeys (needs a recent sign-in). Under a
/// `required` policy the last second factor stays.
///
/// The sessions the passkey may have opened end with it, and so do the
/// applications' tokens, as with a password change: every other session of
/// the user ends, and the security stamp changes. The session that removed
/// it stays under a new id, returned for the cookie.
pub async fn remove<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    id: &str,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    let now = env.clock.now();
    require_recent_auth(session, now)?;
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        "factor.passkey.removed",
        meta,
    ));
    effects.mail.push(security_notice(
        env.random,
        tenant,
        user,
        SecurityEvent::PasskeyRemoved,
        now,
    ));
    let keep_last = tenant.second_factor == crate::tenants::SecondFactorPolicy::Required;
    let token = SecretToken::generate(env.random);
    let stamp = new_security_stamp(env.random);
    let others = SignOutOthers {
        security_stamp: &stamp,
        keep_session: &session.id_hash,
        new_session: &token.hash(),
    };
    match env
        .store
        .delete_passkey(&user.id, id, keep_last, &others, &effects, now)
        .await?
    {
        FactorRemoval::Removed => Ok(token),
        FactorRemoval::NotFound => Err(Error::NotFound("passkey")),
        FactorRemoval::LastFactor => Err(Error::said("passkey", Said::PasskeyOnlyFactor)),
    }
}

/// Starts the second step of a sign-in with one of the user's passkeys.
pub async fn start_second_factor<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    step: &SecondStep<'_>,
) -> Result<Started, Error> {
    start_assertion(
        env,
        rp,
        step.tenant,
        step.user,
        step.session,
        CeremonyKind::SecondFactor,
    )
    .await
}

/// Starts confirming a signed-in user again with one of their passkeys.
pub async fn start_reauth<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
) -> Result<Started, Error> {
    start_assertion(env, rp, tenant, user, session, CeremonyKind::Reauth).await
}

/// Confirms a signed-in user again with a passkey: the session's
/// `auth_time` becomes now. Counted against the second-factor limits.
pub async fn finish_reauth<S: EffectStore + PasskeyStore + SessionStore + RateLimitStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    answer: Answer<'_>,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let counters = crate::factors::totp::count_attempt(env, tenant, user).await?;
    let ceremony = take(
        env,
        tenant,
        CeremonyKind::Reauth,
        answer.ceremony,
        Some((user, session)),
    )
    .await?;
    let state = open_named_state(env, &ceremony)?;
    let verified = match serde_json::from_str::<PublicKeyCredential>(answer.response) {
        Ok(response) => {
            let passkeys = env.store.passkeys_for_user(&user.id).await?;
            let who = Claimant { tenant, user, meta };
            verify_assertion(env, rp, &who, &passkeys, &response, state).await?
        }
        Err(_) => None,
    };
    let now = env.clock.now();
    let event = if verified.is_some() {
        "reauth.succeeded.passkey"
    } else {
        "reauth.failed.passkey"
    };
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        event,
        meta,
    ));
    if verified.is_none() {
        env.store.apply(&effects, now).await?;
        return Err(Error::InvalidCode);
    }
    effects
        .counters
        .extend(counters.iter().map(|k| CounterChange::Clear(k)));
    env.store
        .refresh_auth_time(&session.id_hash, &effects, now)
        .await?;
    Ok(())
}

async fn start_assertion<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    kind: CeremonyKind,
) -> Result<Started, Error> {
    // A suspected copy is not offered (and would be refused).
    let passkeys = env
        .store
        .passkeys_for_user(&user.id)
        .await?
        .iter()
        .filter(|p| p.signs_in())
        .map(PasskeyCredential::passkey)
        .collect::<Result<Vec<_>, _>>()?;
    if passkeys.is_empty() {
        return Err(Error::NotFound("passkey"));
    }
    let (options, state) = rp
        .webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|e| Error::Store(StoreError::Database(format!("webauthn: {e}"))))?;
    let (token, mut ceremony) = new_ceremony(env, tenant, kind);
    ceremony.user_id = Some(user.id.clone());
    ceremony.session_hash = Some(session.id_hash.clone());
    begin::<S, W>(env, ceremony, &state, &options, token).await
}

/// Opens the state of a ceremony that named the user's credentials when it
/// started (second step, re-authentication) in the form that is finished
/// against one credential as stored now. webauthn-rs's
/// `PasskeyAuthentication` and `DiscoverableAuthentication` wrap the same
/// `AuthenticationState` the same way (a test below keeps that true).
fn open_named_state<S, W>(
    env: &Env<'_, S, W>,
    ceremony: &Ceremony,
) -> Result<DiscoverableAuthentication, Error> {
    open_state(env, ceremony)
}

/// Who answers an assertion, once known.
struct Claimant<'a> {
    tenant: &'a Tenant,
    user: &'a User,
    meta: &'a RequestMeta,
}

/// Verifies an assertion against the user's credential as stored now (its
/// counter included, not the one the ceremony captured when it started) and
/// records the use; the method it proves, or `None` if it does not verify.
/// Why a passkey failed is not told: it helps an attacker more than a user.
async fn verify_assertion<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    who: &Claimant<'_>,
    passkeys: &[PasskeyCredential],
    response: &PublicKeyCredential,
    state: DiscoverableAuthentication,
) -> Result<Option<AuthMethod>, Error> {
    if cross_origin(response) {
        tracing::info!(user_id = %who.user.id, "passkey assertion refused: made for another site's frame");
        return Ok(None);
    }
    let presented = b64url(response.get_credential_id());
    let Some(stored) = passkeys.iter().find(|p| p.credential_id == presented) else {
        return Ok(None);
    };
    if !stored.signs_in() {
        return Ok(None);
    }
    let mut passkey = stored.passkey()?;
    let result = match rp
        .webauthn
        .finish_discoverable_authentication_v2(response, state, &passkey)
    {
        Ok(result) => result,
        // A valid signature whose counter did not go up: two copies of the
        // key are in use.
        Err(WebauthnError::CredentialPossibleCompromise) => {
            suspect_copy(env, who, stored).await?;
            return Ok(None);
        }
        Err(_) => return Ok(None),
    };
    passkey.update_credential(&result);
    let json = serde_json::to_string(&passkey).unwrap_or_default();
    let recorded = env
        .store
        .record_passkey_use(
            &stored.id,
            &stored.passkey,
            &json,
            result.backup_eligible(),
            env.clock.now(),
        )
        .await?;
    // Another use came first: this answer was checked against a counter that
    // is no longer current.
    Ok(recorded.then(|| method(result.backup_eligible())))
}

/// Marks `stored` as a suspected copy: it signs in no more, the owner is
/// mailed and the event audited (once, however often the copy tries).
async fn suspect_copy<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    who: &Claimant<'_>,
    stored: &PasskeyCredential,
) -> Result<(), Error> {
    let now = env.clock.now();
    tracing::warn!(
        user_id = %who.user.id,
        passkey = %stored.id,
        "passkey signature counter did not go up: marked as a suspected copy"
    );
    let mut audit = audit_event(
        env.random,
        env.clock,
        who.tenant,
        Some(&who.user.id),
        format!("user:{}", who.user.id),
        "factor.passkey.clone_suspected",
        who.meta,
    );
    audit.detail = serde_json::json!({ "passkey": stored.id, "name": stored.name }).to_string();
    let mut effects = Effects::audit(audit);
    effects.mail.push(security_notice(
        env.random,
        who.tenant,
        who.user,
        SecurityEvent::PasskeyCloneSuspected,
        now,
    ));
    env.store
        .mark_passkey_cloned(&stored.id, &effects, now)
        .await?;
    Ok(())
}

/// The second step of a sign-in with a passkey. Counted against the same
/// limits as codes.
pub async fn complete_second_factor<
    S: PasskeyStore + EffectStore + SessionStore + RateLimitStore,
    W,
>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    step: &SecondStep<'_>,
    answer: Answer<'_>,
) -> Result<SecretToken, Error> {
    crate::factors::totp::finish_second_step(env, step, "passkey", async {
        let ceremony = take(
            env,
            step.tenant,
            CeremonyKind::SecondFactor,
            answer.ceremony,
            Some((step.user, step.session)),
        )
        .await?;
        let state = open_named_state(env, &ceremony)?;
        let Ok(response) = serde_json::from_str::<PublicKeyCredential>(answer.response) else {
            return Ok(None);
        };
        let passkeys = env.store.passkeys_for_user(&step.user.id).await?;
        let who = Claimant {
            tenant: step.tenant,
            user: step.user,
            meta: step.meta,
        };
        verify_assertion(env, rp, &who, &passkeys, &response, state).await
    })
    .await
}

/// Starts a sign-in with a passkey alone, where the tenant allows it. The
/// browser offers the passkeys it has for this site; nobody is named yet.
pub async fn start_passwordless<S: RateLimitStore + PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    meta: &RequestMeta,
) -> Result<Started, Error> {
    if !tenant.passwordless {
        return Err(Error::said("passkey", Said::PasskeyAloneNotOffered));
    }
    let now = env.clock.now();
    if let Some(ip) = &meta.ip {
        let key = ratelimit::address_key(PASSWORDLESS_SCOPE, ip);
        let hit = env
            .store
            .rate_limit_add(&key, 1, now, PASSWORDLESS_LIMIT.window_secs)
            .await?;
        if PASSWORDLESS_LIMIT.exceeded(&hit) {
            return Err(Error::RateLimited {
                retry_after_secs: PASSWORDLESS_LIMIT.retry_after(&hit, now),
            });
        }
    }
    let (mut options, state) = rp
        .webauthn
        .start_discoverable_authentication()
        .map_err(|e| Error::Store(StoreError::Database(format!("webauthn: {e}"))))?;
    // Started by a button, not by autofill: a modal request.
    options.mediation = None;
    let (token, ceremony) = new_ceremony(env, tenant, CeremonyKind::Passwordless);
    begin::<S, W>(env, ceremony, &state, &options, token).await
}

/// A passwordless sign-in that succeeded.
pub struct PasswordlessSignIn {
    pub token: SecretToken,
    pub session: Session,
    pub user: User,
}

/// Finishes a passwordless sign-in: the passkey names its user; the user
/// must be active in this tenant and the passkey theirs. Every failure looks
/// the same.
pub async fn finish_passwordless<S: PasskeyStore + UserStore + SessionStore + EffectStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    answer: Answer<'_>,
    meta: &RequestMeta,
    policy: &SessionPolicy,
) -> Result<PasswordlessSignIn, Error> {
    let ceremony = take(
        env,
        tenant,
        CeremonyKind::Passwordless,
        answer.ceremony,
        None,
    )
    .await?;
    // The tenant may have turned it off since the ceremony started.
    if !tenant.passwordless {
        return Err(expired_ceremony());
    }
    let state: DiscoverableAuthentication = open_state(env, &ceremony)?;
    let response: PublicKeyCredential =
        serde_json::from_str(answer.response).map_err(|_| unreadable_response())?;
    let now = env.clock.now();
    let handle = rp
        .webauthn
        .identify_discoverable_authentication(&response)
        .map(|(handle, _)| handle.hyphenated().to_string())
        .unwrap_or_default();
    let user = env.store.user_by_id(&tenant.id, &handle).await?;
    // Looked up for every handle, known or not, active or not: the same
    // queries whoever the handle names.
    let passkeys = env.store.passkeys_for_user(&handle).await?;
    let verified = match &user {
        Some(user) if user.is_active() => {
            let who = Claimant { tenant, user, meta };
            verify_assertion(env, rp, &who, &passkeys, &response, state).await?
        }
        _ => None,
    };
    let (Some(user), Some(method)) = (user, verified) else {
        let audit = audit_event(
            env.random,
            env.clock,
            tenant,
            None,
            "anonymous".into(),
            "signin.passkey.failed",
            meta,
        );
        env.store.apply(&Effects::audit(audit), now).await?;
        return Err(Error::InvalidCredentials);
    };
    let token = SecretToken::generate(env.random);
    let session = Session::new(&token, &user, vec![method], now, policy, meta);
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        "signin.succeeded.passkey",
        meta,
    ));
    let address_key = meta
        .ip
        .as_ref()
        .map(|ip| ratelimit::address_key(PASSWORDLESS_SCOPE, ip));
    if let Some(key) = &address_key {
        effects.counters.push(CounterChange::Add {
            key,
            delta: -1,
            window_secs: PASSWORDLESS_LIMIT.window_secs,
        });
    }
    env.store.start_session(&session, &effects, now).await?;
    Ok(PasswordlessSignIn {
        token,
        session,
        user,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relying_party_must_match_its_origin() {
        assert!(RelyingParty::new("localhost", "http://localhost:8080").is_ok());
        assert!(RelyingParty::new("example.com", "https://login.example.com").is_ok());
        assert!(RelyingParty::new("login.example.com", "https://login.example.com").is_ok());
        for (id, origin, says) in [
            ("example.com", "http://login.example.com", "https"),
            ("other.com", "https://login.example.com", "parent domain"),
            ("ample.com", "https://login.example.com", "parent domain"),
            ("127.0.0.1", "https://127.0.0.1:8080", "IP address"),
            ("localhost", "not a url", "not a URL"),
            ("com", "https://login.example.com", "top-level"),
        ] {
            let err = RelyingParty::new(id, origin).err().unwrap_or_default();
            assert!(err.contains(says), "{id} {origin}: {err}");
        }
    }

    #[test]
    fn ceremony_kinds_round_trip() {
        for kind in [
            CeremonyKind::Register,
            CeremonyKind::SecondFactor,
            CeremonyKind::Passwordless,
            CeremonyKind::Reauth,
        ] {
            assert_eq!(CeremonyKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CeremonyKind::parse("other"), None);
    }

    #[test]
    fn no_key_is_claimed_as_hardware() {
        // Registration asks for no attestation: "not synced" is what the
        // authenticator says, and a software one can say it too.
        assert_eq!(method(true), AuthMethod::SoftwareKey);
        assert_eq!(method(false), AuthMethod::KeyPossession);
        assert_eq!(method(false).as_str(), "pop");
    }

    fn assertion_with(client_data: &str) -> PublicKeyCredential {
        serde_json::from_value(serde_json::json!({
            "id": "AAAA",
            "rawId": "AAAA",
            "type": "public-key",
            "response": {
                "authenticatorData": "AAAA",
                "clientDataJSON": b64url(client_data.as_bytes()),
                "signature": "AAAA",
                "userHandle": null,
            },
            "extensions": {},
        }))
        .unwrap()
    }

    #[test]
    fn assertions_for_another_sites_frame_are_cross_origin() {
        let data = |extra: &str| {
            format!(
                r#"{{"type":"webauthn.get","challenge":"AAAA","origin":"https://id.example"{extra}}}"#
            )
        };
        assert!(!cross_origin(&assertion_with(&data(""))));
        assert!(!cross_origin(&assertion_with(&data(
            r#","crossOrigin":false"#
        ))));
        assert!(cross_origin(&assertion_with(&data(
            r#","crossOrigin":true"#
        ))));
        assert!(cross_origin(&assertion_with(&data(
            r#","crossOrigin":true,"topOrigin":"https://evil.example""#
        ))));
        assert!(cross_origin(&assertion_with("not json")), "unreadable");
    }

    #[test]
    fn a_named_ceremony_state_opens_as_one_finished_against_the_stored_key() {
        // The second step and re-authentication seal webauthn-rs's
        // `PasskeyAuthentication` and finish it as a
        // `DiscoverableAuthentication` (against the credential as stored):
        // both must keep wrapping the same state the same way.
        let rp = RelyingParty::new("localhost", "http://localhost:8080").unwrap();
        let (_, named) = rp.webauthn.start_passkey_authentication(&[]).unwrap();
        let json = serde_json::to_value(&named).unwrap();
        let opened: DiscoverableAuthentication = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&opened).unwrap(), json);
    }

    #[test]
    fn names_are_validated() {
        assert_eq!(parse_name("  YubiKey 5 ").unwrap(), "YubiKey 5");
        assert!(parse_name("").is_err());
        assert!(parse_name(&"x".repeat(NAME_MAX + 1)).is_err());
    }
}
