//! The wizard's step rules (pure) and its writes against the in-memory
//! store: order, each step's own fields, the second-factor question only
//! where passwords are on, the lock-out guard, resuming, putting off,
//! finishing (a legacy tenant's upgrade), and the checklist.

use super::*;
use crate::accounts::user::{Role, UserStatus};
use crate::platform::clock::{ManualClock, UnixTime};
use crate::platform::lang::Language;
use crate::platform::random::SeededRandom;
use crate::tenants::setup::SetupStep;
use crate::tenants::{SignInMethods, TenantInput};
use crate::testing::MemStore;

fn tenant(onboarding: &str) -> Tenant {
    TenantInput {
        slug: "acme".into(),
        display_name: "Acme".into(),
        onboarding: Some(onboarding.into()),
        ..Default::default()
    }
    .parse("t1".into(), UnixTime(0))
    .unwrap()
}

fn admin() -> User {
    User {
        id: "u1".into(),
        tenant_id: "t1".into(),
        username: "root".into(),
        username_key: "root".into(),
        email: "root@example.com".into(),
        email_key: "root@example.com".into(),
        display_name: "Root".into(),
        status: UserStatus::Active,
        email_verified: true,
        language: None,
        password_hash: None,
        security_stamp: "s".into(),
        role: Role::Admin,
        password_reset_at: None,
        created_at: UnixTime(0),
        updated_at: UnixTime(0),
    }
}

const FACTS: Facts = Facts {
    passkeys_available: true,
    admin_has_passkey: false,
};

fn fields(err: Error) -> Vec<(String, Option<Said>)> {
    match err {
        Error::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.said)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn organisation(name: &str, lang: &str) -> SettingsInput {
    SettingsInput {
        display_name: Some(name.into()),
        default_language: Some(lang.into()),
        ..Default::default()
    }
}

fn methods(m: &str) -> SettingsInput {
    SettingsInput {
        signin_methods: Some(m.into()),
        ..Default::default()
    }
}

/// The tenant after each step in turn, from the first to `last`.
fn through(mut t: Tenant, last: SetupStep, methods_choice: &str, facts: Facts) -> Tenant {
    for step in SetupStep::STEPS {
        let input = match step {
            SetupStep::Organisation => organisation("Acme AG", "de"),
            SetupStep::SignIn => methods(methods_choice),
            SetupStep::SecondFactors => SettingsInput {
                second_factor: Some("required".into()),
                ..Default::default()
            },
            _ => SettingsInput::default(),
        };
        t = plan_step(&t, step, &input, facts).unwrap().0;
        if step == last {
            break;
        }
    }
    t
}

#[test]
fn a_new_tenant_opens_the_wizard_and_a_legacy_one_offers_the_upgrade() {
    let new = tenant("v2");
    assert_eq!(new.setup.step, SetupStep::Organisation);
    assert!(wizard_due(&new) && !upgrade_offered(&new));
    let legacy = tenant("v1");
    assert!(!wizard_due(&legacy), "behind the banner, not forced");
    assert!(upgrade_offered(&legacy));
    assert!(may_open(&legacy, SetupStep::Organisation));
}

#[test]
fn steps_go_in_order_and_resume_at_the_furthest() {
    let t = tenant("v2");
    assert!(!may_open(&t, SetupStep::SignIn));
    let err = plan_step(&t, SetupStep::Recovery, &SettingsInput::default(), FACTS).unwrap_err();
    assert_eq!(fields(err), [("step".into(), Some(Said::SetupStepNotYet))]);

    let t = through(t, SetupStep::SignIn, "password", FACTS);
    assert_eq!(t.setup.step, SetupStep::SecondFactors);
    assert_eq!(t.display_name, "Acme AG");
    assert_eq!(t.default_language, Language::De);
    // going back to an earlier step does not move the furthest back
    let (again, changed) = plan_step(
        &t,
        SetupStep::Organisation,
        &organisation("Acme", "fr"),
        FACTS,
    )
    .unwrap();
    assert!(changed);
    assert_eq!(again.setup.step, SetupStep::SecondFactors);
    // the summary is left with `finish`, not saved
    let done = through(tenant("v2"), SetupStep::Application, "password", FACTS);
    assert_eq!(done.setup.step, SetupStep::Summary);
    assert!(plan_step(&done, SetupStep::Summary, &SettingsInput::default(), FACTS).is_err());
}

#[test]
fn each_step_requires_its_fields_and_takes_no_other() {
    let t = tenant("v2");
    let err = plan_step(&t, SetupStep::Organisation, &organisation(" ", ""), FACTS).unwrap_err();
    assert_eq!(
        fields(err),
        [
            ("display_name".into(), Some(Said::Required)),
            ("default_language".into(), Some(Said::ChooseOne)),
        ]
    );
    let err = plan_step(
        &t,
        SetupStep::Organisation,
        &organisation("Acme", "es"),
        FACTS,
    )
    .unwrap_err();
    assert_eq!(fields(err)[0].0, "default_language");
    // a crafted form cannot change another step's settings
    let sneaky = SettingsInput {
        second_factor: Some("off".into()),
        recovery_wait_hours: Some("0".into()),
        ..organisation("Acme", "en")
    };
    let (after, _) = plan_step(&t, SetupStep::Organisation, &sneaky, FACTS).unwrap();
    assert_eq!(after.second_factor, t.second_factor);
    assert_eq!(after.recovery_waiting_secs, t.recovery_waiting_secs);
}

#[test]
fn the_organisation_step_takes_a_time_zone_or_says_what_to_type() {
    let t = tenant("v2");
    let zoned = SettingsInput {
        time_zone: Some("europe/zurich".into()),
        ..organisation("Acme", "de")
    };
    let (after, _) = plan_step(&t, SetupStep::Organisation, &zoned, FACTS).unwrap();
    assert_eq!(after.time_zone.name(), "Europe/Zurich");
    assert_eq!(after.mail_time_zone().as_deref(), Some("Europe/Zurich"));
    // empty is UTC; a zone is not required
    let (utc, _) = plan_step(
        &after,
        SetupStep::Organisation,
        &organisation("Acme", "de"),
        FACTS,
    )
    .unwrap();
    assert_eq!(utc.time_zone, after.time_zone, "left out: left as it is");
    let cleared = SettingsInput {
        time_zone: Some(" ".into()),
        ..organisation("Acme", "de")
    };
    let (utc, _) = plan_step(&after, SetupStep::Organisation, &cleared, FACTS).unwrap();
    assert!(utc.time_zone.is_utc() && utc.mail_time_zone().is_none());
    let wrong = SettingsInput {
        time_zone: Some("Mars/Olympus".into()),
        ..organisation("Acme", "de")
    };
    let err = plan_step(&t, SetupStep::Organisation, &wrong, FACTS).unwrap_err();
    assert_eq!(
        fields(err),
        [(
            "time_zone".into(),
            Some(Said::UnknownTimeZone {
                value: "Mars/Olympus".into()
            })
        )]
    );
}

#[test]
fn sign_in_methods_set_both_switches_and_guard_against_lock_out() {
    let t = through(tenant("v2"), SetupStep::Organisation, "", FACTS);
    let err = plan_step(&t, SetupStep::SignIn, &methods(""), FACTS).unwrap_err();
    assert_eq!(
        fields(err),
        [("signin_methods".into(), Some(Said::ChooseOne))]
    );
    let (both, _) = plan_step(
        &t,
        SetupStep::SignIn,
        &methods("password_or_passkey"),
        FACTS,
    )
    .unwrap();
    assert!(both.password_signin && both.passwordless);
    assert_eq!(both.signin_methods(), SignInMethods::PasswordOrPasskey);

    // passkeys on a server that cannot have them
    let no_passkeys = Facts {
        passkeys_available: false,
        ..FACTS
    };
    let err = plan_step(&t, SetupStep::SignIn, &methods("passkey"), no_passkeys).unwrap_err();
    assert_eq!(
        fields(err),
        [("signin_methods".into(), Some(Said::PasskeysUnavailable))]
    );
    // passwords off while the admin has no passkey: they would lock themselves out
    let err = plan_step(&t, SetupStep::SignIn, &methods("passkey"), FACTS).unwrap_err();
    assert_eq!(
        fields(err),
        [(
            "signin_methods".into(),
            Some(Said::PasskeyBeforePasswordsOff)
        )]
    );
    let with_passkey = Facts {
        admin_has_passkey: true,
        ..FACTS
    };
    let (only, _) = plan_step(&t, SetupStep::SignIn, &methods("passkey"), with_passkey).unwrap();
    assert!(only.passkey_only() && only.passwordless);
}

#[test]
fn second_factors_are_asked_only_where_passwords_are_on() {
    let password = through(tenant("v2"), SetupStep::SignIn, "password", FACTS);
    // asked: a choice is needed, and it turns them on
    let err = plan_step(
        &password,
        SetupStep::SecondFactors,
        &SettingsInput::default(),
        FACTS,
    )
    .unwrap_err();
    assert_eq!(
        fields(err),
        [("second_factor".into(), Some(Said::ChooseOne))]
    );
    let off = SettingsInput {
        second_factor: Some("off".into()),
        ..Default::default()
    };
    let err = plan_step(&password, SetupStep::SecondFactors, &off, FACTS).unwrap_err();
    assert_eq!(
        fields(err),
        [("second_factor".into(), Some(Said::ChooseOne))]
    );
    let required = SettingsInput {
        second_factor: Some("required".into()),
        ..Default::default()
    };
    let (after, _) = plan_step(&password, SetupStep::SecondFactors, &required, FACTS).unwrap();
    assert_eq!(after.second_factor, SecondFactorPolicy::Required);
    assert_eq!(after.setup.step, SetupStep::Recovery);

    // passkey-only: nothing to ask; the step moves on and changes nothing
    let facts = Facts {
        admin_has_passkey: true,
        ..FACTS
    };
    let passkeys = through(tenant("v2"), SetupStep::SignIn, "passkey", facts);
    let (after, changed) = plan_step(&passkeys, SetupStep::SecondFactors, &off, facts).unwrap();
    assert!(!changed, "a crafted policy is ignored");
    assert_eq!(after.second_factor, passkeys.second_factor);
    assert_eq!(after.setup.step, SetupStep::Recovery);
}

#[test]
fn the_recommended_policy_is_shown_until_one_is_saved() {
    let new = tenant("v2");
    assert_eq!(new.second_factor, SecondFactorPolicy::Optional);
    assert_eq!(suggested_policy(&new), SecondFactorPolicy::Required);
    let optional = SettingsInput {
        second_factor: Some("optional".into()),
        ..Default::default()
    };
    let mut t = through(new, SetupStep::SignIn, "password", FACTS);
    t = plan_step(&t, SetupStep::SecondFactors, &optional, FACTS)
        .unwrap()
        .0;
    assert_eq!(
        suggested_policy(&t),
        SecondFactorPolicy::Optional,
        "what was saved"
    );
    // a legacy tenant keeps its own, unless it has none
    let mut legacy = tenant("v1");
    assert_eq!(suggested_policy(&legacy), SecondFactorPolicy::Optional);
    legacy.second_factor = SecondFactorPolicy::Off;
    assert_eq!(suggested_policy(&legacy), SecondFactorPolicy::Required);
}

#[test]
fn the_checklist_says_what_is_open() {
    let t = tenant("v2");
    let states = |t: &Tenant, app: bool, r: Option<&ActivationRequest>| {
        checklist(t, app, r)
            .into_iter()
            .map(|i| i.state)
            .collect::<Vec<_>>()
    };
    use ItemState::*;
    assert_eq!(states(&t, false, None), [Open, Open, Open, Open, Open]);
    let request = ActivationRequest {
        id: "r1".into(),
        tenant_id: "t1".into(),
        requested_by: Actor::User("u1".into()),
        note: None,
        status: RequestStatus::Pending,
        decided_by: None,
        decision_reason: None,
        created_at: UnixTime(0),
        decided_at: None,
    };
    let t = through(t, SetupStep::SecondFactors, "password", FACTS);
    assert_eq!(
        states(&t, true, Some(&request)),
        [Done, Done, Done, Waiting, Done]
    );
    let mut on = t.clone();
    on.self_recovery = true;
    assert_eq!(states(&on, false, None)[3], Done);
}

#[tokio::test]
async fn putting_off_resuming_and_finishing_are_written_and_audited() {
    let store = MemStore::default();
    let clock = ManualClock::new(UnixTime(100));
    let random = SeededRandom::new(3);
    let admin = admin();
    let meta = RequestMeta::default();
    let cx = Context {
        admin: &admin,
        meta: &meta,
    };
    let legacy = tenant("v1");
    store.add_tenant(legacy.clone());

    // the upgrade banner resumes the wizard
    let t = resume(&store, &random, &clock, &legacy, cx).await.unwrap();
    assert!(wizard_due(&t));
    // finishing before the summary is refused
    let err = finish(&store, &random, &clock, &t, cx).await.unwrap_err();
    assert_eq!(fields(err), [("step".into(), Some(Said::SetupStepNotYet))]);
    let t = postpone(&store, &random, &clock, &t, cx).await.unwrap();
    assert!(!wizard_due(&t) && t.setup.postponed);

    // the rest of the steps, then the finish: the upgrade comes with it
    let mut t = t;
    for step in SetupStep::STEPS.into_iter().take(5) {
        let input = match step {
            SetupStep::Organisation => organisation("Acme", "en"),
            SetupStep::SignIn => methods("password"),
            SetupStep::SecondFactors => SettingsInput {
                second_factor: Some("optional".into()),
                ..Default::default()
            },
            _ => SettingsInput::default(),
        };
        let (planned, _) = plan_step(&t, step, &input, FACTS).unwrap();
        t = write(&store, &clock, &planned, &Effects::default())
            .await
            .unwrap();
    }
    // a stale read cannot finish over a newer change
    let stale = Tenant {
        version: t.version - 1,
        ..t.clone()
    };
    assert!(finish(&store, &random, &clock, &stale, cx).await.is_err());
    let done = finish(&store, &random, &clock, &t, cx).await.unwrap();
    assert!(done.setup.finished());
    assert_eq!(done.onboarding, Onboarding::V2);
    let kinds: Vec<String> = store
        .writes()
        .iter()
        .flat_map(|w| w.audit.iter().map(|e| e.event.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            AuditKind::TenantSetupResumed,
            AuditKind::TenantSetupPostponed,
            AuditKind::TenantSetupFinished,
            AuditKind::TenantOnboardingUpgraded,
        ]
        .map(|k| k.as_str().to_owned())
    );
    // nothing left to put off or save
    let err = plan_step(
        &done,
        SetupStep::Organisation,
        &organisation("A", "en"),
        FACTS,
    )
    .unwrap_err();
    assert_eq!(
        fields(err),
        [("step".into(), Some(Said::SetupFinishedAlready))]
    );
    let err = postpone(&store, &random, &clock, &done, cx)
        .await
        .unwrap_err();
    assert_eq!(
        fields(err),
        [("step".into(), Some(Said::SetupFinishedAlready))]
    );
}
