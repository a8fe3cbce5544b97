//! Effects: rate-limit counters, the audit log and the outbox.

use latchkey_core::effects::audit::Actor;
use latchkey_core::effects::audit::AuditEvent;
use latchkey_core::effects::mail::Delivery;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::*;
use latchkey_store::Backend;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    rate_limits_count_in_windows,
    rate_limits_are_atomic_under_concurrency,
    audit_events_are_listed_newest_first,
    outbox_claims_leases_retries_and_forgets_parameters,
    outbox_claims_never_hand_one_message_to_two_senders,
    outbox_parameters_are_sealed_at_rest,
    effects_are_written_all_or_none,
    void_mail_is_never_sent_and_goes_with_closed_cases,
);

async fn rate_limits_count_in_windows(t: &TestDb) {
    let db = &t.db;
    let hit = |d, now| db.rate_limit_add("k", d, UnixTime(now), 60);
    assert_eq!(hit(1, 100).await.unwrap().count, 1);
    assert_eq!(hit(1, 110).await.unwrap().count, 2);
    let h = hit(-1, 120).await.unwrap();
    assert_eq!((h.count, h.window_start), (1, UnixTime(100)));
    assert_eq!(hit(-5, 121).await.unwrap().count, 0);
    // the window of 60 s starting at 100 is over at 160
    let h = hit(1, 160).await.unwrap();
    assert_eq!((h.count, h.window_start), (1, UnixTime(160)));
    db.rate_limit_clear("k").await.unwrap();
    assert_eq!(hit(1, 161).await.unwrap().count, 1);
    assert_eq!(
        db.rate_limit_add("other", 1, UnixTime(161), 60)
            .await
            .unwrap()
            .count,
        1
    );
    // counters whose window is long over are deleted
    db.rate_limit_add("old", 3, UnixTime(50), 60).await.unwrap();
    assert_eq!(db.purge_rate_limits(UnixTime(161)).await.unwrap(), 1);
    assert_eq!(hit(0, 170).await.unwrap().count, 1, "the others stay");
    assert_eq!(
        db.rate_limit_add("old", 0, UnixTime(60), 60)
            .await
            .unwrap()
            .count,
        0
    );
}

async fn rate_limits_are_atomic_under_concurrency(t: &TestDb) {
    let mut tasks = vec![];
    for _ in 0..40 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            db.rate_limit_add("race", 1, UnixTime(500), 60)
                .await
                .unwrap()
                .count
        }));
    }
    let mut counts = vec![];
    for task in tasks {
        counts.push(task.await.unwrap());
    }
    counts.sort();
    assert_eq!(counts, (1..=40).collect::<Vec<_>>());
}

async fn audit_events_are_listed_newest_first(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    for (i, event) in ["a.first", "a.second"].into_iter().enumerate() {
        db.insert_audit(&AuditEvent {
            id: new_id(&OsRandom),
            tenant_id: Some(acme.id.clone()),
            user_id: Some(alice.id.clone()),
            actor: Actor::System,
            event: event.into(),
            ip: None,
            user_agent: Some("ua".into()),
            detail: "{}".into(),
            at: UnixTime(10 + i as i64),
        })
        .await
        .unwrap();
    }
    let events = db.list_audit(&acme.id, 10).await.unwrap();
    let names: Vec<_> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names, ["a.second", "a.first"]);
    assert_eq!(db.list_audit(&acme.id, 1).await.unwrap().len(), 1);
    assert!(db.list_audit(&"other".into(), 10).await.unwrap().is_empty());
    let _ = Backend::Sqlite;
}

async fn outbox_claims_leases_retries_and_forgets_parameters(t: &TestDb) {
    let db = &t.db;
    let effects = Effects {
        mail: vec![mail("m1", 100), mail("m2", 100)],
        ..Default::default()
    };
    db.apply(&effects, UnixTime(100)).await.unwrap();
    assert_eq!(db.outbox_counts().await.unwrap(), (2, 0, 0));
    let claim = |now: i64, token: &'static str| db.claim_mail(UnixTime(now), 60, 10, token);
    let record = |id: &'static str, token: &'static str, outcome: Delivery, now: i64| async move {
        db.record_delivery(&id.into(), token, &outcome, UnixTime(now))
            .await
            .unwrap()
    };

    let claimed = claim(100, "c1").await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(
        claimed[0].mail,
        mail(claimed[0].mail.id.as_str(), 100),
        "stored and read back whole"
    );
    assert_eq!(claimed[0].attempts, 0);
    // leased: nobody else gets them
    assert!(claim(120, "c2").await.unwrap().is_empty());

    // only the claim's holder records an outcome, once
    assert!(!record("m2", "c2", Delivery::Sent, 125).await);
    let retry = Delivery::Retry {
        error: "421 try later".into(),
        retry_at: UnixTime(500),
    };
    assert!(record("m1", "c1", retry, 130).await);
    assert!(record("m2", "c1", Delivery::Sent, 130).await);
    assert!(!record("m2", "c1", Delivery::Sent, 131).await, "once");
    assert_eq!(db.outbox_counts().await.unwrap(), (1, 1, 0));
    assert!(
        claim(499, "c3").await.unwrap().is_empty(),
        "not before retry_at"
    );
    let again = claim(500, "c4").await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].mail.id.as_str(), again[0].attempts), ("m1", 1));

    // an expired lease (a sender that died) makes the message claimable again,
    // and the old holder can no longer record over the new one
    assert_eq!(claim(561, "c5").await.unwrap().len(), 1);
    assert!(!record("m1", "c4", Delivery::Sent, 565).await);
    assert!(
        record(
            "m1",
            "c5",
            Delivery::Failed {
                error: "550 no such user".into()
            },
            570
        )
        .await
    );
    assert_eq!(db.outbox_counts().await.unwrap(), (0, 1, 1));
    assert!(claim(10_000, "c6").await.unwrap().is_empty());
    assert!(!record("nope", "c6", Delivery::Sent, 1).await);
}

async fn outbox_claims_never_hand_one_message_to_two_senders(t: &TestDb) {
    let effects = Effects {
        mail: (0..10).map(|i| mail(&format!("m{i}"), 100)).collect(),
        ..Default::default()
    };
    t.db.apply(&effects, UnixTime(100)).await.unwrap();
    let mut tasks = vec![];
    for _ in 0..8 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = vec![];
            loop {
                let claim: String = latchkey_core::platform::random::new_id(&OsRandom);
                let claimed = db.claim_mail(UnixTime(100), 60, 2, &claim).await.unwrap();
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed.into_iter().map(|c| c.mail.id));
            }
        }));
    }
    let mut all = vec![];
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort();
    let expected: Vec<String> = {
        let mut v: Vec<String> = (0..10).map(|i| format!("m{i}")).collect();
        v.sort();
        v
    };
    assert_eq!(all, expected);
}

async fn outbox_parameters_are_sealed_at_rest(t: &TestDb) {
    let key = [4u8; 32];
    let sealed =
        t.db.clone()
            .with_sealing(latchkey_core::platform::crypto::SecretBox::new(&key));
    sealed
        .apply(
            &Effects {
                mail: vec![mail("s1", 100)],
                ..Default::default()
            },
            UnixTime(100),
        )
        .await
        .unwrap();
    // written in clear before sealing was on: still readable
    t.db.apply(
        &Effects {
            mail: vec![mail("p1", 100)],
            ..Default::default()
        },
        UnixTime(100),
    )
    .await
    .unwrap();

    let stored = latchkey_store::testing::outbox_params(&t.db, "s1")
        .await
        .unwrap();
    assert!(
        stored.starts_with("v1.") && !stored.contains("verify-email"),
        "{stored}"
    );
    let claimed = sealed.claim_mail(UnixTime(100), 60, 10, "c").await.unwrap();
    let mut ids: Vec<_> = claimed.iter().map(|c| c.mail.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["p1", "s1"]);
    assert!(
        claimed.iter().any(|c| c.mail == mail("s1", 100)),
        "opens whole"
    );
    for id in ["p1", "s1"] {
        assert!(
            sealed
                .record_delivery(&id.into(), "c", &Delivery::Sent, UnixTime(110))
                .await
                .unwrap()
        );
    }

    // under another key the sealed message cannot be read: it is failed, not stuck
    sealed
        .apply(
            &Effects {
                mail: vec![mail("s2", 100)],
                ..Default::default()
            },
            UnixTime(100),
        )
        .await
        .unwrap();
    let other =
        t.db.clone()
            .with_sealing(latchkey_core::platform::crypto::SecretBox::new(&[5u8; 32]));
    assert!(
        other
            .claim_mail(UnixTime(200), 60, 10, "d")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(t.db.outbox_counts().await.unwrap().2, 1, "s2 failed");
}

async fn effects_are_written_all_or_none(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    db.rate_limit_add("cleared", 3, UnixTime(100), 60)
        .await
        .unwrap();
    let counters = [
        CounterChange::Add {
            key: "added",
            delta: 2,
            window_secs: 60,
        },
        CounterChange::Clear("cleared"),
    ];
    let effects = |event: AuditEvent, mail_id: &str| Effects {
        audit: vec![event],
        mail: vec![mail(mail_id, 100)],
        void_mail: vec![mail(&format!("void-{mail_id}"), 100)],
        counters: counters.to_vec(),
        ..Default::default()
    };
    let count = |key: &'static str| {
        let db = db.clone();
        async move {
            db.rate_limit_add(key, 0, UnixTime(110), 60)
                .await
                .unwrap()
                .count
        }
    };

    // The last write fails (an audit event whose id is stored): nothing of
    // the rest is written either.
    let failing = failing_effects(db, &alice).await;
    let err = db
        .apply(
            &Effects {
                audit: failing.audit.clone(),
                ..effects(event_of(&alice, "never", 100), "m0")
            },
            UnixTime(100),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(db.outbox_counts().await.unwrap(), (0, 0, 0));
    assert!(
        latchkey_store::testing::outbox_params(db, "void-m0")
            .await
            .is_err()
    );
    assert_eq!((count("added").await, count("cleared").await), (0, 3));
    assert_eq!(events(db, &acme.id).await, ["test.stored_already"]);

    db.apply(
        &effects(event_of(&alice, "it.happened", 100), "m1"),
        UnixTime(100),
    )
    .await
    .unwrap();
    assert_eq!(db.outbox_counts().await.unwrap(), (1, 0, 0));
    assert_eq!((count("added").await, count("cleared").await), (2, 0));
    assert_eq!(events(db, &acme.id).await[0], "it.happened");
}

async fn void_mail_is_never_sent_and_goes_with_closed_cases(t: &TestDb) {
    let db = &t.db;
    db.apply(
        &Effects {
            mail: vec![mail("m1", 100)],
            void_mail: vec![mail("v1", 100), mail("v2", 300)],
            ..Default::default()
        },
        UnixTime(100),
    )
    .await
    .unwrap();
    assert_eq!(
        db.outbox_counts().await.unwrap(),
        (1, 0, 0),
        "void rows are neither waiting nor sent"
    );
    let claimed = db.claim_mail(UnixTime(500), 60, 10, "c1").await.unwrap();
    assert_eq!(
        claimed
            .iter()
            .map(|c| c.mail.id.as_str())
            .collect::<Vec<_>>(),
        ["m1"],
        "a void row is never handed to a sender"
    );
    let params = |id: &'static str| {
        let db = db.clone();
        async move {
            latchkey_store::testing::outbox_params(&db, id)
                .await
                .is_ok()
        }
    };
    assert!(
        params("v1").await && params("v2").await,
        "written like mail"
    );

    // Housekeeping removes the void rows written before its cut-off.
    assert_eq!(db.purge_closed_cases(UnixTime(200)).await.unwrap(), 0);
    assert!(!params("v1").await);
    assert!(params("v2").await);
    assert!(params("m1").await, "real mail is not touched");
}
