//! Configuration, help, migrations and start-up: the demo, JSON logs, clear
//! errors.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use latchkey_store::Backend;
use latchkey_store::testing::TestDb;

use super::*;
use crate::helpers::*;

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

/// The README's run command: `demo` prints a URL and credentials that work,
/// for a person and an administrator, on a tenant with self-recovery on.
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
    let printed = tokio::task::spawn_blocking(move || {
        let mut lines = vec![];
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let done = line.starts_with("Press Ctrl-C");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    })
    .await
    .unwrap();
    let value = |label: &str| {
        printed
            .iter()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| v.split_whitespace().next().unwrap_or("").to_owned())
            .unwrap_or_else(|| panic!("demo prints {label}: {printed:#?}"))
    };
    assert!(
        printed[0].contains("self-recovery on"),
        "the demo shows the headline feature: {}",
        printed[0]
    );
    let url = value("Sign in at:");
    assert!(url.ends_with("/t/demo/signin"), "{url}");
    let base = url.trim_end_matches("/t/demo/signin").to_owned();
    assert_eq!(value("Admin console:"), format!("{base}/t/demo/admin"));
    assert_eq!(
        value("Mail sent:"),
        format!("{}/mail", dir.display()),
        "the mail folder is printed"
    );
    let b = browser();
    let r = sign_in(&b, &base, "demo", "demo", &value("User password:")).await;
    assert_eq!(r.status(), 303);
    let (status, page) = get_text(&b, &format!("{base}/t/demo/account")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Demo User"));
    let admin = browser();
    let r = sign_in(&admin, &base, "demo", "admin", &value("Admin password:")).await;
    assert_eq!(r.status(), 303);
    // the console opens on the set-up wizard, on the demo's settings
    let r = admin
        .get(format!("{base}/t/demo/admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/demo/admin/setup");
    let (status, page) = get_text(&admin, &format!("{base}/t/demo/admin/setup")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("value=\"Demo Organisation\""), "{page}");
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
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
