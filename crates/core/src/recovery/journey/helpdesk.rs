//! The assisted fallback: an administrator or the operator removes every
//! second factor of a person, with a reason.

use super::*;
use crate::effects::audit::Actor;

/// The helpdesk path: a tenant admin or the operator removes every second
/// factor of a user, with a reason — the same completion as a self-recovery
/// (factors to the history, sessions ended, security stamp changed, the user
/// told), whether or not self-recovery is active. A proven case of the user
/// is cancelled first.
pub async fn helpdesk_reset<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &Actor,
    reason: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let reason = crate::platform::validate::text("reason", reason, 500)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let now = env.clock.now();
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
