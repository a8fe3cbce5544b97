//! "Forgot password": a single-use link to the user's verified address sets
//! a new password. It is not a back door: second factors stay exactly as
//! they are, so the next sign-in still asks for one (ASVS 5.0 6.4.3). A new
//! password ends every session (the security stamp changes).
//!
//! The request page answers the same whatever was typed; a link goes out
//! only to an active account's *verified* address.
//!
//! An administrator can send the same link to a person ([`send_for`], ASVS
//! 6.4.6) without choosing or seeing the password; one code path makes
//! both (`issue`).

use crate::Error;
use crate::accounts::held::Held;
use crate::accounts::notice::security_notice;
use crate::accounts::password::{Password, PasswordWorker};
use crate::accounts::password_blocklist::PasswordContext;
use crate::accounts::user::User;
use crate::accounts::user::{LoginKey, new_security_stamp};
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::{Link, MailMessage, OutboxMail, Page, SecurityEvent};
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{TenantId, UserId};
use crate::platform::random::new_id;
use crate::platform::secret::SecretToken;
use crate::platform::time::{HOUR, MINUTE};
use crate::platform::validate::{FieldError, Said};
use crate::store::{
    DeviceStore, EffectStore, Effects, PasswordResetStore, RateLimitStore, RecoveryStore, UserStore,
};
use crate::tenants::Tenant;

/// A password set from a mailed link signs every browser out and forgets
/// the devices remembered as the person's; the second factors stay (the
/// mailbox alone never removes them).
pub const ENDS: &[Held] = &[Held::Sessions, Held::KnownDevices];

pub const LIFETIME_SECS: i64 = 30 * MINUTE;

/// How long a link's row stays after it expired: while it does, opening a
/// used or an expired link says so ("already used", "expired") rather than
/// "not found". Then housekeeping removes it, real or void
/// ([`PasswordResetStore::purge_password_resets`]).
pub const KEEP_AFTER_EXPIRY_SECS: i64 = 7 * 24 * HOUR;

/// Requests per client address and hour.
pub const PER_ADDRESS: RateLimit = RateLimit {
    max: 10,
    window_secs: HOUR,
};
/// Links per account (known or not) and hour, for requests from anywhere
/// but the owner's known device.
pub const PER_ACCOUNT: RateLimit = RateLimit {
    max: 3,
    window_secs: HOUR,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    pub id: String,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub token_hash: String,
    /// The verified address the link went to; the link works only while the
    /// user still has it.
    pub email_key: String,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    pub used_at: Option<UnixTime>,
}

/// Sends a link to `login`'s verified address, if there is such an active
/// account. The outcome is never told to the caller.
///
/// `device` is the browser's known-device cookie: the owner asking from a
/// device they signed in from (within the tenant's known-device time) is
/// not held back by the per-account limit, which strangers could use up.
pub async fn request<
    S: RateLimitStore + UserStore + PasswordResetStore + RecoveryStore + EffectStore + DeviceStore,
    W,
>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    login: &str,
    device: Option<&str>,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let now = env.clock.now();
    let key = LoginKey::from_input(login);
    let user = match &key {
        Some(k) => env.store.user_by_login(&tenant.id, k).await?,
        None => None,
    };
    // Counted per name as typed (normalised), the same way for accounts
    // that exist and those that do not: a count per account would tell
    // which names belong to one account.
    let subject = key.as_ref().map_or("", LoginKey::as_str).to_owned();
    let known_device = match device.and_then(SecretToken::from_presented) {
        // asked for unknown accounts too, so the answer takes as long
        Some(d) => {
            let since = now.plus(-tenant.recovery_known_device_secs);
            let nobody = UserId::default();
            let user_id = user.as_ref().map_or(&nobody, |u| &u.id);
            env.store.device_known(&d.hash(), user_id, since).await? && user.is_some()
        }
        None => false,
    };
    let mut keys = vec![];
    if !known_device {
        keys.push((
            ratelimit::account_key("password-reset", &tenant.id, &subject),
            PER_ACCOUNT,
        ));
    }
    if let Some(ip) = &meta.ip {
        keys.push((ratelimit::address_key("password-reset", ip), PER_ADDRESS));
    }
    for (k, limit) in &keys {
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
    // One path for an account and for nobody: a link row and a mail row,
    // written by the same statements. For nobody the row has no user and
    // the mail is void (a link of the same shape, sealed the same way, sent
    // to nobody), so the answer's timing does not say whether the account
    // exists (docs/security/timing.md).
    let user = user.filter(|u| u.is_active() && u.email_verified);
    let event = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        user.as_ref().map(|u| &u.id),
        Actor::Anonymous,
        AuditKind::PasswordResetRequested,
        meta,
    );
    issue(env, tenant, user.as_ref(), event).await?;
    Ok(())
}

/// One link an administrator sends a person, a minute (ASVS 6.4.6): enough
/// to send another when the first went astray, too few to flood a mailbox.
pub const ADMIN_SENT: RateLimit = RateLimit {
    max: 1,
    window_secs: MINUTE,
};

/// An administrator (or the operator) starts a password reset for `user`
/// (ASVS 6.4.6): the same single-use link "forgot password" mails, to the
/// person's verified address — nobody but the person chooses or learns the
/// new password. Nothing else changes until the link is used: the
/// person's sessions go on, and using it ends them and keeps the second
/// factors, as for a link they asked for themselves ([`complete`]).
/// Refused, in words, for a disabled account, an address not verified and
/// a second link within [`ADMIN_SENT`]'s minute. Audited as
/// `password.reset.sent`; returns when the link stops working.
pub async fn send_for<S: RateLimitStore + PasswordResetStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<UnixTime, Error> {
    sendable(tenant, user)?;
    let refuse = |said: Said| Err(Error::Invalid(vec![FieldError::said("person", said)]));
    let now = env.clock.now();
    let key = ratelimit::account_key("password-reset-sent", &tenant.id, user.id.as_str());
    let hit = env
        .store
        .rate_limit_add(&key, 1, now, ADMIN_SENT.window_secs)
        .await?;
    if ADMIN_SENT.exceeded(&hit) {
        return refuse(Said::ResetLinkTooSoon);
    }
    let mut event = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        actor.clone(),
        AuditKind::PasswordResetSent,
        meta,
    );
    let expires_at = now.plus(LIFETIME_SECS);
    event.detail = serde_json::json!({ "expires_at": expires_at.0 }).to_string();
    issue(env, tenant, Some(user), event).await?;
    Ok(expires_at)
}

/// Whether [`send_for`] can send `user` a link at all (the console asks
/// before its confirmation): an active account of `tenant` with a verified
/// address; else why not, in words.
pub fn sendable(tenant: &Tenant, user: &User) -> Result<(), Error> {
    if user.tenant_id != tenant.id {
        return Err(Error::NotFound("user"));
    }
    let said = if !user.is_active() {
        Said::ResetLinkDisabled
    } else if !user.email_verified {
        Said::ResetLinkUnverified
    } else {
        return Ok(());
    };
    Err(Error::Invalid(vec![FieldError::said("person", said)]))
}

/// The one way a reset link is made: a new token, its row (void for
/// nobody) and its mail (void for nobody), stored with `event` in one
/// transaction; the user's earlier unused links stop working.
async fn issue<S: PasswordResetStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    event: crate::effects::audit::AuditEvent,
) -> Result<(), Error> {
    let now = env.clock.now();
    let token = SecretToken::generate(env.random);
    let reset = PasswordReset {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.map(|u| u.id.clone()).unwrap_or_default(),
        token_hash: token.hash(),
        email_key: user.map(|u| u.email_key.clone()).unwrap_or_default(),
        created_at: now,
        expires_at: now.plus(LIFETIME_SECS),
        used_at: None,
    };
    let mut effects = Effects::audit(event);
    let mail = reset_mail(env, tenant, user, &token, now);
    match user {
        Some(_) => effects.mail.push(mail),
        None => effects.void_mail.push(mail),
    }
    env.store
        .insert_password_reset(&reset, &effects, now)
        .await?;
    Ok(())
}

/// The mail with the link to set a new password: to `user`, or, for a
/// request no account matches, a void one of the same shape (no
/// recipient, the tenant's language).
fn reset_mail<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    token: &SecretToken,
    now: UnixTime,
) -> OutboxMail {
    OutboxMail {
        id: new_id(env.random),
        tenant_id: Some(tenant.id.clone()),
        recipient: user.map(|u| u.email.clone()).unwrap_or_default(),
        language: user
            .and_then(|u| u.language)
            .unwrap_or(tenant.default_language),
        message: MailMessage::PasswordReset {
            tenant_name: tenant.display_name.clone(),
            display_name: user.map(|u| u.display_name.clone()).unwrap_or_default(),
            link: Link::Page(Page::ResetPassword {
                tenant: tenant.slug.to_string(),
                token: token.expose().to_owned(),
            }),
            expires_minutes: LIFETIME_SECS / 60,
        },
        created_at: now,
    }
}

/// The reset behind a link, if it can still be used.
pub async fn check<S: PasswordResetStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    token: &str,
) -> Result<PasswordReset, Error> {
    let token = SecretToken::from_presented(token).ok_or(Error::InvalidLink)?;
    env.store
        .password_reset_by_hash(&token.hash())
        .await?
        .filter(|r| {
            r.tenant_id == tenant.id && r.used_at.is_none() && env.clock.now() < r.expires_at
        })
        .ok_or(Error::InvalidLink)
}

/// Sets the new password from a link: once, while the user still has the
/// address it went to. Every session ends; second factors stay.
pub async fn complete<S: PasswordResetStore + UserStore + RecoveryStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    token: &str,
    new_password: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let reset = check(env, tenant, token).await?;
    let user = env
        .store
        .user_by_id(&tenant.id, &reset.user_id)
        .await?
        .filter(|u| u.is_active() && u.email_key == reset.email_key)
        .ok_or(Error::InvalidLink)?;
    let context = PasswordContext::of(tenant, &user.username, &user.email);
    let password = Password::new_checked("password", new_password, &context)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let hash = env.worker.hash(password).await?;
    let now = env.clock.now();
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::PasswordResetCompleted,
        meta,
    ));
    effects.mail.push(
        security_notice(
            env.random,
            tenant,
            &user,
            SecurityEvent::PasswordChanged,
            now,
        )
        .from_request(meta),
    );
    if !env
        .store
        .complete_password_reset(
            &reset,
            &hash,
            &new_security_stamp(env.random),
            ENDS,
            &effects,
            now,
        )
        .await?
    {
        return Err(Error::InvalidLink);
    }
    // A recovery running meanwhile may have been started with the mailbox
    // alone; it ends, and the owner is told.
    crate::recovery::journey::cancel_all(
        env,
        tenant,
        &user,
        crate::recovery::case::CancelReason::PasswordReset,
        meta,
    )
    .await?;
    Ok(())
}
