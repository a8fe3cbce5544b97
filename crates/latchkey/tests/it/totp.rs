//! Authenticator apps: enrolment with a QR code, the second sign-in step,
//! replay protection, rate limits and secrets sealed at rest. Codes are
//! computed with totp-rs, an implementation independent of latchkey's.

use latchkey_core::platform::clock::Clock;
use latchkey_core::store::TotpStore;
use latchkey_store::Backend;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::*;

on_both_backends!(
    enrol_an_app_and_sign_in_with_its_codes,
    the_database_holds_only_the_sealed_secret,
    code_attempts_are_rate_limited,
    a_second_enrolment_racing_the_first_gets_a_clear_error,
    removing_needs_a_recent_sign_in,
    recovery_codes_are_shown_once_and_each_signs_in_once,
    a_required_second_factor_is_set_up_before_anything_else,
    the_code_prompt_waits_five_minutes_and_the_session_id_changes,
    wrong_codes_are_capped_per_day,
);

pub(crate) fn app(secret_base32: &str) -> TOTP {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .unwrap();
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).unwrap()
}

pub(crate) fn code(secret_base32: &str, s: &TestServer) -> String {
    app(secret_base32).generate(u64::try_from(s.clock.now().0).unwrap())
}

/// Opens the set-up page; returns (secret, page).
pub(crate) async fn setup_page(b: &reqwest::Client, s: &TestServer) -> (String, String) {
    let (status, page) = get_text(b, &s.url("/t/acme/account/totp")).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("<svg") && page.contains("<path d=\"M"),
        "a QR code"
    );
    let secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(secret.len(), 32, "160 bits in base32");
    (secret, page)
}

pub(crate) fn offer_of(page: &str) -> String {
    page.split("name=\"offer\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

pub(crate) async fn enrol(
    b: &reqwest::Client,
    s: &TestServer,
    page: &str,
    code: &str,
) -> reqwest::Response {
    b.post(s.url("/t/acme/account/totp"))
        .form(&[
            ("csrf", csrf_of(page).as_str()),
            ("offer", offer_of(page).as_str()),
            ("code", code),
        ])
        .send()
        .await
        .unwrap()
}

/// Signs alice in with a password and returns the browser, now at the code prompt.
pub(crate) async fn password_step(s: &TestServer) -> (reqwest::Client, String) {
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    assert_eq!(r.status(), 303);
    let next = location(&r);
    assert_eq!(next, "/t/acme/signin/otp?return_to=/t/acme/account");
    let (status, page) = get_text(&b, &s.url(&next)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm it is you") && page.contains("6-digit code"));
    (b, page)
}

pub(crate) async fn send_code(
    b: &reqwest::Client,
    s: &TestServer,
    page: &str,
    code: &str,
) -> reqwest::Response {
    b.post(s.url("/t/acme/signin/otp"))
        .form(&[
            ("csrf", csrf_of(page).as_str()),
            ("code", code),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap()
}

pub(crate) async fn enrolled(s: &TestServer) -> String {
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let (secret, page) = setup_page(&b, s).await;
    assert_eq!(enrol(&b, s, &page, &code(&secret, s)).await.status(), 303);
    secret
}

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
    assert_eq!(r.status(), 303);
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

fn hex_decode(text: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(chunk).unwrap(), 16).unwrap();
    }
    out
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
        303
    );
    let r = enrol(&b, &s, &second_page, &code(&second, &s)).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("your authenticator app changed meanwhile")
    );
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

async fn removing_needs_a_recent_sign_in(backend: Backend) {
    let s = TestServer::start(backend).await;
    let secret = enrolled(&s).await;
    let (b, prompt) = password_step(&s).await;
    s.clock.advance(30);
    assert_eq!(
        send_code(&b, &s, &prompt, &code(&secret, &s))
            .await
            .status(),
        303
    );
    s.clock.advance(11 * 60);
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/totp/remove"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "not within 10 minutes of signing in");
    assert_eq!(location(&r), "/t/acme/reauth?return_to=/t/acme/account");
    assert!(
        s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some(),
        "nothing removed yet"
    );

    let (status, prompt) = get_text(&b, &s.url(&location(&r))).await;
    assert_eq!(status, 200);
    assert!(
        prompt.contains("Confirm it&#39;s you") || prompt.contains("Confirm it's you"),
        "{prompt}"
    );
    assert!(
        prompt.contains("Code from your authenticator app"),
        "the app is asked too"
    );
    let confirm = |password: &'static str, code: String, page: String| {
        let b = b.clone();
        let url = s.url("/t/acme/reauth");
        async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf_of(&page).as_str()),
                    ("password", password),
                    ("code", code.as_str()),
                    ("return_to", "/t/acme/account"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    s.clock.advance(30);
    let current = code(&secret, &s);
    let r = confirm("wrong password here", current.clone(), prompt.clone()).await;
    assert_eq!(r.status(), 401);
    let r = confirm(PASSWORD, "000000".into(), prompt.clone()).await;
    assert_eq!(r.status(), 401, "the password alone is not enough");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("code from your authenticator app is not correct")
    );
    let r = confirm(PASSWORD, current, prompt).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");

    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/totp/remove"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());
    // without a second factor, a password signs in again
    assert_eq!(
        location(&sign_in(&browser(), &s.running.url, "acme", "alice", PASSWORD).await),
        "/t/acme/account"
    );
}

async fn create_codes(b: &reqwest::Client, s: &TestServer) -> Vec<String> {
    let (status, page) = get_text(b, &s.url("/t/acme/account/recovery-codes")).await;
    assert_eq!(status, 200);
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers().get("cache-control").unwrap(),
        "no-store",
        "codes shown once are never cached"
    );
    let page = r.text().await.unwrap();
    assert!(page.contains("shown only once"));
    assert!(page.contains("download=\"recovery-codes-acme.txt\""));
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    codes
}

async fn use_code(s: &TestServer, code: &str) -> (u16, String) {
    let (b, prompt) = password_step(s).await;
    assert!(prompt.contains("Use a recovery code"));
    let r = b
        .post(s.url("/t/acme/signin/recovery-code"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("code", code),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    if status == 303 {
        let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
        return (status, account);
    }
    (status, r.text().await.unwrap())
}

async fn recovery_codes_are_shown_once_and_each_signs_in_once(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let (secret, page) = setup_page(&b, &s).await;
    let r = enrol(&b, &s, &page, &code(&secret, &s)).await;
    assert_eq!(
        location(&r),
        "/t/acme/account/recovery-codes",
        "codes come right after the app"
    );
    let codes = create_codes(&b, &s).await;
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("10 unused"), "{account}");
    // the page shows no codes again
    let (_, again) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    assert!(!again.contains(&codes[0]));

    // typed loosely: upper case, spaces instead of dashes
    let typed = codes[0].to_uppercase().replace('-', " ");
    let (status, account) = use_code(&s, &typed).await;
    assert_eq!(status, 303);
    assert!(account.contains("9 unused"), "{account}");
    let (status, page) = use_code(&s, &codes[0]).await;
    assert_eq!(status, 401, "each code once");
    assert!(page.contains("not correct or was used before"));
    let (status, _) = use_code(&s, "not-a-code").await;
    assert_eq!(status, 401);

    for c in &codes[1..7] {
        assert_eq!(use_code(&s, c).await.0, 303);
    }
    let (_, account) = use_code(&s, &codes[7]).await;
    assert!(
        account.contains("2 unused") && account.contains("few left"),
        "{account}"
    );

    // a new set ends the old one
    let (b, prompt) = password_step(&s).await;
    s.clock.advance(30);
    assert_eq!(
        send_code(&b, &s, &prompt, &code(&secret, &s))
            .await
            .status(),
        303
    );
    let fresh = create_codes(&b, &s).await;
    assert_eq!(use_code(&s, &codes[8]).await.0, 401);
    assert_eq!(use_code(&s, &fresh[0]).await.0, 303);
}

async fn a_required_second_factor_is_set_up_before_anything_else(backend: Backend) {
    let s = TestServer::start(backend).await;
    let strict = latchkey_core::tenants::TenantInput {
        slug: "strict".into(),
        display_name: "Strict Inc".into(),
        second_factor: Some("required".into()),
        ..Default::default()
    };
    let tenant = latchkey_core::tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &strict,
    )
    .await
    .unwrap();
    add_user(&s.tdb, &s.clock, &tenant, "ivan", "ivan@example.com").await;

    let b = browser();
    let r = sign_in(&b, &s.running.url, "strict", "ivan", PASSWORD).await;
    assert_eq!(location(&r), "/t/strict/account");
    let r = b.get(s.url("/t/strict/account")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        "/t/strict/account/totp",
        "the account waits for a second factor"
    );

    let (status, page) = get_text(&b, &s.url("/t/strict/account/totp")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Strict Inc requires a second factor"));
    // other pages for signed-in users send there too
    let r = b
        .post(s.url("/t/strict/account/verify-email"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/strict/account/totp");
    let secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let r = b
        .post(s.url("/t/strict/account/totp"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("offer", offer_of(&page).as_str()),
            ("code", &code(&secret, &s)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/strict/account/recovery-codes");
    // still not done: recovery codes first
    let r = b.get(s.url("/t/strict/account")).send().await.unwrap();
    assert_eq!(location(&r), "/t/strict/account/recovery-codes");
    let (_, page) = get_text(&b, &s.url("/t/strict/account/recovery-codes")).await;
    let r = b
        .post(s.url("/t/strict/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, account) = get_text(&b, &s.url("/t/strict/account")).await;
    assert_eq!(status, 200);
    // and the only factor cannot be removed under this policy
    let r = b
        .post(s.url("/t/strict/account/totp/remove"))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("requires a second factor"));

    // but a new phone can replace the old one
    let (status, page) = get_text(&b, &s.url("/t/strict/account/totp")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Replace your authenticator app"));
    let new_secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let replacing = page
        .split("name=\"replacing\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    s.clock.advance(30);
    let r = b
        .post(s.url("/t/strict/account/totp"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("offer", offer_of(&page).as_str()),
            ("code", &code(&new_secret, &s)),
            ("replacing", replacing.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/strict/account", "recovery codes are kept");
    // the old app's codes no longer sign in; the new one's do
    let b = browser();
    let r = sign_in(&b, &s.running.url, "strict", "ivan", PASSWORD).await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    s.clock.advance(30);
    let post = |code: String| {
        let (b, url, csrf) = (b.clone(), s.url("/t/strict/signin/otp"), csrf_of(&prompt));
        async move {
            b.post(url)
                .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post(code(&secret, &s)).await, 401);
    assert_eq!(post(code(&new_secret, &s)).await, 303);
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
