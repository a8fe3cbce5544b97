//! An authenticator app: enrolment, sign-in with its codes, the sealed secret,
//! limits on codes.

use latchkey_core::platform::clock::Clock;
use latchkey_core::store::TotpStore;
use latchkey_store::Backend;
use totp_rs::Secret;

use super::*;
use crate::helpers::*;

on_both_backends!(
    enrol_an_app_and_sign_in_with_its_codes,
    the_database_holds_only_the_sealed_secret,
    code_attempts_are_rate_limited,
    a_second_enrolment_racing_the_first_gets_a_clear_error,
    the_code_prompt_waits_five_minutes_and_the_session_id_changes,
    wrong_codes_are_capped_per_day,
    changing_second_factors_ends_other_sessions_and_refresh_tokens,
);

async fn enrol_an_app_and_sign_in_with_its_codes(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(page.contains("Set up an authenticator app"));

    let (secret, page) = setup_page(&b, &s).await;
    // a wrong code shows the same secret again with an error
    let r = enrol(&b, &s, &page, "000000").await;
    assert_eq!(r.status(), 401);
    let again = r.text().await.unwrap();
    assert!(again.contains(&secret) && again.contains("the code is not correct"));
    let r = enrol(&b, &s, &again, &code(&secret, &s)).await;
    shown_codes(r).await;
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(page.contains("On since"), "{page}");

    // a password alone no longer signs in
    let (b2, prompt) = password_step(&s).await;
    assert_eq!(
        b2.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "not signed in yet"
    );
    // the code used for enrolment cannot be replayed
    let r = send_code(&b2, &s, &prompt, &code(&secret, &s)).await;
    assert_eq!(r.status(), 401);
    s.clock.advance(30);
    let current = code(&secret, &s);
    let r = send_code(&b2, &s, &prompt, &current).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
    assert_eq!(
        b2.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // the same code on another sign-in within its window: refused
    let (b3, prompt) = password_step(&s).await;
    assert_eq!(send_code(&b3, &s, &prompt, &current).await.status(), 401);
    // the next step's code is accepted (one step of clock drift tolerated)
    let next = app(&secret).generate(u64::try_from(s.clock.now().0 + 30).unwrap());
    assert_eq!(send_code(&b3, &s, &prompt, &next).await.status(), 303);
}

async fn the_database_holds_only_the_sealed_secret(backend: Backend) {
    let s = TestServer::start(backend).await;
    let secret = enrolled(&s).await;
    let stored = s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().unwrap();
    let raw = Secret::Encoded(secret.clone()).to_bytes().unwrap();
    assert!(!stored.secret_sealed.contains(&secret));
    assert!(!stored.secret_sealed.to_lowercase().contains(&hex_of(&raw)));
    let key: [u8; 32] = hex_decode(SECRET_KEY);
    let opened = latchkey_core::platform::crypto::SecretBox::new(&key)
        .open(
            &stored.secret_sealed,
            &latchkey_core::factors::totp::aad(&stored.id),
        )
        .unwrap();
    assert_eq!(opened, raw);
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn code_attempts_are_rate_limited(backend: Backend) {
    let s = TestServer::start(backend).await;
    let secret = enrolled(&s).await;
    let (b, prompt) = password_step(&s).await;
    for _ in 0..10 {
        assert_eq!(send_code(&b, &s, &prompt, "123456").await.status(), 401);
    }
    s.clock.advance(30);
    let r = send_code(&b, &s, &prompt, &code(&secret, &s)).await;
    assert_eq!(
        r.status(),
        429,
        "even the right code, once the limit is reached"
    );
    assert!(r.headers().get("retry-after").is_some());
}

async fn a_second_enrolment_racing_the_first_gets_a_clear_error(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let (first, first_page) = setup_page(&b, &s).await;
    let (second, second_page) = setup_page(&b, &s).await;
    assert_ne!(first, second);
    assert_eq!(
        enrol(&b, &s, &first_page, &code(&first, &s)).await.status(),
        200,
        "turned on: the first recovery codes are shown"
    );
    // the first one signed everyone else out and gave this browser a new
    // session id: the other tab's form has expired, and says so
    let r = enrol(&b, &s, &second_page, &code(&second, &s)).await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(page.contains("This form has expired"), "{page}");
    assert!(page.contains("/t/acme/account/totp"), "{page}");
    // the first one stays
    let stored = s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().unwrap();
    let key = hex_decode(SECRET_KEY);
    let opened = latchkey_core::platform::crypto::SecretBox::new(&key)
        .open(
            &stored.secret_sealed,
            &latchkey_core::factors::totp::aad(&stored.id),
        )
        .unwrap();
    assert_eq!(opened, Secret::Encoded(first).to_bytes().unwrap());
}

async fn the_code_prompt_waits_five_minutes_and_the_session_id_changes(backend: Backend) {
    let s = TestServer::start(backend).await;
    let secret = enrolled(&s).await;

    let (b, prompt) = password_step(&s).await;
    s.clock.advance(5 * 60 + 1);
    let r = send_code(&b, &s, &prompt, &code(&secret, &s)).await;
    assert_eq!(
        location(&r),
        "/t/acme/signin",
        "the half-signed-in session ended"
    );

    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let partial = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    s.clock.advance(30);
    let r = send_code(&b, &s, &prompt, &code(&secret, &s)).await;
    assert_eq!(r.status(), 303);
    let full = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(
        partial, full,
        "a new session id once the second factor is in"
    );
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = replay
        .get(s.url("/t/acme/account"))
        .header("cookie", &partial)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        303,
        "the pre-second-factor cookie opens nothing"
    );
    assert_eq!(
        b.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

async fn wrong_codes_are_capped_per_day(backend: Backend) {
    let s = TestServer::start(backend).await;
    let secret = enrolled(&s).await;
    for _ in 0..5 {
        let (b, prompt) = password_step(&s).await;
        for _ in 0..10 {
            assert_eq!(send_code(&b, &s, &prompt, "000000").await.status(), 401);
        }
        s.clock.advance(15 * 60);
    }
    // fifty wrong codes today: even the right one waits for tomorrow
    let (b, prompt) = password_step(&s).await;
    let r = send_code(&b, &s, &prompt, &code(&secret, &s)).await;
    assert_eq!(r.status(), 429);
    let retry: i64 = r
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 15 * 60, "{retry}");
}

/// Adding an app, new recovery codes and removing the app each end every
/// other session of the person (and the applications' refresh tokens); the
/// browser that made the change goes on under a new id (ASVS 7.4.3).
async fn changing_second_factors_ends_other_sessions_and_refresh_tokens(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (id, secret) = crate::oidc::register(&s, crate::oidc::app("Shop", false, true)).await;
    let shop = (id, secret.unwrap());
    let tokens = crate::api::alice_tokens(&s, &shop).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let other = browser();
    sign_in(&other, &s.running.url, "acme", "alice", PASSWORD).await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let mut old = session_cookie_set(&r).unwrap();

    // Adding an app.
    let (secret, page) = setup_page(&b, &s).await;
    let r = enrol(&b, &s, &page, &code(&secret, &s)).await;
    assert_eq!(r.status(), 200, "the first codes are shown");
    let new = session_cookie_set(&r).expect("a new id for this browser");
    assert_eq!(with_cookie(&s, "/t/acme/account", &old).await, 303);
    old = new;
    let (status, _) = get_text(&other, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "the other browser is signed out");
    let (status, _) = crate::api::refresh_with(&s, &shop.0, &shop.1, refresh_token).await;
    assert_eq!(status, 400, "the application signs the person in again");
    let (status, _) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "this browser stays");

    // New recovery codes.
    let signed_in_elsewhere = async || {
        s.clock.advance(30);
        let (other, prompt) = password_step(&s).await;
        let r = send_code(&other, &s, &prompt, &code(&secret, &s)).await;
        assert_eq!(r.status(), 303);
        other
    };
    let other = signed_in_elsewhere().await;
    let (_, codes_page) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&codes_page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let new = session_cookie_set(&r).expect("a new id for this browser");
    assert_eq!(with_cookie(&s, "/t/acme/account", &old).await, 303);
    old = new;
    let (status, _) = get_text(&other, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "new codes sign the other browser out");

    // Removing the app.
    let other = signed_in_elsewhere().await;
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/totp/remove"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/account?done=app-removed");
    assert!(session_cookie_set(&r).is_some());
    assert_eq!(with_cookie(&s, "/t/acme/account", &old).await, 303);
    let (status, _) = get_text(&other, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "removing the app signs the other browser out");
    let (status, _) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200);
}
