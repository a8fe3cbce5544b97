//! Password sign-in: one generic failure, the same work whether or not the
//! account exists, and rate limits per account and per client address.

use crate::Error;
use crate::audit::{RequestMeta, audit_event};
use crate::clock::Clock;
pub use crate::env::Env;
use crate::password::{Password, PasswordWorker, Verification};
use crate::random::Random;
use crate::ratelimit::{self, Hit, RateLimit};
use crate::secret::SecretToken;
use crate::session::{AuthMethod, Session, SessionPolicy, SessionStage};
use crate::store::{CounterChange, Effects, Store};
use crate::tenant::Tenant;
use crate::user::{LoginKey, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SignInLimits {
    pub per_account: RateLimit,
    pub per_address: RateLimit,
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            per_account: RateLimit {
                max: 10,
                window_secs: 15 * 60,
            },
            per_address: RateLimit {
                max: 100,
                window_secs: 15 * 60,
            },
        }
    }
}

pub const SCOPE: &str = "signin";

pub struct SignedIn {
    /// The session id for the cookie; shown once, stored only as a hash.
    pub token: SecretToken,
    pub session: Session,
    pub user: User,
}

/// Signs in with username-or-email and password.
///
/// Known and unknown accounts take the same path: one lookup, two counter
/// updates, one argon2 verification (against a dummy hash when there is no
/// account) and, on failure, one audit event. Every attempt counts against the
/// account's and the address's limit before the password is checked, so
/// parallel guesses cannot slip past the limit; the account's counter is keyed
/// by the user (not by what was typed), so username and email share it. A
/// success resets the account's counter and takes its own attempt back from
/// the address's.
pub async fn sign_in<S: Store, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    login: &str,
    password: Password,
    meta: &RequestMeta,
    limits: &SignInLimits,
    policy: &SessionPolicy,
) -> Result<SignedIn, Error> {
    let now = env.clock.now();
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
    let subject = match (&user, &key) {
        (Some(u), _) => format!("user:{}", u.id),
        (None, k) => format!("login:{}", k.as_ref().map_or("", LoginKey::as_str)),
    };
    let account_key = ratelimit::account_key(SCOPE, &tenant.id, &subject);
    let address_key = meta
        .ip
        .as_deref()
        .map(|ip| ratelimit::address_key(SCOPE, ip));

    let account_hit = env
        .store
        .rate_limit_add(&account_key, 1, now, limits.per_account.window_secs)
        .await?;
    let address_hit = match &address_key {
        Some(k) => Some(
            env.store
                .rate_limit_add(k, 1, now, limits.per_address.window_secs)
                .await?,
        ),
        None => None,
    };
    let mut limited: Vec<(RateLimit, Hit)> = vec![];
    if limits.per_account.exceeded(&account_hit) {
        limited.push((limits.per_account, account_hit));
    }
    if let Some(hit) = address_hit.filter(|h| limits.per_address.exceeded(h)) {
        limited.push((limits.per_address, hit));
    }
    if let Some(retry_after_secs) = limited.iter().map(|(l, h)| l.retry_after(h, now)).max() {
        return Err(Error::RateLimited { retry_after_secs });
    }

    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let verification = match env.worker.verify(stored.clone(), password.clone()).await {
        Ok(v) => v,
        Err(err) => {
            // Not evaluated (the pool filled up meanwhile): give the attempt back.
            env.store
                .rate_limit_add(&account_key, -1, now, limits.per_account.window_secs)
                .await?;
            if let Some(k) = &address_key {
                env.store
                    .rate_limit_add(k, -1, now, limits.per_address.window_secs)
                    .await?;
            }
            return Err(err);
        }
    };

    let user = match user {
        Some(user) if verification.is_match() && user.is_active() => user,
        other => {
            // The same write whether or not the account exists; the reason is
            // kept for the audit trail, never shown.
            let (user_id, event) = match &other {
                Some(u) if !u.is_active() => (Some(u.id.as_str()), "signin.failed.disabled"),
                Some(u) => (Some(u.id.as_str()), "signin.failed.password"),
                None => (None, "signin.failed.unknown"),
            };
            let audit = audit_event(
                env.random,
                env.clock,
                tenant,
                user_id,
                "anonymous".into(),
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
    if crate::policy::has_second_factor(env.store, &user).await? {
        session = session.awaiting_second_factor();
    }
    let audit = audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        match session.stage {
            SessionStage::Complete => "signin.succeeded",
            SessionStage::SecondFactor => "signin.password_accepted",
        },
        meta,
    );
    let mut effects = Effects::audit(audit);
    effects.counters.push(CounterChange::Clear(&account_key));
    if let Some(key) = &address_key {
        effects.counters.push(CounterChange::Add {
            key,
            delta: -1,
            window_secs: limits.per_address.window_secs,
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
pub async fn sign_out<S: Store>(
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
        tenant,
        Some(&session.user_id),
        format!("user:{}", session.user_id),
        "signout",
        meta,
    );
    store.insert_audit(&audit).await?;
    Ok(())
}

/// Ends a session — signed out, or replaced by a new sign-in in the same
/// browser: the session goes, and so do the tokens applications got
/// through it (their grants).
pub async fn end_session<S: crate::store::SessionStore + crate::store::OidcStore>(
    store: &S,
    session_hash: &str,
    now: crate::clock::UnixTime,
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
/// which changing second factors requires. Counted against the sign-in limits
/// (password) and the second-factor limits (code).
pub async fn reauthenticate<S: Store, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    proof: Reauth,
    meta: &RequestMeta,
    limits: &SignInLimits,
) -> Result<(), Error> {
    let Reauth { password, code } = proof;
    let now = env.clock.now();
    let has_app = env.store.totp_for_user(&user.id).await?.is_some();
    if !has_app && !env.store.passkeys_for_user(&user.id).await?.is_empty() {
        // A password alone is less than the passkey it would let one change.
        return Err(Error::said(
            "password",
            crate::validate::Said::ConfirmWithPasskey,
        ));
    }
    if !env.worker.has_capacity() {
        return Err(Error::Overloaded {
            retry_after_secs: 1,
        });
    }
    let account_key = ratelimit::account_key(SCOPE, &tenant.id, &format!("user:{}", user.id));
    let hit = env
        .store
        .rate_limit_add(&account_key, 1, now, limits.per_account.window_secs)
        .await?;
    if limits.per_account.exceeded(&hit) {
        return Err(Error::RateLimited {
            retry_after_secs: limits.per_account.retry_after(&hit, now),
        });
    }
    let verification = env
        .worker
        .verify(user.password_hash.clone(), password)
        .await?;
    let code_ok = match (has_app, verification.is_match()) {
        (false, _) => true,
        (true, false) => false,
        (true, true) => {
            let counters = crate::totp::count_attempt(env, tenant, user).await?;
            let ok = crate::totp::accept_code(env, user, code.as_deref().unwrap_or("")).await?;
            if ok {
                for key in &counters {
                    env.store.rate_limit_clear(key).await?;
                }
            }
            ok
        }
    };
    let (event, ok) = match (verification.is_match(), code_ok) {
        (true, true) => ("reauth.succeeded", true),
        (true, false) => ("reauth.failed.code", false),
        _ => ("reauth.failed.password", false),
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
    if !ok {
        env.store.apply(&effects, now).await?;
        return Err(if verification.is_match() {
            Error::InvalidCode
        } else {
            Error::InvalidCredentials
        });
    }
    effects.counters.push(CounterChange::Clear(&account_key));
    env.store
        .refresh_auth_time(&session.id_hash, &effects, now)
        .await?;
    Ok(())
}
