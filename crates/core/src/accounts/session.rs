//! Browser sessions. The client holds a random 256-bit id; the database holds
//! only its SHA-256. A session ends when idle too long, when its absolute
//! lifetime is over, when the user is disabled, or when the user's security
//! stamp changes.

use crate::Error;
use crate::accounts::user::User;
use crate::effects::audit::RequestMeta;
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::ids::{SessionHash, TenantId, UserId};
use crate::platform::secret::SecretToken;
use crate::platform::time::{HOUR, MINUTE};
use crate::store::{SessionStore, SignOut, UserStore};
use crate::tenants::Tenant;

/// How a user proved who they are; the names are OIDC `amr` values (RFC 8176)
/// where one exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum AuthMethod {
    Password,
    Otp,
    /// `hwk`: a hardware-secured key. No longer issued: passkeys are
    /// registered without attestation, so nothing proves hardware (decision
    /// 0007); still read, for sessions and grants from before.
    HardwareKey,
    /// `swk`: a synced passkey (the authenticator says it may be backed up).
    SoftwareKey,
    /// `pop`: a key that is not synced, of a kind nobody proved (RFC 8176:
    /// hardware- or software-secured, unspecified).
    KeyPossession,
    RecoveryCode,
    /// Signed in by completing Account Self-Recovery.
    Recovery,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Password => "pwd",
            AuthMethod::Otp => "otp",
            AuthMethod::HardwareKey => "hwk",
            AuthMethod::SoftwareKey => "swk",
            AuthMethod::KeyPossession => "pop",
            AuthMethod::RecoveryCode => "rc",
            AuthMethod::Recovery => "recovery",
        }
    }

    pub fn parse(value: &str) -> Option<AuthMethod> {
        [
            AuthMethod::Password,
            AuthMethod::Otp,
            AuthMethod::HardwareKey,
            AuthMethod::SoftwareKey,
            AuthMethod::KeyPossession,
            AuthMethod::RecoveryCode,
            AuthMethod::Recovery,
        ]
        .into_iter()
        .find(|m| m.as_str() == value)
    }
}

pub fn methods_to_string(methods: &[AuthMethod]) -> String {
    methods
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn methods_from_string(value: &str) -> Vec<AuthMethod> {
    value
        .split_whitespace()
        .filter_map(AuthMethod::parse)
        .collect()
}

/// How far a sign-in has come: a password alone opens only the second-factor
/// prompt for users who have a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SessionStage {
    Complete,
    SecondFactor,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStage::Complete => "complete",
            SessionStage::SecondFactor => "second_factor",
        }
    }

    pub fn parse(value: &str) -> Option<SessionStage> {
        match value {
            "complete" => Some(SessionStage::Complete),
            "second_factor" => Some(SessionStage::SecondFactor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle_secs: i64,
    /// A session ends this long after sign-in, used or not.
    pub absolute_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_secs: 30 * MINUTE,
            absolute_secs: 10 * HOUR,
        }
    }
}

/// How long a sign-in may wait for its second factor.
pub const SECOND_FACTOR_SECS: i64 = 5 * MINUTE;

/// `last_seen_at` is written at most this often, to keep reads read-only.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: SessionHash,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub created_at: UnixTime,
    pub last_seen_at: UnixTime,
    /// The absolute end.
    pub expires_at: UnixTime,
    pub auth_time: UnixTime,
    pub methods: Vec<AuthMethod>,
    /// The user's security stamp when the session began.
    pub security_stamp: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub stage: SessionStage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Valid { touch: bool },
    Ended,
}

impl Session {
    pub fn new(
        token: &SecretToken,
        user: &User,
        methods: Vec<AuthMethod>,
        now: UnixTime,
        policy: &SessionPolicy,
        meta: &RequestMeta,
    ) -> Session {
        Session {
            id_hash: token.hash().into(),
            tenant_id: user.tenant_id.clone(),
            user_id: user.id.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: now.plus(policy.absolute_secs),
            auth_time: now,
            methods,
            security_stamp: user.security_stamp.clone(),
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            stage: SessionStage::Complete,
        }
    }

    /// A session that still needs the second factor. It lives only
    /// [`SECOND_FACTOR_SECS`]: long enough to type a code, too short to keep
    /// guessing on one session.
    pub fn awaiting_second_factor(self) -> Session {
        let expires_at = self
            .expires_at
            .min(self.created_at.plus(SECOND_FACTOR_SECS));
        Session {
            stage: SessionStage::SecondFactor,
            expires_at,
            ..self
        }
    }

    pub fn state_at(&self, now: UnixTime, policy: &SessionPolicy) -> SessionState {
        if now >= self.expires_at || now.since(self.last_seen_at) >= policy.idle_secs {
            SessionState::Ended
        } else {
            SessionState::Valid {
                touch: now.since(self.last_seen_at) >= TOUCH_INTERVAL_SECS,
            }
        }
    }
}

/// Resolves a presented session cookie to its session and user in `tenant`.
/// Returns `None` for anything that is not a live session at `stage` of an
/// active user of this tenant; an ended session is deleted on the way.
pub async fn authenticate<S: SessionStore + UserStore>(
    store: &S,
    clock: &dyn Clock,
    policy: &SessionPolicy,
    tenant: &Tenant,
    presented: &str,
    stage: SessionStage,
) -> Result<Option<(Session, User)>, Error> {
    let Some(token) = SecretToken::from_presented(presented) else {
        return Ok(None);
    };
    let Some(session) = store.session_by_hash(&token.hash().into()).await? else {
        return Ok(None);
    };
    if session.tenant_id != tenant.id || session.stage != stage {
        // Another tenant's session, or one at another stage: not valid here,
        // but not ended either.
        return Ok(None);
    }
    let now = clock.now();
    let user = store.user_by_id(&tenant.id, &session.user_id).await?;
    let state = session.state_at(now, policy);
    match (state, user) {
        (SessionState::Valid { touch }, Some(user))
            if user.is_active() && user.security_stamp == session.security_stamp =>
        {
            if touch {
                store.touch_session(&session.id_hash, now).await?;
            }
            Ok(Some((session, user)))
        }
        _ => {
            store.delete_session(&session.id_hash).await?;
            Ok(None)
        }
    }
}

/// How recent the last authentication must be for a change that guards a
/// secret or hands out power: second factors, passwords, a helpdesk reset,
/// an application's addresses or secret.
pub const RECENT_AUTH_SECS: i64 = 10 * MINUTE;

/// The one rule for such changes, on every path: the console and account
/// pages (the session's `auth_time`) and the JSON API (the access token's
/// `auth_time`, which a refresh carries over unchanged).
/// [`Error::ReauthRequired`] when it is older than [`RECENT_AUTH_SECS`].
pub fn require_recent_auth_time(auth_time: UnixTime, now: UnixTime) -> Result<(), Error> {
    if now.since(auth_time) > RECENT_AUTH_SECS {
        return Err(Error::ReauthRequired);
    }
    Ok(())
}

/// The one way a change ends everyone else's access to the account of
/// `session` (a password change ends it the same way, in its own store
/// write): a factor added, replaced or removed, new recovery codes, a
/// passkey removed (ASVS 7.4.3). The caller puts the [`SignOut`] into the
/// change's effects (or hands it to the store's write) so that it happens
/// in the change's transaction; the token is the session's new id, for
/// the cookie.
pub fn sign_out_others(
    random: &dyn crate::platform::random::Random,
    session: &Session,
) -> (SignOut, SecretToken) {
    let token = SecretToken::generate(random);
    let sign_out = SignOut {
        user_id: session.user_id.clone(),
        security_stamp: crate::accounts::user::new_security_stamp(random),
        keep_session: session.id_hash.clone(),
        new_session: token.hash().into(),
    };
    (sign_out, token)
}

/// Everyone signed out of `user_id`'s account: a new security stamp (every
/// application's tokens stop working) and no session kept — the kept
/// session is one nobody has (a fresh random id matches none).
pub fn sign_out_everyone(
    random: &dyn crate::platform::random::Random,
    user_id: &UserId,
) -> SignOut {
    SignOut {
        user_id: user_id.clone(),
        security_stamp: crate::accounts::user::new_security_stamp(random),
        keep_session: SecretToken::generate(random).hash().into(),
        new_session: SecretToken::generate(random).hash().into(),
    }
}

/// Records that the person behind `session` proved who they are again
/// ("confirm it's you"), with `effects`: `auth_time` becomes now and the
/// session goes on under a new id, returned for the cookie, as after the
/// second step (ASVS 7.2.4) — whoever copied the old cookie holds nothing.
/// [`Error::NotFound`] if the session ended meanwhile.
pub async fn reauthenticated<S: SessionStore>(
    store: &S,
    random: &dyn crate::platform::random::Random,
    session: &Session,
    effects: &crate::store::Effects<'_>,
    now: UnixTime,
) -> Result<SecretToken, Error> {
    let token = SecretToken::generate(random);
    if !store
        .refresh_auth_time(&session.id_hash, &token.hash().into(), effects, now)
        .await?
    {
        return Err(Error::NotFound("session"));
    }
    Ok(token)
}

/// Completes a sign-in waiting for its second factor, proven with `method`:
/// the session gets a new id (returned, for the cookie), the full lifetime and
/// `auth_time` now. [`Error::InvalidCode`] if it was completed meanwhile.
pub async fn complete_second_factor<S: SessionStore>(
    store: &S,
    random: &dyn crate::platform::random::Random,
    session: &Session,
    method: AuthMethod,
    policy: &SessionPolicy,
    effects: &crate::store::Effects<'_>,
    now: UnixTime,
) -> Result<SecretToken, Error> {
    let token = SecretToken::generate(random);
    let done = crate::store::SecondFactorDone {
        id_hash: session.id_hash.clone(),
        new_id_hash: token.hash().into(),
        method,
        expires_at: now.plus(policy.absolute_secs),
        confirms_password_of: session
            .methods
            .contains(&AuthMethod::Password)
            .then(|| session.user_id.clone()),
    };
    if !store.complete_second_factor(&done, effects, now).await? {
        return Err(Error::InvalidCode);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(now: i64) -> Session {
        Session {
            id_hash: "h".into(),
            tenant_id: "t".into(),
            user_id: "u".into(),
            created_at: UnixTime(now),
            last_seen_at: UnixTime(now),
            expires_at: UnixTime(now + 1000),
            auth_time: UnixTime(now),
            methods: vec![AuthMethod::Password],
            security_stamp: "s".into(),
            ip: None,
            user_agent: None,
            stage: SessionStage::Complete,
        }
    }

    #[test]
    fn idle_and_absolute_timeouts() {
        let policy = SessionPolicy {
            idle_secs: 100,
            absolute_secs: 1000,
        };
        let s = session(0);
        assert_eq!(
            s.state_at(UnixTime(10), &policy),
            SessionState::Valid { touch: false }
        );
        assert_eq!(
            s.state_at(UnixTime(60), &policy),
            SessionState::Valid { touch: true }
        );
        assert_eq!(s.state_at(UnixTime(100), &policy), SessionState::Ended);
        let mut busy = session(0);
        busy.last_seen_at = UnixTime(990);
        assert_eq!(
            busy.state_at(UnixTime(999), &policy),
            SessionState::Valid { touch: false }
        );
        assert_eq!(busy.state_at(UnixTime(1000), &policy), SessionState::Ended);
    }

    #[test]
    fn methods_roundtrip() {
        let all = vec![
            AuthMethod::Password,
            AuthMethod::Otp,
            AuthMethod::RecoveryCode,
        ];
        assert_eq!(methods_from_string(&methods_to_string(&all)), all);
        assert_eq!(methods_from_string("pwd bogus"), vec![AuthMethod::Password]);
    }
}
