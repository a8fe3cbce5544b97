//! The store conformance suite: every test runs on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use latchkey_core::accounts::email::EmailVerification;
use latchkey_core::accounts::session::{AuthMethod, Session, SessionPolicy, SessionStage};
use latchkey_core::accounts::user::{LoginKey, User, UserStatus, new_security_stamp};
use latchkey_core::effects::audit::{AuditEvent, RequestMeta};
use latchkey_core::effects::mail::{Delivery, Language, MailMessage, OutboxMail};
use latchkey_core::factors::passkey::{Ceremony, CeremonyKind, PasskeyCredential};
use latchkey_core::factors::recovery_codes::RecoveryCode;
use latchkey_core::factors::totp::TotpCredential;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::recovery::case::{
    CaseFacts, CaseState, FactorKind, FactorReset, RecoveryCase, RecoveryPolicy,
};
use latchkey_core::store::*;
use latchkey_core::tenants::{Tenant, TenantInput, TenantSlug};
use latchkey_store::testing::TestDb;
use latchkey_store::{Backend, Db};

macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let t = latchkey_store::testing::TestDb::new(latchkey_store::Backend::Sqlite).await.unwrap();
                super::$name(&t).await;
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let t = latchkey_store::testing::TestDb::new(latchkey_store::Backend::Postgres).await.unwrap();
                super::$name(&t).await;
            })+
        }
    };
}

on_both_backends!(
    a_refresh_generation_moves_on_once_under_concurrency,
    oauth_records_are_purged_once_they_can_no_longer_be_used,
    a_revoked_client_token_is_kept_until_it_expires,
    a_deleted_client_takes_its_grants_and_codes_with_it,
    a_tenant_change_from_an_older_read_is_refused,
    migrations_are_idempotent,
    tenants_roundtrip_and_slugs_are_unique,
    users_roundtrip_and_are_unique_per_tenant,
    disabling_a_user_revokes_sessions,
    rehash_only_replaces_the_expected_hash,
    sessions_roundtrip_touch_and_delete,
    rate_limits_count_in_windows,
    rate_limits_are_atomic_under_concurrency,
    audit_events_are_listed_newest_first,
    starting_a_session_is_all_or_nothing,
    outbox_claims_leases_retries_and_forgets_parameters,
    outbox_claims_never_hand_one_message_to_two_senders,
    outbox_parameters_are_sealed_at_rest,
    email_verifications_are_used_once_for_the_address_they_were_sent_to,
    totp_one_per_user_and_steps_only_move_forward,
    a_second_factor_completes_a_session_once,
    recovery_codes_are_replaced_as_a_set_and_used_once,
    passkey_ceremonies_are_taken_once,
    passkeys_are_per_user_and_the_last_factor_takes_the_codes,
    a_passkey_use_counts_only_over_the_state_it_was_checked_against,
    removing_a_passkey_signs_everyone_else_out,
    concurrent_removals_keep_the_last_factor,
    one_open_recovery_case_per_user_and_versions_guard_updates,
    a_recovery_code_is_spent_only_with_the_cases_move,
    wrong_proofs_count_atomically_on_real_cases_and_decoys_alike,
    a_case_proven_again_supersedes_the_first_in_one_transaction,
    completion_happens_once_under_fifty_concurrent_requests,
    a_failed_completion_changes_nothing,
);

fn mail(id: &str, at: i64) -> OutboxMail {
    OutboxMail {
        id: id.into(),
        tenant_id: None,
        recipient: "alice@example.com".into(),
        language: Language::De,
        message: MailMessage::VerifyEmail {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            link: format!("https://id.example/t/acme/verify-email?token={id}"),
            expires_hours: 24,
        },
        created_at: UnixTime(at),
    }
}

fn audit_for(s: &Session, event: &str) -> AuditEvent {
    AuditEvent {
        id: new_id(&OsRandom),
        tenant_id: Some(s.tenant_id.clone()),
        user_id: Some(s.user_id.clone()),
        actor: format!("user:{}", s.user_id),
        event: event.into(),
        ip: None,
        user_agent: None,
        detail: "{}".into(),
        at: s.created_at,
    }
}

/// Starts a session with an audit event and no counter changes.
async fn start(db: &Db, s: &Session) -> Result<(), StoreError> {
    db.start_session(
        s,
        &Effects::audit(audit_for(s, "signin.succeeded")),
        s.created_at,
    )
    .await
}

fn tenant(slug: &str) -> Tenant {
    TenantInput {
        slug: slug.into(),
        display_name: format!("Tenant {slug}"),
        ..Default::default()
    }
    .parse(new_id(&OsRandom), UnixTime(1_000))
    .unwrap()
}

fn user(tenant: &Tenant, name: &str, email: &str) -> User {
    User {
        id: new_id(&OsRandom),
        tenant_id: tenant.id.clone(),
        username: name.into(),
        username_key: name.to_lowercase(),
        email: email.into(),
        email_key: email.to_lowercase(),
        display_name: name.into(),
        status: UserStatus::Active,
        email_verified: true,
        language: None,
        password_hash: Some("$argon2id$stub".into()),
        security_stamp: new_security_stamp(&OsRandom),
        role: latchkey_core::accounts::user::Role::Member,
        password_reset_at: None,
        created_at: UnixTime(1_000),
        updated_at: UnixTime(1_000),
    }
}

async fn setup(db: &Db) -> (Tenant, User) {
    let t = tenant("acme");
    db.insert_tenant(&t).await.unwrap();
    let u = user(&t, "alice", "alice@example.com");
    db.insert_user(&u, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    (t, u)
}

async fn migrations_are_idempotent(t: &TestDb) {
    let status = t.db.migration_status().await.unwrap();
    assert!(status.is_current());
    assert_eq!(t.db.migrate(5).await.unwrap(), Vec::<i64>::new());
    assert_eq!(
        status.applied,
        latchkey_store::known_versions(t.db.backend())
    );
}

async fn tenants_roundtrip_and_slugs_are_unique(t: &TestDb) {
    let db = &t.db;
    let acme = tenant("acme");
    db.insert_tenant(&acme).await.unwrap();
    db.insert_tenant(&tenant("beta")).await.unwrap();
    let found = db
        .tenant_by_slug(&TenantSlug::parse("acme").unwrap())
        .await
        .unwrap();
    assert_eq!(found, Some(acme));
    assert_eq!(
        db.tenant_by_slug(&TenantSlug::parse("nope").unwrap())
            .await
            .unwrap(),
        None
    );
    let err = db.insert_tenant(&tenant("acme")).await.unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    let slugs: Vec<_> = db
        .list_tenants()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.slug.to_string())
        .collect();
    assert_eq!(slugs, ["acme", "beta"]);
}

async fn users_roundtrip_and_are_unique_per_tenant(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let by_name = db
        .user_by_login(&acme.id, &LoginKey::Username("alice".into()))
        .await
        .unwrap();
    assert_eq!(by_name.as_ref(), Some(&alice));
    let by_mail = db
        .user_by_login(&acme.id, &LoginKey::Email("alice@example.com".into()))
        .await
        .unwrap();
    assert_eq!(by_mail.as_ref(), Some(&alice));
    assert_eq!(
        db.user_by_id(&acme.id, &alice.id).await.unwrap(),
        Some(alice.clone())
    );

    let same_name = db
        .insert_user(
            &user(&acme, "ALICE", "other@example.com"),
            &Effects::default(),
            UnixTime(1_000),
        )
        .await
        .unwrap_err();
    let StoreError::Unique(c) = same_name else {
        panic!("{same_name:?}")
    };
    assert!(c.contains("username"), "{c}");
    let same_mail = db
        .insert_user(
            &user(&acme, "bob", "Alice@Example.com"),
            &Effects::default(),
            UnixTime(1_000),
        )
        .await
        .unwrap_err();
    let StoreError::Unique(c) = same_mail else {
        panic!("{same_mail:?}")
    };
    assert!(c.contains("email"), "{c}");

    // Another tenant may have the same names; lookups never cross tenants.
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let alice_beta = user(&beta, "alice", "alice@example.com");
    db.insert_user(&alice_beta, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    let found = db
        .user_by_login(&beta.id, &LoginKey::Username("alice".into()))
        .await
        .unwrap();
    assert_eq!(found.map(|u| u.id), Some(alice_beta.id));
    assert_eq!(db.user_by_id(&beta.id, &alice.id).await.unwrap(), None);
    assert_eq!(db.list_users(&acme.id).await.unwrap(), vec![alice]);
}

fn session_for(user: &User, now: i64) -> (SecretToken, Session) {
    let token = SecretToken::generate(&OsRandom);
    let meta = RequestMeta::new(Some("127.0.0.1".into()), Some("test"));
    let s = Session::new(
        &token,
        user,
        vec![AuthMethod::Password],
        UnixTime(now),
        &SessionPolicy::default(),
        &meta,
    );
    (token, s)
}

async fn disabling_a_user_revokes_sessions(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let (_, s) = session_for(&alice, 2_000);
    start(db, &s).await.unwrap();
    assert!(
        db.set_user_status(&acme.id, &alice.id, UserStatus::Disabled, UnixTime(3_000))
            .await
            .unwrap()
    );
    assert_eq!(db.session_by_hash(&s.id_hash).await.unwrap(), None);
    let u = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(
        (u.status, u.updated_at),
        (UserStatus::Disabled, UnixTime(3_000))
    );
    assert!(
        !db.set_user_status(
            &acme.id,
            "no-such-user",
            UserStatus::Disabled,
            UnixTime(3_000)
        )
        .await
        .unwrap()
    );
}

async fn rehash_only_replaces_the_expected_hash(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    assert!(
        !db.replace_password_hash(&alice.id, "$other", "$new", UnixTime(2))
            .await
            .unwrap()
    );
    assert!(
        db.replace_password_hash(&alice.id, "$argon2id$stub", "$new", UnixTime(2))
            .await
            .unwrap()
    );
    let u = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(u.password_hash.as_deref(), Some("$new"));
}

async fn sessions_roundtrip_touch_and_delete(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let (token, s) = session_for(&alice, 2_000);
    start(db, &s).await.unwrap();
    assert_eq!(
        db.session_by_hash(&token.hash()).await.unwrap(),
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

async fn rate_limits_count_in_windows(t: &TestDb) {
    let db = &t.db;
    let hit = |d, now| db.rate_limit_add("k", d, UnixTime(now), 60);
    assert_eq!(hit(1, 100).await.unwrap().count, 1);
    assert_eq!(hit(1, 110).await.unwrap().count, 2);
    let h = hit(-1, 120).await.unwrap();
    assert_eq!((h.count, h.window_start), (1, UnixTime(100)));
    assert_eq!(hit(-5, 121).await.unwrap().count, 0);
    // the window of 60 s starting at 100 is over at 160
    let h = hit(1, 160).await.unwrap();
    assert_eq!((h.count, h.window_start), (1, UnixTime(160)));
    db.rate_limit_clear("k").await.unwrap();
    assert_eq!(hit(1, 161).await.unwrap().count, 1);
    assert_eq!(
        db.rate_limit_add("other", 1, UnixTime(161), 60)
            .await
            .unwrap()
            .count,
        1
    );
    // counters whose window is long over are deleted
    db.rate_limit_add("old", 3, UnixTime(50), 60).await.unwrap();
    assert_eq!(db.purge_rate_limits(UnixTime(161)).await.unwrap(), 1);
    assert_eq!(hit(0, 170).await.unwrap().count, 1, "the others stay");
    assert_eq!(
        db.rate_limit_add("old", 0, UnixTime(60), 60)
            .await
            .unwrap()
            .count,
        0
    );
}

async fn rate_limits_are_atomic_under_concurrency(t: &TestDb) {
    let mut tasks = vec![];
    for _ in 0..40 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            db.rate_limit_add("race", 1, UnixTime(500), 60)
                .await
                .unwrap()
                .count
        }));
    }
    let mut counts = vec![];
    for task in tasks {
        counts.push(task.await.unwrap());
    }
    counts.sort();
    assert_eq!(counts, (1..=40).collect::<Vec<_>>());
}

async fn audit_events_are_listed_newest_first(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    for (i, event) in ["a.first", "a.second"].into_iter().enumerate() {
        db.insert_audit(&AuditEvent {
            id: new_id(&OsRandom),
            tenant_id: Some(acme.id.clone()),
            user_id: Some(alice.id.clone()),
            actor: "system".into(),
            event: event.into(),
            ip: None,
            user_agent: Some("ua".into()),
            detail: "{}".into(),
            at: UnixTime(10 + i as i64),
        })
        .await
        .unwrap();
    }
    let events = db.list_audit(&acme.id, 10).await.unwrap();
    let names: Vec<_> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names, ["a.second", "a.first"]);
    assert_eq!(db.list_audit(&acme.id, 1).await.unwrap().len(), 1);
    assert!(db.list_audit("other", 10).await.unwrap().is_empty());
    let _ = Backend::Sqlite;
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

async fn outbox_claims_leases_retries_and_forgets_parameters(t: &TestDb) {
    let db = &t.db;
    let effects = Effects {
        mail: vec![mail("m1", 100), mail("m2", 100)],
        ..Default::default()
    };
    db.apply(&effects, UnixTime(100)).await.unwrap();
    assert_eq!(db.outbox_counts().await.unwrap(), (2, 0, 0));
    let claim = |now: i64, token: &'static str| db.claim_mail(UnixTime(now), 60, 10, token);
    let record = |id: &'static str, token: &'static str, outcome: Delivery, now: i64| async move {
        db.record_delivery(id, token, &outcome, UnixTime(now))
            .await
            .unwrap()
    };

    let claimed = claim(100, "c1").await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(
        claimed[0].mail,
        mail(&claimed[0].mail.id, 100),
        "stored and read back whole"
    );
    assert_eq!(claimed[0].attempts, 0);
    // leased: nobody else gets them
    assert!(claim(120, "c2").await.unwrap().is_empty());

    // only the claim's holder records an outcome, once
    assert!(!record("m2", "c2", Delivery::Sent, 125).await);
    let retry = Delivery::Retry {
        error: "421 try later".into(),
        retry_at: UnixTime(500),
    };
    assert!(record("m1", "c1", retry, 130).await);
    assert!(record("m2", "c1", Delivery::Sent, 130).await);
    assert!(!record("m2", "c1", Delivery::Sent, 131).await, "once");
    assert_eq!(db.outbox_counts().await.unwrap(), (1, 1, 0));
    assert!(
        claim(499, "c3").await.unwrap().is_empty(),
        "not before retry_at"
    );
    let again = claim(500, "c4").await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].mail.id.as_str(), again[0].attempts), ("m1", 1));

    // an expired lease (a sender that died) makes the message claimable again,
    // and the old holder can no longer record over the new one
    assert_eq!(claim(561, "c5").await.unwrap().len(), 1);
    assert!(!record("m1", "c4", Delivery::Sent, 565).await);
    assert!(
        record(
            "m1",
            "c5",
            Delivery::Failed {
                error: "550 no such user".into()
            },
            570
        )
        .await
    );
    assert_eq!(db.outbox_counts().await.unwrap(), (0, 1, 1));
    assert!(claim(10_000, "c6").await.unwrap().is_empty());
    assert!(!record("nope", "c6", Delivery::Sent, 1).await);
}

async fn outbox_claims_never_hand_one_message_to_two_senders(t: &TestDb) {
    let effects = Effects {
        mail: (0..10).map(|i| mail(&format!("m{i}"), 100)).collect(),
        ..Default::default()
    };
    t.db.apply(&effects, UnixTime(100)).await.unwrap();
    let mut tasks = vec![];
    for _ in 0..8 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = vec![];
            loop {
                let claim = latchkey_core::platform::random::new_id(&OsRandom);
                let claimed = db.claim_mail(UnixTime(100), 60, 2, &claim).await.unwrap();
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed.into_iter().map(|c| c.mail.id));
            }
        }));
    }
    let mut all = vec![];
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort();
    let expected: Vec<String> = {
        let mut v: Vec<String> = (0..10).map(|i| format!("m{i}")).collect();
        v.sort();
        v
    };
    assert_eq!(all, expected);
}

async fn email_verifications_are_used_once_for_the_address_they_were_sent_to(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    db.set_user_status(&acme.id, &alice.id, UserStatus::Active, UnixTime(1))
        .await
        .unwrap();
    let v = |id: &str, email_key: &str| EmailVerification {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        email_key: email_key.into(),
        token_hash: format!("hash-{id}"),
        created_at: UnixTime(10),
        expires_at: UnixTime(100),
        used_at: None,
    };
    let current = v("v1", &alice.email_key);
    let stale = v("v2", "old@example.com");
    let effects = Effects {
        email_verifications: vec![current.clone(), stale.clone()],
        ..Default::default()
    };
    db.apply(&effects, UnixTime(10)).await.unwrap();
    assert_eq!(
        db.email_verification_by_hash("hash-v1").await.unwrap(),
        Some(current.clone())
    );
    assert_eq!(
        db.email_verification_by_hash("hash-none").await.unwrap(),
        None
    );

    // a link for an address the user no longer has changes nothing
    assert!(
        !db.consume_email_verification(&stale, &Effects::default(), UnixTime(20))
            .await
            .unwrap()
    );
    assert_eq!(
        db.email_verification_by_hash("hash-v2")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        None
    );

    assert!(
        db.consume_email_verification(&current, &Effects::default(), UnixTime(20))
            .await
            .unwrap()
    );
    assert_eq!(
        db.email_verification_by_hash("hash-v1")
            .await
            .unwrap()
            .unwrap()
            .used_at,
        Some(UnixTime(20))
    );
    assert!(
        db.user_by_id(&acme.id, &alice.id)
            .await
            .unwrap()
            .unwrap()
            .email_verified
    );
    assert!(
        !db.consume_email_verification(&current, &Effects::default(), UnixTime(21))
            .await
            .unwrap(),
        "only once"
    );
}

async fn totp_one_per_user_and_steps_only_move_forward(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let cred = |id: &str| TotpCredential {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        secret_sealed: "v1.sealed".into(),
        last_used_step: Some(100),
        created_at: UnixTime(5),
    };
    db.insert_totp(&cred("t1"), &Effects::default(), UnixTime(5))
        .await
        .unwrap();
    assert_eq!(db.totp_for_user(&alice.id).await.unwrap(), Some(cred("t1")));
    let err = db
        .insert_totp(&cred("t2"), &Effects::default(), UnixTime(6))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");

    assert!(
        !db.use_totp_step("t1", 100).await.unwrap(),
        "the enrolment step is used"
    );
    assert!(!db.use_totp_step("t1", 99).await.unwrap());
    assert!(db.use_totp_step("t1", 101).await.unwrap());
    // the same step from many requests at once: exactly one wins
    let mut tasks = vec![];
    for _ in 0..10 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.use_totp_step("t1", 102).await.unwrap()
        }));
    }
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1);
    assert_eq!(
        db.totp_for_user(&alice.id)
            .await
            .unwrap()
            .unwrap()
            .last_used_step,
        Some(102)
    );

    assert!(
        db.delete_totp(&alice.id, false, &Effects::default(), UnixTime(7))
            .await
            .unwrap()
            == FactorRemoval::Removed
    );
    assert!(
        db.delete_totp(&alice.id, false, &Effects::default(), UnixTime(8))
            .await
            .unwrap()
            == FactorRemoval::NotFound
    );
    assert_eq!(db.totp_for_user(&alice.id).await.unwrap(), None);
}

async fn a_second_factor_completes_a_session_once(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    // alice's password was set from a mailed link ...
    let reset = latchkey_core::accounts::password_reset::PasswordReset {
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
    let completed = db.session_by_hash("new-hash").await.unwrap().unwrap();
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

async fn recovery_codes_are_replaced_as_a_set_and_used_once(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let set = |prefix: &str| -> Vec<RecoveryCode> {
        (0..3)
            .map(|i| RecoveryCode {
                id: format!("{prefix}{i}"),
                tenant_id: acme.id.clone(),
                user_id: alice.id.clone(),
                code_hash: format!("{prefix}-hash-{i}"),
                created_at: UnixTime(1),
                used_at: None,
            })
            .collect()
    };
    db.replace_recovery_codes(&alice.id, &set("a"), &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 3);
    assert!(
        db.use_recovery_code(&alice.id, "a-hash-1", UnixTime(2))
            .await
            .unwrap()
    );
    assert!(
        !db.use_recovery_code(&alice.id, "a-hash-1", UnixTime(3))
            .await
            .unwrap(),
        "once"
    );
    assert!(
        !db.use_recovery_code("someone-else", "a-hash-2", UnixTime(3))
            .await
            .unwrap()
    );
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 2);
    db.replace_recovery_codes(&alice.id, &set("b"), &Effects::default(), UnixTime(4))
        .await
        .unwrap();
    assert!(
        !db.use_recovery_code(&alice.id, "a-hash-2", UnixTime(5))
            .await
            .unwrap(),
        "old set ended"
    );
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 3);
}

async fn outbox_parameters_are_sealed_at_rest(t: &TestDb) {
    let key = [4u8; 32];
    let sealed =
        t.db.clone()
            .with_sealing(latchkey_core::platform::crypto::SecretBox::new(&key));
    sealed
        .apply(
            &Effects {
                mail: vec![mail("s1", 100)],
                ..Default::default()
            },
            UnixTime(100),
        )
        .await
        .unwrap();
    // written in clear before sealing was on: still readable
    t.db.apply(
        &Effects {
            mail: vec![mail("p1", 100)],
            ..Default::default()
        },
        UnixTime(100),
    )
    .await
    .unwrap();

    let stored = latchkey_store::testing::outbox_params(&t.db, "s1")
        .await
        .unwrap();
    assert!(
        stored.starts_with("v1.") && !stored.contains("verify-email"),
        "{stored}"
    );
    let claimed = sealed.claim_mail(UnixTime(100), 60, 10, "c").await.unwrap();
    let mut ids: Vec<_> = claimed.iter().map(|c| c.mail.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["p1", "s1"]);
    assert!(
        claimed.iter().any(|c| c.mail == mail("s1", 100)),
        "opens whole"
    );
    for id in ["p1", "s1"] {
        assert!(
            sealed
                .record_delivery(id, "c", &Delivery::Sent, UnixTime(110))
                .await
                .unwrap()
        );
    }

    // under another key the sealed message cannot be read: it is failed, not stuck
    sealed
        .apply(
            &Effects {
                mail: vec![mail("s2", 100)],
                ..Default::default()
            },
            UnixTime(100),
        )
        .await
        .unwrap();
    let other =
        t.db.clone()
            .with_sealing(latchkey_core::platform::crypto::SecretBox::new(&[5u8; 32]));
    assert!(
        other
            .claim_mail(UnixTime(200), 60, 10, "d")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(t.db.outbox_counts().await.unwrap().2, 1, "s2 failed");
}

async fn passkey_ceremonies_are_taken_once(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let ceremony = |id: &str, session: Option<&str>, kind| Ceremony {
        id_hash: id.into(),
        tenant_id: acme.id.clone(),
        user_id: session.map(|_| alice.id.clone()),
        session_hash: session.map(str::to_owned),
        kind,
        name: Some("YubiKey".into()),
        state_sealed: format!("v1.state-{id}"),
        expires_at: UnixTime(100),
    };
    let first = ceremony("c1", Some("s1"), CeremonyKind::Register);
    db.insert_passkey_ceremony(&first, UnixTime(1))
        .await
        .unwrap();
    assert_eq!(db.take_passkey_ceremony("c1").await.unwrap(), Some(first));
    assert_eq!(db.take_passkey_ceremony("c1").await.unwrap(), None, "once");

    // a new ceremony of the same kind in the same session ends the earlier one
    for id in ["c2", "c3"] {
        db.insert_passkey_ceremony(
            &ceremony(id, Some("s1"), CeremonyKind::SecondFactor),
            UnixTime(1),
        )
        .await
        .unwrap();
    }
    db.insert_passkey_ceremony(
        &ceremony("c4", Some("s1"), CeremonyKind::Register),
        UnixTime(1),
    )
    .await
    .unwrap();
    db.insert_passkey_ceremony(
        &ceremony("c5", None, CeremonyKind::Passwordless),
        UnixTime(1),
    )
    .await
    .unwrap();
    assert_eq!(db.take_passkey_ceremony("c2").await.unwrap(), None);
    assert!(db.take_passkey_ceremony("c3").await.unwrap().is_some());

    // concurrent takes: exactly one gets it
    db.insert_passkey_ceremony(
        &ceremony("c6", None, CeremonyKind::Passwordless),
        UnixTime(1),
    )
    .await
    .unwrap();
    let mut tasks = vec![];
    for _ in 0..10 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.take_passkey_ceremony("c6").await.unwrap().is_some()
        }));
    }
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1);

    assert_eq!(db.purge_passkey_ceremonies(UnixTime(100)).await.unwrap(), 0);
    assert_eq!(db.purge_passkey_ceremonies(UnixTime(101)).await.unwrap(), 2);
    assert_eq!(db.take_passkey_ceremony("c4").await.unwrap(), None);
}

async fn passkeys_are_per_user_and_the_last_factor_takes_the_codes(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = user(&acme, "bob", "bob@example.com");
    db.insert_user(&bob, &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    let key = |id: &str, owner: &User, credential_id: &str| PasskeyCredential {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: owner.id.clone(),
        name: format!("key {id}"),
        credential_id: credential_id.into(),
        passkey: "{}".into(),
        backup_eligible: id == "k2",
        created_at: UnixTime(i64::from(id.as_bytes()[1])),
        last_used_at: None,
        suspected_clone_at: None,
    };
    db.insert_passkey(
        &key("k1", &alice, "cred-a"),
        &Effects::default(),
        UnixTime(1),
    )
    .await
    .unwrap();
    db.insert_passkey(
        &key("k2", &alice, "cred-b"),
        &Effects::default(),
        UnixTime(1),
    )
    .await
    .unwrap();
    let err = db
        .insert_passkey(
            &key("k3", &alice, "cred-a"),
            &Effects::default(),
            UnixTime(1),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    // nor may anyone else (WebAuthn §7.1)
    let err = db
        .insert_passkey(&key("k5", &bob, "cred-a"), &Effects::default(), UnixTime(1))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    db.insert_passkey(&key("k4", &bob, "cred-c"), &Effects::default(), UnixTime(1))
        .await
        .unwrap();

    let keys = db.passkeys_for_user(&alice.id).await.unwrap();
    assert_eq!(
        keys.iter()
            .map(|k| (k.id.as_str(), k.backup_eligible))
            .collect::<Vec<_>>(),
        [("k1", false), ("k2", true)]
    );
    assert!(
        db.record_passkey_use("k1", "{}", "{\"counter\":2}", true, UnixTime(9))
            .await
            .unwrap()
    );
    assert!(
        db.rename_passkey(
            &alice.id,
            "k1",
            "Blue key",
            &Effects::default(),
            UnixTime(9)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.rename_passkey(&bob.id, "k1", "stolen", &Effects::default(), UnixTime(9))
            .await
            .unwrap(),
        "only the owner renames"
    );
    let k1 = db.passkeys_for_user(&alice.id).await.unwrap().remove(0);
    assert_eq!(
        (
            k1.name.as_str(),
            k1.passkey.as_str(),
            k1.backup_eligible,
            k1.last_used_at
        ),
        ("Blue key", "{\"counter\":2}", true, Some(UnixTime(9)))
    );

    let codes = vec![RecoveryCode {
        id: "rc1".into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        code_hash: "h".into(),
        created_at: UnixTime(1),
        used_at: None,
    }];
    db.replace_recovery_codes(&alice.id, &codes, &Effects::default(), UnixTime(1))
        .await
        .unwrap();
    assert!(
        db.delete_passkey(
            &bob.id,
            "k1",
            false,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap()
            == FactorRemoval::NotFound,
        "only the owner removes"
    );
    assert!(
        db.delete_passkey(
            &alice.id,
            "k1",
            false,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap()
            == FactorRemoval::Removed
    );
    assert_eq!(
        db.unused_recovery_codes(&alice.id).await.unwrap(),
        1,
        "another factor remains"
    );
    assert_eq!(
        db.delete_passkey(
            &alice.id,
            "k2",
            true,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap(),
        FactorRemoval::LastFactor,
        "kept: the last one"
    );
    assert_eq!(db.passkeys_for_user(&alice.id).await.unwrap().len(), 1);
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 1);
    assert!(
        db.delete_passkey(
            &alice.id,
            "k2",
            false,
            &NOBODY_KEPT,
            &Effects::default(),
            UnixTime(10)
        )
        .await
        .unwrap()
            == FactorRemoval::Removed
    );
    assert_eq!(
        db.unused_recovery_codes(&alice.id).await.unwrap(),
        0,
        "the last factor takes the codes"
    );
    assert_eq!(db.passkeys_for_user(&bob.id).await.unwrap().len(), 1);
}

/// A removal in tests that keep no session.
const NOBODY_KEPT: SignOutOthers<'static> = SignOutOthers {
    security_stamp: "stamp-after-removal",
    keep_session: "no-session",
    new_session: "no-new-session",
};

fn passkey_of(user: &User, id: &str, state: &str) -> PasskeyCredential {
    PasskeyCredential {
        id: id.into(),
        tenant_id: user.tenant_id.clone(),
        user_id: user.id.clone(),
        name: format!("key {id}"),
        credential_id: format!("cred-{id}"),
        passkey: state.into(),
        backup_eligible: false,
        created_at: UnixTime(1_100),
        last_used_at: None,
        suspected_clone_at: None,
    }
}

async fn a_passkey_use_counts_only_over_the_state_it_was_checked_against(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    db.insert_passkey(
        &passkey_of(&alice, "k1", "{\"counter\":1}"),
        &Effects::default(),
        UnixTime(1_100),
    )
    .await
    .unwrap();
    assert!(
        db.record_passkey_use(
            "k1",
            "{\"counter\":1}",
            "{\"counter\":2}",
            false,
            UnixTime(1_200)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.record_passkey_use(
            "k1",
            "{\"counter\":1}",
            "{\"counter\":2}",
            false,
            UnixTime(1_300)
        )
        .await
        .unwrap(),
        "checked against a counter another use has moved on"
    );
    let stored = db.passkeys_for_user(&alice.id).await.unwrap().remove(0);
    assert_eq!(
        (
            stored.passkey.as_str(),
            stored.last_used_at,
            stored.signs_in()
        ),
        ("{\"counter\":2}", Some(UnixTime(1_200)), true)
    );

    let (_, s) = session_for(&alice, 1_400);
    let marked = |event: &str| Effects::audit(audit_for(&s, event));
    assert!(
        db.mark_passkey_cloned(
            "k1",
            &marked("factor.passkey.clone_suspected"),
            UnixTime(1_400)
        )
        .await
        .unwrap()
    );
    assert!(
        !db.mark_passkey_cloned(
            "k1",
            &marked("factor.passkey.clone_suspected"),
            UnixTime(1_500)
        )
        .await
        .unwrap(),
        "marked once"
    );
    let events = db.list_audit(&acme.id, 10).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event == "factor.passkey.clone_suspected")
            .count(),
        1,
        "the effects of the first mark only"
    );
    let stored = db.passkeys_for_user(&alice.id).await.unwrap().remove(0);
    assert_eq!(stored.suspected_clone_at, Some(UnixTime(1_400)));
    assert!(!stored.signs_in());
    assert!(
        !db.record_passkey_use(
            "k1",
            "{\"counter\":2}",
            "{\"counter\":3}",
            false,
            UnixTime(1_600)
        )
        .await
        .unwrap(),
        "a suspected copy records no use"
    );
}

async fn removing_a_passkey_signs_everyone_else_out(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = user(&acme, "bob", "bob@example.com");
    db.insert_user(&bob, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    for id in ["k1", "k2"] {
        db.insert_passkey(
            &passkey_of(&alice, id, "{}"),
            &Effects::default(),
            UnixTime(1_100),
        )
        .await
        .unwrap();
    }
    let (_, kept) = session_for(&alice, 2_000);
    let (_, other) = session_for(&alice, 2_000);
    let (_, bobs) = session_for(&bob, 2_000);
    for s in [&kept, &other, &bobs] {
        start(db, s).await.unwrap();
    }
    let stamp = new_security_stamp(&OsRandom);
    let renewed = SecretToken::generate(&OsRandom);
    let others = SignOutOthers {
        security_stamp: &stamp,
        keep_session: &kept.id_hash,
        new_session: &renewed.hash(),
    };
    assert_eq!(
        db.delete_passkey(
            &alice.id,
            "k1",
            true,
            &others,
            &Effects::default(),
            UnixTime(2_100)
        )
        .await
        .unwrap(),
        FactorRemoval::Removed
    );
    assert_eq!(db.session_by_hash(&other.id_hash).await.unwrap(), None);
    assert_eq!(db.session_by_hash(&kept.id_hash).await.unwrap(), None);
    let stays = db.session_by_hash(&renewed.hash()).await.unwrap().unwrap();
    assert_eq!(
        stays.security_stamp, stamp,
        "the kept session takes the new stamp"
    );
    let alice_now = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(alice_now.security_stamp, stamp);
    assert!(
        db.session_by_hash(&bobs.id_hash).await.unwrap().is_some(),
        "other users are not touched"
    );

    // A refused removal changes nothing, sessions included.
    let (_, later) = session_for(&alice_now, 2_200);
    start(db, &later).await.unwrap();
    let again = SignOutOthers {
        security_stamp: "another-stamp",
        keep_session: &later.id_hash,
        new_session: "unused",
    };
    assert_eq!(
        db.delete_passkey(
            &alice.id,
            "k2",
            true,
            &again,
            &Effects::default(),
            UnixTime(2_300)
        )
        .await
        .unwrap(),
        FactorRemoval::LastFactor
    );
    assert!(db.session_by_hash(&renewed.hash()).await.unwrap().is_some());
    assert!(db.session_by_hash(&later.id_hash).await.unwrap().is_some());
    let alice_now = db.user_by_id(&acme.id, &alice.id).await.unwrap().unwrap();
    assert_eq!(alice_now.security_stamp, stamp);
}

async fn concurrent_removals_keep_the_last_factor(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    for round in 0..5 {
        let totp = TotpCredential {
            id: format!("t{round}"),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            secret_sealed: "v1.sealed".into(),
            last_used_step: None,
            created_at: UnixTime(1),
        };
        db.insert_totp(&totp, &Effects::default(), UnixTime(1))
            .await
            .unwrap();
        let key = PasskeyCredential {
            id: format!("k{round}"),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            name: "key".into(),
            credential_id: format!("cred-{round}"),
            passkey: "{}".into(),
            backup_eligible: false,
            created_at: UnixTime(1),
            last_used_at: None,
            suspected_clone_at: None,
        };
        db.insert_passkey(&key, &Effects::default(), UnixTime(1))
            .await
            .unwrap();
        let (d1, d2, user) = (db.clone(), db.clone(), alice.id.clone());
        let user2 = user.clone();
        let key_id = key.id.clone();
        let app = tokio::spawn(async move {
            d1.delete_totp(&user, true, &Effects::default(), UnixTime(2))
                .await
                .unwrap()
        });
        let passkey = tokio::spawn(async move {
            d2.delete_passkey(
                &user2,
                &key_id,
                true,
                &NOBODY_KEPT,
                &Effects::default(),
                UnixTime(2),
            )
            .await
            .unwrap()
        });
        let mut outcomes = [app.await.unwrap(), passkey.await.unwrap()];
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert_eq!(
            outcomes,
            [FactorRemoval::LastFactor, FactorRemoval::Removed],
            "round {round}: exactly one may go"
        );
        let left = usize::from(db.totp_for_user(&alice.id).await.unwrap().is_some())
            + db.passkeys_for_user(&alice.id).await.unwrap().len();
        assert_eq!(left, 1);
        // clean up for the next round
        let _ = db
            .delete_totp(&alice.id, false, &Effects::default(), UnixTime(3))
            .await;
        for k in db.passkeys_for_user(&alice.id).await.unwrap() {
            db.delete_passkey(
                &alice.id,
                &k.id,
                false,
                &NOBODY_KEPT,
                &Effects::default(),
                UnixTime(3),
            )
            .await
            .unwrap();
        }
    }
}

fn case_for(user: &User, id: &str, state: CaseState) -> RecoveryCase {
    let mut facts = CaseFacts::start(UnixTime(2_000), false, &RecoveryPolicy::default());
    facts.state = state;
    RecoveryCase {
        id: id.into(),
        tenant_id: user.tenant_id.clone(),
        user_id: Some(user.id.clone()),
        facts,
        email_key: Some(user.email_key.clone()),
        code_withheld: false,
        email_code_hash: None,
        email_code_expires_at: None,
        browser_hash: format!("browser-{id}"),
        cancel_token_hash: None,
        return_to: None,
        updated_at: UnixTime(2_000),
        version: 1,
        closed_at: None,
    }
}

/// Review low: a recovery code was spent even when the case update then
/// failed; now both happen in one transaction or neither does.
async fn a_recovery_code_is_spent_only_with_the_cases_move(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let code = |id: &str| RecoveryCode {
        id: id.into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        code_hash: format!("hash-{id}"),
        created_at: UnixTime(1),
        used_at: None,
    };
    db.replace_recovery_codes(
        &alice.id,
        &[code("1"), code("2")],
        &Effects::default(),
        UnixTime(1),
    )
    .await
    .unwrap();
    assert!(db.recovery_code_unused(&alice.id, "hash-1").await.unwrap());
    assert!(!db.recovery_code_unused(&alice.id, "hash-9").await.unwrap());
    let case = case_for(&alice, "c1", CaseState::Started);
    db.insert_case(&case, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let mut proven = case.clone();
    proven.facts.state = CaseState::Ready;
    proven.facts.proofs.recovery_code = true;

    // another request moved the case first: the code stays unused
    let mut other = case.clone();
    other.facts.wrong_codes = 1;
    assert!(
        db.update_case(&other, None, None, &Effects::default(), UnixTime(2_001))
            .await
            .unwrap()
    );
    assert!(
        !db.update_case(
            &proven,
            Some("hash-1"),
            None,
            &Effects::default(),
            UnixTime(2_002)
        )
        .await
        .unwrap()
    );
    assert!(
        db.recovery_code_unused(&alice.id, "hash-1").await.unwrap(),
        "not spent"
    );

    // a used (or unknown) code: the case stays as it was
    let current = db.case_by_id("c1").await.unwrap().unwrap();
    assert!(
        db.use_recovery_code(&alice.id, "hash-2", UnixTime(2_003))
            .await
            .unwrap()
    );
    let proven = RecoveryCase {
        facts: proven.facts,
        ..current.clone()
    };
    assert!(
        !db.update_case(
            &proven,
            Some("hash-2"),
            None,
            &Effects::default(),
            UnixTime(2_004)
        )
        .await
        .unwrap()
    );
    assert_eq!(db.case_by_id("c1").await.unwrap().unwrap(), current);

    // both at once
    assert!(
        db.update_case(
            &proven,
            Some("hash-1"),
            None,
            &Effects::default(),
            UnixTime(2_005)
        )
        .await
        .unwrap()
    );
    assert!(!db.recovery_code_unused(&alice.id, "hash-1").await.unwrap());
    let stored = db.case_by_id("c1").await.unwrap().unwrap();
    assert!(stored.facts.proofs.recovery_code && stored.facts.state == CaseState::Ready);
}

async fn one_open_recovery_case_per_user_and_versions_guard_updates(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let first = case_for(&alice, "c1", CaseState::Started);
    db.insert_case(&first, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    assert_eq!(db.case_by_id("c1").await.unwrap(), Some(first.clone()));
    // Unproven attempts of two browsers coexist ...
    let mut second = case_for(&alice, "c2", CaseState::Started);
    second.facts.started_at = UnixTime(2_001);
    db.insert_case(&second, &Effects::default(), UnixTime(2_001))
        .await
        .unwrap();
    let open: Vec<String> = db
        .open_cases_for_user(&alice.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(open, ["c2", "c1"], "newest first");

    // ... but only one may be proven.
    let mut proven = first.clone();
    proven.facts.state = CaseState::Waiting;
    proven.facts.proofs.email_code = true;
    assert!(
        db.update_case(&proven, None, None, &Effects::default(), UnixTime(2_002))
            .await
            .unwrap()
    );
    let mut also = second.clone();
    also.facts.state = CaseState::Ready;
    let err = db
        .update_case(&also, None, None, &Effects::default(), UnixTime(2_002))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    let mut gone = second;
    gone.facts.state = CaseState::Cancelled;
    assert!(
        db.update_case(&gone, None, None, &Effects::default(), UnixTime(2_002))
            .await
            .unwrap()
    );
    assert!(
        !db.update_case(&proven, None, None, &Effects::default(), UnixTime(2_003))
            .await
            .unwrap(),
        "a stale version changes nothing"
    );
    let stored = db.case_by_id("c1").await.unwrap().unwrap();
    assert_eq!(
        (stored.version, stored.facts.state),
        (2, CaseState::Waiting)
    );
    assert!(stored.facts.proofs.email_code);

    let mut cancelled = stored;
    cancelled.facts.state = CaseState::Cancelled;
    assert!(
        db.update_case(&cancelled, None, None, &Effects::default(), UnixTime(2_004))
            .await
            .unwrap()
    );
    assert!(db.open_cases_for_user(&alice.id).await.unwrap().is_empty());
    assert_eq!(
        db.case_by_id("c1").await.unwrap().unwrap().closed_at,
        Some(UnixTime(2_004))
    );
    // closed: a new case may start
    db.insert_case(
        &case_for(&alice, "c3", CaseState::Started),
        &Effects::default(),
        UnixTime(2_005),
    )
    .await
    .unwrap();
    let counts = db.case_counts(&alice.tenant_id, UnixTime(0)).await.unwrap();
    assert_eq!(counts, [(CaseState::Cancelled, 2), (CaseState::Started, 1)]);
    // housekeeping finds open cases past their end
    let lapsed = db.lapsed_cases(UnixTime(2_000 + 3_600), 10).await.unwrap();
    assert_eq!(
        lapsed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["c3"]
    );
    assert!(
        db.lapsed_cases(UnixTime(2_100), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The security-holes issue, item 3: a wrong proof is counted with one
/// atomic update, so parallel wrong proofs are never lost to a version
/// race; a decoy (no user) is stored and counted exactly like a real case,
/// never counted in statistics, and purged like any case once closed.
async fn wrong_proofs_count_atomically_on_real_cases_and_decoys_alike(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let real = case_for(&alice, "real", CaseState::Started);
    let decoy = RecoveryCase {
        user_id: None,
        email_key: None,
        ..case_for(&alice, "decoy", CaseState::Started)
    };
    for case in [&real, &decoy] {
        db.insert_case(case, &Effects::default(), UnixTime(2_000))
            .await
            .unwrap();
        let mut tasks = vec![];
        for _ in 0..8 {
            let db = db.clone();
            let id = case.id.clone();
            tasks.push(tokio::spawn(async move {
                db.count_wrong_proof(&id, UnixTime(2_001)).await.unwrap()
            }));
        }
        let mut seen = vec![];
        for task in tasks {
            let counted = task.await.unwrap().unwrap();
            seen.push(counted.facts.wrong_codes);
        }
        seen.sort_unstable();
        assert_eq!(
            seen,
            (1..=8).collect::<Vec<u32>>(),
            "{}: none lost",
            case.id
        );
        let stored = db.case_by_id(&case.id).await.unwrap().unwrap();
        assert_eq!((stored.facts.wrong_codes, stored.version), (8, 9));
        assert_eq!(stored.user_id, case.user_id);
        // a stale update does not write the count back
        assert!(
            !db.update_case(case, None, None, &Effects::default(), UnixTime(2_002))
                .await
                .unwrap()
        );
        let mut locked = stored.clone();
        locked.facts.state = CaseState::Locked;
        assert!(
            db.update_case(&locked, None, None, &Effects::default(), UnixTime(2_003))
                .await
                .unwrap()
        );
        assert_eq!(
            db.count_wrong_proof(&case.id, UnixTime(2_004))
                .await
                .unwrap(),
            None,
            "an ended case counts no more"
        );
    }
    let counts = db.case_counts(&alice.tenant_id, UnixTime(0)).await.unwrap();
    assert_eq!(counts, [(CaseState::Locked, 1)], "decoys are no statistics");
    let open = db.open_cases(&alice.tenant_id).await.unwrap();
    assert!(open.is_empty());
    // closed cases go after their time, decoys and real ones alike
    assert_eq!(db.purge_closed_cases(UnixTime(2_003)).await.unwrap(), 0);
    assert_eq!(db.purge_closed_cases(UnixTime(2_004)).await.unwrap(), 2);
    assert_eq!(db.case_by_id("decoy").await.unwrap(), None);
}

/// The security-holes issue, item 4: a case proven again in another browser
/// takes the first one over — the first is cancelled in the same
/// transaction, only if it was still open at the version read.
async fn a_case_proven_again_supersedes_the_first_in_one_transaction(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = setup(db).await;
    let mut first = case_for(&alice, "c1", CaseState::Waiting);
    first.facts.proofs.email_code = true;
    first.facts.proofs.password = true;
    first.facts.proven_at = Some(UnixTime(2_000));
    first.facts.ready_at = Some(UnixTime(90_000));
    first.facts.surge = true;
    db.insert_case(&first, &Effects::default(), UnixTime(2_000))
        .await
        .unwrap();
    let second = case_for(&alice, "c2", CaseState::Started);
    db.insert_case(&second, &Effects::default(), UnixTime(2_001))
        .await
        .unwrap();
    let mut proven = second.clone();
    proven.facts.state = CaseState::Waiting;
    proven.facts.proofs.email_code = true;
    proven.facts.proven_at = Some(UnixTime(2_010));
    proven.facts.ready_at = Some(UnixTime(90_000));
    // without superseding: the one-proven-case index refuses
    let err = db
        .update_case(&proven, None, None, &Effects::default(), UnixTime(2_010))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    // a stale version of the first: nothing changes
    assert!(
        !db.update_case(
            &proven,
            None,
            Some(("c1", 7)),
            &Effects::default(),
            UnixTime(2_010)
        )
        .await
        .unwrap()
    );
    assert_eq!(db.case_by_id("c2").await.unwrap().unwrap(), second);
    assert_eq!(db.case_by_id("c1").await.unwrap().unwrap(), first);
    assert!(
        db.update_case(
            &proven,
            None,
            Some(("c1", first.version)),
            &Effects::default(),
            UnixTime(2_011)
        )
        .await
        .unwrap()
    );
    let old = db.case_by_id("c1").await.unwrap().unwrap();
    assert_eq!(
        (old.facts.state, old.closed_at),
        (CaseState::Cancelled, Some(UnixTime(2_011)))
    );
    assert!(old.facts.surge, "the rest of the first stays as it was");
    let new = db.case_by_id("c2").await.unwrap().unwrap();
    assert_eq!(new.facts.proven_at, Some(UnixTime(2_010)));
    assert_eq!(new.facts.state, CaseState::Waiting);
}

/// Alice with an app, a passkey, recovery codes and two sessions.
async fn fully_equipped(db: &Db) -> (Tenant, User) {
    let (acme, alice) = setup(db).await;
    let totp = TotpCredential {
        id: "t1".into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        secret_sealed: "v1.sealed".into(),
        last_used_step: None,
        created_at: UnixTime(1_100),
    };
    db.insert_totp(&totp, &Effects::default(), UnixTime(1_100))
        .await
        .unwrap();
    let key = PasskeyCredential {
        id: "k1".into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        name: "Blue key".into(),
        credential_id: "cred".into(),
        passkey: "{}".into(),
        backup_eligible: false,
        created_at: UnixTime(1_200),
        last_used_at: None,
        suspected_clone_at: None,
    };
    db.insert_passkey(&key, &Effects::default(), UnixTime(1_200))
        .await
        .unwrap();
    let codes: Vec<RecoveryCode> = (0..3)
        .map(|i| RecoveryCode {
            id: format!("rc{i}"),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            code_hash: format!("h{i}"),
            created_at: UnixTime(1_300),
            used_at: None,
        })
        .collect();
    db.replace_recovery_codes(&alice.id, &codes, &Effects::default(), UnixTime(1_300))
        .await
        .unwrap();
    for at in [1_400, 1_500] {
        start(db, &session_for(&alice, at).1).await.unwrap();
    }
    (acme, alice)
}

fn reset_of(alice: &User, case: &str) -> FactorReset {
    FactorReset {
        id: new_id(&OsRandom),
        tenant_id: alice.tenant_id.clone(),
        user_id: alice.id.clone(),
        case: Some((case.into(), 1)),
        security_stamp: "new-stamp".into(),
        removed_by: format!("recovery:{case}"),
        session: None,
    }
}

async fn completion_happens_once_under_fifty_concurrent_requests(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = fully_equipped(db).await;
    db.insert_case(
        &case_for(&alice, "c1", CaseState::Ready),
        &Effects::default(),
        UnixTime(2_000),
    )
    .await
    .unwrap();
    let mut tasks = vec![];
    for _ in 0..50 {
        let db = db.clone();
        let (_, s) = session_for(&alice, 3_000);
        // the session of whoever recovered starts in the same transaction
        let reset = FactorReset {
            session: Some(s.clone()),
            ..reset_of(&alice, "c1")
        };
        tasks.push(tokio::spawn(async move {
            let mut effects = Effects::audit(audit_for(&s, "recovery.completed"));
            // each request's notification has its own id: only the one
            // that completes may queue its own
            effects.mail.push(mail(&new_id(&OsRandom), 3_000));
            db.reset_second_factors(&reset, &effects, UnixTime(3_000))
                .await
                .unwrap()
        }));
    }
    let mut completions = 0;
    for task in tasks {
        completions += usize::from(task.await.unwrap());
    }
    assert_eq!(completions, 1);
    let events = db.list_audit(&alice.tenant_id, 200).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event == "recovery.completed")
            .count(),
        1,
        "one audit event"
    );
    assert_eq!(
        db.outbox_counts().await.unwrap(),
        (1, 0, 0),
        "one set of notifications"
    );
    assert_eq!(db.totp_for_user(&alice.id).await.unwrap(), None);
    assert!(db.passkeys_for_user(&alice.id).await.unwrap().is_empty());
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 0);
    assert_eq!(
        db.delete_user_sessions(&alice.id).await.unwrap(),
        1,
        "every session ended but the one the completion started"
    );
    let user = db
        .user_by_id(&alice.tenant_id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.security_stamp, "new-stamp");
    let case = db.case_by_id("c1").await.unwrap().unwrap();
    assert_eq!(case.facts.state, CaseState::Completed);
    assert!(db.open_cases_for_user(&alice.id).await.unwrap().is_empty());
    let history = db.factor_history(&alice.id).await.unwrap();
    let mut kinds: Vec<_> = history
        .iter()
        .map(|h| (h.kind, h.name.as_str(), h.enrolled_at.0))
        .collect();
    kinds.sort_by_key(|k| k.2);
    assert_eq!(
        kinds,
        [
            (FactorKind::Totp, "authenticator app", 1_100),
            (FactorKind::Passkey, "Blue key", 1_200),
            (FactorKind::RecoveryCodes, "recovery codes", 1_300),
        ]
    );
    assert!(
        history
            .iter()
            .all(|h| h.removed_by == "recovery:c1" && h.removed_at == UnixTime(3_000))
    );
}

async fn a_failed_completion_changes_nothing(t: &TestDb) {
    let db = &t.db;
    let (_, alice) = fully_equipped(db).await;
    db.insert_case(
        &case_for(&alice, "c1", CaseState::Ready),
        &Effects::default(),
        UnixTime(2_000),
    )
    .await
    .unwrap();
    // The last write of the transaction fails: an audit event whose id exists.
    let (_, s) = session_for(&alice, 3_000);
    let event = audit_for(&s, "recovery.completed");
    db.insert_audit(&event).await.unwrap();
    let err = db
        .reset_second_factors(
            &reset_of(&alice, "c1"),
            &Effects::audit(event),
            UnixTime(3_000),
        )
        .await;
    assert!(err.is_err());
    assert!(db.totp_for_user(&alice.id).await.unwrap().is_some());
    assert_eq!(db.passkeys_for_user(&alice.id).await.unwrap().len(), 1);
    assert_eq!(db.unused_recovery_codes(&alice.id).await.unwrap(), 3);
    let user = db
        .user_by_id(&alice.tenant_id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.security_stamp, alice.security_stamp);
    assert_eq!(
        db.case_by_id("c1").await.unwrap().unwrap().facts.state,
        CaseState::Ready
    );
    assert!(db.factor_history(&alice.id).await.unwrap().is_empty());
    assert_eq!(
        db.delete_user_sessions(&alice.id).await.unwrap(),
        2,
        "sessions intact"
    );

    // A helpdesk reset (no case) works the same way, once the fault is gone.
    let mut reset = reset_of(&alice, "c1");
    reset.case = None;
    reset.removed_by = "helpdesk:admin".into();
    assert!(
        db.reset_second_factors(&reset, &Effects::default(), UnixTime(4_000))
            .await
            .unwrap()
    );
    assert_eq!(db.totp_for_user(&alice.id).await.unwrap(), None);
}

/// Noticed in review: a settings change written from an older read of the
/// tenant undid a change that came first (self-recovery switched back off).
async fn a_tenant_change_from_an_older_read_is_refused(t: &TestDb) {
    use latchkey_core::tenants::SecondFactorPolicy;
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let mut first = acme.clone();
    first.self_recovery = true;
    assert!(
        db.update_tenant(&first, &[], &Effects::default(), UnixTime(5))
            .await
            .unwrap()
    );
    let mut stale = acme.clone();
    stale.second_factor = SecondFactorPolicy::Required;
    assert!(
        !db.update_tenant(&stale, &[], &Effects::default(), UnixTime(6))
            .await
            .unwrap(),
        "written from an older read"
    );
    let stored = db.tenant_by_slug(&acme.slug).await.unwrap().unwrap();
    assert!(stored.self_recovery, "the first change stands");
    assert_eq!(stored.second_factor, acme.second_factor);
    assert_eq!(stored.version, acme.version + 1);
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
    assert!(db.grant_by_id("g1").await.unwrap().is_none());
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
    assert!(db.grant_by_id("g-old").await.unwrap().is_none());
    assert!(db.grant_by_id("g-new").await.unwrap().is_some());
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
                .rotate_refresh(grant, 1, &client_id, UnixTime(3))
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
        db.grant_by_id("g1")
            .await
            .unwrap()
            .unwrap()
            .refresh_generation,
        2
    );
    // a revoked grant does not move
    db.revoke_grant("g2", UnixTime(4)).await.unwrap();
    let rotate = |grant: &'static str, generation: i64, client: String, now: i64| {
        let db = db.clone();
        async move {
            db.rotate_refresh(grant, generation, &client, UnixTime(now))
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
    let stored = db.grant_by_id("cc-1").await.unwrap().unwrap();
    assert_eq!(stored, revoked(20), "the first revocation stands");
    assert_eq!(db.purge_oauth(UnixTime(610 + 24 * 3600)).await.unwrap(), 0);
    assert!(db.grant_by_id("cc-1").await.unwrap().is_some());
    assert_eq!(db.purge_oauth(UnixTime(611 + 24 * 3600)).await.unwrap(), 1);
    assert!(db.grant_by_id("cc-1").await.unwrap().is_none());
}
