//! What the tenant's recovery statistics and a user's factor history read:
//! real accounts only, from a given time on, newest first.

use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::Actor;
use latchkey_core::effects::audit::AuditEvent;
use latchkey_core::factors::totp::TotpCredential;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::case::RemovedBy;
use latchkey_core::recovery::case::{CaseState, FactorKind, RecoveryCase};
use latchkey_core::store::*;
use latchkey_store::Db;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    completion_times_count_real_completed_cases_of_the_tenant_since_a_time,
    helpdesk_resets_and_surges_are_counted_per_tenant_since_a_time,
    factor_history_is_newest_first_and_the_users_own,
    closed_cases_are_counted_by_week_and_outcome,
);

/// A case of `user` (or a decoy) started at `started`, moved to `state` at
/// `closed`.
async fn closed_case(
    db: &Db,
    user: &User,
    id: &str,
    decoy: bool,
    state: CaseState,
    started: i64,
    closed: i64,
) {
    let mut case = case_for(user, id, CaseState::Started);
    case.facts.started_at = UnixTime(started);
    if decoy {
        case = RecoveryCase {
            user_id: None,
            email_key: None,
            ..case
        };
    }
    db.insert_case(&case, &Effects::default(), UnixTime(started))
        .await
        .unwrap();
    let mut moved = case.clone();
    moved.facts.state = state;
    assert!(
        db.update_case(&moved, None, None, &Effects::default(), UnixTime(closed))
            .await
            .unwrap()
    );
}

async fn completion_times_count_real_completed_cases_of_the_tenant_since_a_time(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let carol = add_user(db, &beta, "carol").await;
    assert!(
        db.completion_durations(&acme.id, UnixTime(0))
            .await
            .unwrap()
            .is_empty()
    );
    // Through the store's own completion: 3,000 s.
    let mut ready = case_for(&alice, "c1", CaseState::Ready);
    ready.facts.started_at = UnixTime(2_000);
    db.insert_case(&ready, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let reset = latchkey_core::recovery::case::FactorReset {
        case: Some(("c1".into(), ready.version)),
        ..reset_of(&alice, "c1")
    };
    assert!(
        db.reset_second_factors(&reset, &Effects::default(), UnixTime(5_000))
            .await
            .unwrap()
    );
    // Written as completed: 500 s.
    closed_case(db, &bob, "c2", false, CaseState::Completed, 6_000, 6_500).await;
    // Not counted: cancelled, a decoy, another tenant's, and one before `since`.
    closed_case(db, &bob, "c3", false, CaseState::Cancelled, 7_000, 7_100).await;
    closed_case(db, &alice, "c4", true, CaseState::Completed, 7_000, 7_200).await;
    closed_case(db, &carol, "c5", false, CaseState::Completed, 7_000, 7_300).await;
    closed_case(db, &bob, "c6", false, CaseState::Completed, 100, 900).await;

    let sorted = |mut v: Vec<i64>| {
        v.sort_unstable();
        v
    };
    assert_eq!(
        sorted(
            db.completion_durations(&acme.id, UnixTime(1_000))
                .await
                .unwrap()
        ),
        [500, 3_000]
    );
    assert_eq!(
        sorted(
            db.completion_durations(&acme.id, UnixTime(5_000))
                .await
                .unwrap()
        ),
        [500, 3_000],
        "at or after"
    );
    assert_eq!(
        db.completion_durations(&acme.id, UnixTime(5_001))
            .await
            .unwrap(),
        [500]
    );
    assert_eq!(
        db.completion_durations(&beta.id, UnixTime(0))
            .await
            .unwrap(),
        [300]
    );
}

async fn helpdesk_resets_and_surges_are_counted_per_tenant_since_a_time(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let carol = add_user(db, &beta, "carol").await;
    assert_eq!(db.helpdesk_resets(&acme.id, UnixTime(0)).await.unwrap(), 0);
    assert_eq!(db.surges(&acme.id, UnixTime(0)).await.unwrap(), 0);
    let audit = |user: &User, event: &str, at: i64| AuditEvent {
        user_id: None,
        actor: Actor::System,
        ..event_of(user, event, at)
    };
    for (user, event, at) in [
        (&alice, "factors.reset", 100),
        (&alice, "factors.reset", 200),
        (&alice, "factors.reset", 300),
        (&alice, "recovery.surge", 150),
        (&alice, "recovery.surge", 250),
        (&alice, "recovery.completed", 250),
        (&carol, "factors.reset", 250),
        (&carol, "recovery.surge", 250),
    ] {
        db.insert_audit(&audit(user, event, at)).await.unwrap();
    }
    // A reset written with its effects counts like any other.
    db.apply(
        &Effects::audit(audit(&alice, "factors.reset", 400)),
        UnixTime(400),
    )
    .await
    .unwrap();
    assert_eq!(db.helpdesk_resets(&acme.id, UnixTime(0)).await.unwrap(), 4);
    assert_eq!(
        db.helpdesk_resets(&acme.id, UnixTime(200)).await.unwrap(),
        3,
        "at or after"
    );
    assert_eq!(
        db.helpdesk_resets(&acme.id, UnixTime(401)).await.unwrap(),
        0
    );
    assert_eq!(db.surges(&acme.id, UnixTime(0)).await.unwrap(), 2);
    assert_eq!(db.surges(&acme.id, UnixTime(250)).await.unwrap(), 1);
    assert_eq!(db.helpdesk_resets(&beta.id, UnixTime(0)).await.unwrap(), 1);
    assert_eq!(db.surges(&beta.id, UnixTime(0)).await.unwrap(), 1);
}

async fn factor_history_is_newest_first_and_the_users_own(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = fully_equipped(db).await;
    let bob = add_user(db, &acme, "bob").await;
    assert!(db.factor_history(&alice.id).await.unwrap().is_empty());
    let by = |admin: &str| RemovedBy::Helpdesk(Actor::Admin(admin.into()));
    // A helpdesk reset takes app, passkey and codes ...
    let first = latchkey_core::recovery::case::FactorReset {
        case: None,
        removed_by: by("admin"),
        ..reset_of(&alice, "none")
    };
    assert!(
        db.reset_second_factors(&first, &Effects::default(), UnixTime(3_000))
            .await
            .unwrap()
    );
    // ... a new app is set up and goes with the next one.
    let app = TotpCredential {
        id: "t2".into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        secret_sealed: "v1.sealed".into(),
        last_used_step: None,
        created_at: UnixTime(3_500),
    };
    db.insert_totp(&app, &Effects::default(), UnixTime(3_500))
        .await
        .unwrap();
    let second = latchkey_core::recovery::case::FactorReset {
        case: None,
        removed_by: by("other-admin"),
        ..reset_of(&alice, "none")
    };
    assert!(
        db.reset_second_factors(&second, &Effects::default(), UnixTime(4_000))
            .await
            .unwrap()
    );
    let history = db.factor_history(&alice.id).await.unwrap();
    let removed: Vec<_> = history
        .iter()
        .map(|h| {
            (
                h.removed_at.0,
                h.kind,
                h.enrolled_at.0,
                h.removed_by.clone(),
            )
        })
        .collect();
    assert_eq!(
        removed[0],
        (4_000, FactorKind::Totp, 3_500, by("other-admin"))
    );
    let mut older = removed[1..].to_vec();
    older.sort_by_key(|r| r.2);
    assert_eq!(
        older,
        [
            (3_000, FactorKind::Totp, 1_100, by("admin")),
            (3_000, FactorKind::Passkey, 1_200, by("admin")),
            (3_000, FactorKind::RecoveryCodes, 1_300, by("admin")),
        ]
    );
    assert!(db.factor_history(&bob.id).await.unwrap().is_empty());
}

async fn closed_cases_are_counted_by_week_and_outcome(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let carol = add_user(db, &beta, "carol").await;
    let (since, week) = (10_000, 1_000);
    // week 0: completed twice, locked once; the week's last second counts
    closed_case(db, &alice, "c1", false, CaseState::Completed, 9_000, 10_000).await;
    closed_case(db, &bob, "c2", false, CaseState::Completed, 9_500, 10_999).await;
    closed_case(db, &bob, "c3", false, CaseState::Locked, 9_500, 10_500).await;
    // week 3: cancelled and expired
    closed_case(
        db,
        &alice,
        "c4",
        false,
        CaseState::Cancelled,
        13_000,
        13_100,
    )
    .await;
    closed_case(db, &bob, "c5", false, CaseState::Expired, 12_000, 13_999).await;
    // Not counted: closed before `since`, a decoy, another tenant's, an open case.
    closed_case(db, &alice, "c6", false, CaseState::Completed, 9_000, 9_999).await;
    closed_case(db, &alice, "c7", true, CaseState::Completed, 11_000, 11_100).await;
    closed_case(
        db,
        &carol,
        "c8",
        false,
        CaseState::Completed,
        11_000,
        11_100,
    )
    .await;
    closed_case(db, &bob, "c9", false, CaseState::Waiting, 11_000, 11_100).await;

    assert_eq!(
        db.weekly_case_counts(&acme.id, UnixTime(since), week)
            .await
            .unwrap(),
        [
            (0, CaseState::Completed, 2),
            (0, CaseState::Locked, 1),
            (3, CaseState::Cancelled, 1),
            (3, CaseState::Expired, 1),
        ]
    );
    assert_eq!(
        db.weekly_case_counts(&beta.id, UnixTime(since), week)
            .await
            .unwrap(),
        [(1, CaseState::Completed, 1)]
    );
}
