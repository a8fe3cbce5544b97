//! Authenticator apps: enrolment with a QR code, the second sign-in step,
//! replay protection, rate limits and secrets sealed at rest. Codes are
//! computed with totp-rs, an implementation independent of latchkey's.
//!
//! The helpers here drive the set-up and the code prompt for the other tests too.

mod apps;
mod policy;
mod recovery_codes;

use latchkey_core::platform::clock::Clock;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::*;

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
    // the answer shows the first recovery codes
    assert_eq!(enrol(&b, s, &page, &code(&secret, s)).await.status(), 200);
    secret
}

pub(crate) fn hex_decode(text: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(chunk).unwrap(), 16).unwrap();
    }
    out
}
