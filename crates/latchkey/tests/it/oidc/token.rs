//! The token endpoint: codes, refresh tokens, RFC errors, cross-origin calls.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::effects::audit::Actor;
use latchkey_core::oidc::client;
use latchkey_core::platform::random::OsRandom;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    codes_are_single_use_and_bound_to_client_redirect_and_verifier,
    the_token_endpoint_answers_bad_requests_with_rfc_errors,
    review_codes_die_with_their_sign_in_and_belong_to_their_client,
    single_page_applications_may_call_the_token_endpoints_cross_origin,
);

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
    let claims = id_token_claims(&tokens);
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
        &Actor::OperatorCli,
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
