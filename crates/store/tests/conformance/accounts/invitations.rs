//! Administrators' invitations: found by their hash, one unused per
//! address, spent once together with the account they make.

use latchkey_core::accounts::invitation::Invitation;
use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    an_invitation_is_spent_once_with_the_account_it_makes,
    a_newer_invitation_replaces_an_unused_one_to_the_same_address,
);

fn invitation(tenant: &Tenant, email: &str, hash: &str, at: i64) -> Invitation {
    Invitation {
        id: new_id(&OsRandom),
        tenant_id: tenant.id.clone(),
        email: email.into(),
        email_key: email.to_lowercase(),
        token_hash: hash.into(),
        invited_by: Actor::OperatorCli,
        created_at: UnixTime(at),
        expires_at: UnixTime(at + 7 * 86_400),
        used_at: None,
        user_id: None,
    }
}

async fn an_invitation_is_spent_once_with_the_account_it_makes(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let i = invitation(&acme, "Boss@Example.com", "h1", 2_000);
    db.insert_invitation(&i, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    assert_eq!(db.invitation_by_hash("h1").await.unwrap(), Some(i.clone()));
    assert_eq!(db.invitation_by_hash("nope").await.unwrap(), None);

    // a taken username: nothing is written, the invitation stays unused
    let mut clash = user(&acme, "alice", "boss@example.com");
    clash.username_key = alice.username_key.clone();
    let err = db
        .accept_invitation(&i, &clash, &Effects::default(), UnixTime(2_100))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(
        db.invitation_by_hash("h1").await.unwrap().unwrap().used_at,
        None
    );

    let boss = user(&acme, "boss", "boss@example.com");
    assert!(
        db.accept_invitation(&i, &boss, &Effects::default(), UnixTime(2_200))
            .await
            .unwrap()
    );
    let spent = db.invitation_by_hash("h1").await.unwrap().unwrap();
    assert_eq!(
        (spent.used_at, spent.user_id),
        (Some(UnixTime(2_200)), Some(boss.id.clone()))
    );
    assert!(db.user_by_id(&acme.id, &boss.id).await.unwrap().is_some());
    // once only: a second acceptance writes nothing
    let again = user(&acme, "boss2", "boss2@example.com");
    assert!(
        !db.accept_invitation(&i, &again, &Effects::default(), UnixTime(2_300))
            .await
            .unwrap()
    );
    assert!(db.user_by_id(&acme.id, &again.id).await.unwrap().is_none());

    // an expired one is refused by the store too
    let old = invitation(&acme, "late@example.com", "h2", 2_000);
    db.insert_invitation(&old, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let late = user(&acme, "late", "late@example.com");
    assert!(
        !db.accept_invitation(&old, &late, &Effects::default(), old.expires_at)
            .await
            .unwrap()
    );
}

async fn a_newer_invitation_replaces_an_unused_one_to_the_same_address(t: &TestDb) {
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let first = invitation(&acme, "boss@example.com", "a1", 2_000);
    let other_tenant = invitation(&beta, "boss@example.com", "b1", 2_000);
    let second = invitation(&acme, "BOSS@example.com", "a2", 2_100);
    for i in [&first, &other_tenant, &second] {
        db.insert_invitation(i, &Effects::default(), i.created_at)
            .await
            .unwrap();
    }
    assert_eq!(db.invitation_by_hash("a1").await.unwrap(), None);
    assert!(db.invitation_by_hash("b1").await.unwrap().is_some());
    let listed = db.list_invitations(&acme.id, 10).await.unwrap();
    assert_eq!(listed, [second]);
}
