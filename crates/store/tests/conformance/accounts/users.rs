//! Users: unique per tenant, status, role and password hash.

use latchkey_core::accounts::user::{LoginKey, Role, UserStatus};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    users_roundtrip_and_are_unique_per_tenant,
    disabling_a_user_revokes_sessions,
    rehash_only_replaces_the_expected_hash,
    a_role_changes_with_its_effects_for_a_user_of_the_tenant_only,
);

async fn users_roundtrip_and_are_unique_per_tenant(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let by_name = db
        .user_by_login(&acme.id, &LoginKey::Username("alice".into()))
        .await
        .unwrap();
    assert_eq!(by_name.as_ref(), Some(&alice));
    let by_mail = db
        .user_by_login(&acme.id, &LoginKey::Email("alice@example.com".into()))
        .await
        .unwrap();
    assert_eq!(by_mail.as_ref(), Some(&alice));
    assert_eq!(
        db.user_by_id(&acme.id, &alice.id).await.unwrap(),
        Some(alice.clone())
    );

    let same_name = db
        .insert_user(
            &user(&acme, "ALICE", "other@example.com"),
            &Effects::default(),
            UnixTime(1_000),
        )
        .await
        .unwrap_err();
    let StoreError::Unique(c) = same_name else {
        panic!("{same_name:?}")
    };
    assert!(c.contains("username"), "{c}");
    let same_mail = db
        .insert_user(
            &user(&acme, "bob", "Alice@Example.com"),
            &Effects::default(),
            UnixTime(1_000),
        )
        .await
        .unwrap_err();
    let StoreError::Unique(c) = same_mail else {
        panic!("{same_mail:?}")
    };
    assert!(c.contains("email"), "{c}");

    // Another tenant may have the same names; lookups never cross tenants.
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let alice_beta = user(&beta, "alice", "alice@example.com");
    db.insert_user(&alice_beta, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    let found = db
        .user_by_login(&beta.id, &LoginKey::Username("alice".into()))
        .await
        .unwrap();
    assert_eq!(found.map(|u| u.id), Some(alice_beta.id));
    assert_eq!(db.user_by_id(&beta.id, &alice.id).await.unwrap(), None);
    assert_eq!(db.list_users(&acme.id).await.unwrap(), vec![alice]);
}

async fn disabling_a_user_revokes_sessions(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let (_, s) = session_for(&alice, 2_000);
    start(db, &s).await.unwrap();
    assert!(
        db.set_user_status(
            &acme.id,
            &alice.id,
            UserStatus::Disabled,
            &Effects::audit(audit_for(&s, "user.disabled")),
            UnixTime(3_000)
        )
        .await
        .unwrap()
    );
    assert_eq!(db.session_by_hash(&s.id_hash).await.unwrap(), None);
    let events = db.list_audit(&acme.id, 10).await.unwrap();
    assert!(
        events.iter().any(|e| e.event == "user.disabled"),
        "the effects are written"
    );
    let u = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(
        (u.status, u.updated_at),
        (UserStatus::Disabled, UnixTime(3_000))
    );
    assert!(
        !db.set_user_status(
            &acme.id,
            &"no-such-user".into(),
            UserStatus::Disabled,
            &Effects::audit(audit_for(&s, "user.disabled.nobody")),
            UnixTime(3_000)
        )
        .await
        .unwrap()
    );
    let events = db.list_audit(&acme.id, 10).await.unwrap();
    assert!(
        !events.iter().any(|e| e.event == "user.disabled.nobody"),
        "no user, no effects"
    );
}

async fn rehash_only_replaces_the_expected_hash(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    assert!(
        !db.replace_password_hash(&alice.id, "$other", "$new", UnixTime(2))
            .await
            .unwrap()
    );
    assert!(
        db.replace_password_hash(&alice.id, "$argon2id$stub", "$new", UnixTime(2))
            .await
            .unwrap()
    );
    let u = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(u.password_hash.as_deref(), Some("$new"));
}

async fn a_role_changes_with_its_effects_for_a_user_of_the_tenant_only(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let promoted = |at| Effects::audit(event_of(&alice, "user.role_changed", at));
    assert!(
        db.set_user_role(
            &acme.id,
            &alice.id,
            Role::Admin,
            &promoted(2_000),
            UnixTime(2_000)
        )
        .await
        .unwrap()
    );
    let stored = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.role, stored.updated_at),
        (Role::Admin, UnixTime(2_000))
    );
    assert_eq!(events(db, &acme.id).await, ["user.role_changed"]);

    // Through another tenant, or for nobody: false, and nothing is written.
    assert!(
        !db.set_user_role(
            &beta.id,
            &alice.id,
            Role::Member,
            &promoted(2_100),
            UnixTime(2_100)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.set_user_role(
            &acme.id,
            &"no-such-user".into(),
            Role::Member,
            &promoted(2_100),
            UnixTime(2_100)
        )
        .await
        .unwrap()
    );
    assert_eq!(
        db.user_by_id(&acme.id, &alice.id).await.unwrap(),
        Some(stored.clone())
    );
    assert_eq!(events(db, &acme.id).await, ["user.role_changed"]);

    // Its effects fail: the role stays.
    let failing = failing_effects(db, &alice).await;
    assert!(
        db.set_user_role(&acme.id, &alice.id, Role::Member, &failing, UnixTime(2_200))
            .await
            .is_err()
    );
    assert_eq!(
        db.user_by_id(&acme.id, &alice.id).await.unwrap(),
        Some(stored)
    );
}
