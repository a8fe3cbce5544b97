//! The real binary: tenant and user commands, config check, start-up errors
//! and the demo.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use latchkey_store::Backend;
use latchkey_store::testing::TestDb;

use crate::helpers::*;

fn latchkey(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(args)
        .args(["--database-url", db_url])
        .env_remove("LATCHKEY_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

on_both_backends!(
    tenant_commands,
    self_recovery_is_gated_by_the_operator,
    user_commands,
    cli_and_server_share_a_database
);

async fn tenant_commands(backend: Backend) {
    let t = TestDb::new(backend).await.unwrap();
    let url = t.url.clone();
    tokio::task::spawn_blocking(move || {
        let o = latchkey(
            &url,
            &[
                "tenant",
                "create",
                "acme",
                "--name",
                "Acme Corp",
                "--second-factor",
                "required",
            ],
            None,
        );
        assert!(o.status.success(), "{}", err(&o));
        assert!(out(&o).contains("created tenant acme"));

        let o = latchkey(&url, &["tenant", "create", "acme", "--name", "Again"], None);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains("a tenant with slug \"acme\" already exists"),
            "{}",
            err(&o)
        );

        let o = latchkey(
            &url,
            &[
                "tenant",
                "create",
                "Bad Slug",
                "--name",
                "",
                "--onboarding",
                "v9",
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(2));
        let e = err(&o);
        assert!(
            e.contains("slug:")
                && e.contains("display_name: is required")
                && e.contains("onboarding:"),
            "{e}"
        );

        let long = "x".repeat(101);
        let o = latchkey(&url, &["tenant", "create", "long", "--name", &long], None);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("at most 100"));

        let o = latchkey(&url, &["tenant", "list", "--json"], None);
        let list: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        assert_eq!(
            list.as_array().unwrap().len(),
            1,
            "no partial write from the failed creations"
        );
        assert_eq!(list[0]["slug"], "acme");
        assert_eq!(list[0]["second_factor"], "required");
        assert_eq!(list[0]["onboarding"], "v2");
        assert_eq!(list[0]["self_recovery"], false);

        let o = latchkey(&url, &["tenant", "show", "acme"], None);
        assert!(out(&o).contains("second factor: required"));
        let o = latchkey(&url, &["tenant", "show", "nope", "--json"], None);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("no tenant \"nope\""));
    })
    .await
    .unwrap();
}

async fn user_commands(backend: Backend) {
    let t = TestDb::new(backend).await.unwrap();
    let url = t.url.clone();
    tokio::task::spawn_blocking(move || {
        assert!(
            latchkey(&url, &["tenant", "create", "acme", "--name", "Acme"], None)
                .status
                .success()
        );
        let create = |name: &str, email: &str, pw: &str| {
            latchkey(
                &url,
                &[
                    "user",
                    "create",
                    "--tenant",
                    "acme",
                    "--username",
                    name,
                    "--email",
                    email,
                    "--password-stdin",
                    "--email-verified",
                ],
                Some(pw),
            )
        };
        let o = create("alice", "alice@example.com", &format!("{PASSWORD}\n"));
        assert!(o.status.success(), "{}", err(&o));

        let o = create("bob", "ALICE@example.com", PASSWORD);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("email: is already used"), "{}", err(&o));
        let o = create("Alice", "other@example.com", PASSWORD);
        assert!(
            err(&o).contains("username: is already taken"),
            "{}",
            err(&o)
        );
        let o = create("carol", "not-an-address", "short");
        let e = err(&o);
        assert!(
            e.contains("email: must look like") && e.contains("password: is 5 characters long"),
            "{e}"
        );
        let o = create("dave", "dave@example.com", "");
        assert!(err(&o).contains("standard input was empty"), "{}", err(&o));

        let o = latchkey(
            &url,
            &[
                "user",
                "show",
                "--tenant",
                "acme",
                "ALICE@EXAMPLE.COM",
                "--json",
            ],
            None,
        );
        assert!(o.status.success(), "{}", err(&o));
        let user: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        assert_eq!(user["username"], "alice");
        assert_eq!(user["email_verified"], true);
        assert_eq!(user["status"], "active");
        let text = out(&o);
        assert!(
            !text.contains("argon2") && !text.contains("password_hash"),
            "{text}"
        );

        let o = latchkey(&url, &["user", "list", "--tenant", "acme", "--json"], None);
        let list: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);

        let o = latchkey(
            &url,
            &["user", "disable", "--tenant", "acme", "alice"],
            None,
        );
        assert!(o.status.success(), "{}", err(&o));
        let o = latchkey(&url, &["user", "show", "--tenant", "acme", "alice"], None);
        assert!(out(&o).contains("status:         disabled"));

        let o = latchkey(
            &url,
            &["user", "disable", "--tenant", "acme", "nobody"],
            None,
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("has no user \"nobody\""));
        let o = latchkey(&url, &["user", "list", "--tenant", "nope"], None);
        assert_eq!(o.status.code(), Some(2));
        // with a database URL, the CLI leaves no data directory behind
        assert!(
            !std::path::Path::new("latchkey-data").exists(),
            "no ./latchkey-data in {:?}",
            std::env::current_dir()
        );
    })
    .await
    .unwrap();
}

#[test]
fn config_check_reports_good_and_bad_files() {
    let dir = temp_dir();
    let good = dir.join("good.toml");
    std::fs::write(&good, "data_dir = \"/tmp/lk\"\n[server]\nlisten = \"127.0.0.1:9000\"\n[session]\nidle_timeout_minutes = 15\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["config", "check"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("is a valid configuration"));

    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[server]\nlisten = \"here\"\nport = 1\n[database]\nurl = \"mysql://x\"\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["config", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("3 problem(s)")
            && e.contains("server.listen")
            && e.contains("server.port")
            && e.contains("database.url"),
        "{e}"
    );

    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[server\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["config", "check"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not valid TOML"));

    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["config", "check"])
        .env("LATCHKEY_SESSION_IDLE_TIMEOUT_MINUTES", "forever")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o)
            .contains("session.idle_timeout_minutes (from LATCHKEY_SESSION_IDLE_TIMEOUT_MINUTES)")
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["tenant", "create", "--help"],
        vec!["tenant", "list", "--help"],
        vec!["user", "create", "--help"],
        vec!["user", "disable", "--help"],
        vec!["config", "check", "--help"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
            .args(&args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}");
        assert!(
            out(&o).contains("--data-dir"),
            "{args:?}: every command takes --data-dir"
        );
        assert!(out(&o).contains("--database-url"), "{args:?}");
    }
}

#[test]
fn an_unreachable_database_is_a_clear_start_up_error() {
    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "postgres://postgres:hunter2@127.0.0.1:1/nowhere",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(e.contains("cannot connect to postgres database"), "{e}");
    assert!(!e.contains("hunter2"), "the password is not printed: {e}");

    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["migrate", "--database-url", "mysql://x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("database.url (from --database-url)"));

    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["serve", "--listen", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("server.listen (from --listen)"));
}

#[tokio::test]
async fn migrate_and_serve_without_auto_migration() {
    let dir = temp_dir();
    let data = dir.display().to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args([
            "serve",
            "--no-migrate",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            &data,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("run `latchkey migrate` first"),
        "{}",
        err(&o)
    );
    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["migrate", "--data-dir", &data])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains(&format!(
            "{} migration(s) applied now",
            latchkey_store::known_versions(Backend::Sqlite).len()
        )),
        "{}",
        out(&o)
    );
    let o = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["migrate", "--data-dir", &data])
        .output()
        .unwrap();
    assert!(
        out(&o).contains("0 migration(s) applied now"),
        "{}",
        out(&o)
    );
}

/// The README's run command: `demo` prints a URL and credentials that work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_prints_a_working_url_and_credentials() {
    let dir = temp_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (url, password) = tokio::task::spawn_blocking(move || {
        let mut url = None;
        let mut password = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(u) = line.trim().strip_prefix("Sign in at: ") {
                url = Some(u.trim().to_owned());
            }
            if let Some(p) = line.trim().strip_prefix("Password: ") {
                password = Some(p.trim().to_owned());
            }
            if line.starts_with("Press Ctrl-C") {
                break;
            }
        }
        (
            url.expect("demo prints the URL"),
            password.expect("demo prints the password"),
        )
    })
    .await
    .unwrap();
    assert!(url.ends_with("/t/demo/signin"), "{url}");
    let base = url.trim_end_matches("/t/demo/signin").to_owned();
    let b = browser();
    let r = sign_in(&b, &base, "demo", "demo", &password).await;
    assert_eq!(r.status(), 303);
    let (status, page) = get_text(&b, &format!("{base}/t/demo/account")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Demo User"));
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

/// An operator creates a user with the CLI while the server runs on the same
/// database; the user can sign in at once.
async fn cli_and_server_share_a_database(backend: Backend) {
    let s = TestServer::start(backend).await;
    let url = s.tdb.url.clone();
    let o = tokio::task::spawn_blocking(move || {
        latchkey(
            &url,
            &[
                "user",
                "create",
                "--tenant",
                "acme",
                "--username",
                "carol",
                "--email",
                "carol@example.com",
                "--password-stdin",
            ],
            Some(PASSWORD),
        )
    })
    .await
    .unwrap();
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        sign_in(&browser(), &s.running.url, "acme", "carol", PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_writes_json_logs_with_request_ids() {
    let dir = temp_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args([
            "serve",
            "--log-json",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line.trim()
            .strip_prefix("latchkey is listening on ")
            .unwrap()
            .to_owned()
    })
    .await
    .unwrap();
    let r = browser()
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap();
    let request_id = r
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let stderr = child.stderr.take().unwrap();
    let found = tokio::task::spawn_blocking(move || {
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            let json: serde_json::Value =
                serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
            if line.contains(&request_id) {
                return json;
            }
        }
        panic!("no log line with the request id");
    })
    .await
    .unwrap();
    assert_eq!(
        found["span"]["request_id"].as_str().map(str::len),
        Some(36),
        "{found}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgres_needs_a_configured_secret_key() {
    let t = TestDb::postgres().await.unwrap();
    let dir = temp_dir();
    let sources = latchkey::config::Sources {
        flags: vec![
            ("server.listen", "127.0.0.1:0".into(), "test"),
            ("database.url", t.url.clone(), "test"),
            ("data_dir", dir.display().to_string(), "test"),
        ],
        ..Default::default()
    };
    let config = latchkey::config::load(&sources).unwrap();
    let db = latchkey::server::open_database(
        &config,
        &latchkey_core::platform::clock::SystemClock,
        true,
    )
    .await
    .unwrap();
    let err = latchkey::server::start(&config, db, latchkey::server::Deps::default())
        .await
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("security.secret_key is required with PostgreSQL"),
        "{err}"
    );
}

/// Without an SMTP server, mail lands in data_dir/mail; `mail list` and
/// `mail show` read it, and the link in it works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_without_smtp_is_written_to_files_that_the_cli_reads() {
    let dir = temp_dir();
    let data = dir.display().to_string();
    let run = |args: &[&str], env: Option<(&str, &str)>, stdin: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
        cmd.args(args)
            .args(["--data-dir", &data])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    };
    assert!(
        run(
            &[
                "tenant",
                "create",
                "acme",
                "--name",
                "Acme",
                "--language",
                "fr"
            ],
            None,
            None
        )
        .status
        .success()
    );
    let o = run(&["mail", "list"], None, None);
    assert!(out(&o).contains("no mail in"), "{}", out(&o));

    let mut server = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", &data])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = server.stdout.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line.trim()
            .strip_prefix("latchkey is listening on ")
            .unwrap()
            .to_owned()
    })
    .await
    .unwrap();

    let create = [
        "user",
        "create",
        "--tenant",
        "acme",
        "--username",
        "hugo",
        "--email",
        "hugo@example.fr",
        "--password-stdin",
    ];
    let o = run(
        &create,
        Some(("LATCHKEY_SERVER_PUBLIC_URL", url.as_str())),
        Some(PASSWORD),
    );
    assert!(o.status.success(), "{}", err(&o));

    let mut listed = serde_json::Value::Null;
    for _ in 0..100 {
        listed = serde_json::from_str(&out(&run(&["mail", "list", "--json"], None, None))).unwrap();
        if listed.as_array().is_some_and(|a| !a.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(listed[0]["to"], "hugo@example.fr", "{listed}");
    assert_eq!(
        listed[0]["subject"], "Confirmez votre adresse e-mail pour Acme",
        "in the tenant's language"
    );

    let shown = out(&run(&["mail", "show"], None, None));
    assert!(
        shown.contains("Subject: Confirmez votre adresse e-mail pour Acme"),
        "{shown}"
    );
    assert!(shown.contains("Bonjour hugo,"), "{shown}");
    let link = shown
        .split_whitespace()
        .find(|w| w.starts_with(&url) && w.contains("verify-email?token="))
        .unwrap_or_else(|| panic!("no link in {shown}"))
        .to_owned();
    let name = listed[0]["name"].as_str().unwrap().to_owned();
    assert_eq!(out(&run(&["mail", "show", &name], None, None)), shown);
    let o = run(&["mail", "show", "nope"], None, None);
    assert_eq!(o.status.code(), Some(2));

    let b = browser();
    let (_, page) = get_text(&b, &link).await;
    let token = link.split("token=").nth(1).unwrap();
    let r = b
        .post(format!("{url}/t/acme/verify-email"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let o = run(
        &["user", "show", "--tenant", "acme", "hugo", "--json"],
        None,
        None,
    );
    let user: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(user["email_verified"], true);

    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

async fn self_recovery_is_gated_by_the_operator(backend: Backend) {
    use latchkey_core::recovery::case::{CaseFacts, CaseState, RecoveryCase, RecoveryPolicy};
    use latchkey_core::store::{OutboxStore, RecoveryStore, TenantStore};

    let t = TestDb::new(backend).await.unwrap();
    let url = t.url.clone();
    let run = move |args: Vec<&'static str>| {
        let url = url.clone();
        async move {
            tokio::task::spawn_blocking(move || latchkey(&url, &args, None))
                .await
                .unwrap()
        }
    };
    let o = run(vec![
        "tenant",
        "create",
        "legacy",
        "--name",
        "Legacy",
        "--onboarding",
        "v1",
    ])
    .await;
    assert!(o.status.success(), "{}", err(&o));

    let o = run(vec!["tenant", "recovery", "enable", "legacy"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("upgrade this tenant to onboarding v2 first"),
        "{}",
        err(&o)
    );
    let o = run(vec!["tenant", "upgrade-onboarding", "legacy"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let o = run(vec!["tenant", "upgrade-onboarding", "legacy"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("v2 already"));
    let o = run(vec!["tenant", "recovery", "enable", "legacy", "--json"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let shown: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        (shown["self_recovery"].clone(), shown["onboarding"].clone()),
        (true.into(), "v2".into())
    );

    // An open case ends when the operator turns recovery off; its user is told.
    let slug = latchkey_core::tenants::TenantSlug::parse("legacy").unwrap();
    let tenant = t.db.tenant_by_slug(&slug).await.unwrap().unwrap();
    let clock = latchkey_core::platform::clock::ManualClock::new(
        latchkey_core::platform::clock::UnixTime(1_800_000_000),
    );
    let user = add_user(&t, &clock, &tenant, "uma", "uma@legacy.example").await;
    let case = RecoveryCase {
        id: "case-1".into(),
        tenant_id: tenant.id.clone(),
        user_id: Some(user.id.clone()),
        facts: CaseFacts::start(
            latchkey_core::platform::clock::Clock::now(&clock),
            false,
            &RecoveryPolicy::default(),
        ),
        email_key: Some(user.email_key.clone()),
        code_withheld: false,
        email_code_hash: None,
        email_code_expires_at: None,
        browser_hash: "b".into(),
        cancel_token_hash: None,
        return_to: None,
        updated_at: latchkey_core::platform::clock::Clock::now(&clock),
        version: 1,
        closed_at: None,
    };
    t.db.insert_case(
        &case,
        &Default::default(),
        latchkey_core::platform::clock::Clock::now(&clock),
    )
    .await
    .unwrap();
    let (pending_before, _, _) = t.db.outbox_counts().await.unwrap();
    let o = run(vec!["tenant", "recovery", "disable", "legacy"]).await;
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("cancelled 1 open recovery case"),
        "{}",
        out(&o)
    );
    assert_eq!(
        t.db.case_by_id("case-1")
            .await
            .unwrap()
            .unwrap()
            .facts
            .state,
        CaseState::Cancelled
    );
    let (pending_after, _, _) = t.db.outbox_counts().await.unwrap();
    assert_eq!(
        pending_after,
        pending_before + 1,
        "the user is told by mail"
    );

    let o = run(vec![
        "tenant",
        "set",
        "legacy",
        "--recovery-wait-hours=-3",
        "--helpdesk-url",
        "http://help",
    ])
    .await;
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("recovery_wait_hours") && e.contains("helpdesk_url"),
        "{e}"
    );
    let o = run(vec![
        "tenant",
        "set",
        "legacy",
        "--recovery-wait-hours",
        "0",
        "--known-device-days",
        "30",
        "--helpdesk-text",
        "Call the service desk at 555-0100.",
        "--helpdesk-url",
        "https://help.legacy.example",
    ])
    .await;
    assert!(o.status.success(), "{}", err(&o));
    let o = run(vec!["tenant", "show", "legacy"]).await;
    let shown = out(&o);
    assert!(
        shown.contains("recovery wait: 0 h on unknown devices; devices known for 30 days"),
        "{shown}"
    );
    assert!(shown.contains("Call the service desk at 555-0100. <https://help.legacy.example>"));
    assert!(shown.contains("self-recovery: off"));
    let o = run(vec!["tenant", "stats", "legacy", "--json"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let stats: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        (stats["started"].clone(), stats["cancelled"].clone()),
        (1.into(), 1.into())
    );
    let o = run(vec!["tenant", "stats", "legacy"]).await;
    assert!(
        out(&o).contains("median time to complete: (none completed yet)"),
        "{}",
        out(&o)
    );
    let o = run(vec!["tenant", "recovery", "enable", "nope"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no tenant \"nope\""));
}
