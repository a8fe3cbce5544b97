//! The OpenID Connect provider's rules: authorization requests, codes,
//! grants with rotating refresh tokens, token contents, and what each
//! endpoint may answer. HTTP lives in the web crate; this module decides.
//!
//! Every tenant is its own issuer (`{public_url}/t/{slug}`). Codes and
//! refresh tokens are random 256-bit values stored as SHA-256. A grant is
//! what one redeemed code gave: its refresh tokens form one family, and every
//! access token names the grant in its `jti`, so revoking the grant (reuse
//! of a refresh token, replay of a code, sign-out, revocation) ends them all
//! at the userinfo and introspection endpoints.
//!
//! `authorize` — the authorization request and its code;
//! one file per grant under `grants/`; `client_auth` — how clients prove
//! who they are; `tokens` — what tokens say and minting them; `introspect`
//! — checking and revoking tokens; `errors` — the token endpoint's errors.
//! [`client`]: registered applications; [`connections`]: the applications
//! a person is connected to, and removing their access; [`client_limit`]: limits on failed
//! client authentication; [`assertion`]: `private_key_jwt`; [`signing`]:
//! the tenants' signing keys.

pub mod assertion;
pub mod client;
pub mod client_limit;
pub mod connections;
pub mod signing;
pub mod snippet;
pub mod store;

mod authorize;
mod client_auth;
mod errors;
mod grants;
mod introspect;
pub mod scope;
mod tokens;

pub use authorize::*;
pub use client_auth::*;
pub use errors::*;
pub use grants::*;
pub use introspect::*;
pub use scope::Scope;
pub use tokens::*;

use std::collections::BTreeMap;

use crate::Error;
use crate::accounts::session::{AuthMethod, Session};
use crate::accounts::user::User;
use crate::oidc::client::{Client, GrantType};
use crate::oidc::signing::Signer;
use crate::platform::clock::UnixTime;
use crate::platform::crypto::SecretBox;
use crate::platform::ids::{ClientId, ClientRowId, GrantId, SessionHash, TenantId, UserId};
use crate::platform::random::{Random, new_id};
use crate::platform::secret::{SecretToken, b64url, ct_eq, sha256_hex};
use crate::store::{ClientStore, OidcStore, SessionStore, StoreResult, UserStore};
use crate::tenants::Tenant;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::SeededRandom;
    use crate::platform::time::DAY;

    fn client(public: bool, first_party: bool) -> Client {
        Client {
            id: "row1".into(),
            tenant_id: "t1".into(),
            client_id: "app".into(),
            name: "App".into(),
            secret_hash: (!public).then(|| sha256_hex(b"s3cret")),
            redirect_uris: vec!["https://app.example/cb".into()],
            post_logout_uris: vec![],
            grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            first_party,
            scopes: Scope::DEFAULT.to_vec(),
            access_token_secs: 600,
            refresh_token_secs: DAY,
            created_at: UnixTime(0),
            jwks: None,
            token_alg: crate::oidc::signing::Alg::Es256,
            pkce_optional: false,
        }
    }

    fn request(prompt: Prompt, max_age: Option<i64>, after: Option<i64>) -> AuthorizeRequest {
        AuthorizeRequest {
            client: client(false, false),
            redirect_uri: "https://app.example/cb".into(),
            scope: vec![Scope::OpenId],
            state: Some("s".into()),
            nonce: None,
            code_challenge: None,
            prompt,
            max_age,
            login_hint: None,
            signed_in_after: after.map(UnixTime),
            params: vec![
                ("client_id".into(), "app".into()),
                ("prompt".into(), "login".into()),
                ("max_age".into(), "0".into()),
            ],
        }
    }

    fn session(auth_time: i64) -> Session {
        Session {
            id_hash: "h".into(),
            tenant_id: "t1".into(),
            user_id: "u".into(),
            created_at: UnixTime(auth_time),
            last_seen_at: UnixTime(auth_time),
            expires_at: UnixTime(auth_time + 1000),
            auth_time: UnixTime(auth_time),
            methods: vec![AuthMethod::Password],
            security_stamp: "s".into(),
            ip: None,
            user_agent: None,
            stage: crate::accounts::session::SessionStage::Complete,
        }
    }

    #[test]
    fn pkce_s256_matches_the_rfc_example() {
        // RFC 7636 appendix B
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(challenge, verifier));
        assert!(!pkce_matches(
            challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx"
        ));
        assert!(!pkce_matches(challenge, "short"));
    }

    #[test]
    fn prompt_none_never_shows_a_page() {
        let none = Prompt {
            none: true,
            ..Prompt::default()
        };
        let r = request(none, None, None);
        assert_eq!(
            r.next(None, UnixTime(10), false, true),
            Next::Fail(OAuthError::LoginRequired)
        );
        let s = session(0);
        assert_eq!(
            r.next(Some(&s), UnixTime(10), true, true),
            Next::Fail(OAuthError::InteractionRequired)
        );
        assert_eq!(
            r.next(Some(&s), UnixTime(10), false, false),
            Next::Fail(OAuthError::ConsentRequired)
        );
        assert_eq!(r.next(Some(&s), UnixTime(10), false, true), Next::Issue);
    }

    #[test]
    fn a_forced_sign_in_is_asked_once_and_then_accepted() {
        let login = Prompt {
            login: true,
            ..Prompt::default()
        };
        let r = request(login, None, None);
        let old = session(0);
        assert_eq!(
            r.next(Some(&old), UnixTime(100), false, true),
            Next::SignIn { fresh: true }
        );
        // the resumed request names the time, and no longer prompt=login
        let tenant_path = r.resume_query(Some(UnixTime(100)));
        assert!(
            tenant_path.contains("latchkey_signed_in_after=100"),
            "{tenant_path}"
        );
        assert!(!tenant_path.contains("prompt=login") && !tenant_path.contains("max_age"));
        let resumed = request(Prompt::default(), None, Some(100));
        assert_eq!(
            resumed.next(Some(&old), UnixTime(101), false, true),
            Next::SignIn { fresh: true },
            "the old sign-in still does not count"
        );
        assert_eq!(
            resumed.next(Some(&session(100)), UnixTime(101), false, true),
            Next::Issue
        );
        // max_age
        let aged = request(Prompt::default(), Some(60), None);
        assert_eq!(
            aged.next(Some(&session(50)), UnixTime(100), false, true),
            Next::Issue
        );
        assert_eq!(
            aged.next(Some(&session(0)), UnixTime(100), false, true),
            Next::SignIn { fresh: true }
        );
    }

    #[test]
    fn first_party_clients_skip_consent_unless_asked() {
        let mut r = request(Prompt::default(), None, None);
        r.client.first_party = true;
        assert_eq!(
            r.next(Some(&session(0)), UnixTime(1), false, false),
            Next::Issue
        );
        r.client.first_party = false;
        assert_eq!(
            r.next(Some(&session(0)), UnixTime(1), false, false),
            Next::Consent
        );
        r.prompt.consent = true;
        assert_eq!(
            r.next(Some(&session(0)), UnixTime(1), false, true),
            Next::Consent
        );
    }

    #[test]
    fn error_redirects_keep_the_callers_query_and_state() {
        let e = ErrorRedirect {
            redirect_uri: "https://app.example/cb?x=1".into(),
            state: Some("a b&c".into()),
            error: OAuthError::AccessDenied,
            description: "no".into(),
        };
        assert_eq!(
            e.location("https://id.example/t/acme"),
            "https://app.example/cb?x=1&error=access_denied&error_description=no&state=a%20b%26c&iss=https%3A%2F%2Fid.example%2Ft%2Facme"
        );
    }

    #[test]
    fn refresh_tokens_are_genuine_or_nothing() {
        let secrets = SecretBox::new(&[1; 32]);
        let t = refresh_token(&secrets, &"g1".into(), 3);
        assert_eq!(parse_refresh_token(&secrets, &t), Some(("g1".into(), 3)));
        assert_eq!(parse_refresh_token(&SecretBox::new(&[2; 32]), &t), None);
        let forged = t.replace(".3.", ".4.");
        assert_eq!(parse_refresh_token(&secrets, &forged), None);
        assert_eq!(parse_refresh_token(&secrets, "lkr.g1.0.x"), None);
        assert_eq!(parse_refresh_token(&secrets, "garbage"), None);
        assert_ne!(refresh_token(&secrets, &"g1".into(), 4), t);
    }

    #[test]
    fn acr_counts_second_factors() {
        assert_eq!(acr(&[AuthMethod::Password]), "1");
        assert_eq!(acr(&[AuthMethod::Password, AuthMethod::Otp]), "2");
        assert_eq!(acr(&[AuthMethod::SoftwareKey]), "2");
        assert_eq!(acr(&[AuthMethod::Password, AuthMethod::KeyPossession]), "2");
        assert_eq!(acr(&[AuthMethod::Password, AuthMethod::Recovery]), "1");
    }

    #[test]
    fn sid_hides_the_session() {
        let secrets = SecretBox::new(&[1; 32]);
        let a = sid(&secrets, &"hash-a".into());
        assert_eq!(a.len(), 32);
        assert_ne!(a, sid(&secrets, &"hash-b".into()));
        assert!(!a.contains("hash"));
        let _ = SeededRandom::new(1);
    }
}
