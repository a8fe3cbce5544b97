//! What a browser brings to a recovery: its known-device id, its case
//! cookie, and the cancel link of a case.

use latchkey_core::accounts::user::User;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::UserId;
use latchkey_core::recovery::case::{CaseState, RecoveryCase};
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    a_device_is_known_to_its_user_from_its_last_sign_in,
    a_browser_finds_its_case_and_a_cancel_link_its_own,
);

async fn a_device_is_known_to_its_user_from_its_last_sign_in(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let known = |id: &'static str, user: UserId, since: i64| {
        let db = db.clone();
        async move { db.device_known(id, &user, UnixTime(since)).await.unwrap() }
    };
    db.rotate_device(None, "d1", &acme.id, &alice.id, UnixTime(1_000))
        .await
        .unwrap();
    assert!(known("d1", alice.id.clone(), 1_000).await, "at or after");
    assert!(known("d1", alice.id.clone(), 0).await);
    assert!(!known("d1", alice.id.clone(), 1_001).await, "too long ago");
    assert!(!known("d1", bob.id.clone(), 0).await, "another user's");
    assert!(!known("d9", alice.id.clone(), 0).await);

    // The next sign-in replaces the id: the old one is known no more.
    db.rotate_device(Some("d1"), "d2", &acme.id, &alice.id, UnixTime(2_000))
        .await
        .unwrap();
    assert!(!known("d1", alice.id.clone(), 0).await);
    assert!(known("d2", alice.id.clone(), 2_000).await);

    // Bob signs in on a browser that holds alice's id: hers stays hers.
    db.rotate_device(Some("d2"), "d3", &acme.id, &bob.id, UnixTime(3_000))
        .await
        .unwrap();
    assert!(known("d2", alice.id.clone(), 2_000).await);
    assert!(!known("d2", bob.id.clone(), 0).await);
    assert!(known("d3", bob.id.clone(), 3_000).await);
    assert!(!known("d3", alice.id.clone(), 0).await);

    // A browser without an id gets one; the user's others stay known.
    db.rotate_device(None, "d4", &acme.id, &alice.id, UnixTime(4_000))
        .await
        .unwrap();
    assert!(known("d2", alice.id.clone(), 2_000).await);
    assert!(known("d4", alice.id.clone(), 4_000).await);
}

async fn a_browser_finds_its_case_and_a_cancel_link_its_own(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    // Every case has a browser cookie of its own and a cancel link.
    let case = |id: &str, user: &User| RecoveryCase {
        cancel_token_hash: Some(format!("cancel-{id}")),
        ..case_for(user, id, CaseState::Started)
    };
    let (first, second) = (case("c1", &alice), case("c2", &bob));
    assert_eq!(db.case_by_browser(&first.browser_hash).await.unwrap(), None);
    for c in [&first, &second] {
        db.insert_case(c, &Effects::default(), UnixTime(2_000))
            .await
            .unwrap();
    }
    assert_eq!(
        db.case_by_browser(&first.browser_hash).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        db.case_by_browser(&second.browser_hash).await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(db.case_by_browser("browser-none").await.unwrap(), None);

    // A closed case is still the browser's (its page says how it ended).
    let mut cancelled = second.clone();
    cancelled.facts.state = CaseState::Cancelled;
    assert!(
        db.update_case(&cancelled, None, None, &Effects::default(), UnixTime(2_200))
            .await
            .unwrap()
    );
    let last = db
        .case_by_browser(&second.browser_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (last.id.as_str(), last.facts.state, last.version),
        ("c2", CaseState::Cancelled, 2)
    );

    assert_eq!(
        db.case_by_cancel_hash("cancel-c1").await.unwrap(),
        Some(first)
    );
    assert_eq!(
        db.case_by_cancel_hash("cancel-c2").await.unwrap(),
        Some(last)
    );
    assert_eq!(db.case_by_cancel_hash("cancel-c9").await.unwrap(), None);
}
