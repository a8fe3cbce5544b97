//! The grants at the service level: the in-memory store of the traits they
//! name (`crate::testing`), a real ES256 key, time as a parameter. The
//! HTTP tests (and `openid-client`) hold the endpoint to the same rules.

use super::*;
use crate::accounts::session::SessionPolicy;
use crate::accounts::user::UserInput;
use crate::effects::audit::{Actor, RequestMeta};
use crate::oidc::signing::{SigningKey, generate};
use crate::platform::time::{DAY, HOUR};
use crate::store::{SessionStore, UserStore};
use crate::tenants::TenantInput;
use crate::testing::Fixture;

const T0: UnixTime = UnixTime(1_800_000_000);
const VERIFIER: &str = "a-verifier-of-the-required-length-for-pkce-43chars";

struct World {
    f: Fixture,
    key: SigningKey,
    signer: Signer,
    tenant: Tenant,
    user: User,
    session: Session,
    client: Client,
}

impl World {
    fn issuer(&self) -> Issuer<'_> {
        Issuer {
            issuer: "https://id.example/t/acme",
            signer: &self.signer,
            secrets: &self.f.secrets,
        }
    }
}

fn client(grants: &[GrantType], public: bool) -> Client {
    Client {
        id: "row1".into(),
        tenant_id: "t1".into(),
        client_id: "app".into(),
        name: "App".into(),
        secret_hash: (!public).then(|| sha256_hex(b"s3cret")),
        redirect_uris: vec!["https://app.example/cb".into()],
        post_logout_uris: vec![],
        grant_types: grants.to_vec(),
        first_party: false,
        scopes: Scope::DEFAULT.to_vec(),
        access_token_secs: 600,
        refresh_token_secs: DAY,
        created_at: UnixTime(0),
        jwks: None,
        token_alg: crate::oidc::signing::Alg::Es256,
        pkce_optional: false,
    }
}

async fn world() -> World {
    let f = Fixture::new(T0);
    let tenant = TenantInput {
        slug: "acme".into(),
        display_name: "Acme".into(),
        ..Default::default()
    }
    .parse("t1".into(), T0)
    .unwrap();
    let user = crate::accounts::user::create(
        &f.env(),
        &tenant,
        UserInput {
            username: "alice".into(),
            email: "alice@example.com".into(),
            display_name: None,
            password: Some("correct horse battery staple".into()),
            email_verified: true,
            language: None,
            role: None,
        },
        Actor::OperatorCli,
        &RequestMeta::default(),
    )
    .await
    .unwrap();
    let token = SecretToken::generate(&f.random);
    let session = Session::new(
        &token,
        &user,
        vec![AuthMethod::Password],
        T0,
        &SessionPolicy::default(),
        &RequestMeta::default(),
    );
    f.store
        .start_session(&session, &Default::default(), T0)
        .await
        .unwrap();
    let key = generate(&"t1".into(), &f.random, &f.secrets, T0).unwrap();
    let signer = Signer::open(&key, &f.secrets).unwrap();
    World {
        f,
        key,
        signer,
        tenant,
        user,
        session,
        client: client(
            &[GrantType::AuthorizationCode, GrantType::RefreshToken],
            false,
        ),
    }
}

/// A code for `scope`, issued to the world's client with PKCE.
async fn code(w: &World, scope: &str) -> String {
    let challenge = b64url(&{
        use sha2::Digest;
        sha2::Sha256::digest(VERIFIER.as_bytes())
    });
    let code = SecretToken::generate(&w.f.random);
    w.f.store
        .insert_code(&AuthCode {
            code_hash: code.hash(),
            tenant_id: w.tenant.id.clone(),
            client_id: w.client.id.clone(),
            user_id: w.user.id.clone(),
            session_hash: w.session.id_hash.clone(),
            redirect_uri: "https://app.example/cb".into(),
            scope: scope.into(),
            nonce: None,
            code_challenge: Some(challenge),
            auth_time: T0,
            amr: vec![AuthMethod::Password],
            created_at: T0,
            expires_at: T0.plus(CODE_SECS),
            used_at: None,
            security_stamp: Some(w.user.security_stamp.clone()),
        })
        .await
        .unwrap();
    code.expose().to_owned()
}

async fn exchange(w: &World, code: &str, verifier: &str) -> Result<TokenResponse, TokenError> {
    exchange_code(
        &w.f.store,
        &w.f.random,
        &w.issuer(),
        &w.client,
        code,
        Some("https://app.example/cb"),
        Some(verifier),
        T0.plus(5),
    )
    .await
}

async fn refreshed(
    w: &World,
    token: &str,
    scope: Option<&str>,
    at: i64,
) -> Result<TokenResponse, TokenError> {
    refresh(
        &w.f.store,
        &w.f.random,
        &w.issuer(),
        &w.client,
        token,
        scope,
        T0.plus(at),
    )
    .await
}

/// A code is redeemed once; a replay revokes what it gave (RFC 6749 §4.1.2).
#[tokio::test]
async fn a_code_works_once_and_a_replay_revokes_its_grant() {
    let w = world().await;
    let code = code(&w, "openid offline_access").await;
    let tokens = exchange(&w, &code, VERIFIER).await.unwrap();
    let claims = crate::oidc::signing::verify(
        std::slice::from_ref(&w.key),
        &tokens.access_token,
        "at+jwt",
        T0.plus(6),
    )
    .unwrap();
    assert_eq!(claims["sub"], w.user.id.as_str());
    assert!(tokens.refresh_token.is_some() && tokens.id_token.is_some());
    let replay = exchange(&w, &code, VERIFIER).await.unwrap_err();
    assert_eq!(replay.error, OAuthError::InvalidGrant);
    assert!(w.f.store.grants().iter().all(|g| g.revoked_at.is_some()));
}

/// PKCE: the verifier must match the challenge.
#[tokio::test]
async fn a_wrong_verifier_gets_nothing() {
    let w = world().await;
    let code = code(&w, "openid").await;
    let wrong = exchange(&w, &code, &VERIFIER.replace('a', "b"))
        .await
        .unwrap_err();
    assert_eq!(wrong.error, OAuthError::InvalidGrant);
    assert!(w.f.store.grants().is_empty());
}

/// Refresh tokens rotate; a used one revokes the whole family.
#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let w = world().await;
    let code = code(&w, "openid offline_access").await;
    let first = exchange(&w, &code, VERIFIER)
        .await
        .unwrap()
        .refresh_token
        .unwrap();
    let second = refreshed(&w, &first, None, 60)
        .await
        .unwrap()
        .refresh_token
        .unwrap();
    assert_ne!(first, second);
    let third = refreshed(&w, &second, None, 120)
        .await
        .unwrap()
        .refresh_token
        .unwrap();
    // the first again: reuse — every token of the sign-in is revoked
    let reuse = refreshed(&w, &first, None, 180).await.unwrap_err();
    assert_eq!(reuse.error, OAuthError::InvalidGrant);
    assert!(reuse.description.contains("used before"));
    assert!(
        refreshed(&w, &third, None, 240).await.is_err(),
        "the family is gone"
    );
}

/// A refresh token's life runs from the sign-in and rotating does not
/// extend it (ASVS 10.4.8): the client's `refresh_token_secs` (a day here)
/// after the code was redeemed, the newest token of the family is refused
/// like any other.
#[tokio::test]
async fn refresh_tokens_end_at_an_absolute_time_however_often_they_rotate() {
    let w = world().await;
    assert_eq!(w.client.refresh_token_secs, DAY);
    let code = code(&w, "openid offline_access").await;
    // redeemed at T0 + 5: the grant ends at T0 + 5 + DAY
    let mut token = exchange(&w, &code, VERIFIER)
        .await
        .unwrap()
        .refresh_token
        .unwrap();
    for at in [HOUR, 12 * HOUR, DAY - 60, DAY + 4] {
        token = refreshed(&w, &token, None, at)
            .await
            .unwrap_or_else(|e| panic!("at {at}: {e:?}"))
            .refresh_token
            .unwrap();
    }
    let late = refreshed(&w, &token, None, DAY + 5).await.unwrap_err();
    assert_eq!(late.error, OAuthError::InvalidGrant);
    assert!(late.description.contains("expired"), "{}", late.description);
}

/// A refresh may narrow the scope for its answer, never widen it; the
/// grant keeps what the user allowed.
#[tokio::test]
async fn a_refresh_narrows_but_never_widens() {
    let w = world().await;
    let code = code(&w, "openid profile offline_access").await;
    let token = exchange(&w, &code, VERIFIER)
        .await
        .unwrap()
        .refresh_token
        .unwrap();
    let wider = refreshed(&w, &token, Some("openid email"), 60)
        .await
        .unwrap_err();
    assert_eq!(wider.error, OAuthError::InvalidScope);
    let narrow = refreshed(&w, &token, Some("openid"), 60).await.unwrap();
    assert_eq!(narrow.scope, "openid");
    let grant = &w.f.store.grants()[0];
    assert_eq!(grant.scope, "openid profile offline_access");
}

/// An application that lost a scope since the sign-in gets its next tokens
/// without it (decision 0032); the grant keeps what was allowed, and the
/// answer's `scope` says what was issued.
#[tokio::test]
async fn a_refresh_leaves_out_a_scope_the_application_lost() {
    let mut w = world().await;
    let code = code(&w, "openid profile email").await;
    let first = exchange(&w, &code, VERIFIER).await.unwrap();
    assert_eq!(first.scope, "openid profile email");
    w.client.scopes = vec![Scope::OpenId, Scope::Profile];
    let next = refreshed(&w, &first.refresh_token.unwrap(), None, 60)
        .await
        .unwrap();
    assert_eq!(next.scope, "openid profile");
    let claims = |jwt: &str| -> serde_json::Value {
        let part = jwt.split('.').nth(1).unwrap();
        use base64::Engine;
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap();
        serde_json::from_slice(&json).unwrap()
    };
    let id = claims(next.id_token.as_deref().unwrap());
    assert!(
        id.get("email").is_none() && id.get("name").is_some(),
        "{id}"
    );
    assert_eq!(claims(&next.access_token)["scope"], "openid profile");
    // a narrower request names the lost scope: it is still left out
    let narrowed = refreshed(&w, &next.refresh_token.unwrap(), Some("openid email"), 120)
        .await
        .unwrap();
    assert_eq!(narrowed.scope, "openid");
    assert_eq!(w.f.store.grants()[0].scope, "openid profile email");
}

/// A password reset or recovery changes the user's stamp: grants issued
/// before stop refreshing.
#[tokio::test]
async fn a_new_security_stamp_ends_the_grant() {
    let w = world().await;
    let code = code(&w, "openid offline_access").await;
    let token = exchange(&w, &code, VERIFIER)
        .await
        .unwrap()
        .refresh_token
        .unwrap();
    let mut user = w.user.clone();
    user.security_stamp = "changed".into();
    UserStore::insert_user(&w.f.store, &user, &Default::default(), T0)
        .await
        .unwrap();
    let ended = refreshed(&w, &token, None, 60).await.unwrap_err();
    assert_eq!(ended.error, OAuthError::InvalidGrant);
    assert!(w.f.store.grants()[0].revoked_at.is_some());
}

/// Client credentials: only for confidential clients allowed the grant.
#[tokio::test]
async fn client_credentials_need_a_confidential_client_with_the_grant() {
    let w = world().await;
    let machine = client(&[GrantType::ClientCredentials], false);
    let tokens = client_credentials(&w.f.random, &w.issuer(), &machine, None, T0).unwrap();
    assert!(tokens.refresh_token.is_none() && tokens.id_token.is_none());
    let other = client(&[GrantType::AuthorizationCode], false);
    let refused = client_credentials(&w.f.random, &w.issuer(), &other, None, T0).unwrap_err();
    assert_eq!(refused.error, OAuthError::UnauthorizedClient);
}
