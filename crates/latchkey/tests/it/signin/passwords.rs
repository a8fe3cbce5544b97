//! Password checks: alike for real, unknown and disabled users, the hashing
//! queue, hash upgrades.

use latchkey_core::accounts::user::UserStatus;
use latchkey_core::store::UserStore;
use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    failures_look_the_same_for_wrong_password_unknown_and_disabled_users,
    a_full_hashing_queue_answers_503_with_retry_after,
    unknown_users_cost_one_password_verification_like_known_ones,
    old_password_hashes_are_upgraded_at_sign_in,
);

async fn failures_look_the_same_for_wrong_password_unknown_and_disabled_users(backend: Backend) {
    let s = TestServer::start(backend).await;
    let base = &s.running.url;
    let bob = add_user(&s.tdb, &s.clock, &s.tenant, "bob", "bob@example.com").await;
    s.tdb
        .db
        .set_user_status(
            &s.tenant.id,
            &bob.id,
            UserStatus::Disabled,
            &latchkey_core::store::Effects::default(),
            latchkey_core::platform::clock::Clock::now(&*s.clock),
        )
        .await
        .unwrap();

    let mut bodies = vec![];
    for (login, password) in [
        ("alice", "wrong password here"),
        ("nobody", PASSWORD),
        ("bob", PASSWORD),
    ] {
        let r = sign_in(&browser(), base, "acme", login, password).await;
        assert_eq!(r.status(), 401, "{login}");
        let body = r.text().await.unwrap();
        let error = body
            .split("role=\"alert\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned();
        bodies.push(error);
    }
    assert_eq!(bodies[0], "The username, email or password is not correct.");
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");

    // each kind of failure writes exactly one audit event, so the database
    // work (and its time) does not tell them apart either
    use latchkey_core::store::AuditStore;
    for (login, event) in [
        ("alice", "signin.failed.password"),
        ("nobody", "signin.failed.unknown"),
        ("bob", "signin.failed.disabled"),
    ] {
        let before = s.tdb.db.list_audit(&s.tenant.id, 1000).await.unwrap().len();
        sign_in(&browser(), base, "acme", login, "wrong password here").await;
        let events = s.tdb.db.list_audit(&s.tenant.id, 1000).await.unwrap();
        assert_eq!(events.len(), before + 1, "{login}");
        assert!(events.iter().any(|e| e.event == event), "{login}: {event}");
    }
}

async fn a_full_hashing_queue_answers_503_with_retry_after(backend: Backend) {
    let s = TestServer::start_with(
        backend,
        &[("password.hash_workers", "1"), ("password.hash_queue", "0")],
    )
    .await;
    let b = browser();
    let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
    let csrf = csrf_of(&page);
    let mut tasks = vec![];
    for i in 0..12 {
        let (b, url, csrf) = (b.clone(), s.url("/t/acme/signin"), csrf.clone());
        tasks.push(tokio::spawn(async move {
            let login = format!("user{i}");
            let r = b
                .post(url)
                .form(&[
                    ("login", login.as_str()),
                    ("password", "wrong password here"),
                    ("csrf", &csrf),
                ])
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.headers().get("retry-after").is_some(),
            )
        }));
    }
    let mut busy = 0;
    for t in tasks {
        let (status, retry_after) = t.await.unwrap();
        assert!(status == 401 || status == 503, "{status}");
        if status == 503 {
            assert!(retry_after);
            busy += 1;
        }
    }
    assert!(
        busy > 0,
        "12 parallel sign-ins on one worker with no queue should see a 503"
    );
    let metrics = s.metrics().await;
    assert!(
        metrics.contains(&format!("latchkey_signin_overloaded_total {busy}")),
        "{metrics}"
    );
}

async fn unknown_users_cost_one_password_verification_like_known_ones(backend: Backend) {
    let s = TestServer::start(backend).await;
    let pool = s.running.state.hasher();
    for login in ["alice", "nobody", "nobody@example.com", "alice"] {
        let before = pool.completed();
        let r = sign_in(
            &browser(),
            &s.running.url,
            "acme",
            login,
            "wrong password here",
        )
        .await;
        assert_eq!(r.status(), 401);
        assert_eq!(
            pool.completed() - before,
            1,
            "{login}: exactly one argon2 verification"
        );
    }
}

async fn old_password_hashes_are_upgraded_at_sign_in(backend: Backend) {
    let s = TestServer::start(backend).await;
    let weak = latchkey_core::accounts::password::HashParams {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
    let old = latchkey_core::accounts::password::hash(
        weak,
        &latchkey_core::accounts::password::Password::presented(PASSWORD),
        [3; 16],
    )
    .unwrap();
    let current = s.alice.password_hash.clone().unwrap();
    let now = latchkey_core::platform::clock::Clock::now(&*s.clock);
    assert!(
        s.tdb
            .db
            .replace_password_hash(&s.alice.id, &current, &old, now)
            .await
            .unwrap()
    );

    assert_eq!(attempt(&s.running.url, "alice", PASSWORD).await, 303);
    let stored = s
        .tdb
        .db
        .user_by_id(&s.tenant.id, &s.alice.id)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    assert_ne!(stored, old);
    // and the upgraded hash still signs in
    assert_eq!(attempt(&s.running.url, "alice", PASSWORD).await, 303);
}
