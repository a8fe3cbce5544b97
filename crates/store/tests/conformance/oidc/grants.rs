//! Codes, grants and refresh generations.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::ClientRowId;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    oauth_records_are_purged_once_they_can_no_longer_be_used,
    a_refresh_generation_moves_on_once_under_concurrency,
    a_revoked_client_token_is_kept_until_it_expires,
    grants_end_by_their_code_by_their_session_or_one_by_one,
    a_users_grant_is_read_with_its_user,
);

async fn oauth_records_are_purged_once_they_can_no_longer_be_used(t: &TestDb) {
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
    let code = |hash: &str, expires: i64| AuthCode {
        code_hash: hash.into(),
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
        expires_at: UnixTime(expires),
        used_at: None,
        security_stamp: Some(alice.security_stamp.clone()),
    };
    db.insert_code(&code("old", 100)).await.unwrap();
    db.insert_code(&code("recent", 200_000)).await.unwrap();
    let grant = |id: &str, code_hash: &str, expires: i64| Grant {
        id: id.into(),
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
        expires_at: UnixTime(expires),
        revoked_at: None,
        refresh_generation: 1,
    };
    assert!(
        db.redeem_code("old", &grant("g-old", "old", 100), UnixTime(50))
            .await
            .unwrap()
    );
    assert!(
        db.redeem_code("recent", &grant("g-new", "recent", 900_000), UnixTime(50))
            .await
            .unwrap()
    );
    assert!(
        db.use_assertion("j-old", &client.id, UnixTime(100))
            .await
            .unwrap()
    );
    assert!(
        db.use_assertion("j-new", &client.id, UnixTime(900_000))
            .await
            .unwrap()
    );
    // a day and a bit later: the old code, grant and assertion go
    let removed = db.purge_oauth(UnixTime(100 + 24 * 3600 + 1)).await.unwrap();
    assert_eq!(removed, 3);
    assert!(db.grant_by_id(&"g-old".into()).await.unwrap().is_none());
    assert!(db.grant_by_id(&"g-new".into()).await.unwrap().is_some());
    assert!(db.code_by_hash("recent").await.unwrap().is_some());
    assert!(
        db.use_assertion("j-old", &client.id, UnixTime(900_000))
            .await
            .unwrap(),
        "a purged jti is free again (it expired long ago)"
    );
    assert!(
        !db.use_assertion("j-new", &client.id, UnixTime(900_000))
            .await
            .unwrap()
    );
}

async fn a_refresh_generation_moves_on_once_under_concurrency(t: &TestDb) {
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
    for g in ["g1", "g2", "g3"] {
        db.insert_code(&AuthCode {
            code_hash: format!("code-{g}"),
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
        let grant = Grant {
            id: g.into(),
            tenant_id: acme.id.clone(),
            client_id: client.id.clone(),
            user_id: Some(alice.id.clone()),
            session_hash: None,
            scope: "openid".into(),
            amr: vec![],
            auth_time: UnixTime(1),
            security_stamp: None,
            code_hash: None,
            created_at: UnixTime(1),
            expires_at: UnixTime(10_000),
            revoked_at: None,
            refresh_generation: 1,
        };
        assert!(
            db.redeem_code(&format!("code-{g}"), &grant, UnixTime(2))
                .await
                .unwrap()
        );
    }
    // 30 uses of g1's generation 1 at once, with other grants' refreshes
    // in between: exactly one moves g1 on; g2 and g3 move on too.
    let mut tasks = vec![];
    for i in 0..30 {
        let db = db.clone();
        let client_id = client.id.clone();
        tasks.push(tokio::spawn(async move {
            let grant = ["g1", "g2", "g3"][usize::from(i % 10 == 3) + usize::from(i % 10 == 7) * 2];
            let moved = db
                .rotate_refresh(&grant.into(), 1, &client_id, UnixTime(3))
                .await
                .unwrap();
            if let Some((g, user)) = &moved {
                assert_eq!((g.id.as_str(), g.refresh_generation), (grant, 2));
                assert_eq!(user.username, "alice");
            }
            (grant, moved.is_some())
        }));
    }
    let mut wins = std::collections::HashMap::new();
    for t in tasks {
        let (grant, won) = t.await.unwrap();
        *wins.entry(grant).or_insert(0) += i32::from(won);
    }
    assert_eq!(wins["g1"], 1, "{wins:?}");
    assert_eq!(wins["g2"], 1, "{wins:?}");
    assert_eq!(wins["g3"], 1, "{wins:?}");
    assert_eq!(
        db.grant_by_id(&"g1".into())
            .await
            .unwrap()
            .unwrap()
            .refresh_generation,
        2
    );
    // a revoked grant does not move
    db.revoke_grant(&"g2".into(), UnixTime(4)).await.unwrap();
    let rotate = |grant: &'static str, generation: i64, client: ClientRowId, now: i64| {
        let db = db.clone();
        async move {
            db.rotate_refresh(&grant.into(), generation, &client, UnixTime(now))
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(!rotate("g2", 2, client.id.clone(), 5).await);
    // another client's grant, or an expired one, does not move either
    assert!(!rotate("g1", 2, "another-client".into(), 5).await);
    assert!(!rotate("g1", 2, client.id.clone(), 10_000).await);
    assert!(rotate("g1", 2, client.id.clone(), 5).await);
    assert!(!rotate("g1", 2, client.id.clone(), 5).await, "once");
}

/// A client-credentials token's revocation: stored as a revoked grant (once,
/// however often it is revoked), purged a day after the token expired.
async fn a_revoked_client_token_is_kept_until_it_expires(t: &TestDb) {
    use latchkey_core::oidc::Grant;
    use latchkey_core::store::{ClientStore, OidcStore};
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let (client, _) = latchkey_core::oidc::client::ClientInput {
        name: "Service".into(),
        grant_types: vec!["client_credentials".into()],
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
    let revoked = |at: i64| Grant {
        id: "cc-1".into(),
        tenant_id: acme.id.clone(),
        client_id: client.id.clone(),
        user_id: None,
        session_hash: None,
        scope: String::new(),
        amr: vec![],
        auth_time: UnixTime(10),
        security_stamp: None,
        code_hash: None,
        created_at: UnixTime(10),
        expires_at: UnixTime(610),
        revoked_at: Some(UnixTime(at)),
        refresh_generation: 0,
    };
    db.insert_revoked_grant(&revoked(20)).await.unwrap();
    db.insert_revoked_grant(&revoked(30)).await.unwrap();
    let stored = db.grant_by_id(&"cc-1".into()).await.unwrap().unwrap();
    assert_eq!(stored, revoked(20), "the first revocation stands");
    assert_eq!(db.purge_oauth(UnixTime(610 + 24 * 3600)).await.unwrap(), 0);
    assert!(db.grant_by_id(&"cc-1".into()).await.unwrap().is_some());
    assert_eq!(db.purge_oauth(UnixTime(611 + 24 * 3600)).await.unwrap(), 1);
    assert!(db.grant_by_id(&"cc-1".into()).await.unwrap().is_none());
}

async fn grants_end_by_their_code_by_their_session_or_one_by_one(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let shop = add_client(db, &acme, "Shop", 1).await;
    let g1 = redeemed_grant(db, &shop, &alice, "g1", "session-a").await;
    redeemed_grant(db, &shop, &alice, "g2", "session-a").await;
    redeemed_grant(db, &shop, &alice, "g3", "session-b").await;
    redeemed_grant(db, &shop, &bob, "g4", "session-c").await;
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

    // A code presented twice: what it gave ends.
    db.revoke_grants_of_code(g1.code_hash.as_deref().unwrap(), UnixTime(10))
        .await
        .unwrap();
    assert_eq!(revoked_at("g1").await, Some(UnixTime(10)));
    assert_eq!(revoked_at("g2").await, None, "another code's");

    // Sign-out: every grant of the session ends; how many ended now.
    assert_eq!(
        db.revoke_session_grants(&"session-a".into(), UnixTime(20))
            .await
            .unwrap(),
        1,
        "g2 (g1 had ended)"
    );
    assert_eq!(revoked_at("g1").await, Some(UnixTime(10)), "kept its time");
    assert_eq!(revoked_at("g2").await, Some(UnixTime(20)));
    assert_eq!(revoked_at("g3").await, None, "another session's");
    assert_eq!(
        db.revoke_session_grants(&"session-a".into(), UnixTime(30))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        db.revoke_session_grants(&"no-such-session".into(), UnixTime(30))
            .await
            .unwrap(),
        0
    );

    // One by one: once.
    db.revoke_grant(&"g3".into(), UnixTime(40)).await.unwrap();
    db.revoke_grant(&"g3".into(), UnixTime(50)).await.unwrap();
    assert_eq!(revoked_at("g3").await, Some(UnixTime(40)));
    assert_eq!(revoked_at("g4").await, None);
    db.revoke_grant(&"no-such-grant".into(), UnixTime(50))
        .await
        .unwrap();
}

async fn a_users_grant_is_read_with_its_user(t: &TestDb) {
    use latchkey_core::oidc::Grant;
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let shop = add_client(db, &acme, "Shop", 1).await;
    let grant = redeemed_grant(db, &shop, &alice, "g1", "s1").await;
    redeemed_grant(db, &shop, &bob, "g2", "s2").await;
    assert_eq!(
        db.grant_with_user(&"g1".into()).await.unwrap(),
        Some((grant.clone(), alice.clone()))
    );
    assert_eq!(
        db.grant_with_user(&"g2".into())
            .await
            .unwrap()
            .map(|(g, u)| (g.id, u.id)),
        Some(("g2".into(), bob.id.clone()))
    );
    assert_eq!(db.grant_with_user(&"g9".into()).await.unwrap(), None);
    // The user as they are now, not as they were when granted.
    assert!(
        db.set_user_status(
            &acme.id,
            &alice.id,
            latchkey_core::accounts::user::UserStatus::Disabled,
            &Effects::default(),
            UnixTime(5)
        )
        .await
        .unwrap()
    );
    let (_, now) = db.grant_with_user(&"g1".into()).await.unwrap().unwrap();
    assert_eq!(
        now.status,
        latchkey_core::accounts::user::UserStatus::Disabled
    );
    // A revoked grant is still read (the caller decides what that means).
    db.revoke_grant(&"g1".into(), UnixTime(6)).await.unwrap();
    assert_eq!(
        db.grant_with_user(&"g1".into())
            .await
            .unwrap()
            .map(|(g, _)| g),
        Some(Grant {
            revoked_at: Some(UnixTime(6)),
            ..grant
        })
    );
    // A client-credentials grant has no user to read it with.
    let service = Grant {
        id: "cc".into(),
        user_id: None,
        session_hash: None,
        code_hash: None,
        security_stamp: None,
        amr: vec![],
        revoked_at: Some(UnixTime(7)),
        refresh_generation: 0,
        ..db.grant_by_id(&"g2".into()).await.unwrap().unwrap()
    };
    db.insert_revoked_grant(&service).await.unwrap();
    assert_eq!(db.grant_by_id(&"cc".into()).await.unwrap(), Some(service));
    assert_eq!(db.grant_with_user(&"cc".into()).await.unwrap(), None);
}
