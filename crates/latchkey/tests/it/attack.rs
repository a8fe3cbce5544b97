//! What an outside attack run found (the security-holes issue), each as a
//! test that failed before its fix: over HTTP against the real server, on
//! both databases.

use latchkey_core::store::TotpStore;
use latchkey_store::Backend;

use crate::helpers::*;
use crate::recovery::{World, case_page, equipped, finish, prove, world};

on_both_backends!(
    a_mailbox_alone_cannot_recover_from_the_second_step,
    a_reset_password_counts_once_confirmed_with_a_second_factor,
    admin_api_changes_need_a_recent_sign_in,
);

/// Sets `acme`'s waiting period for unknown devices.
pub(crate) async fn set_wait_hours(s: &TestServer, hours: &str) {
    let tenant = latchkey_core::tenant::by_slug(&s.tdb.db, "acme")
        .await
        .unwrap();
    latchkey_core::tenant::update_settings(
        &s.tdb.db,
        &latchkey_core::random::OsRandom,
        &*s.clock,
        &tenant,
        &latchkey_core::tenant::SettingsInput {
            recovery_wait_hours: Some(hours.into()),
            ..Default::default()
        },
        "test",
    )
    .await
    .unwrap();
}

/// Someone who reads alice's mail sets a new password through "forgot
/// password"; the mails the sink had before are `seen`.
pub(crate) async fn reset_by_mail(
    s: &TestServer,
    sink: &crate::smtp::SmtpSink,
    seen: usize,
    new_password: &str,
) {
    let b = browser();
    let (_, page) = get_text(&b, &s.url("/t/acme/forgot-password")).await;
    b.post(s.url("/t/acme/forgot-password"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("login", "alice")])
        .send()
        .await
        .unwrap();
    let link = sink
        .wait_for_text(seen, "/reset-password?token=")
        .await
        .link("/reset-password?token=");
    let (_, page) = get_text(&b, &link).await;
    let r = b
        .post(s.url("/t/acme/reset-password"))
        .form(&[
            ("csrf", csrf_of(&page)),
            ("token", link.split("token=").nth(1).unwrap().to_owned()),
            ("password", new_password.to_owned()),
            ("repeat", new_password.to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

/// Item 1 (high): forgot password → sign in with the new password → "I lost
/// my second factor" carried the reset password into the case as a proof,
/// so the emailed code from the same mailbox finished the recovery.
async fn a_mailbox_alone_cannot_recover_from_the_second_step(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    set_wait_hours(&s, "0").await;
    let seen = sink.wait_for(2).await.len();
    reset_by_mail(&s, &sink, seen, "attacker chosen phrase").await;

    let b = browser();
    let r = sign_in(
        &b,
        &s.running.url,
        "acme",
        "alice",
        "attacker chosen phrase",
    )
    .await;
    let prompt_at = location(&r);
    assert!(prompt_at.starts_with("/t/acme/signin/otp"), "{prompt_at}");
    let (_, prompt) = get_text(&b, &s.url(&prompt_at)).await;
    let seen = sink.messages().len();
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[("csrf", csrf_of(&prompt).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    let page = case_page(&b, &s).await;
    assert!(
        !page.contains("Your password <span class=\"ok\">✓</span>"),
        "a password set from a mailed link is no proof beside the mailbox: {page}"
    );
    let code = crate::recovery::code_in(&sink.wait_for_text(seen, "recovering your").await);
    assert_eq!(prove(&b, &s, "email_code", &code).await.status(), 303);
    let page = case_page(&b, &s).await;
    assert!(!page.contains("Finish the recovery"), "{page}");
    assert_ne!(
        finish(&b, &s, Some("attacker chosen phrase"))
            .await
            .status(),
        200
    );
    assert!(
        s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some(),
        "the authenticator app stays"
    );
}

/// Item 1's other side: the owner who reset their password and then signs
/// in with it and their app has shown the password is theirs; when they
/// later lose the phone, the prompt's "I lost my second factor" carries it.
async fn a_reset_password_counts_once_confirmed_with_a_second_factor(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (secret, _) = equipped(&s).await;
    let seen = sink.wait_for(2).await.len();
    reset_by_mail(&s, &sink, seen, "my own new phrase").await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", "my own new phrase").await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    s.clock.advance(31); // the code of the set-up was used
    let r = crate::totp::send_code(&b, &s, &prompt, &crate::totp::code(&secret, &s)).await;
    assert_eq!(location(&r), "/t/acme/account");

    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", "my own new phrase").await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    b.post(s.url("/t/acme/recover/second-step"))
        .form(&[("csrf", csrf_of(&prompt).as_str())])
        .send()
        .await
        .unwrap();
    let page = case_page(&b, &s).await;
    assert!(
        page.contains("Your password <span class=\"ok\">✓</span>"),
        "{page}"
    );
}

/// Item 2: the admin API accepted any `latchkey:admin` token, and a refresh
/// keeps minting them with the original `auth_time` for 30 days; the
/// console asks for a sign-in within 10 minutes for the same changes.
async fn admin_api_changes_need_a_recent_sign_in(backend: Backend) {
    use reqwest::Method;
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let (id, secret) = crate::oidc::register(&s, crate::oidc::app("Admin tool", false, true)).await;
    let tool = (id, secret.unwrap());
    let (app_id, _) = crate::oidc::register(&s, crate::oidc::app("Shop", false, false)).await;
    let tokens = crate::api::tokens_for(&s, "root", &tool, "openid latchkey:admin").await;

    s.clock.advance(610);
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/token"))
        .basic_auth(&tool.0, Some(&tool.1))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let refreshed: serde_json::Value = r.json().await.unwrap();
    let stale = refreshed["access_token"].as_str().unwrap().to_owned();

    // reading still works ...
    let (status, _) = crate::api::call(
        &s,
        Method::GET,
        "/api/t/acme/applications",
        Some(&stale),
        None,
    )
    .await;
    assert_eq!(status, 200);
    // ... every change asks for a fresh sign-in (RFC 9470)
    let app = format!("/api/t/acme/applications/{app_id}");
    let calls: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (
            Method::POST,
            "/api/t/acme/users/alice/reset-factors".into(),
            Some(serde_json::json!({ "reason": "called the helpdesk" })),
        ),
        (
            Method::PATCH,
            app.clone(),
            Some(serde_json::json!({ "redirect_uris": ["https://evil.example/cb"] })),
        ),
        (Method::POST, format!("{app}/secret"), None),
        (Method::DELETE, app.clone(), None),
        (
            Method::POST,
            "/api/t/acme/applications".into(),
            Some(
                serde_json::json!({ "name": "Evil", "redirect_uris": ["https://evil.example/cb"] }),
            ),
        ),
        (
            Method::POST,
            "/api/t/acme/recovery/activation-request".into(),
            Some(serde_json::json!({ "note": "" })),
        ),
    ];
    for (method, path, body) in &calls {
        let mut r = reqwest::Client::new()
            .request(method.clone(), s.url(path))
            .bearer_auth(&stale);
        if let Some(b) = body {
            r = r.json(b);
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status(), 401, "{method} {path}");
        let challenge = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
        assert!(
            challenge.contains("error=\"insufficient_user_authentication\"")
                && challenge.contains("max_age=\"600\""),
            "{challenge}"
        );
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "insufficient_user_authentication");
        assert_eq!(body["max_age"], 600);
    }
    let shop = latchkey_core::client::find(&s.tdb.db, &s.tenant, &app_id)
        .await
        .unwrap();
    assert!(!shop.redirect_uris.iter().any(|u| u.contains("evil")));

    // signed in again: the same change goes through
    let fresh = crate::api::token_for(&s, "root", &tool, "openid latchkey:admin").await;
    let (status, body) = crate::api::call(
        &s,
        Method::POST,
        &format!("{app}/secret"),
        Some(&fresh),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
