//! Passwords: a change signs everyone else out; a reset link works once, the
//! newest only, and only while the user has the address it went to.

use latchkey_core::accounts::password_change;
use latchkey_core::accounts::user::User;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::password_reset::{self, PasswordReset};
use latchkey_core::store::*;
use latchkey_store::Db;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    a_password_change_keeps_one_session_under_a_new_id_and_ends_the_rest,
    a_password_change_that_cannot_finish_changes_nothing,
    a_reset_link_works_once_and_only_the_newest_works,
    a_reset_link_works_only_for_the_address_it_went_to,
    a_void_link_is_stored_and_never_found,
    links_expired_before_the_cut_are_purged_real_and_void,
);

/// Housekeeping removes the links, real or void, used or not, that expired
/// before the cut, and keeps the rest.
async fn links_expired_before_the_cut_are_purged_real_and_void(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    // alice's link expires at 5_600 and is used; bob's expires at 9_600
    let used = reset_for(&alice, "r1", 2_000);
    db.insert_password_reset(&used, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    assert!(
        db.complete_password_reset(&used, "$h", "s", &[], &Effects::default(), UnixTime(2_010))
            .await
            .unwrap()
    );
    let void = PasswordReset {
        user_id: Default::default(),
        email_key: String::new(),
        ..reset_for(&alice, "v1", 2_001)
    };
    db.insert_password_reset(&void, &Effects::default(), UnixTime(2_001))
        .await
        .unwrap();
    let later = reset_for(&bob, "r2", 6_000);
    db.insert_password_reset(&later, &Effects::default(), UnixTime(6_000))
        .await
        .unwrap();

    assert_eq!(db.purge_password_resets(UnixTime(5_600)).await.unwrap(), 0);
    // a used link is still found (the page says "already used")
    assert!(
        db.password_reset_by_hash(&used.token_hash)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(db.purge_password_resets(UnixTime(7_000)).await.unwrap(), 2);
    assert!(
        db.password_reset_by_hash(&later.token_hash)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.password_reset_by_hash(&used.token_hash)
            .await
            .unwrap()
            .is_none()
    );
}

/// "Forgot password" for nobody writes a void link by the same statements:
/// stored (the same work), with no user, found by no lookup, and touching
/// no account's links.
async fn a_void_link_is_stored_and_never_found(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let real = reset_for(&alice, "r1", 2_000);
    db.insert_password_reset(&real, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let void = PasswordReset {
        user_id: Default::default(),
        email_key: String::new(),
        ..reset_for(&alice, "v1", 2_001)
    };
    let before = latchkey_store::testing::snapshot(db).await.unwrap();
    db.insert_password_reset(&void, &Effects::default(), UnixTime(2_001))
        .await
        .unwrap();
    let work = latchkey_store::testing::snapshot(db)
        .await
        .unwrap()
        .since(&before);
    assert_eq!(work.links, 1, "a row, as for an account");
    assert_eq!(db.password_reset_by_hash("hash-v1").await.unwrap(), None);
    assert_eq!(
        db.password_reset_by_hash("hash-r1").await.unwrap(),
        Some(real),
        "alice's link still works"
    );
}

fn reset_for(user: &User, id: &str, at: i64) -> PasswordReset {
    PasswordReset {
        id: id.into(),
        tenant_id: user.tenant_id.clone(),
        user_id: user.id.clone(),
        token_hash: format!("hash-{id}"),
        email_key: user.email_key.clone(),
        created_at: UnixTime(at),
        expires_at: UnixTime(at + 3_600),
        used_at: None,
    }
}

async fn current(db: &Db, user: &User) -> User {
    db.user_by_id(&user.tenant_id, &user.id)
        .await
        .unwrap()
        .unwrap()
}

async fn a_password_change_keeps_one_session_under_a_new_id_and_ends_the_rest(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let (_, kept) = session_for(&alice, 2_000);
    let (_, other) = session_for(&alice, 2_000);
    let (_, bobs) = session_for(&bob, 2_000);
    for s in [&kept, &other, &bobs] {
        start(db, s).await.unwrap();
    }
    db.rotate_device(None, "alices-laptop", &acme.id, &alice.id, UnixTime(2_000))
        .await
        .unwrap();
    db.rotate_device(None, "bobs-laptop", &acme.id, &bob.id, UnixTime(2_000))
        .await
        .unwrap();
    let link = reset_for(&alice, "r1", 2_000);
    db.insert_password_reset(&link, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();

    let effects = Effects::audit(event_of(&alice, "password.changed", 3_000));
    assert!(
        db.change_password(
            &alice.id,
            "$new-hash",
            "new-stamp",
            &kept.id_hash,
            &"renewed".into(),
            password_change::ENDS,
            &effects,
            UnixTime(3_000)
        )
        .await
        .unwrap()
    );
    let changed = current(db, &alice).await;
    assert_eq!(
        (
            changed.password_hash.as_deref(),
            changed.security_stamp.as_str(),
            changed.updated_at
        ),
        (Some("$new-hash"), "new-stamp", UnixTime(3_000))
    );
    assert_eq!(db.session_by_hash(&kept.id_hash).await.unwrap(), None);
    assert_eq!(db.session_by_hash(&other.id_hash).await.unwrap(), None);
    let stays = db
        .session_by_hash(&"renewed".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stays.user_id.as_str(), stays.security_stamp.as_str()),
        (alice.id.as_str(), "new-stamp"),
        "the session that changed it stays, under its new id and stamp"
    );
    assert!(
        !db.device_known("alices-laptop", &alice.id, UnixTime(0))
            .await
            .unwrap(),
        "known devices end"
    );
    assert_eq!(
        db.password_reset_by_hash(&link.token_hash)
            .await
            .unwrap()
            .unwrap()
            .used_at,
        Some(UnixTime(3_000)),
        "an unused reset link ends"
    );
    assert!(
        !db.complete_password_reset(
            &link,
            "$link-hash",
            "link-stamp",
            password_reset::ENDS,
            &Effects::default(),
            UnixTime(3_001)
        )
        .await
        .unwrap()
    );
    assert_eq!(events(db, &acme.id).await[0], "password.changed");
    // Another user is not touched.
    assert!(db.session_by_hash(&bobs.id_hash).await.unwrap().is_some());
    assert!(
        db.device_known("bobs-laptop", &bob.id, UnixTime(0))
            .await
            .unwrap()
    );
    assert_eq!(current(db, &bob).await, bob);
}

async fn a_password_change_that_cannot_finish_changes_nothing(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let (_, kept) = session_for(&alice, 2_000);
    let (_, other) = session_for(&alice, 2_000);
    for s in [&kept, &other] {
        start(db, s).await.unwrap();
    }
    db.rotate_device(None, "alices-laptop", &acme.id, &alice.id, UnixTime(2_000))
        .await
        .unwrap();
    let before = events(db, &acme.id).await;

    // No such user: false, and its effects are not written.
    let effects = Effects::audit(event_of(&alice, "password.changed", 3_000));
    assert!(
        !db.change_password(
            &"no-such-user".into(),
            "$new-hash",
            "new-stamp",
            &kept.id_hash,
            &"renewed".into(),
            password_change::ENDS,
            &effects,
            UnixTime(3_000)
        )
        .await
        .unwrap()
    );
    assert_eq!(events(db, &acme.id).await, before);

    // The last write fails: all of it is undone.
    let failing = failing_effects(db, &alice).await;
    let result = db
        .change_password(
            &alice.id,
            "$new-hash",
            "new-stamp",
            &kept.id_hash,
            &"renewed".into(),
            password_change::ENDS,
            &failing,
            UnixTime(3_000),
        )
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(current(db, &alice).await, alice);
    assert_eq!(db.session_by_hash(&kept.id_hash).await.unwrap(), Some(kept));
    assert_eq!(
        db.session_by_hash(&other.id_hash).await.unwrap(),
        Some(other)
    );
    assert_eq!(db.session_by_hash(&"renewed".into()).await.unwrap(), None);
    assert!(
        db.device_known("alices-laptop", &alice.id, UnixTime(0))
            .await
            .unwrap()
    );
}

async fn a_reset_link_works_once_and_only_the_newest_works(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let first = reset_for(&alice, "r1", 2_000);
    db.insert_password_reset(
        &first,
        &Effects::audit(event_of(&alice, "password.reset_requested", 2_000)),
        UnixTime(2_000),
    )
    .await
    .unwrap();
    assert_eq!(
        db.password_reset_by_hash("hash-r1").await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(db.password_reset_by_hash("hash-none").await.unwrap(), None);
    assert_eq!(events(db, &acme.id).await, ["password.reset_requested"]);

    // A second link: the first stops working.
    let second = reset_for(&alice, "r2", 2_100);
    db.insert_password_reset(&second, &Effects::default(), UnixTime(2_100))
        .await
        .unwrap();
    assert_eq!(
        db.password_reset_by_hash("hash-r2").await.unwrap(),
        Some(second.clone())
    );
    assert!(
        !db.complete_password_reset(
            &first,
            "$first",
            "first-stamp",
            password_reset::ENDS,
            &Effects::default(),
            UnixTime(2_200)
        )
        .await
        .unwrap()
    );
    assert_eq!(current(db, &alice).await, alice);

    let (_, s) = session_for(&alice, 2_000);
    start(db, &s).await.unwrap();
    db.rotate_device(None, "alices-laptop", &acme.id, &alice.id, UnixTime(2_000))
        .await
        .unwrap();
    let effects = Effects::audit(event_of(&alice, "password.reset", 2_300));
    assert!(
        db.complete_password_reset(
            &second,
            "$second",
            "second-stamp",
            password_reset::ENDS,
            &effects,
            UnixTime(2_300)
        )
        .await
        .unwrap()
    );
    let reset = current(db, &alice).await;
    assert_eq!(
        (
            reset.password_hash.as_deref(),
            reset.security_stamp.as_str(),
            reset.password_reset_at
        ),
        (Some("$second"), "second-stamp", Some(UnixTime(2_300)))
    );
    assert_eq!(
        db.password_reset_by_hash("hash-r2")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        Some(UnixTime(2_300))
    );
    assert_eq!(
        db.session_by_hash(&s.id_hash).await.unwrap(),
        None,
        "every session ends"
    );
    assert!(
        !db.device_known("alices-laptop", &alice.id, UnixTime(0))
            .await
            .unwrap(),
        "known devices end"
    );
    assert_eq!(events(db, &acme.id).await[0], "password.reset");
    assert!(
        !db.complete_password_reset(
            &second,
            "$again",
            "again-stamp",
            password_reset::ENDS,
            &Effects::default(),
            UnixTime(2_400)
        )
        .await
        .unwrap(),
        "once"
    );
    assert_eq!(current(db, &alice).await, reset);

    // A password the user sets knowing the old one is no reset.
    let (_, s) = session_for(&reset, 2_500);
    start(db, &s).await.unwrap();
    assert!(
        db.change_password(
            &alice.id,
            "$changed",
            "changed-stamp",
            &s.id_hash,
            &"renewed".into(),
            password_change::ENDS,
            &Effects::default(),
            UnixTime(2_500)
        )
        .await
        .unwrap()
    );
    assert_eq!(current(db, &alice).await.password_reset_at, None);
}

async fn a_reset_link_works_only_for_the_address_it_went_to(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let stale = PasswordReset {
        email_key: "old@example.com".into(),
        ..reset_for(&alice, "r1", 2_000)
    };
    db.insert_password_reset(&stale, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let (_, s) = session_for(&alice, 2_000);
    start(db, &s).await.unwrap();
    let before = events(db, &acme.id).await;
    let effects = Effects::audit(event_of(&alice, "password.reset", 2_100));
    assert!(
        !db.complete_password_reset(
            &stale,
            "$new",
            "new-stamp",
            password_reset::ENDS,
            &effects,
            UnixTime(2_100)
        )
        .await
        .unwrap()
    );
    assert_eq!(current(db, &alice).await, alice);
    assert!(db.session_by_hash(&s.id_hash).await.unwrap().is_some());
    assert_eq!(events(db, &acme.id).await, before);
    assert_eq!(
        db.password_reset_by_hash("hash-r1")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        None,
        "nothing of the attempt is written"
    );
}
