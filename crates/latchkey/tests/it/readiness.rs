//! Readiness in the console and the API (decision 0024): the share of
//! people who are ready, the unready list with what each lacks, and
//! reminders by mail — confirmed first, in each person's language, through
//! the real SMTP path, at most once a week per person, audited; refused
//! with the error beside the boxes for bad input, and 403 without the
//! form's token.

use latchkey_core::accounts::user::LoginKey;
use latchkey_core::platform::clock::Clock;
use latchkey_core::store::{AuditStore, OutboxStore, PeopleFilter, UserStore};
use latchkey_store::Backend;
use reqwest::Method;

use crate::helpers::*;
use crate::operator::start_with_smtp;
use crate::smtp::{Received, SmtpSink};

on_both_backends!(
    the_console_shows_the_share_and_reminds_the_unready_once_a_week,
    bad_reminders_are_refused_and_nothing_is_sent,
    the_api_gives_the_figures_and_reminds,
);

/// The mails to `to` among `mails`.
fn to<'a>(mails: &'a [Received], address: &str) -> Vec<&'a Received> {
    mails
        .iter()
        .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
        .collect()
}

/// The reminders among the mails so far.
fn reminders(sink: &SmtpSink) -> Vec<Received> {
    sink.messages()
        .into_iter()
        .filter(|m| m.text().contains("/t/acme/account"))
        .collect()
}

/// Waits until `n` reminders have arrived.
async fn wait_for_reminders(sink: &SmtpSink, n: usize) -> Vec<Received> {
    for _ in 0..200 {
        let got = reminders(sink);
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("expected {n} reminders, got {}", reminders(sink).len());
}

/// alice is ready (an app and codes); root (the administrator, no factor)
/// and bea (no factor) are not, nor dieter (German, address not verified).
async fn people(s: &TestServer) -> reqwest::Client {
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    crate::totp::enrolled(s).await;
    add_user(&s.tdb, &s.clock, &s.tenant, "bea", "bea@example.com").await;
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
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    assert_eq!(r.status(), 303);
    b
}

async fn post(b: &reqwest::Client, s: &TestServer, form: &[(&str, &str)]) -> reqwest::Response {
    b.post(s.url("/t/acme/admin/reminders"))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Reminds the person `id` at once (the confirmation's form, with the
/// token of `page`); where it led back to.
async fn confirmed(b: &reqwest::Client, s: &TestServer, page: &str, id: &str) -> String {
    let form = [
        ("csrf", csrf_of(page)),
        ("person", id.to_owned()),
        ("confirm", "yes".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(b, s, &form).await;
    assert_eq!(r.status(), 303);
    location(&r)
}

async fn reminded_events(s: &TestServer) -> usize {
    s.tdb
        .db
        .list_audit(&s.tenant.id, 500)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.event == "user.readiness.reminded")
        .count()
}

async fn the_console_shows_the_share_and_reminds_the_unready_once_a_week(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, &sink).await;
    let b = people(&s).await;

    // the share on the console's home, and the way to the unready
    let (status, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("1 of 4 people are ready — 25 %"), "{page}");
    assert!(
        page.contains("See the 3 people who are not ready"),
        "{page}"
    );
    assert!(page.contains("href=\"/t/acme/admin/people?ready=no\""));

    // the unready list: each says what is missing; the ready are not in it
    let (status, page) = get_text(&b, &s.url("/t/acme/admin/people?ready=no")).await;
    assert_eq!(status, 200, "{page}");
    assert!(!page.contains(">alice<"), "{page}");
    for name in ["bea", "dieter", "root"] {
        assert!(page.contains(&format!(">{name}<")), "{name}: {page}");
    }
    assert!(
        page.contains("missing: a verified address, recovery codes or a spare factor"),
        "{page}"
    );
    assert!(page.contains("missing: recovery codes or a spare factor"));
    assert!(page.contains("name=\"person\""), "boxes to choose: {page}");
    let csrf = csrf_of(&page);

    // everyone in the list: a confirmation first, naming how many
    let outbox_before = s.tdb.db.outbox_counts().await.unwrap();
    let r = post(&b, &s, &[("csrf", &csrf), ("all", "yes"), ("q", "")]).await;
    assert_eq!(r.status(), 200);
    let confirm = r.text().await.unwrap();
    assert!(confirm.contains("Remind 3 people by mail?"), "{confirm}");
    assert!(confirm.contains("Send 3 reminders"), "{confirm}");
    assert_eq!(
        s.tdb.db.outbox_counts().await.unwrap(),
        outbox_before,
        "nothing is sent before the confirmation"
    );
    assert_eq!(reminded_events(&s).await, 0);

    let r = post(
        &b,
        &s,
        &[
            ("csrf", &csrf_of(&confirm)),
            ("all", "yes"),
            ("q", ""),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let back = location(&r);
    assert!(back.starts_with("/t/acme/admin/people?ready=no"), "{back}");
    let (_, page) = get_text(&b, &s.url(&back)).await;
    assert!(page.contains("3 reminders sent."), "{page}");
    assert!(page.contains("reminded "), "when, in each row: {page}");

    // the mails arrive through SMTP, each in the person's language, naming
    // what they lack and leading to their account page
    let mails = wait_for_reminders(&sink, 3).await;
    let dieter = to(&mails, "dieter@example.de");
    assert_eq!(dieter.len(), 1);
    let text = dieter[0].text();
    assert!(text.starts_with("Hallo dieter,"), "{text}");
    assert!(text.contains("eine bestätigte E-Mail-Adresse"), "{text}");
    assert!(text.contains("Wiederherstellungscodes"), "{text}");
    assert!(
        dieter[0]
            .link("/t/acme/account")
            .starts_with(&s.running.url),
        "{text}"
    );
    let bea = to(&mails, "bea@example.com");
    let text = bea[0].text();
    assert!(text.starts_with("Hello bea,"), "{text}");
    assert!(!text.contains("confirmed email address"), "{text}");
    assert!(text.contains("recovery codes"), "{text}");
    assert!(to(&mails, "alice@example.com").is_empty(), "alice is ready");
    assert_eq!(reminded_events(&s).await, 3);

    // the next day: bea chosen again is skipped, and told so
    s.clock.advance(86_400);
    sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    let bea_id = s
        .tdb
        .db
        .user_by_login(&s.tenant.id, &LoginKey::from_input("bea").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let (status, page) = get_text(&b, &s.url("/t/acme/admin/people?ready=no&q=bea")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(">bea<"), "{page}");
    let r = post(
        &b,
        &s,
        &[
            ("csrf", &csrf_of(&page)),
            ("q", "bea"),
            ("person", bea_id.as_str()),
        ],
    )
    .await;
    let confirm = r.text().await.unwrap();
    assert!(confirm.contains("Nobody to remind now"), "{confirm}");
    assert!(
        confirm.contains("One person was skipped: reminded in the last seven days."),
        "{confirm}"
    );
    assert!(!confirm.contains("name=\"confirm\""), "nothing to confirm");
    // sent anyway (an old confirmation): still skipped, and counted
    let back = confirmed(&b, &s, &page, bea_id.as_str()).await;
    assert!(
        back.contains("sent=0") && back.contains("recent=1"),
        "{back}"
    );
    let (_, page) = get_text(&b, &s.url(&back)).await;
    assert!(
        page.contains("0 reminders sent. One person was skipped"),
        "{page}"
    );

    // a week after the first: reminded again
    s.clock.advance(6 * 86_400);
    sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    let (_, page) = get_text(&b, &s.url("/t/acme/admin/people?ready=no")).await;
    let back = confirmed(&b, &s, &page, bea_id.as_str()).await;
    assert!(back.contains("sent=1"), "{back}");
    let mails = wait_for_reminders(&sink, 4).await;
    assert_eq!(
        to(&mails, "bea@example.com").len(),
        2,
        "{:?}",
        mails
            .iter()
            .map(|m| (m.to.clone(), m.text()))
            .collect::<Vec<_>>()
    );
    assert_eq!(reminded_events(&s).await, 4);

    // the person's page shows the reminder among their events
    let (_, page) = get_text(&b, &s.url(&format!("/t/acme/admin/people/{bea_id}"))).await;
    assert!(page.contains("user.readiness.reminded"), "{page}");

    // the pages in German, French and Italian: no English left
    let de = browser_in("de");
    sign_in(&de, &s.running.url, "acme", "root", PASSWORD).await;
    let (_, page) = get_text(&de, &s.url("/t/acme/admin")).await;
    assert!(
        page.contains("1 von 4 Personen sind bereit — 25 %"),
        "{page}"
    );
    for lang in ["de", "fr", "it"] {
        let b = browser_in(lang);
        sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
        let (_, page) = get_text(&b, &s.url("/t/acme/admin/people?ready=no")).await;
        assert_no_english(&page, lang);
        let r = post(&b, &s, &[("csrf", &csrf_of(&page)), ("all", "yes")]).await;
        assert_eq!(r.status(), 200);
        assert_no_english(&r.text().await.unwrap(), lang);
    }
}

async fn bad_reminders_are_refused_and_nothing_is_sent(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = people(&s).await;
    let (_, page) = get_text(&b, &s.url("/t/acme/admin/people?ready=no")).await;
    let csrf = csrf_of(&page);
    let ids: Vec<String> = page
        .split("name=\"person\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3, "{page}");

    // nobody chosen
    let r = post(&b, &s, &[("csrf", &csrf), ("q", "")]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("People: choose the people to remind, or remind everyone in the list"),
        "{page}"
    );
    assert!(page.contains("aria-invalid=\"true\""), "{page}");

    // an id that is not a person of the organisation: the list again, the
    // error beside the boxes, the choice kept
    let r = post(
        &b,
        &s,
        &[
            ("csrf", &csrf),
            ("person", &ids[0]),
            ("person", "no-such-person"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("one of the people chosen is not in this organisation"),
        "{page}"
    );
    let error_id = page
        .split("<p class=\"error\" id=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        page.contains(&format!("value=\"{}\" id=\"person-{}\"", ids[0], ids[0])),
        "{page}"
    );
    let chosen_box = page
        .split(&format!("id=\"person-{}\"", ids[0]))
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(chosen_box.contains(" checked"), "kept: {chosen_box}");
    assert!(
        chosen_box.contains(&format!("aria-describedby=\"{error_id}\"")),
        "{chosen_box}"
    );
    // malformed ids, and too many
    let r = post(&b, &s, &[("csrf", &csrf), ("person", "<script>")]).await;
    assert_eq!(r.status(), 422);
    let many: Vec<(&str, String)> = (0..101).map(|i| ("person", format!("id{i}"))).collect();
    let mut form: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    form.push(("csrf", &csrf));
    let r = post(&b, &s, &form).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("at most 100 people"));
    // a search that is no search
    let r = post(&b, &s, &[("csrf", &csrf), ("all", "yes"), ("q", "a\u{0}")]).await;
    assert_eq!(r.status(), 422);
    // the list's filter with another value
    let (status, page) = get_text(&b, &s.url("/t/acme/admin/people?ready=yes")).await;
    assert_eq!(status, 422);
    assert!(page.contains("Readiness: can only show the people who are not ready"));

    // without the form's token, or with another's: 403, nothing sent
    let r = post(
        &b,
        &s,
        &[("all", "yes"), ("confirm", "yes"), ("csrf", "forged")],
    )
    .await;
    assert_eq!(r.status(), 403);
    let other = browser();
    sign_in(&other, &s.running.url, "acme", "root", PASSWORD).await;
    let r = other
        .post(s.url("/t/acme/admin/reminders"))
        .form(&[("all", "yes"), ("confirm", "yes"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // a member may not
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "bea", PASSWORD).await;
    let (_, account) = get_text(&member, &s.url("/t/acme/account")).await;
    let r = member
        .post(s.url("/t/acme/admin/reminders"))
        .form(&[
            ("all", "yes"),
            ("confirm", "yes"),
            ("csrf", csrf_of(&account).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    assert_eq!(reminded_events(&s).await, 0);
    let reminded = s
        .tdb
        .db
        .list_people(&s.tenant.id, &PeopleFilter::first(10))
        .await
        .unwrap();
    assert!(reminded.iter().all(|p| p.nudged_at.is_none()));
}

async fn the_api_gives_the_figures_and_reminds(backend: Backend) {
    let s = TestServer::start(backend).await;
    people(&s).await;
    let (id, secret) = crate::oidc::register(&s, crate::oidc::admin_app("Admin tool")).await;
    let tool = (id, secret.unwrap());
    let admin = crate::api::token_for(&s, "root", &tool, "openid latchkey:admin").await;
    let call =
        |method, path: &'static str, body| crate::api::call(&s, method, path, Some(&admin), body);

    let (status, body) = call(Method::GET, "/api/t/acme/readiness", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        serde_json::json!({
            "people": 4, "ready": 1, "not_ready": 3, "percent_ready": 25,
            "not_ready_reminded_recently": 0
        })
    );
    let (status, body) = call(Method::GET, "/api/t/acme/users?ready=no", None).await;
    assert_eq!(status, 200, "{body}");
    let users = body["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    let dieter = users.iter().find(|u| u["username"] == "dieter").unwrap();
    assert_eq!(
        dieter["readiness"]["missing"],
        serde_json::json!(["verified_address", "recovery_codes", "spare_factor"])
    );
    assert_eq!(dieter["reminded_at"], serde_json::Value::Null);
    let dieter_id = dieter["id"].as_str().unwrap().to_owned();
    let (status, _) = call(Method::GET, "/api/t/acme/users?ready=maybe", None).await;
    assert_eq!(status, 422);

    // chosen people; an unknown id refuses the whole call
    let (status, body) = call(
        Method::POST,
        "/api/t/acme/readiness/reminders",
        Some(serde_json::json!({ "people": [dieter_id, "no-such-person"] })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "people");
    let (status, body) = call(
        Method::POST,
        "/api/t/acme/readiness/reminders",
        Some(serde_json::json!({})),
    )
    .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("people"))
    );
    let (status, _) = call(
        Method::POST,
        "/api/t/acme/readiness/reminders",
        Some(serde_json::json!({ "everyone": true })),
    )
    .await;
    assert_eq!(status, 400, "unknown fields");
    assert_eq!(reminded_events(&s).await, 0);

    let (status, body) = call(
        Method::POST,
        "/api/t/acme/readiness/reminders",
        Some(serde_json::json!({ "people": [dieter_id] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        serde_json::json!({
            "sent": 1, "skipped_recently_reminded": 0, "skipped_not_needed": 0, "remaining": 0
        })
    );
    // then everyone: dieter was reminded today and is skipped
    let (status, body) = call(
        Method::POST,
        "/api/t/acme/readiness/reminders",
        Some(serde_json::json!({ "all": true })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        serde_json::json!({
            "sent": 2, "skipped_recently_reminded": 1, "skipped_not_needed": 0, "remaining": 0
        })
    );
    let (_, body) = call(Method::GET, "/api/t/acme/readiness", None).await;
    assert_eq!(body["not_ready_reminded_recently"], 3);
    assert_eq!(reminded_events(&s).await, 3);
    let now = s.clock.now().0;
    let (_, body) = call(Method::GET, "/api/t/acme/users?ready=no", None).await;
    assert!(
        body["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["reminded_at"] == now),
        "{body}"
    );

    // the batches an hour are limited, in the database
    let mut last = 0;
    for _ in 0..25 {
        let (status, _) = call(
            Method::POST,
            "/api/t/acme/readiness/reminders",
            Some(serde_json::json!({ "all": true })),
        )
        .await;
        last = status;
        if status == 429 {
            break;
        }
    }
    assert_eq!(last, 429);
}
