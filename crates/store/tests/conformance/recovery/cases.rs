//! Recovery cases: one proven open case per user, versions guard every change,
//! wrong proofs count atomically.

use latchkey_core::factors::recovery_codes::RecoveryCode;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::CaseId;
use latchkey_core::recovery::case::{CaseState, RecoveryCase};
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    a_recovery_code_is_spent_only_with_the_cases_move,
    one_open_recovery_case_per_user_and_versions_guard_updates,
    wrong_proofs_count_atomically_on_real_cases_and_decoys_alike,
    a_case_proven_again_supersedes_the_first_in_one_transaction,
    a_case_keeps_its_name_and_a_new_code_replaces_the_old,
);

/// Issue 14 (resend the code): the name a case started with is kept; an
/// update writes a new code — hash, expiry, address, whether withheld — in
/// place of the old, and only at the version read; the outbox row and the
/// audit event go with it. The same for a decoy (no user).
async fn a_case_keeps_its_name_and_a_new_code_replaces_the_old(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    for (id, user) in [("real", Some(alice.id.clone())), ("decoy", None)] {
        let case = RecoveryCase {
            user_id: user.clone(),
            email_key: user.as_ref().map(|_| alice.email_key.clone()),
            code_withheld: true,
            code_name: Some(format!("name-{id}")),
            ..case_for(&alice, id, CaseState::Started)
        };
        db.insert_case(&case, &Effects::default(), UnixTime(2_000))
            .await
            .unwrap();
        let stored = db.case_by_id(&id.into()).await.unwrap().unwrap();
        assert_eq!(
            stored.code_name.as_deref(),
            Some(format!("name-{id}").as_str())
        );
        assert!(stored.code_withheld);
        let resent = RecoveryCase {
            email_code_hash: Some(format!("new-{id}")),
            email_code_expires_at: Some(UnixTime(2_600)),
            email_key: None,
            code_withheld: false,
            ..stored.clone()
        };
        let effects = Effects::audit(event_of(&alice, "recovery.case.code-resent", 2_001));
        assert!(
            db.update_case(&resent, None, None, &effects, UnixTime(2_001))
                .await
                .unwrap()
        );
        let now = db.case_by_id(&id.into()).await.unwrap().unwrap();
        assert_eq!(
            now.email_code_hash.as_deref(),
            Some(format!("new-{id}").as_str())
        );
        assert_eq!(now.email_code_expires_at, Some(UnixTime(2_600)));
        assert_eq!((now.email_key, now.code_withheld), (None, false));
        assert_eq!(now.code_name, stored.code_name, "the name stays");
        assert_eq!(now.version, stored.version + 1);
        // a second write from the same read loses: nothing changes
        let stale = RecoveryCase {
            email_code_hash: Some("stale".into()),
            ..stored
        };
        assert!(
            !db.update_case(&stale, None, None, &Effects::default(), UnixTime(2_002))
                .await
                .unwrap()
        );
        let still = db.case_by_id(&id.into()).await.unwrap().unwrap();
        assert_eq!(
            still.email_code_hash.as_deref(),
            Some(format!("new-{id}").as_str())
        );
    }
    let written = events(db, &alice.tenant_id).await;
    assert_eq!(
        written
            .iter()
            .filter(|e| *e == "recovery.case.code-resent")
            .count(),
        2,
        "{written:?}"
    );
}

/// Review low: a recovery code was spent even when the case update then
/// failed; now both happen in one transaction or neither does.
async fn a_recovery_code_is_spent_only_with_the_cases_move(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let code = |id: &str| RecoveryCode {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        code_hash: format!("hash-{id}"),
        created_at: UnixTime(1),
        used_at: None,
    };
    db.replace_recovery_codes(
        &alice.id,
        &[code("1"), code("2")],
        &Effects::default(),
        UnixTime(1),
    )
    .await
    .unwrap();
    assert!(db.recovery_code_unused(&alice.id, "hash-1").await.unwrap());
    assert!(!db.recovery_code_unused(&alice.id, "hash-9").await.unwrap());
    let case = case_for(&alice, "c1", CaseState::Started);
    db.insert_case(&case, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let mut proven = case.clone();
    proven.facts.state = CaseState::Ready;
    proven.facts.proofs.recovery_code = true;

    // another request moved the case first: the code stays unused
    let mut other = case.clone();
    other.facts.wrong_codes = 1;
    assert!(
        db.update_case(&other, None, None, &Effects::default(), UnixTime(2_001))
            .await
            .unwrap()
    );
    assert!(
        !db.update_case(
            &proven,
            Some("hash-1"),
            None,
            &Effects::default(),
            UnixTime(2_002)
        )
        .await
        .unwrap()
    );
    assert!(
        db.recovery_code_unused(&alice.id, "hash-1").await.unwrap(),
        "not spent"
    );

    // a used (or unknown) code: the case stays as it was
    let current = db.case_by_id(&"c1".into()).await.unwrap().unwrap();
    assert!(
        db.use_recovery_code(&alice.id, "hash-2", UnixTime(2_003))
            .await
            .unwrap()
    );
    let proven = RecoveryCase {
        facts: proven.facts,
        ..current.clone()
    };
    assert!(
        !db.update_case(
            &proven,
            Some("hash-2"),
            None,
            &Effects::default(),
            UnixTime(2_004)
        )
        .await
        .unwrap()
    );
    assert_eq!(db.case_by_id(&"c1".into()).await.unwrap().unwrap(), current);

    // both at once
    assert!(
        db.update_case(
            &proven,
            Some("hash-1"),
            None,
            &Effects::default(),
            UnixTime(2_005)
        )
        .await
        .unwrap()
    );
    assert!(!db.recovery_code_unused(&alice.id, "hash-1").await.unwrap());
    let stored = db.case_by_id(&"c1".into()).await.unwrap().unwrap();
    assert!(stored.facts.proofs.recovery_code && stored.facts.state == CaseState::Ready);
}

async fn one_open_recovery_case_per_user_and_versions_guard_updates(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let first = case_for(&alice, "c1", CaseState::Started);
    db.insert_case(&first, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    assert_eq!(
        db.case_by_id(&"c1".into()).await.unwrap(),
        Some(first.clone())
    );
    // Unproven attempts of two browsers coexist ...
    let mut second = case_for(&alice, "c2", CaseState::Started);
    second.facts.started_at = UnixTime(2_001);
    db.insert_case(&second, &Effects::default(), UnixTime(2_001))
        .await
        .unwrap();
    let open: Vec<CaseId> = db
        .open_cases_for_user(&alice.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(open, ["c2", "c1"], "newest first");

    // ... but only one may be proven.
    let mut proven = first.clone();
    proven.facts.state = CaseState::Waiting;
    proven.facts.proofs.email_code = true;
    assert!(
        db.update_case(&proven, None, None, &Effects::default(), UnixTime(2_002))
            .await
            .unwrap()
    );
    let mut also = second.clone();
    also.facts.state = CaseState::Ready;
    let err = db
        .update_case(&also, None, None, &Effects::default(), UnixTime(2_002))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    let mut gone = second;
    gone.facts.state = CaseState::Cancelled;
    assert!(
        db.update_case(&gone, None, None, &Effects::default(), UnixTime(2_002))
            .await
            .unwrap()
    );
    assert!(
        !db.update_case(&proven, None, None, &Effects::default(), UnixTime(2_003))
            .await
            .unwrap(),
        "a stale version changes nothing"
    );
    let stored = db.case_by_id(&"c1".into()).await.unwrap().unwrap();
    assert_eq!(
        (stored.version, stored.facts.state),
        (2, CaseState::Waiting)
    );
    assert!(stored.facts.proofs.email_code);

    let mut cancelled = stored;
    cancelled.facts.state = CaseState::Cancelled;
    assert!(
        db.update_case(&cancelled, None, None, &Effects::default(), UnixTime(2_004))
            .await
            .unwrap()
    );
    assert!(db.open_cases_for_user(&alice.id).await.unwrap().is_empty());
    assert_eq!(
        db.case_by_id(&"c1".into())
            .await
            .unwrap()
            .unwrap()
            .closed_at,
        Some(UnixTime(2_004))
    );
    // closed: a new case may start
    db.insert_case(
        &case_for(&alice, "c3", CaseState::Started),
        &Effects::default(),
        UnixTime(2_005),
    )
    .await
    .unwrap();
    let counts = db.case_counts(&alice.tenant_id, UnixTime(0)).await.unwrap();
    assert_eq!(counts, [(CaseState::Cancelled, 2), (CaseState::Started, 1)]);
    // housekeeping finds open cases past their end
    let lapsed = db.lapsed_cases(UnixTime(2_000 + 3_600), 10).await.unwrap();
    assert_eq!(
        lapsed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["c3"]
    );
    assert!(
        db.lapsed_cases(UnixTime(2_100), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The security-holes issue, item 3: a wrong proof is counted with one
/// atomic update, so parallel wrong proofs are never lost to a version
/// race; a decoy (no user) is stored and counted exactly like a real case,
/// never counted in statistics, and purged like any case once closed.
async fn wrong_proofs_count_atomically_on_real_cases_and_decoys_alike(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let real = case_for(&alice, "real", CaseState::Started);
    let decoy = RecoveryCase {
        user_id: None,
        email_key: None,
        ..case_for(&alice, "decoy", CaseState::Started)
    };
    for case in [&real, &decoy] {
        db.insert_case(case, &Effects::default(), UnixTime(2_000))
            .await
            .unwrap();
        let mut tasks = vec![];
        for _ in 0..8 {
            let db = db.clone();
            let id = case.id.clone();
            tasks.push(tokio::spawn(async move {
                db.count_wrong_proof(&id, UnixTime(2_001)).await.unwrap()
            }));
        }
        let mut seen = vec![];
        for task in tasks {
            let counted = task.await.unwrap().unwrap();
            seen.push(counted.facts.wrong_codes);
        }
        seen.sort_unstable();
        assert_eq!(
            seen,
            (1..=8).collect::<Vec<u32>>(),
            "{}: none lost",
            case.id
        );
        let stored = db.case_by_id(&case.id).await.unwrap().unwrap();
        assert_eq!((stored.facts.wrong_codes, stored.version), (8, 9));
        assert_eq!(stored.user_id, case.user_id);
        // a stale update does not write the count back
        assert!(
            !db.update_case(case, None, None, &Effects::default(), UnixTime(2_002))
                .await
                .unwrap()
        );
        let mut locked = stored.clone();
        locked.facts.state = CaseState::Locked;
        assert!(
            db.update_case(&locked, None, None, &Effects::default(), UnixTime(2_003))
                .await
                .unwrap()
        );
        assert_eq!(
            db.count_wrong_proof(&case.id, UnixTime(2_004))
                .await
                .unwrap(),
            None,
            "an ended case counts no more"
        );
    }
    let counts = db.case_counts(&alice.tenant_id, UnixTime(0)).await.unwrap();
    assert_eq!(counts, [(CaseState::Locked, 1)], "decoys are no statistics");
    let open = db.open_cases(&alice.tenant_id).await.unwrap();
    assert!(open.is_empty());
    // closed cases go after their time, decoys and real ones alike
    assert_eq!(db.purge_closed_cases(UnixTime(2_003)).await.unwrap(), 0);
    assert_eq!(db.purge_closed_cases(UnixTime(2_004)).await.unwrap(), 2);
    assert_eq!(db.case_by_id(&"decoy".into()).await.unwrap(), None);
}

/// The security-holes issue, item 4: a case proven again in another browser
/// takes the first one over — the first is cancelled in the same
/// transaction, only if it was still open at the version read.
async fn a_case_proven_again_supersedes_the_first_in_one_transaction(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let mut first = case_for(&alice, "c1", CaseState::Waiting);
    first.facts.proofs.email_code = true;
    first.facts.proofs.password = true;
    first.facts.proven_at = Some(UnixTime(2_000));
    first.facts.ready_at = Some(UnixTime(90_000));
    first.facts.surge = true;
    db.insert_case(&first, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let second = case_for(&alice, "c2", CaseState::Started);
    db.insert_case(&second, &Effects::default(), UnixTime(2_001))
        .await
        .unwrap();
    let mut proven = second.clone();
    proven.facts.state = CaseState::Waiting;
    proven.facts.proofs.email_code = true;
    proven.facts.proven_at = Some(UnixTime(2_010));
    proven.facts.ready_at = Some(UnixTime(90_000));
    // without superseding: the one-proven-case index refuses
    let err = db
        .update_case(&proven, None, None, &Effects::default(), UnixTime(2_010))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    // a stale version of the first: nothing changes
    assert!(
        !db.update_case(
            &proven,
            None,
            Some((&"c1".into(), 7)),
            &Effects::default(),
            UnixTime(2_010)
        )
        .await
        .unwrap()
    );
    assert_eq!(db.case_by_id(&"c2".into()).await.unwrap().unwrap(), second);
    assert_eq!(db.case_by_id(&"c1".into()).await.unwrap().unwrap(), first);
    assert!(
        db.update_case(
            &proven,
            None,
            Some((&"c1".into(), first.version)),
            &Effects::default(),
            UnixTime(2_011)
        )
        .await
        .unwrap()
    );
    let old = db.case_by_id(&"c1".into()).await.unwrap().unwrap();
    assert_eq!(
        (old.facts.state, old.closed_at),
        (CaseState::Cancelled, Some(UnixTime(2_011)))
    );
    assert!(old.facts.surge, "the rest of the first stays as it was");
    let new = db.case_by_id(&"c2".into()).await.unwrap().unwrap();
    assert_eq!(new.facts.proven_at, Some(UnixTime(2_010)));
    assert_eq!(new.facts.state, CaseState::Waiting);
}
