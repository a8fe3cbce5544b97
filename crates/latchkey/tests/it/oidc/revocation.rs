//! When tokens stop working: sign-out, factor resets, replaced sessions,
//! retired keys.

use latchkey_core::platform::clock::{Clock, UnixTime};
use latchkey_core::platform::random::OsRandom;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    tokens_end_with_sign_out_and_with_a_factor_reset,
    review_a_get_ends_no_session_and_a_replaced_session_ends_its_tokens,
    review_retired_keys_and_other_token_types_are_not_trusted,
);

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
        secrets: &secrets,
    };
    // (a reset needs something to remove: alice saved recovery codes)
    let code = latchkey_core::factors::recovery_codes::RecoveryCode {
        id: "code-1".into(),
        tenant_id: s.tenant.id.clone(),
        user_id: s.alice.id.clone(),
        code_hash: "hash-1".into(),
        created_at: s.clock.now(),
        used_at: None,
    };
    latchkey_core::store::RecoveryCodeStore::replace_recovery_codes(
        &s.tdb.db,
        &s.alice.id,
        &[code],
        &latchkey_core::store::Effects::default(),
        s.clock.now(),
    )
    .await
    .unwrap();
    latchkey_core::recovery::journey::helpdesk_reset(
        &env,
        &s.tenant,
        &s.alice,
        &latchkey_core::effects::audit::Actor::Admin("test".into()),
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
