//! The sign-in pages: the happy path, CSRF, clear errors for bad input and
//! unknown tenants, return_to.

use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    sign_in_account_and_sign_out,
    forms_without_a_valid_csrf_token_are_refused,
    unknown_tenants_are_a_clear_404,
    return_to_never_leaves_the_tenant,
    bad_form_input_is_a_clear_400,
    every_signed_in_page_has_sign_out_in_its_header,
);

/// The header's sign-out form of `page`, if it has one: (action, csrf).
fn header_sign_out(page: &str) -> Option<(String, String)> {
    let header = page.split("<header").nth(1)?.split("</header>").next()?;
    let form = header.split("<form method=\"post\" action=\"").nth(1)?;
    let action = form.split('"').next()?.to_owned();
    Some((action, csrf_of(form)))
}

/// ASVS 7.4.4: every page of a signed-in person — the account and its
/// subpages, the admin console — offers "Sign out" in the shared header;
/// pages before sign-in do not.
async fn every_signed_in_page_has_sign_out_in_its_header(backend: Backend) {
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let (_, signin) = get_text(&browser(), &s.url("/t/acme/signin")).await;
    assert_eq!(header_sign_out(&signin), None, "not before sign-in");
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    for path in [
        "/t/acme/account",
        "/t/acme/account/password",
        "/t/acme/account/totp",
        "/t/acme/account/recovery-codes",
        "/t/acme/account/sessions",
        "/t/acme/admin",
        "/t/acme/admin/people",
    ] {
        let (status, page) = get_text(&b, &s.url(path)).await;
        assert_eq!(status, 200, "{path}: {page}");
        let (action, _) = header_sign_out(&page).unwrap_or_else(|| panic!("{path}: {page}"));
        assert_eq!(action, "/t/acme/signout", "{path}");
        assert!(page.contains("<button type=\"submit\" class=\"secondary\">Sign out</button>"));
    }
    // it works, from any of them
    let (_, page) = get_text(&b, &s.url("/t/acme/account/password")).await;
    let (action, csrf) = header_sign_out(&page).unwrap();
    let r = b
        .post(s.url(&action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (status, _) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "signed out");
}

async fn sign_in_account_and_sign_out(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    let base = &s.running.url;

    let r = b.get(s.url("/t/acme/account")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/signin?return_to=/t/acme/account");

    // email, case-insensitively
    let r = sign_in(&b, base, "acme", "ALICE@example.COM", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("latchkey-session-acme="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session_value = cookie.split(';').next().unwrap().to_owned();

    let (status, page) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<strong class=\"username\">alice</strong>"),
        "{page}"
    );
    assert!(page.contains("Acme Corp"));

    // the session is stored hashed
    let token = session_value.split_once('=').unwrap().1;
    assert!(
        latchkey_core::store::SessionStore::session_by_hash(&s.tdb.db, &token.into())
            .await
            .unwrap()
            .is_none()
    );
    let hash = latchkey_core::platform::secret::sha256_hex(token.as_bytes());
    assert!(
        latchkey_core::store::SessionStore::session_by_hash(&s.tdb.db, &hash.clone().into())
            .await
            .unwrap()
            .is_some()
    );

    let csrf = csrf_of(&page);
    let r = b
        .post(s.url("/t/acme/signout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/signin?signed_out=1");
    let (_, page) = get_text(&b, &s.url("/t/acme/signin?signed_out=1")).await;
    assert!(page.contains("You are signed out."));

    let r = b.get(s.url("/t/acme/account")).send().await.unwrap();
    assert_eq!(r.status(), 303, "signed out");
    // replaying the old cookie does not bring the session back
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = replay
        .get(s.url("/t/acme/account"))
        .header("cookie", &session_value)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    // by username too
    let r = sign_in(&b, base, "acme", " Alice ", PASSWORD).await;
    assert_eq!(r.status(), 303);
}

async fn forms_without_a_valid_csrf_token_are_refused(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    // no token at all
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[("login", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // a token for another tenant's form
    let other = latchkey_core::tenants::TenantInput {
        slug: "other".into(),
        display_name: "Other".into(),
        ..Default::default()
    };
    latchkey_core::tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &other,
    )
    .await
    .unwrap();
    let (_, page) = get_text(&b, &s.url("/t/other/signin")).await;
    let foreign = csrf_of(&page);
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("login", "alice"),
            ("password", PASSWORD),
            ("csrf", &foreign),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // a valid token without the cookie it belongs to
    let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
    let token = csrf_of(&page);
    let r = browser()
        .post(s.url("/t/acme/signin"))
        .form(&[("login", "alice"), ("password", PASSWORD), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // sign-out needs the token bound to the session; the pre-sign-in token is not it
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let r = b
        .post(s.url("/t/acme/signout"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        b.get(s.url("/t/acme/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "still signed in"
    );
}

async fn unknown_tenants_are_a_clear_404(backend: Backend) {
    let s = TestServer::start(backend).await;
    for path in [
        "/t/nope/signin",
        "/t/Bad_Slug/signin",
        "/t/nope/account",
        "/t/nope",
    ] {
        let (status, body) = get_text(&browser(), &s.url(path)).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains("There is no such organisation (tenant) here"),
            "{path}: {body}"
        );
    }
    let r = browser()
        .post(s.url("/t/nope/signin"))
        .form(&[("login", "a")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let (status, _) = get_text(&browser(), &s.url("/no/such/page")).await;
    assert_eq!(status, 404);
}

async fn return_to_never_leaves_the_tenant(backend: Backend) {
    let s = TestServer::start(backend).await;
    for (return_to, expected) in [
        ("/t/acme/account", "/t/acme/account"),
        ("https://evil.example/", "/t/acme/account"),
        ("//evil.example/t/acme/", "/t/acme/account"),
        ("/t/acme//evil.example", "/t/acme/account"),
        ("/t/other/account", "/t/acme/account"),
    ] {
        let b = browser();
        let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
        let r = b
            .post(s.url("/t/acme/signin"))
            .form(&[
                ("login", "alice"),
                ("password", PASSWORD),
                ("csrf", &csrf_of(&page)),
                ("return_to", return_to),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), expected, "{return_to}");
    }
}

async fn bad_form_input_is_a_clear_400(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    let (_, page) = get_text(&b, &s.url("/t/acme/signin")).await;
    let csrf = csrf_of(&page);
    let long = "x".repeat(2000);
    for (login, password, expected) in [
        (
            "",
            PASSWORD,
            "Enter your username or email and your password.",
        ),
        (
            "alice",
            "",
            "Enter your username or email and your password.",
        ),
        (
            "alice",
            long.as_str(),
            "The password is too long (at most 1024 bytes).",
        ),
    ] {
        let r = b
            .post(s.url("/t/acme/signin"))
            .form(&[("login", login), ("password", password), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains(expected));
    }
    // a body over the limit is refused without reaching the handler
    let huge = "a".repeat(200 * 1024);
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[("login", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    // malformed form encoding (a new connection: the server may close the one
    // whose oversized body it refused)
    let r = browser()
        .post(s.url("/t/acme/signin"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(r.status() == 400 || r.status() == 403, "{}", r.status());
}
