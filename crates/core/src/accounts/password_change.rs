//! Changing one's password while signed in.
//!
//! It needs a sign-in within the last ten minutes (the same re-check,
//! password and second factor, that guards changes to second factors), so a
//! borrowed browser cannot lock its owner out. The new password follows the
//! same rules as every new password. Changing it changes the security stamp
//! in the same transaction: every other session ends, and every application
//! must sign the person in again (their refresh tokens stop working). The
//! session that made the change stays, under a new id (whoever else held
//! the old cookie is out); known devices and unused reset links end. The
//! owner is told by mail.

use crate::Error;
use crate::accounts::held::Held;
use crate::accounts::notice::security_notice;
use crate::accounts::password::{Password, PasswordWorker};
use crate::accounts::password_blocklist::PasswordContext;
use crate::accounts::session::Session;
use crate::accounts::user::{User, new_security_stamp};
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::SecurityEvent;
use crate::env::Env;
use crate::platform::secret::SecretToken;
use crate::store::{Effects, UserStore};
use crate::tenants::Tenant;

/// Besides the other sessions (the one that made the change goes on, under
/// a new id), a password change forgets the devices remembered as the
/// person's: whoever changed the password may be ending someone else's
/// access.
pub const ENDS: &[Held] = &[Held::KnownDevices];

pub async fn change<S: UserStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    new_password: &str,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    let now = env.clock.now();
    crate::accounts::session::require_recent_auth_time(session.auth_time, now)?;
    let context = PasswordContext::of(tenant, &user.username, &user.email);
    let password = Password::new_checked("password", new_password, &context)
        .map_err(|e| Error::Invalid(vec![e]))?;
    if !env.worker.has_capacity() {
        return Err(Error::Overloaded {
            retry_after_secs: 1,
        });
    }
    let hash = env.worker.hash(password).await?;
    let token = SecretToken::generate(env.random);
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::PasswordChanged,
        meta,
    ));
    effects.mail.push(
        security_notice(
            env.random,
            tenant,
            user,
            SecurityEvent::PasswordChanged,
            now,
        )
        .from_request(meta),
    );
    if !env
        .store
        .change_password(
            &user.id,
            &hash,
            &new_security_stamp(env.random),
            &session.id_hash,
            &token.hash().into(),
            ENDS,
            &effects,
            now,
        )
        .await?
    {
        return Err(Error::NotFound("account"));
    }
    Ok(token)
}
