//! Client authentication with signed assertions (private_key_jwt).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::effects::audit::Actor;
use latchkey_core::oidc::client;
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(private_key_jwt_clients_sign_their_own_assertions,);

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
        &Actor::OperatorCli,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("private key"), "{err}");
}
