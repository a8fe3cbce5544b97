//! Authenticator apps and recovery codes.

use latchkey_core::accounts::user::User;
use latchkey_core::factors::passkey::PasskeyCredential;
use latchkey_core::factors::recovery_codes::RecoveryCode;
use latchkey_core::factors::totp::TotpCredential;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    totp_one_per_user_and_steps_only_move_forward,
    recovery_codes_are_replaced_as_a_set_and_used_once,
    a_used_code_is_offered_a_new_set_until_answered_or_replaced,
    concurrent_removals_keep_the_last_factor,
    an_app_is_replaced_only_while_it_is_the_users,
);

async fn totp_one_per_user_and_steps_only_move_forward(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let cred = |id: &str| TotpCredential {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        secret_sealed: "v1.sealed".into(),
        last_used_step: Some(100),
        created_at: UnixTime(5),
    };
    db.insert_totp(&cred("t1"), &Effects::default(), UnixTime(5))
        .await
        .unwrap();
    assert_eq!(db.totp_for_user(&alice.id).await.unwrap(), Some(cred("t1")));
    let err = db
        .insert_totp(&cred("t2"), &Effects::default(), UnixTime(6))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");

    assert!(
        !db.use_totp_step(&"t1".into(), 100).await.unwrap(),
        "the enrolment step is used"
    );
    assert!(!db.use_totp_step(&"t1".into(), 99).await.unwrap());
    assert!(db.use_totp_step(&"t1".into(), 101).await.unwrap());
    // the same step from many requests at once: exactly one wins
    let mut tasks = vec![];
    for _ in 0..10 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.use_totp_step(&"t1".into(), 102).await.unwrap()
        }));
    }
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1);
    assert_eq!(
        db.totp_for_user(&alice.id)
            .await
            .unwrap()
            .unwrap()
            .last_used_step,
        Some(102)
    );

    assert!(
        db.delete_totp(&alice.id, false, &Effects::default(), UnixTime(7))
            .await
            .unwrap()
            == FactorRemoval::Removed
    );
    assert!(
        db.delete_totp(&alice.id, false, &Effects::default(), UnixTime(8))
            .await
            .unwrap()
            == FactorRemoval::NotFound
    );
    assert_eq!(db.totp_for_user(&alice.id).await.unwrap(), None);
}

async fn recovery_codes_are_replaced_as_a_set_and_used_once(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let set = |prefix: &str| -> Vec<RecoveryCode> {
        (0..3)
            .map(|i| RecoveryCode {
                id: format!("{prefix}{i}"),
                tenant_id: acme.id.clone(),
                user_id: alice.id.clone(),
                code_hash: format!("{prefix}-hash-{i}"),
                created_at: UnixTime(1),
                used_at: None,
            })
            .collect()
    };
    db.replace_recovery_codes(&alice.id, &set("a"), &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 3);
    assert!(
        db.use_recovery_code(&alice.id, "a-hash-1", UnixTime(2))
            .await
            .unwrap()
    );
    assert!(
        !db.use_recovery_code(&alice.id, "a-hash-1", UnixTime(3))
            .await
            .unwrap(),
        "once"
    );
    assert!(
        !db.use_recovery_code(&"someone-else".into(), "a-hash-2", UnixTime(3))
            .await
            .unwrap()
    );
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 2);
    db.replace_recovery_codes(&alice.id, &set("b"), &Effects::default(), UnixTime(4))
        .await
        .unwrap();
    assert!(
        !db.use_recovery_code(&alice.id, "a-hash-2", UnixTime(5))
            .await
            .unwrap(),
        "old set ended"
    );
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 3);
}

async fn a_used_code_is_offered_a_new_set_until_answered_or_replaced(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let set = |user: &User, prefix: &str| -> Vec<RecoveryCode> {
        (0..3)
            .map(|i| RecoveryCode {
                id: format!("{prefix}{i}"),
                tenant_id: acme.id.clone(),
                user_id: user.id.clone(),
                code_hash: format!("{prefix}-hash-{i}"),
                created_at: UnixTime(1),
                used_at: None,
            })
            .collect()
    };
    let tally = |user: &User| {
        let (db, id) = (db.clone(), user.id.clone());
        async move { db.recovery_code_tally(&id).await.unwrap() }
    };
    let counts = |unused, used_unanswered| latchkey_core::factors::recovery_codes::CodeTally {
        unused,
        used_unanswered,
    };
    assert_eq!(tally(&alice).await, counts(0, 0), "no codes");
    for (user, prefix) in [(&alice, "a"), (&bob, "b")] {
        db.replace_recovery_codes(
            &user.id,
            &set(user, prefix),
            &Effects::default(),
            UnixTime(1),
        )
        .await
        .unwrap();
    }
    assert_eq!(tally(&alice).await, counts(3, 0));
    assert!(
        db.use_recovery_code(&alice.id, "a-hash-0", UnixTime(2))
            .await
            .unwrap()
    );
    assert!(
        db.use_recovery_code(&bob.id, "b-hash-0", UnixTime(2))
            .await
            .unwrap()
    );
    assert_eq!(tally(&alice).await, counts(2, 1), "offered");

    // "Later" answers the codes used so far, and only the person's.
    db.answer_recovery_code_offer(&alice.id, UnixTime(3))
        .await
        .unwrap();
    assert_eq!(tally(&alice).await, counts(2, 0));
    assert_eq!(tally(&bob).await, counts(2, 1), "bob's offer stands");
    // The next use offers again.
    assert!(
        db.use_recovery_code(&alice.id, "a-hash-1", UnixTime(4))
            .await
            .unwrap()
    );
    assert_eq!(tally(&alice).await, counts(1, 1));
    // A new set replaces every code, and so the offer.
    db.replace_recovery_codes(
        &alice.id,
        &set(&alice, "c"),
        &Effects::default(),
        UnixTime(5),
    )
    .await
    .unwrap();
    assert_eq!(tally(&alice).await, counts(3, 0));
}

async fn concurrent_removals_keep_the_last_factor(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    for round in 0..5 {
        let totp = TotpCredential {
            id: format!("t{round}").into(),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            secret_sealed: "v1.sealed".into(),
            last_used_step: None,
            created_at: UnixTime(1),
        };
        db.insert_totp(&totp, &Effects::default(), UnixTime(1))
            .await
            .unwrap();
        let key = PasskeyCredential {
            id: format!("k{round}").into(),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            name: "key".into(),
            credential_id: format!("cred-{round}"),
            passkey: "{}".into(),
            backup_eligible: false,
            created_at: UnixTime(1),
            last_used_at: None,
            suspected_clone_at: None,
        };
        db.insert_passkey(&key, &Effects::default(), UnixTime(1))
            .await
            .unwrap();
        let (d1, d2, user) = (db.clone(), db.clone(), alice.id.clone());
        let user2 = user.clone();
        let key_id = key.id.clone();
        let app = tokio::spawn(async move {
            d1.delete_totp(&user, true, &Effects::default(), UnixTime(2))
                .await
                .unwrap()
        });
        let passkey = tokio::spawn(async move {
            d2.delete_passkey(
                &user2,
                &key_id,
                true,
                &NOBODY_KEPT,
                &Effects::default(),
                UnixTime(2),
            )
            .await
            .unwrap()
        });
        let mut outcomes = [app.await.unwrap(), passkey.await.unwrap()];
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert_eq!(
            outcomes,
            [FactorRemoval::LastFactor, FactorRemoval::Removed],
            "round {round}: exactly one may go"
        );
        let left = usize::from(db.totp_for_user(&alice.id).await.unwrap().is_some())
            + db.passkeys_for_user(&alice.id).await.unwrap().len();
        assert_eq!(left, 1);
        // clean up for the next round
        let _ = db
            .delete_totp(&alice.id, false, &Effects::default(), UnixTime(3))
            .await;
        for k in db.passkeys_for_user(&alice.id).await.unwrap() {
            db.delete_passkey(
                &alice.id,
                &k.id,
                false,
                &NOBODY_KEPT,
                &Effects::default(),
                UnixTime(3),
            )
            .await
            .unwrap();
        }
    }
}

async fn an_app_is_replaced_only_while_it_is_the_users(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let app = |id: &str, owner: &User, at: i64| TotpCredential {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: owner.id.clone(),
        secret_sealed: format!("v1.sealed-{id}"),
        last_used_step: Some(at / 30),
        created_at: UnixTime(at),
    };
    for (id, owner) in [("a1", &alice), ("b1", &bob)] {
        db.insert_totp(&app(id, owner, 100), &Effects::default(), UnixTime(100))
            .await
            .unwrap();
    }
    let replaced = |at| Effects::audit(event_of(&alice, "factor.totp.replaced", at));
    assert!(
        db.replace_totp(
            &"a1".into(),
            &app("a2", &alice, 200),
            &replaced(200),
            UnixTime(200)
        )
        .await
        .unwrap()
    );
    assert_eq!(
        db.totp_for_user(&alice.id).await.unwrap(),
        Some(app("a2", &alice, 200))
    );
    assert_eq!(events(db, &acme.id).await, ["factor.totp.replaced"]);

    // The old app again (a second tab), or another user's: false, nothing written.
    assert!(
        !db.replace_totp(
            &"a1".into(),
            &app("a3", &alice, 300),
            &replaced(300),
            UnixTime(300)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.replace_totp(
            &"b1".into(),
            &app("a4", &alice, 300),
            &replaced(300),
            UnixTime(300)
        )
        .await
        .unwrap()
    );
    assert_eq!(
        db.totp_for_user(&alice.id).await.unwrap(),
        Some(app("a2", &alice, 200))
    );
    assert_eq!(
        db.totp_for_user(&bob.id).await.unwrap(),
        Some(app("b1", &bob, 100))
    );
    assert_eq!(events(db, &acme.id).await, ["factor.totp.replaced"]);

    // Its effects fail: the old app stays.
    let failing = failing_effects(db, &alice).await;
    assert!(
        db.replace_totp(
            &"a2".into(),
            &app("a5", &alice, 400),
            &failing,
            UnixTime(400)
        )
        .await
        .is_err()
    );
    assert_eq!(
        db.totp_for_user(&alice.id).await.unwrap(),
        Some(app("a2", &alice, 200))
    );
}
