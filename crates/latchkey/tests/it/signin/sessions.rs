//! How sessions end: idle or too old, a disabled user, a new sign-in, a changed
//! password.

use latchkey_core::accounts::user::UserStatus;
use latchkey_core::store::UserStore;
use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    sessions_end_when_idle_or_too_old,
    disabling_a_user_ends_their_sessions,
    signing_in_again_ends_the_previous_session,
    a_changed_password_ends_other_sessions_and_refresh_tokens,
    confirming_it_is_you_gives_the_session_a_new_id,
);

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
            &latchkey_core::store::Effects::default(),
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
    let r = post("Password2024!", "Password2024!", &csrf).await.unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("fait partie des mots de passe les plus souvent choisis"),
        "a common password, refused with a way forward: {body}"
    );
    let r = post("Acme Corp alice 1", "Acme Corp alice 1", &csrf)
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("se compose surtout de « acmecorp »"),
        "the organisation's name: {body}"
    );
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

async fn confirming_it_is_you_gives_the_session_a_new_id(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let old = session_cookie_set(&r).expect("a session");
    s.clock.advance(11 * 60);
    let (status, page) = get_text(
        &b,
        &s.url("/t/acme/reauth?return_to=/t/acme/account/password"),
    )
    .await;
    assert_eq!(status, 200);
    let r = b
        .post(s.url("/t/acme/reauth"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("password", PASSWORD),
            ("return_to", "/t/acme/account/password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/account/password");
    let new = session_cookie_set(&r).expect("a new session id with the confirmation");
    assert_ne!(new, old);
    assert_eq!(
        with_cookie(&s, "/t/acme/account", &old).await,
        303,
        "the old id signs nobody in"
    );
    assert_eq!(with_cookie(&s, "/t/acme/account", &new).await, 200);
    let (status, _) = get_text(&b, &s.url("/t/acme/account/password")).await;
    assert_eq!(status, 200, "the confirmation counts for the new id");
}
