//! Real relying-party libraries accept latchkey: Node's openid-client in
//! Chromium and the Rust openidconnect crate (ES256 and RS256).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::effects::audit::Actor;
use latchkey_core::oidc::client::{self, ClientInput};
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    the_openidconnect_crate_accepts_latchkey,
    an_rs256_application_gets_rsa_signed_tokens,
);

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
        &Actor::OperatorCli,
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
