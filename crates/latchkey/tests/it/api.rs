//! The JSON API: tenant administrators with a `latchkey:admin` access token,
//! the operator with an operator token.

use latchkey_core::platform::clock::Clock;
use latchkey_core::store::{AuditStore, ClientStore, TotpStore};
use latchkey_store::Backend;

use crate::helpers::*;
use crate::oidc::{REDIRECT, VERIFIER, app, authorize_url, challenge, query_of, redeem, register};

on_both_backends!(
    the_operator_api_needs_an_operator_token,
    administrators_use_the_api_with_an_admin_scoped_token,
    applications_are_changed_given_new_secrets_and_removed_with_effect,
);

pub(crate) async fn call(
    s: &TestServer,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut r = reqwest::Client::new().request(method, s.url(path));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

async fn the_operator_api_needs_an_operator_token(backend: Backend) {
    let s = TestServer::start(backend).await;
    use reqwest::Method;
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/operator/recovery/requests",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
    let (status, _) = call(
        &s,
        Method::GET,
        "/api/operator/recovery/requests",
        Some("not-a-token"),
        None,
    )
    .await;
    assert_eq!(status, 401);

    // made with the CLI, shown once
    let url = s.tdb.url.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_latchkey"))
            .args([
                "operator",
                "token",
                "create",
                "--name",
                "deploy pipeline",
                "--json",
            ])
            .args(["--database-url", &url])
            .env_remove("LATCHKEY_CONFIG")
            .env("LATCHKEY_SECURITY_SECRET_KEY", SECRET_KEY)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(created.get("token_hash").is_none());

    let (status, body) = call(
        &s,
        Method::GET,
        "/api/operator/recovery/requests",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, serde_json::json!([]));
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/enable",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, body["self_recovery"].as_bool()),
        (200, Some(true)),
        "{body}"
    );
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/decline",
        Some(&token),
        Some(serde_json::json!({ "reason": "" })),
    )
    .await;
    assert_eq!(status, 422, "no pending request: {body}");
    assert_eq!(body["fields"][0]["field"], "request");
    // A body that is JSON but not an object (found by Schemathesis: a
    // struct also reads from an array) is refused before anything changes.
    for not_an_object in [
        serde_json::json!([]),
        serde_json::json!([""]),
        serde_json::json!("x"),
    ] {
        let (status, body) = call(
            &s,
            Method::POST,
            "/api/operator/tenants/acme/recovery/disable",
            Some(&token),
            Some(not_an_object),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("bad_request")),
            "{body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("JSON object"),
            "{body}"
        );
    }
    let acme = latchkey_core::tenants::by_slug(&s.tdb.db, "acme")
        .await
        .unwrap();
    assert!(acme.self_recovery, "still on");
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/nobody/recovery/enable",
        Some(&token),
        None,
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/operator/tenants/acme/recovery/stats",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["started"], 0);
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/disable",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, body["self_recovery"].as_bool()),
        (200, Some(false))
    );

    // revoked: refused
    use latchkey_core::store::OperatorStore;
    let id = created["id"].as_str().unwrap();
    assert!(
        s.tdb
            .db
            .revoke_operator_token(&id.into(), s.clock.now())
            .await
            .unwrap()
    );
    let (status, _) = call(
        &s,
        Method::GET,
        "/api/operator/recovery/requests",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 401);
}

/// An access token for `login` through the first-party `client`, asking for
/// `scope`.
pub(crate) async fn token_for(
    s: &TestServer,
    login: &str,
    client: &(String, String),
    scope: &str,
) -> String {
    tokens_for(s, login, client, scope).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn tokens_for(
    s: &TestServer,
    login: &str,
    client: &(String, String),
    scope: &str,
) -> serde_json::Value {
    let b = browser();
    sign_in(&b, &s.running.url, "acme", login, PASSWORD).await;
    let r = b
        .get(authorize_url(
            s,
            &[
                ("client_id", client.0.as_str()),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", scope),
                ("code_challenge", &challenge(VERIFIER)),
                ("code_challenge_method", "S256"),
            ],
        ))
        .send()
        .await
        .unwrap();
    let code = query_of(&location(&r))["code"].clone();
    let (status, tokens) = redeem(s, &client.0, &client.1, &code).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

async fn administrators_use_the_api_with_an_admin_scoped_token(backend: Backend) {
    use reqwest::Method;
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    crate::totp::enrolled(&s).await;
    let (id, secret) = register(&s, crate::oidc::admin_app("Admin tool")).await;
    let tool = (id, secret.unwrap());
    let (id, secret) = register(&s, app("Partner", false, false)).await;
    let partner = (id, secret.unwrap());

    let admin = token_for(&s, "root", &tool, "openid latchkey:admin").await;
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/recovery/stats",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["helpdesk_resets"], 0);
    assert_eq!(body["weeks"].as_array().map(Vec::len), Some(12), "{body}");
    assert_eq!(body["weeks"][11]["completed"], 0);

    // without the scope, or for a member: refused
    let plain = token_for(&s, "root", &tool, "openid").await;
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/recovery/stats",
        Some(&plain),
        None,
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));
    let (status, _) = call(&s, Method::GET, "/api/t/acme/recovery/stats", None, None).await;
    assert_eq!(status, 401);
    // A refresh that narrows the scope gives a token without it.
    let wide = tokens_for(&s, "root", &tool, "openid latchkey:admin").await;
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/token"))
        .basic_auth(&tool.0, Some(&tool.1))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", wide["refresh_token"].as_str().unwrap()),
            ("scope", "openid"),
        ])
        .send()
        .await
        .unwrap();
    let narrowed: serde_json::Value = r.json().await.unwrap();
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/recovery/stats",
        narrowed["access_token"].as_str(),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );

    // applications
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/t/acme/applications",
        Some(&admin),
        Some(serde_json::json!({ "name": "", "redirect_uris": ["http://x.example/cb"] })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"redirect_uris"),
        "{fields:?}"
    );
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/t/acme/applications",
        Some(&admin),
        Some(serde_json::json!({ "name": "Shop", "redirect_uris": ["https://shop.example/cb"], "colour": "red" })),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("bad_request")),
        "unknown field"
    );
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/t/acme/applications",
        Some(&admin),
        Some(serde_json::json!({ "name": "Shop", "redirect_uris": ["https://shop.example/cb"] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(body["client_secret"].as_str().unwrap().len() >= 43);
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/applications",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().unwrap().len(), 3);
    assert!(!body.to_string().contains("secret"), "{body}");
    assert_eq!(s.tdb.db.list_clients(&s.tenant.id).await.unwrap().len(), 3);

    // adding a person: the account without a password, the link mailed
    // (never returned); bad input and taken names said per field
    let invitations = "/api/t/acme/users/invitations";
    let (status, body) = call(
        &s,
        Method::POST,
        invitations,
        Some(&admin),
        Some(serde_json::json!({ "username": "zoe", "email": "zoe@example.com", "role": "admin" })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        (&body["role"], &body["mail"]),
        (&"admin".into(), &"queued".into())
    );
    assert!(!body.to_string().contains("token"), "{body}");
    let (status, body) = call(
        &s,
        Method::POST,
        invitations,
        Some(&admin),
        Some(serde_json::json!({ "username": "Zoe", "email": "new@example.com" })),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["fields"][0]["field"], "username", "{body}");
    let (status, body) = call(
        &s,
        Method::POST,
        invitations,
        Some(&admin),
        Some(serde_json::json!({ "username": "yan", "email": "nope" })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "email", "{body}");
    let (status, _) = call(
        &s,
        Method::POST,
        invitations,
        Some(&admin),
        Some(serde_json::json!({ "username": "yan", "email": "yan@example.com", "password": "x" })),
    )
    .await;
    assert_eq!(status, 400, "an unknown field");

    // the helpdesk reset
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/t/acme/users/alice/reset-factors",
        Some(&admin),
        Some(serde_json::json!({ "reason": " " })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());
    let (status, _) = call(
        &s,
        Method::POST,
        "/api/t/acme/users/nobody/reset-factors",
        Some(&admin),
        Some(serde_json::json!({ "reason": "lost phone" })),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/t/acme/users/alice/reset-factors",
        Some(&admin),
        Some(serde_json::json!({ "reason": "lost phone; checked by video call" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());
    // nothing left to reset: refused, said
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/t/acme/users/alice/reset-factors",
        Some(&admin),
        Some(serde_json::json!({ "reason": "again" })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("nothing to reset"), "{body}");

    // The people, searched and paged.
    let (status, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/users?limit=1",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["users"].as_array().unwrap().len(), 1);
    assert_eq!(body["users"][0]["username"], "alice");
    assert_eq!(
        body["users"][0]["second_factors"]["authenticator_app"],
        false
    );
    assert!(body["users"][0]["readiness"]["ready"].is_boolean());
    assert!(body["users"][0].get("password_hash").is_none());
    assert_eq!(body["next"], "alice");
    assert_eq!(body["previous"], serde_json::Value::Null);
    let (_, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/users?after=alice&limit=1",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(body["users"][0]["username"], "root");
    assert_eq!(body["previous"], "root");
    let (_, body) = call(
        &s,
        Method::GET,
        "/api/t/acme/users?q=ROO",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(body["users"].as_array().unwrap().len(), 1);
    assert_eq!(body["users"][0]["role"], "admin");
    for bad in [
        "limit=0",
        "limit=ten",
        "after=Not%20a%20key",
        "q=a&sort=name",
    ] {
        let (status, body) = call(
            &s,
            Method::GET,
            &format!("/api/t/acme/users?{bad}"),
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
    let (status, _) = call(&s, Method::GET, "/api/t/acme/users", None, None).await;
    assert_eq!(status, 401);

    // A third-party application never gets the scope, even for an admin.
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    let r = b
        .get(authorize_url(
            &s,
            &[
                ("client_id", partner.0.as_str()),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "openid latchkey:admin"),
            ],
        ))
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    assert!(!page.contains("Manage this organisation"), "not even asked");

    // a member's token never carries it either
    let alice = token_for(&s, "alice", &tool, "openid latchkey:admin").await;
    let (status, _) = call(
        &s,
        Method::GET,
        "/api/t/acme/recovery/stats",
        Some(&alice),
        None,
    )
    .await;
    assert_eq!(status, 403);
}

/// Alice's tokens from the confidential `client` (signed in with her
/// password).
pub(crate) async fn alice_tokens(s: &TestServer, client: &(String, String)) -> serde_json::Value {
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let r = b
        .get(authorize_url(
            s,
            &[
                ("client_id", client.0.as_str()),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", &challenge(VERIFIER)),
                ("code_challenge_method", "S256"),
            ],
        ))
        .send()
        .await
        .unwrap();
    let code = query_of(&location(&r))["code"].clone();
    let (status, tokens) = redeem(s, &client.0, &client.1, &code).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

pub(crate) async fn refresh_with(
    s: &TestServer,
    id: &str,
    secret: &str,
    token: &str,
) -> (u16, serde_json::Value) {
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/token"))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", token)])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

async fn applications_are_changed_given_new_secrets_and_removed_with_effect(backend: Backend) {
    use reqwest::Method;
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let (id, secret) = register(&s, crate::oidc::admin_app("Admin tool")).await;
    let admin = token_for(&s, "root", &(id, secret.unwrap()), "openid latchkey:admin").await;
    let (id, secret) = register(&s, app("Shop", false, true)).await;
    let shop = (id, secret.unwrap());
    let path = format!("/api/t/acme/applications/{}", shop.0);
    let tokens = alice_tokens(&s, &shop).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();

    // Bad changes: named, and nothing changes.
    let (status, body) = call(
        &s,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(serde_json::json!({ "colour": "red" })),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );
    let (status, body) = call(
        &s,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(serde_json::json!({ "access_token_minutes": 0, "redirect_uris": ["http://shop.example/cb"], "grant_types": [] })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "redirect_uris",
            "redirect_uris",
            "access_token_minutes",
            "grant_types"
        ],
        "{body}"
    );
    let (status, body) = call(&s, Method::GET, &path, Some(&admin), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["access_token_secs"], 600, "unchanged: {body}");
    assert!(!body.to_string().contains("secret"), "{body}");

    // Without refresh tokens, the application cannot refresh any more.
    let (status, body) = call(
        &s,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(serde_json::json!({ "grant_types": ["authorization_code"], "name": "Shop 2" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["name"].as_str(), body["grant_types"].clone()),
        (Some("Shop 2"), serde_json::json!(["authorization_code"]))
    );
    let (status, body) = refresh_with(&s, &shop.0, &shop.1, &refresh_token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client")),
        "{body}"
    );
    let (status, body) = call(
        &s,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(serde_json::json!({ "grant_types": ["authorization_code", "refresh_token"] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // A new secret: the old one stops working at once, the new one works.
    let (status, body) = call(
        &s,
        Method::POST,
        &format!("{path}/secret"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let new_secret = body["client_secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, shop.1);
    let (status, body) = refresh_with(&s, &shop.0, &shop.1, &refresh_token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
    let (status, body) = refresh_with(&s, &shop.0, &new_secret, &refresh_token).await;
    assert_eq!(status, 200, "the grant outlives the old secret: {body}");
    let refresh_token = body["refresh_token"].as_str().unwrap().to_owned();
    let access = body["access_token"].as_str().unwrap().to_owned();

    // A public application has no secret to replace.
    let (spa, _) = register(&s, app("SPA", true, true)).await;
    let (status, body) = call(
        &s,
        Method::POST,
        &format!("/api/t/acme/applications/{spa}/secret"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "client_id");

    // Removed: its tokens stop working at once.
    let (status, _) = call(&s, Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(status, 204);
    let (status, body) = refresh_with(&s, &shop.0, &new_secret, &refresh_token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
    let r = reqwest::Client::new()
        .get(s.url("/t/acme/userinfo"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    for method in [Method::GET, Method::DELETE, Method::PATCH] {
        let (status, body) = call(
            &s,
            method.clone(),
            &path,
            Some(&admin),
            Some(serde_json::json!({})),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (404, Some("not_found")),
            "{method}"
        );
    }

    let events: Vec<String> = s
        .tdb
        .db
        .list_audit(&s.tenant.id, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    for action in ["client.updated", "client.secret_rotated", "client.deleted"] {
        assert!(events.iter().any(|a| a == action), "{action}: {events:?}");
    }
    let changes = events.iter().filter(|a| *a == "client.updated").count();
    assert_eq!(changes, 2, "refused changes are not recorded: {events:?}");
}
