//! Tenant and user commands, and the CLI beside a running server.

use latchkey_core::store::AuditStore;
use latchkey_store::Backend;
use latchkey_store::testing::TestDb;

use super::*;
use crate::helpers::*;

on_both_backends!(
    tenant_commands,
    user_commands,
    user_invite_makes_the_account_and_queues_the_link,
    cli_and_server_share_a_database,
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

async fn user_invite_makes_the_account_and_queues_the_link(backend: Backend) {
    let t = TestDb::new(backend).await.unwrap();
    let url = t.url.clone();
    tokio::task::spawn_blocking(move || {
        assert!(
            latchkey(&url, &["tenant", "create", "acme", "--name", "Acme"], None)
                .status
                .success()
        );
        let invite = |name: &str, email: &str, extra: &[&str]| {
            let mut args = vec![
                "user",
                "invite",
                "--tenant",
                "acme",
                "--username",
                name,
                "--email",
                email,
            ];
            args.extend_from_slice(extra);
            latchkey(&url, &args, None)
        };
        let o = invite("zoe", "zoe@example.com", &["--name", "Zoe Zed"]);
        assert!(o.status.success(), "{}", err(&o));
        assert!(
            out(&o).contains("invitation queued for mail"),
            "{}",
            out(&o)
        );
        assert!(!out(&o).contains("token"), "{}", out(&o));
        let o = invite("root", "root@example.com", &["--admin", "--json"]);
        assert!(o.status.success(), "{}", err(&o));
        let made: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        assert_eq!(made["role"], "admin");
        assert_eq!(made["email_verified"], false);
        assert_eq!(made["invitation"]["purpose"], "person");
        assert!(made["invitation"].get("token_hash").is_none(), "{made}");
        // the rules of any new account, said per field
        let o = invite("ZOE", "other@example.com", &[]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains("username: is already taken"),
            "{}",
            err(&o)
        );
        let o = invite("yan", "not-an-address", &[]);
        assert!(err(&o).contains("email: must look like"), "{}", err(&o));
        let o = invite("yan", "yan@example.com", &["--tenant-typo"]);
        assert_ne!(o.status.code(), Some(0));
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
        // common passwords and the account's names are refused, saying why
        let o = create("erin", "erin@example.com", "Password2024!");
        assert!(
            err(&o).contains("password: is one of the passwords people choose most often"),
            "{}",
            err(&o)
        );
        let o = create("frank", "frank.miller@example.com", "Frank.Miller-1970");
        assert!(
            err(&o).contains("password: is mostly “frankmiller”"),
            "{}",
            err(&o)
        );
        let o = create("gina", "gina@example.com", "acme latchkey 2024");
        assert!(
            err(&o).contains("password: is mostly “latchkey”"),
            "{}",
            err(&o)
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
    // disabling is on the audit trail, with who did it
    let acme = latchkey_core::tenants::by_slug(&t.db, "acme")
        .await
        .unwrap();
    let events = t.db.list_audit(&acme.id, 50).await.unwrap();
    let disabled: Vec<_> = events
        .iter()
        .filter(|e| e.event == "user.disabled")
        .map(|e| e.actor.to_string())
        .collect();
    assert_eq!(disabled, ["operator:cli"]);
    // and so is making an account: the command line, not the operator API
    let created: Vec<_> = events
        .iter()
        .filter(|e| e.event == "user.created")
        .map(|e| e.actor.to_string())
        .collect();
    assert!(!created.is_empty());
    assert!(created.iter().all(|a| a == "operator:cli"), "{created:?}");
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
