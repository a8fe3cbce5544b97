//! The people in the console: a searched, paged table; a person's page
//! with disable/enable, the role, and the helpdesk reset's confirmation and
//! refusal; CSRF and the role on each.

use latchkey_core::accounts::user::{Role, User, UserStatus};
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::{AuditStore, Effects, TotpStore, UserStore};
use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    people_are_searched_and_paged,
    a_person_is_disabled_enabled_and_given_a_role,
    the_reset_is_confirmed_first_and_refused_with_nothing_to_remove,
    an_administrator_signs_a_person_out_everywhere,
);

/// ASVS 7.4.5: an administrator ends one person's sessions and their
/// applications' tokens, from the console or the command line; not their
/// own (that is the sessions page's).
async fn an_administrator_signs_a_person_out_everywhere(backend: Backend) {
    use crate::oidc::{app, refresh_status, register, tokens_via};
    let s = TestServer::start(backend).await;
    let (shop, secret) = register(&s, app("Shop", false, true)).await;
    let secret = secret.unwrap();
    let alices = browser();
    sign_in(&alices, &s.running.url, "acme", "alice", PASSWORD).await;
    let tokens = tokens_via(&s, &alices, &shop, &secret).await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    let (b, root) = admin_browser(&s).await;
    let person = s.url(&format!("/t/acme/admin/people/{}", s.alice.id));
    let (_, page) = get_text(&b, &person).await;
    assert!(
        page.contains("One browser is signed in to this account.")
            && page.contains("class=\"danger\">Sign out of every browser and application</button>"),
        "{page}"
    );
    let r = b
        .post(format!("{person}/sign-out"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = get_text(&b, &s.url(&location(&r))).await;
    assert!(
        page.contains("The person was signed out of every browser and application."),
        "{page}"
    );
    // her browser and her application are out
    let (status, _) = get_text(&alices, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303);
    assert_eq!(refresh_status(&s, &shop, &secret, &refresh).await.0, 400);
    let audit = s.tdb.db.list_audit(&s.tenant.id, 20).await.unwrap();
    let event = audit.iter().find(|e| e.event == "user.signed_out").unwrap();
    assert_eq!(event.actor.to_string(), format!("admin:{}", root.id));
    // she can sign in again, and her page says who did it
    let again = browser();
    sign_in(&again, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, account) = get_text(&again, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("Signed out everywhere by an administrator — ")
            && account.contains(" · by an administrator</li>"),
        "{account}"
    );
    // not oneself: that is the sessions page's
    let own = s.url(&format!("/t/acme/admin/people/{}", root.id));
    let (_, page) = get_text(&b, &own).await;
    assert!(
        !page.contains("/sign-out\""),
        "no such form on one's own page"
    );
    let r = b
        .post(format!("{own}/sign-out"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let (status, _) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 200, "the administrator is still signed in");
    // the command line does the same
    let o = crate::cli::latchkey(
        &s.tdb.url,
        &["user", "sign-out", "--tenant", "acme", "alice"],
        None,
    );
    assert!(o.status.success(), "{}", crate::cli::err(&o));
    let (status, _) = get_text(&again, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303);
}

async fn admin_browser(s: &TestServer) -> (reqwest::Client, User) {
    let root = add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    assert_eq!(r.status(), 303);
    (b, root)
}

/// `n` more people, `person-000`…, stored directly (no password to hash).
async fn many(s: &TestServer, n: usize) {
    for i in 0..n {
        let name = format!("person-{i:03}");
        let u = User {
            id: new_id(&OsRandom),
            username: name.clone(),
            username_key: name.clone(),
            email: format!("mail{i:03}@example.org"),
            email_key: format!("mail{i:03}@example.org"),
            display_name: format!("Zed Number {i:03}"),
            ..s.alice.clone()
        };
        s.tdb
            .db
            .insert_user(&u, &Effects::default(), s.clock.now())
            .await
            .unwrap();
    }
}

/// The usernames in the table, in order.
fn listed(page: &str) -> Vec<String> {
    page.split("<br><span class=\"muted\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_owned())
        .collect()
}

/// The `href` of the link with `rel`, unescaped.
fn link(page: &str, rel: &str) -> Option<String> {
    let tag = page.split("<a href=\"").find(|a| {
        a.split('>')
            .next()
            .is_some_and(|t| t.contains(&format!("rel=\"{rel}\"")))
    })?;
    Some(
        tag.split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

async fn people_are_searched_and_paged(backend: Backend) {
    let s = TestServer::start(backend).await;
    crate::totp::enrolled(&s).await;
    many(&s, 120).await;
    let (b, _) = admin_browser(&s).await;

    // Everyone, 50 to a page, in username order; the pages follow.
    let (status, page) = get_text(&b, &s.url("/t/acme/admin/people")).await;
    assert_eq!(status, 200, "{page}");
    let first = listed(&page);
    assert_eq!(first.len(), 50);
    assert_eq!(first[0], "alice");
    assert_eq!(first[1], "person-000");
    assert_eq!(link(&page, "prev"), None);
    let next = link(&page, "next").expect("a next page");
    assert_eq!(next, "/t/acme/admin/people?after=person-048");
    let (_, page2) = get_text(&b, &s.url(&next)).await;
    assert_eq!(listed(&page2)[0], "person-049");
    let (_, page3) = get_text(&b, &s.url(&link(&page2, "next").unwrap())).await;
    let third = listed(&page3);
    assert_eq!(third.len(), 22, "alice, 120 people and root: 122");
    assert_eq!(third.last().unwrap(), "root");
    assert_eq!(link(&page3, "next"), None);
    let (_, back) = get_text(&b, &s.url(&link(&page3, "prev").unwrap())).await;
    assert_eq!(listed(&back), listed(&page2), "back a page");

    // The columns: second factors, readiness, last sign-in, state.
    let alice_row = page.split("<tr>").find(|r| r.contains(">alice<")).unwrap();
    assert!(alice_row.contains("authenticator app"), "{alice_row}");
    assert!(alice_row.contains(&format!("/t/acme/admin/people/{}", s.alice.id)));
    assert!(alice_row.contains("active"), "{alice_row}");
    let root_row = page3.split("<tr>").find(|r| r.contains(">root<")).unwrap();
    assert!(!root_row.contains("never"), "root signed in: {root_row}");
    let other = page
        .split("<tr>")
        .find(|r| r.contains(">person-000<"))
        .unwrap();
    assert!(other.contains("none") && other.contains("never"), "{other}");

    // Search: the start of a username, an address or a display name, in
    // any case; kept on the next page's link.
    let search = |q: &'static str| {
        let (b, url) = (b.clone(), s.url("/t/acme/admin/people"));
        async move {
            let r = b.get(url).query(&[("q", q)]).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, page) = search("ALI").await;
    assert_eq!(status, 200);
    assert_eq!(listed(&page), ["alice"]);
    assert!(
        page.contains("value=\"ALI\""),
        "the search stays in its field"
    );
    assert_eq!(listed(&search("mail11").await.1).len(), 10);
    assert_eq!(listed(&search("zed number 10").await.1).len(), 10);
    assert_eq!(
        listed(&search("ice").await.1),
        Vec::<String>::new(),
        "the start only"
    );
    assert!(search("nobody-at-all").await.1.contains("Nobody found."));
    let (_, page) = search("person-").await;
    assert_eq!(
        link(&page, "next").unwrap(),
        "/t/acme/admin/people?q=person-&after=person-049"
    );

    // Bad parameters are named, nothing listed.
    let (status, page) = search(Box::leak("x".repeat(255).into_boxed_str())).await;
    assert_eq!(status, 422);
    assert!(page.contains("Search: is 255 characters long"), "{page}");
    assert!(page.contains("aria-invalid=\"true\""), "{page}");
    let (status, page) = get_text(&b, &s.url("/t/acme/admin/people?after=Not%20A%20Key")).await;
    assert_eq!(status, 422);
    assert!(page.contains("Page: is not a page of this list"), "{page}");

    // Members are refused, signed-out browsers sent to sign in.
    add_user(&s.tdb, &s.clock, &s.tenant, "carl", "carl@example.com").await;
    let member = browser();
    sign_in(&member, &s.running.url, "acme", "carl", PASSWORD).await;
    let (status, _) = get_text(&member, &s.url("/t/acme/admin/people")).await;
    assert_eq!(status, 403);
    let (status, _) = get_text(&browser(), &s.url("/t/acme/admin/people")).await;
    assert_eq!(status, 303);
}

async fn a_person_is_disabled_enabled_and_given_a_role(backend: Backend) {
    let s = TestServer::start(backend).await;
    let bob = add_user(&s.tdb, &s.clock, &s.tenant, "bob", "bob@example.com").await;
    let bobs = browser();
    sign_in(&bobs, &s.running.url, "acme", "bob", PASSWORD).await;
    let (b, root) = admin_browser(&s).await;
    let person = format!("/t/acme/admin/people/{}", bob.id);
    let (status, page) = get_text(&b, &s.url(&person)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<h1>bob</h1>"), "{page}");
    assert!(
        page.contains("Open sessions</dt><dd>1 · last active"),
        "{page}"
    );
    assert!(page.contains("<code>user.created</code>"), "their events");
    assert!(
        page.contains("there is nothing to reset"),
        "bob has no factor"
    );
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let (b, url) = (b.clone(), s.url(&path));
        async move { b.post(url).form(&form).send().await.unwrap() }
    };
    let csrf = csrf_of(&page);

    // Disable: bob is signed out and cannot sign in; audited.
    let forged = post(
        format!("{person}/status"),
        vec![("csrf", "forged".into()), ("status", "disabled".into())],
    )
    .await;
    assert_eq!(forged.status(), 403);
    let r = post(
        format!("{person}/status"),
        vec![("csrf", csrf.clone()), ("status", "disabled".into())],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{person}?done=disabled"));
    let stored = s
        .tdb
        .db
        .user_by_id(&s.tenant.id, &bob.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, UserStatus::Disabled);
    let (status, _) = get_text(&bobs, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "bob's session ended");
    assert_ne!(
        sign_in(&browser(), &s.running.url, "acme", "bob", PASSWORD)
            .await
            .status(),
        303
    );
    let (_, page) = get_text(&b, &s.url(&format!("{person}?done=disabled"))).await;
    assert!(page.contains("The account is disabled"), "{page}");
    assert!(page.contains("Enable the account"));
    let events = s
        .tdb
        .db
        .user_audit(&s.tenant.id, &bob.id, 10)
        .await
        .unwrap();
    let disabled = events.iter().find(|e| e.event == "user.disabled").unwrap();
    assert_eq!(disabled.actor.to_string(), format!("admin:{}", root.id));

    // Enable again.
    let r = post(
        format!("{person}/status"),
        vec![("csrf", csrf.clone()), ("status", "active".into())],
    )
    .await;
    assert_eq!(location(&r), format!("{person}?done=enabled"));
    assert_eq!(
        sign_in(&browser(), &s.running.url, "acme", "bob", PASSWORD)
            .await
            .status(),
        303
    );
    let r = post(
        format!("{person}/status"),
        vec![("csrf", csrf.clone()), ("status", "gone".into())],
    )
    .await;
    assert_eq!(r.status(), 422, "an unknown state is named");

    // The role.
    let r = post(
        format!("{person}/role"),
        vec![("csrf", csrf.clone()), ("role", "owner".into())],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text().await.unwrap().contains("Role: "),
        "the field is named"
    );
    let r = post(
        format!("{person}/role"),
        vec![("csrf", csrf.clone()), ("role", "admin".into())],
    )
    .await;
    assert_eq!(location(&r), format!("{person}?done=role"));
    let stored = s
        .tdb
        .db
        .user_by_id(&s.tenant.id, &bob.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.role, Role::Admin);
    assert!(
        s.tdb
            .db
            .user_audit(&s.tenant.id, &bob.id, 10)
            .await
            .unwrap()
            .iter()
            .any(|e| e.event == "user.role.changed")
    );

    // Not on oneself: no form, and a refusal if posted anyway.
    let own = format!("/t/acme/admin/people/{}", root.id);
    let (_, page) = get_text(&b, &s.url(&own)).await;
    assert!(page.contains("This is your own account"));
    assert!(!page.contains(&format!("{own}/status")));
    let r = post(
        format!("{own}/role"),
        vec![("csrf", csrf.clone()), ("role", "member".into())],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("cannot be changed on your own account")
    );
    let r = post(
        format!("{own}/status"),
        vec![("csrf", csrf.clone()), ("status", "disabled".into())],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(
        s.tdb
            .db
            .user_by_id(&s.tenant.id, &root.id)
            .await
            .unwrap()
            .unwrap()
            .is_admin()
    );

    // Nobody of another tenant, nobody at all.
    let (status, _) = get_text(&b, &s.url("/t/acme/admin/people/no-such-id")).await;
    assert_eq!(status, 404);
    let r = post(
        "/t/acme/admin/people/no-such-id/status".into(),
        vec![("csrf", csrf.clone()), ("status", "disabled".into())],
    )
    .await;
    assert_eq!(r.status(), 404);

    // A member cannot, even with a form of their own.
    let alice = browser();
    sign_in(&alice, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, account) = get_text(&alice, &s.url("/t/acme/account")).await;
    let r = alice
        .post(s.url(&format!("{person}/status")))
        .form(&[("csrf", csrf_of(&account).as_str()), ("status", "disabled")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (status, _) = get_text(&alice, &s.url(&person)).await;
    assert_eq!(status, 403);
    assert!(
        s.tdb
            .db
            .user_by_id(&s.tenant.id, &bob.id)
            .await
            .unwrap()
            .unwrap()
            .is_active()
    );

    // An old sign-in confirms itself first.
    s.clock.advance(11 * 60);
    let r = post(
        format!("{person}/status"),
        vec![("csrf", csrf.clone()), ("status", "disabled".into())],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/t/acme/reauth?return_to=/t/acme/admin/people/"));
}

async fn the_reset_is_confirmed_first_and_refused_with_nothing_to_remove(backend: Backend) {
    let s = TestServer::start(backend).await;
    crate::totp::enrolled(&s).await;
    let (b, _) = admin_browser(&s).await;
    let alices = browser();
    sign_in(&alices, &s.running.url, "acme", "alice", PASSWORD).await;
    let person = format!("/t/acme/admin/people/{}", s.alice.id);
    let (_, page) = get_text(&b, &s.url(&person)).await;
    assert!(page.contains("class=\"card danger-zone\""));
    let csrf = csrf_of(&page);
    let post = |form: Vec<(&'static str, &'static str)>| {
        let (b, url, csrf) = (b.clone(), s.url(&format!("{person}/reset")), csrf.clone());
        async move {
            let mut form: Vec<(&str, &str)> = form;
            form.push(("csrf", csrf.as_str()));
            b.post(url).form(&form).send().await.unwrap()
        }
    };

    // The reason leads to a confirmation naming the person and what goes;
    // nothing is removed yet.
    let r = post(vec![("reason", "lost phone; checked by video call")]).await;
    assert_eq!(r.status(), 200);
    let confirm = r.text().await.unwrap();
    assert!(
        confirm.contains("Reset the second factors of alice (alice)?"),
        "{confirm}"
    );
    assert!(confirm.contains("their authenticator app"), "{confirm}");
    assert!(
        confirm.contains("10 unused recovery codes"),
        "the first set came with her app: {confirm}"
    );
    assert!(confirm.contains("1 open session (signed out)"), "{confirm}");
    assert!(confirm.contains("class=\"danger\""));
    assert!(confirm.contains("name=\"confirm\" value=\"yes\""));
    assert!(confirm.contains("value=\"lost phone; checked by video call\""));
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());
    assert!(
        s.tdb
            .db
            .user_audit(&s.tenant.id, &s.alice.id, 50)
            .await
            .unwrap()
            .iter()
            .all(|e| e.event != "factors.reset")
    );

    // Confirmed: gone, signed out.
    let r = b
        .post(s.url(&format!("{person}/reset")))
        .form(&[
            ("csrf", csrf_of(&confirm).as_str()),
            ("reason", "lost phone; checked by video call"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());
    let (status, _) = get_text(&alices, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303);

    // Again: nothing to remove, said clearly, whether confirmed or not.
    for confirm in ["", "yes"] {
        let r = b
            .post(s.url(&format!("{person}/reset")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("reason", "again"),
                ("confirm", confirm),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(
            page.contains(
                "Person: has no second factor and no recovery codes: there is nothing to reset"
            ),
            "{page}"
        );
    }
    let resets = s
        .tdb
        .db
        .user_audit(&s.tenant.id, &s.alice.id, 50)
        .await
        .unwrap();
    assert_eq!(
        resets.iter().filter(|e| e.event == "factors.reset").count(),
        1
    );
}
