//! Secrets at rest (TOTP seeds, later signing keys): XChaCha20-Poly1305 under
//! a key derived from the configured secret key, with a random 192-bit nonce
//! per value and the owning record's id as associated data, so a sealed value
//! copied onto another record does not open.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::platform::random::{Random, bytes};
use crate::platform::secret::hmac_sha256;

const PREFIX: &str = "v1.";

#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
    mac_key: [u8; 32],
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    /// A box whose key is derived from the deployment's secret key.
    pub fn new(master: &[u8; 32]) -> SecretBox {
        let key = hmac_sha256(master, &[b"latchkey secret box v1"]);
        SecretBox {
            cipher: XChaCha20Poly1305::new(Key::from_slice(&key)),
            mac_key: hmac_sha256(master, &[b"latchkey mac v1"]),
        }
    }

    /// A keyed hash (HMAC-SHA256, hex) of `parts`, for short secrets such as
    /// 8-digit codes that a plain hash would not protect: without the
    /// deployment's key, a stolen hash cannot be brute-forced.
    pub fn mac(&self, parts: &[&[u8]]) -> String {
        hex::encode(hmac_sha256(&self.mac_key, parts))
    }

    /// Encrypts `plaintext` for the record `aad`; text fit for a TEXT column.
    pub fn seal(&self, random: &dyn Random, plaintext: &[u8], aad: &str) -> String {
        let nonce = bytes::<24>(random);
        // Encryption of an in-memory buffer with a valid key cannot fail.
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// Decrypts a value sealed for `aad`; `None` if it was altered, sealed for
    /// another record or under another key.
    pub fn open(&self, sealed: &str, aad: &str) -> Option<Vec<u8>> {
        let raw = URL_SAFE_NO_PAD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
        if raw.len() < 24 + 16 {
            return None;
        }
        let (nonce, ct) = raw.split_at(24);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: aad.as_bytes(),
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::OsRandom;

    #[test]
    fn seals_and_opens_only_for_its_record_and_key() {
        let b = SecretBox::new(&[7; 32]);
        let sealed = b.seal(&OsRandom, b"seed bytes", "user-1");
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("seed"));
        assert_eq!(
            b.open(&sealed, "user-1").as_deref(),
            Some(&b"seed bytes"[..])
        );
        assert_eq!(b.open(&sealed, "user-2"), None);
        assert_eq!(SecretBox::new(&[8; 32]).open(&sealed, "user-1"), None);
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            b.open(std::str::from_utf8(&tampered).unwrap(), "user-1"),
            None
        );
        assert_eq!(b.open("garbage", "user-1"), None);
        assert_ne!(
            b.seal(&OsRandom, b"seed bytes", "user-1"),
            sealed,
            "fresh nonce each time"
        );
    }
}
