//! Applications (OAuth clients).

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    a_deleted_client_takes_its_grants_and_codes_with_it,
    clients_are_listed_oldest_first_and_found_in_their_tenant_only,
    an_applications_scopes_are_stored_and_changed,
);

/// The scopes an application may have (decision 0032) are written,
/// read back in their order and replaced by a change.
async fn an_applications_scopes_are_stored_and_changed(t: &TestDb) {
    use latchkey_core::oidc::Scope;
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let (client, _) = latchkey_core::oidc::client::ClientInput {
        name: "Admin tool".into(),
        redirect_uris: vec!["https://app.example/cb".into()],
        first_party: true,
        scopes: vec!["latchkey:admin".into(), "openid".into()],
        ..Default::default()
    }
    .parse(
        &acme,
        &latchkey_core::platform::random::OsRandom,
        UnixTime(1),
    )
    .unwrap();
    db.insert_client(&client, &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    let read = db
        .client_for_change(&acme.id, &client.client_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.scopes, [Scope::OpenId, Scope::Admin]);
    assert_eq!(read, client);
    let mut narrowed = read.clone();
    narrowed.scopes = vec![Scope::OpenId, Scope::Email];
    assert!(
        db.update_client(&narrowed, &Effects::default(), UnixTime(2))
            .await
            .unwrap()
    );
    let read = db
        .client_by_client_id(&acme.id, &client.client_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.scopes, [Scope::OpenId, Scope::Email]);
}

async fn a_deleted_client_takes_its_grants_and_codes_with_it(t: &TestDb) {
    use latchkey_core::oidc::{AuthCode, Grant};
    use latchkey_core::store::{ClientStore, OidcStore};
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let (client, _) = latchkey_core::oidc::client::ClientInput {
        name: "App".into(),
        redirect_uris: vec!["https://app.example/cb".into()],
        ..Default::default()
    }
    .parse(
        &acme,
        &latchkey_core::platform::random::OsRandom,
        UnixTime(1),
    )
    .unwrap();
    db.insert_client(&client, &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    // read once, so this node's cache holds it
    assert!(
        db.client_by_client_id(&acme.id, &client.client_id)
            .await
            .unwrap()
            .is_some()
    );
    let mut renamed = client.clone();
    renamed.name = "Renamed".into();
    renamed.secret_hash = Some("not written by a settings change".into());
    assert!(
        db.update_client(&renamed, &Effects::default(), UnixTime(2))
            .await
            .unwrap()
    );
    let read = db
        .client_by_client_id(&acme.id, &client.client_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.name, "Renamed", "seen at once, not after the cache");
    assert_eq!(read.secret_hash, client.secret_hash, "the secret stays");
    assert!(
        db.set_client_secret(&renamed, "other", &Effects::default(), UnixTime(2))
            .await
            .unwrap()
    );
    let read = db
        .client_by_client_id(&acme.id, &client.client_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.secret_hash.as_deref(), Some("other"));
    assert_eq!(
        db.client_for_change(&acme.id, &client.client_id)
            .await
            .unwrap(),
        Some(read)
    );

    for (code_hash, grant_id) in [("c1", "g1"), ("c2", "g2")] {
        db.insert_code(&AuthCode {
            code_hash: code_hash.into(),
            tenant_id: acme.id.clone(),
            client_id: client.id.clone(),
            user_id: alice.id.clone(),
            session_hash: "s".into(),
            redirect_uri: "https://app.example/cb".into(),
            scope: "openid".into(),
            nonce: None,
            code_challenge: None,
            auth_time: UnixTime(1),
            amr: vec![],
            created_at: UnixTime(1),
            expires_at: UnixTime(100),
            used_at: None,
            security_stamp: None,
        })
        .await
        .unwrap();
        if grant_id == "g1" {
            let grant = Grant {
                id: grant_id.into(),
                tenant_id: acme.id.clone(),
                client_id: client.id.clone(),
                user_id: Some(alice.id.clone()),
                session_hash: None,
                scope: "openid".into(),
                amr: vec![],
                auth_time: UnixTime(1),
                security_stamp: None,
                code_hash: Some(code_hash.into()),
                created_at: UnixTime(1),
                expires_at: UnixTime(10_000),
                revoked_at: None,
                refresh_generation: 1,
            };
            assert!(
                db.redeem_code(code_hash, &grant, UnixTime(2))
                    .await
                    .unwrap()
            );
        }
    }
    assert!(
        db.delete_client(&renamed, &Effects::default(), UnixTime(3))
            .await
            .unwrap()
    );
    assert!(
        db.client_by_client_id(&acme.id, &client.client_id)
            .await
            .unwrap()
            .is_none(),
        "gone at once, not after the cache"
    );
    assert!(db.grant_by_id(&"g1".into()).await.unwrap().is_none());
    assert!(db.code_by_hash("c2").await.unwrap().is_none());
    assert!(
        !db.delete_client(&renamed, &Effects::default(), UnixTime(4))
            .await
            .unwrap(),
        "twice: nothing left"
    );
    assert!(
        !db.update_client(&renamed, &Effects::default(), UnixTime(4))
            .await
            .unwrap()
    );
}

async fn clients_are_listed_oldest_first_and_found_in_their_tenant_only(t: &TestDb) {
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    assert!(db.list_clients(&acme.id).await.unwrap().is_empty());
    let shop = add_client(db, &acme, "Shop", 20).await;
    let wiki = add_client(db, &acme, "Wiki", 10).await;
    let other = add_client(db, &beta, "Beta app", 5).await;
    assert_eq!(
        db.list_clients(&acme.id).await.unwrap(),
        [wiki, shop.clone()]
    );
    assert_eq!(
        db.list_clients(&beta.id).await.unwrap(),
        std::slice::from_ref(&other)
    );
    assert_eq!(
        db.client_by_client_id(&acme.id, &shop.client_id)
            .await
            .unwrap(),
        Some(shop.clone())
    );
    assert_eq!(
        db.client_by_client_id(&beta.id, &shop.client_id)
            .await
            .unwrap(),
        None,
        "another tenant's client is not found"
    );
    assert_eq!(
        db.client_for_change(&acme.id, &other.client_id)
            .await
            .unwrap(),
        None
    );
    let err = db
        .insert_client(
            &latchkey_core::oidc::client::Client {
                id: "another-row".into(),
                ..shop
            },
            &Effects::default(),
            UnixTime(30),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Unique(_)),
        "{err:?}: a taken client id"
    );
}
