//! Verified email: an address counts as a proof only after its owner followed
//! a link sent to it. Links carry 256 random bits, are stored hashed, work
//! once, for 24 hours, and only while the user still has that address.

use crate::Error;
use crate::accounts::user::User;
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::{Link, MailMessage, OutboxMail, Page};
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::platform::random::new_id;
use crate::platform::secret::SecretToken;
use crate::platform::time::{DAY, HOUR};
use crate::store::{EffectStore, Effects, EmailVerificationStore, RateLimitStore, UserStore};
use crate::tenants::Tenant;

pub const LIFETIME_SECS: i64 = DAY;

/// Verification mails per user and hour.
pub const RESEND_LIMIT: RateLimit = RateLimit {
    max: 5,
    window_secs: HOUR,
};

use crate::effects::mail::EmailVerification;

/// A new verification for `user`'s current address and the mail that carries
/// its link; the token exists only inside the mail.
pub fn new_verification<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
) -> (EmailVerification, OutboxMail) {
    let now = env.clock.now();
    let token = SecretToken::generate(env.random);
    let verification = EmailVerification {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        email_key: user.email_key.clone(),
        token_hash: token.hash(),
        created_at: now,
        expires_at: now.plus(LIFETIME_SECS),
        used_at: None,
    };
    let link = Link::Page(Page::VerifyEmail {
        tenant: tenant.slug.to_string(),
        token: token.expose().to_owned(),
    });
    let mail = OutboxMail {
        id: new_id(env.random),
        tenant_id: Some(tenant.id.clone()),
        recipient: user.email.clone(),
        language: user.language.unwrap_or(tenant.default_language),
        message: MailMessage::VerifyEmail {
            tenant_name: tenant.display_name.clone(),
            display_name: user.display_name.clone(),
            link,
            expires_hours: LIFETIME_SECS / HOUR,
        },
        created_at: now,
    };
    (verification, mail)
}

/// Sends (again) a verification link to `user`'s address, unless it is
/// verified already. At most [`RESEND_LIMIT`] per user.
pub async fn send<S: RateLimitStore + EffectStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: Actor,
    meta: &RequestMeta,
) -> Result<(), Error> {
    if user.email_verified {
        return Ok(());
    }
    let now = env.clock.now();
    let key = ratelimit::account_key("verify-email", &tenant.id, user.id.as_str());
    RESEND_LIMIT.count(env.store, &key, now).await?;
    let (verification, mail) = new_verification(env, tenant, user);
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        actor,
        AuditKind::EmailVerificationSent,
        meta,
    ));
    effects.email_verifications.push(verification);
    effects.mail.push(mail);
    env.store.apply(&effects, now).await?;
    Ok(())
}

/// Follows a verification link: marks the address verified. Every way a link
/// can be unusable gives [`Error::InvalidLink`].
pub async fn confirm<S: EmailVerificationStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    presented: &str,
    meta: &RequestMeta,
) -> Result<User, Error> {
    let token = SecretToken::from_presented(presented).ok_or(Error::InvalidLink)?;
    let verification = env
        .store
        .email_verification_by_hash(&token.hash())
        .await?
        .ok_or(Error::InvalidLink)?;
    let now = env.clock.now();
    if verification.tenant_id != tenant.id
        || verification.used_at.is_some()
        || now >= verification.expires_at
    {
        return Err(Error::InvalidLink);
    }
    let user = env
        .store
        .user_by_id(&tenant.id, &verification.user_id)
        .await?
        .filter(|u| u.email_key == verification.email_key)
        .ok_or(Error::InvalidLink)?;
    let effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::EmailVerified,
        meta,
    ));
    if !env
        .store
        .consume_email_verification(&verification, &effects, now)
        .await?
    {
        return Err(Error::InvalidLink);
    }
    Ok(User {
        email_verified: true,
        ..user
    })
}
