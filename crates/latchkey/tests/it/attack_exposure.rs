//! Issue 11, item 6 ("input and exposure"): what an outside attack run found
//! that a stranger could put in or read out. Each test failed before its fix.

use std::process::{Command, Output, Stdio};

use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::store::UserStore;
use latchkey_store::Backend;

use crate::api::call;
use crate::helpers::*;
use crate::oidc::{app, register};

on_both_backends!(
    addresses_mail_cannot_reach_are_refused,
    look_alike_usernames_are_refused_and_old_names_still_sign_in,
    metrics_are_not_served_to_strangers,
    the_api_checks_credentials_before_it_reads_the_body,
    client_credentials_tokens_are_revocable,
);

/// Runs the real binary against `db_url`; `stdin` is written and closed.
fn latchkey(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(args)
        .args(["--database-url", db_url])
        .env_remove("LATCHKEY_CONFIG")
        .env("LATCHKEY_SECURITY_SECRET_KEY", SECRET_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `user create` in tenant `acme` with the CLI.
async fn create_user(s: &TestServer, username: &str, email: &str) -> Output {
    let url = s.tdb.url.clone();
    let (username, email) = (username.to_owned(), email.to_owned());
    tokio::task::spawn_blocking(move || {
        latchkey(
            &url,
            &[
                "user",
                "create",
                "--tenant",
                "acme",
                "--username",
                &username,
                "--email",
                &email,
                "--password-stdin",
                "--email-verified",
            ],
            Some(PASSWORD),
        )
    })
    .await
    .unwrap()
}

async fn user_count(s: &TestServer) -> usize {
    s.tdb.db.list_users(&s.tenant.id).await.unwrap().len()
}

/// An address the mail sender refuses is refused when the user is made,
/// with what is wrong and how to fix it; nothing is written.
async fn addresses_mail_cannot_reach_are_refused(backend: Backend) {
    let s = TestServer::start(backend).await;
    let before = user_count(&s).await;
    for bad in [
        "x\"><svg/onload=alert(1)>@example.com",
        "a(comment)b@example.com",
        "a,b@example.com",
        ".alice@example.com",
        "al..ice@example.com",
    ] {
        let o = create_user(&s, "mallory", bad).await;
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("email: ") && e.contains("before the '@'"),
            "{bad}: says what is wrong: {e}"
        );
        assert!(!e.contains("panicked"), "{e}");
    }
    assert_eq!(user_count(&s).await, before, "nothing was written");

    // Addresses the sender takes still work, international ones included.
    for (name, good) in [
        ("carol", "carol+news@example.com"),
        ("dora", "dörte@bücher.de"),
    ] {
        let o = create_user(&s, name, good).await;
        assert!(o.status.success(), "{good}: {}", stderr(&o));
    }
}

/// A name mixing scripts (Cyrillic "а" inside Latin "alice") is refused with
/// the reason; names of one script are fine; a mixed name stored before the
/// rule still signs in.
async fn look_alike_usernames_are_refused_and_old_names_still_sign_in(backend: Backend) {
    let s = TestServer::start(backend).await;
    let before = user_count(&s).await;
    // "аlice" with U+0430 CYRILLIC SMALL LETTER A
    let o = create_user(&s, "\u{430}lice", "other@example.com").await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("username: ") && e.contains("mixes"),
        "says why: {e}"
    );
    // the same trick in the address's name
    let o = create_user(&s, "mallory", "\u{430}lice@example.com").await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("email: "), "{}", stderr(&o));
    // a letter of a script not used for names (Cherokee looks like Latin)
    let o = create_user(&s, "\u{13aa}\u{13de}\u{13a5}", "cherokee@example.com").await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("username: "), "{}", stderr(&o));
    assert_eq!(user_count(&s).await, before, "nothing was written");

    // One script, or Latin with Han/Kana/Hangul as people write them: fine.
    for (name, email) in [
        ("иван", "ivan@example.com"),
        ("tanaka.田中", "tanaka@example.jp"),
        ("Jöhn-Doe_2", "john@example.com"),
        ("ελένη", "eleni@example.gr"),
    ] {
        let o = create_user(&s, name, email).await;
        assert!(o.status.success(), "{name}: {}", stderr(&o));
    }

    // A mixed-script name stored before this rule keeps working.
    let mut old = s.alice.clone();
    old.id = latchkey_core::platform::random::new_id(&OsRandom);
    old.username = "p\u{430}ypal".into();
    old.username_key = latchkey_core::platform::validate::fold_key(&old.username);
    old.email = "old@example.com".into();
    old.email_key = "old@example.com".into();
    s.tdb
        .db
        .insert_user(
            &old,
            &latchkey_core::store::Effects::default(),
            s.clock.now(),
        )
        .await
        .unwrap();
    let r = sign_in(&browser(), &s.running.url, "acme", "p\u{430}ypal", PASSWORD).await;
    assert_eq!(r.status(), 303, "a stored name still signs in");
}

/// `/metrics` lists every tenant: not on the main listener, only on the
/// metrics listener, and there with the bearer token when one is set.
async fn metrics_are_not_served_to_strangers(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (status, body) = get_text(&browser(), &s.url("/metrics")).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("acme"), "{body}");
    // the metrics listener (loopback, port 0 in tests) answers
    assert!(s.metrics().await.contains("tenant=\"acme\""));

    // With a token, only a scraper that sends it gets the figures.
    let token = "a-metrics-token-that-is-long-enough-0123456789";
    let running = start_on(&s.tdb, s.clock.clone(), &[("metrics.token", token)]).await;
    let url = format!("http://{}/metrics", running.metrics_addr.unwrap());
    for presented in [None, Some("wrong"), Some(&token[1..])] {
        let mut r = reqwest::Client::new().get(&url);
        if let Some(t) = presented {
            r = r.bearer_auth(t);
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status(), 401, "{presented:?}");
        assert_eq!(
            r.headers()["www-authenticate"],
            "Bearer realm=\"latchkey metrics\""
        );
        assert!(!r.text().await.unwrap().contains("acme"));
    }
    let r = reqwest::Client::new()
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("tenant=\"acme\""));
    let (status, _) = get_text(&browser(), &format!("{}/metrics", running.url)).await;
    assert_eq!(status, 404, "not on the main listener with a token either");

    // Off: nothing listens.
    let off = start_on(&s.tdb, s.clock.clone(), &[("metrics.listen", "off")]).await;
    assert!(off.metrics_addr.is_none());

    // A configured address that is taken stops the start, saying which key.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let at = taken.local_addr().unwrap().to_string();
    let config = test_config(&s.tdb.url, &[("metrics.listen", &at)]);
    let db = latchkey::server::open_database(&config, &*s.clock, true)
        .await
        .unwrap();
    let deps = latchkey::server::Deps {
        clock: s.clock.clone(),
        random: std::sync::Arc::new(OsRandom),
    };
    let err = latchkey::server::start(&config, db, deps)
        .await
        .err()
        .expect("a taken metrics address stops the start");
    assert!(
        format!("{err:#}").contains(&format!("cannot listen on {at} (metrics.listen)")),
        "{err:#}"
    );
}

/// A malformed body is answered only after the credentials are checked, and
/// in the JSON shape of docs/api.md.
async fn the_api_checks_credentials_before_it_reads_the_body(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (_, operator) =
        latchkey_core::tenants::operator::create_token(&s.tdb.db, &OsRandom, "test", s.clock.now())
            .await
            .unwrap();
    let send = |path: &str, token: Option<&str>, ctype: Option<&str>, body: &str| {
        let mut r = reqwest::Client::new()
            .post(s.url(path))
            .body(body.to_owned());
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(c) = ctype {
            r = r.header("content-type", c);
        }
        async move {
            let r = r.send().await.unwrap();
            let status = r.status().as_u16();
            let ctype = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            let text = r.text().await.unwrap();
            let json: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("not JSON ({status}, {ctype}): {text}"));
            (status, ctype, json)
        }
    };
    let json = Some("application/json");
    let decline = "/api/operator/tenants/acme/recovery/decline";
    let paths = [
        decline,
        "/api/operator/tenants/acme/recovery/enable",
        "/api/t/acme/applications",
        "/api/t/acme/recovery/activation-request",
        "/api/t/acme/users/alice/reset-factors",
    ];
    for path in paths {
        for (ctype, body) in [
            (json, "{not json"),
            (json, "[1, 2"),
            (Some("text/plain"), "reason"),
            (None, "{\"reason\": 1}"),
        ] {
            for token in [None, Some("not-a-token")] {
                let (status, got, body) = send(path, token, ctype, body).await;
                assert_eq!(
                    (status, body["error"].as_str()),
                    (401, Some("unauthorized")),
                    "{path} {ctype:?} {token:?}: {body}"
                );
                assert!(got.starts_with("application/json"), "{got}");
            }
        }
    }

    // An address no route takes, or one that cannot be decoded: JSON 404.
    for path in [
        "/api/operator/nothing",
        "/api/operator/tenants/%FF/recovery/enable",
    ] {
        let (status, got, body) = send(path, None, json, "{}").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (404, Some("not_found")),
            "{path}: {body}"
        );
        assert!(got.starts_with("application/json"), "{got}");
    }

    // With the token, body errors are JSON too.
    let token = operator.expose();
    for (ctype, body) in [
        (json, "{not json"),
        (json, "{\"reason\": 1}"),
        (json, "{\"reason\": \"x\", \"colour\": \"red\"}"),
        (Some("text/plain"), "{\"reason\": \"x\"}"),
    ] {
        let (status, got, answer) = send(decline, Some(token), ctype, body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("bad_request")),
            "{body}: {answer}"
        );
        assert!(got.starts_with("application/json"), "{got}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The body stays optional where the call takes none.
    let (status, _, answer) = send(
        "/api/operator/tenants/acme/recovery/enable",
        Some(token),
        None,
        "",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _, answer) = send(
        "/api/operator/tenants/acme/recovery/disable",
        Some(token),
        json,
        "{}",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
}

/// RFC 7009 for client-credentials access tokens: a revoked one is inactive
/// at introspection and refused wherever it is presented; other tokens of
/// the client and other clients' revocations are unaffected.
async fn client_credentials_tokens_are_revocable(backend: Backend) {
    let s = TestServer::start(backend).await;
    let mut input = app("Service", false, false);
    input.grant_types = vec!["client_credentials".into()];
    input.redirect_uris = vec![];
    let (service, secret) = register(&s, input).await;
    let secret = secret.unwrap();
    let (other, other_secret) = register(&s, app("Other", false, false)).await;
    let other_secret = other_secret.unwrap();

    let mint = || async {
        let r = reqwest::Client::new()
            .post(s.url("/t/acme/token"))
            .basic_auth(&service, Some(&secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<serde_json::Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (first, second) = (mint().await, mint().await);
    let form_post = |path: &str, (id, pw): (&str, &str), token: &str| {
        let r = reqwest::Client::new()
            .post(s.url(path))
            .basic_auth(id, Some(pw))
            .form(&[("token", token)]);
        async move {
            let r = r.send().await.unwrap();
            let status = r.status().as_u16();
            (
                status,
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let active = |token: String| {
        let form_post = &form_post;
        let (service, secret) = (service.as_str(), secret.as_str());
        async move {
            let (status, body) = form_post("/t/acme/introspect", (service, secret), &token).await;
            assert_eq!(status, 200, "{body}");
            body["active"].as_bool().unwrap()
        }
    };
    assert!(active(first.clone()).await);

    // Another client cannot revoke it (the answer is the same 200).
    let (status, _) = form_post(
        "/t/acme/revoke",
        (other.as_str(), other_secret.as_str()),
        &first,
    )
    .await;
    assert_eq!(status, 200);
    assert!(active(first.clone()).await, "another client's revocation");

    // Its own client revokes it: inactive everywhere.
    let (status, _) = form_post(
        "/t/acme/revoke",
        (service.as_str(), secret.as_str()),
        &first,
    )
    .await;
    assert_eq!(status, 200);
    assert!(!active(first.clone()).await, "revoked at introspection");
    let r = reqwest::Client::new()
        .get(s.url("/t/acme/userinfo"))
        .bearer_auth(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        401,
        "userinfo: invalid_token, not insufficient_scope"
    );
    let (status, body) = call(
        &s,
        reqwest::Method::GET,
        "/api/t/acme/applications",
        Some(&first),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized")),
        "{body}"
    );
    // revoking again is fine; the client's other token still stands
    let (status, _) = form_post(
        "/t/acme/revoke",
        (service.as_str(), secret.as_str()),
        &first,
    )
    .await;
    assert_eq!(status, 200);
    assert!(active(second.clone()).await, "only the revoked token ends");

    // Past its expiry the record of the revocation goes with the expired
    // grants, and the token stays inactive (it has expired).
    s.clock.advance(600 + 24 * 3600 + 1);
    latchkey_core::store::OidcStore::purge_oauth(&s.tdb.db, s.clock.now())
        .await
        .unwrap();
    assert!(!active(first).await);
}
