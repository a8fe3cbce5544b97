//! A person's own view of the applications they signed in to, and taking
//! an application's access away (decision 0031).
//!
//! Every application that holds a live grant for the person is listed —
//! the tenant's own (first-party, no consent screen) as well as third-party
//! ones — and so is every application they consented to. "Remove access"
//! ends all of it at once: the consent, every grant (so every refresh token
//! and, since access tokens are checked against their grant, every access
//! token), and codes not redeemed yet. A first-party application signs the
//! person in again without asking; a third-party one asks for consent again.

use super::*;
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::env::Env;
use crate::store::{Connection, Effects};

/// The applications connected to `user`, by name.
pub async fn connected<S: OidcStore>(
    store: &S,
    user: &User,
    now: UnixTime,
) -> StoreResult<Vec<Connection>> {
    store
        .connections_for_user(&user.id, &user.security_stamp, now)
        .await
}

/// Removes the access of the application with row id `client_id` to
/// `user`, audited as the person's own action; returns the application as
/// it was listed. Not found when it is not connected to them (removed
/// meanwhile, or never — another person's or tenant's application is
/// never touched, since only this user's consent and grants are).
pub async fn remove_access<S: OidcStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    client_id: &ClientRowId,
    meta: &RequestMeta,
) -> Result<Connection, Error> {
    let now = env.clock.now();
    let Some(connection) = connected(env.store, user, now)
        .await?
        .into_iter()
        .find(|c| c.client_id == *client_id)
    else {
        return Err(Error::NotFound("application"));
    };
    let mut event = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::ApplicationAccessRemoved,
        meta,
    );
    event.detail = serde_json::json!({
        "application": connection.client_id.as_str(),
        "name": connection.client_name,
        "first_party": connection.first_party,
        "grants": connection.grants,
    })
    .to_string();
    if !env
        .store
        .remove_access(&user.id, client_id, &Effects::audit(event), now)
        .await?
    {
        return Err(Error::NotFound("application"));
    }
    Ok(connection)
}
