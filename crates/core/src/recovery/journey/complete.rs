//! Completion: every old factor, session and application token goes, in
//! one transaction with the new session.

use super::*;
use crate::effects::audit::Actor;

/// A recovery that completed: the new session and where to go.
pub struct Completed {
    pub token: SecretToken,
    pub session: Session,
    pub user: User,
    pub return_to: Option<String>,
}

/// Completes the browser's ready case: every old second factor goes, every
/// session ends, and this browser gets a fresh session.
pub async fn complete<S: RecoveryStore + UserStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    password: Option<Password>,
    meta: &RequestMeta,
    session_policy: &SessionPolicy,
) -> Result<Completed, Error> {
    let now = env.clock.now();
    if !tenant.self_recovery {
        return Err(Error::said("case", Said::RecoverySwitchedOff));
    }
    let Some((case, user)) = load(env, tenant, browser, meta).await? else {
        return Err(Error::said("case", Said::RecoveryNeedsProof));
    };
    // The state machine decides, here as everywhere: ready, and every proof
    // still counting (a password reset by mail since it was given does not).
    // A decoy is never ready.
    let (completed, _) = case
        .facts
        .apply(
            Event::Complete,
            now,
            &RecoveryPolicy::of(tenant),
            &user.as_ref().map(AccountFacts::of).unwrap_or_default(),
        )
        .map_err(refusal_error)?;
    let Some(user) = user else {
        return Err(Error::said("case", Said::RecoveryNeedsProof));
    };
    if case.facts.asks_password_again() {
        let Some(password) = password else {
            return Err(Error::InvalidCredentials);
        };
        // Wrong passwords here count on the case — five lock it — and on no
        // counter strangers can fill (their failed sign-ins must not keep
        // the owner from finishing).
        if !env
            .worker
            .verify(user.password_hash.clone(), password)
            .await?
            .is_match()
        {
            let Some(counted) = env.store.count_wrong_proof(&case.id, now).await? else {
                return Err(Error::said("case", Said::RecoveryEnded));
            };
            let counted =
                transition(env, tenant, Some(&user), counted, Event::Tick, None, meta).await?;
            return Err(if counted.facts.state.is_open() {
                Error::InvalidCredentials
            } else {
                Error::said("case", Said::RecoveryEnded)
            });
        }
    }
    // The new session starts in the completion's own transaction.
    let stamp = new_security_stamp(env.random);
    let user = User {
        security_stamp: stamp.clone(),
        ..user
    };
    let mut methods = vec![];
    if case.facts.proofs.password {
        methods.push(AuthMethod::Password);
    }
    if case.facts.proofs.recovery_code {
        methods.push(AuthMethod::RecoveryCode);
    }
    methods.push(AuthMethod::Recovery);
    let token = SecretToken::generate(env.random);
    let session = Session::new(&token, &user, methods, now, session_policy, meta);
    let reset = FactorReset {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        case: Some((case.id.clone(), case.version)),
        security_stamp: stamp,
        removed_by: RemovedBy::Recovery(case.id.clone()),
        session: Some(session.clone()),
        ends: FactorReset::ENDS,
    };
    let mut done = case.clone();
    done.facts = completed;
    let mut effects = Effects::audit(case_event(
        env,
        tenant,
        &done,
        AuditKind::RecoveryCaseCompleted,
        meta,
    ));
    effects.audit.push(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::SigninSucceededRecovery,
        meta,
    ));
    effects.mail.push(
        security_notice(
            env.random,
            tenant,
            &user,
            SecurityEvent::RecoveryCompleted,
            now,
        )
        .from_request(meta),
    );
    if !env
        .store
        .reset_second_factors(&reset, &effects, now)
        .await?
    {
        return Err(Error::said("case", Said::RecoveryFinishedMeanwhile));
    }
    Ok(Completed {
        token,
        session,
        user,
        return_to: case.return_to,
    })
}
