//! The tenant administration console: only for the tenant's administrators;
//! statistics with a chart, the helpdesk reset with a reason, applications.

use latchkey_core::platform::clock::Clock;
use latchkey_core::store::{AuditStore, ClientStore, TotpStore};
use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    administrators_reset_factors_with_a_reason_and_see_the_numbers,
    administrators_register_applications_and_see_the_secret_once,
    administrators_choose_the_second_factor_policy,
    administrators_change_rotate_and_remove_applications,
    administrators_see_closed_cases_per_week_by_outcome,
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
    assert!(
        page.contains("href=\"/t/acme/admin/people\""),
        "the console leads to the people"
    );
    let person = format!("/t/acme/admin/people/{}", s.alice.id);
    let (status, page) = get_text(&b, &s.url(&person)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Reset second factors"));
    let action = format!("{person}/reset");
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
        .split("<p class=\"error\" id=\"form-error\" role=\"alert\">")
        .nth(1)
        .expect("an error message");
    assert!(error.starts_with("Reason: is required"), "{error}");
    assert!(
        body.contains("id=\"reason\" name=\"reason\" rows=\"2\" maxlength=\"500\" required aria-invalid=\"true\" aria-describedby=\"form-error\">"),
        "the error points at the reason's field: {body}"
    );
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());
    // without the form's token, nothing either
    let r = b
        .post(s.url(&action))
        .form(&[
            ("csrf", "forged"),
            ("reason", "phone lost"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let r = b
        .post(s.url(&action))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("reason", "phone lost; identity checked by a video call"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{person}?done=reset"));
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());
    let events = s.tdb.db.list_audit(&s.tenant.id, 100).await.unwrap();
    let reset = events
        .iter()
        .find(|e| e.event == "factors.reset")
        .expect("an audit event");
    assert!(
        matches!(reset.actor, latchkey_core::effects::audit::Actor::Admin(_)),
        "{}",
        reset.actor
    );
    assert!(reset.detail.contains("video call"), "{}", reset.detail);
    let (_, page) = get_text(&b, &s.url(&format!("{person}?done=reset"))).await;
    assert!(page.contains("were reset"));
    assert!(
        page.contains("<code>factors.reset</code>"),
        "the person's events"
    );
    let (_, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert!(
        page.contains("resets by the helpdesk</dt><dd>1</dd>"),
        "{page}"
    );

    // A member's browser gets a refusal, also for the people.
    let (status, _) = get_text(&member, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 303, "alice was signed out by the reset");
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "alice", PASSWORD).await;
    let (status, page) = get_text(&member, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 403, "{page}");

    // The reset needs a recent sign-in.
    s.clock.advance(11 * 60);
    let (_, page) = get_text(&b, &s.url(&person)).await;
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
        ("kind", "web".into()),
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
        ("kind", "web".into()),
        ("first_party", "on".into()),
    ])
    .await;
    assert_eq!(r.status(), 200);
    let created = r.text().await.unwrap();
    assert!(created.contains("shown only this once"), "{created}");
    let clients = s.tdb.db.list_clients(&s.tenant.id).await.unwrap();
    assert_eq!(clients.len(), 1);
    assert!(clients[0].first_party && !clients[0].is_public());
    assert!(created.contains(clients[0].client_id.as_str()));
    let (_, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert!(page.contains("Shop") && page.contains(clients[0].client_id.as_str()));
    assert!(!page.contains("shown only this once"));

    // The form's scope boxes: the default ticked; none ticked is said with
    // the rest, and the boxes keep what was ticked; an admin tool is
    // registered with latchkey:admin in one go.
    assert!(
        page.contains("name=\"scope_email\" value=\"on\" checked")
            && !page.contains("name=\"scope_admin\" value=\"on\" checked"),
        "{page}"
    );
    let r = post(vec![
        ("csrf", csrf.clone()),
        ("name", "".into()),
        ("redirect_uris", "https://tool.example/cb".into()),
        ("kind", "web".into()),
        ("scopes_shown", "1".into()),
    ])
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("id=\"app-name-error\"")
            && body.contains("aria-invalid=\"true\" aria-describedby=\"app-scopes-error\"")
            && body.contains("must include openid")
            && !body.contains("name=\"scope_email\" value=\"on\" checked"),
        "{body}"
    );
    let r = post(vec![
        ("csrf", csrf.clone()),
        ("name", "Admin tool".into()),
        ("redirect_uris", "https://tool.example/cb".into()),
        ("kind", "web".into()),
        ("first_party", "on".into()),
        ("scopes_shown", "1".into()),
        ("scope_openid", "on".into()),
        ("scope_admin", "on".into()),
    ])
    .await;
    assert_eq!(r.status(), 200);
    let clients = s.tdb.db.list_clients(&s.tenant.id).await.unwrap();
    let named = |name: &str| clients.iter().find(|c| c.name == name).unwrap();
    assert_eq!(
        named("Admin tool").scopes,
        [
            latchkey_core::oidc::Scope::OpenId,
            latchkey_core::oidc::Scope::Admin
        ]
    );
    assert_eq!(named("Shop").scopes, latchkey_core::oidc::Scope::DEFAULT);

    let r = post(vec![
        ("csrf", csrf),
        ("name", "SPA".into()),
        ("redirect_uris", "http://localhost:5173/cb".into()),
        ("kind", "spa".into()),
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
    let tenant = latchkey_core::tenants::by_slug(&s.tdb.db, "acme")
        .await
        .unwrap();
    assert_eq!(
        tenant.second_factor,
        latchkey_core::tenants::SecondFactorPolicy::Required
    );
    // the administrator now sets one up before anything else
    let r = b.get(s.url("/t/acme/admin")).send().await.unwrap();
    assert_eq!(location(&r), "/t/acme/account/totp");
}

/// The application as stored now (the test's own store would answer
/// from its few-second cache).
async fn stored_app(
    s: &TestServer,
    client_id: &str,
) -> Option<latchkey_core::oidc::client::Client> {
    let all = s.tdb.db.list_clients(&s.tenant.id).await.unwrap();
    all.into_iter().find(|c| c.client_id == client_id)
}

async fn administrators_change_rotate_and_remove_applications(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (client_id, secret) =
        crate::oidc::register(&s, crate::oidc::app("Shop", false, false)).await;
    let secret = secret.unwrap();
    let b = admin_browser(&s).await;
    let page_url = s.url(&format!("/t/acme/admin/applications/{client_id}"));
    let (_, console) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert!(
        console.contains(&format!("/t/acme/admin/applications/{client_id}")),
        "the console links to the settings"
    );
    let (status, page) = get_text(&b, &page_url).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("https://app.example/cb") && page.contains("value=\"10\""),
        "{page}"
    );
    let csrf = csrf_of(&page);
    let form = |name: &str, minutes: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("name", name.to_owned()),
            (
                "redirect_uris",
                "https://app.example/cb\r\nhttps://app.example/cb2".to_owned(),
            ),
            ("post_logout_uris", "https://app.example/bye".to_owned()),
            ("grant_authorization_code", "on".to_owned()),
            ("first_party", "on".to_owned()),
            ("scope_openid", "on".to_owned()),
            ("scope_profile", "on".to_owned()),
            ("access_token_minutes", minutes.to_owned()),
            ("refresh_token_days", "7".to_owned()),
            ("signing_alg", "ES256".to_owned()),
        ]
    };

    // A sign-in more than ten minutes ago is confirmed first.
    s.clock.advance(11 * 60);
    let r = b
        .post(&page_url)
        .form(&form("Evil", "15"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        location(&r).starts_with("/t/acme/reauth"),
        "{}",
        location(&r)
    );
    assert_eq!(stored_app(&s, &client_id).await.unwrap().name, "Shop");
    s.clock.advance(-11 * 60);

    // Bad input: said, kept in the form, nothing stored.
    let r = b
        .post(&page_url)
        .form(&form("Shop 2", "ten"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("is not a whole number"), "{body}");
    assert!(
        body.contains("value=\"Shop 2\"") && body.contains("https://app.example/bye"),
        "{body}"
    );
    let stored = stored_app(&s, &client_id).await.unwrap();
    assert_eq!(stored.name, "Shop");

    // The scopes: each box explained; without openid (or latchkey:admin
    // for an application that is not first-party) said beside them, the
    // boxes kept as ticked.
    assert!(
        page.contains("name=\"scope_email\" value=\"on\" checked")
            && page.contains("<code>offline_access</code> — act for them while they are away"),
        "{page}"
    );
    let mut unticked = form("Shop 2", "15");
    unticked.retain(|(k, _)| *k != "scope_openid" && *k != "first_party");
    unticked.push(("scope_admin", "on".to_owned()));
    let r = b.post(&page_url).form(&unticked).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("aria-invalid=\"true\" aria-describedby=\"app-scopes-error\"")
            && body.contains("must include openid")
            && body.contains(
                "Only one of your own applications (first-party) may have latchkey:admin"
            ),
        "{body}"
    );
    assert!(
        body.contains("name=\"scope_admin\" value=\"on\" checked")
            && body.contains("name=\"scope_profile\" value=\"on\" checked")
            && !body.contains("name=\"scope_openid\" value=\"on\" checked")
            && !body.contains("name=\"scope_email\" value=\"on\" checked"),
        "{body}"
    );
    assert_eq!(
        stored_app(&s, &client_id).await.unwrap().scopes,
        latchkey_core::oidc::Scope::DEFAULT
    );

    let r = b
        .post(&page_url)
        .form(&form("Shop 2", "15"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = get_text(&b, &s.url(&location(&r))).await;
    assert!(page.contains("The application was changed."), "{page}");
    let stored = stored_app(&s, &client_id).await.unwrap();
    assert_eq!(
        (
            stored.name.as_str(),
            stored.access_token_secs,
            stored.refresh_token_secs,
            stored.first_party
        ),
        ("Shop 2", 900, 7 * 86_400, true)
    );
    assert_eq!(stored.redirect_uris.len(), 2);
    assert_eq!(
        stored.scopes,
        [
            latchkey_core::oidc::Scope::OpenId,
            latchkey_core::oidc::Scope::Profile
        ]
    );
    assert_eq!(
        stored.grant_types,
        [latchkey_core::oidc::client::GrantType::AuthorizationCode]
    );
    assert_eq!(
        stored.secret_hash,
        Some(latchkey_core::platform::secret::sha256_hex(
            secret.as_bytes()
        )),
        "the secret stays"
    );

    // A new secret, shown once; the old hash is gone.
    let r = b
        .post(format!("{page_url}/secret"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let shown = r.text().await.unwrap();
    assert!(shown.contains("The old secret no longer works"), "{shown}");
    let stored = stored_app(&s, &client_id).await.unwrap();
    assert_ne!(
        stored.secret_hash,
        Some(latchkey_core::platform::secret::sha256_hex(
            secret.as_bytes()
        ))
    );

    // Without the form's token nothing happens.
    let r = b
        .post(format!("{page_url}/delete"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(stored_app(&s, &client_id).await.is_some());

    // Removal after a sign-in more than ten minutes ago asks for it again.
    s.clock.advance(11 * 60);
    let r = b
        .post(format!("{page_url}/delete"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        location(&r).starts_with("/t/acme/reauth"),
        "{}",
        location(&r)
    );
    assert!(stored_app(&s, &client_id).await.is_some());
    // the console's "Remove application" opens a confirmation, which asks
    // for the recent sign-in first
    let r = b.get(format!("{page_url}/delete")).send().await.unwrap();
    assert_eq!(
        location(&r),
        format!("/t/acme/reauth?return_to=/t/acme/admin/applications/{client_id}/delete")
    );
    s.clock.advance(-11 * 60);
    let (status, confirm) = get_text(&b, &format!("{page_url}/delete")).await;
    assert_eq!(status, 200);
    let name = stored_app(&s, &client_id).await.unwrap().name;
    assert!(
        confirm.contains(&format!("Remove the application “{name}”?")),
        "{confirm}"
    );
    assert!(confirm.contains("signed out of it at once"), "{confirm}");
    assert!(confirm.contains("class=\"danger\""));
    assert!(confirm.contains(&format!("href=\"/t/acme/admin/applications/{client_id}\"")));
    assert!(
        stored_app(&s, &client_id).await.is_some(),
        "looking removes nothing"
    );
    let r = b
        .post(format!("{page_url}/delete"))
        .form(&[("csrf", csrf_of(&confirm).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/admin?done=deleted");
    assert!(stored_app(&s, &client_id).await.is_none());
    let (status, _) = get_text(&b, &page_url).await;
    assert_eq!(status, 404);
}

/// A case of `user` started at `started` and closed as `state` at `closed`
/// (the server's clock moves there and back).
async fn closed_case(
    s: &TestServer,
    user: &latchkey_core::accounts::user::User,
    id: &str,
    state: latchkey_core::recovery::case::CaseState,
    started: latchkey_core::platform::clock::UnixTime,
    closed: latchkey_core::platform::clock::UnixTime,
) {
    use latchkey_core::recovery::case::{CaseFacts, CaseState, RecoveryCase, RecoveryPolicy};
    use latchkey_core::store::RecoveryStore;
    let policy = RecoveryPolicy::of(&s.tenant);
    let case = RecoveryCase {
        id: id.into(),
        tenant_id: s.tenant.id.clone(),
        user_id: Some(user.id.clone()),
        facts: CaseFacts {
            state: CaseState::Started,
            ..CaseFacts::start(started, false, &policy)
        },
        email_key: Some(user.email_key.clone()),
        code_withheld: false,
        code_name: None,
        email_code_hash: None,
        email_code_expires_at: None,
        browser_hash: format!("browser-{id}"),
        cancel_token_hash: None,
        return_to: None,
        updated_at: started,
        version: 1,
        closed_at: None,
    };
    let db = &s.tdb.db;
    db.insert_case(&case, &Default::default(), started)
        .await
        .unwrap();
    let mut moved = case.clone();
    moved.facts.state = state;
    assert!(
        db.update_case(&moved, None, None, &Default::default(), closed)
            .await
            .unwrap()
    );
}

async fn administrators_see_closed_cases_per_week_by_outcome(backend: Backend) {
    use latchkey_core::recovery::case::CaseState;
    let s = TestServer::start(backend).await;
    let now = s.clock.now();
    const DAY: i64 = 86_400;
    // the last week: one completed in an hour, one locked; three weeks
    // before: one cancelled; 13 weeks ago: outside the chart
    let bob = add_user(&s.tdb, &s.clock, &s.tenant, "bob", "bob@acme.example").await;
    let cy = add_user(&s.tdb, &s.clock, &s.tenant, "cy", "cy@acme.example").await;
    let alice = s.alice.clone();
    closed_case(
        &s,
        &alice,
        "w1",
        CaseState::Completed,
        now.plus(-DAY - 3_600),
        now.plus(-DAY),
    )
    .await;
    closed_case(
        &s,
        &bob,
        "w2",
        CaseState::Locked,
        now.plus(-2 * DAY),
        now.plus(-2 * DAY + 60),
    )
    .await;
    closed_case(
        &s,
        &cy,
        "w3",
        CaseState::Cancelled,
        now.plus(-22 * DAY),
        now.plus(-22 * DAY + 60),
    )
    .await;
    closed_case(
        &s,
        &bob,
        "w4",
        CaseState::Completed,
        now.plus(-92 * DAY),
        now.plus(-91 * DAY),
    )
    .await;

    let b = admin_browser(&s).await;
    let (status, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<svg class=\"chart weekly\""), "{page}");
    let table = page
        .split("<table class=\"log weekly\">")
        .nth(1)
        .expect("the weeks as a table")
        .split("</table>")
        .next()
        .unwrap();
    let rows: Vec<&str> = table.matches("<tr><th scope=\"row\">").collect();
    assert_eq!(rows.len(), 12, "{table}");
    assert!(
        table.contains("<td>1</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>\n  </tbody>"),
        "the last week: completed and locked: {table}"
    );
    assert!(
        table.contains("<td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>"),
        "a cancelled case three weeks before: {table}"
    );
    assert!(
        page.contains("median time to complete</dt><dd>60 minutes</dd>"),
        "{page}"
    );
    assert_eq!(table.matches("<td>1</td>").count(), 4, "{table}");

    // In German, French and Italian, no English left.
    for (lang, heading) in [
        ("de", "Woche ab"),
        ("fr", "Semaine du"),
        ("it", "Settimana dal"),
    ] {
        let b = browser_in(lang);
        assert_eq!(
            sign_in(&b, &s.running.url, "acme", "root", PASSWORD)
                .await
                .status(),
            303
        );
        let (status, page) = get_text(&b, &s.url("/t/acme/admin")).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains(heading), "{lang}: {page}");
        assert_no_english(&page, lang);
    }

    // A member is refused.
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "alice", PASSWORD).await;
    let (status, page) = get_text(&member, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 403, "{page}");
    assert!(!page.contains("weekly"), "{page}");
}
