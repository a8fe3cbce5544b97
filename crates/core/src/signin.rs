//! Password sign-in: one generic failure, the same work whether or not the
//! account exists, and rate limits per typed name, per account (hidden),
//! per known device and per client address (decision 0003); whether a
//! second step follows; re-authentication ("sudo mode") with the password
//! and the app's code; sign-out. It stands above `accounts` and `factors`,
//! which it joins.

use crate::Error;
use crate::accounts::password::{Password, PasswordWorker, Verification};
use crate::accounts::session::{AuthMethod, Session, SessionPolicy, SessionStage};
use crate::accounts::user::{LoginKey, User};
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::ratelimit::{self, Hit, RateLimit};
pub use crate::env::Env;
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::ids::{SessionHash, TenantId, UserId};
use crate::platform::random::Random;
use crate::platform::secret::SecretToken;
use crate::platform::time::MINUTE;
use crate::store::{
    AuditStore, CounterChange, DeviceStore, EffectStore, Effects, OidcStore, PasskeyStore,
    RateLimitStore, RecoveryCodeStore, SessionStore, TotpStore, UserStore,
};
use crate::tenants::Tenant;

/// The sign-in limits (decision 0003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SignInLimits {
    /// Attempts per name as typed (normalised), for every name alike;
    /// answered 429. What anyone can see, so it says nothing about which
    /// names belong to one account.
    pub per_name: RateLimit,
    /// Password checks per account, from anywhere but the account's known
    /// devices. Never answered 429 at sign-in: over it, the attempt fails
    /// like a wrong password, after the same work.
    pub per_account: RateLimit,
    /// Password checks of an account from one of its known devices (smart
    /// lockout): their own counter, with a shorter window, so strangers'
    /// failures never hold the owner back there.
    pub per_device: RateLimit,
    pub per_address: RateLimit,
}

/// The window of a known device's counter, at most.
pub const DEVICE_WINDOW_SECS: i64 = 5 * MINUTE;

impl SignInLimits {
    /// Limits with `attempts` per name, account and known device, and
    /// `per_address` per client address, in windows of `window_secs` (a
    /// known device's window is at most [`DEVICE_WINDOW_SECS`]).
    pub fn new(attempts: u32, per_address: u32, window_secs: i64) -> SignInLimits {
        let limit = |max, window_secs| RateLimit { max, window_secs };
        SignInLimits {
            per_name: limit(attempts, window_secs),
            per_account: limit(attempts, window_secs),
            per_device: limit(attempts, window_secs.min(DEVICE_WINDOW_SECS)),
            per_address: limit(per_address, window_secs),
        }
    }
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits::new(10, 100, 15 * MINUTE)
    }
}

pub const SCOPE: &str = "signin";

/// The counter of password checks of account `user_id` from anywhere but
/// its known devices. Shared by sign-in, re-authentication and the
/// recovery completion's password check (stable: keep the name and key).
pub fn account_counter(tenant_id: &TenantId, user_id: &UserId) -> String {
    ratelimit::account_key(SCOPE, tenant_id, &format!("user:{user_id}"))
}

/// The counter of sign-in attempts with the name `login` as typed
/// (normalised; `None` for input that names nobody).
pub fn name_counter(tenant_id: &TenantId, login: Option<&LoginKey>) -> String {
    ratelimit::account_key(
        SCOPE,
        tenant_id,
        &format!("login:{}", login.map_or("", LoginKey::as_str)),
    )
}

/// The counter of password checks of `user_id` from the known device whose
/// id hashes to `device_hash`.
pub fn device_counter(tenant_id: &TenantId, user_id: &UserId, device_hash: &str) -> String {
    ratelimit::account_key(SCOPE, tenant_id, &format!("device:{user_id}:{device_hash}"))
}

/// Stands in for the account's counter when the name has no account, so
/// that the database work is the same.
fn no_account_counter(tenant_id: &TenantId, login: Option<&LoginKey>) -> String {
    ratelimit::account_key(
        SCOPE,
        tenant_id,
        &format!("nouser:{}", login.map_or("", LoginKey::as_str)),
    )
}

/// What a counter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterKind {
    /// The name as typed.
    Name,
    /// The account (or, for a name without one, a stand-in).
    Account,
    /// One known device of the account.
    Device,
    /// The client address.
    Address,
}

/// One counter an attempt counts against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub limit: RateLimit,
    pub kind: CounterKind,
}

impl Counter {
    /// Over the limit, the attempt is refused with 429 (`true`), or the
    /// password check fails as if the password were wrong (`false`): only
    /// the account's counter is hidden, since it is the one that would
    /// tell which names share an account.
    pub fn visible(&self) -> bool {
        self.kind != CounterKind::Account
    }
}

/// The known device a browser presented, checked against the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device<'a> {
    /// No device cookie, one that is not this account's, or one too old.
    Unknown,
    /// A device of this account: the hash of its id.
    Known(&'a str),
}

/// Whether the browser's device cookie (`presented`) is a known device of
/// `user_id` (any id for a name without an account, so the work is the
/// same): it completed a sign-in of them within the tenant's known-device
/// time. A value that is not one we issue, or one planted, is unknown.
pub async fn known_device<S: DeviceStore>(
    store: &S,
    tenant: &Tenant,
    user_id: Option<&UserId>,
    presented: Option<&SecretToken>,
    now: UnixTime,
) -> Result<Option<String>, Error> {
    let Some(device) = presented else {
        return Ok(None);
    };
    let hash = device.hash();
    let since = now.plus(-tenant.recovery_known_device_secs);
    let nobody = UserId::default();
    let known = store
        .device_known(&hash, user_id.unwrap_or(&nobody), since)
        .await?;
    Ok((known && user_id.is_some()).then_some(hash))
}

/// The counters a sign-in attempt counts against (the rule of decision
/// 0003): from a known device of the account, only that device's own;
/// otherwise the typed name's (visible) and the account's (hidden) — for a
/// name without an account a stand-in, so that real and made-up names do
/// the same work and get the same answers. The address's comes on top.
pub fn sign_in_counters(
    tenant_id: &TenantId,
    login: Option<&LoginKey>,
    user_id: Option<&UserId>,
    device: Device<'_>,
    address: Option<&str>,
    limits: &SignInLimits,
) -> Vec<Counter> {
    let mut counters = match (user_id, device) {
        (Some(user_id), Device::Known(hash)) => vec![Counter {
            key: device_counter(tenant_id, user_id, hash),
            limit: limits.per_device,
            kind: CounterKind::Device,
        }],
        (user_id, _) => vec![
            Counter {
                key: name_counter(tenant_id, login),
                limit: limits.per_name,
                kind: CounterKind::Name,
            },
            Counter {
                key: match user_id {
                    Some(id) => account_counter(tenant_id, id),
                    None => no_account_counter(tenant_id, login),
                },
                limit: limits.per_account,
                kind: CounterKind::Account,
            },
        ],
    };
    if let Some(ip) = address {
        counters.push(Counter {
            key: ratelimit::address_key(SCOPE, ip),
            limit: limits.per_address,
            kind: CounterKind::Address,
        });
    }
    counters
}

/// What the counters say about an attempt once it is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password.
    Check,
    /// Check the password (the same work), but fail whatever it is.
    CheckAndFail,
    /// Refuse at once: 429 with this `Retry-After`.
    Refuse { retry_after_secs: i64 },
}

/// Judges an attempt by its counters after counting it.
pub fn judge(counted: &[(Counter, Hit)], now: UnixTime) -> Verdict {
    let over = |visible: bool| {
        counted
            .iter()
            .filter(move |(c, hit)| c.visible() == visible && c.limit.exceeded(hit))
    };
    if let Some(retry_after_secs) = over(true)
        .map(|(c, hit)| c.limit.retry_after(hit, now))
        .max()
    {
        Verdict::Refuse { retry_after_secs }
    } else if over(false).next().is_some() {
        Verdict::CheckAndFail
    } else {
        Verdict::Check
    }
}

/// Adds `delta` to every counter.
async fn count<S: RateLimitStore>(
    store: &S,
    counters: &[Counter],
    delta: i64,
    now: UnixTime,
) -> Result<Vec<(Counter, Hit)>, Error> {
    let mut counted = Vec::with_capacity(counters.len());
    for c in counters {
        let hit = store
            .rate_limit_add(&c.key, delta, now, c.limit.window_secs)
            .await?;
        counted.push((c.clone(), hit));
    }
    Ok(counted)
}

pub struct SignedIn {
    /// The session id for the cookie; shown once, stored only as a hash.
    pub token: SecretToken,
    pub session: Session,
    pub user: User,
}

/// Signs in with username-or-email and password. `device` is the browser's
/// known-device cookie, if it sent one.
///
/// Known and unknown accounts take the same path: one lookup, (with a
/// device cookie, one device lookup,) three counter updates, one argon2
/// verification (against a dummy hash when there is no account) and, on
/// failure, one audit event. Every attempt is counted before the password
/// is checked, so parallel guesses cannot slip past the limits (see
/// [`sign_in_counters`] for which). A success clears the counters it was
/// counted against, except the address's, from which it takes its own
/// attempt back.
#[allow(clippy::too_many_arguments)]
pub async fn sign_in<
    S: SessionStore + TotpStore + UserStore + PasskeyStore + AuditStore + DeviceStore + RateLimitStore,
    W: PasswordWorker,
>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    login: &str,
    password: Password,
    device: Option<&str>,
    meta: &RequestMeta,
    limits: &SignInLimits,
    policy: &SessionPolicy,
) -> Result<SignedIn, Error> {
    let now = env.clock.now();
    if tenant.passkey_only() {
        // The same answer for every name: it is the organisation's setting.
        return Err(Error::said(
            "password",
            crate::platform::validate::Said::PasswordSignInOff,
        ));
    }
    if !env.worker.has_capacity() {
        // Refused before any write, so a flood costs the database nothing.
        return Err(Error::Overloaded {
            retry_after_secs: 1,
        });
    }
    let key = LoginKey::from_input(login);
    let user = match &key {
        Some(k) => env.store.user_by_login(&tenant.id, k).await?,
        None => None,
    };
    let user_id = user.as_ref().map(|u| &u.id);
    let presented = device.and_then(SecretToken::from_presented);
    let device_hash = known_device(env.store, tenant, user_id, presented.as_ref(), now).await?;
    let device = device_hash
        .as_deref()
        .map_or(Device::Unknown, Device::Known);
    let counters = sign_in_counters(
        &tenant.id,
        key.as_ref(),
        user_id,
        device,
        meta.ip.as_deref(),
        limits,
    );
    let counted = count(env.store, &counters, 1, now).await?;
    let verdict = judge(&counted, now);
    if let Verdict::Refuse { retry_after_secs } = verdict {
        return Err(Error::RateLimited { retry_after_secs });
    }

    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let verification = match env.worker.verify(stored.clone(), password.clone()).await {
        Ok(v) => v,
        Err(err) => {
            // Not evaluated (the pool filled up meanwhile): give the attempt back.
            count(env.store, &counters, -1, now).await?;
            return Err(err);
        }
    };

    let held = verdict == Verdict::CheckAndFail;
    let user = match user {
        Some(user) if verification.is_match() && user.is_active() && !held => user,
        other => {
            // The same write whether or not the account exists; the reason is
            // kept for the audit trail, never shown.
            let (user_id, event) = match &other {
                Some(u) if !u.is_active() => (Some(&u.id), AuditKind::SigninFailedDisabled),
                Some(u) if held => (Some(&u.id), AuditKind::SigninFailedLimited),
                Some(u) => (Some(&u.id), AuditKind::SigninFailedPassword),
                None => (None, AuditKind::SigninFailedUnknown),
            };
            let audit = audit_event(
                env.random,
                env.clock,
                &tenant.id,
                user_id,
                Actor::Anonymous,
                event,
                meta,
            );
            env.store.insert_audit(&audit).await?;
            return Err(Error::InvalidCredentials);
        }
    };

    if let (Verification::Match { needs_rehash: true }, Some(old)) = (verification, &stored) {
        // Best effort: a busy pool only postpones the upgrade to the next sign-in.
        if let Ok(new_hash) = env.worker.hash(password).await {
            env.store
                .replace_password_hash(&user.id, old, &new_hash, now)
                .await?;
        }
    }

    let token = SecretToken::generate(env.random);
    let mut session = Session::new(&token, &user, vec![AuthMethod::Password], now, policy, meta);
    if crate::factors::enrolment::has_second_factor(env.store, &user).await? {
        session = session.awaiting_second_factor();
    }
    let audit = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        match session.stage {
            SessionStage::Complete => AuditKind::SigninSucceeded,
            SessionStage::SecondFactor => AuditKind::SigninPasswordAccepted,
        },
        meta,
    );
    let mut effects = Effects::audit(audit);
    for c in &counters {
        effects.counters.push(if c.kind == CounterKind::Address {
            CounterChange::Add {
                key: &c.key,
                delta: -1,
                window_secs: c.limit.window_secs,
            }
        } else {
            CounterChange::Clear(&c.key)
        });
    }
    env.store.start_session(&session, &effects, now).await?;
    Ok(SignedIn {
        token,
        session,
        user,
    })
}

/// Ends the session behind `presented` (if any).
pub async fn sign_out<S: OidcStore + AuditStore + SessionStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    session: &Session,
    meta: &RequestMeta,
) -> Result<(), Error> {
    end_session(store, &session.id_hash, clock.now()).await?;
    let audit = audit_event(
        random,
        clock,
        &tenant.id,
        Some(&session.user_id),
        Actor::User(session.user_id.clone()),
        AuditKind::Signout,
        meta,
    );
    store.insert_audit(&audit).await?;
    Ok(())
}

/// Signs out another browser of the person, named on the account page by
/// `handle` (`accounts::browsers`): its session ends, with the tokens
/// applications got through it, and the person's action is audited.
#[allow(clippy::too_many_arguments)]
pub async fn sign_out_browser<S: OidcStore + AuditStore + SessionStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    current: &Session,
    handle: &str,
    policy: &crate::accounts::session::SessionPolicy,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let target =
        crate::accounts::browsers::other_session(env, user, current, handle, policy).await?;
    end_session(env.store, &target.id_hash, env.clock.now()).await?;
    let audit = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::SignoutOther,
        meta,
    );
    env.store.insert_audit(&audit).await?;
    Ok(())
}

/// Ends a session — signed out, or replaced by a new sign-in in the same
/// browser: the session goes, and so do the tokens applications got
/// through it (their grants).
pub async fn end_session<S: SessionStore + OidcStore>(
    store: &S,
    session_hash: &SessionHash,
    now: crate::platform::clock::UnixTime,
) -> Result<(), Error> {
    store.delete_session(session_hash).await?;
    store.revoke_session_grants(session_hash, now).await?;
    Ok(())
}

/// What a user gives to confirm it is them again.
pub struct Reauth {
    pub password: Password,
    /// The current code of the user's authenticator app; required when they
    /// have one, so that a stolen session plus the password is not enough to
    /// change second factors.
    pub code: Option<String>,
}

/// Confirms a signed-in user again ("sudo mode"): the password, and the app's
/// code when the user has an app. The session's `auth_time` becomes now,
/// which changing second factors requires, and the session a new id
/// (returned, for the cookie). Counted against the sign-in limits
/// (password: the browser's known device's counter, else the account's, as
/// at sign-in — answered 429 here, since the person is signed in) and the
/// second-factor limits (code).
#[allow(clippy::too_many_arguments)]
pub async fn reauthenticate<
    S: EffectStore
        + TotpStore
        + RateLimitStore
        + SessionStore
        + PasskeyStore
        + DeviceStore
        + RecoveryCodeStore,
    W: PasswordWorker,
>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    proof: Reauth,
    device: Option<&str>,
    meta: &RequestMeta,
    limits: &SignInLimits,
) -> Result<SecretToken, Error> {
    let Reauth { password, code } = proof;
    let now = env.clock.now();
    let has_app = env.store.totp_for_user(&user.id).await?.is_some();
    // A recovery code stands in for the app's code (or, without an app, for
    // the passkey), as at sign-in: the password and a code, spent on use.
    let recovery_code = code
        .as_deref()
        .and_then(|c| crate::factors::recovery_codes::hash(env.secrets, c));
    if !has_app
        && recovery_code.is_none()
        && !env.store.passkeys_for_user(&user.id).await?.is_empty()
    {
        // A password alone is less than the passkey it would let one change.
        return Err(Error::said(
            "password",
            crate::platform::validate::Said::ConfirmWithPasskey,
        ));
    }
    if !env.worker.has_capacity() {
        return Err(Error::Overloaded {
            retry_after_secs: 1,
        });
    }
    let presented = device.and_then(SecretToken::from_presented);
    let counter =
        match known_device(env.store, tenant, Some(&user.id), presented.as_ref(), now).await? {
            Some(hash) => Counter {
                key: device_counter(&tenant.id, &user.id, &hash),
                limit: limits.per_device,
                kind: CounterKind::Device,
            },
            None => Counter {
                key: account_counter(&tenant.id, &user.id),
                limit: limits.per_account,
                kind: CounterKind::Account,
            },
        };
    let account_key = &counter.key;
    let hit = env
        .store
        .rate_limit_add(account_key, 1, now, counter.limit.window_secs)
        .await?;
    if counter.limit.exceeded(&hit) {
        return Err(Error::RateLimited {
            retry_after_secs: counter.limit.retry_after(&hit, now),
        });
    }
    let verification = env
        .worker
        .verify(user.password_hash.clone(), password)
        .await?;
    let code_ok = match (has_app || recovery_code.is_some(), verification.is_match()) {
        (false, _) => true,
        (true, false) => false,
        (true, true) => {
            let counters = crate::factors::totp::count_attempt(env, tenant, user).await?;
            let ok = match &recovery_code {
                Some(h) => {
                    crate::factors::recovery_codes::spend(env.store, &user.id, h, now).await?
                }
                None => {
                    crate::factors::totp::accept_code(env, user, code.as_deref().unwrap_or(""))
                        .await?
                }
            };
            if ok {
                for key in &counters {
                    env.store.rate_limit_clear(key).await?;
                }
            }
            ok
        }
    };
    let (event, ok) = match (verification.is_match(), code_ok) {
        (true, true) => (AuditKind::ReauthSucceeded, true),
        (true, false) => (AuditKind::ReauthFailedCode, false),
        _ => (AuditKind::ReauthFailedPassword, false),
    };
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        event,
        meta,
    ));
    if !ok {
        env.store.apply(&effects, now).await?;
        return Err(if verification.is_match() {
            Error::InvalidCode
        } else {
            Error::InvalidCredentials
        });
    }
    effects.counters.push(CounterChange::Clear(account_key));
    crate::accounts::session::reauthenticated(env.store, env.random, session, &effects, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> SignInLimits {
        SignInLimits::new(3, 100, 15 * MINUTE)
    }

    fn hit(count: i64) -> Hit {
        Hit {
            count,
            window_start: UnixTime(1000),
        }
    }

    /// What an observer without the account's device can tell apart:
    /// the kinds and limits of the counters, not their (hashed) keys.
    fn shape(counters: &[Counter]) -> Vec<(CounterKind, RateLimit)> {
        counters.iter().map(|c| (c.kind, c.limit)).collect()
    }

    #[test]
    fn real_and_made_up_names_count_alike_without_a_known_device() {
        let alice = LoginKey::from_input("alice");
        let ghost = LoginKey::from_input("ghost");
        let real = sign_in_counters(
            &"t".into(),
            alice.as_ref(),
            Some(&"u1".into()),
            Device::Unknown,
            Some("192.0.2.1"),
            &limits(),
        );
        let unknown = sign_in_counters(
            &"t".into(),
            ghost.as_ref(),
            None,
            Device::Unknown,
            Some("192.0.2.1"),
            &limits(),
        );
        assert_eq!(shape(&real), shape(&unknown));
        assert_eq!(
            shape(&real),
            vec![
                (CounterKind::Name, limits().per_name),
                (CounterKind::Account, limits().per_account),
                (CounterKind::Address, limits().per_address),
            ]
        );
        // a device id for a name without an account changes nothing
        let with_device = sign_in_counters(
            &"t".into(),
            ghost.as_ref(),
            None,
            Device::Known("d"),
            Some("192.0.2.1"),
            &limits(),
        );
        assert_eq!(with_device, unknown);
    }

    #[test]
    fn the_visible_counter_is_per_typed_name_and_the_hidden_one_per_account() {
        let counters = |login: &str| {
            sign_in_counters(
                &"t".into(),
                LoginKey::from_input(login).as_ref(),
                Some(&"u1".into()),
                Device::Unknown,
                None,
                &limits(),
            )
        };
        let (by_name, by_email) = (counters("Alice"), counters("alice@example.com"));
        assert_eq!(by_name[0].key, counters(" alice ")[0].key, "normalised");
        assert_ne!(by_name[0].key, by_email[0].key, "names apart");
        assert_eq!(by_name[1].key, by_email[1].key, "one account");
        assert_eq!(by_name[1].key, account_counter(&"t".into(), &"u1".into()));
        assert!(by_name[0].visible() && !by_name[1].visible());
    }

    #[test]
    fn a_known_device_counts_on_its_own() {
        let counters = sign_in_counters(
            &"t".into(),
            LoginKey::from_input("alice").as_ref(),
            Some(&"u1".into()),
            Device::Known("d1"),
            Some("192.0.2.1"),
            &limits(),
        );
        assert_eq!(
            shape(&counters),
            vec![
                (CounterKind::Device, limits().per_device),
                (CounterKind::Address, limits().per_address),
            ]
        );
        assert_eq!(
            counters[0].key,
            device_counter(&"t".into(), &"u1".into(), "d1")
        );
        assert_ne!(
            counters[0].key,
            device_counter(&"t".into(), &"u2".into(), "d1")
        );
        assert!(limits().per_device.window_secs <= DEVICE_WINDOW_SECS);
        assert_eq!(SignInLimits::new(3, 9, 60).per_device.window_secs, 60);
    }

    #[test]
    fn only_visible_counters_refuse_and_the_account_fails_the_check() {
        let counters = sign_in_counters(
            &"t".into(),
            LoginKey::from_input("alice").as_ref(),
            Some(&"u1".into()),
            Device::Unknown,
            Some("192.0.2.1"),
            &limits(),
        );
        let now = UnixTime(1100);
        let judge_with = |counts: [i64; 3]| {
            let counted: Vec<(Counter, Hit)> =
                counters.iter().cloned().zip(counts.map(hit)).collect();
            judge(&counted, now)
        };
        assert_eq!(judge_with([3, 3, 100]), Verdict::Check);
        assert_eq!(judge_with([3, 4, 100]), Verdict::CheckAndFail);
        assert_eq!(
            judge_with([4, 9, 100]),
            Verdict::Refuse {
                retry_after_secs: 800
            }
        );
        assert_eq!(
            judge_with([1, 1, 101]),
            Verdict::Refuse {
                retry_after_secs: 800
            }
        );
    }
}
