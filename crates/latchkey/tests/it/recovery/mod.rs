//! Account Self-Recovery over HTTP, with a cookie jar and a real SMTP
//! listener receiving the codes and links; the clock is the test's.
//!
//! One module per part of the journey; the helpers every part uses are here
//! (and are used by the attack tests too).

mod applications;
mod cancel;
mod completion;
mod helpdesk;
mod journey;
mod language;
mod limits;
mod proofs;
mod sameness;

use latchkey_core::effects::audit::Actor;
use latchkey_core::store::AuditStore;
use latchkey_store::Backend;

use crate::helpers::*;
use crate::smtp::{Received, SmtpSink};

pub(crate) struct World {
    pub s: TestServer,
    pub sink: SmtpSink,
}

/// Acme with self-recovery on (no waiting-period changes), mail to a sink.
pub(crate) async fn world(backend: Backend) -> World {
    let sink = SmtpSink::start().await;
    let port = sink.addr.port().to_string();
    let s = TestServer::start_with(
        backend,
        &[
            ("mail.smtp_host", "127.0.0.1"),
            ("mail.smtp_port", &port),
            ("mail.smtp_security", "none"),
        ],
    )
    .await;
    latchkey_core::recovery::activation::enable(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    World { s, sink }
}

/// Alice with an authenticator app and saved recovery codes: the app's
/// secret and the codes.
pub(crate) async fn equipped(s: &TestServer) -> (String, Vec<String>) {
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (secret, page) = crate::totp::setup_page(&b, s).await;
    let r = crate::totp::enrol(&b, s, &page, &crate::totp::code(&secret, s)).await;
    // the first set of recovery codes comes with the app
    let (codes, _) = shown_codes(r).await;
    (secret, codes)
}

/// Starts a recovery for `login` from the sign-in page's link.
/// A browser that holds an open case is taken to it instead of the start
/// page; the case page's token serves the start form too (one binding).
pub(crate) async fn start(b: &reqwest::Client, s: &TestServer, login: &str) -> reqwest::Response {
    let r = b.get(s.url("/t/acme/recover")).send().await.unwrap();
    let page = if r.status() == 303 {
        assert_eq!(location(&r), "/t/acme/recover/case");
        case_page(b, s).await
    } else {
        assert_eq!(r.status(), 200);
        r.text().await.unwrap()
    };
    b.post(s.url("/t/acme/recover"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("login", login)])
        .send()
        .await
        .unwrap()
}

pub(crate) async fn case_page(b: &reqwest::Client, s: &TestServer) -> String {
    let (status, page) = get_text(b, &s.url("/t/acme/recover/case")).await;
    assert_eq!(status, 200, "{page}");
    page
}

/// The page's CSRF token, or none where the page has no form.
pub(crate) fn csrf_if_any(page: &str) -> String {
    if page.contains("name=\"csrf\"") {
        csrf_of(page)
    } else {
        String::new()
    }
}

pub(crate) async fn prove(
    b: &reqwest::Client,
    s: &TestServer,
    kind: &str,
    value: &str,
) -> reqwest::Response {
    let page = case_page(b, s).await;
    b.post(s.url("/t/acme/recover/proof"))
        .form(&[
            ("csrf", csrf_if_any(&page).as_str()),
            ("kind", kind),
            ("value", value),
        ])
        .send()
        .await
        .unwrap()
}

pub(crate) async fn finish(
    b: &reqwest::Client,
    s: &TestServer,
    password: Option<&str>,
) -> reqwest::Response {
    let page = case_page(b, s).await;
    let mut form = vec![("csrf", csrf_if_any(&page))];
    if let Some(p) = password {
        form.push(("password", p.to_owned()));
    }
    b.post(s.url("/t/acme/recover/complete"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// The 8-digit code in a recovery-code mail.
pub(crate) fn code_in(mail: &Received) -> String {
    let text = mail.text();
    text.split_whitespace()
        .find(|w| w.len() == 8 && w.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_owned()
}

pub(crate) fn link_in(mail: &Received) -> String {
    let text = mail.text();
    text.split_whitespace()
        .find(|w| w.starts_with("http") && w.contains("/recover/cancel?token="))
        .unwrap_or_else(|| panic!("no link in {text}"))
        .to_owned()
}

pub(crate) async fn events(s: &TestServer) -> Vec<String> {
    s.tdb
        .db
        .list_audit(&s.tenant.id, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}
