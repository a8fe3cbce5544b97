//! Changing one's address from the account page, on the real server with
//! a real SMTP conversation: the link goes to the new address, the old one
//! is told when it is asked for and when it is done; bad input is said
//! beside the field; a taken address is not revealed when it is named.

use latchkey_core::store::AuditStore;
use latchkey_store::Backend;

use crate::helpers::*;
use crate::mail::{press_the_button, start_with_smtp};
use crate::smtp::SmtpSink;

on_both_backends!(
    a_new_address_counts_once_its_link_is_followed_and_the_old_one_is_told,
    bad_addresses_are_said_beside_the_field_and_a_stale_sign_in_is_confirmed_first,
    a_taken_address_is_named_like_any_other_and_refused_only_at_its_link,
    the_pages_speak_german_french_and_italian,
);

/// Names `email` as the new address from the account page's form.
async fn ask(s: &TestServer, b: &reqwest::Client, email: &str) -> reqwest::Response {
    let (status, page) = get_text(b, &s.url("/t/acme/account/email")).await;
    assert_eq!(status, 200, "{page}");
    b.post(s.url("/t/acme/account/email"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("email", email)])
        .send()
        .await
        .unwrap()
}

/// Opens the mailed link like a person (a page with a button) and presses it.
async fn follow(link: &str) -> (u16, String) {
    press_the_button(link, "Confirm your new email address").await
}

/// A server that mails over SMTP, and dana (dana@old.example) signed in.
async fn dana_signed_in(backend: Backend) -> (SmtpSink, TestServer, reqwest::Client) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "dana",
        "dana@old.example",
        true,
        None,
    )
    .await;
    let b = signed_in(&s, "dana").await;
    (sink, s, b)
}

async fn signed_in(s: &TestServer, name: &str) -> reqwest::Client {
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", name, PASSWORD).await;
    assert_eq!(r.status(), 303);
    b
}

async fn a_new_address_counts_once_its_link_is_followed_and_the_old_one_is_told(backend: Backend) {
    let (sink, s, b) = dana_signed_in(backend).await;

    let r = ask(&s, &b, "Dana@New.example").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account?email=sent");
    let (_, page) = get_text(&b, &s.url("/t/acme/account?email=sent")).await;
    assert!(page.contains("We sent a link to the new address"), "{page}");
    assert!(page.contains("Waiting for confirmation: a link was sent to Dana@New.example"));
    assert!(page.contains("dana@old.example"), "nothing changed yet");

    // the link to the new address, the notice to the old one
    let link_mail = sink.wait_for_text(0, "/t/acme/confirm-email?token=").await;
    assert_eq!(link_mail.to, ["Dana@New.example"]);
    let first = link_mail.link("/t/acme/confirm-email?token=");
    let asked = sink.wait_for_text(0, "a new email address was named").await;
    assert_eq!(asked.to, ["dana@old.example"]);
    assert!(
        asked.text().contains("Forgot password?"),
        "{}",
        asked.text()
    );

    // cancelled: the link is spent for nothing
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/email/cancel"))
        .form(&[("csrf", csrf_of(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/account?email=cancelled");
    let (_, page) = get_text(&b, &s.url("/t/acme/account?email=cancelled")).await;
    assert!(page.contains("The change of address is cancelled"));
    assert!(!page.contains("Waiting for confirmation"));
    let (status, _) = follow(&first).await;
    assert_eq!(status, 410, "a cancelled change's link");

    // asked again and followed: the address changes, verified
    assert_eq!(ask(&s, &b, "Dana@New.example").await.status(), 303);
    let mails = sink.wait_for(4).await;
    let second = mails[2..]
        .iter()
        .find(|m| m.to == ["Dana@New.example"])
        .expect("a second link")
        .link("/t/acme/confirm-email?token=");
    let (status, page) = follow(&second).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Your account&#39;s address is now Dana@New.example"),
        "{page}"
    );
    let done = sink.wait_for_text(4, "email address was changed").await;
    assert_eq!(done.to, ["dana@old.example"]);
    assert!(
        done.text().contains("contact your helpdesk"),
        "{}",
        done.text()
    );
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        page.contains("Dana@New.example <span class=\"ok\">(verified)</span>"),
        "{page}"
    );
    let (status, page) = follow(&second).await;
    assert_eq!(status, 410, "a link works once: {page}");
    // the new address signs in
    signed_in(&s, "dana@new.example").await;

    let kinds: Vec<String> = s
        .tdb
        .db
        .list_audit(&s.tenant.id, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    for kind in [
        "email.change.requested",
        "email.change.cancelled",
        "email.changed",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
}

async fn bad_addresses_are_said_beside_the_field_and_a_stale_sign_in_is_confirmed_first(
    backend: Backend,
) {
    let s = TestServer::start(backend).await;
    let b = signed_in(&s, "alice").await;
    for (typed, said) in [
        ("not-an-address", "must look like name@example.com"),
        ("alice@localhost", "has an invalid domain"),
        (
            s.alice.email.to_uppercase().as_str(),
            "is already your address",
        ),
    ] {
        let r = ask(&s, &b, typed).await;
        assert_eq!(r.status(), 400, "{typed}");
        let page = r.text().await.unwrap();
        assert!(page.contains(said), "{typed}: {page}");
        assert!(page.contains("aria-invalid=\"true\""), "{page}");
        assert!(page.contains(&format!("value=\"{typed}\"")), "kept: {page}");
    }
    // ten minutes on, the sign-in is confirmed first
    s.clock.advance(11 * 60);
    let r = b.get(s.url("/t/acme/account/email")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        "/t/acme/reauth?return_to=/t/acme/account/email"
    );
    // a mangled or unknown link: the one calm answer
    let (status, page) = follow(&s.url("/t/acme/confirm-email?token=nope")).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("This link cannot be used"), "{page}");
}

async fn a_taken_address_is_named_like_any_other_and_refused_only_at_its_link(backend: Backend) {
    let (sink, s, b) = dana_signed_in(backend).await;
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "erin",
        "erin@example.com",
        true,
        None,
    )
    .await;
    let taken = ask(&s, &b, "erin@example.com").await;
    let free = ask(&s, &b, "free@example.com").await;
    assert_eq!(taken.status(), free.status());
    assert_eq!(location(&taken), location(&free), "the same answer");
    let mails = sink.wait_for(4).await;
    let to_erin = |mails: &[crate::smtp::Received]| {
        mails
            .iter()
            .rev()
            .find(|m| m.to == ["erin@example.com"])
            .expect("a link to erin's address")
            .link("/t/acme/confirm-email?token=")
    };
    let link = to_erin(&mails);
    // the newer request replaced the first; ask for the taken one again
    let (status, _) = follow(&link).await;
    assert_eq!(status, 410, "replaced by the newer change");
    assert_eq!(ask(&s, &b, "erin@example.com").await.status(), 303);
    let link = to_erin(&sink.wait_for(6).await);
    let (status, page) = follow(&link).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("This address is already in use"), "{page}");
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(page.contains("dana@old.example"), "unchanged");
}

/// The form, its error, the account page with an open change and the
/// page the link opens: in German, French and Italian, no English left.
async fn the_pages_speak_german_french_and_italian(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, sink.addr.port()).await;
    for (i, lang) in ["de", "fr", "it"].into_iter().enumerate() {
        let name = format!("person-{lang}");
        add_user_with(
            &s.tdb,
            &s.clock,
            &s.tenant,
            &name,
            &format!("{name}@eins.example"),
            true,
            Some(lang),
        )
        .await;
        let b = browser_in(lang);
        let r = sign_in(&b, &s.running.url, "acme", &name, PASSWORD).await;
        assert_eq!(r.status(), 303);
        let (_, form) = get_text(&b, &s.url("/t/acme/account/email")).await;
        assert_no_english(&form, lang);
        let wrong = ask(&s, &b, "someone@localhost").await;
        assert_eq!(wrong.status(), 400);
        assert_no_english(&wrong.text().await.unwrap(), lang);
        assert_eq!(
            ask(&s, &b, &format!("{name}@zwei.example")).await.status(),
            303
        );
        let (_, account) = get_text(&b, &s.url("/t/acme/account?email=sent")).await;
        assert!(
            account.contains(&format!("{name}@zwei.example")),
            "{account}"
        );
        assert_no_english(&account, lang);
        // the link and the notice of each person
        let mails = sink.wait_for(2 * (i + 1)).await;
        let link = mails
            .iter()
            .find(|m| m.to == [format!("{name}@zwei.example")])
            .expect("the link")
            .link("/t/acme/confirm-email?token=");
        let (_, confirm) = get_text(&browser_in(lang), &link).await;
        assert_no_english(&confirm, lang);
    }
}
