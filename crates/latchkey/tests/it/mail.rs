//! Mail over a real SMTP conversation, the durable outbox, and email
//! verification links, on both backends.

use latchkey_core::store::OutboxStore;
use latchkey_store::Backend;

use crate::helpers::*;
use crate::smtp::SmtpSink;

on_both_backends!(
    new_users_get_a_verification_link_that_works_once,
    mail_queued_while_smtp_is_down_is_delivered_once_it_is_back,
    the_account_page_sends_a_new_link_and_limits_resends,
    links_only_work_in_their_tenant_unexpired_and_untampered,
    adding_and_removing_an_authenticator_app_is_told_by_mail,
    guessing_codes_is_told_by_mail,
    a_sign_in_from_a_new_browser_is_told_by_mail,
);

fn smtp_config(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("mail.smtp_host", "127.0.0.1".into()),
        ("mail.smtp_port", port.to_string()),
        ("mail.smtp_security", "none".into()),
        ("mail.poll_seconds", "1".into()),
        ("mail.from", "Acme ID <id@acme.example>".into()),
    ]
}

pub(crate) async fn start_with_smtp(backend: Backend, port: u16) -> TestServer {
    let extra = smtp_config(port);
    let extra: Vec<(&'static str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestServer::start_with(backend, &extra).await
}

/// Follows a verification link like a person: open it, press the button.
async fn confirm(link: &str) -> (u16, String) {
    press_the_button(link, "Confirm your email address").await
}

/// Opens a mailed link like a person — a page with `heading` and a button
/// (opening alone changes nothing) — and presses the button.
pub(crate) async fn press_the_button(link: &str, heading: &str) -> (u16, String) {
    let b = browser();
    let (status, page) = get_text(&b, link).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(heading), "{page}");
    let token = link.split("token=").nth(1).unwrap();
    let action = link.split('?').next().unwrap();
    let r = b
        .post(action)
        .form(&[("csrf", csrf_of(&page).as_str()), ("token", token)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn new_users_get_a_verification_link_that_works_once(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    let url = s.running.url.clone();
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "carol",
        "Carol@Example.com",
        false,
        None,
    )
    .await;
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "dieter",
        "dieter@example.de",
        false,
        Some("de"),
    )
    .await;

    let mails = sink.wait_for(2).await;
    let carol = mails
        .iter()
        .find(|m| m.to == ["Carol@Example.com"])
        .expect("mail to carol");
    assert_eq!(carol.from, "<id@acme.example>");
    assert!(carol.text().starts_with("Hello carol,"), "{}", carol.text());
    let dieter = mails
        .iter()
        .find(|m| m.to == ["dieter@example.de"])
        .expect("mail to dieter");
    assert!(
        dieter.text().starts_with("Hallo dieter,"),
        "{}",
        dieter.text()
    );
    assert!(
        dieter.data.contains("text/html"),
        "text and HTML alternatives"
    );

    // signed in, carol sees her address unverified
    let b = browser();
    assert_eq!(
        sign_in(&b, &url, "acme", "carol", PASSWORD).await.status(),
        303
    );
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(page.contains("(not verified)"));

    let link = carol.link("/t/acme/verify-email?token=");
    assert!(link.starts_with(&url), "{link}");
    // opening the link alone changes nothing (mail scanners follow links)
    get_text(&browser(), &link).await;
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(page.contains("(not verified)"));

    let (status, page) = confirm(&link).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Carol@Example.com is now confirmed"),
        "{page}"
    );
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(page.contains("(verified)"), "{page}");

    let (status, page) = confirm(&link).await;
    assert_eq!(status, 410, "a link works once");
    assert!(page.contains("This link cannot be used"));

    // the outbox recorded the deliveries and no longer holds the links
    assert_eq!(s.tdb.db.outbox_counts().await.unwrap(), (0, 2, 0));
}

async fn mail_queued_while_smtp_is_down_is_delivered_once_it_is_back(backend: Backend) {
    let port = SmtpSink::start().await.stop().port();
    let s = start_with_smtp(backend, port).await;
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "erin",
        "erin@example.com",
        false,
        None,
    )
    .await;

    // the server is down: attempts fail (several polls) and the message waits
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        s.tdb.db.outbox_counts().await.unwrap(),
        (1, 0, 0),
        "pending, not lost"
    );

    // a restart of latchkey in the meantime loses nothing either
    s.running.shutdown().await.unwrap();
    let restarted = {
        let extra = smtp_config(port);
        let extra: Vec<(&'static str, &str)> =
            extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
        start_on(&s.tdb, s.clock.clone(), &extra).await
    };

    let sink = SmtpSink::start_on(([127, 0, 0, 1], port).into()).await;
    s.clock.advance(3600); // past the retry delay
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, ["erin@example.com"]);
    // several more polls: still exactly one
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(sink.messages().len(), 1, "delivered exactly once");
    assert_eq!(s.tdb.db.outbox_counts().await.unwrap(), (0, 1, 0));
    let link = mails[0].link("verify-email?token=");
    assert!(link.contains("/t/acme/"));
    drop(restarted);
}

async fn the_account_page_sends_a_new_link_and_limits_resends(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    let url = s.running.url.clone();
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "frank",
        "frank@example.com",
        false,
        None,
    )
    .await;
    sink.wait_for(1).await;

    let b = browser();
    assert_eq!(
        sign_in(&b, &url, "acme", "frank", PASSWORD).await.status(),
        303
    );
    for i in 0..5 {
        let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
        let r = b
            .post(s.url("/t/acme/account/verify-email"))
            .form(&[("csrf", csrf_of(&page).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "resend {i}");
        assert_eq!(location(&r), "/t/acme/account?sent=verification");
    }
    let (_, page) = get_text(&b, &s.url("/t/acme/account?sent=verification")).await;
    assert!(page.contains("We sent a new verification link"));
    let r = b
        .post(s.url("/t/acme/account/verify-email"))
        .form(&[("csrf", csrf_of(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "five per hour");
    // without the CSRF token nothing is sent
    let r = b
        .post(s.url("/t/acme/account/verify-email"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let mails = sink.wait_for(6).await;
    // each resend carries its own link; the newest one works
    let newest = mails.last().unwrap().link("verify-email?token=");
    let (status, _) = confirm(&newest).await;
    assert_eq!(status, 200);
    // once verified, the page offers no resend and a resend does nothing
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(!page.contains("Send the verification link again"));
}

async fn links_only_work_in_their_tenant_unexpired_and_untampered(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    let url = s.running.url.clone();
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
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "gina",
        "gina@example.com",
        false,
        None,
    )
    .await;
    let link = sink.wait_for(1).await[0].link("verify-email?token=");

    let elsewhere = link.replace("/t/acme/", "/t/other/");
    assert_eq!(confirm(&elsewhere).await.0, 410, "another tenant");
    let last = if link.ends_with('A') { 'B' } else { 'A' };
    let tampered = format!("{}{last}", &link[..link.len() - 1]);
    assert_eq!(confirm(&tampered).await.0, 410, "tampered");
    let garbage = format!("{}/t/acme/verify-email?token=%3Cscript%3E", url);
    assert_eq!(confirm(&garbage).await.0, 410, "malformed");

    s.clock.advance(24 * 3600);
    assert_eq!(confirm(&link).await.0, 410, "expired after 24 h");
}

async fn adding_and_removing_an_authenticator_app_is_told_by_mail(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    let secret = crate::totp::enrolled(&s).await;
    // the app, and the first recovery codes that came with it
    let mails = sink.wait_for(2).await;
    let added = mails
        .iter()
        .find(|m| {
            m.text()
                .contains("an authenticator app was added as a second factor")
        })
        .expect("the app is told");
    assert_eq!(added.to, ["Alice@Example.com"]);
    assert!(
        latchkey_mail::eml::decode_words(
            &latchkey_mail::eml::header(&added.data, "Subject").unwrap()
        )
        .contains("An authenticator app was added")
    );
    // a new set of recovery codes is an account-recovery notice of its own
    // (NIST SP 800-63B-4 §4.2.1.1, SRC-2)
    let codes = mails
        .iter()
        .find(|m| m.text().contains("new recovery codes were created"))
        .expect("the first codes are told");
    assert_eq!(codes.to, ["Alice@Example.com"]);
    assert!(codes.text().contains("the old ones no longer work"));

    let (b, prompt) = crate::totp::password_step(&s).await;
    s.clock.advance(30);
    let code = crate::totp::code(&secret, &s);
    assert_eq!(
        crate::totp::send_code(&b, &s, &prompt, &code)
            .await
            .status(),
        303
    );
    // replacing the codes is told too
    let (_, page) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    sink.wait_for_text(2, "new recovery codes were created")
        .await;
    // (a second apart, so that the account page's order is certain)
    s.clock.advance(1);
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/totp/remove"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // (the sign-in from a new browser is told too)
    let removed = sink
        .wait_for_text(2, "an authenticator app was removed")
        .await
        .text();
    // it was the last factor: the mail says the codes went with it, and
    // what to do if it was not Alice
    assert!(
        removed.contains("so your recovery codes were removed too"),
        "{removed}"
    );
    assert!(
        removed.contains("change your password at once"),
        "{removed}"
    );
    // and where the request came from (loopback here, its last part hidden)
    assert!(
        removed.contains("came from the address 127.0.0.x"),
        "{removed}"
    );
    // the account page lists the same events, newest first
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let events = account
        .split("<section class=\"card\" id=\"activity\">")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    let order: Vec<usize> = [
        "Authenticator app removed — ",
        "New recovery codes created — ",
        "Authenticator app added — ",
    ]
    .iter()
    .map(|what| {
        events
            .find(what)
            .unwrap_or_else(|| panic!("{what}: {events}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{events}");
    assert!(events.contains(" · 127.0.0.x</li>"), "{events}");
    assert!(!events.contains("Signed in"), "sign-ins are not listed");
}

async fn guessing_codes_is_told_by_mail(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    crate::totp::enrolled(&s).await;
    sink.wait_for(2).await; // the app was added, with its first recovery codes
    let (b, prompt) = crate::totp::password_step(&s).await;
    for _ in 0..12 {
        crate::totp::send_code(&b, &s, &prompt, "000000").await;
    }
    let mails = sink.wait_for(3).await;
    assert!(
        mails[2].text().contains("followed by many wrong codes"),
        "{}",
        mails[2].text()
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 3, "told once, not at every attempt");
}

/// A complete sign-in from a browser that is not a known device is told to
/// the person (ASVS 6.3.5): what, when, which browser, roughly where, what
/// to do. The first sign-in of an account and a known browser are not.
async fn a_sign_in_from_a_new_browser_is_told_by_mail(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    let as_browser = |ua: &str| {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(ua)
            .build()
            .unwrap()
    };
    let laptop =
        as_browser("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    for _ in 0..2 {
        let r = sign_in(&laptop, &s.running.url, "acme", "alice", PASSWORD).await;
        assert_eq!(location(&r), "/t/acme/account");
        let (_, account) = get_text(&laptop, &s.url("/t/acme/account")).await;
        let r = laptop
            .post(s.url("/t/acme/signout"))
            .form(&[("csrf", csrf_of(&account))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
    }
    let phone = as_browser(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    );
    s.clock.advance(3600);
    let r = sign_in(&phone, &s.running.url, "acme", "alice", PASSWORD).await;
    assert_eq!(location(&r), "/t/acme/account");
    let notice = sink.wait_for_text(0, "Chrome on Android").await;
    assert_eq!(
        sink.messages().len(),
        1,
        "neither the first sign-in nor the known browser's second is told"
    );
    assert_eq!(notice.to, ["Alice@Example.com"]);
    let text = notice.text();
    assert!(
        latchkey_mail::eml::decode_words(
            &latchkey_mail::eml::header(&notice.data, "Subject").unwrap()
        )
        .contains("New sign-in to your Acme Corp account")
    );
    assert!(
        text.contains("a browser that had not signed in to it before"),
        "{text}"
    );
    assert!(
        text.contains("127.0.0.x") && !text.contains("127.0.0.1"),
        "{text}"
    );
    assert!(text.contains(" UTC"), "when: {text}");
    assert!(
        text.contains("sign out everywhere else"),
        "what to do: {text}"
    );
    // another new browser is told too
    sign_in(
        &as_browser("curl/8"),
        &s.running.url,
        "acme",
        "alice",
        PASSWORD,
    )
    .await;
    let second = sink.wait_for_text(1, "with curl,").await;
    assert!(
        second.text().contains("had not signed in to it before"),
        "{}",
        second.text()
    );
    assert_eq!(sink.messages().len(), 2);
}
