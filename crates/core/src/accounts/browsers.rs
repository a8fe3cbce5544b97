//! Where a person is signed in: their live sessions as the account page
//! lists them (browser and system, when signed in, last active, a coarse
//! address, "this browser"), signing one of them out, and signing out
//! everywhere else (ASVS 7.5.2). Ending sessions needs a recent sign-in, as
//! every change that guards the account does; both are audited.
//!
//! A session is named on the page by a *handle*, a keyed hash of its
//! stored hash: the page never shows what identifies the session to the
//! store, and a handle means nothing to another deployment or person.

use crate::Error;
use crate::accounts::session::{
    Session, SessionPolicy, SessionStage, SessionState, require_recent_auth_time, sign_out_others,
};
use crate::accounts::user::User;
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::env::Env;
use crate::platform::client::{Device, coarse_address, device};
use crate::platform::clock::UnixTime;
use crate::platform::crypto::SecretBox;
use crate::platform::ids::SessionHash;
use crate::platform::secret::SecretToken;
use crate::store::{EffectStore, Effects, SessionStore};
use crate::tenants::Tenant;

/// A browser the person is signed in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    /// Names it in the forms that sign it out ([`handle`]).
    pub handle: String,
    pub device: Device,
    pub signed_in_at: UnixTime,
    pub last_active_at: UnixTime,
    /// The address it signed in from, its last part hidden.
    pub address: Option<String>,
    /// The browser asking.
    pub current: bool,
}

/// The handle of the session stored as `id_hash`.
pub fn handle(secrets: &SecretBox, id_hash: &SessionHash) -> String {
    secrets.mac(&[b"session-handle", id_hash.as_str().as_bytes()])[..32].to_owned()
}

/// The user's signed-in browsers at `now`: complete, live sessions under
/// the user's current security stamp — this one first, then the most
/// recently active.
pub async fn list<S: SessionStore, W>(
    env: &Env<'_, S, W>,
    user: &User,
    current: &Session,
    policy: &SessionPolicy,
) -> Result<Vec<Browser>, Error> {
    let now = env.clock.now();
    let mut browsers: Vec<Browser> = live(env, user, policy, now)
        .await?
        .into_iter()
        .map(|s| Browser {
            handle: handle(env.secrets, &s.id_hash),
            device: device(s.user_agent.as_deref().unwrap_or("")),
            signed_in_at: s.created_at,
            last_active_at: s.last_seen_at,
            address: s.ip.as_deref().and_then(coarse_address),
            current: s.id_hash == current.id_hash,
        })
        .collect();
    browsers.sort_by(|a, b| {
        b.current
            .cmp(&a.current)
            .then(b.last_active_at.cmp(&a.last_active_at))
    });
    Ok(browsers)
}

async fn live<S: SessionStore, W>(
    env: &Env<'_, S, W>,
    user: &User,
    policy: &SessionPolicy,
    now: UnixTime,
) -> Result<Vec<Session>, Error> {
    Ok(env
        .store
        .sessions_of_user(&user.id)
        .await?
        .into_iter()
        .filter(|s| {
            s.stage == SessionStage::Complete
                && s.security_stamp == user.security_stamp
                && matches!(s.state_at(now, policy), SessionState::Valid { .. })
        })
        .collect())
}

/// The other live session named `handle_of` (not this one: that is the
/// header's "Sign out"), which the person may sign out now (a recent
/// sign-in); [`Error::NotFound`] when there is none (signed out
/// meanwhile). `crate::signin::sign_out_browser` ends it.
pub async fn other_session<S: SessionStore, W>(
    env: &Env<'_, S, W>,
    user: &User,
    current: &Session,
    handle_of: &str,
    policy: &SessionPolicy,
) -> Result<Session, Error> {
    let now = env.clock.now();
    require_recent_auth_time(current.auth_time, now)?;
    live(env, user, policy, now)
        .await?
        .into_iter()
        .find(|s| {
            s.id_hash != current.id_hash
                && crate::platform::secret::ct_eq(
                    handle(env.secrets, &s.id_hash).as_bytes(),
                    handle_of.as_bytes(),
                )
        })
        .ok_or(Error::NotFound("session"))
}

/// Signs out every other browser, and every application the person
/// signed in to, as a password change does ([`sign_out_others`]); this
/// browser goes on under the new id returned.
pub async fn sign_out_everywhere_else<S: EffectStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    current: &Session,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    let now = env.clock.now();
    require_recent_auth_time(current.auth_time, now)?;
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::SignoutEverywhereElse,
        meta,
    ));
    let (sign_out, token) = sign_out_others(env.random, current);
    effects.sign_out = Some(sign_out);
    env.store.apply(&effects, now).await?;
    Ok(token)
}
