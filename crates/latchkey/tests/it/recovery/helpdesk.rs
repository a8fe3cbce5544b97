//! Without self-recovery, and for administrators: the helpdesk, its resets, and
//! activation by the operator.

use latchkey_core::effects::audit::Actor;
use latchkey_core::store::{AuditStore, RecoveryStore, TotpStore};
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    without_activation_the_way_leads_to_the_helpdesk,
    the_helpdesk_resets_factors_with_a_reason,
    administrators_go_to_the_helpdesk_unless_the_tenant_allows_them,
    an_administrator_asks_and_the_operator_decides,
);

async fn without_activation_the_way_leads_to_the_helpdesk(backend: Backend) {
    let s = TestServer::start(backend).await;
    let input = latchkey_core::tenants::SettingsInput {
        helpdesk_text: Some("Call the service desk at 555-0100.".into()),
        helpdesk_url: Some("https://help.acme.example/".into()),
        ..Default::default()
    };
    latchkey_core::tenants::update_settings(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &input,
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    let b = browser();
    let (_, signin) = get_text(&b, &s.url("/t/acme/signin")).await;
    assert!(signin.contains("Can&#39;t sign in?") || signin.contains("Can't sign in?"));
    let csrf = csrf_of(&signin);
    let (status, page) = get_text(&b, &s.url("/t/acme/recover")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Call the service desk at 555-0100."));
    assert!(page.contains("https://help.acme.example/"));
    assert!(!page.contains("Start recovery"));
    let r = b
        .post(s.url("/t/acme/recover"))
        .form(&[("csrf", csrf.as_str()), ("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "no case: the helpdesk page again");
    assert!(r.text().await.unwrap().contains("555-0100"));
    assert!(
        s.tdb
            .db
            .open_cases_for_user(&s.alice.id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn the_helpdesk_resets_factors_with_a_reason(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let old = browser();
    sign_in(&old, &s.running.url, "acme", "alice", PASSWORD).await;
    let url = s.tdb.url.clone();
    let run = move |reason: &'static str| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_latchkey"))
                .args([
                    "user",
                    "reset-factors",
                    "--tenant",
                    "acme",
                    "alice",
                    "--reason",
                    reason,
                ])
                .args(["--database-url", &url])
                .env("LATCHKEY_SECURITY_SECRET_KEY", SECRET_KEY)
                .env_remove("LATCHKEY_CONFIG")
                .output()
                .unwrap()
        })
    };
    let o = run("  ").await.unwrap();
    assert_eq!(o.status.code(), Some(2), "a reason is required");
    assert!(String::from_utf8_lossy(&o.stderr).contains("reason"));
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());

    let o = run("phone stolen; identity checked in person")
        .await
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap(), None);
    let (status, _) = get_text(&old, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "signed out everywhere");
    let history = s.tdb.db.factor_history(&s.alice.id).await.unwrap();
    assert!(
        history
            .iter()
            .all(|h| h.removed_by.to_string() == "helpdesk:operator:cli"),
        "{history:?}"
    );
    let audit = s.tdb.db.list_audit(&s.tenant.id, 50).await.unwrap();
    let reset = audit.iter().find(|e| e.event == "factors.reset").unwrap();
    assert!(reset.detail.contains("identity checked in person"));
    let stats = latchkey_core::recovery::stats::stats(
        &s.tdb.db,
        &s.tenant,
        latchkey_core::platform::clock::Clock::now(&*s.clock),
    )
    .await
    .unwrap();
    assert_eq!((stats.helpdesk_resets, stats.self_recoveries), (1, 0));
    let mails = sink.wait_for(3).await;
    let texts: Vec<String> = mails.iter().map(|m| m.text()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("an administrator removed every second factor")),
        "{texts:#?}"
    );
    // her account page says who did it
    let again = browser();
    sign_in(&again, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, account) = get_text(&again, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("Second factors removed by the helpdesk — ")
            && account.contains(" · by an administrator</li>"),
        "{account}"
    );
}

async fn administrators_go_to_the_helpdesk_unless_the_tenant_allows_them(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let root = add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let admin = browser();
    let fake = browser();
    start(&admin, &s, "root").await;
    start(&fake, &s, "nobody").await;
    let strip = |page: String| page.replace(&csrf_if_any(&page), "");
    assert_eq!(
        strip(case_page(&admin, &s).await),
        strip(case_page(&fake, &s).await),
        "nothing tells that this is an administrator"
    );
    let mail = sink.wait_for(1).await[0].text();
    assert!(
        mail.contains("administrators are not recovered this way"),
        "{mail}"
    );
    assert!(
        s.tdb
            .db
            .open_cases_for_user(&root.id)
            .await
            .unwrap()
            .is_empty()
    );

    set_tenant(
        &s,
        "acme",
        latchkey_core::tenants::SettingsInput {
            admins_may_recover: Some("on".into()),
            ..Default::default()
        },
    )
    .await;
    let again = browser();
    start(&again, &s, "root").await;
    let code = code_in(&sink.wait_for(2).await[1]);
    assert_eq!(prove(&again, &s, "email_code", &code).await.status(), 303);
}

async fn an_administrator_asks_and_the_operator_decides(backend: Backend) {
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("Not active"), "{account}");
    let ask = |note: &'static str| {
        let b = b.clone();
        let url = s.url("/t/acme/admin/recovery-request");
        let account_url = s.url("/t/acme/account");
        async move {
            let (_, account) = get_text(&b, &account_url).await;
            b.post(url)
                .form(&[("csrf", csrf_of(&account).as_str()), ("note", note)])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(ask("our helpdesk is overloaded").await.status(), 303);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("<strong>pending</strong>"), "{account}");
    assert!(
        !account.contains("Ask the operator"),
        "one request at a time"
    );

    // Members cannot ask.
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, page) = get_text(&member, &s.url("/t/acme/account")).await;
    assert!(!page.contains("Ask the operator"));
    let r = member
        .post(s.url("/t/acme/admin/recovery-request"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("note", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let url = s.tdb.url.clone();
    let cli = move |args: Vec<&'static str>| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_latchkey"))
                .args(&args)
                .args(["--database-url", &url])
                .env("LATCHKEY_SECURITY_SECRET_KEY", SECRET_KEY)
                .env_remove("LATCHKEY_CONFIG")
                .output()
                .unwrap()
        })
    };
    let o = cli(vec!["tenant", "recovery", "requests"]).await.unwrap();
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        listed.contains("acme") && listed.contains("our helpdesk is overloaded"),
        "{listed}"
    );
    let o = cli(vec!["tenant", "recovery", "decline", "acme"])
        .await
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "a reason is required");
    let o = cli(vec![
        "tenant",
        "recovery",
        "decline",
        "acme",
        "--reason",
        "set the helpdesk text first",
    ])
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("<strong>declined</strong>")
            && account.contains("set the helpdesk text first")
    );

    assert_eq!(ask("").await.status(), 303, "may ask again");
    let o = cli(vec!["tenant", "recovery", "approve", "acme"])
        .await
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("Active: users who lose"), "{account}");
    // The operator makes alice an administrator too.
    let o = cli(vec![
        "user", "set-role", "--tenant", "acme", "alice", "admin",
    ])
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, page) = get_text(&member, &s.url("/t/acme/account")).await;
    assert!(
        page.contains("Account Self-Recovery for Acme Corp"),
        "{page}"
    );
    let o = cli(vec![
        "user", "set-role", "--tenant", "acme", "alice", "owner",
    ])
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let events = events(&s).await;
    assert!(events.contains(&"user.role.changed".to_owned()));
    for e in [
        "tenant.recovery.requested",
        "tenant.recovery.request_declined",
        "tenant.recovery.request_approved",
        "tenant.recovery.enabled",
    ] {
        assert!(events.contains(&e.to_owned()), "{e}");
    }
}
