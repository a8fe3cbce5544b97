//! The authorization endpoint's request (`/authorize`, query or form):
//! `core::oidc::authorize::parse_authorize`, as the handler calls it.
//!
//! Properties:
//! - no panic, whatever the parameters;
//! - an error is sent to a redirect URI only if it is one the client
//!   registered (no open redirector), and the error is the client's, never
//!   `server_error`;
//! - parse → `resume_query` → parse gives the same request: a request
//!   resumed after a sign-in is the request the application sent.

use latchkey_core::oidc::OAuthError;
use latchkey_core::oidc::client::{Client, ClientInput};
use latchkey_core::oidc::{AuthorizeError, AuthorizeRequest, parse_authorize};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{ClientId, TenantId};
use latchkey_core::platform::random::SeededRandom;
use latchkey_core::store::{ClientStore, Effects, StoreError, StoreResult};
use latchkey_core::tenants::{Tenant, TenantInput};
use std::sync::OnceLock;

/// The registered applications the requests name: a confidential
/// first-party one and a public one (PKCE required).
pub struct Clients {
    pub tenant: Tenant,
    pub clients: Vec<Client>,
}

impl Clients {
    fn get() -> &'static Clients {
        static CLIENTS: OnceLock<Clients> = OnceLock::new();
        CLIENTS.get_or_init(|| {
            let tenant = TenantInput {
                slug: "acme".into(),
                display_name: "Acme".into(),
                ..Default::default()
            }
            .parse(TenantId::new("t1"), UnixTime(1_700_000_000))
            .expect("the tenant fixture is valid");
            let random = SeededRandom::new(7);
            let make = |input: ClientInput| {
                input
                    .parse(&tenant, &random, UnixTime(1_700_000_000))
                    .expect("the client fixture is valid")
                    .0
            };
            let mut app = make(ClientInput {
                name: "App".into(),
                redirect_uris: vec![
                    "https://app.example.com/cb".into(),
                    "https://app.example.com/cb?x=1".into(),
                ],
                first_party: true,
                ..Default::default()
            });
            app.client_id = ClientId::new("app");
            let mut spa = make(ClientInput {
                name: "Single page".into(),
                redirect_uris: vec!["http://127.0.0.1:8080/cb".into()],
                public: true,
                ..Default::default()
            });
            spa.client_id = ClientId::new("spa");
            Clients {
                tenant,
                clients: vec![app, spa],
            }
        })
    }
}

fn unused<T>() -> StoreResult<T> {
    Err(StoreError::Unavailable(
        "the fuzz target's store only looks clients up".into(),
    ))
}

impl ClientStore for Clients {
    async fn insert_client(&self, _: &Client, _: &Effects<'_>, _: UnixTime) -> StoreResult<()> {
        unused()
    }
    async fn client_by_client_id(
        &self,
        tenant_id: &TenantId,
        client_id: &ClientId,
    ) -> StoreResult<Option<Client>> {
        Ok(self
            .clients
            .iter()
            .find(|c| c.tenant_id == *tenant_id && c.client_id == *client_id)
            .cloned())
    }
    async fn list_clients(&self, _: &TenantId) -> StoreResult<Vec<Client>> {
        Ok(self.clients.clone())
    }
    async fn client_for_change(&self, t: &TenantId, c: &ClientId) -> StoreResult<Option<Client>> {
        self.client_by_client_id(t, c).await
    }
    async fn update_client(&self, _: &Client, _: &Effects<'_>, _: UnixTime) -> StoreResult<bool> {
        unused()
    }
    async fn set_client_secret(
        &self,
        _: &Client,
        _: &str,
        _: &Effects<'_>,
        _: UnixTime,
    ) -> StoreResult<bool> {
        unused()
    }
    async fn delete_client(&self, _: &Client, _: &Effects<'_>, _: UnixTime) -> StoreResult<bool> {
        unused()
    }
}

/// Parses `params` as the endpoint does.
pub fn parse(params: Vec<(String, String)>) -> Result<AuthorizeRequest, AuthorizeError> {
    let clients = Clients::get();
    crate::now_or_never(parse_authorize(clients, &clients.tenant, params))
}

pub fn run(data: &[u8]) {
    // The handler takes the query or form through axum's decoder, which is
    // serde_urlencoded: what it refuses never reaches the parser.
    let Ok(params) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else {
        return;
    };
    check(params);
}

/// The properties, for one list of parameters.
pub fn check(params: Vec<(String, String)>) {
    let clients = Clients::get();
    match parse(params) {
        Err(AuthorizeError::Page(message)) => assert!(!message.is_empty()),
        Err(AuthorizeError::Redirect(e)) => {
            assert!(
                clients
                    .clients
                    .iter()
                    .any(|c| c.redirect_uris.contains(&e.redirect_uri)),
                "an error went to an unregistered redirect URI: {e:?}"
            );
            assert_ne!(e.error, OAuthError::ServerError, "{e:?}");
            // The redirect must carry the error back intact (RFC 6749
            // §4.1.2.1): the application reads exactly what was said.
            let location = e.location("https://id.example.com/t/acme");
            let url = url::Url::parse(&location).expect("an error redirect is a URL");
            let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            let get = |k: &str| {
                pairs
                    .iter()
                    .rev()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
            };
            assert_eq!(get("error").as_deref(), Some(e.error.as_str()));
            assert_eq!(get("error_description"), Some(e.description.clone()));
            assert_eq!(get("state"), e.state.clone());
            assert_eq!(get("iss").as_deref(), Some("https://id.example.com/t/acme"));
        }
        Ok(request) => {
            let query = request.resume_query(None);
            let again: Vec<(String, String)> =
                serde_urlencoded::from_str(query.trim_start_matches('?'))
                    .expect("a resume query is a form");
            let resumed = parse(again).expect("a resumed request parses again");
            assert_eq!(resumed.client.client_id, request.client.client_id);
            assert_eq!(resumed.redirect_uri, request.redirect_uri);
            assert_eq!(resumed.scope, request.scope);
            assert_eq!(resumed.state, request.state);
            assert_eq!(resumed.nonce, request.nonce);
            assert_eq!(resumed.code_challenge, request.code_challenge);
            assert_eq!(resumed.prompt, request.prompt);
            assert_eq!(resumed.max_age, request.max_age);
            assert_eq!(resumed.login_hint, request.login_hint);
            assert_eq!(resumed.signed_in_after, request.signed_in_after);
            // After a forced sign-in the request resumes without prompt=login
            // and max_age, and still parses.
            let fresh = request.resume_query(Some(UnixTime(1_800_000_000)));
            let fresh: Vec<(String, String)> =
                serde_urlencoded::from_str(fresh.trim_start_matches('?'))
                    .expect("a resume query is a form");
            if let Ok(resumed) = parse(fresh) {
                assert!(!resumed.prompt.login);
                assert_eq!(resumed.max_age, None);
                assert_eq!(resumed.signed_in_after, Some(UnixTime(1_800_000_000)));
            }
        }
    }
}
