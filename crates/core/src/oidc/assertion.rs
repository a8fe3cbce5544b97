//! `private_key_jwt` client authentication (RFC 7523 §2.2, OIDC Core §9):
//! the client signs a short-lived JWT with a private key whose public half
//! it registered as a JWK Set. Accepted algorithms: ES256 and RS256; `none`
//! and every HMAC algorithm are refused (a public key must never be used as
//! an HMAC secret).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents, UnparsedPublicKey,
};

use crate::platform::clock::UnixTime;
use crate::platform::validate::FieldError;

/// The assertion type of RFC 7523.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Longest lifetime an assertion may claim.
pub const MAX_LIFETIME_SECS: i64 = 300;
/// Largest JWK Set a client may register.
pub const JWKS_MAX: usize = 16 * 1024;

fn b64(value: &serde_json::Value) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(value.as_str()?).ok()
}

/// Checks a JWK Set a client registers: a JSON object with 1–10 public keys,
/// each EC P-256 or RSA (≥ 2048 bits), no private parts.
pub fn check_jwks(field: &str, text: &str) -> Result<String, FieldError> {
    let bad = |why: &str| FieldError::new(field, format!("the key set {why}"));
    if text.len() > JWKS_MAX {
        return Err(bad(&format!("is larger than {JWKS_MAX} bytes")));
    }
    let set: serde_json::Value =
        serde_json::from_str(text).map_err(|_| bad("is not JSON (expected {\"keys\": [...]})"))?;
    let Some(keys) = set["keys"].as_array() else {
        return Err(bad("has no \"keys\" array"));
    };
    if keys.is_empty() || keys.len() > 10 {
        return Err(bad("must hold between 1 and 10 keys"));
    }
    for key in keys {
        if key.get("d").is_some() || key.get("p").is_some() {
            return Err(bad("contains a private key; register only the public keys"));
        }
        match key["kty"].as_str() {
            Some("EC")
                if key["crv"] == "P-256"
                    && b64(&key["x"]).is_some_and(|x| x.len() == 32)
                    && b64(&key["y"]).is_some_and(|y| y.len() == 32) => {}
            Some("RSA")
                if b64(&key["n"]).is_some_and(|n| n.len() >= 256) && b64(&key["e"]).is_some() => {}
            _ => {
                return Err(bad(
                    "holds a key that is neither EC P-256 nor RSA of at least 2048 bits",
                ));
            }
        }
    }
    Ok(set.to_string())
}

/// The checked claims of an assertion: its `jti` (for replay detection)
/// and expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    pub jti: String,
    pub expires_at: UnixTime,
}

/// Verifies `assertion` for `client_id`: signature by one of the registered
/// keys (`jwks`), `iss` = `sub` = the client, `aud` naming one of
/// `audiences` (the token endpoint or the issuer), `exp` in the future but
/// no more than [`MAX_LIFETIME_SECS`] away, and a `jti`. The caller makes
/// sure the `jti` is used once.
pub fn verify(
    jwks: &str,
    assertion: &str,
    client_id: &str,
    audiences: &[&str],
    now: UnixTime,
) -> Result<Assertion, &'static str> {
    if assertion.len() > 8192 {
        return Err("the client assertion is too large");
    }
    let mut parts = assertion.split('.');
    let (Some(h), Some(c), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the client assertion is not a signed JWT");
    };
    let header: serde_json::Value = URL_SAFE_NO_PAD
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or("the client assertion's header is not valid")?;
    let alg = header["alg"].as_str().unwrap_or_default();
    let signature = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| "the client assertion's signature is not valid")?;
    let set: serde_json::Value =
        serde_json::from_str(jwks).map_err(|_| "the client's registered keys are not valid")?;
    let kid = header["kid"].as_str();
    let signed = format!("{h}.{c}");
    let verified = set["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|k| kid.is_none() || k["kid"].as_str() == kid)
        .any(|k| match (alg, k["kty"].as_str()) {
            ("ES256", Some("EC")) => {
                let (Some(x), Some(y)) = (b64(&k["x"]), b64(&k["y"])) else {
                    return false;
                };
                let mut point = vec![4u8];
                point.extend(x);
                point.extend(y);
                UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                    .verify(signed.as_bytes(), &signature)
                    .is_ok()
            }
            ("RS256", Some("RSA")) => {
                let (Some(n), Some(e)) = (b64(&k["n"]), b64(&k["e"])) else {
                    return false;
                };
                RsaPublicKeyComponents { n, e }
                    .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
                    .is_ok()
            }
            _ => false,
        });
    if !matches!(alg, "ES256" | "RS256") {
        return Err("the client assertion must be signed with ES256 or RS256");
    }
    if !verified {
        return Err("the client assertion's signature does not match a registered key");
    }
    let claims: serde_json::Value = URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or("the client assertion's claims are not valid")?;
    if claims["iss"] != client_id || claims["sub"] != client_id {
        return Err("the client assertion's iss and sub must be the client_id");
    }
    let aud_ok = match &claims["aud"] {
        serde_json::Value::String(a) => audiences.contains(&a.as_str()),
        serde_json::Value::Array(list) => list
            .iter()
            .any(|a| a.as_str().is_some_and(|a| audiences.contains(&a))),
        _ => false,
    };
    if !aud_ok {
        return Err("the client assertion's aud must be the token endpoint or the issuer");
    }
    let Some(exp) = claims["exp"].as_i64() else {
        return Err("the client assertion has no exp");
    };
    if exp <= now.0 {
        return Err("the client assertion has expired");
    }
    if exp > now.0 + MAX_LIFETIME_SECS {
        return Err("the client assertion lives longer than 5 minutes");
    }
    if claims["nbf"].as_i64().is_some_and(|nbf| nbf > now.0 + 60) {
        return Err("the client assertion is not valid yet");
    }
    let Some(jti) = claims["jti"]
        .as_str()
        .filter(|j| !j.is_empty() && j.len() <= 256)
    else {
        return Err("the client assertion has no jti");
    };
    Ok(Assertion {
        jti: jti.to_owned(),
        expires_at: UnixTime(exp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::secret::b64url;
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};

    fn key() -> (EcdsaKeyPair, String) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let p = pair.public_key().as_ref().to_vec();
        let jwks = serde_json::json!({"keys": [{
            "kty": "EC", "crv": "P-256", "kid": "k1",
            "x": b64url(&p[1..33]), "y": b64url(&p[33..65]),
        }]})
        .to_string();
        (pair, jwks)
    }

    fn sign(pair: &EcdsaKeyPair, header: &str, claims: serde_json::Value) -> String {
        let input = format!(
            "{}.{}",
            b64url(header.as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let sig = pair.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", b64url(sig.as_ref()))
    }

    fn claims(exp: i64) -> serde_json::Value {
        serde_json::json!({"iss": "app", "sub": "app", "aud": "https://id/t/a/token", "exp": exp, "jti": "j1"})
    }

    #[test]
    fn assertions_are_checked_in_full() {
        let (pair, jwks) = key();
        let (other, _) = key();
        let aud = ["https://id/t/a/token", "https://id/t/a"];
        let now = UnixTime(1000);
        let h = r#"{"alg":"ES256","kid":"k1"}"#;
        let good = sign(&pair, h, claims(1100));
        assert_eq!(verify(&jwks, &good, "app", &aud, now).unwrap().jti, "j1");
        // another key, another client, expired, too long, wrong audience
        assert!(verify(&jwks, &sign(&other, h, claims(1100)), "app", &aud, now).is_err());
        assert!(verify(&jwks, &good, "other", &aud, now).is_err());
        assert!(verify(&jwks, &sign(&pair, h, claims(1000)), "app", &aud, now).is_err());
        assert!(verify(&jwks, &sign(&pair, h, claims(2000)), "app", &aud, now).is_err());
        let mut wrong_aud = claims(1100);
        wrong_aud["aud"] = "https://elsewhere/token".into();
        assert!(verify(&jwks, &sign(&pair, h, wrong_aud), "app", &aud, now).is_err());
        // alg none and HMAC are refused
        let parts: Vec<&str> = good.split('.').collect();
        let none = format!("{}.{}.", b64url(br#"{"alg":"none"}"#), parts[1]);
        assert!(verify(&jwks, &none, "app", &aud, now).is_err());
        let hs = format!(
            "{}.{}.{}",
            b64url(br#"{"alg":"HS256"}"#),
            parts[1],
            parts[2]
        );
        assert!(verify(&jwks, &hs, "app", &aud, now).is_err());
    }

    #[test]
    fn key_sets_hold_public_keys_only() {
        let (_, jwks) = key();
        assert!(check_jwks("jwks", &jwks).is_ok());
        assert!(check_jwks("jwks", "{}").is_err());
        assert!(check_jwks("jwks", "not json").is_err());
        let mut private: serde_json::Value = serde_json::from_str(&jwks).unwrap();
        private["keys"][0]["d"] = "secret".into();
        assert!(check_jwks("jwks", &private.to_string()).is_err());
        let short = r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#;
        assert!(check_jwks("jwks", short).is_err());
    }
}
