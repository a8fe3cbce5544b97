//! The operator's side of a tenant's life: the console at `/operator`
//! (accounts from the CLI, password and app code, its own session, CSRF,
//! limits) driven through the real server, and the decision on a request
//! for self-recovery reaching the administrator who asked, by mail.

use latchkey_core::accounts::user;
use latchkey_core::effects::audit::{Actor, RequestMeta};
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::recovery::activation;
use latchkey_core::tenants::{self, operator};
use latchkey_store::Backend;

use crate::api::call;
use crate::helpers::*;
use crate::smtp::SmtpSink;

on_both_backends!(
    the_administrator_who_asked_is_mailed_the_decision_and_its_reason,
    the_operator_runs_tenants_from_the_console,
    console_sign_in_needs_all_three_and_is_limited,
);

/// A server that sends its mail to `sink` (polling every second).
pub(crate) async fn start_with_smtp(backend: Backend, sink: &SmtpSink) -> TestServer {
    let port = sink.addr.port().to_string();
    TestServer::start_with(
        backend,
        &[
            ("mail.smtp_host", "127.0.0.1"),
            ("mail.smtp_port", &port),
            ("mail.smtp_security", "none"),
            ("mail.poll_seconds", "1"),
        ],
    )
    .await
}

/// The real binary against the server's database, `stdin` piped in.
pub(crate) async fn cli(s: &TestServer, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let url = s.tdb.url.clone();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_latchkey"))
            .args(&args)
            .args(["--database-url", &url])
            .env_remove("LATCHKEY_CONFIG")
            .env("LATCHKEY_SECURITY_SECRET_KEY", SECRET_KEY)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

/// Makes console account `name` with the CLI; its app's secret.
pub(crate) async fn add_account(s: &TestServer, name: &str) -> String {
    let o = cli(
        s,
        &[
            "operator",
            "add-account",
            name,
            "--password-stdin",
            "--json",
        ],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let made: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(made.get("password_hash").is_none() && made.get("totp_sealed").is_none());
    made["totp_secret"].as_str().unwrap().to_owned()
}

/// Posts the console's sign-in form from `b`; the response.
async fn console_sign_in(
    b: &reqwest::Client,
    s: &TestServer,
    name: &str,
    password: &str,
    code: &str,
) -> reqwest::Response {
    let (status, page) = get_text(b, &s.url("/operator/signin")).await;
    assert_eq!(status, 200, "{page}");
    b.post(s.url("/operator/signin"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("name", name),
            ("password", password),
            ("code", code),
        ])
        .send()
        .await
        .unwrap()
}

/// Posts a console form found on `page_path`, with `fields`.
async fn post_form(
    b: &reqwest::Client,
    s: &TestServer,
    page_path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (status, page) = get_text(b, &s.url(page_path)).await;
    assert_eq!(status, 200, "{page}");
    let csrf = csrf_of(&page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    b.post(s.url(action)).form(&form).send().await.unwrap()
}

async fn the_operator_runs_tenants_from_the_console(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, &sink).await;
    let secret = add_account(&s, "ops").await;
    let b = browser();
    let r = b.get(s.url("/operator")).send().await.unwrap();
    assert_eq!(
        (r.status().as_u16(), location(&r)),
        (303, "/operator/signin".to_owned())
    );

    // a tenant's session is no console session
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let r = b.get(s.url("/operator")).send().await.unwrap();
    assert_eq!(r.status(), 303);

    let code = crate::totp::code(&secret, &s);
    let r = console_sign_in(&b, &s, "ops", PASSWORD, &code).await;
    assert_eq!(
        (r.status().as_u16(), location(&r)),
        (303, "/operator".to_owned())
    );
    let set_cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.starts_with("latchkey-operator=") && set_cookie.contains("HttpOnly"));
    // the same code once more, from another browser: refused (used once)
    let other = browser();
    assert_eq!(
        console_sign_in(&other, &s, "ops", PASSWORD, &code)
            .await
            .status(),
        401
    );

    let (status, list) = get_text(&b, &s.url("/operator")).await;
    assert_eq!(status, 200, "{list}");
    assert!(
        list.contains("Acme Corp") && list.contains("Signed in as ops"),
        "{list}"
    );

    // create: errors beside their fields, what was typed kept
    let r = post_form(
        &b,
        &s,
        "/operator/tenants/new",
        "/operator/tenants/new",
        &[
            ("display_name", "Beta AG"),
            ("slug", "Beta Corp"),
            ("default_language", "de"),
            ("second_factor", "optional"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"slug-error\""), "{page}");
    assert!(page.contains("value=\"Beta AG\""));
    let r = post_form(
        &b,
        &s,
        "/operator/tenants/new",
        "/operator/tenants/new",
        &[
            ("display_name", "Other"),
            ("slug", "acme"),
            ("default_language", "en"),
            ("second_factor", "optional"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("has this address already"));
    let r = post_form(
        &b,
        &s,
        "/operator/tenants/new",
        "/operator/tenants/new",
        &[
            ("display_name", "Beta AG"),
            ("slug", "beta"),
            ("default_language", "de"),
            ("second_factor", "required"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/operator/tenants/beta?done=created");
    let beta = tenants::by_slug(&s.tdb.db, "beta").await.unwrap();
    assert_eq!(beta.second_factor.as_str(), "required");

    // invite: a bad address is said, a good one mails in German
    let page = "/operator/tenants/beta";
    let r = post_form(
        &b,
        &s,
        page,
        "/operator/tenants/beta/invite",
        &[("email", "boss@")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("aria-invalid=\"true\""));
    let r = post_form(
        &b,
        &s,
        page,
        "/operator/tenants/beta/invite",
        &[("email", "boss@beta.example")],
    )
    .await;
    assert_eq!(location(&r), "/operator/tenants/beta?done=invited");
    let mail = sink.wait_for(1).await.remove(0);
    assert_eq!(mail.to, ["boss@beta.example"]);
    assert!(mail.text().contains("/t/beta/invitation?token="));
    assert!(mail.text().contains("Einladung"), "{}", mail.text());
    let (_, shown) = get_text(&b, &s.url(page)).await;
    assert!(
        shown.contains("boss@beta.example") && shown.contains("open until"),
        "{shown}"
    );
    // no form without its token
    let r = b
        .post(s.url("/operator/tenants/beta/invite"))
        .form(&[("email", "x@beta.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // a legacy tenant: upgrade, then self-recovery on and off
    let legacy = tenants::create(
        &s.tdb.db,
        &*s.clock,
        &OsRandom,
        &tenants::TenantInput {
            slug: "legacy".into(),
            display_name: "Legacy Ltd".into(),
            onboarding: Some("v1".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let page = "/operator/tenants/legacy";
    let (_, shown) = get_text(&b, &s.url(page)).await;
    assert!(
        shown.contains("Upgrade to the new onboarding")
            && !shown.contains("Switch self-recovery on")
    );
    let r = post_form(&b, &s, page, "/operator/tenants/legacy/upgrade", &[]).await;
    assert_eq!(location(&r), "/operator/tenants/legacy?done=upgraded");
    let r = post_form(
        &b,
        &s,
        page,
        "/operator/tenants/legacy/recovery",
        &[("to", "on")],
    )
    .await;
    assert_eq!(location(&r), "/operator/tenants/legacy?done=enabled");
    assert!(
        tenants::by_slug(&s.tdb.db, "legacy")
            .await
            .unwrap()
            .self_recovery
    );
    let r = post_form(
        &b,
        &s,
        page,
        "/operator/tenants/legacy/recovery",
        &[("to", "off")],
    )
    .await;
    assert_eq!(location(&r), "/operator/tenants/legacy?done=disabled");
    let _ = legacy;

    // an activation request: the asker by name and address; a reason to decline
    let root = add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    activation::request_activation(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &s.tenant,
        &root,
        "helpdesk overloaded",
        &RequestMeta::default(),
    )
    .await
    .unwrap();
    let (_, list) = get_text(&b, &s.url("/operator")).await;
    assert!(list.contains("1 activation request is waiting"), "{list}");
    let (_, requests) = get_text(&b, &s.url("/operator/requests")).await;
    assert!(
        requests.contains("root")
            && requests.contains("root@example.com")
            && requests.contains("helpdesk overloaded"),
        "{requests}"
    );
    let decide = "/operator/tenants/acme/decide";
    let r = post_form(
        &b,
        &s,
        "/operator/requests",
        decide,
        &[("decision", "decline"), ("reason", " ")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Say why you decline"));
    let r = post_form(
        &b,
        &s,
        "/operator/requests",
        decide,
        &[
            ("decision", "decline"),
            ("reason", "write the helpdesk text first"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/operator/tenants/acme?done=decided");
    let told = sink.wait_for(2).await.remove(1);
    assert_eq!(told.to, ["root@example.com"]);
    assert!(told.text().contains("write the helpdesk text first"));

    // the operator's log names the account and what it did
    let (_, log) = get_text(&b, &s.url("/operator/audit")).await;
    for seen in [
        "ops",
        "Organisation created",
        "Administrator invited",
        "Self-recovery switched off",
        "Operator signed in to the console",
        "Failed operator sign-in",
    ] {
        assert!(log.contains(seen), "{seen}: {log}");
    }
    // in the other languages, no English left
    for lang in ["de", "fr", "it"] {
        for path in [
            "/operator",
            "/operator/requests",
            "/operator/audit",
            "/operator/tenants/beta",
            "/operator/tenants/new",
        ] {
            let page = b
                .get(s.url(path))
                .header("accept-language", lang)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_no_english(&page, lang);
        }
    }

    // signing out ends the console session on the server too
    let r = post_form(&b, &s, "/operator", "/operator/signout", &[]).await;
    assert_eq!(location(&r), "/operator/signin");
    let r = b.get(s.url("/operator")).send().await.unwrap();
    assert_eq!(r.status(), 303);
}

async fn console_sign_in_needs_all_three_and_is_limited(backend: Backend) {
    let s = TestServer::start(backend).await;
    let secret = add_account(&s, "ops").await;
    // the header's language switcher works on the console's sign-in too
    let french = browser();
    let r = french
        .get(s.url("/operator/signin?lang=fr"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = get_text(&french, &s.url("/operator/signin")).await;
    assert!(page.contains("Connexion de l"), "{page}");
    assert_no_english(&page, "fr");
    let b = browser();
    // no code, a wrong code, a wrong password: the same refusal
    assert_eq!(
        console_sign_in(&b, &s, "ops", PASSWORD, "").await.status(),
        400
    );
    assert_eq!(
        console_sign_in(&b, &s, "ops", PASSWORD, "000000")
            .await
            .status(),
        401
    );
    let code = crate::totp::code(&secret, &s);
    let r = console_sign_in(&b, &s, "ops", "wrong password!", &code).await;
    assert_eq!(r.status(), 401);
    let wrong = r.text().await.unwrap();
    let r = console_sign_in(&b, &s, "nobody", PASSWORD, &code).await;
    assert_eq!(r.status(), 401);
    let unknown = r.text().await.unwrap();
    let message = |page: &str| {
        page.split("role=\"alert\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(message(&wrong), message(&unknown), "no enumeration");
    // a CLI account name that is taken
    let o = cli(
        &s,
        &["operator", "add-account", "OPS", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = cli(
        &s,
        &["operator", "add-account", "weak", "--password-stdin"],
        "short\n",
    )
    .await;
    assert_eq!(o.status.code(), Some(2));
    // the name's counter: after 5 failures even the right code waits
    for _ in 0..3 {
        assert_eq!(
            console_sign_in(&b, &s, "ops", "wrong again!!", &code)
                .await
                .status(),
            401
        );
    }
    let r = console_sign_in(&b, &s, "ops", PASSWORD, &code).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    s.clock.advance(15 * 60);
    let code = crate::totp::code(&secret, &s);
    let r = console_sign_in(&b, &s, "ops", PASSWORD, &code).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(get_text(&b, &s.url("/operator")).await.0, 200);

    // an operator leaves: disabled at the CLI, their session ends at once
    let o = cli(&s, &["operator", "disable-account", "OPS"], "").await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = b.get(s.url("/operator")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    s.clock.advance(30);
    let code = crate::totp::code(&secret, &s);
    assert_eq!(
        console_sign_in(&b, &s, "ops", PASSWORD, &code)
            .await
            .status(),
        401
    );
    let o = cli(&s, &["operator", "disable-account", "ops"], "").await;
    assert_eq!(o.status.code(), Some(2), "disabled already");
    let o = cli(&s, &["operator", "disable-account", "nobody"], "").await;
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("list-accounts"));
    let o = cli(&s, &["operator", "list-accounts"], "").await;
    assert!(String::from_utf8_lossy(&o.stdout).contains("disabled"));
}

async fn the_administrator_who_asked_is_mailed_the_decision_and_its_reason(backend: Backend) {
    let sink = SmtpSink::start().await;
    let s = start_with_smtp(backend, &sink).await;
    let root = add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "root",
        "root@example.com",
        true,
        Some("de"),
    )
    .await;
    user::set_role(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &s.tenant,
        &root,
        "admin",
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    let root = user::by_login(&s.tdb.db, &s.tenant, "root").await.unwrap();
    let ask = || async {
        let tenant = tenants::by_slug(&s.tdb.db, "acme").await.unwrap();
        activation::request_activation(
            &s.tdb.db,
            &OsRandom,
            &*s.clock,
            &tenant,
            &root,
            "please",
            &RequestMeta::default(),
        )
        .await
        .unwrap();
    };
    let (_, secret) = operator::create_token(&s.tdb.db, &OsRandom, "test", s.clock.now())
        .await
        .unwrap();
    let token = Some(secret.expose());
    use reqwest::Method;

    ask().await;
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/decline",
        token,
        Some(serde_json::json!({ "reason": "Bitte zuerst den Helpdesk-Text setzen" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let declined = sink.wait_for(1).await.remove(0);
    assert_eq!(declined.to, ["root@example.com"]);
    let subject = latchkey_mail::eml::decode_words(
        &latchkey_mail::eml::header(&declined.data, "Subject").unwrap(),
    );
    assert!(
        subject.contains("abgelehnt"),
        "in root's language: {subject}"
    );
    let text = declined.text();
    assert!(
        text.contains("Bitte zuerst den Helpdesk-Text setzen"),
        "{text}"
    );
    assert!(text.contains("/t/acme/admin"), "{text}");

    ask().await;
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/approve",
        token,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let approved = sink.wait_for(2).await.remove(1);
    assert_eq!(approved.to, ["root@example.com"]);
    let text = approved.text();
    assert!(text.contains("jetzt aktiv"), "{text}");

    // a decision that fails (nothing pending) mails nobody
    let (status, _) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/decline",
        token,
        Some(serde_json::json!({ "reason": "no" })),
    )
    .await;
    assert_eq!(status, 422);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 2);
}
