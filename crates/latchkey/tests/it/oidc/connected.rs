//! ASVS 10.4.9: the account page lists every application that holds a
//! person's grant — the tenant's own (first-party, no consent) too — and
//! "Remove access" ends its refresh and access tokens at once.

use latchkey_core::store::AuditStore;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(first_party_applications_are_listed_and_lose_every_token_when_removed,);

/// The form action of the account page's "Remove access" for the one
/// application listed.
fn remove_action(account: &str) -> String {
    account
        .split("action=\"")
        .find(|a| a.contains("/applications/"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

async fn first_party_applications_are_listed_and_lose_every_token_when_removed(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (intranet, secret) = register(&s, app("Intranet", false, true)).await;
    let secret = secret.unwrap();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("No application has access to your account."),
        "{account}"
    );

    // No consent screen: a first-party sign-in holds a grant all the same.
    let code = code_for(&s, &b, &intranet).await;
    let (status, tokens) = redeem(&s, &intranet, &secret, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    // within the access token's ten minutes
    s.clock.advance(60);
    let (status, tokens) = refresh_status(
        &s,
        &intranet,
        &secret,
        tokens["refresh_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let refreshed_access = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(userinfo(&s, &refreshed_access).await, 200);
    assert_eq!(userinfo(&s, &access).await, 200, "the first one stands too");

    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        account.contains(
            "<strong>Intranet</strong> · your organisation&#39;s application · last used"
        ),
        "{account}"
    );
    assert!(!account.contains("allowed on"), "no consent was asked");
    let remove = remove_action(&account);

    // Without the form's token: refused, and nothing ends.
    let r = b
        .post(s.url(&remove))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(userinfo(&s, &refreshed_access).await, 200);

    let r = b
        .post(s.url(&remove))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account?app=removed");
    let (_, account) = get_text(&b, &s.url("/t/acme/account?app=removed")).await;
    assert!(
        account.contains("The application no longer has access to your account."),
        "{account}"
    );
    assert!(!account.contains("<strong>Intranet</strong>"), "{account}");
    assert!(
        account.contains("Access of an application removed"),
        "in the recent security events: {account}"
    );

    // Every token of the grant stops: the refresh token, and the access
    // tokens already issued (checked against their grant).
    let (status, _) = refresh_status(&s, &intranet, &secret, &refresh).await;
    assert_eq!(status, 400);
    assert_eq!(userinfo(&s, &refreshed_access).await, 401);
    assert_eq!(userinfo(&s, &access).await, 401);

    // Audited as the person's own action, naming the application.
    let audit = s.tdb.db.list_audit(&s.tenant.id, 50).await.unwrap();
    let removed = audit
        .iter()
        .find(|e| e.event == "application.access_removed")
        .expect("audited");
    assert_eq!(removed.user_id.as_ref(), Some(&s.alice.id));
    assert!(
        removed.detail.contains("\"name\":\"Intranet\""),
        "{}",
        removed.detail
    );

    // Again (another tab): nothing to remove, said calmly.
    let r = b
        .post(s.url(&remove))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/account?app=gone");

    // The application signs her in again without asking, with a new grant.
    let code = code_for(&s, &b, &intranet).await;
    let (status, _) = redeem(&s, &intranet, &secret, &code).await;
    assert_eq!(status, 200);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("<strong>Intranet</strong>"), "{account}");
}
