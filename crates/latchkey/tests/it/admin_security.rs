//! Two actions an administrator takes in an incident or for a person who
//! is stuck: signing everyone in the organisation out at once (ASVS 7.4.5)
//! and mailing a person the link to choose a new password (ASVS 6.4.6),
//! from the console and the command line. Decision 0030.

use latchkey_core::accounts::user::UserStatus;
use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::store::AuditStore;
use latchkey_store::Backend;

use crate::helpers::*;
use crate::smtp::SmtpSink;

on_both_backends!(
    an_administrator_signs_everyone_out_and_keeps_this_browser,
    an_administrator_sends_a_person_a_reset_link,
    the_new_pages_speak_german_french_and_italian,
);

async fn admin_browser(s: &TestServer) -> (reqwest::Client, latchkey_core::accounts::user::User) {
    let root = add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    assert_eq!(r.status(), 303);
    (b, root)
}

async fn signed_in(s: &TestServer, name: &str) -> reqwest::Client {
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", name, PASSWORD).await;
    assert_eq!(r.status(), 303);
    b
}

async fn an_administrator_signs_everyone_out_and_keeps_this_browser(backend: Backend) {
    use crate::oidc::{admin_app, app, refresh_status, register, tokens_via};
    let s = TestServer::start(backend).await;
    add_user(&s.tdb, &s.clock, &s.tenant, "bob", "bob@example.com").await;
    let (shop, secret) = register(&s, app("Shop", false, true)).await;
    let secret = secret.unwrap();
    let alices = signed_in(&s, "alice").await;
    let tokens = tokens_via(&s, &alices, &shop, &secret).await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let bobs = signed_in(&s, "bob").await;
    let (b, root) = admin_browser(&s).await;
    let roots_other = signed_in(&s, "root").await;

    // The list of people leads to a page that says what happens.
    let (_, people) = get_text(&b, &s.url("/t/acme/admin/people")).await;
    assert!(
        people.contains("<a class=\"button danger\" href=\"/t/acme/admin/people/sign-out\">Sign everyone out…</a>"),
        "{people}"
    );
    let confirm = s.url("/t/acme/admin/people/sign-out");
    let (status, page) = get_text(&b, &confirm).await;
    assert_eq!(status, 200, "{page}");
    for said in [
        "Everyone in Acme Corp will be signed out at once.",
        "disabled accounts included",
        "Every application stops accepting the tokens it holds",
        "You stay signed in on this browser only; your other browsers and applications are signed out too.",
        "to keep someone out, disable their account",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
    // Only with the form's token, and only an administrator.
    let forged = b
        .post(&confirm)
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let (status, _) = get_text(&alices, &confirm).await;
    assert_eq!(status, 403);
    let (_, account) = get_text(&alices, &s.url("/t/acme/account")).await;
    let r = alices
        .post(&confirm)
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (status, _) = get_text(&bobs, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "nothing happened yet");

    let r = b
        .post(&confirm)
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(session_cookie_set(&r).is_some(), "this browser's new id");
    assert_eq!(
        location(&r),
        "/t/acme/admin/people?done=signed-out&sessions=3"
    );
    let (status, page) = get_text(&b, &s.url(&location(&r))).await;
    assert_eq!(status, 200, "this browser stays signed in: {page}");
    assert!(
        page.contains("Everyone was signed out; 3 sessions ended. This browser stays signed in."),
        "{page}"
    );
    for (who, other) in [
        ("alice", &alices),
        ("bob", &bobs),
        ("root's other", &roots_other),
    ] {
        let (status, _) = get_text(other, &s.url("/t/acme/account")).await;
        assert_eq!(status, 303, "{who} is signed out");
    }
    assert_eq!(refresh_status(&s, &shop, &secret, &refresh).await.0, 400);
    let audit = s.tdb.db.list_audit(&s.tenant.id, 50).await.unwrap();
    let events: Vec<_> = audit
        .iter()
        .filter(|e| e.event == "tenant.signed_out")
        .collect();
    assert_eq!(events.len(), 1, "one event for everyone");
    assert_eq!(events[0].actor, Actor::Admin(root.id.clone()));
    assert_eq!(events[0].user_id, None);
    assert_eq!(events[0].detail, r#"{"people":3,"sessions":3}"#);
    // everyone can sign in again
    signed_in(&s, "alice").await;

    // An old sign-in confirms first, the page and the button alike.
    s.clock.advance(11 * 60);
    let (_, page) = get_text(&b, &s.url("/t/acme/admin/people")).await;
    let (status, _) = get_text(&b, &confirm).await;
    assert_eq!(status, 303);
    let r = b
        .post(&confirm)
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        "/t/acme/reauth?return_to=/t/acme/admin/people/sign-out"
    );
    let (status, _) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 200, "nothing happened");

    // The operator's command line keeps nobody.
    let o = crate::cli::latchkey(
        &s.tdb.url,
        &["tenant", "sign-out", "--tenant", "acme", "--json"],
        None,
    );
    assert!(o.status.success(), "{}", crate::cli::err(&o));
    let said: serde_json::Value = serde_json::from_str(&crate::cli::out(&o)).unwrap();
    assert_eq!(said["people"], 3);
    let (status, _) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 303, "the administrator too");
    let o = crate::cli::latchkey(
        &s.tdb.url,
        &["tenant", "sign-out", "--tenant", "nope"],
        None,
    );
    assert!(!o.status.success());

    // The JSON API: an administrator's recent token; it stops working too.
    use crate::api::{call, token_for};
    use reqwest::Method;
    let (id, secret) = register(&s, admin_app("Admin tool")).await;
    let tool = (id, secret.unwrap());
    let members = token_for(&s, "alice", &tool, "openid").await;
    let (status, _) = call(
        &s,
        Method::POST,
        "/api/t/acme/sign-out",
        Some(&members),
        None,
    )
    .await;
    assert_eq!(status, 403, "no administrator");
    let admins = token_for(&s, "root", &tool, "openid latchkey:admin").await;
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/t/acme/sign-out",
        Some(&admins),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["people"], 3);
    assert_eq!(body["sessions"], 2, "the two browsers that got the tokens");
    let (status, _) = call(&s, Method::GET, "/api/t/acme/users", Some(&admins), None).await;
    assert_eq!(status, 401);
    let audit = s.tdb.db.list_audit(&s.tenant.id, 100).await.unwrap();
    let mut actors = audit
        .iter()
        .filter(|e| e.event == "tenant.signed_out")
        .map(|e| e.actor.to_string())
        .collect::<Vec<_>>();
    // (the command line's clock is the real one: order by who, not when)
    actors.sort();
    let admin = format!("admin:{}", root.id);
    assert_eq!(actors, [admin.clone(), admin, "operator:cli".to_owned()]);
}

async fn mail_world(backend: Backend) -> (TestServer, SmtpSink) {
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
    (s, sink)
}

async fn an_administrator_sends_a_person_a_reset_link(backend: Backend) {
    let (s, sink) = mail_world(backend).await;
    let alices = signed_in(&s, "alice").await;
    let (b, root) = admin_browser(&s).await;
    let person = s.url(&format!("/t/acme/admin/people/{}", s.alice.id));
    let (_, page) = get_text(&b, &person).await;
    assert!(
        page.contains("Mails Alice@Example.com the same single-use link as ")
            && page.contains(&format!(
                "action=\"/t/acme/admin/people/{}/reset-link\"",
                s.alice.id
            )),
        "{page}"
    );
    let post = |form: Vec<(&'static str, String)>| {
        let (b, url) = (b.clone(), format!("{person}/reset-link"));
        async move { b.post(url).form(&form).send().await.unwrap() }
    };
    let forged = post(vec![("csrf", "forged".into())]).await;
    assert_eq!(forged.status(), 403);

    // A confirmation that says to whom, and what it does not change.
    let r = post(vec![("csrf", csrf_of(&page))]).await;
    assert_eq!(r.status(), 200);
    let confirm = r.text().await.unwrap();
    for said in [
        "Send alice (alice) a password reset link?",
        "The link goes to Alice@Example.com",
        "It works once, for 30 minutes",
        "Only the person chooses the new password",
        "the person stays signed in",
        "Their second factors stay",
    ] {
        assert!(confirm.contains(said), "{said}: {confirm}");
    }
    let seen = sink.messages().len();
    let r = post(vec![("csrf", csrf_of(&confirm)), ("confirm", "yes".into())]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/t/acme/admin/people/{}?done=reset-link-sent", s.alice.id)
    );
    let (_, page) = get_text(&b, &s.url(&location(&r))).await;
    assert!(
        page.contains("The password reset link is on its way by mail."),
        "{page}"
    );
    let mail = sink.wait_for_text(seen, "/reset-password?token=").await;
    assert_eq!(mail.to, vec!["Alice@Example.com".to_owned()]);
    let link = mail.link("/reset-password?token=");
    // sending ends nothing
    let (status, _) = get_text(&alices, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "she is still signed in");
    let audit = s.tdb.db.list_audit(&s.tenant.id, 50).await.unwrap();
    let sent = audit
        .iter()
        .find(|e| e.event == "password.reset.sent")
        .unwrap();
    assert_eq!(sent.actor, Actor::Admin(root.id.clone()));
    assert_eq!(sent.user_id.as_ref(), Some(&s.alice.id));
    assert!(!sent.detail.contains("token"), "{}", sent.detail);

    // One a minute per person.
    let (_, page) = get_text(&b, &person).await;
    let r = post(vec![("csrf", csrf_of(&page)), ("confirm", "yes".into())]).await;
    assert_eq!(r.status(), 422);
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains("was sent a reset link less than a minute ago; wait a minute"),
        "{refused}"
    );
    assert_eq!(
        audit.len(),
        s.tdb.db.list_audit(&s.tenant.id, 50).await.unwrap().len(),
        "refused, not audited"
    );

    // The link is the forgot-password link: she sets a password, which
    // signs her out everywhere, and signs in with it.
    let reader = browser();
    let (_, form) = get_text(&reader, &link).await;
    let r = reader
        .post(s.url("/t/acme/reset-password"))
        .form(&[
            ("csrf", csrf_of(&form)),
            ("token", link.split("token=").nth(1).unwrap().to_owned()),
            ("password", "a brand new passphrase".to_owned()),
            ("repeat", "a brand new passphrase".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (status, _) = get_text(&alices, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303);
    let r = sign_in(
        &browser(),
        &s.running.url,
        "acme",
        "alice",
        "a brand new passphrase",
    )
    .await;
    assert_eq!(location(&r), "/t/acme/account");

    // Nobody without a verified address, nobody disabled: said in words.
    let bob = add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "bob",
        "bob@example.com",
        false,
        None,
    )
    .await;
    let carol = add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    latchkey_core::accounts::user::set_status(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &s.tenant,
        &carol,
        UserStatus::Disabled,
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    for (who, card, refusal) in [
        (
            &bob,
            "The email address is not verified, and a reset link goes only to an address the person confirmed.",
            "Person: has no verified email address",
        ),
        (
            &carol,
            "The account is disabled: enable it before sending a password reset link.",
            "Person: is disabled: enable the account before sending a password reset link",
        ),
    ] {
        let page_of = s.url(&format!("/t/acme/admin/people/{}", who.id));
        let (_, page) = get_text(&b, &page_of).await;
        assert!(page.contains(card), "{page}");
        assert!(!page.contains("/reset-link\""), "no form: {page}");
        for confirm in ["", "yes"] {
            let r = b
                .post(format!("{page_of}/reset-link"))
                .form(&[("csrf", csrf_of(&page).as_str()), ("confirm", confirm)])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422);
            let text = r.text().await.unwrap();
            assert!(text.contains(refusal), "{text}");
        }
    }

    // The command line sends the same link.
    add_user(&s.tdb, &s.clock, &s.tenant, "dave", "dave@example.com").await;
    let seen = sink.messages().len();
    let o = crate::cli::latchkey(
        &s.tdb.url,
        &["user", "send-reset", "--tenant", "acme", "dave"],
        None,
    );
    assert!(o.status.success(), "{}", crate::cli::err(&o));
    assert!(crate::cli::out(&o).contains("password reset link for dave queued"));
    let mail = sink.wait_for_text(seen, "/reset-password?token=").await;
    assert_eq!(mail.to, vec!["dave@example.com".to_owned()]);
    let o = crate::cli::latchkey(
        &s.tdb.url,
        &["user", "send-reset", "--tenant", "acme", "bob"],
        None,
    );
    assert!(!o.status.success());
    assert!(
        crate::cli::err(&o).contains("has no verified email address"),
        "{}",
        crate::cli::err(&o)
    );
}

/// The cards, both confirmations and a refusal, with no English left.
async fn the_new_pages_speak_german_french_and_italian(backend: Backend) {
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let bob = add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "bob",
        "bob@example.com",
        false,
        None,
    )
    .await;
    for (lang, everyone) in [
        ("de", "Alle abmelden"),
        ("fr", "Déconnecter tout le monde"),
        ("it", "Disconnetti tutti"),
    ] {
        let b = browser_in(lang);
        let r = sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
        assert_eq!(r.status(), 303);
        let (_, people) = get_text(&b, &s.url("/t/acme/admin/people")).await;
        assert!(people.contains(everyone), "{lang}: {people}");
        assert_no_english(&people, lang);
        let (status, confirm) = get_text(&b, &s.url("/t/acme/admin/people/sign-out")).await;
        assert_eq!(status, 200);
        assert_no_english(&confirm, lang);
        let person = s.url(&format!("/t/acme/admin/people/{}", s.alice.id));
        let (_, page) = get_text(&b, &person).await;
        assert_no_english(&page, lang);
        let r = b
            .post(format!("{person}/reset-link"))
            .form(&[("csrf", csrf_of(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_no_english(&r.text().await.unwrap(), lang);
        let theirs = s.url(&format!("/t/acme/admin/people/{}", bob.id));
        let (_, page) = get_text(&b, &theirs).await;
        assert_no_english(&page, lang);
        let r = b
            .post(format!("{theirs}/reset-link"))
            .form(&[("csrf", csrf_of(&page).as_str()), ("confirm", "yes")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert_no_english(&r.text().await.unwrap(), lang);
    }
}
