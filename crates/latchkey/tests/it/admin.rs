//! The tenant administration console: only for the tenant's administrators;
//! statistics with a chart, the helpdesk reset with a reason, applications.

use latchkey_core::clock::Clock;
use latchkey_core::store::{AuditStore, ClientStore, TotpStore};
use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    administrators_reset_factors_with_a_reason_and_see_the_numbers,
    administrators_register_applications_and_see_the_secret_once,
    administrators_choose_the_second_factor_policy,
);

async fn admin_browser(s: &TestServer) -> reqwest::Client {
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    assert_eq!(r.status(), 303);
    b
}

async fn administrators_reset_factors_with_a_reason_and_see_the_numbers(backend: Backend) {
    let s = TestServer::start(backend).await;
    crate::totp::enrolled(&s).await;
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());

    // Members cannot open the console; signed-out browsers sign in first.
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "alice", PASSWORD).await;
    let (status, _) = get_text(&browser(), &s.url("/t/acme/admin")).await;
    assert_eq!(status, 303);

    let b = admin_browser(&s).await;
    let (status, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<svg class=\"chart\""), "a chart");
    assert!(page.contains("alice") && page.contains("Reset second factors"));
    let action = format!("/t/acme/admin/users/{}/reset-factors", s.alice.id);
    assert!(page.contains(&action));

    // no reason, no reset
    let r = b
        .post(s.url(&action))
        .form(&[("csrf", csrf_of(&page).as_str()), ("reason", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    let error = body
        .split("<p class=\"error\" role=\"alert\">")
        .nth(1)
        .expect("an error message");
    assert!(error.starts_with("reason"), "{error}");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());
    // without the form's token, nothing either
    let r = b
        .post(s.url(&action))
        .form(&[("csrf", "forged"), ("reason", "phone lost")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let r = b
        .post(s.url(&action))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("reason", "phone lost; identity checked by a video call"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/admin?done=reset");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());
    let events = s.tdb.db.list_audit(&s.tenant.id, 100).await.unwrap();
    let reset = events
        .iter()
        .find(|e| e.event == "factors.reset")
        .expect("an audit event");
    assert!(reset.actor.starts_with("admin:"), "{}", reset.actor);
    assert!(reset.detail.contains("video call"), "{}", reset.detail);
    let (_, page) = get_text(&b, &s.url("/t/acme/admin?done=reset")).await;
    assert!(page.contains("were reset"));
    assert!(
        page.contains("resets by the helpdesk</dt><dd>1</dd>"),
        "{page}"
    );

    // A member's browser gets a refusal, also for the reset itself.
    let (status, _) = get_text(&member, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 303, "alice was signed out by the reset");
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "alice", PASSWORD).await;
    let (status, page) = get_text(&member, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 403, "{page}");

    // The reset needs a recent sign-in.
    s.clock.advance(11 * 60);
    let (_, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    let r = b
        .post(s.url(&action))
        .form(&[("csrf", csrf_of(&page).as_str()), ("reason", "again")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        location(&r).starts_with("/t/acme/reauth"),
        "{}",
        location(&r)
    );
}

async fn administrators_register_applications_and_see_the_secret_once(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = admin_browser(&s).await;
    let (_, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    let post = |form: Vec<(&'static str, String)>| {
        let (b, url) = (b.clone(), s.url("/t/acme/admin/applications"));
        async move { b.post(url).form(&form).send().await.unwrap() }
    };
    let csrf = csrf_of(&page);
    let r = post(vec![
        ("csrf", csrf.clone()),
        ("name", "Shop".into()),
        (
            "redirect_uris",
            "https://shop.example/cb\r\nhttp://evil.example/cb".into(),
        ),
        ("kind", "confidential".into()),
    ])
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("plain http"), "{body}");
    assert!(
        s.tdb
            .db
            .list_clients(&s.tenant.id)
            .await
            .unwrap()
            .is_empty()
    );

    let r = post(vec![
        ("csrf", csrf.clone()),
        ("name", "Shop".into()),
        ("redirect_uris", "https://shop.example/cb\r\n".into()),
        ("kind", "confidential".into()),
        ("first_party", "on".into()),
    ])
    .await;
    assert_eq!(r.status(), 200);
    let created = r.text().await.unwrap();
    assert!(created.contains("shown only this once"), "{created}");
    let clients = s.tdb.db.list_clients(&s.tenant.id).await.unwrap();
    assert_eq!(clients.len(), 1);
    assert!(clients[0].first_party && !clients[0].is_public());
    assert!(created.contains(&clients[0].client_id));
    let (_, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert!(page.contains("Shop") && page.contains(&clients[0].client_id));
    assert!(!page.contains("shown only this once"));

    let r = post(vec![
        ("csrf", csrf),
        ("name", "SPA".into()),
        ("redirect_uris", "http://localhost:5173/cb".into()),
        ("kind", "public".into()),
    ])
    .await;
    assert_eq!(r.status(), 200);
    let created = r.text().await.unwrap();
    assert!(
        !created.contains("Client secret"),
        "a public client has none"
    );
    let _ = s.clock.now();
}

async fn administrators_choose_the_second_factor_policy(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = admin_browser(&s).await;
    let (_, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert!(page.contains("value=\"optional\" checked"), "{page}");
    let post = |policy: &'static str, csrf: String| {
        let (b, url) = (b.clone(), s.url("/t/acme/admin/second-factors"));
        async move {
            b.post(url)
                .form(&[("csrf", csrf.as_str()), ("policy", policy)])
                .send()
                .await
                .unwrap()
        }
    };
    let r = post("always", csrf_of(&page)).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("off, optional, required"));
    let r = post("required", csrf_of(&page)).await;
    assert_eq!(location(&r), "/t/acme/admin?done=setup");
    let tenant = latchkey_core::tenant::by_slug(&s.tdb.db, "acme")
        .await
        .unwrap();
    assert_eq!(
        tenant.second_factor,
        latchkey_core::tenant::SecondFactorPolicy::Required
    );
    // the administrator now sets one up before anything else
    let r = b.get(s.url("/t/acme/admin")).send().await.unwrap();
    assert_eq!(location(&r), "/t/acme/account/totp");
}
