//! What users allowed applications: one consent per user and application,
//! listed oldest first; removing an application's access ends the consent
//! with the user's grants to it.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    a_consent_is_saved_replaced_and_listed_oldest_first,
    removing_access_ends_the_consent_and_that_users_grants_to_that_application,
);

async fn a_consent_is_saved_replaced_and_listed_oldest_first(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let shop = add_client(db, &acme, "Shop", 1).await;
    let wiki = add_client(db, &acme, "Wiki", 2).await;
    assert_eq!(db.consent(&alice.id, &shop.id).await.unwrap(), None);
    assert!(db.consents_for_user(&alice.id).await.unwrap().is_empty());

    db.save_consent(&acme.id, &alice.id, &shop.id, "openid", UnixTime(10))
        .await
        .unwrap();
    assert_eq!(
        db.consent(&alice.id, &shop.id).await.unwrap().as_deref(),
        Some("openid")
    );
    db.save_consent(
        &acme.id,
        &alice.id,
        &wiki.id,
        "openid profile",
        UnixTime(20),
    )
    .await
    .unwrap();
    // Asked again with more scope: the consent is replaced, not doubled.
    db.save_consent(&acme.id, &alice.id, &shop.id, "openid email", UnixTime(30))
        .await
        .unwrap();
    assert_eq!(
        db.consent(&alice.id, &shop.id).await.unwrap().as_deref(),
        Some("openid email")
    );
    assert_eq!(
        db.consents_for_user(&alice.id).await.unwrap(),
        [
            Consent {
                client_id: wiki.id.clone(),
                client_name: "Wiki".into(),
                scope: "openid profile".into(),
                granted_at: UnixTime(20),
            },
            Consent {
                client_id: shop.id.clone(),
                client_name: "Shop".into(),
                scope: "openid email".into(),
                granted_at: UnixTime(30),
            },
        ]
    );
    assert_eq!(
        db.consent(&bob.id, &shop.id).await.unwrap(),
        None,
        "alice's consent is hers"
    );
    assert!(db.consents_for_user(&bob.id).await.unwrap().is_empty());
}

async fn removing_access_ends_the_consent_and_that_users_grants_to_that_application(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let shop = add_client(db, &acme, "Shop", 1).await;
    let wiki = add_client(db, &acme, "Wiki", 2).await;
    for (user, client) in [(&alice, &shop), (&alice, &wiki), (&bob, &shop)] {
        db.save_consent(&acme.id, &user.id, &client.id, "openid", UnixTime(10))
            .await
            .unwrap();
    }
    redeemed_grant(db, &shop, &alice, "alice-shop-1", "s1").await;
    redeemed_grant(db, &shop, &alice, "alice-shop-2", "s2").await;
    redeemed_grant(db, &wiki, &alice, "alice-wiki", "s1").await;
    redeemed_grant(db, &shop, &bob, "bob-shop", "s3").await;

    assert!(
        db.remove_access(&alice.id, &shop.id, &Effects::default(), UnixTime(50))
            .await
            .unwrap()
    );
    assert_eq!(db.consent(&alice.id, &shop.id).await.unwrap(), None);
    let revoked_at = |id: &'static str| {
        let db = db.clone();
        async move {
            db.grant_by_id(&id.into())
                .await
                .unwrap()
                .unwrap()
                .revoked_at
        }
    };
    assert_eq!(revoked_at("alice-shop-1").await, Some(UnixTime(50)));
    assert_eq!(revoked_at("alice-shop-2").await, Some(UnixTime(50)));
    assert_eq!(revoked_at("alice-wiki").await, None, "another application");
    assert_eq!(revoked_at("bob-shop").await, None, "another user");
    assert_eq!(
        db.consent(&alice.id, &wiki.id).await.unwrap().as_deref(),
        Some("openid")
    );
    assert_eq!(
        db.consent(&bob.id, &shop.id).await.unwrap().as_deref(),
        Some("openid")
    );
    assert_eq!(
        db.consents_for_user(&alice.id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.client_name)
            .collect::<Vec<_>>(),
        ["Wiki"]
    );
    assert!(
        !db.remove_access(&alice.id, &shop.id, &Effects::default(), UnixTime(60))
            .await
            .unwrap(),
        "none left"
    );
    assert_eq!(
        revoked_at("alice-shop-1").await,
        Some(UnixTime(50)),
        "revoked once"
    );
}
