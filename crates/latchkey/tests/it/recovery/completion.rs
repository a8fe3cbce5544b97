//! Proving and finishing: a recovery code at once, the wait on an unknown
//! device, known devices.

use latchkey_core::store::{RecoveryStore, TotpStore};
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    lost_phone_at_the_prompt_and_a_recovery_code_finish_at_once,
    an_unknown_device_waits_and_the_password_is_asked_again,
    a_known_device_skips_the_wait,
    a_planted_device_cookie_does_not_skip_the_wait,
    a_known_device_counts_for_its_time_only,
);

async fn lost_phone_at_the_prompt_and_a_recovery_code_finish_at_once(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (_, codes) = equipped(&s).await;
    let old = browser();
    sign_in(&old, &s.running.url, "acme", "alice", PASSWORD).await;
    let before = sink.wait_for(2).await.len(); // app added, codes created

    let (b, prompt) = crate::totp::password_step(&s).await;
    assert!(prompt.contains("I lost my second factor"));
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    let page = case_page(&b, &s).await;
    assert!(
        page.contains("Your password <span class=\"ok\">✓</span>"),
        "{page}"
    );

    assert_eq!(
        prove(&b, &s, "recovery_code", &codes[3]).await.status(),
        303
    );
    let page = case_page(&b, &s).await;
    assert!(page.contains("Finish the recovery"), "instant: {page}");
    assert!(
        !page.contains("name=\"password\""),
        "no password again on the instant path"
    );
    let r = finish(&b, &s, None).await;
    assert_eq!(r.status(), 200);
    let done = r.text().await.unwrap();
    assert!(done.contains("You are back in"));

    let (status, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200);
    assert!(
        account.contains("password, recovery code, account recovery"),
        "{account}"
    );
    assert!(
        account.contains("Set up an authenticator app"),
        "the app is gone"
    );
    assert!(account.contains("Removed second factors"));
    assert!(account.contains("authenticator app — removed"), "{account}");
    assert!(account.contains("by your account recovery"));
    assert!(account.contains("<span class=\"warn\">✗</span> saved recovery codes"));
    assert_eq!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap(), None);
    let history = s.tdb.db.factor_history(&s.alice.id).await.unwrap();
    assert_eq!(history.len(), 2, "{history:?}");

    // Every older session is over.
    let (status, _) = get_text(&old, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303);
    let mails = sink.wait_for(before + 2).await; // the code, then the notice
    assert!(
        mails
            .last()
            .unwrap()
            .text()
            .contains("your account was recovered"),
        "{}",
        mails.last().unwrap().text()
    );
    let metrics = s.metrics().await;
    assert!(
        metrics.contains("latchkey_recovery_cases{tenant=\"acme\",state=\"completed\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("latchkey_factor_resets{tenant=\"acme\",by=\"self\"} 1"));
    assert!(metrics.contains("latchkey_recovery_median_seconds_to_complete{tenant=\"acme\"} 0"));
    let events = events(&s).await;
    for e in [
        "recovery.case.started",
        "recovery.case.proven",
        "recovery.case.ready",
        "recovery.case.completed",
    ] {
        assert!(events.contains(&e.to_owned()), "{e} in {events:?}");
    }
}

async fn an_unknown_device_waits_and_the_password_is_asked_again(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let b = browser();
    assert_eq!(
        location(&start(&b, &s, "alice@example.com").await),
        "/t/acme/recover/case"
    );
    let mails = sink.wait_for(3).await;
    let code = code_in(&mails[2]);

    assert_eq!(prove(&b, &s, "email_code", &code).await.status(), 303);
    assert_eq!(prove(&b, &s, "password", PASSWORD).await.status(), 303);
    let page = case_page(&b, &s).await;
    assert!(page.contains("the recovery completes on"), "{page}");
    let mails = sink.wait_for(4).await;
    assert!(
        mails[3].text().contains("cancel it now"),
        "{}",
        mails[3].text()
    );
    link_in(&mails[3]);

    let r = finish(&b, &s, Some(PASSWORD)).await;
    assert_eq!(r.status(), 409, "not before the wait is over");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());

    s.clock.advance(24 * 3600);
    let page = case_page(&b, &s).await;
    assert!(page.contains("Your password, once more"), "{page}");
    let ready = sink.wait_for(5).await[4].text();
    assert!(
        ready.contains("waiting period") && ready.contains("/t/acme/recover/case"),
        "{ready}"
    );
    let r = finish(&b, &s, Some("wrong password!!")).await;
    assert_eq!(r.status(), 401);
    let r = finish(&b, &s, Some(PASSWORD)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap(), None);

    // Done: the case cookie is gone, and a second completion does nothing.
    let (status, _) = get_text(&b, &s.url("/t/acme/recover/case")).await;
    assert_eq!(status, 303);
    let r = b
        .post(s.url("/t/acme/recover/complete"))
        .form(&[("csrf", ""), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
}

async fn a_known_device_skips_the_wait(backend: Backend) {
    let World { s, sink } = world(backend).await;
    // A browser where carol completed a sign-in is one of her devices.
    add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    let known = browser();
    let r = sign_in(&known, &s.running.url, "acme", "carol", PASSWORD).await;
    assert_eq!(location(&r), "/t/acme/account");
    assert_eq!(
        location(&start(&known, &s, "carol").await),
        "/t/acme/recover/case"
    );
    let code = code_in(&sink.wait_for(1).await[0]);
    prove(&known, &s, "email_code", &code).await;
    prove(&known, &s, "password", PASSWORD).await;
    let page = case_page(&known, &s).await;
    assert!(
        page.contains("Finish the recovery"),
        "no wait on a known device: {page}"
    );
    assert!(!page.contains("name=\"password\""));
    assert_eq!(finish(&known, &s, None).await.status(), 200);

    // The same proofs on a browser carol never used: the wait applies.
    let stranger = browser();
    start(&stranger, &s, "carol").await;
    let mails = sink.wait_for(3).await; // code, completed, code
    let code = code_in(&mails[2]);
    prove(&stranger, &s, "email_code", &code).await;
    prove(&stranger, &s, "password", PASSWORD).await;
    assert!(
        case_page(&stranger, &s)
            .await
            .contains("the recovery completes on")
    );
}

/// Review M2: a device id planted in someone's browser never becomes a
/// known device of theirs.
async fn a_planted_device_cookie_does_not_skip_the_wait(backend: Backend) {
    let World { s, sink } = world(backend).await;
    add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    let planted = "p".repeat(43);
    // A browser carrying a device id someone else chose.
    let with_planted = || {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let url: url::Url = s.running.url.parse().unwrap();
        jar.add_cookie_str(&format!("latchkey-device-acme={planted}; Path=/"), &url);
        reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    };
    let victim = with_planted();
    let r = sign_in(&victim, &s.running.url, "acme", "carol", PASSWORD).await;
    assert_eq!(location(&r), "/t/acme/account");
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        set.iter()
            .any(|c| c.starts_with("latchkey-device-acme=") && !c.contains(&planted)),
        "a fresh device id: {set:?}"
    );

    let attacker = with_planted();
    assert_eq!(
        location(&start(&attacker, &s, "carol").await),
        "/t/acme/recover/case"
    );
    let code = code_in(&sink.wait_for(1).await[0]);
    prove(&attacker, &s, "email_code", &code).await;
    prove(&attacker, &s, "password", PASSWORD).await;
    assert!(
        case_page(&attacker, &s)
            .await
            .contains("the recovery completes on")
    );
}

/// Audit: a device counts as known for the tenant's time (90 days by
/// default), not for ever.
async fn a_known_device_counts_for_its_time_only(backend: Backend) {
    let World { s, sink } = world(backend).await;
    add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    let known = browser();
    sign_in(&known, &s.running.url, "acme", "carol", PASSWORD).await;
    s.clock.advance(91 * 24 * 3600);
    start(&known, &s, "carol").await;
    let code = code_in(&sink.wait_for(1).await[0]);
    prove(&known, &s, "email_code", &code).await;
    prove(&known, &s, "password", PASSWORD).await;
    let page = case_page(&known, &s).await;
    assert!(
        page.contains("the recovery completes on"),
        "a wait after 91 days: {page}"
    );
}
