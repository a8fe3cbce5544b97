//! The authorization endpoint and consent: what is checked before anything is
//! sent back.

use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    authorization_requests_are_checked_before_anything_is_sent_back,
    third_party_applications_ask_once_and_lose_access_when_removed,
    a_required_set_up_inside_a_sign_in_returns_to_the_application,
    review_the_consent_form_answers_only_its_request_and_checks_the_rest,
    review_state_and_scope_are_returned_exactly,
    confidential_applications_send_pkce_too_unless_marked_legacy,
);

/// ASVS 10.4.6: every application's authorization request carries a
/// `code_challenge` (S256) — confidential ones too — unless an
/// administrator marked a confidential one legacy (decision 0020).
async fn confidential_applications_send_pkce_too_unless_marked_legacy(backend: Backend) {
    use latchkey_core::store::ClientStore;
    let s = TestServer::start(backend).await;
    let (web, secret) = register(&s, app("Web", false, true)).await;
    assert!(secret.is_some(), "confidential");
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let without = authorize_url(
        &s,
        &[
            ("client_id", web.as_str()),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "st"),
        ],
    );
    let r = b.get(&without).send().await.unwrap();
    let answer = query_of(&location(&r));
    assert_eq!(
        answer.get("error").map(String::as_str),
        Some("invalid_request")
    );
    assert!(
        answer["error_description"].contains("PKCE is required"),
        "says how to fix it: {answer:?}"
    );
    assert!(!answer.contains_key("code"));
    let ch = challenge(VERIFIER);
    let with = format!("{without}&code_challenge={ch}&code_challenge_method=S256");
    let r = b.get(&with).send().await.unwrap();
    assert!(
        query_of(&location(&r)).contains_key("code"),
        "{}",
        location(&r)
    );

    // A legacy application, marked by an administrator, may leave it out.
    let db = s.running.state.db();
    let mut client = db
        .client_by_client_id(&s.tenant.id, &web.as_str().into())
        .await
        .unwrap()
        .unwrap();
    assert!(!client.pkce_optional && client.requires_pkce());
    client.pkce_optional = true;
    let now = latchkey_core::platform::clock::Clock::now(&*s.clock);
    assert!(
        db.update_client(&client, &latchkey_core::store::Effects::default(), now)
            .await
            .unwrap()
    );
    let r = b.get(&without).send().await.unwrap();
    assert!(
        query_of(&location(&r)).contains_key("code"),
        "{}",
        location(&r)
    );
}

async fn authorization_requests_are_checked_before_anything_is_sent_back(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (spa, _) = register(&s, app("Single page", true, true)).await;
    let b = browser();
    let base = [
        ("client_id", spa.as_str()),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "s1"),
        (
            "code_challenge",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        ),
        ("code_challenge_method", "S256"),
    ];
    let with = |change: &[(&'static str, &'static str)], drop: &[&str]| {
        let mut pairs: Vec<(&str, &str)> = base
            .iter()
            .filter(|(k, _)| !drop.contains(k) && !change.iter().any(|(c, _)| c == k))
            .cloned()
            .collect();
        pairs.extend_from_slice(change);
        authorize_url(&s, &pairs)
    };

    // Unknown client, unregistered redirect: a page, never a redirect.
    for url in [
        with(&[("client_id", "nobody")], &[]),
        with(&[("redirect_uri", "https://evil.example/cb")], &[]),
        with(&[("redirect_uri", "https://app.example/cb/")], &[]),
        with(&[], &["redirect_uri"]),
        with(&[], &["client_id"]),
    ] {
        let r = b.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 400, "{url}");
        assert!(r.headers().get("location").is_none());
        let body = r.text().await.unwrap();
        assert!(body.contains("cannot be used"), "{body}");
    }

    // Known client and redirect: the error goes back with the state.
    for (url, error) in [
        (
            with(&[("response_type", "token")], &[]),
            "unsupported_response_type",
        ),
        (with(&[], &["response_type"]), "invalid_request"),
        (with(&[("scope", "email")], &[]), "invalid_scope"),
        (
            with(&[], &["code_challenge", "code_challenge_method"]),
            "invalid_request",
        ),
        (
            with(&[("code_challenge_method", "plain")], &[]),
            "invalid_request",
        ),
        (with(&[("code_challenge", "short")], &[]), "invalid_request"),
        (
            with(&[("request", "eyJhbGciOiJub25lIn0.e30.")], &[]),
            "request_not_supported",
        ),
        (with(&[("prompt", "none login")], &[]), "invalid_request"),
        (with(&[("max_age", "-1")], &[]), "invalid_request"),
        (
            with(&[("response_mode", "fragment")], &[]),
            "invalid_request",
        ),
        (with(&[("prompt", "none")], &[]), "login_required"),
        (
            format!("{}&scope=openid", with(&[], &[])),
            "invalid_request",
        ),
    ] {
        let r = b.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 302, "{url}");
        let q = query_of(&location(&r));
        assert_eq!(q.get("error").map(String::as_str), Some(error), "{url}");
        assert_eq!(q["state"], "s1");
        assert!(location(&r).starts_with(REDIRECT));
    }

    // Not signed in: to the sign-in page, which leads back here.
    let r = b
        .get(with(&[("login_hint", "alice")], &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(
        to.starts_with("/t/acme/signin?return_to=/t/acme/authorize%3F"),
        "{to}"
    );
    let (_, page) = get_text(&b, &s.url(&to)).await;
    assert!(
        page.contains("value=\"alice\""),
        "login_hint fills the form"
    );
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    // the sign-in form on its own page has no return_to; go through it
    assert_eq!(r.status(), 303);
    let r = b.get(with(&[], &[])).send().await.unwrap();
    assert_eq!(r.status(), 302, "signed in and first-party: straight back");
    assert!(query_of(&location(&r)).contains_key("code"));

    // prompt=login: the old sign-in is ended and a new one asked, once.
    let r = b
        .get(with(&[("prompt", "login")], &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.contains("latchkey_signed_in_after"), "{to}");
    assert!(!to.contains("prompt%3Dlogin"), "{to}");
    let (_, page) = get_text(&b, &s.url(&to)).await;
    let csrf = csrf_of(&page);
    let return_to = to.split("return_to=").nth(1).unwrap();
    let return_to = url::form_urlencoded::parse(format!("r={return_to}").as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned();
    s.clock.advance(5);
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("login", "alice"),
            ("password", PASSWORD),
            ("csrf", csrf.as_str()),
            ("return_to", return_to.as_str()),
        ])
        .send()
        .await
        .unwrap();
    // After a form the way to an application continues from a page (CSP
    // form-action applies to redirects after a form).
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let back = page
        .split("content=\"0;url=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(back.starts_with("/t/acme/authorize?"), "{back}");
    let r = b.get(s.url(&back)).send().await.unwrap();
    assert_eq!(
        r.status(),
        302,
        "the new sign-in counts: {back} -> {}",
        location(&r)
    );
    assert!(query_of(&location(&r)).contains_key("code"));
}

async fn third_party_applications_ask_once_and_lose_access_when_removed(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (shop, secret) = register(&s, app("Partner shop", false, false)).await;
    let secret = secret.unwrap();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let ask = authorize_url(
        &s,
        &[
            ("client_id", shop.as_str()),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("state", "st"),
            ("code_challenge", &challenge(VERIFIER)),
            ("code_challenge_method", "S256"),
        ],
    );
    let (status, page) = get_text(&b, &ask).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Partner shop") && page.contains("See your email address"),
        "{page}"
    );
    // how long the access lasts (ASVS 10.7.2): its refresh tokens' 30 days
    assert!(
        page.contains(
            "It keeps this access for up to 30 days after each sign-in, unless you take it back."
        ),
        "{page}"
    );
    let request = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    let consent = |decision: &'static str, csrf: String, request: String| {
        let b = b.clone();
        let url = s.url("/t/acme/authorize/consent");
        async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("request", request.as_str()),
                    ("decision", decision),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // without the form's token: refused
    let r = consent("allow", "forged".into(), request.clone()).await;
    assert_eq!(r.status(), 403);
    // deny: the application hears access_denied
    let r = consent("deny", csrf_of(&page), request.clone()).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("error=access_denied"));
    // allow: a code, and next time no question
    let r = consent("allow", csrf_of(&page), request.clone()).await;
    let body = r.text().await.unwrap();
    let code = body
        .split("code=")
        .nth(1)
        .unwrap()
        .split("&#38;")
        .next()
        .unwrap()
        .to_owned();
    let (status, tokens) = redeem(&s, &shop, &secret, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let r = b.get(&ask).send().await.unwrap();
    assert_eq!(r.status(), 302, "remembered");

    // The account page lists it; removing it ends its tokens and asks again.
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("Partner shop"), "{account}");
    let remove = account
        .split("action=\"")
        .find(|a| a.contains("/applications/"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = b
        .post(s.url(&remove))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(!account.contains("Partner shop"));
    let (status, _) = token(
        &s,
        Some((&shop, &secret)),
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(status, 400);
    let (status, page) = get_text(&b, &ask).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"decision\""), "asked again");
}

/// The tenant requires a second factor; alice has none yet and signs in
/// through an application: she sets one up, and the last set-up page leads
/// back to the application's sign-in.
async fn a_required_set_up_inside_a_sign_in_returns_to_the_application(backend: Backend) {
    let s = TestServer::start(backend).await;
    require_second_factors(&s).await;
    let (web, web_secret) = register(&s, app("Web", false, true)).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let ch = challenge(VERIFIER);
    let ask = authorize_url(
        &s,
        &[
            ("client_id", web.as_str()),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "st"),
            ("code_challenge", ch.as_str()),
            ("code_challenge_method", "S256"),
        ],
    );
    // prompt=none cannot set anything up
    let r = b.get(format!("{ask}&prompt=none")).send().await.unwrap();
    assert_eq!(
        query_of(&location(&r)).get("error").map(String::as_str),
        Some("interaction_required")
    );
    let r = b.get(&ask).send().await.unwrap();
    assert_eq!(location(&r), "/t/acme/account/totp");
    let (secret, page) = crate::totp::setup_page(&b, &s).await;
    let r = crate::totp::enrol(&b, &s, &page, &crate::totp::code(&secret, &s)).await;
    // the first recovery codes come with the app; their page leads back
    let (_, codes) = shown_codes(r).await;
    let next = codes
        .split("<p><a href=\"")
        .last()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    assert!(next.starts_with("/t/acme/authorize?"), "{next}");
    let r = b.get(s.url(&next)).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let code = query_of(&location(&r))["code"].clone();
    // The sign-in was the password: the app was bound, not used to sign in
    // (decision 0009), so the application is not told of a second factor.
    let (status, tokens) = redeem(&s, &web, &web_secret.unwrap(), &code).await;
    assert_eq!(status, 200, "{tokens}");
    let claims = id_token_claims(&tokens);
    assert_eq!(claims["amr"], serde_json::json!(["pwd"]), "{claims}");
    assert_eq!(claims["acr"], "1", "{claims}");
    // and afterwards the set-up pages lead to the account again
    let (_, page) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    let codes = r.text().await.unwrap();
    assert!(codes.contains("href=\"/t/acme/account\""));
}

async fn review_the_consent_form_answers_only_its_request_and_checks_the_rest(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (shop, _) = register(&s, app("Shop", false, false)).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    s.clock.advance(300);
    let post = |csrf: String, request: String| {
        let (b, url) = (b.clone(), s.url("/t/acme/authorize/consent"));
        async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("request", request.as_str()),
                    ("decision", "allow"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // a token from another page does not answer a consent form
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let url = ask(&s, &shop, &[("max_age", "0")]);
    let request = format!(
        "/t/acme/authorize?{}",
        url.split_once("/t/acme/authorize?").unwrap().1
    );
    assert_eq!(post(csrf_of(&account), request.clone()).await.status(), 403);
    // nor does the consent page's token for another request
    let (_, page) = get_text(&b, &ask(&s, &shop, &[])).await;
    assert!(page.contains("name=\"decision\""), "{page}");
    assert_eq!(post(csrf_of(&page), request).await.status(), 403);
    // a request that needs a fresh sign-in goes there, even from its own form
    let the_page_request = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    require_second_factors(&s).await;
    let r = post(csrf_of(&page), the_page_request).await;
    assert_eq!(r.status(), 303, "the required set-up first");
    assert!(location(&r).starts_with("/t/acme/authorize?"));
    assert!(!r.text().await.unwrap().contains("code="));
}

async fn review_state_and_scope_are_returned_exactly(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let long = "s".repeat(3000);
    let r = b
        .get(ask(&s, &web, &[]).replace("state=st", &format!("state={long}")))
        .send()
        .await
        .unwrap();
    let q = query_of(&location(&r));
    assert_eq!(q.get("error").map(String::as_str), Some("invalid_request"));
    assert!(!q.contains_key("code") && !q.contains_key("state"));
    let r = b
        .get(format!("{}&state=again", ask(&s, &web, &[])))
        .send()
        .await
        .unwrap();
    assert!(
        !query_of(&location(&r)).contains_key("code"),
        "a repeated state"
    );

    // a refresh that asks for less gets less, and the grant keeps the rest
    let tokens = tokens_via(&s, &b, &web, &secret).await;
    let rt = tokens["refresh_token"].as_str().unwrap();
    let (status, narrow) = token(
        &s,
        Some((&web, &secret)),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("scope", "openid"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(narrow["scope"], "openid");
    let (status, again) =
        refresh_status(&s, &web, &secret, narrow["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(again["scope"], "openid email");
}
