//! `private_key_jwt` (RFC 7523): the client assertion posted to the token
//! endpoints, `core::oidc::assertion::verify`, and the JWK Set a client
//! registers, `core::oidc::assertion::check_jwks`.
//!
//! Input: a JWK Set text, a NUL, an assertion, a NUL, a jti.
//!
//! Properties:
//! - no panic, for any key set and any assertion;
//! - `check_jwks` is idempotent: what it accepts and stores is accepted
//!   again unchanged (it is read back from the database);
//! - an assertion nobody signed never verifies against a registered key;
//! - sign → verify round-trips: an assertion the client signs with its
//!   registered key, with any `jti` of the allowed length, verifies with
//!   that `jti`.

use latchkey_core::oidc::assertion::{check_jwks, verify};
use latchkey_core::oidc::signing::{self, Signer, SigningKey};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::platform::random::SeededRandom;
use std::sync::OnceLock;

const NOW: UnixTime = UnixTime(1_700_000_000);
const CLIENT: &str = "app";
const AUDIENCES: [&str; 2] = [
    "https://id.example.com/t/acme",
    "https://id.example.com/t/acme/token",
];

struct Key {
    signer: Signer,
    jwks: String,
}

fn key() -> &'static Key {
    static KEY: OnceLock<Key> = OnceLock::new();
    KEY.get_or_init(|| {
        let secrets = SecretBox::new(&[9; 32]);
        let random = SeededRandom::new(3);
        let key: SigningKey = signing::generate(&TenantId::new("t1"), &random, &secrets, NOW)
            .expect("an ES256 key is made");
        let signer = Signer::open(&key, &secrets).expect("the key opens");
        let jwk: serde_json::Value = serde_json::from_str(&key.public_jwk).unwrap();
        let jwks = serde_json::json!({ "keys": [jwk] }).to_string();
        Key { signer, jwks }
    })
}

pub fn run(data: &[u8]) {
    let [jwks, assertion, jti] = crate::fields::<3>(data);
    let key = key();
    match check_jwks("jwks", &jwks) {
        Ok(stored) => {
            assert_eq!(check_jwks("jwks", &stored).as_ref(), Ok(&stored));
            // Any accepted key set is safe to verify against.
            let _ = verify(&stored, &assertion, CLIENT, &AUDIENCES, NOW);
        }
        Err(e) => assert_eq!(e.field, "jwks"),
    }
    let _ = verify(&jwks, &assertion, CLIENT, &AUDIENCES, NOW);
    // The fuzzer cannot sign with the client's key: nothing it makes
    // verifies (the seeds hold real signed assertions, which are stale).
    assert!(
        verify(&key.jwks, &assertion, CLIENT, &AUDIENCES, NOW).is_err(),
        "an assertion the fuzzer made verified"
    );
    round_trip(&jti);
}

/// An assertion signed by the client's key, with `jti`, verifies.
pub fn round_trip(jti: &str) {
    let key = key();
    let claims = serde_json::json!({
        "iss": CLIENT, "sub": CLIENT, "aud": AUDIENCES[1],
        "exp": NOW.0 + 60, "iat": NOW.0, "jti": jti,
    });
    let assertion = key.signer.sign_typed("JWT", &claims).unwrap();
    let verified = verify(&key.jwks, &assertion, CLIENT, &AUDIENCES, NOW);
    if jti.is_empty() || jti.len() > 256 {
        assert!(verified.is_err());
    } else {
        assert_eq!(verified.map(|a| a.jti), Ok(jti.to_owned()));
    }
}
