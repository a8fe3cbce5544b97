//! Self-recovery as a journey a person can leave and come back to (issue
//! 14): the status page, a new code and its limit, the time it completes on
//! the person's clock, the warning that finishing needs this browser, and
//! the next step after it.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::zone::Zone;
use latchkey_core::store::RecoveryStore;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    a_new_code_replaces_the_old_and_the_limit_says_what_still_works,
    the_browser_comes_back_to_its_case_whichever_door_it_takes,
    the_wait_shows_on_the_persons_clock_or_says_it_is_utc,
    after_completion_the_next_step_is_offered,
);

/// The code of the first code mail after the first `skip` mails (notices
/// of earlier steps may arrive in between).
pub(crate) async fn next_code(sink: &crate::smtp::SmtpSink, skip: usize) -> String {
    codes_after(sink, skip, 1).await.remove(0)
}

/// The codes of the first `n` code mails after the first `skip` mails, in
/// the order they arrived.
pub(crate) async fn codes_after(
    sink: &crate::smtp::SmtpSink,
    skip: usize,
    n: usize,
) -> Vec<String> {
    for _ in 0..200 {
        let codes: Vec<String> = sink
            .messages()
            .iter()
            .skip(skip)
            .filter(|m| {
                m.text()
                    .split_whitespace()
                    .any(|w| w.len() == 8 && w.chars().all(|c| c.is_ascii_digit()))
            })
            .map(code_in)
            .collect();
        if codes.len() >= n {
            return codes;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} code mails after {skip}");
}

/// How many code mails arrived after the first `skip` mails, once the
/// outbox settled.
pub(crate) async fn code_mails(sink: &crate::smtp::SmtpSink, skip: usize) -> usize {
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    sink.messages()
        .iter()
        .skip(skip)
        .filter(|m| {
            m.text()
                .split_whitespace()
                .any(|w| w.len() == 8 && w.chars().all(|c| c.is_ascii_digit()))
        })
        .count()
}

/// A browser whose cookie jar the test can write to (the cookie the time
/// zone script writes), asking for `lang`.
pub(crate) fn browser_with_jar(
    lang: &'static str,
) -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(
            [(
                reqwest::header::ACCEPT_LANGUAGE,
                reqwest::header::HeaderValue::from_static(lang),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    (client, jar)
}

/// What the time zone script does: the cookie `latchkey-tz`.
pub(crate) fn report_zone(jar: &reqwest::cookie::Jar, s: &TestServer, value: &str) {
    let url: reqwest::Url = s.url("/").parse().unwrap();
    jar.add_cookie_str(&format!("latchkey-tz={value}; Path=/"), &url);
}

/// Posts "Send a new code" from the case page.
pub(crate) async fn resend(b: &reqwest::Client, s: &TestServer) -> reqwest::Response {
    let page = case_page(b, s).await;
    b.post(s.url("/t/acme/recover/resend"))
        .form(&[("csrf", csrf_if_any(&page))])
        .send()
        .await
        .unwrap()
}

async fn a_new_code_replaces_the_old_and_the_limit_says_what_still_works(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (_, codes) = equipped(&s).await;
    let before = sink.messages().len();
    let b = browser();
    start(&b, &s, "alice").await;
    let first = next_code(&sink, before).await;
    let page = case_page(&b, &s).await;
    assert!(
        page.contains("action=\"/t/acme/recover/resend\"") && page.contains("Send a new code"),
        "{page}"
    );

    let r = resend(&b, &s).await;
    assert_eq!(
        (r.status().as_u16(), location(&r)),
        (303, "/t/acme/recover/case?resent".to_owned())
    );
    let (_, page) = get_text(&b, &s.url("/t/acme/recover/case?resent")).await;
    assert!(page.contains("a new code is on its way"), "{page}");
    let mailed = codes_after(&sink, before, 2).await;
    assert_eq!(mailed[0], first);
    let second = mailed[1].clone();
    assert_ne!(first, second);
    assert!(
        events(&s)
            .await
            .contains(&"recovery.case.code-resent".to_owned())
    );

    // the old code no longer works; the new one does
    assert_eq!(prove(&b, &s, "email_code", &first).await.status(), 401);
    assert_eq!(prove(&b, &s, "email_code", &second).await.status(), 303);
    let page = case_page(&b, &s).await;
    assert!(
        page.contains("Code from your email: <span class=\"ok\">✓ proven</span>"),
        "{page}"
    );
    assert!(
        !page.contains("/recover/resend"),
        "no new code once the code is proven"
    );
    // asking anyway changes nothing
    let r = b
        .post(s.url("/t/acme/recover/resend"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    assert_eq!(code_mails(&sink, before).await, 2);

    // Counted with the starts for the name: a start and a resend above,
    // a start here makes three this hour; the next is refused, clearly.
    let other = browser();
    start(&other, &s, "alice").await;
    codes_after(&sink, before, 3).await;
    let r = resend(&other, &s).await;
    assert_eq!(r.status(), 429);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("No new code now: enough codes went out for this name.")
            && page.contains("The newest code this recovery mailed you still works")
            && page.contains("A new one can go in")
            && page.contains("your password with a recovery code works without one"),
        "{page}"
    );
    // a calm notice, not an error: nothing the person did was wrong
    assert!(
        page.contains("<p class=\"notice warning\" role=\"status\">No new code now"),
        "{page}"
    );
    assert!(!page.contains("class=\"error\""), "{page}");
    assert_eq!(
        code_mails(&sink, before).await,
        3,
        "no code beyond the limit"
    );
    // what still works does: password and a recovery code
    let r = prove(&other, &s, "password", PASSWORD).await;
    let status = r.status();
    assert_eq!(status, 303, "{}", r.text().await.unwrap());
    assert_eq!(
        prove(&other, &s, "recovery_code", &codes[0]).await.status(),
        303
    );
    assert!(case_page(&other, &s).await.contains("Finish the recovery"));

    // an hour later a new code may go out again
    s.clock.advance(3601);
    let third = browser();
    let skip = sink.messages().len();
    start(&third, &s, "alice").await;
    next_code(&sink, skip).await;
}

async fn the_browser_comes_back_to_its_case_whichever_door_it_takes(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let before = sink.messages().len();
    let b = browser();
    start(&b, &s, "alice").await;
    let code = next_code(&sink, before).await;
    // The sign-in page's "Can't sign in?" leads to the case.
    let (_, signin) = get_text(&b, &s.url("/t/acme/signin")).await;
    assert!(
        signin.contains("href=\"/t/acme/recover?return_to="),
        "{signin}"
    );
    let r = b
        .get(s.url("/t/acme/recover?return_to=/t/acme/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), location(&r)),
        (303, "/t/acme/recover/case".to_owned())
    );
    // a decoy's browser alike
    let fake = browser();
    start(&fake, &s, "nobody@example.com").await;
    let r = fake.get(s.url("/t/acme/recover")).send().await.unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    // a browser without a case gets the start page
    let (status, page) = get_text(&browser(), &s.url("/t/acme/recover")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Start recovery"), "{page}");

    // The status page: what is proven and what is missing, what happens
    // next, and that finishing needs this browser.
    let page = case_page(&b, &s).await;
    for text in [
        "Where your recovery stands",
        "Code from your email: <span class=\"muted\">still needed</span>",
        "Your password: <span class=\"muted\">still needed</span>",
        "What happens next",
        "Finish in this browser",
        "do not use a private window",
        "start again there and give both proofs again",
        "Stop this recovery",
    ] {
        assert!(page.contains(text), "{text}: {page}");
    }
    assert_eq!(prove(&b, &s, "email_code", &code).await.status(), 303);

    // "I lost my second factor" at the second sign-in step leads back to
    // the same case (no new case cookie), which gets the password.
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[("csrf", csrf_of(&prompt).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    assert!(
        !r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().contains("recovery-acme")),
        "the browser keeps its case"
    );
    let cases = s.tdb.db.open_cases_for_user(&s.alice.id).await.unwrap();
    assert_eq!(cases.len(), 1, "{cases:?}");

    // Proven: it waits. The browser leaves and comes back hours later.
    let page = case_page(&b, &s).await;
    assert!(page.contains("in 24 hours"), "{page}");
    assert!(page.contains("Finish in this browser"), "{page}");
    assert!(
        page.contains("Come back to this page in this browser"),
        "{page}"
    );
    s.clock.advance(5 * 3600);
    let r = b.get(s.url("/t/acme/recover")).send().await.unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    let page = case_page(&b, &s).await;
    assert!(page.contains("in 19 hours"), "{page}");
    s.clock.advance(19 * 3600 - 10 * 60);
    assert!(case_page(&b, &s).await.contains("in 10 minutes"));

    // An ended case sends the browser to the start again.
    let page = case_page(&b, &s).await;
    b.post(s.url("/t/acme/recover/stop"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    let (status, page) = get_text(&b, &s.url("/t/acme/recover")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Start recovery"), "{page}");
}

async fn the_wait_shows_on_the_persons_clock_or_says_it_is_utc(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let before = sink.messages().len();
    let (b, jar) = browser_with_jar("en");
    start(&b, &s, "alice").await;
    let code = next_code(&sink, before).await;
    prove(&b, &s, "email_code", &code).await;
    prove(&b, &s, "password", PASSWORD).await;
    let case = s.tdb.db.open_cases_for_user(&s.alice.id).await.unwrap()[0].clone();
    let ready = case.facts.ready_at.unwrap().0;

    // No script, no zone: UTC, and the page says so.
    let page = case_page(&b, &s).await;
    assert!(
        page.contains(&format!(
            "<strong>{}</strong> (UTC — your browser did not tell us its time zone), in 24 hours",
            Zone::utc().local(UnixTime(ready))
        )),
        "{page}"
    );
    // The organisation's zone, when the browser reports none.
    set_tenant(
        &s,
        "acme",
        latchkey_core::tenants::SettingsInput {
            time_zone: Some("Europe/Zurich".into()),
            ..Default::default()
        },
    )
    .await;
    let on = |name: &str| Zone::named(name).unwrap().local(UnixTime(ready));
    let page = case_page(&b, &s).await;
    assert!(
        page.contains(&format!(
            "<strong>{}</strong> (Europe/Zurich — Acme Corp’s time zone; your browser did not tell us its own), in 24 hours",
            on("Europe/Zurich")
        )),
        "{page}"
    );
    // The zone the script reports: its clock, by name; the offsets the
    // script wrote before 0028 are not read.
    for reported in ["Europe/Rome", "Europe/Rome|60", "Europe/Rome|6000"] {
        report_zone(&jar, &s, reported);
        let page = case_page(&b, &s).await;
        assert!(
            page.contains(&format!(
                "<strong>{}</strong> (Europe/Rome), in 24 hours",
                on("Europe/Rome")
            )),
            "{reported}: {page}"
        );
    }
    report_zone(&jar, &s, "America/New_York|-300|5:-240");
    let page = case_page(&b, &s).await;
    assert!(
        page.contains(&format!(
            "<strong>{}</strong> (America/New_York)",
            on("America/New_York")
        )),
        "{page}"
    );
    // Anything that is no zone is the organisation's zone again.
    for bad in ["Mars/Olympus|60", "Europe/Romeo", "../etc/passwd"] {
        report_zone(&jar, &s, bad);
        let page = case_page(&b, &s).await;
        assert!(page.contains("(Europe/Zurich — Acme Corp"), "{bad}: {page}");
    }
    // the script that reports it
    let r = browser()
        .get(s.url("/static/timezone.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("resolvedOptions().timeZone")
    );
}

async fn after_completion_the_next_step_is_offered(backend: Backend) {
    let World { s, .. } = world(backend).await;
    let (_, codes) = equipped(&s).await;
    let b = browser();
    start(&b, &s, "alice").await;
    prove(&b, &s, "password", PASSWORD).await;
    prove(&b, &s, "recovery_code", &codes[0]).await;
    let r = finish(&b, &s, None).await;
    assert_eq!(r.status(), 200);
    let done = r.text().await.unwrap();
    for text in [
        "Protect your account again",
        "href=\"/t/acme/account/totp\" class=\"button\">Set up an authenticator app",
        "href=\"/t/acme/account#passkeys\" class=\"button secondary\">Add a passkey",
        "class=\"button secondary\">Not now, continue",
    ] {
        assert!(done.contains(text), "{text}: {done}");
    }
    // both lead somewhere
    let (status, page) = get_text(&b, &s.url("/t/acme/account/totp")).await;
    assert_eq!(status, 200, "{page}");
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("<h2 id=\"passkeys\">"), "{account}");
}
