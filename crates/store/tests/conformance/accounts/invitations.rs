//! Invitations: found by their hash, one unused per address, spent once
//! together with the account they make (an administrator's) or the
//! password they set (a person's, decision 0029); a person's is replaced
//! ("send again", not sooner than allowed) or withdrawn.

use latchkey_core::accounts::invitation::{Invitation, Purpose};
use latchkey_core::accounts::user::User;
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
    a_persons_invitation_comes_with_the_account_and_sets_its_password,
    a_persons_invitation_is_sent_again_not_too_soon_or_withdrawn,
);

fn invitation(tenant: &Tenant, email: &str, hash: &str, at: i64) -> Invitation {
    Invitation {
        id: new_id(&OsRandom),
        purpose: Purpose::Admin,
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

/// A person's invitation and the account (without a password) it belongs to.
fn person(tenant: &Tenant, name: &str, hash: &str, at: i64) -> (User, Invitation) {
    let mut u = user(tenant, name, &format!("{name}@example.com"));
    u.password_hash = None;
    u.email_verified = false;
    let i = Invitation {
        purpose: Purpose::Person,
        user_id: Some(u.id.clone()),
        ..invitation(tenant, &u.email, hash, at)
    };
    (u, i)
}

async fn a_persons_invitation_comes_with_the_account_and_sets_its_password(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    // a taken username: neither the account nor the invitation is written
    let (mut clash, i) = person(&acme, "alicia", "p0", 2_000);
    clash.username_key = alice.username_key.clone();
    let err = db
        .insert_person_invitation(&clash, &i, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(db.invitation_by_hash("p0").await.unwrap(), None);

    let (zoe, i) = person(&acme, "zoe", "p1", 2_000);
    db.insert_person_invitation(&zoe, &i, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    assert_eq!(db.invitation_by_hash("p1").await.unwrap(), Some(i.clone()));
    assert_eq!(
        db.open_invitation_of(&acme.id, &zoe.id).await.unwrap(),
        Some(i.clone())
    );
    let stored = db.user_by_id(&acme.id, &zoe.id).await.unwrap().unwrap();
    assert_eq!(stored.password_hash, None);
    // the operator's list is of administrators' invitations only
    assert!(db.list_invitations(&acme.id, 10).await.unwrap().is_empty());

    let mut chosen = zoe.clone();
    chosen.password_hash = Some("hash".into());
    chosen.security_stamp = "new stamp".into();
    // expired: nothing is written
    assert!(
        !db.accept_person_invitation(&i, &chosen, &Effects::default(), i.expires_at)
            .await
            .unwrap()
    );
    assert!(
        db.accept_person_invitation(&i, &chosen, &Effects::default(), UnixTime(2_100))
            .await
            .unwrap()
    );
    let stored = db.user_by_id(&acme.id, &zoe.id).await.unwrap().unwrap();
    assert_eq!(stored.password_hash.as_deref(), Some("hash"));
    assert_eq!(stored.security_stamp, "new stamp");
    assert!(stored.email_verified);
    assert_eq!(
        db.open_invitation_of(&acme.id, &zoe.id).await.unwrap(),
        None
    );
    // once only
    chosen.password_hash = Some("other".into());
    assert!(
        !db.accept_person_invitation(&i, &chosen, &Effects::default(), UnixTime(2_200))
            .await
            .unwrap()
    );
    let stored = db.user_by_id(&acme.id, &zoe.id).await.unwrap().unwrap();
    assert_eq!(stored.password_hash.as_deref(), Some("hash"));
}

async fn a_persons_invitation_is_sent_again_not_too_soon_or_withdrawn(t: &TestDb) {
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let (zoe, first) = person(&acme, "zoe", "q1", 2_000);
    db.insert_person_invitation(&zoe, &first, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let second = Invitation {
        id: new_id(&OsRandom),
        token_hash: "q2".into(),
        created_at: UnixTime(2_030),
        expires_at: UnixTime(2_030 + 7 * 86_400),
        ..first.clone()
    };
    // the old one is younger than allowed: nothing changes
    assert!(
        !db.replace_invitation(
            &first,
            &second,
            UnixTime(1_999),
            &Effects::default(),
            UnixTime(2_030)
        )
        .await
        .unwrap()
    );
    assert!(db.invitation_by_hash("q1").await.unwrap().is_some());
    assert_eq!(db.invitation_by_hash("q2").await.unwrap(), None);
    assert!(
        db.replace_invitation(
            &first,
            &second,
            UnixTime(2_000),
            &Effects::default(),
            UnixTime(2_060)
        )
        .await
        .unwrap()
    );
    assert_eq!(db.invitation_by_hash("q1").await.unwrap(), None);
    assert_eq!(
        db.open_invitation_of(&acme.id, &zoe.id).await.unwrap(),
        Some(second.clone())
    );
    // replacing the replaced one again writes nothing
    assert!(
        !db.replace_invitation(
            &first,
            &second,
            UnixTime(9_000),
            &Effects::default(),
            UnixTime(9_000)
        )
        .await
        .unwrap()
    );

    assert!(
        db.withdraw_invitation(&second, &Effects::default(), UnixTime(2_100))
            .await
            .unwrap()
    );
    assert_eq!(db.invitation_by_hash("q2").await.unwrap(), None);
    assert_eq!(
        db.open_invitation_of(&acme.id, &zoe.id).await.unwrap(),
        None
    );
    assert!(
        !db.withdraw_invitation(&second, &Effects::default(), UnixTime(2_200))
            .await
            .unwrap()
    );
    // the account stays
    assert!(db.user_by_id(&acme.id, &zoe.id).await.unwrap().is_some());
}
