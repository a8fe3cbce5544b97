//! The OpenID Connect provider over HTTP: what reaches the application and
//! what each wrong request gets (RFC 6749, 7009, 7636, 7662; OIDC Core).
//! The happy paths with a real relying-party library are in
//! `openid_client_accepts_latchkey` (Node's openid-client in Chromium).
//!
//! Tests named `review_…` are regression tests for the findings of the
//! helper review of the OIDC work. The helpers here are used by the API and
//! attack tests too.

mod authorize;
mod client_auth;
mod connected;
mod relying_parties;
mod revocation;
mod scopes;
mod token;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::effects::audit::Actor;
use latchkey_core::oidc::client::{self, ClientInput};
use latchkey_core::platform::random::OsRandom;
use sha2::Digest;

use crate::helpers::*;

pub(crate) const REDIRECT: &str = "https://app.example/cb";

pub(crate) const VERIFIER: &str = "a-verifier-that-is-long-enough-for-pkce-0123456789";

pub(crate) fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Acme now requires second factors.
pub(crate) async fn require_second_factors(s: &TestServer) {
    latchkey_core::tenants::update_settings(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &s.tenant,
        &latchkey_core::tenants::SettingsInput {
            second_factor: Some("required".into()),
            ..Default::default()
        },
        &Actor::OperatorCli,
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
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    (c.client_id.into(), secret.map(|t| t.expose().to_owned()))
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

/// A first-party confidential application allowed the administration API:
/// `latchkey:admin` is given only when asked for (decision 0032).
pub(crate) fn admin_app(name: &str) -> ClientInput {
    ClientInput {
        scopes: vec!["openid".into(), "latchkey:admin".into()],
        ..app(name, false, true)
    }
}

pub(crate) fn authorize_url(s: &TestServer, pairs: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    s.url(&format!("/t/acme/authorize?{query}"))
}

/// The claims of the ID token in a token response (its signature is
/// checked elsewhere: `token.rs`, the OIDC client library's tests).
pub(crate) fn id_token_claims(tokens: &serde_json::Value) -> serde_json::Value {
    let id_token = tokens["id_token"].as_str().expect("an id_token");
    let payload = id_token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

pub(crate) fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A code for `client_id` in a browser signed in as alice.
pub(crate) async fn code_for(s: &TestServer, b: &reqwest::Client, client_id: &str) -> String {
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

pub(crate) async fn token(
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

pub(crate) async fn userinfo(s: &TestServer, access: &str) -> u16 {
    reqwest::Client::new()
        .get(s.url("/t/acme/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

pub(crate) fn ask(s: &TestServer, client: &str, extra: &[(&str, &str)]) -> String {
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
