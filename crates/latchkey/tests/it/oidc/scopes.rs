//! Scopes per application (decision 0032, ASVS 10.4.11): an application
//! is given only the scopes on its list. A scope it asks for beyond them is
//! left out, not refused (RFC 6749 §3.3), and the token response's `scope`
//! says what was issued; a scope taken away is gone at the next refresh.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_store::Backend;
use reqwest::Method;

use super::*;
use crate::api::{call, tokens_for};
use crate::helpers::*;

on_both_backends!(
    an_application_gets_only_the_scopes_on_its_list,
    a_scope_taken_away_is_gone_at_the_next_refresh,
    the_api_takes_and_names_an_applications_scopes,
);

fn claims(jwt: &str) -> serde_json::Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

async fn userinfo_body(s: &TestServer, access: &str) -> (u16, serde_json::Value) {
    let r = reqwest::Client::new()
        .get(s.url("/t/acme/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

fn with_scopes(input: ClientInput, scopes: &[&str]) -> ClientInput {
    ClientInput {
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        ..input
    }
}

async fn an_application_gets_only_the_scopes_on_its_list(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (web, secret) = register(
        &s,
        with_scopes(app("Web", false, true), &["openid", "profile"]),
    )
    .await;
    let web = (web, secret.unwrap());
    // asks for email too: not refused, and not given
    let tokens = tokens_for(&s, "alice", &web, "openid email profile").await;
    assert_eq!(tokens["scope"], "openid profile", "{tokens}");
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert!(id.get("email").is_none(), "{id}");
    assert!(id.get("email_verified").is_none(), "{id}");
    assert_eq!(id["preferred_username"], "alice", "{id}");
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(claims(access)["scope"], "openid profile");
    let (status, info) = userinfo_body(&s, access).await;
    assert_eq!(status, 200, "{info}");
    assert!(info.get("email").is_none(), "{info}");
    assert_eq!(info["preferred_username"], "alice", "{info}");

    // A third-party application's consent page asks only for what it may
    // have.
    let (partner, _) = register(
        &s,
        with_scopes(app("Partner", false, false), &["openid", "profile"]),
    )
    .await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let r = b
        .get(
            ask(&s, &partner, &[("scope", "openid profile email")])
                .replace("scope=openid+email&", ""),
        )
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    assert!(page.contains("See your name and username"), "{page}");
    assert!(!page.contains("See your email address"), "{page}");

    // An application that may have email (the default) still gets it.
    let (shop, secret) = register(&s, app("Shop", false, true)).await;
    let tokens = tokens_for(&s, "alice", &(shop, secret.unwrap()), "openid email").await;
    assert_eq!(tokens["scope"], "openid email");
    assert_eq!(
        claims(tokens["id_token"].as_str().unwrap())["email"],
        "Alice@Example.com"
    );
}

async fn a_scope_taken_away_is_gone_at_the_next_refresh(backend: Backend) {
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let (id, secret) = register(
        &s,
        with_scopes(
            admin_app("Admin tool"),
            &["openid", "email", "latchkey:admin"],
        ),
    )
    .await;
    let tool = (id, secret.unwrap());
    let tokens = tokens_for(&s, "root", &tool, "openid email latchkey:admin").await;
    assert_eq!(tokens["scope"], "openid email latchkey:admin");
    let before = tokens["access_token"].as_str().unwrap().to_owned();
    let (status, body) = call(&s, Method::GET, "/api/t/acme/users", Some(&before), None).await;
    assert_eq!(status, 200, "{body}");

    // The administrator takes email and latchkey:admin away (through the
    // API, with the very token that has it).
    let path = format!("/api/t/acme/applications/{}", tool.0);
    let (status, body) = call(
        &s,
        Method::PATCH,
        &path,
        Some(&before),
        Some(serde_json::json!({ "scopes": ["openid"] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scopes"], serde_json::json!(["openid"]));

    let (status, next) = refresh_status(
        &s,
        &tool.0,
        &tool.1,
        tokens["refresh_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(next["scope"], "openid", "the answer says what was issued");
    let access = next["access_token"].as_str().unwrap();
    assert_eq!(claims(access)["scope"], "openid");
    assert!(
        claims(next["id_token"].as_str().unwrap())
            .get("email")
            .is_none()
    );
    let (status, body) = call(&s, Method::GET, "/api/t/acme/users", Some(access), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let (status, info) = userinfo_body(&s, access).await;
    assert_eq!(status, 200);
    assert!(
        info.get("email").is_none(),
        "userinfo follows the token: {info}"
    );
    // asking for it by name at the refresh does not bring it back
    let (status, named) = token(
        &s,
        Some((&tool.0, &tool.1)),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", next["refresh_token"].as_str().unwrap()),
            ("scope", "openid latchkey:admin"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{named}");
    assert_eq!(named["scope"], "openid");
    // and a new sign-in does not get it either
    let fresh = tokens_for(&s, "root", &tool, "openid email latchkey:admin").await;
    assert_eq!(fresh["scope"], "openid");
}

async fn the_api_takes_and_names_an_applications_scopes(backend: Backend) {
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let (id, secret) = register(&s, admin_app("Admin tool")).await;
    let admin =
        crate::api::token_for(&s, "root", &(id, secret.unwrap()), "openid latchkey:admin").await;
    let create = |body: serde_json::Value| {
        call(
            &s,
            Method::POST,
            "/api/t/acme/applications",
            Some(&admin),
            Some(body),
        )
    };

    // every problem at once, by field
    let (status, body) = create(serde_json::json!({
        "name": "",
        "redirect_uris": ["https://app.example/cb"],
        "scopes": ["email", "phone", "latchkey:admin"],
    }))
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<(&str, &str)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(fields[0].0, "name", "{fields:?}");
    assert!(
        fields[1..].iter().all(|(f, _)| *f == "scopes") && fields.len() == 3,
        "{fields:?}"
    );
    assert!(fields[1].1.contains("\"phone\""), "{fields:?}");
    assert!(
        fields[2]
            .1
            .contains("(first-party) may have latchkey:admin"),
        "{fields:?}"
    );
    let (status, body) = create(serde_json::json!({
        "name": "No openid",
        "redirect_uris": ["https://app.example/cb"],
        "scopes": ["email"],
    }))
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "scopes");
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("must include openid"),
        "{body}"
    );

    // left out: the default, without latchkey:admin even when first-party
    let (status, body) = create(serde_json::json!({
        "name": "Own app",
        "redirect_uris": ["https://app.example/cb"],
        "first_party": true,
    }))
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["scopes"],
        serde_json::json!(["openid", "profile", "email", "offline_access"])
    );
    let (status, body) = create(serde_json::json!({
        "name": "Admin app",
        "redirect_uris": ["https://app.example/cb"],
        "first_party": true,
        "scopes": ["latchkey:admin", "openid"],
    }))
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["scopes"],
        serde_json::json!(["openid", "latchkey:admin"])
    );
    let path = format!(
        "/api/t/acme/applications/{}",
        body["client_id"].as_str().unwrap()
    );
    let (status, shown) = call(&s, Method::GET, &path, Some(&admin), None).await;
    assert_eq!((status, &shown["scopes"]), (200, &body["scopes"]));

    // a change that empties the list, or unmarks first-party while keeping
    // latchkey:admin, is refused and changes nothing
    for change in [
        serde_json::json!({ "scopes": [] }),
        serde_json::json!({ "first_party": false }),
    ] {
        let (status, body) =
            call(&s, Method::PATCH, &path, Some(&admin), Some(change.clone())).await;
        assert_eq!(status, 422, "{change}: {body}");
        assert_eq!(body["fields"][0]["field"], "scopes", "{body}");
    }
    let (_, shown) = call(&s, Method::GET, &path, Some(&admin), None).await;
    assert_eq!(
        shown["scopes"],
        serde_json::json!(["openid", "latchkey:admin"])
    );
}
