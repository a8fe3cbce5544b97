//! Operating self-recovery and mail from the CLI: the operator gate, mail
//! written to files.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use latchkey_store::Backend;
use latchkey_store::testing::TestDb;

use super::*;
use crate::helpers::*;

on_both_backends!(self_recovery_is_gated_by_the_operator,);

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
        code_name: None,
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
        t.db.case_by_id(&"case-1".into())
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
