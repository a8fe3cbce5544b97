//! Gating self-recovery per tenant: an administrator asks (a legacy tenant
//! too: its request waits until it is on the new onboarding), the operator
//! approves (only for a tenant on onboarding v2) or declines with a reason;
//! the operator turns it on or off (open cases end and their users are
//! told); upgrading a legacy tenant's onboarding. Each step is audited.

use crate::Error;
use crate::accounts::notice::security_notice;
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::effects::mail::{Link, MailMessage, OutboxMail, Page, SecurityEvent};
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::ids::{ActivationRequestId, CaseId, TenantId};
use crate::platform::random::Random;
use crate::platform::validate::Said;
use crate::store::{Effects, RecoveryStore, TenantStore, UserStore};
use crate::tenants::{Onboarding, Tenant};

crate::platform::text_enum!(
    /// Where a tenant admin's request for self-recovery stands.
    RequestStatus, "status", { Pending => "pending", Approved => "approved", Declined => "declined" }
);
/// A tenant admin asks the operator to activate self-recovery.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActivationRequest {
    pub id: ActivationRequestId,
    pub tenant_id: TenantId,
    /// The admin who asked (`user:<id>`).
    pub requested_by: Actor,
    pub note: Option<String>,
    pub status: RequestStatus,
    pub decided_by: Option<Actor>,
    pub decision_reason: Option<String>,
    pub created_at: UnixTime,
    pub decided_at: Option<UnixTime>,
}

/// A tenant admin requests activation of self-recovery for their tenant.
pub async fn request_activation<S: RecoveryStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    admin: &crate::accounts::user::User,
    note: &str,
    meta: &RequestMeta,
) -> Result<ActivationRequest, Error> {
    if !admin.is_admin() {
        return Err(Error::said("role", Said::OnlyAdminsAsk));
    }
    if tenant.self_recovery {
        return Err(Error::said("request", Said::RecoveryActiveAlready));
    }
    // A legacy (v1) tenant's request is recorded too: it waits for the
    // upgrade to the new onboarding, and the operator's approval is refused
    // until then (`decide_request`).
    let note = if note.trim().is_empty() {
        None
    } else {
        Some(
            crate::platform::validate::text("note", note, 1000)
                .map_err(|e| Error::Invalid(vec![e]))?,
        )
    };
    let now = clock.now();
    let request = ActivationRequest {
        id: crate::platform::random::new_id(random),
        tenant_id: tenant.id.clone(),
        requested_by: Actor::User(admin.id.clone()),
        note,
        status: RequestStatus::Pending,
        decided_by: None,
        decision_reason: None,
        created_at: now,
        decided_at: None,
    };
    let effects = Effects::audit(audit_event(
        random,
        clock,
        &tenant.id,
        Some(&admin.id),
        request.requested_by.clone(),
        AuditKind::TenantRecoveryRequested,
        meta,
    ));
    store
        .insert_activation_request(&request, &effects, now)
        .await
        .map_err(|e| e.into_conflict("request", "a request is waiting for the operator already"))?;
    Ok(request)
}

/// The operator approves (self-recovery becomes active) or declines (with a
/// reason) the tenant's pending request.
///
/// The administrator who asked is mailed the decision and the reason, in
/// the same transaction as the decision (nobody is mailed when the asker's
/// account is gone or disabled).
pub async fn decide_request<S: RecoveryStore + UserStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    approve: bool,
    reason: &str,
    actor: &Actor,
) -> Result<ActivationRequest, Error> {
    let Some(mut request) = store.pending_activation_request(&tenant.id).await? else {
        return Err(Error::invalid(
            "request",
            format!("tenant {} has no pending request", tenant.slug),
        ));
    };
    let reason = if approve && reason.trim().is_empty() {
        None
    } else {
        Some(
            crate::platform::validate::text("reason", reason, 1000)
                .map_err(|e| Error::Invalid(vec![e]))?,
        )
    };
    if approve && tenant.onboarding == Onboarding::V1 {
        return Err(Error::invalid(
            "onboarding",
            format!(
                "upgrade this tenant to onboarding v2 first (latchkey tenant upgrade-onboarding {})",
                tenant.slug
            ),
        ));
    }
    let now = clock.now();
    request.status = if approve {
        RequestStatus::Approved
    } else {
        RequestStatus::Declined
    };
    request.decided_by = Some(actor.clone());
    request.decision_reason = reason;
    request.decided_at = Some(now);
    let mut event = audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        if approve {
            AuditKind::TenantRecoveryRequestApproved
        } else {
            AuditKind::TenantRecoveryRequestDeclined
        },
        &RequestMeta::default(),
    );
    event.detail =
        serde_json::json!({ "request": request.id, "reason": request.decision_reason }).to_string();
    let mut effects = Effects::audit(event);
    if let Some(mail) = decision_mail(store, random, tenant, &request, now).await? {
        effects.mail.push(mail);
    }
    if approve {
        effects.audit.push(audit_event(
            random,
            clock,
            &tenant.id,
            None,
            actor.clone(),
            AuditKind::TenantRecoveryEnabled,
            &RequestMeta::default(),
        ));
    }
    // The decision and, on approval, the activation: one transaction.
    if !store
        .decide_activation_request(&request, &effects, now)
        .await?
    {
        return Err(Error::said("request", Said::RequestDecidedMeanwhile));
    }
    Ok(request)
}

/// The mail that tells the administrator who asked what the operator
/// decided; `None` when their account is gone or disabled.
async fn decision_mail<S: UserStore>(
    store: &S,
    random: &dyn Random,
    tenant: &Tenant,
    request: &ActivationRequest,
    now: UnixTime,
) -> Result<Option<OutboxMail>, Error> {
    let (Actor::User(id) | Actor::Admin(id)) = &request.requested_by else {
        return Ok(None);
    };
    let Some(admin) = store
        .user_by_id(&tenant.id, id)
        .await?
        .filter(|u| u.is_active())
    else {
        return Ok(None);
    };
    Ok(Some(OutboxMail {
        id: crate::platform::random::new_id(random),
        tenant_id: Some(tenant.id.clone()),
        recipient: admin.email.clone(),
        language: admin.language.unwrap_or(tenant.default_language),
        message: MailMessage::ActivationDecided {
            tenant_name: tenant.display_name.clone(),
            display_name: admin.display_name.clone(),
            approved: request.status == RequestStatus::Approved,
            reason: request.decision_reason.clone(),
            link: Link::Page(Page::Admin {
                tenant: tenant.slug.to_string(),
            }),
        },
        created_at: now,
    }))
}

/// The operator turns self-recovery on for a tenant. A tenant still on the
/// legacy onboarding (v1) is refused: it must be upgraded first.
pub async fn enable<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    actor: &Actor,
) -> Result<Tenant, Error> {
    if tenant.onboarding == Onboarding::V1 {
        return Err(Error::invalid(
            "onboarding",
            format!(
                "upgrade this tenant to onboarding v2 first (latchkey tenant upgrade-onboarding {})",
                tenant.slug
            ),
        ));
    }
    let updated = Tenant {
        self_recovery: true,
        ..tenant.clone()
    };
    save(
        store,
        random,
        clock,
        &updated,
        &[],
        actor,
        AuditKind::TenantRecoveryEnabled,
    )
    .await
}

/// The operator turns self-recovery off: open cases are cancelled in the
/// same transaction and their users told by mail. Returns the tenant and how
/// many cases ended.
pub async fn disable<S: TenantStore + UserStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    actor: &Actor,
) -> Result<(Tenant, usize), Error> {
    let now = clock.now();
    let open = store.open_cases(&tenant.id).await?;
    let mut effects = Effects::default();
    for (case_id, user_id) in &open {
        let Some(user_id) = user_id else {
            // a decoy: it ends with the others, nobody to tell
            continue;
        };
        let mut event = audit_event(
            random,
            clock,
            &tenant.id,
            Some(user_id),
            actor.clone(),
            AuditKind::RecoveryCaseCancelled,
            &RequestMeta::default(),
        );
        event.detail = serde_json::json!({ "case": case_id, "reason": crate::recovery::case::CancelReason::RecoveryOff.as_str() })
            .to_string();
        effects.audit.push(event);
        if let Some(user) = store.user_by_id(&tenant.id, user_id).await? {
            effects.mail.push(security_notice(
                random,
                tenant,
                &user,
                SecurityEvent::RecoveryCancelled,
                now,
            ));
        }
    }
    let updated = Tenant {
        self_recovery: false,
        ..tenant.clone()
    };
    let cases: Vec<CaseId> = open.into_iter().map(|(id, _)| id).collect();
    effects.audit.push(audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        AuditKind::TenantRecoveryDisabled,
        &RequestMeta::default(),
    ));
    if !store.update_tenant(&updated, &cases, &effects, now).await? {
        return Err(crate::tenants::changed_meanwhile());
    }
    Ok((
        Tenant {
            version: updated.version + 1,
            ..updated
        },
        cases.len(),
    ))
}

/// Moves a tenant from the legacy onboarding (v1) to v2.
pub async fn upgrade_onboarding<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    actor: &Actor,
) -> Result<Tenant, Error> {
    if tenant.onboarding == Onboarding::V2 {
        return Err(Error::invalid(
            "onboarding",
            "this tenant is on onboarding v2 already",
        ));
    }
    let updated = Tenant {
        onboarding: Onboarding::V2,
        ..tenant.clone()
    };
    save(
        store,
        random,
        clock,
        &updated,
        &[],
        actor,
        AuditKind::TenantOnboardingUpgraded,
    )
    .await
}

async fn save<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    cancel: &[CaseId],
    actor: &Actor,
    event: AuditKind,
) -> Result<Tenant, Error> {
    let effects = Effects::audit(audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        event,
        &RequestMeta::default(),
    ));
    if !store
        .update_tenant(tenant, cancel, &effects, clock.now())
        .await?
    {
        return Err(crate::tenants::changed_meanwhile());
    }
    Ok(Tenant {
        version: tenant.version + 1,
        ..tenant.clone()
    })
}

/// Whether the tenant's request waits for its upgrade to the new
/// onboarding before the operator can approve it.
pub fn waits_for_upgrade(tenant: &Tenant, latest: Option<&ActivationRequest>) -> bool {
    tenant.onboarding == Onboarding::V1
        && latest.is_some_and(|r| r.status == RequestStatus::Pending)
}

/// Whether an administrator may ask for activation now: self-recovery is
/// off and no request of the tenant waits for the operator.
pub fn can_request(tenant: &Tenant, latest: Option<&ActivationRequest>) -> bool {
    !tenant.self_recovery && latest.is_none_or(|r| r.status != RequestStatus::Pending)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::TenantInput;

    #[test]
    fn an_admin_may_ask_once_while_self_recovery_is_off() {
        let mut tenant = TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t1".into(), UnixTime(0))
        .unwrap();
        let request = |status| ActivationRequest {
            id: "r1".into(),
            tenant_id: "t1".into(),
            requested_by: Actor::User("u1".into()),
            note: None,
            status,
            decided_by: None,
            decision_reason: None,
            created_at: UnixTime(0),
            decided_at: None,
        };
        assert!(can_request(&tenant, None));
        assert!(!can_request(
            &tenant,
            Some(&request(RequestStatus::Pending))
        ));
        assert!(can_request(
            &tenant,
            Some(&request(RequestStatus::Declined))
        ));
        tenant.self_recovery = true;
        assert!(!can_request(&tenant, None));
    }
}
