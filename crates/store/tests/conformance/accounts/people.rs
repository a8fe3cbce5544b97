//! The list of people: search by the start of a folded key, keyset pages,
//! what each person holds and when they last signed in; a person's
//! activity and events.

use latchkey_core::accounts::session::AuthMethod;
use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::{Actor, AuditEvent};
use latchkey_core::factors::recovery_codes::RecoveryCode;
use latchkey_core::factors::totp::TotpCredential;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::Db;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    people_are_searched_by_the_start_of_their_keys,
    people_come_in_pages_both_ways,
    people_show_what_they_hold_and_their_last_sign_in,
    a_persons_activity_and_events_are_theirs_only,
);

async fn add(db: &Db, tenant: &Tenant, name: &str, email: &str, display: &str) -> User {
    let mut u = user(tenant, name, email);
    u.display_name = display.into();
    db.insert_user(&u, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    u
}

async fn names(
    db: &Db,
    tenant: &TenantId,
    prefix: Option<&str>,
    from: Option<PageFrom>,
    limit: u32,
) -> Vec<String> {
    let filter = PeopleFilter {
        prefix: prefix.map(Into::into),
        from,
        ..PeopleFilter::first(limit)
    };
    db.list_people(tenant, &filter)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.user.username)
        .collect()
}

async fn people_are_searched_by_the_start_of_their_keys(t: &TestDb) {
    let db = &t.db;
    let (acme, _alice) = setup(db).await;
    add(db, &acme, "bob", "robert@work.example", "Bob Builder").await;
    add(db, &acme, "carol", "carol@example.com", "Zoë Ärger").await;
    add(db, &acme, "dave", "dave@example.com", "Alfred Dave").await;
    add(db, &acme, "al_x", "x@example.com", "X").await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    add(db, &beta, "alfred", "alfred@example.com", "Alfred").await;

    let find = |p: &'static str| names(db, &acme.id, Some(p), None, 10);
    // the username's start, the address's start, the display name's start
    assert_eq!(find("al").await, ["al_x", "alice", "dave"]);
    assert_eq!(find("rob").await, ["bob"]);
    assert_eq!(find("bob b").await, ["bob"]);
    // the display name is folded (core's fold_key) when stored
    assert_eq!(find("zoë ä").await, ["carol"]);
    // the start only: not the middle of a name, nor the domain
    assert_eq!(find("ice").await, Vec::<String>::new());
    assert_eq!(find("example").await, Vec::<String>::new());
    // LIKE's wildcards are plain characters here
    assert_eq!(find("%").await, Vec::<String>::new());
    assert_eq!(find("_").await, Vec::<String>::new());
    assert_eq!(find("al_").await, ["al_x"]);
    // everyone, in username order (byte order), never another tenant's
    assert_eq!(
        names(db, &acme.id, None, None, 10).await,
        ["al_x", "alice", "bob", "carol", "dave"]
    );
    assert_eq!(names(db, &beta.id, Some("al"), None, 10).await, ["alfred"]);
}

async fn people_come_in_pages_both_ways(t: &TestDb) {
    let db = &t.db;
    let acme = tenant("acme");
    db.insert_tenant(&acme).await.unwrap();
    for n in ["p1", "p2", "p3", "p4", "p5", "q1"] {
        add(db, &acme, n, &format!("{n}@example.com"), n).await;
    }
    let after = |k: &str| Some(PageFrom::After(k.into()));
    let before = |k: &str| Some(PageFrom::Before(k.into()));
    assert_eq!(names(db, &acme.id, None, None, 2).await, ["p1", "p2"]);
    assert_eq!(
        names(db, &acme.id, None, after("p2"), 2).await,
        ["p3", "p4"]
    );
    assert_eq!(
        names(db, &acme.id, None, after("p4"), 3).await,
        ["p5", "q1"]
    );
    assert_eq!(
        names(db, &acme.id, None, after("q1"), 3).await,
        Vec::<String>::new()
    );
    // backwards: the last rows before the cursor, still in ascending order
    assert_eq!(
        names(db, &acme.id, None, before("p5"), 2).await,
        ["p3", "p4"]
    );
    assert_eq!(names(db, &acme.id, None, before("p2"), 2).await, ["p1"]);
    // with a search
    assert_eq!(
        names(db, &acme.id, Some("p"), after("p3"), 10).await,
        ["p4", "p5"]
    );
    assert_eq!(
        names(db, &acme.id, Some("p"), before("q1"), 2).await,
        ["p4", "p5"]
    );
}

async fn people_show_what_they_hold_and_their_last_sign_in(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add(db, &acme, "bob", "bob@example.com", "Bob").await;
    let all = async || {
        db.list_people(&acme.id, &PeopleFilter::first(10))
            .await
            .unwrap()
    };
    let rows = all().await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].user, alice, "the user as stored");
    for r in &rows {
        assert_eq!(
            (
                r.authenticator_app,
                r.passkeys,
                r.unused_recovery_codes,
                r.last_sign_in_at
            ),
            (false, 0, 0, None)
        );
    }

    db.insert_totp(
        &TotpCredential {
            id: "t1".into(),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            secret_sealed: "v1.sealed".into(),
            last_used_step: None,
            created_at: UnixTime(5),
        },
        &Effects::default(),
        UnixTime(5),
    )
    .await
    .unwrap();
    for id in ["k1", "k2"] {
        db.insert_passkey(
            &passkey_of(&alice, id, "{}"),
            &Effects::default(),
            UnixTime(6),
        )
        .await
        .unwrap();
    }
    let codes: Vec<_> = (0..3)
        .map(|i| RecoveryCode {
            id: format!("c{i}"),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            code_hash: format!("hash-{i}"),
            created_at: UnixTime(1),
            used_at: None,
        })
        .collect();
    db.replace_recovery_codes(&alice.id, &codes, &Effects::default(), UnixTime(7))
        .await
        .unwrap();
    assert!(
        db.use_recovery_code(&alice.id, "hash-0", UnixTime(8))
            .await
            .unwrap()
    );

    // a complete session is a sign-in; one waiting for its second step is
    // not, until it completes
    let (_, s) = session_for(&alice, 3_000);
    db.start_session(&s, &Effects::default(), UnixTime(3_000))
        .await
        .unwrap();
    let (_, waiting) = session_for(&bob, 3_100);
    let waiting = waiting.awaiting_second_factor();
    db.start_session(&waiting, &Effects::default(), UnixTime(3_100))
        .await
        .unwrap();
    let rows = all().await;
    assert_eq!(
        (
            rows[0].authenticator_app,
            rows[0].passkeys,
            rows[0].unused_recovery_codes
        ),
        (true, 2, 2)
    );
    assert_eq!(rows[0].last_sign_in_at, Some(UnixTime(3_000)));
    assert_eq!(rows[1].last_sign_in_at, None);
    let done = SecondFactorDone {
        id_hash: waiting.id_hash.clone(),
        new_id_hash: "bob-new".into(),
        method: AuthMethod::Otp,
        expires_at: UnixTime(40_000),
        confirms_password_of: None,
    };
    assert!(
        db.complete_second_factor(&done, &Effects::default(), UnixTime(3_200))
            .await
            .unwrap()
    );
    assert_eq!(all().await[1].last_sign_in_at, Some(UnixTime(3_200)));
    // the sign-in stays when the session ends
    db.delete_user_sessions(&alice.id).await.unwrap();
    assert_eq!(all().await[0].last_sign_in_at, Some(UnixTime(3_000)));
}

async fn a_persons_activity_and_events_are_theirs_only(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add(db, &acme, "bob", "bob@example.com", "Bob").await;
    let activity = db
        .user_activity(&acme.id, &alice.id, UnixTime(2_000))
        .await
        .unwrap();
    assert_eq!(activity, Some(Activity::default()));
    let (_, s1) = session_for(&alice, 2_000);
    let (_, s2) = session_for(&alice, 2_500);
    for s in [&s1, &s2] {
        db.start_session(s, &Effects::default(), s.created_at)
            .await
            .unwrap();
    }
    db.touch_session(&s1.id_hash, UnixTime(2_700))
        .await
        .unwrap();
    let (_, waiting) = session_for(&alice, 2_800);
    db.start_session(
        &waiting.awaiting_second_factor(),
        &Effects::default(),
        UnixTime(2_800),
    )
    .await
    .unwrap();
    let a = db
        .user_activity(&acme.id, &alice.id, UnixTime(2_900))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.sessions, 2, "complete sessions only");
    assert_eq!(a.last_active_at, Some(UnixTime(2_700)));
    assert_eq!(a.last_sign_in_at, Some(UnixTime(2_500)));
    // sessions past their end are not counted
    let late = UnixTime(s2.expires_at.0.max(s1.expires_at.0) + 1);
    let a = db
        .user_activity(&acme.id, &alice.id, late)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((a.sessions, a.last_active_at), (0, None));
    // nobody else's, nor another tenant's
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    assert_eq!(
        db.user_activity(&beta.id, &alice.id, late).await.unwrap(),
        None
    );
    let b = db
        .user_activity(&acme.id, &bob.id, UnixTime(2_900))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b, Activity::default());

    let event = |id: &str, tenant: &TenantId, user: &User, at: i64| AuditEvent {
        id: id.into(),
        tenant_id: Some(tenant.clone()),
        user_id: Some(user.id.clone()),
        actor: Actor::System,
        event: "test.event".into(),
        ip: None,
        user_agent: None,
        detail: "{}".into(),
        at: UnixTime(at),
    };
    for e in [
        event("e1", &acme.id, &alice, 10),
        event("e2", &acme.id, &alice, 30),
        event("e3", &acme.id, &alice, 20),
        event("e4", &acme.id, &bob, 40),
        event("e5", &beta.id, &alice, 50),
    ] {
        db.insert_audit(&e).await.unwrap();
    }
    let ids = |events: Vec<AuditEvent>| events.into_iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(
        ids(db.user_audit(&acme.id, &alice.id, 10).await.unwrap()),
        ["e2", "e3", "e1"]
    );
    assert_eq!(
        ids(db.user_audit(&acme.id, &alice.id, 2).await.unwrap()),
        ["e2", "e3"]
    );
    assert_eq!(
        ids(db.user_audit(&acme.id, &bob.id, 10).await.unwrap()),
        ["e4"]
    );
}
