//! Keys that sign tokens — ES256 (ECDSA P-256 with SHA-256) by default,
//! RS256 for applications that ask for it — signed through ring, their
//! JWKS, and compact JWS. RSA keys are generated with the `rsa` crate
//! (ring cannot generate them), once per tenant and rotation.
//!
//! The private key (PKCS#8) is sealed with the deployment key and never
//! leaves the server; the public key is published as a JWK. The newest key
//! that is not retired signs. `rotate` retires the current key and makes a
//! new one; retired keys stay in the JWKS until tokens they signed have
//! expired (`RETIRED_KEEP_SECS`), so relying parties keep verifying them.

use crate::platform::ids::TenantId;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};

use crate::Error;
use crate::platform::clock::UnixTime;
use crate::platform::crypto::SecretBox;
use crate::platform::random::{Random, bytes};
use crate::platform::secret::b64url;
use crate::platform::time::DAY;
use crate::store::{SigningKeyStore, StoreError};

/// How long a retired key is still published: longer than any token lives.
pub const RETIRED_KEEP_SECS: i64 = 7 * DAY;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub kid: String,
    /// Each tenant is its own issuer with its own keys.
    pub tenant_id: TenantId,
    pub alg: Alg,
    /// The public key as a JWK (JSON object).
    pub public_jwk: String,
    /// PKCS#8, sealed with the deployment key (AAD = kid).
    pub private_sealed: String,
    pub created_at: UnixTime,
    pub retired_at: Option<UnixTime>,
}

fn aad(key: &SigningKey) -> String {
    format!("signing-key:{}:{}", key.tenant_id, key.kid)
}

fn corrupt(what: &str) -> Error {
    Error::Store(StoreError::Corrupt(what.to_owned()))
}

crate::platform::text_enum!(
    /// The algorithms latchkey signs tokens with (the JWS `alg`).
    Alg, "signing_alg", { Es256 => "ES256", Rs256 => "RS256" }
);

/// The system's randomness as the `rsa` crate wants it.
struct RsaRng<'a>(&'a dyn Random);

impl rsa::rand_core::RngCore for RsaRng<'_> {
    fn next_u32(&mut self) -> u32 {
        u32::from_le_bytes(bytes::<4>(self.0))
    }
    fn next_u64(&mut self) -> u64 {
        u64::from_le_bytes(bytes::<8>(self.0))
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill(dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.0.fill(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for RsaRng<'_> {}

/// A new RS256 key (RSA 2048), sealed.
pub fn generate_rs256(
    tenant_id: &TenantId,
    random: &dyn Random,
    secrets: &SecretBox,
    now: UnixTime,
) -> Result<SigningKey, Error> {
    use rsa::pkcs8::EncodePrivateKey;
    use rsa::traits::PublicKeyParts;
    let private = rsa::RsaPrivateKey::new(&mut RsaRng(random), 2048)
        .map_err(|_| corrupt("the system could not generate an RSA signing key"))?;
    let pkcs8 = private
        .to_pkcs8_der()
        .map_err(|_| corrupt("a generated RSA key could not be encoded"))?;
    let kid = b64url(&bytes::<12>(random));
    let jwk = serde_json::json!({
        "kty": "RSA",
        "n": b64url(&private.n().to_bytes_be()),
        "e": b64url(&private.e().to_bytes_be()),
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
    });
    let mut key = SigningKey {
        private_sealed: String::new(),
        kid,
        tenant_id: tenant_id.clone(),
        alg: Alg::Rs256,
        public_jwk: jwk.to_string(),
        created_at: now,
        retired_at: None,
    };
    key.private_sealed = secrets.seal(random, pkcs8.as_bytes(), &aad(&key));
    Ok(key)
}

/// A new ES256 key, sealed.
pub fn generate(
    tenant_id: &TenantId,
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
    let mut key = SigningKey {
        private_sealed: String::new(),
        kid,
        tenant_id: tenant_id.clone(),
        alg: Alg::Es256,
        public_jwk: jwk.to_string(),
        created_at: now,
        retired_at: None,
    };
    key.private_sealed = secrets.seal(random, pkcs8.as_ref(), &aad(&key));
    Ok(key)
}

/// The JWKS document: every key that is current or retired recently.
pub fn jwks(keys: &[SigningKey], now: UnixTime) -> serde_json::Value {
    let keys: Vec<serde_json::Value> = keys
        .iter()
        .filter(|k| published(k, now))
        .filter_map(|k| serde_json::from_str(&k.public_jwk).ok())
        .collect();
    serde_json::json!({ "keys": keys })
}

/// The key that signs now: the newest one not retired.
pub fn active(keys: &[SigningKey]) -> Option<&SigningKey> {
    active_for(keys, Alg::Es256)
}

/// The key that signs with `alg` now: the newest such key not retired.
pub fn active_for(keys: &[SigningKey], alg: Alg) -> Option<&SigningKey> {
    keys.iter()
        .filter(|k| k.retired_at.is_none() && k.alg == alg)
        .max_by_key(|k| (k.created_at, k.kid.clone()))
}

/// An opened signing key, ready to sign many tokens (opening and parsing
/// the key costs more than a signature, so callers keep one around).
pub struct Signer {
    kid: String,
    pair: Pair,
    rng: SystemRandom,
}

enum Pair {
    Ec(EcdsaKeyPair),
    Rsa(RsaKeyPair),
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("kid", &self.kid).finish()
    }
}

impl Signer {
    pub fn open(key: &SigningKey, secrets: &SecretBox) -> Result<Signer, Error> {
        let pkcs8 = secrets
            .open(&key.private_sealed, &aad(key))
            .ok_or_else(|| corrupt("a signing key does not open with the configured key"))?;
        let rng = SystemRandom::new();
        let pair = if key.alg == Alg::Rs256 {
            Pair::Rsa(
                RsaKeyPair::from_pkcs8(&pkcs8)
                    .map_err(|_| corrupt("a stored signing key is not an RSA key"))?,
            )
        } else {
            Pair::Ec(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
                    .map_err(|_| corrupt("a stored signing key is not a P-256 key"))?,
            )
        };
        Ok(Signer {
            kid: key.kid.clone(),
            pair,
            rng,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn alg(&self) -> Alg {
        match self.pair {
            Pair::Ec(_) => Alg::Es256,
            Pair::Rsa(_) => Alg::Rs256,
        }
    }

    /// A compact JWS of `claims` with the given `typ` header.
    pub fn sign_typed(&self, typ: &str, claims: &serde_json::Value) -> Result<String, Error> {
        let header = serde_json::json!({ "alg": self.alg().as_str(), "typ": typ, "kid": self.kid });
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let signature = match &self.pair {
            Pair::Ec(pair) => pair
                .sign(&self.rng, input.as_bytes())
                .map_err(|_| corrupt("signing failed"))?
                .as_ref()
                .to_vec(),
            Pair::Rsa(pair) => {
                let mut out = vec![0; pair.public().modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &self.rng, input.as_bytes(), &mut out)
                    .map_err(|_| corrupt("signing failed"))?;
                out
            }
        };
        Ok(format!("{input}.{}", b64url(&signature)))
    }

    /// A compact JWS (JWT) of `claims`.
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, Error> {
        self.sign_typed("JWT", claims)
    }
}

/// A compact JWS (JWT) of `claims`, signed with `key`.
pub fn sign(
    key: &SigningKey,
    secrets: &SecretBox,
    claims: &serde_json::Value,
) -> Result<String, Error> {
    Signer::open(key, secrets)?.sign(claims)
}

/// Whether `key` is still published (current, or retired recently).
fn published(key: &SigningKey, now: UnixTime) -> bool {
    key.retired_at
        .is_none_or(|at| now.since(at) < RETIRED_KEEP_SECS)
}

/// The claims of a JWS of type `typ` that one of `keys` signed, if that key
/// is still published (ES256 only; any other `alg`, `none` included, is
/// refused). Expiry is the caller's to check.
pub fn verify(
    keys: &[SigningKey],
    token: &str,
    typ: &str,
    now: UnixTime,
) -> Option<serde_json::Value> {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
    if token.len() > 8192 {
        return None;
    }
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
    if header["typ"] != typ {
        return None;
    }
    let kid = header["kid"].as_str()?;
    // The key decides the algorithm; a header naming another is refused.
    let key = keys
        .iter()
        .find(|k| k.kid == kid)
        .filter(|k| published(k, now) && header["alg"] == k.alg.as_str())?;
    let jwk: serde_json::Value = serde_json::from_str(&key.public_jwk).ok()?;
    let signature = URL_SAFE_NO_PAD.decode(sig).ok()?;
    let signed = format!("{h}.{c}");
    if key.alg == Alg::Rs256 {
        ring::signature::RsaPublicKeyComponents {
            n: URL_SAFE_NO_PAD.decode(jwk["n"].as_str()?).ok()?,
            e: URL_SAFE_NO_PAD.decode(jwk["e"].as_str()?).ok()?,
        }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &signature,
        )
        .ok()?;
    } else {
        let mut point = vec![4u8];
        point.extend(URL_SAFE_NO_PAD.decode(jwk["x"].as_str()?).ok()?);
        point.extend(URL_SAFE_NO_PAD.decode(jwk["y"].as_str()?).ok()?);
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
            .verify(signed.as_bytes(), &signature)
            .ok()?;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(c).ok()?).ok()
}

/// Makes the first signing key when there is none that signs (first start).
pub async fn ensure_key<S: SigningKeyStore>(
    store: &S,
    tenant_id: &TenantId,
    random: &dyn Random,
    secrets: &SecretBox,
    now: UnixTime,
) -> Result<Option<SigningKey>, Error> {
    if let Some(current) = active(&store.signing_keys(tenant_id).await?) {
        // A key that does not open would fail every sign-in later; say so now.
        if secrets
            .open(&current.private_sealed, &aad(current))
            .is_none()
        {
            return Err(Error::invalid(
                "security.secret_key",
                "the token signing key does not open with the configured secret key; did security.secret_key change? Restore it, or rotate the keys with the new one (latchkey keys rotate)",
            ));
        }
        return Ok(None);
    }
    let key = generate(tenant_id, random, secrets, now)?;
    store
        .rotate_signing_keys(tenant_id, std::slice::from_ref(&key), now)
        .await?;
    Ok(Some(key))
}

/// Retires the tenant's signing keys and makes new ones — ES256, and RS256
/// when the tenant has one (`latchkey keys rotate`). Returns the new ES256
/// key.
pub async fn rotate<S: SigningKeyStore>(
    store: &S,
    tenant_id: &TenantId,
    random: &dyn Random,
    secrets: &SecretBox,
    now: UnixTime,
) -> Result<SigningKey, Error> {
    let had_rsa = active_for(&store.signing_keys(tenant_id).await?, Alg::Rs256).is_some();
    let key = generate(tenant_id, random, secrets, now)?;
    let mut keys = vec![key.clone()];
    if had_rsa {
        keys.push(generate_rs256(tenant_id, random, secrets, now)?);
    }
    store.rotate_signing_keys(tenant_id, &keys, now).await?;
    Ok(key)
}

/// Makes the tenant's first RS256 key when an application needs one.
pub async fn ensure_rs256<S: SigningKeyStore>(
    store: &S,
    tenant_id: &TenantId,
    random: &dyn Random,
    secrets: &SecretBox,
    now: UnixTime,
) -> Result<(), Error> {
    if active_for(&store.signing_keys(tenant_id).await?, Alg::Rs256).is_none() {
        let key = generate_rs256(tenant_id, random, secrets, now)?;
        store.add_signing_key(&key).await?;
    }
    Ok(())
}

/// A tenant's keys as one node sees them: the published set and the opened
/// key that signs.
#[derive(Debug)]
pub struct TenantKeys {
    pub keys: Vec<SigningKey>,
    /// ES256.
    pub signer: Signer,
    /// RS256, once an application of the tenant asked for it.
    pub rs256: Option<Signer>,
    loaded_at: UnixTime,
}

impl TenantKeys {
    /// The signer for `alg`, if the tenant has a key of it.
    pub fn for_alg(&self, alg: Alg) -> Option<&Signer> {
        match alg {
            Alg::Rs256 => self.rs256.as_ref(),
            Alg::Es256 => Some(&self.signer),
        }
    }
}

/// How long a node signs with the keys it loaded before looking again. A
/// rotation on another node reaches this one within this time; the retired
/// key stays published for days, so tokens signed meanwhile still verify.
pub const KEY_CACHE_SECS: i64 = 60;
/// The least time between two fresh reads of a tenant's keys.
pub const FRESH_MIN_SECS: i64 = 5;

/// Each tenant's keys, loaded (and made, the first time) on demand.
#[derive(Debug, Default)]
pub struct KeyCache(
    std::sync::Mutex<std::collections::HashMap<TenantId, std::sync::Arc<TenantKeys>>>,
);

impl KeyCache {
    fn cached(&self, tenant_id: &TenantId, now: UnixTime) -> Option<std::sync::Arc<TenantKeys>> {
        let map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(tenant_id)
            .filter(|k| now.since(k.loaded_at) < KEY_CACHE_SECS && now >= k.loaded_at)
            .cloned()
    }

    /// The tenant's keys; `fresh` reads the database even when a recent copy
    /// is at hand (a token names a key this node has not seen yet).
    pub async fn get<S: SigningKeyStore>(
        &self,
        store: &S,
        tenant_id: &TenantId,
        random: &dyn Random,
        secrets: &SecretBox,
        now: UnixTime,
        fresh: bool,
    ) -> Result<std::sync::Arc<TenantKeys>, Error> {
        // A fresh read is asked for by tokens naming an unknown key, which
        // anyone can send: at most one per FRESH_MIN_SECS per tenant.
        if let Some(keys) = self.cached(tenant_id, now)
            && (!fresh || now.since(keys.loaded_at) < FRESH_MIN_SECS)
        {
            return Ok(keys);
        }
        self.load(store, tenant_id, random, secrets, now).await
    }

    /// The tenant's keys with an RS256 key among them (made if missing).
    pub async fn with_rs256<S: SigningKeyStore>(
        &self,
        store: &S,
        tenant_id: &TenantId,
        random: &dyn Random,
        secrets: &SecretBox,
        now: UnixTime,
    ) -> Result<std::sync::Arc<TenantKeys>, Error> {
        if let Some(keys) = self.cached(tenant_id, now)
            && keys.rs256.is_some()
        {
            return Ok(keys);
        }
        ensure_rs256(store, tenant_id, random, secrets, now).await?;
        self.load(store, tenant_id, random, secrets, now).await
    }

    async fn load<S: SigningKeyStore>(
        &self,
        store: &S,
        tenant_id: &TenantId,
        random: &dyn Random,
        secrets: &SecretBox,
        now: UnixTime,
    ) -> Result<std::sync::Arc<TenantKeys>, Error> {
        ensure_key(store, tenant_id, random, secrets, now).await?;
        let keys = store.signing_keys(tenant_id).await?;
        let signer = Signer::open(
            active(&keys).ok_or_else(|| corrupt("a tenant has no signing key"))?,
            secrets,
        )?;
        let rs256 = active_for(&keys, Alg::Rs256)
            .map(|k| Signer::open(k, secrets))
            .transpose()?;
        let loaded = std::sync::Arc::new(TenantKeys {
            keys,
            signer,
            rs256,
            loaded_at: now,
        });
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(tenant_id.clone(), loaded.clone());
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::SeededRandom;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};

    #[test]
    fn tokens_verify_with_the_published_key_only() {
        let random = SeededRandom::new(3);
        let secrets = SecretBox::new(&[7; 32]);
        let key = generate(&"t1".into(), &random, &secrets, UnixTime(100)).unwrap();
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

        // verify: only with the published key, never alg=none or tampered
        let now = UnixTime(200);
        let claims = verify(std::slice::from_ref(&key), &jwt, "JWT", now).unwrap();
        assert!(
            verify(std::slice::from_ref(&key), &jwt, "at+jwt", now).is_none(),
            "another type"
        );
        let mut retired = key.clone();
        retired.retired_at = Some(UnixTime(100));
        assert!(verify(std::slice::from_ref(&retired), &jwt, "JWT", now).is_some());
        let later = UnixTime(100 + RETIRED_KEEP_SECS);
        assert!(
            verify(std::slice::from_ref(&retired), &jwt, "JWT", later).is_none(),
            "no longer published, no longer trusted"
        );
        assert_eq!(claims["sub"], "u1");
        let other = generate(&"t1".into(), &random, &secrets, UnixTime(100)).unwrap();
        assert!(verify(std::slice::from_ref(&other), &jwt, "JWT", now).is_none());
        let none_header = b64url(br#"{"alg":"none","kid":"x"}"#);
        let unsigned = format!("{none_header}.{}.", parts[1]);
        assert!(verify(std::slice::from_ref(&key), &unsigned, "JWT", now).is_none());
        let forged_claims = b64url(br#"{"sub":"admin"}"#);
        let tampered = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
        assert!(verify(std::slice::from_ref(&key), &tampered, "JWT", now).is_none());
        // another tenant's key row cannot be swapped in: AAD names the tenant
        let mut moved = key.clone();
        moved.tenant_id = "t2".into();
        assert!(sign(&moved, &secrets, &serde_json::json!({})).is_err());

        // another deployment key cannot open it
        assert!(sign(&key, &SecretBox::new(&[8; 32]), &serde_json::json!({})).is_err());
    }

    #[test]
    fn rs256_keys_sign_and_verify() {
        let random = crate::platform::random::OsRandom;
        let secrets = SecretBox::new(&[7; 32]);
        let key = generate_rs256(&"t1".into(), &random, &secrets, UnixTime(100)).unwrap();
        let signer = Signer::open(&key, &secrets).unwrap();
        assert_eq!(signer.alg(), Alg::Rs256);
        let jwt = signer.sign(&serde_json::json!({"sub": "u"})).unwrap();
        let now = UnixTime(200);
        assert_eq!(
            verify(std::slice::from_ref(&key), &jwt, "JWT", now).unwrap()["sub"],
            "u"
        );
        // a header that names ES256 for an RSA key is refused
        let parts: Vec<&str> = jwt.split('.').collect();
        let header =
            b64url(format!(r#"{{"alg":"ES256","typ":"JWT","kid":"{}"}}"#, key.kid).as_bytes());
        let swapped = format!("{header}.{}.{}", parts[1], parts[2]);
        assert!(verify(std::slice::from_ref(&key), &swapped, "JWT", now).is_none());
        let jwk: serde_json::Value = serde_json::from_str(&key.public_jwk).unwrap();
        assert_eq!(
            (jwk["kty"].as_str(), jwk["alg"].as_str()),
            (Some("RSA"), Some("RS256"))
        );
        assert!(jwk.get("d").is_none());
    }

    #[test]
    fn retired_keys_stay_published_for_a_while() {
        let random = SeededRandom::new(4);
        let secrets = SecretBox::new(&[7; 32]);
        let mut old = generate(&"t1".into(), &random, &secrets, UnixTime(100)).unwrap();
        let new = generate(&"t1".into(), &random, &secrets, UnixTime(200)).unwrap();
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
