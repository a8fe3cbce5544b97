//! Redirect URIs: `core::oidc::client::check_redirect_uri`, which every
//! registered redirect and post-logout URI passes (CLI, admin pages, API),
//! and the error redirect built on one (`ErrorRedirect::location`).
//!
//! Input: a URI, a NUL, a `state`, a NUL, an error description.
//!
//! Properties:
//! - no panic;
//! - what is accepted is stored as given and accepted again unchanged
//!   (redirects are matched byte for byte); it is absolute https, or http
//!   on a loopback address, without fragment or user info;
//! - a refusal names the field;
//! - render → parse round-trips: an error redirect on an accepted URI
//!   keeps the URI's own query and carries `error`, `error_description`,
//!   `state` and `iss` back exactly.

use latchkey_core::oidc::client::check_redirect_uri;
use latchkey_core::oidc::{ErrorRedirect, OAuthError};

const ISSUER: &str = "https://id.example.com/t/acme";

pub fn run(data: &[u8]) {
    let [uri, state, description] = crate::fields::<3>(data);
    match check_redirect_uri("redirect_uris", &uri) {
        Err(e) => assert_eq!(e.field, "redirect_uris"),
        Ok(stored) => {
            assert_eq!(stored, uri.trim());
            assert_eq!(
                check_redirect_uri("redirect_uris", &stored).as_ref(),
                Ok(&stored)
            );
            let parsed = url::Url::parse(&stored).expect("an accepted URI is a URL");
            let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            assert!(
                parsed.scheme() == "https" || (parsed.scheme() == "http" && loopback),
                "{stored}"
            );
            assert!(parsed.fragment().is_none() && parsed.username().is_empty());
            assert!(parsed.password().is_none());
            round_trip(&stored, &parsed, &state, &description);
        }
    }
}

fn round_trip(stored: &str, parsed: &url::Url, state: &str, description: &str) {
    let redirect = ErrorRedirect {
        redirect_uri: stored.to_owned(),
        state: (!state.is_empty()).then(|| state.to_owned()),
        error: OAuthError::AccessDenied,
        description: description.to_owned(),
    };
    let location = url::Url::parse(&redirect.location(ISSUER)).expect("a redirect is a URL");
    assert_eq!(location.scheme(), parsed.scheme());
    assert_eq!(location.host_str(), parsed.host_str());
    assert_eq!(location.port(), parsed.port());
    assert_eq!(location.path(), parsed.path());
    let own: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    let all: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    assert!(all.starts_with(&own), "the URI's own query was changed");
    let added = &all[own.len()..];
    let mut expected = vec![
        ("error".to_owned(), "access_denied".to_owned()),
        ("error_description".to_owned(), description.to_owned()),
    ];
    if let Some(state) = &redirect.state {
        expected.push(("state".to_owned(), state.clone()));
    }
    expected.push(("iss".to_owned(), ISSUER.to_owned()));
    assert_eq!(added, expected.as_slice());
}
