//! Email verifications: used once, for the address they were sent to.

use latchkey_core::accounts::user::UserStatus;
use latchkey_core::effects::mail::EmailVerification;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    email_verifications_are_used_once_for_the_address_they_were_sent_to,
);

async fn email_verifications_are_used_once_for_the_address_they_were_sent_to(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    db.set_user_status(
        &acme.id,
        &alice.id,
        UserStatus::Active,
        &Effects::default(),
        UnixTime(1),
    )
    .await
    .unwrap();
    let v = |id: &str, email_key: &str| EmailVerification {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        email_key: email_key.into(),
        token_hash: format!("hash-{id}"),
        created_at: UnixTime(10),
        expires_at: UnixTime(100),
        used_at: None,
    };
    let current = v("v1", &alice.email_key);
    let stale = v("v2", "old@example.com");
    let effects = Effects {
        email_verifications: vec![current.clone(), stale.clone()],
        ..Default::default()
    };
    db.apply(&effects, UnixTime(10)).await.unwrap();
    assert_eq!(
        db.email_verification_by_hash("hash-v1").await.unwrap(),
        Some(current.clone())
    );
    assert_eq!(
        db.email_verification_by_hash("hash-none").await.unwrap(),
        None
    );

    // a link for an address the user no longer has changes nothing
    assert!(
        !db.consume_email_verification(&stale, &Effects::default(), UnixTime(20))
            .await
            .unwrap()
    );
    assert_eq!(
        db.email_verification_by_hash("hash-v2")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        None
    );

    assert!(
        db.consume_email_verification(&current, &Effects::default(), UnixTime(20))
            .await
            .unwrap()
    );
    assert_eq!(
        db.email_verification_by_hash("hash-v1")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        Some(UnixTime(20))
    );
    assert!(
        db.user_by_id(&acme.id, &alice.id)
            .await
            .unwrap()
            .unwrap()
            .email_verified
    );
    assert!(
        !db.consume_email_verification(&current, &Effects::default(), UnixTime(21))
            .await
            .unwrap(),
        "only once"
    );
}
