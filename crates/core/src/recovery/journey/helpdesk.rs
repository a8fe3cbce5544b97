//! The assisted fallback: an administrator or the operator removes every
//! second factor of a person, with a reason.

use super::*;
use crate::effects::audit::Actor;
use crate::factors::directory::{Holdings, holdings};
use crate::platform::validate::FieldError;
use crate::store::{PasskeyStore, RecoveryCodeStore, TotpStore, UserStore};

/// The most characters of a helpdesk reset's reason.
pub const REASON_MAX: usize = 500;

/// What a helpdesk reset of `user` would remove, for the confirmation an
/// administrator sees first — after the same checks as the reset itself:
/// something to remove (no second factor and no recovery codes: refused,
/// there is nothing a reset is for), then a reason.
pub async fn helpdesk_preview<S: UserStore + TotpStore + PasskeyStore + RecoveryCodeStore>(
    store: &S,
    user: &User,
    reason: &str,
    now: UnixTime,
) -> Result<(Holdings, String), Error> {
    let held = holdings(store, user, now).await?;
    if held.nothing_to_reset() {
        return Err(Error::Invalid(vec![FieldError::said(
            "person",
            Said::NothingToReset,
        )]));
    }
    let reason = crate::platform::validate::text("reason", reason, REASON_MAX)
        .map_err(|e| Error::Invalid(vec![e]))?;
    Ok((held, reason))
}

/// The helpdesk path: a tenant admin or the operator removes every second
/// factor of a user, with a reason — the same completion as a self-recovery
/// (factors to the history, sessions ended, security stamp changed, the user
/// told), whether or not self-recovery is active. A proven case of the user
/// is cancelled first. Refused, as [`helpdesk_preview`] says, without a
/// reason or with nothing to remove.
pub async fn helpdesk_reset<
    S: RecoveryStore + UserStore + TotpStore + PasskeyStore + RecoveryCodeStore,
    W,
>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &Actor,
    reason: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let now = env.clock.now();
    let (_, reason) = helpdesk_preview(env.store, user, reason, now).await?;
    for case in proven_cases(env, user).await? {
        transition(
            env,
            tenant,
            Some(user),
            case,
            Event::Cancel(CancelReason::HelpdeskReset),
            None,
            meta,
        )
        .await?;
    }
    let reset = FactorReset {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        case: None,
        security_stamp: new_security_stamp(env.random),
        removed_by: RemovedBy::Helpdesk(actor.clone()),
        session: None,
        ends: FactorReset::ENDS,
    };
    let mut audit = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        actor.clone(),
        AuditKind::FactorsReset,
        meta,
    );
    audit.detail = serde_json::json!({ "reason": reason }).to_string();
    let mut effects = Effects::audit(audit);
    effects.mail.push(security_notice(
        env.random,
        tenant,
        user,
        SecurityEvent::FactorsReset,
        now,
    ));
    env.store
        .reset_second_factors(&reset, &effects, now)
        .await?;
    Ok(())
}
