//! The OpenID Connect provider over HTTP: what reaches the application and
//! what each wrong request gets (RFC 6749, 7009, 7636, 7662; OIDC Core).
//! The happy paths with a real relying-party library are in
//! `openid_client_accepts_latchkey` (Node's openid-client in Chromium).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::oidc::client::{self, ClientInput};
use latchkey_core::platform::clock::{Clock, UnixTime};
use latchkey_core::platform::random::OsRandom;
use latchkey_store::Backend;
use sha2::Digest;

use crate::helpers::*;

on_both_backends!(
    authorization_requests_are_checked_before_anything_is_sent_back,
    codes_are_single_use_and_bound_to_client_redirect_and_verifier,
    the_token_endpoint_answers_bad_requests_with_rfc_errors,
    tokens_end_with_sign_out_and_with_a_factor_reset,
    third_party_applications_ask_once_and_lose_access_when_removed,
    a_required_set_up_inside_a_sign_in_returns_to_the_application,
    the_openidconnect_crate_accepts_latchkey,
    private_key_jwt_clients_sign_their_own_assertions,
    review_a_get_ends_no_session_and_a_replaced_session_ends_its_tokens,
    review_the_consent_form_answers_only_its_request_and_checks_the_rest,
    review_retired_keys_and_other_token_types_are_not_trusted,
    review_codes_die_with_their_sign_in_and_belong_to_their_client,
    review_state_and_scope_are_returned_exactly,
    an_rs256_application_gets_rsa_signed_tokens,
    single_page_applications_may_call_the_token_endpoints_cross_origin,
);

pub(crate) const REDIRECT: &str = "https://app.example/cb";
pub(crate) const VERIFIER: &str = "a-verifier-that-is-long-enough-for-pkce-0123456789";

pub(crate) fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Acme now requires second factors.
async fn require_second_factors(s: &TestServer) {
    latchkey_core::tenants::update_settings(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &s.tenant,
        &latchkey_core::tenants::SettingsInput {
            second_factor: Some("required".into()),
            ..Default::default()
        },
        "test",
    )
    .await
    .unwrap();
}

/// The test server's deployment key.
pub(crate) fn test_secrets() -> latchkey_core::platform::crypto::SecretBox {
    latchkey_core::platform::crypto::SecretBox::new(
        &<[u8; 32]>::try_from((0u8..32).collect::<Vec<_>>()).unwrap(),
    )
}

/// Registers an application in `acme`: (client_id, secret).
pub(crate) async fn register(s: &TestServer, input: ClientInput) -> (String, Option<String>) {
    let (c, secret) = client::create(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &test_secrets(),
        &s.tenant,
        &input,
        "test",
    )
    .await
    .unwrap();
    (c.client_id, secret.map(|t| t.expose().to_owned()))
}

pub(crate) fn app(name: &str, public: bool, first_party: bool) -> ClientInput {
    ClientInput {
        name: name.into(),
        redirect_uris: vec![REDIRECT.into()],
        post_logout_uris: vec!["https://app.example/bye".into()],
        grant_types: vec!["authorization_code".into(), "refresh_token".into()],
        public,
        first_party,
        ..Default::default()
    }
}

pub(crate) fn authorize_url(s: &TestServer, pairs: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    s.url(&format!("/t/acme/authorize?{query}"))
}

pub(crate) fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A code for `client_id` in a browser signed in as alice.
async fn code_for(s: &TestServer, b: &reqwest::Client, client_id: &str) -> String {
    let r = b
        .get(ask(s, client_id, &[("nonce", "n1")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "{}", r.text().await.unwrap());
    let q = query_of(&location(&r));
    assert_eq!(q["state"], "st");
    assert_eq!(q["iss"], s.url("/t/acme"));
    q["code"].clone()
}

async fn token(
    s: &TestServer,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let mut req = reqwest::Client::new()
        .post(s.url("/t/acme/token"))
        .form(form);
    if let Some((id, secret)) = basic {
        req = req.basic_auth(id, Some(secret));
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    if status != 200 {
        assert_eq!(
            r.headers().get("cache-control").unwrap(),
            "no-store",
            "token errors are not cached either"
        );
    }
    (status, r.json().await.unwrap_or_default())
}

pub(crate) async fn redeem(
    s: &TestServer,
    id: &str,
    secret: &str,
    code: &str,
) -> (u16, serde_json::Value) {
    token(
        s,
        Some((id, secret)),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

async fn userinfo(s: &TestServer, access: &str) -> u16 {
    reqwest::Client::new()
        .get(s.url("/t/acme/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
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

async fn codes_are_single_use_and_bound_to_client_redirect_and_verifier(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let (other, other_secret) = register(&s, app("Other", false, true)).await;
    let other_secret = other_secret.unwrap();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;

    let code = code_for(&s, &b, &web).await;
    // wrong verifier, redirect, client: refused, the code survives
    for form in [
        [
            (
                "code_verifier",
                "b-verifier-that-is-long-enough-for-pkce-0123456789",
            ),
            ("redirect_uri", REDIRECT),
        ],
        [
            ("code_verifier", VERIFIER),
            ("redirect_uri", "https://app.example/other"),
        ],
    ] {
        let mut full = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
        ];
        full.extend_from_slice(&form);
        let (status, body) = token(&s, Some((&web, &secret)), &full).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant")),
            "{body}"
        );
    }
    let (status, body) = redeem(&s, &other, &other_secret, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body) = redeem(&s, &web, "wrong-secret", &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );

    let (status, tokens) = redeem(&s, &web, &secret, &code).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let id_token = tokens["id_token"].as_str().unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(id_token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["nonce"], "n1");
    assert_eq!(claims["aud"], web.as_str());
    assert_eq!(claims["sub"], s.alice.id.as_str());
    assert_eq!(claims["email"], "Alice@Example.com");
    assert!(claims.get("name").is_none(), "no profile scope, no name");
    assert_eq!(userinfo(&s, &access).await, 200);

    // A replayed code fails and revokes what it gave.
    let (status, body) = redeem(&s, &web, &secret, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(userinfo(&s, &access).await, 401);
    let (status, _) = token(
        &s,
        Some((&web, &secret)),
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(status, 400);

    // Codes live a minute.
    let late = code_for(&s, &b, &web).await;
    s.clock.advance(61);
    let (status, body) = redeem(&s, &web, &secret, &late).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("expired")
    );

    // 50 concurrent redemptions of one code: exactly one gets tokens.
    let code = code_for(&s, &b, &web).await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (url, web, secret, code) = (
                s.url("/t/acme/token"),
                web.clone(),
                secret.clone(),
                code.clone(),
            );
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .basic_auth(web, Some(secret))
                    .form(&[
                        ("grant_type", "authorization_code"),
                        ("code", code.as_str()),
                        ("redirect_uri", REDIRECT),
                        ("code_verifier", VERIFIER),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
}

async fn the_token_endpoint_answers_bad_requests_with_rfc_errors(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let mut m = app("Machine", false, true);
    m.grant_types = vec!["client_credentials".into()];
    m.redirect_uris = vec![];
    let (machine, machine_secret) = register(&s, m).await;
    let machine_secret = machine_secret.unwrap();

    type Case<'a> = (
        Option<(&'a str, &'a str)>,
        Vec<(&'a str, &'a str)>,
        u16,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (Some((&web, &secret)), vec![], 400, "invalid_request"),
        (
            Some((&web, &secret)),
            vec![("grant_type", "password")],
            400,
            "unsupported_grant_type",
        ),
        (
            Some((&web, &secret)),
            vec![("grant_type", "authorization_code")],
            400,
            "invalid_request",
        ),
        (
            Some((&web, &secret)),
            vec![
                ("grant_type", "authorization_code"),
                ("code", "x"),
                ("code", "y"),
            ],
            400,
            "invalid_request",
        ),
        (
            Some((&web, &secret)),
            vec![("grant_type", "authorization_code"), ("code", "not-a-code")],
            400,
            "invalid_grant",
        ),
        (
            Some(("nobody", "x")),
            vec![("grant_type", "client_credentials")],
            401,
            "invalid_client",
        ),
        (
            None,
            vec![("grant_type", "client_credentials")],
            401,
            "invalid_client",
        ),
        (
            None,
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", &machine),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."),
            ],
            401,
            "invalid_client",
        ),
        (
            Some((&machine, &machine_secret)),
            vec![
                ("grant_type", "client_credentials"),
                ("client_secret", "again"),
            ],
            400,
            "invalid_request",
        ),
        (
            Some((&web, &secret)),
            vec![("grant_type", "client_credentials")],
            400,
            "unauthorized_client",
        ),
        (
            Some((&machine, &machine_secret)),
            vec![("grant_type", "client_credentials"), ("scope", "admin")],
            400,
            "invalid_scope",
        ),
        (
            Some((&web, &secret)),
            vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", "unknown"),
            ],
            400,
            "invalid_grant",
        ),
    ];
    for (auth, form, status, error) in cases {
        let (got, body) = token(&s, auth, &form).await;
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(error)),
            "{form:?}: {body}"
        );
        assert!(body["error_description"].is_string());
    }

    // client_secret_post works as well as Basic
    let (status, body) = token(
        &s,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &machine),
            ("client_secret", &machine_secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());

    // Not a form, or far too large: refused without a crash.
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/token"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // (over the 64 KiB limit, but small enough to be sent whole before the
    // server answers: a larger body races the early 413 and the client may
    // see its upload cut off instead)
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/token"))
        .form(&[("grant_type", "x".repeat(100 * 1024))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);

    // Userinfo: no token, a forged token, a machine token.
    assert_eq!(userinfo(&s, "").await, 401);
    let forged = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(format!(r#"{{"iss":"{}","sub":"x"}}"#, s.url("/t/acme")))
    );
    assert_eq!(userinfo(&s, &forged).await, 401);
    let machine_token = body["access_token"].as_str().unwrap();
    assert_eq!(userinfo(&s, machine_token).await, 403);

    // Introspection needs a confidential client; unknown tokens are inactive.
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/introspect"))
        .basic_auth(&web, Some(&secret))
        .form(&[("token", "whatever")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["active"],
        false
    );
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/introspect"))
        .form(&[("token", machine_token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // revocation of an unknown token: 200, as RFC 7009 says
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/revoke"))
        .basic_auth(&web, Some(&secret))
        .form(&[("token", "whatever")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Discovery lists only endpoints that exist.
    let (status, body) = get_text(
        &browser(),
        &s.url("/t/acme/.well-known/openid-configuration"),
    )
    .await;
    assert_eq!(status, 200);
    let d: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(d["issuer"], s.url("/t/acme"));
    for endpoint in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "revocation_endpoint",
        "introspection_endpoint",
        "end_session_endpoint",
    ] {
        let url = d[endpoint].as_str().unwrap();
        let r = reqwest::Client::new().get(url).send().await.unwrap();
        assert_ne!(r.status(), 404, "{endpoint}");
    }
}

async fn tokens_end_with_sign_out_and_with_a_factor_reset(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let refresh_with = |token: String| {
        let (url, web, secret) = (s.url("/t/acme/token"), web.clone(), secret.clone());
        async move {
            reqwest::Client::new()
                .post(url)
                .basic_auth(web, Some(secret))
                .form(&[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };

    // Sign-out ends the refresh tokens of that sign-in.
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let code = code_for(&s, &b, &web).await;
    let (_, tokens) = redeem(&s, &web, &secret, &code).await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/signout"))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(refresh_with(refresh).await, 400);

    // A helpdesk reset (the recovery completion's transaction) ends them too.
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let code = code_for(&s, &b, &web).await;
    let (_, tokens) = redeem(&s, &web, &secret, &code).await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(userinfo(&s, &access).await, 200);
    let secrets = latchkey_core::platform::crypto::SecretBox::new(&[0; 32]);
    let env = latchkey_core::Env {
        store: &s.tdb.db,
        worker: &(),
        clock: &*s.clock,
        random: &OsRandom,
        public_url: &s.running.url,
        secrets: &secrets,
    };
    latchkey_core::recovery::journey::helpdesk_reset(
        &env,
        &s.tenant,
        &s.alice,
        "admin:test",
        "lost phone, identity checked by video call",
        &latchkey_core::effects::audit::RequestMeta::default(),
    )
    .await
    .unwrap();
    assert_eq!(userinfo(&s, &access).await, 401);
    assert_eq!(refresh_with(refresh).await, 400);

    // Access tokens expire.
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let code = code_for(&s, &b, &web).await;
    let (_, tokens) = redeem(&s, &web, &secret, &code).await;
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    s.clock.set(UnixTime(s.clock.now().0 + 600));
    assert_eq!(userinfo(&s, &access).await, 401);
}

/// The whole suite of the certified Node library, unmodified.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_accepts_latchkey() {
    let s = TestServer::start(Backend::Sqlite).await;
    // openid-client checks iat/exp against the real clock
    s.clock
        .set(latchkey_core::platform::clock::SystemClock.now());
    // The application (a tiny server in the script) gets a free port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app_origin = format!("http://127.0.0.1:{port}");
    let redirect = format!("{app_origin}/cb");
    let bye = format!("{app_origin}/bye");
    let input = |name: &str, public: bool| ClientInput {
        name: name.into(),
        redirect_uris: vec![redirect.clone()],
        post_logout_uris: vec![bye.clone()],
        public,
        ..Default::default()
    };
    let (confidential, secret) = register(&s, input("Web shop", false)).await;
    let (public, _) = register(&s, input("Single page", true)).await;
    let mut m = input("Machine", false);
    m.grant_types = vec!["client_credentials".into()];
    m.redirect_uris = vec![];
    let (machine, machine_secret) = register(&s, m).await;
    // a service with its own key (private_key_jwt)
    let (keyed, pkcs8) = {
        use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let p = pair.public_key().as_ref();
        let mut k = input("Keyed service", false);
        k.grant_types = vec!["client_credentials".into()];
        k.redirect_uris = vec![];
        k.jwks = Some(
            serde_json::json!({"keys": [{
                "kty": "EC", "crv": "P-256", "kid": "svc-1",
                "x": URL_SAFE_NO_PAD.encode(&p[1..33]), "y": URL_SAFE_NO_PAD.encode(&p[33..65]),
            }]})
            .to_string(),
        );
        let (id, _) = register(&s, k).await;
        (
            id,
            base64::engine::general_purpose::STANDARD.encode(pkcs8.as_ref()),
        )
    };
    let cfg = serde_json::json!({
        "app": app_origin,
        "redirect": redirect,
        "post_logout": bye,
        "username": "alice",
        "email": "Alice@Example.com",
        "password": PASSWORD,
        "confidential": { "id": confidential, "secret": secret },
        "public": { "id": public },
        "machine": { "id": machine, "secret": machine_secret },
        "keyed": { "id": keyed, "kid": "svc-1", "pkcs8": pkcs8 },
        "rotate": [env!("CARGO_BIN_EXE_latchkey"), "keys", "rotate", "--tenant", "acme", "--database-url", s.tdb.url],
        "rotate_env": { "LATCHKEY_SECURITY_SECRET_KEY": SECRET_KEY },
    });
    crate::browser::run_script("oidc.mjs", &[&s.running.url, "acme", &cfg.to_string()]).await;
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
    let (web, _) = register(&s, app("Web", false, true)).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let ask = authorize_url(
        &s,
        &[
            ("client_id", web.as_str()),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "st"),
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
    assert_eq!(location(&r), "/t/acme/account/recovery-codes");
    let (_, page) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    let codes = r.text().await.unwrap();
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
    assert!(query_of(&location(&r)).contains_key("code"));
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

/// A second, independent relying-party library: the Rust `openidconnect`
/// crate, unmodified (it is told to accept ES256, which latchkey's
/// discovery names).
async fn the_openidconnect_crate_accepts_latchkey(backend: Backend) {
    use openidconnect::core::{
        CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata,
        CoreUserInfoClaims,
    };
    use openidconnect::{
        AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IntrospectionUrl,
        IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, RevocationUrl,
        Scope, TokenIntrospectionResponse, TokenResponse,
    };
    let s = TestServer::start(backend).await;
    s.clock
        .set(latchkey_core::platform::clock::SystemClock.now());
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let issuer = IssuerUrl::new(s.url("/t/acme")).unwrap();
    let meta = CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .expect("discovery validates");
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(web.clone()),
        Some(ClientSecret::new(secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap())
    .set_revocation_url(RevocationUrl::new(s.url("/t/acme/revoke")).unwrap())
    .set_introspection_url(IntrospectionUrl::new(s.url("/t/acme/introspect")).unwrap());

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let r = b.get(url.as_str()).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let q = query_of(&location(&r));
    assert_eq!(&q["state"], state.secret());

    let tokens = client
        .exchange_code(AuthorizationCode::new(q["code"].clone()))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    let check = client
        .id_token_verifier()
        .set_allowed_algs(vec![CoreJwsSigningAlgorithm::EcdsaP256Sha256]);
    let claims = id_token
        .claims(&check, &nonce)
        .expect("the ID token verifies");
    assert_eq!(claims.subject().as_str(), s.alice.id);
    assert_eq!(
        claims.email().map(|e| e.as_str()),
        Some("Alice@Example.com")
    );
    let at_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&check).unwrap(),
    )
    .unwrap();
    assert_eq!(claims.access_token_hash(), Some(&at_hash));
    // a wrong nonce is caught by the library
    assert!(
        id_token
            .claims(&check, &Nonce::new("other".into()))
            .is_err()
    );

    let info: CoreUserInfoClaims = client
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http)
        .await
        .expect("userinfo");
    assert_eq!(info.subject().as_str(), s.alice.id);
    assert_eq!(info.preferred_username().map(|u| u.as_str()), Some("alice"));

    let first = tokens.refresh_token().unwrap().clone();
    let refreshed = client
        .exchange_refresh_token(&first)
        .unwrap()
        .request_async(&http)
        .await
        .expect("refresh");
    let second = refreshed.refresh_token().unwrap().clone();
    assert_ne!(first.secret(), second.secret());
    assert!(
        client
            .exchange_refresh_token(&first)
            .unwrap()
            .request_async(&http)
            .await
            .is_err(),
        "reuse is refused"
    );
    assert!(
        client
            .exchange_refresh_token(&second)
            .unwrap()
            .request_async(&http)
            .await
            .is_err(),
        "and ends the family"
    );

    // a new sign-in; introspection, then revocation
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, _, _) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge)
        .url();
    let r = b.get(url.as_str()).send().await.unwrap();
    let code = query_of(&location(&r))["code"].clone();
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .unwrap();
    let seen = client
        .introspect(tokens.access_token())
        .request_async(&http)
        .await
        .expect("introspection");
    assert!(seen.active());
    // The oauth2 crate sends revocations only over https (RFC 7009 asks for
    // TLS), so this test revokes by hand; openid-client's suite uses its own.
    assert!(matches!(
        client.revoke_token(tokens.refresh_token().unwrap().into()),
        Err(openidconnect::ConfigurationError::InsecureUrl(_))
    ));
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/revoke"))
        .basic_auth(&web, Some(&secret))
        .form(&[("token", tokens.refresh_token().unwrap().secret().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let seen = client
        .introspect(tokens.access_token())
        .request_async(&http)
        .await
        .unwrap();
    assert!(!seen.active());
}

fn sign_assertion(
    pair: &ring::signature::EcdsaKeyPair,
    header: &str,
    claims: &serde_json::Value,
) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = pair
        .sign(&ring::rand::SystemRandom::new(), input.as_bytes())
        .unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()))
}

async fn private_key_jwt_clients_sign_their_own_assertions(backend: Backend) {
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
    let s = TestServer::start(backend).await;
    let rng = ring::rand::SystemRandom::new();
    let keypair = |rng: &ring::rand::SystemRandom| {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, rng).unwrap();
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), rng).unwrap()
    };
    let pair = keypair(&rng);
    let stranger = keypair(&rng);
    let p = pair.public_key().as_ref();
    let jwks = serde_json::json!({"keys": [{
        "kty": "EC", "crv": "P-256", "kid": "svc-1", "use": "sig",
        "x": URL_SAFE_NO_PAD.encode(&p[1..33]), "y": URL_SAFE_NO_PAD.encode(&p[33..65]),
    }]});
    let mut input = app("Service", false, true);
    input.grant_types = vec!["client_credentials".into()];
    input.redirect_uris = vec![];
    input.jwks = Some(jwks.to_string());
    let (id, secret) = register(&s, input).await;
    assert!(secret.is_none(), "keys instead of a secret");

    let now = s.clock.now().0;
    let claims = |jti: &str| {
        serde_json::json!({
            "iss": id, "sub": id, "aud": s.url("/t/acme/token"),
            "exp": now + 60, "iat": now, "jti": jti,
        })
    };
    let header = r#"{"alg":"ES256","kid":"svc-1"}"#;
    let with = |assertion: String| {
        vec![
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            (
                "client_assertion_type".to_owned(),
                latchkey_core::oidc::assertion::JWT_BEARER.to_owned(),
            ),
            ("client_assertion".to_owned(), assertion),
        ]
    };
    let post = |form: Vec<(String, String)>| {
        let url = s.url("/t/acme/token");
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .form(&form)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (
                status,
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let good = sign_assertion(&pair, header, &claims("one"));
    let (status, body) = post(with(good.clone())).await;
    assert_eq!(status, 200, "{body}");
    // replayed
    let (status, body) = post(with(good)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("used before")
    );
    // another key, alg none, another audience, too long a life
    let forged = sign_assertion(&stranger, header, &claims("two"));
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(claims("three").to_string())
    );
    let mut elsewhere = claims("four");
    elsewhere["aud"] = "https://other.example/token".into();
    let mut long = claims("five");
    long["exp"] = (now + 3600).into();
    for bad in [
        forged,
        none,
        sign_assertion(&pair, header, &elsewhere),
        sign_assertion(&pair, header, &long),
    ] {
        let (status, body) = post(with(bad)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client")),
            "{body}"
        );
    }
    // a keys client cannot fall back to naming itself
    let (status, _) = post(vec![
        ("grant_type".into(), "client_credentials".into()),
        ("client_id".into(), id.clone()),
    ])
    .await;
    assert_eq!(status, 401);
    // a wrong assertion type
    let mut wrong_type = with(sign_assertion(&pair, header, &claims("six")));
    wrong_type[1].1 = "urn:example:other".into();
    assert_eq!(post(wrong_type).await.0, 401);

    // Registration refuses private keys and public clients with keys.
    let mut bad = app("Leaky", false, true);
    bad.jwks = Some(
        serde_json::json!({"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "d": "secret"}]})
            .to_string(),
    );
    let err = client::create(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &test_secrets(),
        &s.tenant,
        &bad,
        "test",
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("private key"), "{err}");
}

// Regression tests for the findings of the helper review of the OIDC work.

fn ask(s: &TestServer, client: &str, extra: &[(&str, &str)]) -> String {
    let ch = challenge(VERIFIER);
    let mut p: Vec<(&str, &str)> = vec![
        ("client_id", client),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid email"),
        ("state", "st"),
        ("code_challenge", &ch),
        ("code_challenge_method", "S256"),
    ];
    p.extend_from_slice(extra);
    authorize_url(s, &p)
}

pub(crate) async fn refresh_status(
    s: &TestServer,
    id: &str,
    secret: &str,
    rt: &str,
) -> (u16, serde_json::Value) {
    token(
        s,
        Some((id, secret)),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
    )
    .await
}

pub(crate) async fn tokens_via(
    s: &TestServer,
    b: &reqwest::Client,
    id: &str,
    secret: &str,
) -> serde_json::Value {
    let r = b.get(ask(s, id, &[])).send().await.unwrap();
    let code = query_of(&location(&r))["code"].clone();
    let (status, tokens) = redeem(s, id, secret, &code).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

async fn review_a_get_ends_no_session_and_a_replaced_session_ends_its_tokens(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let tokens = tokens_via(&s, &b, &web, &secret).await;
    let rt = tokens["refresh_token"].as_str().unwrap().to_owned();
    // any site can send the browser here: it must not sign anyone out
    let r = b
        .get(ask(&s, &web, &[("prompt", "login")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("fresh=1"));
    let (status, _) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "still signed in");
    // the new sign-in replaces the session, and its tokens end with it
    s.clock.advance(5);
    let (_, page) = get_text(&b, &s.url("/t/acme/signin?fresh=1")).await;
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("login", "alice"),
            ("password", PASSWORD),
            ("csrf", csrf_of(&page).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(refresh_status(&s, &web, &secret, &rt).await.0, 400);
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

async fn review_retired_keys_and_other_token_types_are_not_trusted(backend: Backend) {
    let s = TestServer::start(backend).await;
    let mut input = app("M2M", false, true);
    input.grant_types = vec!["client_credentials".into()];
    input.redirect_uris = vec![];
    let (m2m, msecret) = register(&s, input).await;
    let msecret = msecret.unwrap();
    get_text(&browser(), &s.url("/t/acme/jwks")).await;
    let secrets = latchkey_core::platform::crypto::SecretBox::new(
        &<[u8; 32]>::try_from((0u8..32).collect::<Vec<_>>()).unwrap(),
    );
    use latchkey_core::store::SigningKeyStore;
    let old =
        latchkey_core::oidc::signing::active(&s.tdb.db.signing_keys(&s.tenant.id).await.unwrap())
            .unwrap()
            .clone();
    latchkey_core::oidc::signing::rotate(
        &s.tdb.db,
        &s.tenant.id,
        &OsRandom,
        &secrets,
        s.clock.now(),
    )
    .await
    .unwrap();
    s.clock.advance(30 * 24 * 3600);
    let now = s.clock.now().0;
    let forged = latchkey_core::oidc::signing::Signer::open(&old, &secrets)
        .unwrap()
        .sign_typed(
            "at+jwt",
            &serde_json::json!({"iss": s.url("/t/acme"), "sub": "anyone", "aud": m2m, "client_id": m2m,
                "iat": now, "exp": now + 3600, "jti": "x", "scope": "admin"}),
        )
        .unwrap();
    let introspect = |token: String| {
        let (url, id, secret) = (s.url("/t/acme/introspect"), m2m.clone(), msecret.clone());
        async move {
            reqwest::Client::new()
                .post(url)
                .basic_auth(id, Some(secret))
                .form(&[("token", token.as_str())])
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        introspect(forged).await["active"],
        false,
        "a key retired long ago"
    );

    // An access token is no ID token: it cannot sign anyone out quietly.
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let tokens = tokens_via(&s, &b, &web, &secret.unwrap()).await;
    let access = tokens["access_token"].as_str().unwrap();
    let (status, _) = get_text(
        &b,
        &s.url(&format!("/t/acme/end_session?id_token_hint={access}")),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "still signed in");
    // and an ID token is no access token
    let id_token = tokens["id_token"].as_str().unwrap();
    assert_eq!(userinfo(&s, id_token).await, 401);
}

async fn review_codes_die_with_their_sign_in_and_belong_to_their_client(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (web, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    // signed out between the code and its redemption
    let r = b.get(ask(&s, &web, &[])).send().await.unwrap();
    let code = query_of(&location(&r))["code"].clone();
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    b.post(s.url("/t/acme/signout"))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    let (status, body) = redeem(&s, &web, &secret, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // a used code replayed at another tenant revokes nothing
    let other = latchkey_core::tenants::create(
        &s.tdb.db,
        &*s.clock,
        &OsRandom,
        &latchkey_core::tenants::TenantInput {
            slug: "other".into(),
            display_name: "Other".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (evil, _) = client::create(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &test_secrets(),
        &other,
        &app("Evil", true, true),
        "test",
    )
    .await
    .unwrap();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let r = b.get(ask(&s, &web, &[])).send().await.unwrap();
    let code = query_of(&location(&r))["code"].clone();
    let (_, tokens) = redeem(&s, &web, &secret, &code).await;
    let r = reqwest::Client::new()
        .post(s.url("/t/other/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", evil.client_id.as_str()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        !body.contains("used before"),
        "says nothing about the code: {body}"
    );
    let (status, _) =
        refresh_status(&s, &web, &secret, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200, "the owner's tokens stand");
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

/// An application registered for RS256 gets RSA-signed tokens that the
/// openidconnect crate accepts with its default settings (RS256 only); the
/// tenant's RSA key appears in the JWKS and rotates with the rest.
async fn an_rs256_application_gets_rsa_signed_tokens(backend: Backend) {
    use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
    use openidconnect::{
        AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
        OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, TokenResponse,
    };
    let s = TestServer::start(backend).await;
    s.clock
        .set(latchkey_core::platform::clock::SystemClock.now());
    let mut input = app("Legacy", false, true);
    input.token_alg = Some("RS256".into());
    let (id, secret) = register(&s, input).await;
    let secret = secret.unwrap();
    let mut bad = app("Odd", false, true);
    bad.token_alg = Some("HS256".into());
    let err = client::create(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &test_secrets(),
        &s.tenant,
        &bad,
        "test",
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("ES256 (default) or RS256"),
        "{err}"
    );

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let meta =
        CoreProviderMetadata::discover_async(IssuerUrl::new(s.url("/t/acme")).unwrap(), &http)
            .await
            .unwrap();
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, _, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge)
        .url();
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let r = b.get(url.as_str()).send().await.unwrap();
    let code = query_of(&location(&r))["code"].clone();
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .unwrap();
    let id_token = tokens.id_token().unwrap();
    // the library's default verifier accepts RS256 only
    let claims = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .expect("an RS256 ID token");
    assert_eq!(claims.subject().as_str(), s.alice.id);
    assert_eq!(userinfo(&s, tokens.access_token().secret()).await, 200);

    let (_, body) = get_text(&browser(), &s.url("/t/acme/jwks")).await;
    let jwks: serde_json::Value = serde_json::from_str(&body).unwrap();
    let kinds: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kty"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"RSA") && kinds.contains(&"EC"), "{kinds:?}");
    let secrets = latchkey_core::platform::crypto::SecretBox::new(
        &<[u8; 32]>::try_from((0u8..32).collect::<Vec<_>>()).unwrap(),
    );
    latchkey_core::oidc::signing::rotate(
        &s.tdb.db,
        &s.tenant.id,
        &OsRandom,
        &secrets,
        s.clock.now(),
    )
    .await
    .unwrap();
    let (_, body) = get_text(&browser(), &s.url("/t/acme/jwks")).await;
    let jwks: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        4,
        "two new, two retired"
    );
}

/// Browsers let a single-page application on its own origin call the token,
/// userinfo, revocation, discovery and key endpoints; nothing else.
async fn single_page_applications_may_call_the_token_endpoints_cross_origin(backend: Backend) {
    let s = TestServer::start(backend).await;
    let http = reqwest::Client::new();
    for path in ["/t/acme/token", "/t/acme/userinfo", "/t/acme/revoke"] {
        let r = http
            .request(reqwest::Method::OPTIONS, s.url(path))
            .header("origin", "https://spa.example")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204, "{path}");
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        assert!(
            r.headers()["access-control-allow-headers"]
                .to_str()
                .unwrap()
                .contains("authorization")
        );
        assert!(
            r.headers()
                .get("access-control-allow-credentials")
                .is_none()
        );
    }
    let r = http
        .post(s.url("/t/acme/token"))
        .header("origin", "https://spa.example")
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "*",
        "errors too"
    );
    for path in ["/t/acme/jwks", "/t/acme/.well-known/openid-configuration"] {
        let r = http
            .get(s.url(path))
            .header("origin", "https://spa.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["access-control-allow-origin"], "*", "{path}");
    }
    // pages, the authorization endpoint and introspection are not for other origins
    for path in [
        "/t/acme/signin",
        "/t/acme/authorize",
        "/t/acme/introspect",
        "/t/acme/account",
    ] {
        let r = http
            .get(s.url(path))
            .header("origin", "https://spa.example")
            .send()
            .await
            .unwrap();
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{path}"
        );
    }
}
