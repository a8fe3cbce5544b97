//! Ending cases: the mailed cancel link, the browser's own "Stop", a
//! sign-in with a second factor, a password reset.

use super::*;

/// Cancels a case from the link in its mail: no sign-in needed, once.
pub async fn cancel_by_link<S: UserStore + RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    token: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let token = SecretToken::from_presented(token).ok_or(Error::InvalidLink)?;
    let case = env
        .store
        .case_by_cancel_hash(&token.hash())
        .await?
        .filter(|c| c.tenant_id == tenant.id && c.facts.state.is_open())
        .ok_or(Error::InvalidLink)?;
    let user = match &case.user_id {
        Some(id) => env.store.user_by_id(&tenant.id, id).await?,
        None => None,
    };
    let case = transition(
        env,
        tenant,
        user.as_ref(),
        case,
        Event::Cancel(CancelReason::CancelLink),
        None,
        meta,
    )
    .await?;
    if case.facts.state == CaseState::Cancelled {
        Ok(())
    } else {
        Err(Error::InvalidLink)
    }
}

/// Ends every proven open case of `user` (e.g. after their password was reset).
pub async fn cancel_all<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    reason: CancelReason,
    meta: &RequestMeta,
) -> Result<(), Error> {
    for case in proven_cases(env, user).await? {
        transition(
            env,
            tenant,
            Some(user),
            case,
            Event::Cancel(reason),
            None,
            meta,
        )
        .await?;
    }
    Ok(())
}

/// The user's open cases past proving. Unproven ones are left to expire:
/// anyone can start one for any name, so ending them when the owner signs
/// in or resets would tell a real name from an unknown one (a decoy never
/// ends that way) and mail the owner for every stranger's attempt.
pub(super) async fn proven_cases<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    user: &User,
) -> Result<Vec<RecoveryCase>, Error> {
    Ok(env
        .store
        .open_cases_for_user(&user.id)
        .await?
        .into_iter()
        .filter(|c| c.facts.state.is_proven_open())
        .collect())
}

/// Cancels the browser's own case ("Stop this recovery").
pub async fn cancel_own<S: RecoveryStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    if let Some((case, user)) = load(env, tenant, browser, meta).await?
        && case.facts.state.is_open()
    {
        transition(
            env,
            tenant,
            user.as_ref(),
            case,
            Event::Cancel(CancelReason::ByTheUser),
            None,
            meta,
        )
        .await?;
    }
    Ok(())
}

/// A normal sign-in with a second factor ends the user's proven case: they
/// have what they claimed to have lost.
pub async fn cancel_on_sign_in<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    meta: &RequestMeta,
) -> Result<(), Error> {
    for case in proven_cases(env, user).await? {
        transition(env, tenant, Some(user), case, Event::SignedIn, None, meta).await?;
    }
    Ok(())
}

/// After a complete sign-in: the browser gets a fresh device id — it
/// becomes (or stays) a known device of the user, so a recovery started
/// there later skips the wait and sign-in failures of strangers do not hold
/// it back; an id planted in the browser by someone else never becomes
/// theirs — and, when a second factor was used, a proven case of the user
/// ends: they have what they said they lost. Returns the new device id for
/// the browser's cookie. The sign-in stands even if the case cannot be
/// ended now (housekeeping ends it later).
///
/// A sign-in from a browser that is not a known device of a person who has
/// one mails them what happened, when, from which browser and roughly
/// where, and what to do if it was not them (ASVS 6.3.5) — unless
/// `told_already` (a completed recovery, which has its own mail).
pub async fn after_sign_in<S: DeviceStore + RecoveryStore + crate::store::EffectStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    presented_device: Option<&str>,
    second_factor: bool,
    told_already: bool,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    let presented = presented_device.and_then(SecretToken::from_presented);
    if !told_already {
        let now = env.clock.now();
        let known =
            crate::signin::known_device(env.store, tenant, Some(&user.id), presented.as_ref(), now)
                .await?
                .is_some();
        let since = now.plus(-tenant.recovery_known_device_secs);
        if !known && env.store.has_known_device(&user.id, since).await? {
            let notice = crate::accounts::notice::new_sign_in(env.random, tenant, user, meta, now);
            env.store
                .apply(
                    &crate::store::Effects {
                        mail: vec![notice],
                        ..Default::default()
                    },
                    now,
                )
                .await?;
        }
    }
    let fresh = SecretToken::generate(env.random);
    env.store
        .rotate_device(
            presented.as_ref().map(SecretToken::hash).as_deref(),
            &fresh.hash(),
            &tenant.id,
            &user.id,
            env.clock.now(),
        )
        .await?;
    if second_factor && let Err(err) = cancel_on_sign_in(env, tenant, user, meta).await {
        tracing::warn!(error = %err, "could not end an open recovery after a sign-in");
    }
    Ok(fresh)
}
