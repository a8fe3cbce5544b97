//! Accounts of the operator console (`/operator`): made at the command line
//! (`latchkey operator add-account NAME`), never by a page. Each signs in
//! with a password **and** an authenticator app's code, both required
//! every time — the console can create tenants, invite their
//! administrators and switch self-recovery for every organisation.
//!
//! The password is hashed like every password (argon2id, the same worker);
//! the app's secret is sealed like a user's ([`crate::platform::crypto`])
//! and its codes are checked by the same function
//! ([`totp::matching_step`]), each usable once. Sign-in failures are
//! counted in the database per name typed and per client address; an
//! unknown name costs the same hash check and answers the same as a wrong
//! password. Console sessions are their own rows and cookie, never a
//! tenant's session.

use crate::Error;
use crate::accounts::password::{Password, PasswordWorker};
use crate::accounts::user::Username;
use crate::effects::audit::{Actor, AuditEvent, AuditKind, RequestMeta};
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::factors::totp;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{OperatorAccountId, SessionHash, TenantId};
use crate::platform::random::{Random, new_id};
use crate::platform::secret::SecretToken;
use crate::platform::time::{HOUR, MINUTE};
use crate::store::{CounterChange, EffectStore, Effects, OperatorAccountStore, RateLimitStore};

/// A console session unused this long ends.
pub const IDLE_SECS: i64 = 30 * MINUTE;
/// A console session ends this long after sign-in, used or not.
pub const ABSOLUTE_SECS: i64 = 8 * HOUR;

/// Failed sign-ins per name typed and window.
pub const PER_NAME: RateLimit = RateLimit {
    max: 5,
    window_secs: 15 * MINUTE,
};
/// Sign-in attempts per client address and window.
pub const PER_ADDRESS: RateLimit = RateLimit {
    max: 20,
    window_secs: 15 * MINUTE,
};

const SCOPE: &str = "operator-signin";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OperatorAccount {
    pub id: OperatorAccountId,
    /// The name typed at sign-in (as entered; unique by its folded key).
    pub name: String,
    #[serde(skip)]
    pub name_key: String,
    #[serde(skip)]
    pub password_hash: String,
    #[serde(skip)]
    pub totp_sealed: String,
    /// The last authenticator step accepted; its codes and older ones are
    /// refused.
    #[serde(skip)]
    pub totp_last_step: Option<i64>,
    pub created_at: UnixTime,
    pub disabled_at: Option<UnixTime>,
}

impl OperatorAccount {
    /// Who the audit trail names for this account's actions.
    pub fn actor(&self) -> Actor {
        Actor::OperatorAccount(self.id.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorSession {
    pub id_hash: SessionHash,
    pub account_id: OperatorAccountId,
    pub created_at: UnixTime,
    pub last_seen_at: UnixTime,
    pub expires_at: UnixTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl OperatorSession {
    pub fn valid_at(&self, now: UnixTime) -> bool {
        now < self.expires_at && now.since(self.last_seen_at) < IDLE_SECS
    }
}

/// A new account's authenticator-app secret, shown once at the CLI.
pub struct Enrolment {
    /// The secret in base32, to type into an app.
    pub secret: String,
    /// The `otpauth://` URI (for a QR code).
    pub uri: String,
}

/// An event about the console itself (no tenant).
pub fn console_event(
    random: &dyn Random,
    now: UnixTime,
    actor: Actor,
    kind: AuditKind,
    meta: &RequestMeta,
) -> AuditEvent {
    AuditEvent {
        id: new_id(random),
        tenant_id: None,
        user_id: None,
        actor,
        event: kind.as_str().to_owned(),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        detail: "{}".to_owned(),
        at: now,
    }
}

fn secret_aad(id: &OperatorAccountId) -> String {
    format!("operator-totp:{id}")
}

/// Makes a console account: the name checked like a username, the
/// password like every new password. Returns the app's secret, which
/// exists nowhere else in the clear.
pub async fn add_account<S: OperatorAccountStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    name: &str,
    password: &str,
    issuer: &str,
) -> Result<(OperatorAccount, Enrolment), Error> {
    let name = Username::parse(name).map_err(|e| Error::Invalid(vec![e]))?;
    // not common, not the product's or the account's own name
    let context = crate::accounts::password_blocklist::PasswordContext::from_names(&[
        crate::accounts::password_blocklist::PRODUCT,
        &name.display,
        "operator",
    ]);
    let password = Password::new_checked("password", password, &context)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let hash = env.worker.hash(password).await?;
    let id: OperatorAccountId = new_id(env.random);
    let secret = totp::new_secret(env.random);
    let account = OperatorAccount {
        totp_sealed: env.secrets.seal(env.random, &secret, &secret_aad(&id)),
        id,
        name: name.display.clone(),
        name_key: name.key,
        password_hash: hash,
        totp_last_step: None,
        created_at: env.clock.now(),
        disabled_at: None,
    };
    let mut event = console_event(
        env.random,
        env.clock.now(),
        Actor::OperatorCli,
        AuditKind::OperatorAccountAdded,
        &RequestMeta::default(),
    );
    event.detail = serde_json::json!({ "account": account.id, "name": account.name }).to_string();
    env.store
        .insert_operator_account(&account, &Effects::audit(event), env.clock.now())
        .await
        .map_err(|e| {
            e.into_conflict(
                Username::FIELD,
                format!(
                    "an operator account \"{}\" exists already; choose another name",
                    account.name
                ),
            )
        })?;
    let enrolment = Enrolment {
        secret: totp::base32(&secret),
        uri: totp::otpauth_uri(issuer, &account.name, &secret),
    };
    Ok((account, enrolment))
}

/// Disables a console account (an operator leaves): it signs in no more and
/// its sessions end at once. Kept, not deleted, so the operator log still
/// names whoever acted.
pub async fn disable_account<S: OperatorAccountStore>(
    store: &S,
    random: &dyn Random,
    now: UnixTime,
    name: &str,
    actor: &Actor,
) -> Result<OperatorAccount, Error> {
    let key = crate::accounts::user::LoginKey::from_input(name);
    let account = match &key {
        Some(k) => store.operator_account_by_name(k.as_str()).await?,
        None => None,
    }
    .ok_or(Error::NotFound("operator account"))?;
    let mut event = console_event(
        random,
        now,
        actor.clone(),
        AuditKind::OperatorAccountDisabled,
        &RequestMeta::default(),
    );
    event.detail = serde_json::json!({ "account": account.id, "name": account.name }).to_string();
    if !store
        .disable_operator_account(&account.id, &Effects::audit(event), now)
        .await?
    {
        return Err(Error::invalid(
            "name",
            format!("operator account \"{}\" is disabled already", account.name),
        ));
    }
    Ok(OperatorAccount {
        disabled_at: Some(now),
        ..account
    })
}

/// What the console's sign-in form sends.
pub struct Credentials<'a> {
    pub name: &'a str,
    pub password: &'a str,
    pub code: &'a str,
}

/// Signs an operator in with name, password and the app's current code.
/// Every failure is the same [`Error::InvalidCredentials`]; too many are
/// [`Error::RateLimited`] (per name typed, per client address).
pub async fn sign_in<S: OperatorAccountStore + RateLimitStore + EffectStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    credentials: &Credentials<'_>,
    meta: &RequestMeta,
) -> Result<(SecretToken, OperatorSession, OperatorAccount), Error> {
    let now = env.clock.now();
    let key = crate::accounts::user::LoginKey::from_input(credentials.name);
    let typed = key.as_ref().map_or("", |k| k.as_str()).to_owned();
    let name_counter = ratelimit::account_key(SCOPE, &TenantId::default(), &typed);
    let mut counters = vec![(name_counter.clone(), PER_NAME)];
    if let Some(ip) = &meta.ip {
        counters.push((ratelimit::address_key(SCOPE, ip), PER_ADDRESS));
    }
    for (k, limit) in &counters {
        let hit = env
            .store
            .rate_limit_add(k, 1, now, limit.window_secs)
            .await?;
        if limit.exceeded(&hit) {
            return Err(Error::RateLimited {
                retry_after_secs: limit.retry_after(&hit, now),
            });
        }
    }
    let account = if typed.is_empty() {
        None
    } else {
        env.store.operator_account_by_name(&typed).await?
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let verified = env
        .worker
        .verify(stored, Password::presented(credentials.password))
        .await?;
    let step = match (&account, verified.is_match()) {
        (Some(a), true) if a.disabled_at.is_none() => env
            .secrets
            .open(&a.totp_sealed, &secret_aad(&a.id))
            .and_then(|secret| {
                totp::matching_step(&secret, credentials.code, now, a.totp_last_step)
            }),
        _ => None,
    };
    let (Some(account), Some(step)) = (account, step) else {
        let mut event = console_event(
            env.random,
            now,
            Actor::Anonymous,
            AuditKind::OperatorSigninFailed,
            meta,
        );
        event.detail = serde_json::json!({ "name": typed }).to_string();
        env.store.apply(&Effects::audit(event), now).await?;
        return Err(Error::InvalidCredentials);
    };
    let token = SecretToken::generate(env.random);
    let session = OperatorSession {
        id_hash: token.hash().into(),
        account_id: account.id.clone(),
        created_at: now,
        last_seen_at: now,
        expires_at: now.plus(ABSOLUTE_SECS),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
    };
    let mut effects = Effects::audit(console_event(
        env.random,
        now,
        account.actor(),
        AuditKind::OperatorSignin,
        meta,
    ));
    effects.counters.push(CounterChange::Clear(&name_counter));
    // The step is spent in the same transaction: a code works once, even
    // when two sign-ins race with it.
    if !env
        .store
        .start_operator_session(&session, step, &effects, now)
        .await?
    {
        return Err(Error::InvalidCredentials);
    }
    Ok((token, session, account))
}

/// The console session behind a cookie's value, with its account, while
/// both are valid; its last use is brought forward.
pub async fn session<S: OperatorAccountStore>(
    store: &S,
    presented: &str,
    now: UnixTime,
) -> Result<Option<(OperatorSession, OperatorAccount)>, Error> {
    let Some(token) = SecretToken::from_presented(presented) else {
        return Ok(None);
    };
    let hash: SessionHash = token.hash().into();
    let Some((session, account)) = store.operator_session(&hash).await? else {
        return Ok(None);
    };
    if !session.valid_at(now) || account.disabled_at.is_some() {
        store.end_operator_session(&hash).await?;
        return Ok(None);
    }
    if now.since(session.last_seen_at) >= crate::accounts::session::TOUCH_INTERVAL_SECS {
        store.touch_operator_session(&hash, now).await?;
    }
    Ok(Some((session, account)))
}

/// Ends a console session (audited).
pub async fn sign_out<S: OperatorAccountStore + EffectStore>(
    store: &S,
    random: &dyn Random,
    now: UnixTime,
    session: &OperatorSession,
    account: &OperatorAccount,
    meta: &RequestMeta,
) -> Result<(), Error> {
    store.end_operator_session(&session.id_hash).await?;
    let event = console_event(
        random,
        now,
        account.actor(),
        AuditKind::OperatorSignout,
        meta,
    );
    store.apply(&Effects::audit(event), now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_when_idle_or_old() {
        let s = OperatorSession {
            id_hash: "h".into(),
            account_id: "a".into(),
            created_at: UnixTime(0),
            last_seen_at: UnixTime(0),
            expires_at: UnixTime(ABSOLUTE_SECS),
            ip: None,
            user_agent: None,
        };
        assert!(s.valid_at(UnixTime(IDLE_SECS - 1)));
        assert!(!s.valid_at(UnixTime(IDLE_SECS)));
        let busy = OperatorSession {
            last_seen_at: UnixTime(ABSOLUTE_SECS - 10),
            ..s
        };
        assert!(busy.valid_at(UnixTime(ABSOLUTE_SECS - 1)));
        assert!(!busy.valid_at(UnixTime(ABSOLUTE_SECS)));
    }
}
