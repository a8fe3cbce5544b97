//! `GET /api/openapi.json`: the OpenAPI 3.1 document of the JSON API, held
//! to the router (every call served is documented, every documented call is
//! served) and to what the calls answer.

use std::collections::BTreeSet;

use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::tenants::operator;
use latchkey_store::Backend;
use reqwest::Method;
use serde_json::{Value, json};

use crate::api::{call, token_for};
use crate::helpers::*;
use crate::oidc::{admin_app, register};

on_both_backends!(
    the_openapi_document_describes_every_call_the_api_serves,
    the_api_answers_as_its_openapi_document_says,
);

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

async fn document(s: &TestServer) -> Value {
    let r = reqwest::get(s.url("/api/openapi.json")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()[reqwest::header::CONTENT_TYPE],
        "application/json"
    );
    let text = r.text().await.unwrap();
    assert_eq!(text, latchkey_web::api_description::OPENAPI);
    serde_json::from_str(&text).expect("the document is JSON")
}

/// Every (method, path) the document describes.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (key, _) in item.as_object().unwrap() {
            assert!(METHODS.contains(&key.as_str()), "{path}: {key}");
            out.insert((key.to_uppercase(), path.clone()));
        }
    }
    out
}

/// A path of the document with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{tenant}", "acme")
        .replace("{client_id}", "no-such-client")
        .replace("{login}", "alice")
        .replace("{action}", "enable")
}

async fn the_openapi_document_describes_every_call_the_api_serves(backend: Backend) {
    let s = TestServer::start(backend).await;
    let doc = document(&s).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );

    // The router is built from the list `served` returns: one call more or
    // less there, and this fails until the document says so too.
    let documented = documented(&doc);
    let served: BTreeSet<(String, String)> = latchkey_web::api_description::served()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_owned()))
        .collect();
    assert_eq!(documented, served);

    // And each documented call is answered (not 404/405) by the real
    // server: without a credential, as the document says it is answered.
    for (method, path) in &documented {
        let op = &doc["paths"][path][method.to_lowercase()];
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let r = reqwest::Client::new()
            .request(m, s.url(&concrete(path)))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let public = op["security"] == json!([]);
        assert_eq!(status, if public { 200 } else { 401 }, "{method} {path}");
        assert!(
            op["responses"].get(status.to_string()).is_some(),
            "{method} {path}: {status} is not documented"
        );
        if !public {
            let body: Value = r.json().await.unwrap();
            conforms(&doc, &json!({"$ref": "#/components/schemas/Error"}), &body);
            assert_eq!(body["error"], "unauthorized");
        }
    }
    // The probe can fail: a method the API does not take is 405.
    let r = reqwest::Client::new()
        .put(s.url("/api/t/acme/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
}

/// Panics unless `value` has what `schema` (of `doc`) says: its types,
/// required fields, items, and `const`/`enum` values.
fn conforms(doc: &Value, schema: &Value, value: &Value) {
    if let Some(r) = schema["$ref"].as_str() {
        let target = doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{r} resolves"));
        return conforms(doc, target, value);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            conforms(doc, s, value);
        }
    }
    if let Some(any) = schema["oneOf"].as_array() {
        let fits = any.iter().any(|s| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| conforms(doc, s, value)))
                .is_ok()
        });
        assert!(fits, "{value} is none of {schema}");
    }
    if let Some(c) = schema.get("const") {
        assert_eq!(value, c);
    }
    if let Some(e) = schema["enum"].as_array() {
        assert!(e.contains(value), "{value} is not one of {e:?}");
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        assert!(
            types.contains(&actual) || (actual == "integer" && types.contains(&"number")),
            "{value} is {actual}, not {types:?}"
        );
    }
    if let Some(required) = schema["required"].as_array() {
        for key in required {
            let key = key.as_str().unwrap();
            assert!(value.get(key).is_some(), "{value} lacks {key}");
        }
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (key, v) in object {
            match props.get(key) {
                Some(s) => conforms(doc, s, v),
                None => assert!(
                    schema["additionalProperties"] != json!(false),
                    "{key} is not documented in {schema}"
                ),
            }
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for v in values {
            conforms(doc, items, v);
        }
    }
}

/// Calls `method path` and checks the answer against the document's
/// description of that call; gives the body back.
async fn answers_as_documented(
    s: &TestServer,
    doc: &Value,
    (method, path): (Method, &str),
    concrete: &str,
    token: &str,
    body: Option<Value>,
    expected: u16,
) -> Value {
    let (status, answer) = call(s, method.clone(), concrete, Some(token), body).await;
    assert_eq!(status, expected, "{method} {concrete}: {answer}");
    let op = &doc["paths"][path][method.as_str().to_lowercase()];
    let mut response = &op["responses"][status.to_string()];
    if let Some(r) = response["$ref"].as_str() {
        response = doc.pointer(r.trim_start_matches('#')).unwrap();
    }
    let schema = &response["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path}: {status} has a schema");
    conforms(doc, schema, &answer);
    answer
}

async fn the_api_answers_as_its_openapi_document_says(backend: Backend) {
    let s = TestServer::start(backend).await;
    let doc = document(&s).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    crate::totp::enrolled(&s).await;
    let (id, secret) = register(&s, admin_app("Admin tool")).await;
    let admin = token_for(&s, "root", &(id, secret.unwrap()), "openid latchkey:admin").await;
    let (_, op_secret) = operator::create_token(&s.tdb.db, &OsRandom, "test", s.clock.now())
        .await
        .unwrap();
    let operator = op_secret.expose();

    let users = "/api/t/{tenant}/users";
    let page = answers_as_documented(
        &s,
        &doc,
        (Method::GET, users),
        "/api/t/acme/users",
        &admin,
        None,
        200,
    )
    .await;
    assert_eq!(page["users"].as_array().unwrap().len(), 2);
    let audit = "/api/t/{tenant}/audit";
    let page = answers_as_documented(
        &s,
        &doc,
        (Method::GET, audit),
        "/api/t/acme/audit?limit=5",
        &admin,
        None,
        200,
    )
    .await;
    assert!(!page["events"].as_array().unwrap().is_empty());
    let apps = "/api/t/{tenant}/applications";
    answers_as_documented(
        &s,
        &doc,
        (Method::GET, apps),
        "/api/t/acme/applications",
        &admin,
        None,
        200,
    )
    .await;
    let created = answers_as_documented(
        &s,
        &doc,
        (Method::POST, apps),
        "/api/t/acme/applications",
        &admin,
        Some(json!({ "name": "Shop", "redirect_uris": ["https://shop.example/cb"] })),
        201,
    )
    .await;
    assert!(created["client_secret"].is_string());
    // Errors, in the shape the document gives.
    let invalid = answers_as_documented(
        &s,
        &doc,
        (Method::POST, apps),
        "/api/t/acme/applications",
        &admin,
        Some(json!({ "name": "" })),
        422,
    )
    .await;
    assert_eq!(invalid["error"], "invalid");
    answers_as_documented(
        &s,
        &doc,
        (Method::POST, apps),
        "/api/t/acme/applications",
        &admin,
        Some(json!({ "name": "Shop", "colour": "red" })),
        400,
    )
    .await;
    let app_path = "/api/t/{tenant}/applications/{client_id}";
    let missing = answers_as_documented(
        &s,
        &doc,
        (Method::GET, app_path),
        "/api/t/acme/applications/no-such-client",
        &admin,
        None,
        404,
    )
    .await;
    assert_eq!(missing["error"], "not_found");
    let stats = "/api/t/{tenant}/recovery/stats";
    answers_as_documented(
        &s,
        &doc,
        (Method::GET, stats),
        "/api/t/acme/recovery/stats",
        &admin,
        None,
        200,
    )
    .await;

    let invitations = "/api/operator/tenants/{tenant}/invitations";
    answers_as_documented(
        &s,
        &doc,
        (Method::POST, invitations),
        "/api/operator/tenants/acme/invitations",
        operator,
        Some(json!({ "email": "boss@example.com", "return_link": true })),
        201,
    )
    .await;
    let list = answers_as_documented(
        &s,
        &doc,
        (Method::GET, invitations),
        "/api/operator/tenants/acme/invitations",
        operator,
        None,
        200,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let action = "/api/operator/tenants/{tenant}/recovery/{action}";
    answers_as_documented(
        &s,
        &doc,
        (Method::POST, action),
        "/api/operator/tenants/acme/recovery/enable",
        operator,
        None,
        200,
    )
    .await;
    answers_as_documented(
        &s,
        &doc,
        (Method::POST, action),
        "/api/operator/tenants/acme/recovery/sideways",
        operator,
        None,
        404,
    )
    .await;
    let requests = "/api/operator/recovery/requests";
    answers_as_documented(
        &s,
        &doc,
        (Method::GET, requests),
        "/api/operator/recovery/requests",
        operator,
        None,
        200,
    )
    .await;
}
