//! The audit log's query: filters by person, kind and period, keyset
//! paging newest first, one tenant's events only.

use latchkey_core::effects::audit::{Actor, AuditCursor, AuditFilter, AuditKind};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    the_audit_log_filters_by_person_kind_and_period,
    the_audit_log_pages_without_duplicates_or_gaps_while_events_are_added,
);

async fn the_audit_log_filters_by_person_kind_and_period(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let other = tenant("other");
    db.insert_tenant(&other).await.unwrap();
    let mallory = user(&other, "alice", "alice@other.example");
    db.insert_user(&mallory, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();

    let signin = AuditKind::SigninSucceeded.as_str();
    let reset = AuditKind::FactorsReset.as_str();
    db.insert_audit(&event_of(&alice, signin, 100))
        .await
        .unwrap();
    db.insert_audit(&event_of(&bob, signin, 200)).await.unwrap();
    // bob, as an administrator, resets alice's factors: about alice, by bob
    let mut by_bob = event_of(&alice, reset, 300);
    by_bob.actor = Actor::Admin(bob.id.clone());
    db.insert_audit(&by_bob).await.unwrap();
    // about nobody, by nobody in particular
    let mut surge = event_of(&alice, AuditKind::RecoverySurge.as_str(), 400);
    (surge.user_id, surge.actor) = (None, Actor::System);
    db.insert_audit(&surge).await.unwrap();
    db.insert_audit(&event_of(&mallory, signin, 250))
        .await
        .unwrap();

    let query = |filter: AuditFilter| {
        let acme = acme.id.clone();
        async move {
            db.query_audit(&acme, &filter, 100)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.at.0)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(query(AuditFilter::default()).await, [400, 300, 200, 100]);
    let person = |u: &latchkey_core::accounts::user::User| AuditFilter {
        person: Some(u.id.clone()),
        ..Default::default()
    };
    assert_eq!(query(person(&alice)).await, [300, 100], "about alice");
    assert_eq!(query(person(&bob)).await, [300, 200], "by bob, about bob");
    assert!(query(person(&mallory)).await.is_empty(), "another tenant's");
    let kind = AuditFilter {
        kind: Some(AuditKind::SigninSucceeded),
        ..Default::default()
    };
    assert_eq!(query(kind.clone()).await, [200, 100]);
    let period = AuditFilter {
        from: Some(UnixTime(200)),
        until: Some(UnixTime(400)),
        ..Default::default()
    };
    assert_eq!(
        query(period.clone()).await,
        [300, 200],
        "from inclusive, until not"
    );
    let all = AuditFilter {
        person: Some(bob.id.clone()),
        ..period
    };
    assert_eq!(
        query(AuditFilter {
            kind: kind.kind,
            ..all.clone()
        })
        .await,
        [200]
    );
    assert_eq!(query(all).await, [300, 200]);
    assert_eq!(
        db.query_audit(&acme.id, &AuditFilter::default(), 2)
            .await
            .unwrap()
            .len(),
        2,
        "the limit"
    );
    let stored = db.query_audit(&acme.id, &person(&alice), 1).await.unwrap();
    assert_eq!(stored, [by_bob], "read back as written");
}

async fn the_audit_log_pages_without_duplicates_or_gaps_while_events_are_added(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    // 25 events over 10 seconds: many share a second, so the id decides
    let mut written = vec![];
    for i in 0..25 {
        let e = event_of(&alice, AuditKind::SigninSucceeded.as_str(), 1_000 + i % 10);
        db.insert_audit(&e).await.unwrap();
        written.push(e);
    }
    written.sort_by(|a, b| (b.at, &b.id).cmp(&(a.at, &a.id)));

    let mut seen = vec![];
    let mut filter = AuditFilter::default();
    let mut pages = 0;
    loop {
        let page = db.query_audit(&acme.id, &filter, 7).await.unwrap();
        pages += 1;
        // written meanwhile: newer than every page, so on none of the next
        let mut newer = event_of(&alice, AuditKind::Signout.as_str(), 2_000 + pages);
        newer.id = format!("zz-{pages}");
        db.insert_audit(&newer).await.unwrap();
        let Some(last) = page.last() else { break };
        filter.after = Some(AuditCursor::decode(&AuditCursor::of(last).encode()).unwrap());
        seen.extend(page.iter().map(|e| e.id.clone()));
        if page.len() < 7 {
            break;
        }
    }
    let expected: Vec<_> = written.iter().map(|e| e.id.clone()).collect();
    assert_eq!(seen, expected, "every event once, in order");
    assert_eq!(pages, 4);
}
