//! A WebAuthn ceremony: the server state of one registration or assertion,
//! sealed, bound to its user and purpose, taken once, expiring.

use super::*;
use crate::platform::ids::{SessionHash, TenantId, UserId};
use crate::platform::time::MINUTE;

/// How long a browser has to answer a ceremony.
pub const CEREMONY_SECS: i64 = 5 * MINUTE;

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
    pub tenant_id: TenantId,
    pub user_id: Option<UserId>,
    /// The session that started it; starting another ceremony of the same
    /// kind in that session ends this one.
    pub session_hash: Option<SessionHash>,
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

pub(super) fn expired_ceremony() -> Error {
    Error::said("ceremony", Said::PasskeyRequestExpired)
}

pub(super) fn unreadable_response() -> Error {
    Error::said("response", Said::PasskeyUnreadable)
}

pub(super) fn user_handle(user: &User) -> Result<Uuid, Error> {
    Uuid::parse_str(user.id.as_str()).map_err(|_| {
        Error::Store(StoreError::Corrupt(format!(
            "user id {} is not a UUID",
            user.id
        )))
    })
}

pub(super) fn seal_state<S, W>(
    env: &Env<'_, S, W>,
    id_hash: &str,
    state: &impl serde::Serialize,
) -> String {
    // Serialising webauthn-rs's own state types cannot fail.
    let json = serde_json::to_vec(state).unwrap_or_default();
    env.secrets
        .seal(env.random, &json, &format!("passkey-ceremony:{id_hash}"))
}

pub(super) fn open_state<S, W, T: serde::de::DeserializeOwned>(
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

pub(super) async fn begin<S: PasskeyStore, W>(
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

pub(super) fn new_ceremony<S, W>(
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
pub(super) async fn take<S: PasskeyStore, W>(
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
            ceremony.user_id.as_ref() == Some(&user.id)
                && ceremony.session_hash.as_ref() == Some(&session.id_hash)
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

/// Opens the state of a ceremony that named the user's credentials when it
/// started (second step, re-authentication) in the form that is finished
/// against one credential as stored now. webauthn-rs's
/// `PasskeyAuthentication` and `DiscoverableAuthentication` wrap the same
/// `AuthenticationState` the same way (a test below keeps that true).
pub(super) fn open_named_state<S, W>(
    env: &Env<'_, S, W>,
    ceremony: &Ceremony,
) -> Result<DiscoverableAuthentication, Error> {
    open_state(env, ceremony)
}
