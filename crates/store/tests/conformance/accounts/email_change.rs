//! Changes of address: one open change per person; the link is used once,
//! only while the account has the address it replaces; a taken address is
//! a unique violation and changes nothing.

use latchkey_core::accounts::email_change::EmailChange;
use latchkey_core::accounts::user::User;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    a_change_of_address_is_used_once_while_the_old_address_stands,
    a_newer_change_replaces_the_open_one_and_cancelling_ends_it,
    an_address_another_account_has_changes_nothing,
);

fn audit(tenant: &Tenant, user: &User) -> latchkey_core::effects::audit::AuditEvent {
    let (_, s) = session_for(user, 10);
    latchkey_core::effects::audit::AuditEvent {
        tenant_id: Some(tenant.id.clone()),
        ..audit_for(&s, "email.changed")
    }
}

fn change(tenant: &Tenant, user: &User, id: &str, to: &str, at: i64) -> EmailChange {
    EmailChange {
        id: id.into(),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        new_email: to.into(),
        new_email_key: to.to_lowercase(),
        old_email_key: user.email_key.clone(),
        token_hash: format!("hash-{id}"),
        created_at: UnixTime(at),
        expires_at: UnixTime(at + 100),
        used_at: None,
    }
}

async fn a_change_of_address_is_used_once_while_the_old_address_stands(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let c = change(&acme, &alice, "c1", "Alice@New.example", 10);
    db.insert_email_change(&c, &Effects::audit(audit(&acme, &alice)), UnixTime(10))
        .await
        .unwrap();
    assert_eq!(
        db.email_change_by_hash("hash-c1").await.unwrap(),
        Some(c.clone())
    );
    assert_eq!(db.email_change_by_hash("hash-none").await.unwrap(), None);
    assert_eq!(
        db.open_email_change(&alice.id, UnixTime(20)).await.unwrap(),
        Some(c.clone())
    );
    assert_eq!(
        db.open_email_change(&alice.id, UnixTime(110))
            .await
            .unwrap(),
        None,
        "expired"
    );
    // past its time: nothing
    assert!(
        !db.apply_email_change(&c, &Effects::default(), UnixTime(110))
            .await
            .unwrap()
    );
    assert!(
        db.apply_email_change(&c, &Effects::audit(audit(&acme, &alice)), UnixTime(30))
            .await
            .unwrap()
    );
    let now = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(now.email, "Alice@New.example");
    assert_eq!(now.email_key, "alice@new.example");
    assert!(now.email_verified);
    assert_eq!(now.email_changed_at, Some(UnixTime(30)));
    assert_eq!(
        db.email_change_by_hash("hash-c1")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        Some(UnixTime(30))
    );
    assert_eq!(
        db.open_email_change(&alice.id, UnixTime(31)).await.unwrap(),
        None
    );
    assert!(
        !db.apply_email_change(&c, &Effects::default(), UnixTime(31))
            .await
            .unwrap(),
        "only once"
    );
    // a change made for the address before: the account moved on
    let stale = change(&acme, &alice, "c2", "other@example.com", 40);
    db.insert_email_change(&stale, &Effects::default(), UnixTime(40))
        .await
        .unwrap();
    assert!(
        !db.apply_email_change(&stale, &Effects::default(), UnixTime(41))
            .await
            .unwrap()
    );
    assert_eq!(
        db.email_change_by_hash("hash-c2")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        None,
        "rolled back"
    );
}

async fn a_newer_change_replaces_the_open_one_and_cancelling_ends_it(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let first = change(&acme, &alice, "c1", "one@example.com", 10);
    let second = change(&acme, &alice, "c2", "two@example.com", 11);
    db.insert_email_change(&first, &Effects::default(), UnixTime(10))
        .await
        .unwrap();
    db.insert_email_change(&second, &Effects::default(), UnixTime(11))
        .await
        .unwrap();
    assert_eq!(db.email_change_by_hash("hash-c1").await.unwrap(), None);
    assert_eq!(
        db.open_email_change(&alice.id, UnixTime(12)).await.unwrap(),
        Some(second.clone())
    );
    let cancelled = Effects::audit(audit(&acme, &alice));
    assert!(
        db.cancel_email_change(&alice.id, &cancelled, UnixTime(13))
            .await
            .unwrap()
    );
    assert_eq!(
        db.open_email_change(&alice.id, UnixTime(14)).await.unwrap(),
        None
    );
    assert!(
        !db.apply_email_change(&second, &Effects::default(), UnixTime(14))
            .await
            .unwrap()
    );
    // nothing open: nothing written, not even the audit event
    let before = db.list_audit(&acme.id, 100).await.unwrap().len();
    assert!(
        !db.cancel_email_change(&alice.id, &cancelled, UnixTime(15))
            .await
            .unwrap()
    );
    assert_eq!(db.list_audit(&acme.id, 100).await.unwrap().len(), before);
}

async fn an_address_another_account_has_changes_nothing(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = user(&acme, "bob", "bob@example.com");
    db.insert_user(&bob, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    let c = change(&acme, &alice, "c1", "BOB@example.com", 10);
    db.insert_email_change(&c, &Effects::default(), UnixTime(10))
        .await
        .unwrap();
    let err = db
        .apply_email_change(&c, &Effects::audit(audit(&acme, &alice)), UnixTime(11))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Unique(name) if name.contains("email")),
        "{err:?}"
    );
    let still = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(still.email_key, alice.email_key);
    assert_eq!(still.email_changed_at, None);
    assert_eq!(
        db.email_change_by_hash("hash-c1")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        None
    );
    assert!(db.list_audit(&acme.id, 100).await.unwrap().is_empty());
}
