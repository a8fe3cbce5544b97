//! Sessions: started with their effects, completed by a second factor once.

use latchkey_core::accounts::everyone::{self, SignedOutCount, TenantSignOut};
use latchkey_core::accounts::session::{AuthMethod, Session, SessionStage};
use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::{Actor, AuditEvent};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::SessionHash;
use latchkey_core::recovery::password_reset;
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    sessions_roundtrip_touch_and_delete,
    starting_a_session_is_all_or_nothing,
    a_second_factor_completes_a_session_once,
    a_fresh_sign_in_moves_auth_time_with_its_effects,
    a_users_sessions_are_listed_and_no_one_elses,
    a_tenant_is_signed_out_at_once_and_no_other,
    signing_a_tenant_out_is_all_or_nothing,
);

const NOW: i64 = 10_000_000;

/// Everyone of acme (alice twice, bob signed in, half signed in and long
/// ended) and zed of another tenant, signed in.
async fn signed_in_world(db: &latchkey_store::Db) -> (Tenant, [User; 3], [Session; 6]) {
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let globex = tenant("globex");
    db.insert_tenant(&globex).await.unwrap();
    let zed = add_user(db, &globex, "zed").await;
    let (_, a1) = session_for(&alice, NOW - 100);
    let (_, kept) = session_for(&alice, NOW - 50);
    let (_, b1) = session_for(&bob, NOW - 100);
    let b2 = session_for(&bob, NOW - 10).1.awaiting_second_factor();
    let (_, ended) = session_for(&bob, 2_000);
    let (_, z1) = session_for(&zed, NOW - 100);
    for s in [&a1, &kept, &b1, &b2, &ended, &z1] {
        start(db, s).await.unwrap();
    }
    (acme, [alice, bob, zed], [a1, kept, b1, b2, ended, z1])
}

fn tenant_event(acme: &Tenant, by: &User) -> AuditEvent {
    AuditEvent {
        id: "everyone-out".into(),
        tenant_id: Some(acme.id.clone()),
        user_id: None,
        actor: Actor::Admin(by.id.clone()),
        event: "tenant.signed_out".into(),
        ip: None,
        user_agent: None,
        detail: "{}".into(),
        at: UnixTime(NOW),
    }
}

async fn a_tenant_is_signed_out_at_once_and_no_other(t: &TestDb) {
    let db = &t.db;
    let (acme, [alice, bob, zed], [_, kept, _, _, _, z1]) = signed_in_world(db).await;
    let renewed: SessionHash = "renewed".into();
    let event = tenant_event(&acme, &alice);
    let count = db
        .sign_out_tenant(
            &TenantSignOut {
                tenant_id: &acme.id,
                security_stamp: "after-the-incident",
                keep: Some((
                    &alice.id,
                    SignOutOthers {
                        security_stamp: "after-the-incident",
                        keep_session: &kept.id_hash,
                        new_session: &renewed,
                    },
                )),
                event: &event,
                detail: everyone::detail,
            },
            UnixTime(NOW),
        )
        .await
        .unwrap();
    // the signed-in sessions (not the half sign-in, not the ended one)
    assert_eq!(
        count,
        SignedOutCount {
            people: 2,
            sessions: 2
        }
    );
    let left = db.sessions_of_user(&alice.id).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id_hash, renewed);
    assert_eq!(left[0].security_stamp, "after-the-incident");
    assert_eq!(db.session_by_hash(&kept.id_hash).await.unwrap(), None);
    assert_eq!(db.sessions_of_user(&bob.id).await.unwrap(), vec![]);
    for u in [&alice, &bob] {
        let now = db.user_by_id(&acme.id, &u.id).await.unwrap().unwrap();
        assert_eq!(now.security_stamp, "after-the-incident");
        assert_eq!(now.updated_at, UnixTime(NOW));
    }
    // another tenant is untouched
    assert_eq!(db.sessions_of_user(&zed.id).await.unwrap(), vec![z1]);
    let zed_now = db
        .user_by_id(&zed.tenant_id, &zed.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(zed_now.security_stamp, zed.security_stamp);
    let written = db.list_audit(&acme.id, 50).await.unwrap();
    let written = written.iter().find(|e| e.id == "everyone-out").unwrap();
    assert_eq!(written.detail, r#"{"people":2,"sessions":2}"#);

    // nobody kept: every session of the tenant ends
    let (_, again) = session_for(&alice, NOW);
    start(db, &again).await.unwrap();
    let event = AuditEvent {
        id: "everyone-out-again".into(),
        ..event
    };
    let count = db
        .sign_out_tenant(
            &TenantSignOut {
                tenant_id: &acme.id,
                security_stamp: "later",
                keep: None,
                event: &event,
                detail: everyone::detail,
            },
            UnixTime(NOW),
        )
        .await
        .unwrap();
    assert_eq!(count.sessions, 2, "the renewed one and the new one");
    assert_eq!(db.sessions_of_user(&alice.id).await.unwrap(), vec![]);
}

async fn signing_a_tenant_out_is_all_or_nothing(t: &TestDb) {
    let db = &t.db;
    let (acme, [alice, bob, _], sessions) = signed_in_world(db).await;
    let event = tenant_event(&acme, &alice);
    // an event stored already: the audit write fails, last
    db.insert_audit(&event).await.unwrap();
    let failed = db
        .sign_out_tenant(
            &TenantSignOut {
                tenant_id: &acme.id,
                security_stamp: "never",
                keep: None,
                event: &event,
                detail: everyone::detail,
            },
            UnixTime(NOW),
        )
        .await;
    assert!(failed.is_err());
    let mut left = db.sessions_of_user(&alice.id).await.unwrap();
    left.extend(db.sessions_of_user(&bob.id).await.unwrap());
    assert_eq!(left.len(), 5, "{:?}", sessions.len());
    let bob_now = db.user_by_id(&acme.id, &bob.id).await.unwrap().unwrap();
    assert_eq!(bob_now.security_stamp, bob.security_stamp);
}

async fn a_users_sessions_are_listed_and_no_one_elses(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let (_, a) = session_for(&alice, 2_000);
    let (_, b) = session_for(&alice, 2_100);
    let (_, other) = session_for(&bob, 2_000);
    for s in [&a, &b, &other] {
        start(db, s).await.unwrap();
    }
    let mut listed = db.sessions_of_user(&alice.id).await.unwrap();
    listed.sort_by_key(|s| s.created_at);
    assert_eq!(listed, vec![a, b]);
    assert_eq!(db.sessions_of_user(&"nobody".into()).await.unwrap(), vec![]);
}

async fn sessions_roundtrip_touch_and_delete(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let (token, s) = session_for(&alice, 2_000);
    start(db, &s).await.unwrap();
    assert_eq!(
        db.session_by_hash(&token.hash().into()).await.unwrap(),
        Some(s.clone())
    );
    db.touch_session(&s.id_hash, UnixTime(2_100)).await.unwrap();
    let touched = db.session_by_hash(&s.id_hash).await.unwrap().unwrap();
    assert_eq!(touched.last_seen_at, UnixTime(2_100));
    db.delete_session(&s.id_hash).await.unwrap();
    assert_eq!(db.session_by_hash(&s.id_hash).await.unwrap(), None);

    let (_, a) = session_for(&alice, 2_000);
    let (_, b) = session_for(&alice, 2_000);
    start(db, &a).await.unwrap();
    start(db, &b).await.unwrap();
    assert_eq!(db.delete_user_sessions(&alice.id).await.unwrap(), 2);

    let (_, old) = session_for(&alice, 0);
    let (_, fresh) = session_for(&alice, 50_000);
    start(db, &old).await.unwrap();
    start(db, &fresh).await.unwrap();
    assert_eq!(db.purge_sessions(UnixTime(40_000)).await.unwrap(), 1);
    assert!(db.session_by_hash(&fresh.id_hash).await.unwrap().is_some());
}

async fn starting_a_session_is_all_or_nothing(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    db.rate_limit_add("account", 3, UnixTime(2_000), 60)
        .await
        .unwrap();
    db.rate_limit_add("address", 3, UnixTime(2_000), 60)
        .await
        .unwrap();
    let (_, s) = session_for(&alice, 2_000);
    let changes = [
        CounterChange::Clear("account"),
        CounterChange::Add {
            key: "address",
            delta: -1,
            window_secs: 60,
        },
    ];
    let effects = Effects {
        counters: changes.to_vec(),
        ..Effects::audit(audit_for(&s, "signin.succeeded"))
    };
    db.start_session(&s, &effects, UnixTime(2_001))
        .await
        .unwrap();
    assert!(db.session_by_hash(&s.id_hash).await.unwrap().is_some());
    assert_eq!(
        db.rate_limit_add("account", 0, UnixTime(2_002), 60)
            .await
            .unwrap()
            .count,
        0
    );
    assert_eq!(
        db.rate_limit_add("address", 0, UnixTime(2_002), 60)
            .await
            .unwrap()
            .count,
        2
    );
    assert_eq!(db.list_audit(&acme.id, 10).await.unwrap().len(), 1);

    // the same session id again fails, and nothing of that attempt remains
    db.rate_limit_add("account", 5, UnixTime(2_003), 60)
        .await
        .unwrap();
    let err = db
        .start_session(
            &s,
            &Effects {
                counters: vec![CounterChange::Clear("account")],
                ..Effects::audit(audit_for(&s, "signin.again"))
            },
            UnixTime(2_003),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(
        db.rate_limit_add("account", 0, UnixTime(2_004), 60)
            .await
            .unwrap()
            .count,
        5
    );
    let events: Vec<_> = db
        .list_audit(&acme.id, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(events, ["signin.succeeded"]);
}

async fn a_second_factor_completes_a_session_once(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    // alice's password was set from a mailed link ...
    let reset = latchkey_core::recovery::password_reset::PasswordReset {
        id: "r1".into(),
        tenant_id: alice.tenant_id.clone(),
        user_id: alice.id.clone(),
        token_hash: "reset-hash".into(),
        email_key: alice.email_key.clone(),
        created_at: UnixTime(1_500),
        expires_at: UnixTime(3_000),
        used_at: None,
    };
    db.insert_password_reset(&reset, &Effects::default(), UnixTime(1_500))
        .await
        .unwrap();
    assert!(
        db.complete_password_reset(
            &reset,
            "new-hash",
            "new-stamp",
            password_reset::ENDS,
            &Effects::default(),
            UnixTime(1_600)
        )
        .await
        .unwrap()
    );
    let reset_at = |u: Option<User>| u.unwrap().password_reset_at;
    assert_eq!(
        reset_at(db.user_by_id(&alice.tenant_id, &alice.id).await.unwrap()),
        Some(UnixTime(1_600))
    );
    let alice = db
        .user_by_id(&alice.tenant_id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    let (_, s) = session_for(&alice, 2_000);
    let s = s.awaiting_second_factor();
    assert_eq!(
        s.expires_at,
        UnixTime(2_000 + latchkey_core::accounts::session::SECOND_FACTOR_SECS)
    );
    start(db, &s).await.unwrap();
    assert_eq!(
        db.session_by_hash(&s.id_hash).await.unwrap().unwrap().stage,
        SessionStage::SecondFactor
    );
    let done = SecondFactorDone {
        id_hash: s.id_hash.clone(),
        new_id_hash: "new-hash".into(),
        method: AuthMethod::Otp,
        expires_at: UnixTime(40_000),
        confirms_password_of: Some(alice.id.clone()),
    };
    assert!(
        db.complete_second_factor(&done, &Effects::default(), UnixTime(2_010))
            .await
            .unwrap()
    );
    // ... and this sign-in with it and a second factor confirms it
    assert_eq!(
        reset_at(db.user_by_id(&alice.tenant_id, &alice.id).await.unwrap()),
        None
    );
    assert_eq!(
        db.session_by_hash(&s.id_hash).await.unwrap(),
        None,
        "the old id is gone"
    );
    let completed = db
        .session_by_hash(&"new-hash".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(completed.stage, SessionStage::Complete);
    assert_eq!(
        completed.methods,
        vec![AuthMethod::Password, AuthMethod::Otp]
    );
    assert_eq!(
        (completed.auth_time, completed.expires_at),
        (UnixTime(2_010), UnixTime(40_000))
    );
    assert!(
        !db.complete_second_factor(&done, &Effects::default(), UnixTime(2_011))
            .await
            .unwrap()
    );
}

async fn a_fresh_sign_in_moves_auth_time_with_its_effects(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let (_, s) = session_for(&alice, 2_000);
    let (_, other) = session_for(&alice, 2_000);
    for s in [&s, &other] {
        start(db, s).await.unwrap();
    }
    let effects = Effects::audit(event_of(&alice, "signin.reauthenticated", 2_500));
    let renamed: SessionHash = "renamed-after-reauth".into();
    assert!(
        db.refresh_auth_time(&s.id_hash, &renamed, &effects, UnixTime(2_500))
            .await
            .unwrap()
    );
    assert_eq!(
        db.session_by_hash(&s.id_hash).await.unwrap(),
        None,
        "the old id is gone"
    );
    let refreshed = db.session_by_hash(&renamed).await.unwrap().unwrap();
    assert_eq!(
        refreshed,
        Session {
            id_hash: renamed.clone(),
            auth_time: UnixTime(2_500),
            last_seen_at: UnixTime(2_500),
            ..s.clone()
        },
        "a new id; nothing else changes"
    );
    assert_eq!(
        db.session_by_hash(&other.id_hash).await.unwrap(),
        Some(other),
        "only that session"
    );
    assert!(
        !db.refresh_auth_time(
            &s.id_hash,
            &"again".into(),
            &Effects::default(),
            UnixTime(2_501)
        )
        .await
        .unwrap(),
        "an id that is gone renames nothing"
    );
    assert_eq!(events(db, &acme.id).await[0], "signin.reauthenticated");

    // Its effects fail: auth_time stays.
    let failing = failing_effects(db, &alice).await;
    assert!(
        db.refresh_auth_time(&renamed, &"failed".into(), &failing, UnixTime(2_600))
            .await
            .is_err()
    );
    assert_eq!(db.session_by_hash(&renamed).await.unwrap(), Some(refreshed));
}
