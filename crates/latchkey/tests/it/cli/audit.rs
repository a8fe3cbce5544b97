//! `latchkey audit list|export`: the console's filters at the command line,
//! every wrong argument refused with exit code 2 and what to do.

use latchkey_core::effects::audit::{Actor, AuditEvent, AuditKind};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::AuditStore;
use latchkey_store::Backend;

use super::{err, latchkey, out};
use crate::helpers::*;

on_both_backends!(audit_commands_list_page_and_export,);

async fn audit_commands_list_page_and_export(backend: Backend) {
    let s = TestServer::start(backend).await;
    for i in 0..12 {
        let kind = if i == 5 {
            AuditKind::PasswordChanged
        } else {
            AuditKind::SigninSucceeded
        };
        s.tdb
            .db
            .insert_audit(&AuditEvent {
                id: new_id(&OsRandom),
                tenant_id: Some(s.tenant.id.clone()),
                user_id: Some(s.alice.id.clone()),
                actor: Actor::User(s.alice.id.clone()),
                event: kind.as_str().into(),
                ip: Some("192.0.2.9".into()),
                user_agent: Some("-cmd|calc".into()),
                detail: "{}".into(),
                // 2025-12-01 and 2025-12-02, six each
                at: UnixTime(1_764_547_200 + (i / 6) * 86_400 + i),
            })
            .await
            .unwrap();
    }
    let url = s.tdb.url.clone();
    tokio::task::spawn_blocking(move || {
        let run = |args: &[&str]| latchkey(&url, args, None);

        // a page, then the next with the cursor it printed
        let o = run(&[
            "audit",
            "list",
            "--tenant",
            "acme",
            "--person",
            "alice",
            "--from",
            "2025-12-01",
            "--to",
            "2025-12-02",
            "--limit",
            "5",
        ]);
        assert!(o.status.success(), "{}", err(&o));
        let text = out(&o);
        assert_eq!(
            text.lines().filter(|l| l.starts_with("2025-12-0")).count(),
            5,
            "{text}"
        );
        assert!(
            text.contains("by user:")
                && text.contains("(alice)")
                && text.contains("from 192.0.2.9"),
            "{text}"
        );
        let cursor = text
            .lines()
            .find_map(|l| l.strip_prefix("older events: add --cursor "))
            .expect("a cursor")
            .to_owned();
        let o = run(&[
            "audit",
            "list",
            "--tenant",
            "acme",
            "--person",
            "alice",
            "--from",
            "2025-12-01",
            "--to",
            "2025-12-02",
            "--limit",
            "5",
            "--cursor",
            &cursor,
            "--json",
        ]);
        assert!(o.status.success(), "{}", err(&o));
        let page: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        assert_eq!(page["events"].as_array().unwrap().len(), 5);
        assert!(page["next_cursor"].is_string());
        let o = run(&[
            "audit",
            "list",
            "--tenant",
            "acme",
            "--event",
            "password.changed",
            "--json",
        ]);
        let page: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        assert_eq!(page["events"].as_array().unwrap().len(), 1, "{page}");
        assert_eq!(page["next_cursor"], serde_json::Value::Null);

        // exports: CSV with the guard, JSON lines as they are
        let o = run(&[
            "audit",
            "export",
            "--tenant",
            "acme",
            "--format",
            "csv",
            "--from",
            "2025-12-02",
            "--to",
            "2025-12-02",
        ]);
        assert!(o.status.success(), "{}", err(&o));
        let csv = out(&o);
        assert!(csv.starts_with("\u{feff}\"time\",\"event\""), "{csv}");
        assert_eq!(csv.matches("\r\n").count(), 1 + 6, "{csv}");
        assert!(csv.contains("\"'-cmd|calc\""), "{csv}");
        let o = run(&[
            "audit",
            "export",
            "--tenant",
            "acme",
            "--format",
            "jsonl",
            "--person",
            "alice@example.com",
            "--from",
            "2025-12-01",
        ]);
        assert!(o.status.success(), "{}", err(&o));
        let lines: Vec<serde_json::Value> = out(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        // twelve of December 2025, and her account made when the test began
        assert_eq!(lines.len(), 13);
        assert!(lines.iter().all(|l| l["person"] == "alice"));
        assert!(lines.iter().any(|l| l["user_agent"] == "-cmd|calc"));

        // wrong arguments: exit code 2 and what to do
        for (args, said) in [
            (
                vec!["audit", "list", "--tenant", "acme", "--from", "2025-02-30"],
                "from: is not a date: write it as YYYY-MM-DD",
            ),
            (
                vec![
                    "audit",
                    "list",
                    "--tenant",
                    "acme",
                    "--from",
                    "2025-12-02",
                    "--to",
                    "2025-12-01",
                ],
                "to: is before the start date",
            ),
            (
                vec!["audit", "list", "--tenant", "acme", "--person", "nobody"],
                "person: names nobody in this organisation",
            ),
            (
                vec!["audit", "list", "--tenant", "acme", "--event", "signin"],
                "event: is not an event latchkey records",
            ),
            (
                vec!["audit", "list", "--tenant", "acme", "--limit", "500"],
                "limit: 500 is not between 1 and 200",
            ),
            (
                vec!["audit", "list", "--tenant", "acme", "--cursor", "x"],
                "cursor: is not a page of this list",
            ),
            (
                vec!["audit", "export", "--tenant", "acme", "--format", "xlsx"],
                "format: \"xlsx\" is not one of: csv, jsonl",
            ),
            (
                vec!["audit", "list", "--tenant", "nope"],
                "no tenant \"nope\"; `latchkey tenant list` shows the tenants",
            ),
        ] {
            let o = run(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
            assert!(err(&o).contains(said), "{args:?}: {}", err(&o));
            assert!(out(&o).is_empty(), "{args:?}");
        }
    })
    .await
    .unwrap();
}
