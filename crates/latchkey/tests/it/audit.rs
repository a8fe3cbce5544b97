//! The audit log (issue 13): the console's page, its exports and the API,
//! on the real server — filters, paging across pages without duplicates
//! or gaps while events are written, CSV and JSON lines read back, the
//! formula guard, refusals, wrong filters said beside their fields, and the
//! page in German, French and Italian.

use latchkey_core::effects::audit::{Actor, AuditEvent, AuditKind};
use latchkey_core::platform::clock::{Clock, UnixTime};
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::{AuditStore, ClientStore};
use latchkey_core::tenants::Tenant;
use latchkey_store::Backend;

use crate::api::{call, token_for};
use crate::helpers::*;
use crate::oidc::{admin_app, register};

on_both_backends!(
    administrators_filter_page_and_export_the_audit_log,
    the_audit_api_pages_filters_and_exports,
);

/// 2025-12-01 00:00 UTC.
const DEC_1: i64 = 1_764_547_200;
const DAY: i64 = 86_400;

fn event(
    tenant: &Tenant,
    user: Option<&latchkey_core::accounts::user::User>,
    kind: AuditKind,
    at: i64,
) -> AuditEvent {
    AuditEvent {
        id: new_id(&OsRandom),
        tenant_id: Some(tenant.id.clone()),
        user_id: user.map(|u| u.id.clone()),
        actor: user.map_or(Actor::System, |u| Actor::User(u.id.clone())),
        event: kind.as_str().into(),
        ip: Some("192.0.2.1".into()),
        user_agent: None,
        detail: "{}".into(),
        at: UnixTime(at),
    }
}

/// Alice signs in 60 times over six days of December 2025, Bob ten times on
/// the 3rd; root (an administrator) resets Alice's factors with a reason a
/// spreadsheet would run as a formula; another tenant has its own events.
async fn history(
    s: &TestServer,
) -> (
    latchkey_core::accounts::user::User,
    latchkey_core::accounts::user::User,
) {
    let db = &s.tdb.db;
    let root = add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let bob = add_user(&s.tdb, &s.clock, &s.tenant, "bob", "bob@example.com").await;
    for i in 0..60 {
        let kind = if i % 3 == 0 {
            AuditKind::SigninFailedPassword
        } else {
            AuditKind::SigninSucceeded
        };
        db.insert_audit(&event(
            &s.tenant,
            Some(&s.alice),
            kind,
            DEC_1 + (i % 6) * DAY + i,
        ))
        .await
        .unwrap();
    }
    for i in 0..10 {
        db.insert_audit(&event(
            &s.tenant,
            Some(&bob),
            AuditKind::SigninSucceeded,
            DEC_1 + 2 * DAY + 100 + i,
        ))
        .await
        .unwrap();
    }
    let mut reset = event(
        &s.tenant,
        Some(&s.alice),
        AuditKind::FactorsReset,
        DEC_1 + 5 * DAY + 3_000,
    );
    reset.actor = Actor::Admin(root.id.clone());
    reset.detail =
        serde_json::json!({ "reason": "=HYPERLINK(\"http://evil.example\",\"x\")" }).to_string();
    reset.user_agent = Some("@SUM(1+1)".into());
    db.insert_audit(&reset).await.unwrap();
    let globex = latchkey_core::tenants::create(
        db,
        &*s.clock,
        &OsRandom,
        &latchkey_core::tenants::TenantInput {
            slug: "globex".into(),
            display_name: "Globex".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let gus = add_user(&s.tdb, &s.clock, &globex, "gus", "gus@globex.example").await;
    db.insert_audit(&event(
        &globex,
        Some(&gus),
        AuditKind::SigninSucceeded,
        DEC_1 + DAY,
    ))
    .await
    .unwrap();
    (root, bob)
}

/// The rows of a CSV file (RFC 4180, every cell quoted), the byte-order
/// mark aside.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let (mut rows, mut row, mut cell) = (vec![], vec![], String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => panic!("unquoted {c:?} in {text}"),
        }
    }
    assert!(
        row.is_empty() && cell.is_empty(),
        "the file ends with a line end"
    );
    rows
}

fn rel_next(page: &str) -> Option<String> {
    let before = page.split(" rel=\"next\"").next()?;
    if before.len() == page.len() {
        return None;
    }
    let href = before.rsplit("href=\"").next()?;
    // askama writes & in attributes as &#38;
    Some(href.trim_end_matches('"').replace("&#38;", "&"))
}

async fn administrators_filter_page_and_export_the_audit_log(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (_, _bob) = history(&s).await;
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "root", PASSWORD)
            .await
            .status(),
        303
    );

    // linked from the console's home
    let (_, console) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert!(
        console.contains("href=\"/t/acme/admin/audit\""),
        "{console}"
    );

    // Alice's events, page by page, while events keep being written
    let mut url = s.url("/t/acme/admin/audit?person=Alice@Example.com");
    let (mut rows, mut pages) = (0, 0);
    loop {
        let (status, page) = get_text(&b, &url).await;
        assert_eq!(status, 200, "{page}");
        rows += page.matches("<tr><td><time").count();
        pages += 1;
        s.tdb
            .db
            .insert_audit(&event(
                &s.tenant,
                Some(&s.alice),
                AuditKind::Signout,
                s.clock.now().0 + pages,
            ))
            .await
            .unwrap();
        match rel_next(&page) {
            Some(next) => url = s.url(&next),
            None => break,
        }
    }
    assert_eq!(
        (rows, pages),
        (62, 2),
        "her account made, 60 sign-ins and the reset, 50 a page"
    );

    // by id, by kind, by period (both days included)
    let alice_id = s.alice.id.to_string();
    let (_, page) = get_text(
        &b,
        &s.url(&format!(
            "/t/acme/admin/audit?person={alice_id}&event=factors.reset"
        )),
    )
    .await;
    assert_eq!(page.matches("<tr><td><time").count(), 1, "{page}");
    assert!(
        page.contains("root (as administrator)")
            && page.contains("Second factors reset by the helpdesk"),
        "{page}"
    );
    let (_, page) = get_text(
        &b,
        &s.url("/t/acme/admin/audit?person=bob&from=2025-12-03&to=2025-12-03"),
    )
    .await;
    assert_eq!(page.matches("<tr><td><time").count(), 10, "{page}");
    assert!(
        page.contains("value=\"2025-12-03\""),
        "what was typed is kept"
    );
    let (_, page) = get_text(
        &b,
        &s.url("/t/acme/admin/audit?person=bob&from=2025-12-04&to=2025-12-31"),
    )
    .await;
    assert!(page.contains("No event matches this filter."), "{page}");

    // wrong input: each message beside its field, what was typed kept, 422
    let r = b
        .get(s.url(
            "/t/acme/admin/audit?person=gus&event=factors.nuked&from=2025-02-30&to=2025-12-01",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for (field, message) in [
        ("person", "Names nobody in this organisation"),
        ("event", "Is not an event latchkey records"),
        ("from", "Is not a date: write it as YYYY-MM-DD"),
    ] {
        assert!(
            page.contains(&format!(
                "<p class=\"error field\" id=\"audit-{field}-error\">{message}"
            )),
            "{field}: {page}"
        );
        assert!(
            page.contains(&format!("aria-describedby=\"audit-{field}-error\""))
                || page.contains(&format!(" audit-{field}-error\" aria-invalid=\"true\"")),
            "{field}: {page}"
        );
    }
    assert!(page.contains("value=\"gus\""), "kept: {page}");
    assert!(!page.contains("<table"), "no results for a wrong filter");
    let r = b
        .get(s.url("/t/acme/admin/audit?from=2025-12-05&to=2025-12-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"audit-to-error\">Is before the start date"),
        "{page}"
    );
    let r = b
        .get(s.url("/t/acme/admin/audit?cursor=forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("role=\"alert\">Is not a page of this list")
    );

    // CSV of the filtered view, read back: every row, the formula defused
    let r = b
        .get(s.url(
            "/t/acme/admin/audit/export?format=csv&person=alice&from=2025-12-01&to=2025-12-06",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"audit-acme-"),
        "{disposition}"
    );
    let csv = csv_rows(&r.text().await.unwrap());
    assert_eq!(
        csv[0],
        [
            "time",
            "event",
            "actor",
            "actor_name",
            "user_id",
            "person",
            "ip",
            "user_agent",
            "detail",
            "id"
        ]
    );
    assert_eq!(csv.len(), 1 + 61);
    let reset = csv.iter().find(|r| r[1] == "factors.reset").unwrap();
    assert_eq!(reset[3], "root");
    assert_eq!(reset[5], "alice");
    assert_eq!(reset[7], "'@SUM(1+1)", "a cell starting with @ is defused");
    assert!(
        reset[8].starts_with("{\"reason\":\"=HYPERLINK"),
        "inside JSON it starts with {{: {}",
        reset[8]
    );
    assert!(
        csv[1..]
            .iter()
            .all(|r| r[5] == "alice" || r[1] == "factors.reset")
    );
    let mut times: Vec<&String> = csv[1..].iter().map(|r| &r[0]).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    times.dedup();

    // JSON lines of the same view: the same events
    let r = b
        .get(s.url(
            "/t/acme/admin/audit/export?format=jsonl&person=alice&from=2025-12-01&to=2025-12-06",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-type"],
        "application/jsonl; charset=utf-8"
    );
    let lines: Vec<serde_json::Value> = r
        .text()
        .await
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    let csv_ids: Vec<&str> = csv[1..].iter().map(|r| r[9].as_str()).collect();
    assert_eq!(ids, csv_ids);
    let reset = lines
        .iter()
        .find(|l| l["event"] == "factors.reset")
        .unwrap();
    assert_eq!(
        reset["detail"]["reason"], "=HYPERLINK(\"http://evil.example\",\"x\")",
        "JSON keeps data as it is"
    );
    assert_eq!(reset["user_agent"], "@SUM(1+1)");
    let r = b
        .get(s.url("/t/acme/admin/audit/export?format=xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    // refused: a member, a browser signed out, another tenant's console
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "alice", PASSWORD).await;
    for path in [
        "/t/acme/admin/audit",
        "/t/acme/admin/audit/export?format=csv",
    ] {
        let (status, page) = get_text(&member, &s.url(path)).await;
        assert_eq!(status, 403, "{path}: {page}");
        assert!(!page.contains("signin.succeeded"));
        let (status, _) = get_text(&browser(), &s.url(path)).await;
        assert_eq!(status, 303, "{path}");
    }
    let (status, _) = get_text(&b, &s.url("/t/globex/admin/audit")).await;
    assert_eq!(status, 303, "acme's session is no session of globex");
}

async fn the_audit_api_pages_filters_and_exports(backend: Backend) {
    use reqwest::Method;
    let s = TestServer::start(backend).await;
    history(&s).await;
    let (id, secret) = register(&s, admin_app("Admin tool")).await;
    let tool = (id, secret.unwrap());
    let admin = token_for(&s, "root", &tool, "openid latchkey:admin").await;
    let member = token_for(&s, "alice", &tool, "openid latchkey:admin").await;

    // every event of the tenant, seven at a time, while events are written
    let everything: Vec<String> = s
        .tdb
        .db
        .query_audit(&s.tenant.id, &Default::default(), 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert!(everything.len() > 71, "{}", everything.len());
    let (mut seen, mut cursor, mut calls) = (vec![], String::new(), 0);
    loop {
        let path = format!("/api/t/acme/audit?limit=7&cursor={cursor}");
        let (status, body) = call(&s, Method::GET, &path, Some(&admin), None).await;
        assert_eq!(status, 200, "{body}");
        calls += 1;
        s.tdb
            .db
            .insert_audit(&event(
                &s.tenant,
                Some(&s.alice),
                AuditKind::Signout,
                s.clock.now().0 + 10 + calls,
            ))
            .await
            .unwrap();
        let events = body["events"].as_array().unwrap();
        assert!(events.len() <= 7);
        seen.extend(events.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, everything, "each event once, none missing, in order");

    // filters, the same as the console's
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/audit?person=bob&event=signin.succeeded&from=2025-12-03&to=2025-12-03",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let events = body["events"].as_array().unwrap();
    assert_eq!(events.len(), 10);
    assert!(events.iter().all(|e| e["person"] == "bob"
        && e["event"] == "signin.succeeded"
        && e["time"].as_str().unwrap().starts_with("2025-12-03T")));
    assert_eq!(body["next_cursor"], serde_json::Value::Null);

    // wrong input: 422 with each field, 400 for a parameter it does not take
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/audit?limit=0&from=12/01/2025&event=x&person=gus&cursor=zz",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["person", "event", "from", "cursor", "limit"],
        "{body}"
    );
    let event_message = body["fields"][1]["message"].as_str().unwrap();
    assert!(
        event_message.contains("factors.reset"),
        "lists the events: {event_message}"
    );
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/audit?user=bob",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/audit/export?format=xml",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "format");

    // exports
    let export = |format: &'static str| {
        let (url, admin) = (
            s.url(&format!(
                "/api/t/acme/audit/export?format={format}&event=factors.reset"
            )),
            admin.clone(),
        );
        async move {
            let r = reqwest::Client::new()
                .get(url)
                .bearer_auth(admin)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.text().await.unwrap()
        }
    };
    let csv = csv_rows(&export("csv").await);
    assert_eq!(csv.len(), 2);
    assert_eq!(csv[1][7], "'@SUM(1+1)");
    let jsonl = export("jsonl").await;
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        lines[0]["actor"].as_str().unwrap().split(':').next(),
        Some("admin")
    );

    // refused: a member's token, no token, another tenant's path
    let (status, _) = call(&s, Method::GET, "/api/t/acme/audit", Some(&member), None).await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &s,
        Method::GET,
        "/api/t/acme/audit/export?format=csv",
        None,
        None,
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = call(&s, Method::GET, "/api/t/globex/audit", Some(&admin), None).await;
    assert_eq!(status, 401, "acme's token is no token of globex");
    let _ = s.tdb.db.list_clients(&s.tenant.id).await.unwrap();
}

use crate::helpers::assert_no_english as no_english;

/// The page in German, French and Italian, with every kind of event in
/// its table and a wrong filter: no English left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_speaks_german_french_and_italian() {
    let s = TestServer::start(Backend::Sqlite).await;
    history(&s).await;
    for (i, kind) in AuditKind::ALL.iter().enumerate() {
        s.tdb
            .db
            .insert_audit(&event(
                &s.tenant,
                Some(&s.alice),
                *kind,
                DEC_1 + 7 * DAY + i as i64,
            ))
            .await
            .unwrap();
    }
    for lang in ["de", "fr", "it"] {
        let b = reqwest::Client::builder()
            .cookie_store(true)
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
        sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
        let mut url = s.url("/t/acme/admin/audit?from=2025-12-08");
        let mut rows = 0;
        loop {
            let (status, page) = get_text(&b, &url).await;
            assert_eq!(status, 200, "{page}");
            rows += page.matches("<tr><td><time").count();
            no_english(&page, lang);
            match rel_next(&page) {
                Some(next) => url = s.url(&next),
                None => break,
            }
        }
        assert!(rows >= AuditKind::ALL.len(), "{lang}: every kind shown");
        let (_, page) = get_text(
            &b,
            &s.url("/t/acme/admin/audit?event=signin.succeeded&from=2025-12-08"),
        )
        .await;
        no_english(&page, lang);
        let r = b
            .get(s.url(
                "/t/acme/admin/audit?person=nobody&event=x&from=2025-12-09&to=2025-12-08&cursor=x",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        no_english(&r.text().await.unwrap(), lang);
        let (_, console) = get_text(&b, &s.url("/t/acme/admin")).await;
        no_english(&console, lang);
    }
}

/// An export of more than 50,000 events is refused with what to do, never
/// cut short; a narrower filter exports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_too_large_is_refused_with_what_to_do() {
    use latchkey_core::store::{EffectStore, Effects};
    let s = TestServer::start(Backend::Sqlite).await;
    history(&s).await;
    let events: Vec<AuditEvent> = (0..50_001)
        .map(|i| {
            event(
                &s.tenant,
                None,
                AuditKind::RecoverySurge,
                DEC_1 - DAY - i % 1_000,
            )
        })
        .collect();
    s.tdb
        .db
        .apply(
            &Effects {
                audit: events,
                ..Default::default()
            },
            s.clock.now(),
        )
        .await
        .unwrap();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    let r = b
        .get(s.url("/t/acme/admin/audit/export?format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(
            "id=\"audit-from-error\">More than 50000 events match: choose a shorter period"
        ),
        "{page}"
    );
    let r = b
        .get(s.url("/t/acme/admin/audit/export?format=csv&from=2025-12-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(csv_rows(&r.text().await.unwrap()).len() > 70);
}
