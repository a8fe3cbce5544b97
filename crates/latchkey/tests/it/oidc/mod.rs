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
mod relying_parties;
mod revocation;
mod token;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::effects::audit::Actor;
use latchkey_core::oidc::client::{self, ClientInput};
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_store::Backend;
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

/// The whole suite of the certified Node library, unmodified.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub(crate) async fn openid_client_accepts_latchkey() {
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
