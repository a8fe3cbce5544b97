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
    the_person_sees_where_they_are_signed_in_and_signs_browsers_out,
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

/// A browser that says it is `user_agent`.
fn browser_as(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .unwrap()
}

/// The account's "Where you are signed in" (ASVS 7.5.2): every live
/// session with its browser, times and coarse address, this browser
/// marked; one signed out, then everywhere else — behind a recent sign-in,
/// with CSRF, audited.
async fn the_person_sees_where_they_are_signed_in_and_signs_browsers_out(backend: Backend) {
    use latchkey_core::store::AuditStore;
    let s = TestServer::start(backend).await;
    let phone = browser_as(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    );
    sign_in(&phone, &s.running.url, "acme", "alice", PASSWORD).await;
    s.clock.advance(60);
    let laptop =
        browser_as("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    sign_in(&laptop, &s.running.url, "acme", "alice", PASSWORD).await;
    s.clock.advance(60);
    let b = browser_as(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    );
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("href=\"/t/acme/account/sessions\""),
        "linked from the account page"
    );

    let (status, page) = get_text(&b, &s.url("/t/acme/account/sessions")).await;
    assert_eq!(status, 200, "{page}");
    for device in ["Safari on macOS", "Firefox on Linux", "Chrome on Android"] {
        assert!(page.contains(device), "{device}: {page}");
    }
    assert!(
        page.find("Safari on macOS").unwrap() < page.find("this browser").unwrap()
            && page.find("this browser").unwrap() < page.find("Firefox on Linux").unwrap(),
        "this browser first, marked: {page}"
    );
    assert!(
        page.contains("from 127.0.0.x"),
        "the address, coarsely: {page}"
    );
    assert!(!page.contains("127.0.0.1"), "never the whole address");
    assert_eq!(
        page.matches("name=\"session\"").count(),
        2,
        "no sign-out button for this one"
    );
    let handle_of = |page: &str, device: &str| {
        let row = &page[page.find(device).unwrap()..];
        row.split("name=\"session\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };

    // Signing one out: forged CSRF is refused, a real one works.
    let end = |csrf: String, handle: String| {
        let b = b.clone();
        let url = s.url("/t/acme/account/sessions/end");
        async move {
            b.post(url)
                .form(&[("csrf", csrf.as_str()), ("session", handle.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let r = end("forged".into(), handle_of(&page, "Firefox on Linux")).await;
    assert_eq!(r.status(), 403);
    let r = end(csrf_of(&page), handle_of(&page, "Firefox on Linux")).await;
    assert_eq!(location(&r), "/t/acme/account/sessions?ended=one");
    let (status, _) = get_text(&laptop, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "the laptop is signed out");
    let (status, _) = get_text(&phone, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "the phone is not");
    let (_, after) = get_text(&b, &s.url("/t/acme/account/sessions?ended=one")).await;
    assert!(after.contains("That browser is signed out."));
    assert!(!after.contains("Firefox on Linux"));
    // the same again: already gone, said so
    let r = end(csrf_of(&after), handle_of(&page, "Firefox on Linux")).await;
    assert_eq!(location(&r), "/t/acme/account/sessions?ended=gone");

    // Everywhere else, after the sign-in grew old: confirmed first.
    s.clock.advance(11 * 60);
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/sessions/end-others"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&r),
        "/t/acme/reauth?return_to=/t/acme/account/sessions"
    );
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    let r = b
        .post(s.url("/t/acme/reauth"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("password", PASSWORD),
            ("return_to", "/t/acme/account/sessions"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/account/sessions");
    let (_, page) = get_text(&b, &s.url("/t/acme/account/sessions")).await;
    let r = b
        .post(s.url("/t/acme/account/sessions/end-others"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/account/sessions?ended=others");
    assert!(
        session_cookie_set(&r).is_some(),
        "this browser goes on under a new id"
    );
    let (status, _) = get_text(&phone, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "the phone is signed out");
    let (status, page) = get_text(&b, &s.url("/t/acme/account/sessions?ended=others")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Every other browser is signed out."));
    assert_eq!(page.matches("name=\"session\"").count(), 0);

    let events: Vec<String> = s
        .tdb
        .db
        .list_audit(&s.tenant.id, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(events.contains(&"signout.other".to_owned()), "{events:?}");
    assert!(
        events.contains(&"signout.everywhere_else".to_owned()),
        "{events:?}"
    );

    // In German (the header's switcher), no English left.
    get_text(&phone, &s.url("/t/acme/signin")).await;
    sign_in(&phone, &s.running.url, "acme", "alice", PASSWORD).await;
    get_text(&b, &s.url("/t/acme/account/sessions?lang=de")).await;
    let (_, german) = get_text(&b, &s.url("/t/acme/account/sessions")).await;
    assert!(german.contains("Chrome auf Android"), "{german}");
    assert_no_english(&german, "de");
}

/// ASVS 14.3.3: what the server keeps in cookies through a sign-in and a
/// recovery start is random references (their hashes are on the server)
/// and no personal or secret data; every cookie is HttpOnly and SameSite.
#[tokio::test]
async fn cookies_hold_random_references_and_nothing_about_the_person() {
    let crate::recovery::World { s, .. } = crate::recovery::world(Backend::Sqlite).await;
    let mut set = vec![];
    let mut collect = |r: &reqwest::Response| {
        for v in r.headers().get_all("set-cookie") {
            set.push(v.to_str().unwrap().to_owned());
        }
    };
    let b = browser();
    let r = b.get(s.url("/t/acme/signin")).send().await.unwrap();
    collect(&r);
    let page = r.text().await.unwrap();
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("login", "alice"),
            ("password", PASSWORD),
            ("csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    collect(&r);
    let r = b.get(s.url("/t/acme/account")).send().await.unwrap();
    collect(&r);
    // a recovery started in another browser: its case cookie
    let other = browser();
    let r = other.get(s.url("/t/acme/recover")).send().await.unwrap();
    collect(&r);
    let page = r.text().await.unwrap();
    let r = other
        .post(s.url("/t/acme/recover"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("login", "alice")])
        .send()
        .await
        .unwrap();
    collect(&r);
    assert!(set.len() >= 4, "{set:#?}");
    let personal = ["alice", "Alice", "example", "horse", "staple"];
    for cookie in &set {
        let (pair, attributes) = cookie.split_once(';').unwrap_or((cookie, ""));
        let (name, value) = pair.split_once('=').unwrap();
        assert!(
            attributes.contains("HttpOnly") && attributes.contains("SameSite="),
            "{cookie}"
        );
        if value.is_empty() {
            continue; // a cookie being removed
        }
        for word in personal {
            assert!(!value.contains(word), "{name} holds {word:?}: {cookie}");
        }
        assert!(
            value.len() >= 22
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{name} is not a random reference: {cookie}"
        );
    }
}
