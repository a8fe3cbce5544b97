//! Passkeys and security keys, end to end over HTTP with two software
//! authenticators that share no code with the server's checks:
//! webauthn-authenticator-rs's `SoftPasskey` (a device-bound key that is not
//! discoverable) and [`SyncedPasskey`] below, a hand-built ES256 authenticator
//! (a synced, discoverable passkey, as phones and password managers make).
//!
//! The helpers and both authenticators are here (the passkey attack tests use
//! them too); one module per journey.

mod errors;
mod passwordless;
mod second_factor;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

use crate::helpers::*;

/// Undoes the HTML escaping of an attribute value.
pub(crate) fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

pub(crate) fn attribute(page: &str, name: &str) -> String {
    let marker = format!("{name}=\"");
    let start = page.find(&marker).map(|i| i + marker.len()).unwrap();
    unescape(page[start..].split('"').next().unwrap())
}

pub(crate) fn hidden(page: &str, name: &str) -> String {
    attribute(page, &format!("name=\"{name}\" value"))
}

pub(crate) fn options_of(page: &str) -> Value {
    assert!(page.contains("/static/webauthn.js"), "{page}");
    serde_json::from_str(&attribute(page, "data-options")).unwrap()
}

/// Posts the browser's answer the way webauthn.js does.
pub(crate) async fn answer(
    b: &reqwest::Client,
    s: &TestServer,
    page: &str,
    response: &str,
) -> reqwest::Response {
    let form = page.find("id=\"webauthn-form\"").unwrap();
    let start = page[..form].rfind("action=\"").unwrap() + "action=\"".len();
    let action = page[start..].split('"').next().unwrap().to_owned();
    b.post(s.url(&action))
        .form(&[
            ("csrf", hidden(page, "csrf").as_str()),
            ("ceremony", hidden(page, "ceremony").as_str()),
            ("name", hidden(page, "name").as_str()),
            ("return_to", hidden(page, "return_to").as_str()),
            ("response", response),
        ])
        .send()
        .await
        .unwrap()
}

/// Presses "Add a passkey" on the account page; the ceremony page.
pub(crate) async fn start_registration(
    b: &reqwest::Client,
    s: &TestServer,
    tenant: &str,
    name: &str,
) -> String {
    let (_, account) = get_text(b, &s.url(&format!("/t/{tenant}/account"))).await;
    let r = b
        .post(s.url(&format!("/t/{tenant}/account/passkeys")))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", name)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// Signs in with the password; the browser and where it was sent.
pub(crate) async fn password(
    s: &TestServer,
    tenant: &str,
    login: &str,
) -> (reqwest::Client, String) {
    let b = browser();
    let r = sign_in(&b, &s.running.url, tenant, login, PASSWORD).await;
    assert_eq!(r.status(), 303);
    let next = location(&r);
    (b, next)
}

pub(crate) fn origin(s: &TestServer) -> url::Url {
    url::Url::parse(&s.running.url).unwrap()
}

pub(crate) fn soft_register(key: &mut SoftPasskey, s: &TestServer, options: Value) -> String {
    let options: webauthn_rs_proto::CreationChallengeResponse =
        serde_json::from_value(options).unwrap();
    serde_json::to_string(&key.do_registration(origin(s), options).unwrap()).unwrap()
}

pub(crate) fn soft_sign(key: &mut SoftPasskey, s: &TestServer, options: Value) -> String {
    let options: webauthn_rs_proto::RequestChallengeResponse =
        serde_json::from_value(options).unwrap();
    serde_json::to_string(&key.do_authentication(origin(s), options).unwrap()).unwrap()
}

/// The second step: "Use my passkey" on the prompt; the ceremony page.
pub(crate) async fn second_step(b: &reqwest::Client, s: &TestServer, prompt_url: &str) -> String {
    let (status, prompt) = get_text(b, &s.url(prompt_url)).await;
    assert_eq!(status, 200);
    assert!(prompt.contains("Use my passkey"), "{prompt}");
    let r = b
        .post(s.url("/t/acme/signin/passkey"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// A synced, discoverable ES256 passkey, built from the WebAuthn spec: "none"
/// attestation, flags UP|UV|BE|BS, counter 0 (synced passkeys do not count).
pub(crate) struct SyncedPasskey {
    key: EcdsaKeyPair,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    origin: String,
}

pub(crate) const FLAGS: u8 = 0x01 | 0x04 | 0x08 | 0x10;

pub(crate) fn cbor_bytes(out: &mut Vec<u8>, data: &[u8]) {
    match data.len() {
        n if n < 24 => out.push(0x40 | n as u8),
        n if n < 256 => out.extend([0x58, n as u8]),
        n => {
            out.push(0x59);
            out.extend((n as u16).to_be_bytes());
        }
    }
    out.extend(data);
}

pub(crate) fn cbor_text(out: &mut Vec<u8>, text: &str) {
    out.push(0x60 | text.len() as u8);
    out.extend(text.as_bytes());
}

impl SyncedPasskey {
    pub(crate) fn new(s: &TestServer) -> SyncedPasskey {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        SyncedPasskey {
            key,
            credential_id: (0..16u8).map(|i| i.wrapping_mul(37) ^ 0x5a).collect(),
            user_handle: vec![],
            origin: s.running.url.clone(),
        }
    }

    pub(crate) fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": options["publicKey"]["challenge"],
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    pub(crate) fn rp_hash(rp_id: &str) -> Vec<u8> {
        Sha256::digest(rp_id.as_bytes()).to_vec()
    }

    pub(crate) fn register(&mut self, options: &Value) -> String {
        let rp_id = options["publicKey"]["rp"]["id"].as_str().unwrap();
        self.user_handle = B64
            .decode(options["publicKey"]["user"]["id"].as_str().unwrap())
            .unwrap();
        let public = self.key.public_key().as_ref(); // 0x04 || x || y
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose.extend(&public[1..33]);
        cose.extend([0x22, 0x58, 0x20]);
        cose.extend(&public[33..65]);
        let mut auth_data = Self::rp_hash(rp_id);
        auth_data.push(FLAGS | 0x40); // attested credential data follows
        auth_data.extend(0u32.to_be_bytes());
        auth_data.extend([0u8; 16]); // AAGUID
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(cose);
        let mut attestation = vec![0xa3];
        cbor_text(&mut attestation, "fmt");
        cbor_text(&mut attestation, "none");
        cbor_text(&mut attestation, "attStmt");
        attestation.push(0xa0);
        cbor_text(&mut attestation, "authData");
        cbor_bytes(&mut attestation, &auth_data);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": B64.encode(attestation),
                "clientDataJSON": B64.encode(self.client_data("webauthn.create", options)),
            },
            "extensions": {},
        })
        .to_string()
    }

    /// An assertion; `tamper` flips a bit of the signed data after signing.
    pub(crate) fn sign(&self, options: &Value, tamper: bool) -> String {
        let rp_id = options["publicKey"]["rpId"].as_str().unwrap();
        let mut auth_data = Self::rp_hash(rp_id);
        auth_data.push(FLAGS);
        auth_data.extend(0u32.to_be_bytes());
        let client_data = self.client_data("webauthn.get", options);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature = self.key.sign(&SystemRandom::new(), &signed).unwrap();
        if tamper {
            auth_data[32] ^= 0x02; // clears or sets a flag the signature covered
        }
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(auth_data),
                "clientDataJSON": B64.encode(client_data),
                "signature": B64.encode(signature.as_ref()),
                "userHandle": B64.encode(&self.user_handle),
            },
            "extensions": {},
        })
        .to_string()
    }
}

/// Presses "Sign in with a passkey" on the tenant's sign-in page.
pub(crate) async fn start_passwordless(
    b: &reqwest::Client,
    s: &TestServer,
    tenant: &str,
) -> (u16, String) {
    let (_, signin) = get_text(b, &s.url(&format!("/t/{tenant}/signin"))).await;
    let r = b
        .post(s.url(&format!("/t/{tenant}/signin/passwordless")))
        .form(&[
            ("csrf", csrf_of(&signin).as_str()),
            ("return_to", &format!("/t/{tenant}/account")),
        ])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}
