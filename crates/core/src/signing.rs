//! Keys that sign tokens (ES256, ECDSA P-256 with SHA-256, through ring),
//! their JWKS, and compact JWS.
//!
//! The private key (PKCS#8) is sealed with the deployment key and never
//! leaves the server; the public key is published as a JWK. The newest key
//! that is not retired signs. `rotate` retires the current key and makes a
//! new one; retired keys stay in the JWKS until tokens they signed have
//! expired (`RETIRED_KEEP_SECS`), so relying parties keep verifying them.

use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};

use crate::Error;
use crate::clock::UnixTime;
use crate::crypto::SecretBox;
use crate::random::{Random, bytes};
use crate::secret::b64url;
use crate::store::StoreError;

/// How long a retired key is still published: longer than any token lives.
pub const RETIRED_KEEP_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub kid: String,
    pub alg: String,
    /// The public key as a JWK (JSON object).
    pub public_jwk: String,
    /// PKCS#8, sealed with the deployment key (AAD = kid).
    pub private_sealed: String,
    pub created_at: UnixTime,
    pub retired_at: Option<UnixTime>,
}

fn aad(kid: &str) -> String {
    format!("signing-key:{kid}")
}

fn corrupt(what: &str) -> Error {
    Error::Store(StoreError::Corrupt(what.to_owned()))
}

/// A new ES256 key, sealed.
pub fn generate(
    random: &dyn Random,
    secrets: &SecretBox,
    now: UnixTime,
) -> Result<SigningKey, Error> {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .map_err(|_| corrupt("the system could not generate a signing key"))?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
        .map_err(|_| corrupt("a generated signing key did not load"))?;
    let public = pair.public_key().as_ref(); // 0x04 || x || y
    let kid = b64url(&bytes::<12>(random));
    let jwk = serde_json::json!({
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(&public[1..33]),
        "y": b64url(&public[33..65]),
        "kid": kid,
        "use": "sig",
        "alg": "ES256",
    });
    Ok(SigningKey {
        private_sealed: secrets.seal(random, pkcs8.as_ref(), &aad(&kid)),
        kid,
        alg: "ES256".into(),
        public_jwk: jwk.to_string(),
        created_at: now,
        retired_at: None,
    })
}

/// The JWKS document: every key that is current or retired recently.
pub fn jwks(keys: &[SigningKey], now: UnixTime) -> serde_json::Value {
    let keys: Vec<serde_json::Value> = keys
        .iter()
        .filter(|k| {
            k.retired_at
                .is_none_or(|at| now.since(at) < RETIRED_KEEP_SECS)
        })
        .filter_map(|k| serde_json::from_str(&k.public_jwk).ok())
        .collect();
    serde_json::json!({ "keys": keys })
}

/// The key that signs now: the newest one not retired.
pub fn active(keys: &[SigningKey]) -> Option<&SigningKey> {
    keys.iter()
        .filter(|k| k.retired_at.is_none())
        .max_by_key(|k| (k.created_at, k.kid.clone()))
}

/// A compact JWS (JWT) of `claims`, signed with `key`.
pub fn sign(
    key: &SigningKey,
    secrets: &SecretBox,
    claims: &serde_json::Value,
) -> Result<String, Error> {
    let pkcs8 = secrets
        .open(&key.private_sealed, &aad(&key.kid))
        .ok_or_else(|| corrupt("a signing key does not open with the configured key"))?;
    let rng = SystemRandom::new();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
        .map_err(|_| corrupt("a stored signing key is not a P-256 key"))?;
    let header = serde_json::json!({ "alg": "ES256", "typ": "JWT", "kid": key.kid });
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let signature = pair
        .sign(&rng, input.as_bytes())
        .map_err(|_| corrupt("signing failed"))?;
    Ok(format!("{input}.{}", b64url(signature.as_ref())))
}

/// Makes the first signing key when there is none that signs (first start).
pub async fn ensure_key<S: crate::store::SigningKeyStore>(
    store: &S,
    random: &dyn Random,
    secrets: &SecretBox,
    now: UnixTime,
) -> Result<Option<SigningKey>, Error> {
    if let Some(current) = active(&store.signing_keys().await?) {
        // A key that does not open would fail every sign-in later; say so now.
        if secrets
            .open(&current.private_sealed, &aad(&current.kid))
            .is_none()
        {
            return Err(Error::invalid(
                "security.secret_key",
                "the token signing key does not open with the configured secret key; did security.secret_key change? Restore it, or rotate the keys with the new one (latchkey keys rotate)",
            ));
        }
        return Ok(None);
    }
    let key = generate(random, secrets, now)?;
    store.rotate_signing_key(&key, now).await?;
    Ok(Some(key))
}

/// Retires the signing key and makes a new one (`latchkey keys rotate`).
pub async fn rotate<S: crate::store::SigningKeyStore>(
    store: &S,
    random: &dyn Random,
    secrets: &SecretBox,
    now: UnixTime,
) -> Result<SigningKey, Error> {
    let key = generate(random, secrets, now)?;
    store.rotate_signing_key(&key, now).await?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};

    #[test]
    fn tokens_verify_with_the_published_key_only() {
        let random = SeededRandom::new(3);
        let secrets = SecretBox::new(&[7; 32]);
        let key = generate(&random, &secrets, UnixTime(100)).unwrap();
        assert!(
            !key.private_sealed.contains("MIG"),
            "sealed, not PEM/DER in clear"
        );
        let jwt = sign(&key, &secrets, &serde_json::json!({ "sub": "u1" })).unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(
            (header["alg"].as_str(), header["kid"].as_str()),
            (Some("ES256"), Some(key.kid.as_str()))
        );

        let set = jwks(std::slice::from_ref(&key), UnixTime(200));
        let jwk = &set["keys"][0];
        let mut point = vec![4u8];
        point.extend(URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap());
        point.extend(URL_SAFE_NO_PAD.decode(jwk["y"].as_str().unwrap()).unwrap());
        let public = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point);
        let signed = format!("{}.{}", parts[0], parts[1]);
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        assert!(public.verify(signed.as_bytes(), &signature).is_ok());
        assert!(public.verify(b"something else", &signature).is_err());

        // another deployment key cannot open it
        assert!(sign(&key, &SecretBox::new(&[8; 32]), &serde_json::json!({})).is_err());
    }

    #[test]
    fn retired_keys_stay_published_for_a_while() {
        let random = SeededRandom::new(4);
        let secrets = SecretBox::new(&[7; 32]);
        let mut old = generate(&random, &secrets, UnixTime(100)).unwrap();
        let new = generate(&random, &secrets, UnixTime(200)).unwrap();
        old.retired_at = Some(UnixTime(200));
        let keys = [old.clone(), new.clone()];
        assert_eq!(active(&keys).map(|k| &k.kid), Some(&new.kid));
        assert_eq!(
            jwks(&keys, UnixTime(300))["keys"].as_array().unwrap().len(),
            2
        );
        let later = UnixTime(200 + RETIRED_KEEP_SECS);
        assert_eq!(jwks(&keys, later)["keys"].as_array().unwrap().len(), 1);
    }
}
