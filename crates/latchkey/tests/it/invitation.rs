//! A tenant's first administrator, invited by the operator: the CLI (or
//! the operator API) queues the mail, the real SMTP conversation carries
//! it, the link opens a page that makes the account and lands on the
//! console; a used, expired or replaced link is refused calmly.
//!
//! A person added by an administrator on the People page (decision 0029):
//! their account is made at once, the link mailed lets them choose its
//! password; "Send again" replaces the link (not twice a minute),
//! "Withdraw" ends it.

use latchkey_core::accounts::invitation;
use latchkey_core::accounts::user::{LoginKey, Role};
use latchkey_core::effects::audit::AuditFilter;
use latchkey_core::platform::clock::{Clock, SystemClock};
use latchkey_core::platform::random::OsRandom;
use latchkey_core::store::{AuditStore, UserStore};
use latchkey_core::tenants::operator;
use latchkey_store::Backend;

use crate::api::call;
use crate::helpers::*;
use crate::operator::{cli, start_with_smtp};
use crate::smtp::SmtpSink;

on_both_backends!(
    an_invited_administrator_accepts_by_mail_and_lands_on_the_console,
    invitations_expire_are_replaced_and_refuse_bad_input,
    an_added_person_chooses_a_password_by_mail,
);

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Posts the invitation page's form as a person fills it in.
async fn accept(
    b: &reqwest::Client,
    link: &str,
    page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = link.split("token=").nth(1).unwrap();
    let action = link.split('?').next().unwrap();
    let csrf = csrf_of(page);
    let mut form = vec![("csrf", csrf.as_str()), ("token", token)];
    form.extend_from_slice(fields);
    b.post(action).form(&form).send().await.unwrap()
}

async fn an_invited_administrator_accepts_by_mail_and_lands_on_the_console(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, &sink).await;
    // the CLI runs on the wall clock: the server's clock starts there too
    s.clock.set(SystemClock.now());

    let o = cli(
        &s,
        &[
            "tenant",
            "invite-admin",
            "acme",
            "--email",
            "Boss@Example.com",
        ],
        "",
    )
    .await;
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&o.stdout);
    assert!(printed.contains("queued for mail"), "{printed}");
    assert!(!printed.contains("token="), "no link without --print-link");
    // the mail is due from when the CLI wrote it
    s.clock.set(SystemClock.now());

    let mail = sink.wait_for(1).await.remove(0);
    assert_eq!(mail.to, ["Boss@Example.com"]);
    let subject = latchkey_mail::eml::decode_words(
        &latchkey_mail::eml::header(&mail.data, "Subject").unwrap(),
    );
    assert_eq!(subject, "You are invited to administer Acme Corp");
    assert!(mail.text().contains("7 days"), "{}", mail.text());
    let link = mail.link("/t/acme/invitation?token=");

    let b = browser();
    let (status, page) = get_text(&b, &link).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Become the administrator"), "{page}");
    assert!(page.contains("Boss@Example.com"));

    // every new account's rules: a short password is refused, what was
    // typed stays, the link still works
    let r = accept(
        &b,
        &link,
        &page,
        &[
            ("username", "boss"),
            ("display_name", "Bo Boss"),
            ("password", "short"),
            ("repeat", "short"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("at least 12"), "{page}");
    assert!(page.contains("value=\"boss\""), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));

    let r = accept(
        &b,
        &link,
        &page,
        &[
            ("username", "boss"),
            ("password", PASSWORD),
            ("repeat", "something else entirely"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();

    // a username someone has is said beside the field
    let r = accept(
        &b,
        &link,
        &page,
        &[
            ("username", "ALICE"),
            ("password", PASSWORD),
            ("repeat", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("already taken"), "{page}");

    let r = accept(
        &b,
        &link,
        &page,
        &[
            ("username", "boss"),
            ("display_name", "Bo Boss"),
            ("password", PASSWORD),
            ("repeat", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/admin");
    let (status, console) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 200, "{console}");
    assert!(console.contains("<h1>Administration</h1>"), "{console}");

    let boss = s
        .tdb
        .db
        .user_by_login(&s.tenant.id, &LoginKey::Email("boss@example.com".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(boss.role, Role::Admin);
    assert!(boss.email_verified, "the click proved the mailbox");
    // no verification mail: nothing but the invitation went out
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 1);

    // used: the same calm page for opening and for posting again
    let (status, page) = get_text(&browser(), &link).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("cannot be used"), "{page}");
    assert!(page.contains("for a new invitation"));
    let r = accept(
        &b,
        &link,
        &console,
        &[
            ("username", "boss2"),
            ("password", PASSWORD),
            ("repeat", PASSWORD),
        ],
    )
    .await;
    assert!(matches!(r.status().as_u16(), 410 | 403), "{}", r.status());
    // and in German, no English left
    let r = browser()
        .get(&link)
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    assert!(page.contains("Betreiber"), "{page}");
    assert_no_english(&page, "de");

    let events = s
        .tdb
        .db
        .query_audit(&s.tenant.id, &AuditFilter::default(), 50)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert!(kinds.contains(&"tenant.admin.invited"), "{kinds:?}");
    assert!(kinds.contains(&"tenant.admin.invitation_accepted"));
    let invited = events
        .iter()
        .find(|e| e.event == "tenant.admin.invited")
        .unwrap();
    assert_eq!(invited.actor.to_string(), "operator:cli");
    assert!(!invited.detail.contains("token"));
}

async fn invitations_expire_are_replaced_and_refuse_bad_input(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (_, secret) = operator::create_token(&s.tdb.db, &OsRandom, "test", s.clock.now())
        .await
        .unwrap();
    let token = Some(secret.expose());
    use reqwest::Method;
    let path = "/api/operator/tenants/acme/invitations";

    let (status, body) = call(
        &s,
        Method::POST,
        path,
        token,
        Some(serde_json::json!({ "email": "not an address" })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "email", "{body}");
    let (status, _) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/No_Such/invitations",
        token,
        Some(serde_json::json!({ "email": "x@example.com" })),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = call(
        &s,
        Method::POST,
        path,
        token,
        Some(serde_json::json!({ "email": "alice@example.com" })),
    )
    .await;
    assert_eq!(status, 409, "an address of a user already: {body}");
    let (status, _) = call(
        &s,
        Method::POST,
        path,
        None,
        Some(serde_json::json!({ "email": "x@example.com" })),
    )
    .await;
    assert_eq!(status, 401);

    let invite = |email: &'static str| {
        let s = &s;
        async move {
            let (status, body) = call(
                s,
                Method::POST,
                path,
                token,
                Some(serde_json::json!({ "email": email, "return_link": true })),
            )
            .await;
            assert_eq!(status, 201, "{body}");
            assert_eq!(body["mail"], "queued");
            body["link"].as_str().unwrap().to_owned()
        }
    };
    // the address taken by someone else meanwhile: said beside the field,
    // in the page's language, and the invitation stays unused
    let raced = invite("raced@example.com").await;
    add_user(&s.tdb, &s.clock, &s.tenant, "racer", "raced@example.com").await;
    let b = browser();
    let (status, page) = get_text(&b, &raced).await;
    assert_eq!(status, 200);
    let r = b
        .post(s.url("/t/acme/invitation"))
        .header("accept-language", "fr")
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("token", raced.split("token=").nth(1).unwrap()),
            ("username", "late"),
            ("password", PASSWORD),
            ("repeat", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("déjà utilisée"), "{page}");
    assert_no_english(&page, "fr");
    assert_eq!(get_text(&browser(), &raced).await.0, 200, "still usable");

    // a newer invitation to the same address replaces the older one
    let first = invite("new@example.com").await;
    let second = invite("new@example.com").await;
    assert_eq!(get_text(&browser(), &first).await.0, 410);
    assert_eq!(get_text(&browser(), &second).await.0, 200);
    let (status, listed) = call(&s, Method::GET, path, token, None).await;
    assert_eq!(status, 200);
    let mut emails: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap())
        .collect();
    emails.sort_unstable();
    assert_eq!(emails, ["new@example.com", "raced@example.com"], "{listed}");
    assert!(listed[0].get("token_hash").is_none());

    // seven days, not a second more
    s.clock.advance(invitation::LIFETIME_SECS - 1);
    assert_eq!(get_text(&browser(), &second).await.0, 200);
    s.clock.advance(1);
    let (status, page) = get_text(&browser(), &second).await;
    assert_eq!(status, 410);
    assert!(page.contains("invitations work for 7 days"), "{page}");
    // an unknown or mangled token: the same page
    let garbage = s.url("/t/acme/invitation?token=%3Cscript%3E");
    let (status, unknown) = get_text(&browser(), &garbage).await;
    assert_eq!(status, 410);
    assert!(!unknown.contains("<script>"));

    // the CLI: bad slug and bad address say what to do; --print-link prints
    let o = cli(
        &s,
        &["tenant", "invite-admin", "nobody", "--email", "a@b.example"],
        "",
    )
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("latchkey tenant list"),
        "{}",
        text(&o.stderr)
    );
    let o = cli(
        &s,
        &["tenant", "invite-admin", "acme", "--email", "a@b"],
        "",
    )
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("email"), "{}", text(&o.stderr));
    let o = cli(
        &s,
        &[
            "tenant",
            "invite-admin",
            "acme",
            "--email",
            "ops@example.com",
            "--print-link",
        ],
        "",
    )
    .await;
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("/t/acme/invitation?token="),
        "{}",
        text(&o.stdout)
    );
}

/// Posts the form of the page `page` (its CSRF token) to `path`.
async fn post_form(
    s: &TestServer,
    b: &reqwest::Client,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    b.post(s.url(path)).form(&form).send().await.unwrap()
}

async fn an_added_person_chooses_a_password_by_mail(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, &sink).await;
    s.clock.set(SystemClock.now());
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let admin = browser();
    let r = sign_in(&admin, &s.running.url, "acme", "root", PASSWORD).await;
    assert_eq!(r.status(), 303);

    let (status, people) = get_text(&admin, &s.url("/t/acme/admin/people")).await;
    assert_eq!(status, 200);
    assert!(people.contains("/t/acme/admin/people/new"), "{people}");
    let (status, form) = get_text(&admin, &s.url("/t/acme/admin/people/new")).await;
    assert_eq!(status, 200, "{form}");

    // bad input: beside its field, everything typed kept, nothing written
    let new = "/t/acme/admin/people/new";
    let r = post_form(
        &s,
        &admin,
        &form,
        new,
        &[
            ("username", "zoe"),
            ("display_name", "Zoe Zed"),
            ("email", "not an address"),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"email-error\""), "{page}");
    assert!(page.contains("aria-describedby=\"email-error\""), "{page}");
    assert!(page.contains("value=\"Zoe Zed\""), "{page}");
    assert!(page.contains("value=\"admin\" selected"), "{page}");
    // a taken username is said (an administrator sees every username)
    let r = post_form(
        &s,
        &admin,
        &page,
        new,
        &[
            ("username", "ALICE"),
            ("email", "zoe@example.com"),
            ("role", "member"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("already taken"), "{page}");
    assert!(page.contains("id=\"username-error\""), "{page}");
    assert!(sink.messages().is_empty());

    let r = post_form(
        &s,
        &admin,
        &page,
        new,
        &[
            ("username", "zoe"),
            ("display_name", "Zoe Zed"),
            ("email", "Zoe@Example.com"),
            ("role", "member"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let person_path = location(&r);
    assert!(person_path.ends_with("?done=invited"), "{person_path}");
    let zoe = s
        .tdb
        .db
        .user_by_login(&s.tenant.id, &LoginKey::Email("zoe@example.com".into()))
        .await
        .unwrap()
        .unwrap();
    assert!(zoe.password_hash.is_none());
    assert!(!zoe.email_verified);
    let (status, person) = get_text(&admin, &s.url(&person_path)).await;
    assert_eq!(status, 200, "{person}");
    assert!(person.contains("Invitation waiting"), "{person}");
    assert!(person.contains("Send again"));

    let mail = sink.wait_for(1).await.remove(0);
    assert_eq!(mail.to, ["Zoe@Example.com"]);
    let subject = latchkey_mail::eml::decode_words(
        &latchkey_mail::eml::header(&mail.data, "Subject").unwrap(),
    );
    assert_eq!(subject, "Your account at Acme Corp is waiting for you");
    assert!(mail.text().contains("Hello Zoe Zed"), "{}", mail.text());
    assert!(mail.text().contains("zoe"));
    let first = mail.link("/t/acme/invitation?token=");

    // "Send again": not twice within a minute; then a new link, the old dead
    let again = format!("/t/acme/admin/people/{}/invitation", zoe.id);
    let r = post_form(&s, &admin, &person, &again, &[("action", "again")]).await;
    assert_eq!(r.status(), 303);
    assert!(
        location(&r).ends_with("done=invitation-too-soon"),
        "{}",
        location(&r)
    );
    s.clock.advance(invitation::RESEND_GAP_SECS);
    let r = post_form(&s, &admin, &person, &again, &[("action", "again")]).await;
    assert!(
        location(&r).ends_with("done=invitation-sent"),
        "{}",
        location(&r)
    );
    let link = sink
        .wait_for(2)
        .await
        .remove(1)
        .link("/t/acme/invitation?token=");
    assert_ne!(link, first);
    assert_eq!(get_text(&browser(), &first).await.0, 410);

    // in Italian (and every language), no English left
    for lang in ["de", "fr", "it"] {
        let (status, page) = get_text(&browser_in(lang), &link).await;
        assert_eq!(status, 200);
        assert_no_english(&page, lang);
        let r = admin
            .get(s.url(new))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_no_english(&r.text().await.unwrap(), lang);
        let r = admin
            .get(s.url(&person_path))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_no_english(&r.text().await.unwrap(), lang);
    }
    // the page asks only for the password, checked like any new one
    let b = browser();
    let (status, page) = get_text(&b, &link).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Choose your password"), "{page}");
    assert!(!page.contains("name=\"username\""));
    let r = accept(
        &b,
        &link,
        &page,
        &[("password", "short"), ("repeat", "short")],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("at least 12"), "{page}");
    let r = accept(
        &b,
        &link,
        &page,
        &[("password", PASSWORD), ("repeat", PASSWORD)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
    let (status, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "signed in: {account}");
    let zoe = s
        .tdb
        .db
        .user_by_id(&s.tenant.id, &zoe.id)
        .await
        .unwrap()
        .unwrap();
    assert!(zoe.email_verified, "the click proved the mailbox");
    assert!(zoe.password_hash.is_some());
    let r = sign_in(&browser(), &s.running.url, "acme", "zoe", PASSWORD).await;
    assert_eq!(r.status(), 303);
    // used: the calm page; the person's page has no open invitation
    assert_eq!(get_text(&browser(), &link).await.0, 410);
    let (_, person) = get_text(&admin, &s.url(&format!("/t/acme/admin/people/{}", zoe.id))).await;
    assert!(!person.contains("Invitation waiting"));

    // "Withdraw": the link stops working, the account stays
    let (_, form) = get_text(&admin, &s.url(new)).await;
    let r = post_form(
        &s,
        &admin,
        &form,
        new,
        &[("username", "yan"), ("email", "yan@example.com")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let yan_path = location(&r);
    // (zoe's sign-in in a new browser was mailed to her meanwhile)
    let link = sink
        .wait_for_text(2, "Hello yan")
        .await
        .link("/t/acme/invitation?token=");
    let (_, person) = get_text(&admin, &s.url(&yan_path)).await;
    let withdraw = format!("{}/invitation", yan_path.split('?').next().unwrap());
    let r = post_form(&s, &admin, &person, &withdraw, &[("action", "withdraw")]).await;
    assert!(
        location(&r).ends_with("done=invitation-withdrawn"),
        "{}",
        location(&r)
    );
    let (status, page) = get_text(&browser(), &link).await;
    assert_eq!(status, 410);
    assert!(page.contains("cannot be used"), "{page}");
    let r = post_form(&s, &admin, &person, &withdraw, &[("action", "withdraw")]).await;
    assert!(
        location(&r).ends_with("done=invitation-gone"),
        "{}",
        location(&r)
    );

    // where the organisation requires a second factor, the new password
    // leads to its set-up first
    let (_, form) = get_text(&admin, &s.url(new)).await;
    let r = post_form(
        &s,
        &admin,
        &form,
        new,
        &[("username", "kim"), ("email", "kim@example.com")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let link = sink
        .wait_for_text(2, "Hello kim")
        .await
        .link("/t/acme/invitation?token=");
    set_tenant(
        &s,
        "acme",
        latchkey_core::tenants::SettingsInput {
            second_factor: Some("required".into()),
            ..Default::default()
        },
    )
    .await;
    let b = browser();
    let (_, page) = get_text(&b, &link).await;
    let r = accept(
        &b,
        &link,
        &page,
        &[("password", PASSWORD), ("repeat", PASSWORD)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = b.get(s.url(&location(&r))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account/totp");

    let events = s
        .tdb
        .db
        .query_audit(&s.tenant.id, &AuditFilter::default(), 100)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    for kind in [
        "user.invited",
        "user.invitation.accepted",
        "user.invitation.withdrawn",
    ] {
        assert!(kinds.contains(&kind), "{kind}: {kinds:?}");
    }
    assert!(events.iter().all(|e| !e.detail.contains("token")));
}
