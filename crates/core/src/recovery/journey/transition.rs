//! Moving a case on: the state machine applied and stored with its audit
//! and mail, retried on the case as it is now when another request came
//! first; a case proven here takes over another proven case of the user.

use super::*;

/// How many times a write that lost a race (another request moved the case
/// on meanwhile) is tried again on the case as it is now.
pub(super) const RETRIES: usize = 8;

pub(super) fn case_event<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    case: &RecoveryCase,
    event: AuditKind,
    meta: &RequestMeta,
) -> crate::effects::audit::AuditEvent {
    let actor = match &case.user_id {
        Some(id) => Actor::User(id.clone()),
        None => Actor::Anonymous,
    };
    let mut audit = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        case.user_id.as_ref(),
        actor,
        event,
        meta,
    );
    audit.detail =
        serde_json::json!({ "case": case.id, "state": case.facts.state.as_str() }).to_string();
    audit
}

/// The audit event of a case reaching `state`.
pub(super) fn state_kind(state: CaseState) -> AuditKind {
    match state {
        CaseState::Started => AuditKind::RecoveryCaseStarted,
        CaseState::Proven => AuditKind::RecoveryCaseProven,
        CaseState::Waiting => AuditKind::RecoveryCaseWaiting,
        CaseState::Ready => AuditKind::RecoveryCaseReady,
        CaseState::Completed => AuditKind::RecoveryCaseCompleted,
        CaseState::Cancelled => AuditKind::RecoveryCaseCancelled,
        CaseState::Expired => AuditKind::RecoveryCaseExpired,
        CaseState::Locked => AuditKind::RecoveryCaseLocked,
    }
}

/// Applies `event` to `case` and stores it, with an audit event per state
/// it passed and the mails those states send — for a decoy (no `user`) the
/// same writes, without mail. A write that lost a race is tried again on
/// the case as it is now. A case proven here while another of the user is
/// proven (the owner lost the cookie and proved again in this browser)
/// takes that one over, in the same transaction. With `spend_code`, the
/// recovery code is spent in the same transaction: used only if the case
/// moves on, and the case moves on only if the code was still unused.
#[allow(clippy::too_many_arguments)]
pub(super) async fn transition<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    mut case: RecoveryCase,
    event: Event,
    spend_code: Option<&str>,
    meta: &RequestMeta,
) -> Result<RecoveryCase, Error> {
    for _ in 0..RETRIES {
        if let Some(stored) =
            try_transition(env, tenant, user, &case, event, spend_code, meta).await?
        {
            return Ok(stored);
        }
        case = env
            .store
            .case_by_id(&case.id)
            .await?
            .ok_or(Error::NotFound("recovery case"))?;
    }
    if event == Event::Tick {
        // Others keep moving the case on (a burst of wrong proofs): what
        // time and the count make of it holds whether or not this request
        // is the one that stores it — the next one that reads it applies
        // the same rules, and the one that stores it writes its effects.
        let policy = RecoveryPolicy::of(tenant);
        let account = user.map(AccountFacts::of).unwrap_or_default();
        if let Ok((facts, _)) = case
            .facts
            .apply(Event::Tick, env.clock.now(), &policy, &account)
        {
            return Ok(RecoveryCase { facts, ..case });
        }
    }
    Err(Error::Conflict(
        crate::platform::validate::FieldError::said("case", Said::RecoveryChangedMeanwhile),
    ))
}

/// One try of [`transition`]: `None` if another request moved the case
/// on first.
#[allow(clippy::too_many_arguments)]
pub(super) async fn try_transition<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    case: &RecoveryCase,
    event: Event,
    spend_code: Option<&str>,
    meta: &RequestMeta,
) -> Result<Option<RecoveryCase>, Error> {
    let reason = match event {
        Event::Cancel(reason) => Some(reason),
        Event::SignedIn => Some(CancelReason::SignedIn),
        _ => None,
    };
    let now = env.clock.now();
    let policy = RecoveryPolicy::of(tenant);
    let account = user.map(AccountFacts::of).unwrap_or_default();
    // Time first: a case past its end is expired (and stored so) whatever
    // the event; ending an ended case is no error.
    let (ticked, mut passed) = case
        .facts
        .apply(Event::Tick, now, &policy, &account)
        .map_err(refusal_error)?;
    let mut facts = if event == Event::Tick
        || (!ticked.state.is_open() && matches!(event, Event::Cancel(_) | Event::SignedIn))
    {
        ticked
    } else {
        let (facts, more) = ticked
            .apply(event, now, &policy, &account)
            .map_err(refusal_error)?;
        passed.extend(more);
        facts
    };
    // Proven here while another case of the user is proven: take it over.
    let mut supersede = None;
    if let Some(u) = user
        && passed.contains(&CaseState::Proven)
    {
        let others = env.store.open_cases_for_user(&u.id).await?;
        if let Some(original) = others
            .into_iter()
            .find(|c| c.id != case.id && c.facts.state.is_proven_open())
        {
            let (moved, more) = facts.take_over(&original.facts, now, &policy);
            facts = moved;
            passed.extend(more);
            supersede = Some(original);
        }
    }
    if facts == case.facts {
        return Ok(Some(case.clone()));
    }
    let mut next = RecoveryCase {
        facts,
        updated_at: now,
        ..case.clone()
    };
    let mut effects = Effects::default();
    if let Some(original) = &supersede {
        let mut shown = original.clone();
        shown.facts.state = CaseState::Cancelled;
        let mut audit = case_event(env, tenant, &shown, AuditKind::RecoveryCaseCancelled, meta);
        audit.detail = serde_json::json!({
            "case": original.id,
            "reason": CancelReason::Superseded.as_str(),
            "by": case.id,
        })
        .to_string();
        effects.audit.push(audit);
    }
    for state in &passed {
        let mut shown = next.clone();
        shown.facts.state = *state;
        let mut audit = case_event(env, tenant, &shown, state_kind(*state), meta);
        if *state == CaseState::Cancelled {
            audit.detail =
                serde_json::json!({ "case": case.id, "reason": reason.map(CancelReason::as_str) })
                    .to_string();
        }
        effects.audit.push(audit);
        // Notices a stranger's own case could send — it locked, or they
        // stopped it before proving anything — go only where the case's
        // code went (so no more often than codes do); otherwise a void row
        // stands in, as it does for a decoy: the same work either way.
        let owners_notice = user.filter(|_| match state {
            CaseState::Locked => case.code_mailed(),
            CaseState::Cancelled => {
                reason != Some(CancelReason::ByTheUser) || case.facts.state != CaseState::Started
            }
            _ => true,
        });
        match (state, owners_notice) {
            (CaseState::Waiting, Some(user)) => {
                effects
                    .mail
                    .push(waiting_mail(env, tenant, user, &mut next, now));
            }
            // Ready after a wait: the owner is told where to finish. (A case
            // that takes another over is told like one that waits.)
            (CaseState::Ready, Some(user))
                if supersede.is_some() && !passed.contains(&CaseState::Waiting) =>
            {
                effects
                    .mail
                    .push(waiting_mail(env, tenant, user, &mut next, now));
            }
            (CaseState::Ready, Some(user)) if case.facts.state == CaseState::Waiting => {
                effects.mail.push(OutboxMail {
                    id: new_id(env.random),
                    tenant_id: Some(tenant.id.clone()),
                    recipient: user.email.clone(),
                    language: user.language.unwrap_or(tenant.default_language),
                    message: MailMessage::RecoveryReady {
                        tenant_name: tenant.display_name.clone(),
                        display_name: user.display_name.clone(),
                        link: Link::Page(Page::RecoveryCase {
                            tenant: tenant.slug.to_string(),
                        }),
                    },
                    created_at: now,
                })
            }
            (CaseState::Locked, notice) => effects.mail_or_void(
                notice.map(|u| {
                    security_notice(env.random, tenant, u, SecurityEvent::RecoveryLocked, now)
                        .from_request(meta)
                }),
                || void_mail(env, tenant, now),
            ),
            (CaseState::Cancelled, notice) => effects.mail_or_void(
                notice.map(|u| {
                    security_notice(env.random, tenant, u, SecurityEvent::RecoveryCancelled, now)
                        .from_request(meta)
                }),
                || void_mail(env, tenant, now),
            ),
            _ => {}
        }
    }
    let stored = env
        .store
        .update_case(
            &next,
            spend_code,
            supersede.as_ref().map(|o| (&o.id, o.version)),
            &effects,
            now,
        )
        .await;
    match stored {
        Ok(true) => {
            next.version += 1;
            Ok(Some(next))
        }
        // Lost a race (the version moved, or a case proven elsewhere
        // meanwhile): the caller reads the case again.
        Ok(false) | Err(crate::store::StoreError::Unique(_)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// The mail of a case that waits: when it completes, and a link that
/// cancels it (a fresh single-use token, stored hashed with the case).
pub(super) fn waiting_mail<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    next: &mut RecoveryCase,
    now: UnixTime,
) -> OutboxMail {
    let cancel = SecretToken::generate(env.random);
    next.cancel_token_hash = Some(cancel.hash());
    OutboxMail {
        id: new_id(env.random),
        tenant_id: Some(tenant.id.clone()),
        recipient: user.email.clone(),
        language: user.language.unwrap_or(tenant.default_language),
        message: MailMessage::RecoveryWaiting {
            tenant_name: tenant.display_name.clone(),
            display_name: user.display_name.clone(),
            ready_at: next.facts.ready_at.unwrap_or(now).0,
            time_zone: tenant.mail_time_zone(),
            cancel_link: Link::Page(Page::CancelRecovery {
                tenant: tenant.slug.to_string(),
                token: cancel.expose().to_owned(),
            }),
        },
        created_at: now,
    }
}

pub(super) fn refusal_error(refusal: Refusal) -> Error {
    match refusal {
        Refusal::Closed => Error::said("case", Said::RecoveryEnded),
        Refusal::NotProven => Error::said("case", Said::RecoveryNeedsProof),
        Refusal::Waiting => Error::said("case", Said::RecoveryWaiting),
        // Said only to whoever gave the right password (anyone else sees a
        // wrong proof, as on a decoy).
        Refusal::PasswordRecentlyReset => Error::said("password", Said::PasswordRecentlyReset),
    }
}

/// The browser's case and its user (`None` for a decoy, or an account
/// that may no longer recover), with time applied: a wait that is over
/// makes it ready, an old case expires. `None`: no case for this cookie.
pub(super) async fn load<S: RecoveryStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<Option<(RecoveryCase, Option<User>)>, Error> {
    let Some(token) = SecretToken::from_presented(browser) else {
        return Ok(None);
    };
    let Some(case) = env.store.case_by_browser(&token.hash()).await? else {
        return Ok(None);
    };
    if case.tenant_id != tenant.id {
        return Ok(None);
    }
    Ok(Some(ticked(env, tenant, case, meta).await?))
}

/// A case with time applied, and the user it may belong to (`None` for a
/// decoy, or an account that may no longer recover).
pub(super) async fn ticked<S: UserStore + RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    case: RecoveryCase,
    meta: &RequestMeta,
) -> Result<(RecoveryCase, Option<User>), Error> {
    // The same read for a decoy, which asks about nobody.
    let user = env
        .store
        .user_by_id(
            &tenant.id,
            case.user_id.as_ref().unwrap_or(&UserId::default()),
        )
        .await?
        .filter(|u| may_recover(tenant, u));
    let case = transition(env, tenant, user.as_ref(), case, Event::Tick, None, meta).await?;
    Ok((case, user))
}
