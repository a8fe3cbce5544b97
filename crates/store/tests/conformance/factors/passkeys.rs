//! Passkeys and their ceremonies.

use latchkey_core::accounts::user::{User, new_security_stamp};
use latchkey_core::factors::passkey::{Ceremony, CeremonyKind, PasskeyCredential};
use latchkey_core::factors::recovery_codes::RecoveryCode;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::SessionHash;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    passkey_ceremonies_are_taken_once,
    passkeys_are_per_user_and_the_last_factor_takes_the_codes,
    a_passkey_use_counts_only_over_the_state_it_was_checked_against,
    removing_a_passkey_signs_everyone_else_out,
);

async fn passkey_ceremonies_are_taken_once(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let ceremony = |id: &str, session: Option<&str>, kind| Ceremony {
        id_hash: id.into(),
        tenant_id: acme.id.clone(),
        user_id: session.map(|_| alice.id.clone()),
        session_hash: session.map(SessionHash::from),
        kind,
        name: Some("YubiKey".into()),
        state_sealed: format!("v1.state-{id}"),
        expires_at: UnixTime(100),
    };
    let first = ceremony("c1", Some("s1"), CeremonyKind::Register);
    db.insert_passkey_ceremony(&first, UnixTime(1))
        .await
        .unwrap();
    assert_eq!(db.take_passkey_ceremony("c1").await.unwrap(), Some(first));
    assert_eq!(db.take_passkey_ceremony("c1").await.unwrap(), None, "once");

    // a new ceremony of the same kind in the same session ends the earlier one
    for id in ["c2", "c3"] {
        db.insert_passkey_ceremony(
            &ceremony(id, Some("s1"), CeremonyKind::SecondFactor),
            UnixTime(1),
        )
        .await
        .unwrap();
    }
    db.insert_passkey_ceremony(
        &ceremony("c4", Some("s1"), CeremonyKind::Register),
        UnixTime(1),
    )
    .await
    .unwrap();
    db.insert_passkey_ceremony(
        &ceremony("c5", None, CeremonyKind::Passwordless),
        UnixTime(1),
    )
    .await
    .unwrap();
    assert_eq!(db.take_passkey_ceremony("c2").await.unwrap(), None);
    assert!(db.take_passkey_ceremony("c3").await.unwrap().is_some());

    // concurrent takes: exactly one gets it
    db.insert_passkey_ceremony(
        &ceremony("c6", None, CeremonyKind::Passwordless),
        UnixTime(1),
    )
    .await
    .unwrap();
    let mut tasks = vec![];
    for _ in 0..10 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.take_passkey_ceremony("c6").await.unwrap().is_some()
        }));
    }
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1);

    assert_eq!(db.purge_passkey_ceremonies(UnixTime(100)).await.unwrap(), 0);
    assert_eq!(db.purge_passkey_ceremonies(UnixTime(101)).await.unwrap(), 2);
    assert_eq!(db.take_passkey_ceremony("c4").await.unwrap(), None);
}

async fn passkeys_are_per_user_and_the_last_factor_takes_the_codes(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = user(&acme, "bob", "bob@example.com");
    db.insert_user(&bob, &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    let key = |id: &str, owner: &User, credential_id: &str| PasskeyCredential {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: owner.id.clone(),
        name: format!("key {id}"),
        credential_id: credential_id.into(),
        passkey: "{}".into(),
        backup_eligible: id == "k2",
        created_at: UnixTime(i64::from(id.as_bytes()[1])),
        last_used_at: None,
        suspected_clone_at: None,
    };
    db.insert_passkey(
        &key("k1", &alice, "cred-a"),
        &Effects::default(),
        UnixTime(1),
    )
    .await
    .unwrap();
    db.insert_passkey(
        &key("k2", &alice, "cred-b"),
        &Effects::default(),
        UnixTime(1),
    )
    .await
    .unwrap();
    let err = db
        .insert_passkey(
            &key("k3", &alice, "cred-a"),
            &Effects::default(),
            UnixTime(1),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    // nor may anyone else (WebAuthn §7.1)
    let err = db
        .insert_passkey(&key("k5", &bob, "cred-a"), &Effects::default(), UnixTime(1))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    db.insert_passkey(&key("k4", &bob, "cred-c"), &Effects::default(), UnixTime(1))
        .await
        .unwrap();

    let keys = db.passkeys_for_user(&alice.id).await.unwrap();
    assert_eq!(
        keys.iter()
            .map(|k| (k.id.as_str(), k.backup_eligible))
            .collect::<Vec<_>>(),
        [("k1", false), ("k2", true)]
    );
    assert!(
        db.record_passkey_use(&"k1".into(), "{}", "{\"counter\":2}", true, UnixTime(9))
            .await
            .unwrap()
    );
    assert!(
        db.rename_passkey(
            &alice.id,
            &"k1".into(),
            "Blue key",
            &Effects::default(),
            UnixTime(9)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.rename_passkey(
            &bob.id,
            &"k1".into(),
            "stolen",
            &Effects::default(),
            UnixTime(9)
        )
        .await
        .unwrap(),
        "only the owner renames"
    );
    let k1 = db.passkeys_for_user(&alice.id).await.unwrap().remove(0);
    assert_eq!(
        (
            k1.name.as_str(),
            k1.passkey.as_str(),
            k1.backup_eligible,
            k1.last_used_at
        ),
        ("Blue key", "{\"counter\":2}", true, Some(UnixTime(9)))
    );

    let codes = vec![RecoveryCode {
        id: "rc1".into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        code_hash: "h".into(),
        created_at: UnixTime(1),
        used_at: None,
    }];
    db.replace_recovery_codes(&alice.id, &codes, &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    assert!(
        db.delete_passkey(
            &bob.id,
            &"k1".into(),
            false,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap()
            == FactorRemoval::NotFound,
        "only the owner removes"
    );
    assert!(
        db.delete_passkey(
            &alice.id,
            &"k1".into(),
            false,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap()
            == FactorRemoval::Removed
    );
    assert_eq!(
        db.unused_recovery_codes(&alice.id).await.unwrap(),
        1,
        "another factor remains"
    );
    assert_eq!(
        db.delete_passkey(
            &alice.id,
            &"k2".into(),
            true,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap(),
        FactorRemoval::LastFactor,
        "kept: the last one"
    );
    assert_eq!(db.passkeys_for_user(&alice.id).await.unwrap().len(), 1);
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 1);
    assert!(
        db.delete_passkey(
            &alice.id,
            &"k2".into(),
            false,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap()
            == FactorRemoval::Removed
    );
    assert_eq!(
        db.unused_recovery_codes(&alice.id).await.unwrap(),
        0,
        "the last factor takes the codes"
    );
    assert_eq!(db.passkeys_for_user(&bob.id).await.unwrap().len(), 1);
}

async fn a_passkey_use_counts_only_over_the_state_it_was_checked_against(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    db.insert_passkey(
        &passkey_of(&alice, "k1", "{\"counter\":1}"),
        &Effects::default(),
        UnixTime(1_100),
    )
    .await
    .unwrap();
    assert!(
        db.record_passkey_use(
            &"k1".into(),
            "{\"counter\":1}",
            "{\"counter\":2}",
            false,
            UnixTime(1_200)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.record_passkey_use(
            &"k1".into(),
            "{\"counter\":1}",
            "{\"counter\":2}",
            false,
            UnixTime(1_300)
        )
        .await
        .unwrap(),
        "checked against a counter another use has moved on"
    );
    let stored = db.passkeys_for_user(&alice.id).await.unwrap().remove(0);
    assert_eq!(
        (
            stored.passkey.as_str(),
            stored.last_used_at,
            stored.signs_in()
        ),
        ("{\"counter\":2}", Some(UnixTime(1_200)), true)
    );

    let (_, s) = session_for(&alice, 1_400);
    let marked = |event: &str| Effects::audit(audit_for(&s, event));
    assert!(
        db.mark_passkey_cloned(
            &"k1".into(),
            &marked("factor.passkey.clone_suspected"),
            UnixTime(1_400)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.mark_passkey_cloned(
            &"k1".into(),
            &marked("factor.passkey.clone_suspected"),
            UnixTime(1_500)
        )
        .await
        .unwrap(),
        "marked once"
    );
    let events = db.list_audit(&acme.id, 10).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event == "factor.passkey.clone_suspected")
            .count(),
        1,
        "the effects of the first mark only"
    );
    let stored = db.passkeys_for_user(&alice.id).await.unwrap().remove(0);
    assert_eq!(stored.suspected_clone_at, Some(UnixTime(1_400)));
    assert!(!stored.signs_in());
    assert!(
        !db.record_passkey_use(
            &"k1".into(),
            "{\"counter\":2}",
            "{\"counter\":3}",
            false,
            UnixTime(1_600)
        )
        .await
        .unwrap(),
        "a suspected copy records no use"
    );
}

async fn removing_a_passkey_signs_everyone_else_out(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = user(&acme, "bob", "bob@example.com");
    db.insert_user(&bob, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    for id in ["k1", "k2"] {
        db.insert_passkey(
            &passkey_of(&alice, id, "{}"),
            &Effects::default(),
            UnixTime(1_100),
        )
        .await
        .unwrap();
    }
    let (_, kept) = session_for(&alice, 2_000);
    let (_, other) = session_for(&alice, 2_000);
    let (_, bobs) = session_for(&bob, 2_000);
    for s in [&kept, &other, &bobs] {
        start(db, s).await.unwrap();
    }
    let stamp = new_security_stamp(&OsRandom);
    let renewed = SecretToken::generate(&OsRandom);
    let others = SignOutOthers {
        security_stamp: &stamp,
        keep_session: &kept.id_hash,
        new_session: &renewed.hash().into(),
    };
    assert_eq!(
        db.delete_passkey(
            &alice.id,
            &"k1".into(),
            true,
            &others,
            &Effects::default(),
            UnixTime(2_100)
        )
        .await
        .unwrap(),
        FactorRemoval::Removed
    );
    assert_eq!(db.session_by_hash(&other.id_hash).await.unwrap(), None);
    assert_eq!(db.session_by_hash(&kept.id_hash).await.unwrap(), None);
    let stays = db
        .session_by_hash(&renewed.hash().into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stays.security_stamp, stamp,
        "the kept session takes the new stamp"
    );
    let alice_now = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(alice_now.security_stamp, stamp);
    assert!(
        db.session_by_hash(&bobs.id_hash).await.unwrap().is_some(),
        "other users are not touched"
    );

    // A refused removal changes nothing, sessions included.
    let (_, later) = session_for(&alice_now, 2_200);
    start(db, &later).await.unwrap();
    let again = SignOutOthers {
        security_stamp: "another-stamp",
        keep_session: &later.id_hash,
        new_session: &"unused".into(),
    };
    assert_eq!(
        db.delete_passkey(
            &alice.id,
            &"k2".into(),
            true,
            &again,
            &Effects::default(),
            UnixTime(2_300)
        )
        .await
        .unwrap(),
        FactorRemoval::LastFactor
    );
    assert!(
        db.session_by_hash(&renewed.hash().into())
            .await
            .unwrap()
            .is_some()
    );
    assert!(db.session_by_hash(&later.id_hash).await.unwrap().is_some());
    let alice_now = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(alice_now.security_stamp, stamp);
}
