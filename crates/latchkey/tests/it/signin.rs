//! Sign-in, sessions, CSRF and rate limits over HTTP, on both backends.

use latchkey_core::accounts::user::UserStatus;
use latchkey_core::store::UserStore;
use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    sign_in_account_and_sign_out,
    failures_look_the_same_for_wrong_password_unknown_and_disabled_users,
    forms_without_a_valid_csrf_token_are_refused,
    attempts_are_rate_limited_per_account,
    attempts_are_rate_limited_per_address,
    two_servers_share_rate_limits,
    sessions_end_when_idle_or_too_old,
    disabling_a_user_ends_their_sessions,
    unknown_tenants_are_a_clear_404,
    return_to_never_leaves_the_tenant,
    a_full_hashing_queue_answers_503_with_retry_after,
    bad_form_input_is_a_clear_400,
    unknown_users_cost_one_password_verification_like_known_ones,
    old_password_hashes_are_upgraded_at_sign_in,
    username_and_email_share_one_account_limit,
    only_the_proxys_forwarded_for_entry_counts,
    signing_in_again_ends_the_previous_session,
    a_changed_password_ends_other_sessions_and_refresh_tokens,
);

async fn sign_in_account_and_sign_out(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    let base = &s.running.url;

    let r = b.get(s.url("/t/acme/account")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/signin?return_to=/t/acme/account");

    // email, case-insensitively
    let r = sign_in(&b, base, "acme", "ALICE@example.COM", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("latchkey-session-acme="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session_value = cookie.split(';').next().unwrap().to_owned();

    let (status, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<strong class=\"username\">alice</strong>"),
        "{page}"
    );
    assert!(page.contains("Acme Corp"));

    // the session is stored hashed
    let token = session_value.split_once('=').unwrap().1;
    assert!(
        latchkey_core::store::SessionStore::session_by_hash(&s.tdb.db, token)
            .await
            .unwrap()
            .is_none()
    );
    let hash = latchkey_core::platform::secret::sha256_hex(token.as_bytes());
    assert!(
        latchkey_core::store::SessionStore::session_by_hash(&s.tdb.db, &hash)
            .await
            .unwrap()
            .is_some()
    );

    let csrf = csrf_of(&page);
    let r = b
        .post(s.url("/t/acme/signout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/signin?signed_out=1");
    let (_, page) = get_text(&b, &s.url("/t/acme/signin?signed_out=1")).await;
    assert!(page.contains("You are signed out."));

    let r = b.get(s.url("/t/acme/account")).send().await.unwrap();
    assert_eq!(r.status(), 303, "signed out");
    // replaying the old cookie does not bring the session back
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = replay
        .get(s.url("/t/acme/account"))
        .header("cookie", &session_value)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    // by username too
    let r = sign_in(&b, base, "acme", " Alice ", PASSWORD).await;
    assert_eq!(r.status(), 303);
}

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

async fn forms_without_a_valid_csrf_token_are_refused(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    // no token at all
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[("login", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // a token for another tenant's form
    let other = latchkey_core::tenants::TenantInput {
        slug: "other".into(),
        display_name: "Other".into(),
        ..Default::default()
    };
    latchkey_core::tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &other,
    )
    .await
    .unwrap();
    let (_, page) = get_text(&b, &s.url("/t/other/signin")).await;
    let foreign = csrf_of(&page);
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("login", "alice"),
            ("password", PASSWORD),
            ("csrf", &foreign),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // a valid token without the cookie it belongs to
    let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
    let token = csrf_of(&page);
    let r = browser()
        .post(s.url("/t/acme/signin"))
        .form(&[("login", "alice"), ("password", PASSWORD), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // sign-out needs the token bound to the session; the pre-sign-in token is not it
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let r = b
        .post(s.url("/t/acme/signout"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        b.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "still signed in"
    );
}

async fn attempts_are_rate_limited_per_account(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "3")]).await;
    let base = &s.running.url;
    for _ in 0..3 {
        assert_eq!(attempt(base, "alice", "wrong password here").await, 401);
    }
    // the right password does not help once the limit is reached
    let r = sign_in(&browser(), base, "acme", "alice", PASSWORD).await;
    assert_eq!(r.status(), 429);
    let retry: i64 = r
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Too many sign-in attempts")
    );
    // unknown accounts are limited the same way (no enumeration through limits)
    for _ in 0..3 {
        assert_eq!(attempt(base, "ghost", "wrong password here").await, 401);
    }
    assert_eq!(attempt(base, "ghost", "wrong password here").await, 429);
    // other accounts are not affected
    let bob = add_user(&s.tdb, &s.clock, &s.tenant, "bob", "bob@example.com").await;
    assert_eq!(attempt(base, &bob.username, PASSWORD).await, 303);
    // after the window, alice can sign in again
    s.clock.advance(15 * 60);
    assert_eq!(attempt(base, "alice", PASSWORD).await, 303);
}

async fn attempts_are_rate_limited_per_address(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_address", "4")]).await;
    let base = &s.running.url;
    // successes give their attempt back
    for _ in 0..5 {
        assert_eq!(attempt(base, "alice", PASSWORD).await, 303);
    }
    for name in ["u1", "u2", "u3", "u4"] {
        assert_eq!(attempt(base, name, "wrong password here").await, 401);
    }
    assert_eq!(attempt(base, "u5", "wrong password here").await, 429);
    assert_eq!(attempt(base, "alice", PASSWORD).await, 429);
}

async fn two_servers_share_rate_limits(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "4")]).await;
    let second = start_on(
        &s.tdb,
        s.clock.clone(),
        &[("signin.attempts_per_account", "4")],
    )
    .await;
    for base in [&s.running.url, &second.url, &s.running.url, &second.url] {
        assert_eq!(attempt(base, "alice", "wrong password here").await, 401);
    }
    assert_eq!(attempt(&second.url, "alice", PASSWORD).await, 429);
    assert_eq!(attempt(&s.running.url, "alice", PASSWORD).await, 429);
    second.shutdown().await.unwrap();
}

async fn sessions_end_when_idle_or_too_old(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    // activity keeps the session alive past the idle timeout
    for _ in 0..3 {
        s.clock.advance(20 * 60);
        assert_eq!(
            b.get(s.url("/t/acme/account"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    s.clock.advance(30 * 60);
    assert_eq!(
        b.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "idle timeout"
    );

    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    for _ in 0..((10 * 60) / 25) {
        s.clock.advance(25 * 60);
        let status = b
            .get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status();
        if status == 303 {
            return;
        }
    }
    panic!("the session outlived its absolute timeout of 10 hours");
}

async fn disabling_a_user_ends_their_sessions(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    s.tdb
        .db
        .set_user_status(
            &s.tenant.id,
            &s.alice.id,
            UserStatus::Disabled,
            latchkey_core::platform::clock::Clock::now(&*s.clock),
        )
        .await
        .unwrap();
    assert_eq!(
        b.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
}

async fn unknown_tenants_are_a_clear_404(backend: Backend) {
    let s = TestServer::start(backend).await;
    for path in [
        "/t/nope/signin",
        "/t/Bad_Slug/signin",
        "/t/nope/account",
        "/t/nope",
    ] {
        let (status, body) = get_text(&browser(), &s.url(path)).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains("There is no such organisation (tenant) here"),
            "{path}: {body}"
        );
    }
    let r = browser()
        .post(s.url("/t/nope/signin"))
        .form(&[("login", "a")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let (status, _) = get_text(&browser(), &s.url("/no/such/page")).await;
    assert_eq!(status, 404);
}

async fn return_to_never_leaves_the_tenant(backend: Backend) {
    let s = TestServer::start(backend).await;
    for (return_to, expected) in [
        ("/t/acme/account", "/t/acme/account"),
        ("https://evil.example/", "/t/acme/account"),
        ("//evil.example/t/acme/", "/t/acme/account"),
        ("/t/acme//evil.example", "/t/acme/account"),
        ("/t/other/account", "/t/acme/account"),
    ] {
        let b = browser();
        let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
        let r = b
            .post(s.url("/t/acme/signin"))
            .form(&[
                ("login", "alice"),
                ("password", PASSWORD),
                ("csrf", &csrf_of(&page)),
                ("return_to", return_to),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), expected, "{return_to}");
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

async fn bad_form_input_is_a_clear_400(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
    let csrf = csrf_of(&page);
    let long = "x".repeat(2000);
    for (login, password, expected) in [
        (
            "",
            PASSWORD,
            "Enter your username or email and your password.",
        ),
        (
            "alice",
            "",
            "Enter your username or email and your password.",
        ),
        (
            "alice",
            long.as_str(),
            "The password is too long (at most 1024 bytes).",
        ),
    ] {
        let r = b
            .post(s.url("/t/acme/signin"))
            .form(&[("login", login), ("password", password), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains(expected));
    }
    // a body over the limit is refused without reaching the handler
    let huge = "a".repeat(200 * 1024);
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[("login", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    // malformed form encoding (a new connection: the server may close the one
    // whose oversized body it refused)
    let r = browser()
        .post(s.url("/t/acme/signin"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(r.status() == 400 || r.status() == 403, "{}", r.status());
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

/// The username and the email of one user share the account's counter on
/// the password check; since issue 11 it is hidden: over it, the right
/// password fails like a wrong one (401), never 429, so that the limit
/// does not tell which names belong together (attack_limits.rs).
async fn username_and_email_share_one_account_limit(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "4")]).await;
    let base = &s.running.url;
    for login in ["alice", "alice@example.com", "ALICE", "Alice@Example.com"] {
        assert_eq!(attempt(base, login, "wrong password here").await, 401);
    }
    assert_eq!(attempt(base, "alice@example.com", PASSWORD).await, 401);
    assert_eq!(attempt(base, "alice", PASSWORD).await, 401);
}

async fn only_the_proxys_forwarded_for_entry_counts(backend: Backend) {
    let s = TestServer::start_with(
        backend,
        &[
            ("signin.attempts_per_address", "2"),
            ("server.trust_proxy_headers", "true"),
        ],
    )
    .await;
    let attempt = |xff: String| {
        let b = browser();
        let url = s.url("/t/acme/signin");
        async move {
            let (_, page) = get_text(&b, &url).await;
            b.post(&url)
                .header("x-forwarded-for", xff)
                .form(&[
                    ("login", "ghost"),
                    ("password", "wrong password here"),
                    ("csrf", &csrf_of(&page)),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // a client rotating its own entries is still counted by the proxy's entry
    assert_eq!(attempt("10.0.0.1, 203.0.113.9".into()).await, 401);
    assert_eq!(attempt("10.0.0.2, 203.0.113.9".into()).await, 401);
    assert_eq!(attempt("10.0.0.3, 203.0.113.9".into()).await, 429);
    // a different client address is counted apart
    assert_eq!(attempt("203.0.113.10".into()).await, 401);
    // an unparseable last entry falls back to the connection, not to an earlier entry
    assert_eq!(attempt("198.51.100.1, unknown".into()).await, 401);
    assert_eq!(attempt("198.51.100.2, unknown".into()).await, 401);
    assert_eq!(attempt("198.51.100.3, unknown".into()).await, 429);
}

async fn signing_in_again_ends_the_previous_session(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
    let csrf = csrf_of(&page);
    let post = || {
        b.post(s.url("/t/acme/signin"))
            .form(&[
                ("login", "alice"),
                ("password", PASSWORD),
                ("csrf", csrf.as_str()),
            ])
            .send()
    };
    let first = post().await.unwrap();
    assert_eq!(first.status(), 303);
    let old_cookie = first
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(post().await.unwrap().status(), 303);
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = replay
        .get(s.url("/t/acme/account"))
        .header("cookie", &old_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the first session ended");
    assert_eq!(
        b.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

async fn a_changed_password_ends_other_sessions_and_refresh_tokens(backend: Backend) {
    use latchkey_core::store::AuditStore;
    let s = TestServer::start(backend).await;
    let (id, secret) = crate::oidc::register(&s, crate::oidc::app("Shop", false, true)).await;
    let shop = (id, secret.unwrap());
    let tokens = crate::api::alice_tokens(&s, &shop).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let other = browser();
    sign_in(&other, &s.running.url, "acme", "alice", PASSWORD).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("/t/acme/account/password"),
        "the account page links to it"
    );

    // An older sign-in is confirmed first.
    s.clock.advance(11 * 60);
    let r = b
        .get(s.url("/t/acme/account/password"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&r),
        "/t/acme/reauth?return_to=/t/acme/account/password"
    );
    s.clock.advance(-11 * 60);
    let (status, page) = get_text(&b, &s.url("/t/acme/account/password")).await;
    assert_eq!(status, 200);
    let csrf = csrf_of(&page);
    let post = |password: &str, repeat: &str, csrf: &str| {
        b.post(s.url("/t/acme/account/password"))
            .header("accept-language", "fr")
            .form(&[("csrf", csrf), ("password", password), ("repeat", repeat)])
            .send()
    };

    // Bad input: said, and nothing changes.
    let r = post("a brand new passphrase", "a brand new passphrase", "forged")
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = post("a brand new passphrase", "another passphrase", &csrf)
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Les deux nouveaux mots de passe"),
        "in the browser's language: {body}"
    );
    let r = post("short", "short", &csrf).await.unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(body.contains("Mot de passe: fait 5 caractères"), "{body}");
    assert_eq!(
        attempt(&s.running.url, "alice", PASSWORD).await,
        303,
        "unchanged"
    );

    let r = post("a brand new passphrase", "a brand new passphrase", &csrf)
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/account?password=1");
    let set = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert!(
        set.iter().any(|c| c.contains("session-acme=")),
        "the session goes on under a new id: {set:?}"
    );
    let (status, page) = get_text(&b, &s.url("/t/acme/account?password=1")).await;
    assert_eq!(status, 200, "this browser stays signed in");
    assert!(page.contains("Your password was changed"), "{page}");
    let (status, _) = get_text(&other, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "every other browser is signed out");
    let (status, body) = crate::api::refresh_with(&s, &shop.0, &shop.1, refresh_token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert_eq!(attempt(&s.running.url, "alice", PASSWORD).await, 401);
    assert_eq!(
        attempt(&s.running.url, "alice", "a brand new passphrase").await,
        303
    );
    let events = s.tdb.db.list_audit(&s.tenant.id, 100).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event == "password.changed")
            .count(),
        1
    );
}
