//! The JWTs latchkey signed that come back to it: access tokens
//! (`Authorization: Bearer`, at userinfo, introspection and the API) and
//! ID tokens (`id_token_hint` at logout), through
//! `latchkey_web::parsers::bearer` and `core::oidc::signing::verify`.
//!
//! Input: a token, a NUL, a claims text.
//!
//! Properties:
//! - no panic; the `Bearer` header is read back as sent;
//! - nothing the fuzzer makes verifies against the tenant's keys (it
//!   cannot sign), whatever `alg` or `kid` its header names;
//! - sign → verify round-trips: claims signed with the tenant's ES256 or
//!   RS256 key verify to the same claims, and only for the `typ` signed.

use axum::http::{HeaderMap, HeaderValue, header};
use latchkey_core::oidc::signing::{self, Signer, SigningKey};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::platform::random::SeededRandom;
use latchkey_web::parsers::bearer;
use std::sync::OnceLock;

const NOW: UnixTime = UnixTime(1_700_000_000);

struct Keys {
    keys: Vec<SigningKey>,
    signers: Vec<Signer>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let secrets = SecretBox::new(&[5; 32]);
        let random = SeededRandom::new(11);
        let tenant = TenantId::new("t1");
        let keys = vec![
            signing::generate(&tenant, &random, &secrets, NOW).expect("an ES256 key"),
            signing::generate_rs256(&tenant, &random, &secrets, NOW).expect("an RS256 key"),
        ];
        let signers = keys
            .iter()
            .map(|k| Signer::open(k, &secrets).expect("the key opens"))
            .collect();
        Keys { keys, signers }
    })
}

/// Makes the keys before the first input: an RSA key takes seconds, which
/// libFuzzer would otherwise count against the first input's time limit.
pub fn init() {
    keys();
}

pub fn run(data: &[u8]) {
    let [token, claims] = crate::fields::<2>(data);
    let keys = keys();
    if let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}")) {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value);
        if let Some(read) = bearer(&headers) {
            assert_eq!(read, token.trim_matches(|c| c == ' ' || c == '\t'));
        }
    }
    for typ in ["at+jwt", "JWT"] {
        assert_eq!(
            signing::verify(&keys.keys, &token, typ, NOW),
            None,
            "a token the fuzzer made verified"
        );
    }
    let claims = serde_json::from_str::<serde_json::Value>(&claims)
        .unwrap_or_else(|_| serde_json::json!({ "sub": claims }));
    // latchkey signs whole numbers and text only; serde_json may read a
    // fraction back one unit in the last place off, which says nothing
    // about the signature.
    if !has_fraction(&claims) {
        round_trip(&claims);
    }
}

fn has_fraction(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => n.is_f64(),
        serde_json::Value::Array(a) => a.iter().any(has_fraction),
        serde_json::Value::Object(o) => o.values().any(has_fraction),
        _ => false,
    }
}

/// `claims` signed by each key verify to `claims`, for that `typ` only.
pub fn round_trip(claims: &serde_json::Value) {
    let keys = keys();
    for signer in &keys.signers {
        let token = signer.sign_typed("at+jwt", claims).unwrap();
        if token.len() > 8192 {
            continue;
        }
        assert_eq!(
            signing::verify(&keys.keys, &token, "at+jwt", NOW).as_ref(),
            Some(claims)
        );
        assert_eq!(signing::verify(&keys.keys, &token, "JWT", NOW), None);
    }
}
