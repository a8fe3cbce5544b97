//! The set-up wizard: the steps a tenant administrator goes through to
//! make a new organisation ready — its name and mail language, how people
//! sign in, second factors, self-recovery, a first application, and a
//! summary — and the upgrade of a legacy (onboarding v1) tenant, which runs
//! the same steps on its existing settings and ends with the upgrade.
//!
//! Progress is kept on the tenant (`tenants::setup::Setup`): the furthest
//! step reached and whether the administrator put the rest off ("finish
//! later"), so the wizard resumes where it was left, by whichever
//! administrator. Each step takes only its own settings and passes them
//! through the tenant's settings rules (`SettingsInput::apply`, one rule
//! per setting), and is written with its audit event in one transaction.
//! It stands above the domains it uses (tenants, accounts, factors,
//! recovery). See docs/decisions/0019-set-up-wizard.md.

pub use crate::tenants::setup::{
    RECOMMENDED_POLICY, Setup, SetupStep, may_open, suggested_policy, upgrade_offered, wizard_due,
};

use crate::Error;
use crate::accounts::user::User;
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::platform::clock::Clock;
use crate::platform::random::Random;
use crate::platform::validate::{FieldError, Said};
use crate::recovery::activation::{ActivationRequest, RequestStatus};
use crate::store::{Effects, PasskeyStore, TenantStore};
use crate::tenants::{Onboarding, SecondFactorPolicy, SettingsInput, Tenant, write};

fn not_yet(tenant: &Tenant, step: SetupStep) -> Result<(), Error> {
    if tenant.setup.finished() {
        Err(Error::said("step", Said::SetupFinishedAlready))
    } else if may_open(tenant, step) {
        Ok(())
    } else {
        Err(Error::said("step", Said::SetupStepNotYet))
    }
}

/// The settings `step` takes from `input`, each of its fields required;
/// whatever else the input holds is left out, so no step changes another
/// step's settings.
fn step_settings(
    tenant: &Tenant,
    step: SetupStep,
    input: &SettingsInput,
) -> Result<SettingsInput, Error> {
    let present = |v: &Option<String>| {
        v.as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned)
    };
    let mut missing = vec![];
    let mut require = |field: &str, v: &Option<String>, said: Said| {
        let value = present(v);
        if value.is_none() {
            missing.push(FieldError::said(field, said));
        }
        value
    };
    let settings = match step {
        SetupStep::Organisation => SettingsInput {
            display_name: require("display_name", &input.display_name, Said::Required),
            default_language: require("default_language", &input.default_language, Said::ChooseOne),
            // optional: empty is UTC
            time_zone: input.time_zone.clone(),
            ..Default::default()
        },
        SetupStep::SignIn => SettingsInput {
            signin_methods: require("signin_methods", &input.signin_methods, Said::ChooseOne),
            ..Default::default()
        },
        // a passkey is two factors already: nothing to ask
        SetupStep::SecondFactors if tenant.passkey_only() => SettingsInput::default(),
        SetupStep::SecondFactors => {
            let policy = require("second_factor", &input.second_factor, Said::ChooseOne);
            // the wizard asks to turn second factors on; "off" stays
            // possible on the console, not as a step of the set-up
            if policy
                .as_deref()
                .is_some_and(|p| SecondFactorPolicy::parse(p) == Ok(SecondFactorPolicy::Off))
            {
                missing.push(FieldError::said("second_factor", Said::ChooseOne));
            }
            SettingsInput {
                second_factor: policy,
                ..Default::default()
            }
        }
        SetupStep::Recovery => SettingsInput {
            recovery_wait_hours: present(&input.recovery_wait_hours),
            ..Default::default()
        },
        SetupStep::Application | SetupStep::Summary | SetupStep::Done => SettingsInput::default(),
    };
    if missing.is_empty() {
        Ok(settings)
    } else {
        Err(Error::Invalid(missing))
    }
}

/// Who is setting up, and from where.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub admin: &'a User,
    pub meta: &'a RequestMeta,
}

/// What a step's rules need to know besides the tenant and the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// Whether this server can have passkeys at all (its address).
    pub passkeys_available: bool,
    /// Whether the administrator saving the step has a passkey.
    pub admin_has_passkey: bool,
}

/// The tenant after `step` with `input` is saved, and whether its settings
/// changed; the step's rules, without the store.
pub fn plan_step(
    tenant: &Tenant,
    step: SetupStep,
    input: &SettingsInput,
    facts: Facts,
) -> Result<(Tenant, bool), Error> {
    not_yet(tenant, step)?;
    if step == SetupStep::Summary {
        // the summary is left with `finish`
        return Err(Error::said("step", Said::SetupStepNotYet));
    }
    let settings = step_settings(tenant, step, input)?;
    let mut updated = settings.apply(tenant)?;
    if step == SetupStep::SignIn {
        if updated.passwordless && !facts.passkeys_available {
            return Err(Error::said("signin_methods", Said::PasskeysUnavailable));
        }
        // Whoever turns passwords off must still be able to sign in.
        if updated.passkey_only() && !tenant.passkey_only() && !facts.admin_has_passkey {
            return Err(Error::said(
                "signin_methods",
                Said::PasskeyBeforePasswordsOff,
            ));
        }
    }
    let changed = updated != *tenant;
    if step.next().index() > tenant.setup.step.index() {
        updated.setup.step = step.next();
    }
    updated.setup.postponed = false;
    Ok((updated, changed))
}

/// Saves a step: its settings through the tenant's settings rules, the
/// wizard moved on past it, and an audit event naming the step (and the
/// settings change, if any) — in one transaction. Returns the tenant.
#[allow(clippy::too_many_arguments)]
pub async fn save_step<S: TenantStore + PasskeyStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    step: SetupStep,
    input: &SettingsInput,
    passkeys_available: bool,
    cx: Context<'_>,
) -> Result<Tenant, Error> {
    let admin_has_passkey =
        step == SetupStep::SignIn && !store.passkeys_for_user(&cx.admin.id).await?.is_empty();
    let facts = Facts {
        passkeys_available,
        admin_has_passkey,
    };
    let (updated, changed) = plan_step(tenant, step, input, facts)?;
    let actor = Actor::Admin(cx.admin.id.clone());
    let mut event = audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        AuditKind::TenantSetupStepSaved,
        cx.meta,
    );
    event.detail = serde_json::json!({ "step": step }).to_string();
    let mut effects = Effects::audit(event);
    if changed {
        effects.audit.push(audit_event(
            random,
            clock,
            &tenant.id,
            None,
            actor,
            AuditKind::TenantSettingsChanged,
            cx.meta,
        ));
    }
    write(store, clock, &updated, &effects).await
}

/// "Finish later": the console opens on its home, with the checklist of
/// what is still open, until an administrator resumes the wizard.
pub async fn postpone<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    cx: Context<'_>,
) -> Result<Tenant, Error> {
    set_postponed(store, random, clock, tenant, true, cx).await
}

/// Opens the wizard again where it was left (for a legacy tenant: starts
/// the upgrade to the new onboarding).
pub async fn resume<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    cx: Context<'_>,
) -> Result<Tenant, Error> {
    set_postponed(store, random, clock, tenant, false, cx).await
}

async fn set_postponed<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    postponed: bool,
    cx: Context<'_>,
) -> Result<Tenant, Error> {
    if tenant.setup.finished() {
        return Err(Error::said("step", Said::SetupFinishedAlready));
    }
    if tenant.setup.postponed == postponed {
        return Ok(tenant.clone());
    }
    let mut updated = tenant.clone();
    updated.setup.postponed = postponed;
    let effects = Effects::audit(audit_event(
        random,
        clock,
        &tenant.id,
        None,
        Actor::Admin(cx.admin.id.clone()),
        if postponed {
            AuditKind::TenantSetupPostponed
        } else {
            AuditKind::TenantSetupResumed
        },
        cx.meta,
    ));
    write(store, clock, &updated, &effects).await
}

/// Finishes the set-up from its summary; a legacy tenant moves to the new
/// onboarding (v2) in the same transaction.
pub async fn finish<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    cx: Context<'_>,
) -> Result<Tenant, Error> {
    not_yet(tenant, SetupStep::Summary)?;
    let actor = Actor::Admin(cx.admin.id.clone());
    let mut updated = tenant.clone();
    updated.setup = Setup {
        step: SetupStep::Done,
        postponed: false,
    };
    let mut effects = Effects::audit(audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        AuditKind::TenantSetupFinished,
        cx.meta,
    ));
    if tenant.onboarding == Onboarding::V1 {
        updated.onboarding = Onboarding::V2;
        effects.audit.push(audit_event(
            random,
            clock,
            &tenant.id,
            None,
            actor,
            AuditKind::TenantOnboardingUpgraded,
            cx.meta,
        ));
    }
    write(store, clock, &updated, &effects).await
}

/// Where an item of the checklist stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemState {
    Done,
    Open,
    /// Asked for; the operator decides (self-recovery), or decides once the
    /// tenant is on the new onboarding.
    Waiting,
}

/// An item of the set-up's checklist: the step that does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub step: SetupStep,
    pub state: ItemState,
}

/// What the set-up has done and what is still open, for the summary and
/// the console's home. `latest` is the tenant's latest request for
/// self-recovery; `has_application` whether it has registered one.
pub fn checklist(
    tenant: &Tenant,
    has_application: bool,
    latest: Option<&ActivationRequest>,
) -> Vec<Item> {
    let reached = |step: SetupStep| tenant.setup.step.index() > step.index();
    let done = |yes: bool| {
        if yes {
            ItemState::Done
        } else {
            ItemState::Open
        }
    };
    let recovery = if tenant.self_recovery {
        ItemState::Done
    } else if latest.is_some_and(|r| r.status == RequestStatus::Pending) {
        ItemState::Waiting
    } else {
        ItemState::Open
    };
    vec![
        Item {
            step: SetupStep::Organisation,
            state: done(reached(SetupStep::Organisation)),
        },
        Item {
            step: SetupStep::SignIn,
            state: done(reached(SetupStep::SignIn)),
        },
        Item {
            step: SetupStep::SecondFactors,
            state: done(
                reached(SetupStep::SecondFactors)
                    && (tenant.passkey_only() || tenant.second_factor != SecondFactorPolicy::Off),
            ),
        },
        Item {
            step: SetupStep::Recovery,
            state: recovery,
        },
        Item {
            step: SetupStep::Application,
            state: done(has_application),
        },
    ]
}

#[cfg(test)]
mod tests;
