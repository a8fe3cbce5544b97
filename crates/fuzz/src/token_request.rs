//! The token-style endpoints' request (`/token`, `/introspect`, `/revoke`):
//! the form body and the `Authorization: Basic` header, read by
//! `latchkey_web::parsers::read_token_form` as the handlers read them.
//!
//! Input: the header value, a NUL, the body.
//!
//! Properties:
//! - no panic;
//! - a refusal is `invalid_request` (the form) or `invalid_client` (the
//!   header): a 400 or 401, never a server error;
//! - a form with every parameter once is accepted, and Basic round-trips:
//!   the id and secret a client encodes (RFC 6749 §2.3.1: form-encoded,
//!   then base64) are the id and secret read back.

use axum::Form;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey_core::oidc::OAuthError;
use latchkey_web::parsers::{read_basic, read_token_form};

pub fn run(data: &[u8]) {
    let [authorization, body] = crate::fields::<2>(data);
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(authorization.as_bytes())
        && !authorization.is_empty()
    {
        headers.insert(header::AUTHORIZATION, value);
    }
    let form = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body.as_bytes());
    let unique = form.as_ref().is_ok_and(|pairs| {
        pairs
            .iter()
            .enumerate()
            .all(|(i, (k, _))| pairs[..i].iter().all(|(j, _)| j != k))
    });
    // axum's Form is serde_urlencoded; a body it refuses is a rejection,
    // which the handler turns into invalid_request like any other.
    let parsed = match form {
        Ok(pairs) => read_token_form(&headers, Ok(Form(pairs))),
        Err(_) => match read_basic(&headers) {
            Ok(_) => return,
            Err(e) => Err(e),
        },
    };
    match parsed {
        Err(e) => {
            assert!(
                matches!(
                    e.error,
                    OAuthError::InvalidRequest | OAuthError::InvalidClient
                ),
                "{e:?}"
            );
            assert!(!e.description.is_empty());
            assert!(e.retry_after_secs.is_none());
            if e.error == OAuthError::InvalidRequest {
                assert!(!unique, "a form of unique parameters was refused: {e:?}");
            }
        }
        Ok(form) => {
            assert!(unique);
            let basic = form.auth().basic.clone();
            assert_eq!(basic.is_some(), headers.contains_key(header::AUTHORIZATION));
        }
    }
    // The round trip, with the id and secret taken from the input.
    let [id, secret] = crate::fields::<2>(body.as_bytes());
    basic_round_trip(&id, &secret);
}

/// The header a client makes for `id` and `secret`, read back.
pub fn basic_round_trip(id: &str, secret: &str) {
    let encode = |v: &str| serde_urlencoded::to_string([("v", v)]).unwrap()[2..].to_owned();
    let value = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", encode(id), encode(secret)))
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        header::AUTHORIZATION,
        HeaderValue::from_str(&value).unwrap(),
    );
    let read = read_basic(&headers).expect("a well-made Basic header is read");
    assert_eq!(read, Some((id.to_owned(), secret.to_owned())));
}
