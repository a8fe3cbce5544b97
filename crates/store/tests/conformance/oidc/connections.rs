//! The applications connected to a person — by consent or by a live grant,
//! first-party ones too — and removing one's access.

use latchkey_core::accounts::session::AuthMethod;
use latchkey_core::effects::audit::{Actor, AuditEvent, AuditKind};
use latchkey_core::oidc::client::{Client, ClientInput};
use latchkey_core::oidc::{AuthCode, Grant};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::Db;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    every_application_with_a_live_grant_or_a_consent_is_listed,
    a_refresh_is_the_grants_last_use,
    removing_access_revokes_every_grant_and_pending_code_with_its_audit,
);

async fn first_party_client(db: &Db, tenant: &Tenant, name: &str) -> Client {
    let (client, _) = ClientInput {
        name: name.into(),
        redirect_uris: vec!["https://own.example/cb".into()],
        first_party: true,
        ..Default::default()
    }
    .parse(tenant, &OsRandom, UnixTime(1))
    .unwrap();
    db.insert_client(&client, &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    client
}

/// A code for the client and the user, redeemed at `at` for the grant
/// `id`, changed by `change` first.
async fn grant_at(
    db: &Db,
    client: &Client,
    user: &latchkey_core::accounts::user::User,
    id: &str,
    at: i64,
    change: impl FnOnce(&mut Grant),
) {
    let code_hash = format!("code-{id}");
    db.insert_code(&AuthCode {
        code_hash: code_hash.clone(),
        tenant_id: client.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: user.id.clone(),
        session_hash: "s1".into(),
        redirect_uri: "https://app.example/cb".into(),
        scope: "openid".into(),
        nonce: None,
        code_challenge: None,
        auth_time: UnixTime(at),
        amr: vec![AuthMethod::Password],
        created_at: UnixTime(at),
        expires_at: UnixTime(at + 60),
        used_at: None,
        security_stamp: Some(user.security_stamp.clone()),
    })
    .await
    .unwrap();
    let mut grant = Grant {
        id: id.into(),
        tenant_id: client.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: Some(user.id.clone()),
        session_hash: Some("s1".into()),
        scope: "openid".into(),
        amr: vec![AuthMethod::Password],
        auth_time: UnixTime(at),
        security_stamp: Some(user.security_stamp.clone()),
        code_hash: Some(code_hash.clone()),
        created_at: UnixTime(at),
        expires_at: UnixTime(10_000),
        revoked_at: None,
        refresh_generation: 1,
    };
    change(&mut grant);
    assert!(
        db.redeem_code(&code_hash, &grant, UnixTime(at))
            .await
            .unwrap()
    );
}

async fn every_application_with_a_live_grant_or_a_consent_is_listed(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let intranet = first_party_client(db, &acme, "Intranet").await;
    let shop = add_client(db, &acme, "Shop", 2).await;
    let wiki = add_client(db, &acme, "Wiki", 3).await;
    let old = first_party_client(db, &acme, "Archive").await;
    let ended = first_party_client(db, &acme, "Board").await;
    let stale = first_party_client(db, &acme, "Calendar").await;
    let list = |at: i64| {
        let db = db.clone();
        let (id, stamp) = (alice.id.clone(), alice.security_stamp.clone());
        async move {
            db.connections_for_user(&id, &stamp, UnixTime(at))
                .await
                .unwrap()
        }
    };
    assert!(list(100).await.is_empty());

    grant_at(db, &intranet, &alice, "intranet-1", 10, |_| {}).await;
    grant_at(db, &intranet, &alice, "intranet-2", 30, |_| {}).await;
    // a third party with a consent and a grant; another with a consent only
    db.save_consent(&acme.id, &alice.id, &shop.id, "openid", UnixTime(5))
        .await
        .unwrap();
    grant_at(db, &shop, &alice, "shop-1", 20, |_| {}).await;
    db.save_consent(&acme.id, &alice.id, &wiki.id, "openid", UnixTime(6))
        .await
        .unwrap();
    // not live: expired, revoked, made before a password change
    grant_at(db, &old, &alice, "archive", 10, |g| {
        g.expires_at = UnixTime(99)
    })
    .await;
    grant_at(db, &ended, &alice, "board", 10, |g| {
        g.revoked_at = Some(UnixTime(11))
    })
    .await;
    grant_at(db, &stale, &alice, "calendar", 10, |g| {
        g.security_stamp = Some("before-the-password-change".into());
    })
    .await;
    // bob's grant is his
    grant_at(db, &intranet, &bob, "bob-intranet", 40, |_| {}).await;

    assert_eq!(
        list(100).await,
        [
            Connection {
                client_id: intranet.id.clone(),
                client_name: "Intranet".into(),
                first_party: true,
                consented_at: None,
                grants: 2,
                last_used_at: Some(UnixTime(30)),
            },
            Connection {
                client_id: shop.id.clone(),
                client_name: "Shop".into(),
                first_party: false,
                consented_at: Some(UnixTime(5)),
                grants: 1,
                last_used_at: Some(UnixTime(20)),
            },
            Connection {
                client_id: wiki.id.clone(),
                client_name: "Wiki".into(),
                first_party: false,
                consented_at: Some(UnixTime(6)),
                grants: 0,
                last_used_at: None,
            },
        ]
    );
    assert_eq!(
        list(98)
            .await
            .into_iter()
            .map(|c| c.client_name)
            .collect::<Vec<_>>(),
        ["Archive", "Intranet", "Shop", "Wiki"],
        "the archive's grant stands until it expires"
    );
}

async fn a_refresh_is_the_grants_last_use(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let intranet = first_party_client(db, &acme, "Intranet").await;
    grant_at(db, &intranet, &alice, "g", 10, |_| {}).await;
    let last_used = || {
        let db = db.clone();
        let (id, stamp) = (alice.id.clone(), alice.security_stamp.clone());
        async move {
            db.connections_for_user(&id, &stamp, UnixTime(100))
                .await
                .unwrap()[0]
                .last_used_at
        }
    };
    assert_eq!(last_used().await, Some(UnixTime(10)), "granted");
    assert!(
        db.rotate_refresh(&"g".into(), 1, &intranet.id, UnixTime(70))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(last_used().await, Some(UnixTime(70)), "refreshed");
}

async fn removing_access_revokes_every_grant_and_pending_code_with_its_audit(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let intranet = first_party_client(db, &acme, "Intranet").await;
    let wiki = first_party_client(db, &acme, "Wiki").await;
    grant_at(db, &intranet, &alice, "alice-1", 10, |_| {}).await;
    grant_at(db, &intranet, &alice, "alice-2", 20, |_| {}).await;
    grant_at(db, &wiki, &alice, "alice-wiki", 20, |_| {}).await;
    grant_at(db, &intranet, &bob, "bob-1", 20, |_| {}).await;
    // a code handed out and not redeemed yet
    let pending = AuthCode {
        code_hash: "pending".into(),
        ..db.code_by_hash("code-alice-1").await.unwrap().unwrap()
    };
    let pending = AuthCode {
        used_at: None,
        ..pending
    };
    db.insert_code(&pending).await.unwrap();

    let event = |id: &str| AuditEvent {
        id: id.into(),
        tenant_id: Some(acme.id.clone()),
        user_id: Some(alice.id.clone()),
        actor: Actor::User(alice.id.clone()),
        event: AuditKind::ApplicationAccessRemoved.as_str().into(),
        ip: None,
        user_agent: None,
        detail: "{}".into(),
        at: UnixTime(50),
    };
    assert!(
        db.remove_access(
            &alice.id,
            &intranet.id,
            &Effects::audit(event("e1")),
            UnixTime(50)
        )
        .await
        .unwrap()
    );
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
    assert_eq!(revoked_at("alice-1").await, Some(UnixTime(50)));
    assert_eq!(revoked_at("alice-2").await, Some(UnixTime(50)));
    assert_eq!(revoked_at("alice-wiki").await, None, "another application");
    assert_eq!(revoked_at("bob-1").await, None, "another person");
    assert_eq!(
        db.code_by_hash("pending").await.unwrap().unwrap().used_at,
        Some(UnixTime(50)),
        "the pending code can no longer be redeemed"
    );
    assert!(
        !db.redeem_code(
            "pending",
            &db.grant_by_id(&"alice-1".into()).await.unwrap().unwrap(),
            UnixTime(51)
        )
        .await
        .unwrap()
    );
    assert_eq!(
        db.connections_for_user(&alice.id, &alice.security_stamp, UnixTime(60))
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.client_name)
            .collect::<Vec<_>>(),
        ["Wiki"]
    );
    assert_eq!(
        events(db, &acme.id).await,
        ["application.access_removed"],
        "audited with the change"
    );

    // Nothing left to remove: nothing is written, the audit neither.
    assert!(
        !db.remove_access(
            &alice.id,
            &intranet.id,
            &Effects::audit(event("e2")),
            UnixTime(60)
        )
        .await
        .unwrap()
    );
    assert_eq!(
        revoked_at("alice-1").await,
        Some(UnixTime(50)),
        "revoked once"
    );
    assert_eq!(events(db, &acme.id).await.len(), 1);
}
