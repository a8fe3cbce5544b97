//! High-entropy secrets (session ids, CSRF tokens, link tokens): generated with
//! 256 bits, handed out once, stored only as a SHA-256 hash and compared in
//! constant time. A slow hash adds nothing for secrets this random.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::platform::random::{Random, bytes};

/// A secret handed to a client. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

impl SecretToken {
    /// 256 random bits, base64url without padding (43 characters).
    pub fn generate(random: &dyn Random) -> SecretToken {
        SecretToken(URL_SAFE_NO_PAD.encode(bytes::<32>(random)))
    }

    /// Accepts a token as presented by a client; anything that is not the shape
    /// of a generated token is refused before it reaches the database.
    pub fn from_presented(value: &str) -> Option<SecretToken> {
        let ok = value.len() == 43
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| SecretToken(value.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is stored: the hex SHA-256 of the token.
    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Constant-time equality of two byte strings (length is not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// HMAC-SHA256 over the parts, each prefixed by its length so that parts cannot
/// be shifted into each other.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable_hmac(),
    };
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

fn unreachable_hmac() -> ! {
    eprintln!("fatal: HMAC refused a key, which it never does");
    std::process::abort()
}

pub fn b64url(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::OsRandom;

    #[test]
    fn tokens_have_256_bits_and_roundtrip() {
        let t = SecretToken::generate(&OsRandom);
        assert_eq!(t.expose().len(), 43);
        assert_eq!(SecretToken::from_presented(t.expose()), Some(t.clone()));
        assert_eq!(t.hash().len(), 64);
        assert_ne!(t.hash(), t.expose());
    }

    #[test]
    fn malformed_tokens_are_refused() {
        assert!(SecretToken::from_presented("").is_none());
        assert!(SecretToken::from_presented(&"a".repeat(42)).is_none());
        assert!(SecretToken::from_presented(&format!("{}=", "a".repeat(42))).is_none());
        assert!(SecretToken::from_presented(&"é".repeat(43)).is_none());
    }

    #[test]
    fn debug_hides_the_secret() {
        let t = SecretToken::generate(&OsRandom);
        assert!(!format!("{t:?}").contains(t.expose()));
    }

    #[test]
    fn hmac_parts_are_length_prefixed() {
        let a = hmac_sha256(b"k", &[b"ab", b"c"]);
        let b = hmac_sha256(b"k", &[b"a", b"bc"]);
        assert_ne!(a, b);
        assert!(ct_eq(&a, &hmac_sha256(b"k", &[b"ab", b"c"])));
        assert!(!ct_eq(&a, &b));
        assert!(!ct_eq(b"a", b"ab"));
    }
}
