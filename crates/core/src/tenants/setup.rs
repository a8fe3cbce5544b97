//! How far a tenant's set-up got ([`Setup`], kept on the tenant): the
//! furthest step of the set-up wizard reached and whether its
//! administrators put the rest off, and what follows from it alone. The
//! wizard's rules, which reach across domains (administrators, passkeys,
//! requests for self-recovery), are in `crate::setup`; see
//! docs/decisions/0019-set-up-wizard.md.

use crate::platform::text_enum;
use crate::tenants::{Onboarding, SecondFactorPolicy, Tenant};

text_enum!(
    /// A step of the set-up wizard, in order; `done` once it is finished.
    SetupStep, "step", {
        Organisation => "organisation",
        SignIn => "signin",
        SecondFactors => "second_factors",
        Recovery => "recovery",
        Application => "application",
        Summary => "summary",
        Done => "done"
    }
);

impl SetupStep {
    /// The wizard's steps, in the order it shows them.
    pub const STEPS: [SetupStep; 6] = [
        SetupStep::Organisation,
        SetupStep::SignIn,
        SetupStep::SecondFactors,
        SetupStep::Recovery,
        SetupStep::Application,
        SetupStep::Summary,
    ];

    pub(crate) fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The step after this one.
    pub fn next(self) -> SetupStep {
        Self::ALL
            .get(self.index() + 1)
            .copied()
            .unwrap_or(SetupStep::Done)
    }

    /// The step before this one, if any.
    pub fn previous(self) -> Option<SetupStep> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Self::ALL.get(i).copied())
    }

    /// Its number as the wizard shows it (1 to 6).
    pub fn number(self) -> usize {
        self.index() + 1
    }
}

/// How far a tenant's set-up got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Setup {
    /// The furthest step reached; `done` once finished.
    pub step: SetupStep,
    /// The administrator chose "finish later": the console opens on its
    /// home, with a checklist, instead of the wizard.
    pub postponed: bool,
}

impl Setup {
    /// A new tenant's: a v2 tenant starts the wizard at its first step; a
    /// legacy (v1) one has it waiting behind the console's upgrade banner.
    pub fn new(onboarding: Onboarding) -> Setup {
        Setup {
            step: SetupStep::Organisation,
            postponed: onboarding == Onboarding::V1,
        }
    }

    pub fn finished(&self) -> bool {
        self.step == SetupStep::Done
    }
}

/// Whether the console opens the wizard instead of its home: the set-up is
/// neither finished nor put off.
pub fn wizard_due(tenant: &Tenant) -> bool {
    !tenant.setup.finished() && !tenant.setup.postponed
}

/// Whether the console shows the banner that offers the upgrade to the new
/// onboarding (a legacy tenant whose administrators have not started it).
pub fn upgrade_offered(tenant: &Tenant) -> bool {
    tenant.onboarding == Onboarding::V1
}

/// The second-factor policy the wizard recommends: required (people who
/// sign in with a password confirm it with a second factor).
pub const RECOMMENDED_POLICY: SecondFactorPolicy = SecondFactorPolicy::Required;

/// The policy the second-factor step shows chosen: the recommended one
/// until the step was saved (a legacy tenant's own, unless it is off);
/// afterwards what was saved.
pub fn suggested_policy(tenant: &Tenant) -> SecondFactorPolicy {
    let saved = tenant.setup.step.index() > SetupStep::SecondFactors.index();
    let own =
        tenant.onboarding == Onboarding::V1 && tenant.second_factor != SecondFactorPolicy::Off;
    if saved || own {
        tenant.second_factor
    } else {
        RECOMMENDED_POLICY
    }
}

/// Whether `step` can be opened: any step up to the furthest reached, while
/// the set-up is not finished.
pub fn may_open(tenant: &Tenant, step: SetupStep) -> bool {
    !tenant.setup.finished() && step != SetupStep::Done && step.index() <= tenant.setup.step.index()
}
