//! Item 7 of the security-holes issue (a second attack run: passkeys, the
//! partial session and headers), each as a test that failed before its fix:
//! over HTTP against the real server, on both databases where the store is
//! involved.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::store::{AuditStore, SessionStore};
use latchkey_core::tenants::SettingsInput;
use latchkey_store::Backend;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

use crate::helpers::*;
use crate::oidc::{app, refresh_status, register, tokens_via};
use crate::passkeys::{
    answer, cbor_bytes, cbor_text, hidden, options_of, password, second_step, soft_register,
    soft_sign, start_passwordless, start_registration,
};
use crate::smtp::SmtpSink;

on_both_backends!(
    a_ceremony_opened_before_the_owners_last_use_does_not_accept_a_copy,
    reauthentication_checks_the_stored_counter_too,
    a_key_that_proves_no_hardware_is_not_reported_as_hardware,
    cross_origin_assertions_are_refused_on_every_path,
    removing_a_passkey_ends_the_sessions_and_tokens_it_opened,
    signing_out_at_the_second_step_ends_the_partial_session,
    registration_errors_are_calm_and_translated,
);

/// A device-bound ES256 authenticator built from the WebAuthn spec: "none"
/// attestation, flags UP|UV (not backup eligible), a signature counter that
/// counts every use. Cloning it copies the private key and the counter, as
/// copying a key's secret would.
#[derive(Clone)]
struct CountingKey {
    pkcs8: Vec<u8>,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    origin: String,
    counter: u32,
    /// Says `crossOrigin: true` in its client data, as a browser does for
    /// a page embedded in another site's frame.
    cross_origin: bool,
}

const UP_UV: u8 = 0x01 | 0x04;

impl CountingKey {
    fn new(s: &TestServer) -> CountingKey {
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &SystemRandom::new())
                .unwrap()
                .as_ref()
                .to_vec();
        CountingKey {
            pkcs8,
            credential_id: (0..16u8).map(|i| i.wrapping_mul(29) ^ 0xa5).collect(),
            user_handle: vec![],
            origin: s.running.url.clone(),
            counter: 0,
            cross_origin: false,
        }
    }

    fn key(&self) -> EcdsaKeyPair {
        EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_ASN1_SIGNING,
            &self.pkcs8,
            &SystemRandom::new(),
        )
        .unwrap()
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": options["publicKey"]["challenge"],
            "origin": self.origin,
            "crossOrigin": self.cross_origin,
        })
        .to_string()
        .into_bytes()
    }

    fn register(&mut self, options: &Value) -> String {
        let rp_id = options["publicKey"]["rp"]["id"].as_str().unwrap();
        self.user_handle = B64
            .decode(options["publicKey"]["user"]["id"].as_str().unwrap())
            .unwrap();
        let key = self.key();
        let public = key.public_key().as_ref();
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose.extend(&public[1..33]);
        cose.extend([0x22, 0x58, 0x20]);
        cose.extend(&public[33..65]);
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(UP_UV | 0x40);
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]);
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

    /// An assertion with the next counter value.
    fn sign(&mut self, options: &Value) -> String {
        self.counter += 1;
        let rp_id = options["publicKey"]["rpId"].as_str().unwrap();
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(UP_UV);
        auth_data.extend(self.counter.to_be_bytes());
        let client_data = self.client_data("webauthn.get", options);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature = self.key().sign(&SystemRandom::new(), &signed).unwrap();
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

async fn with_mail(backend: Backend) -> (TestServer, SmtpSink) {
    let sink = SmtpSink::start().await;
    let port = sink.addr.port().to_string();
    let s = TestServer::start_with(
        backend,
        &[
            ("mail.smtp_host", "127.0.0.1"),
            ("mail.smtp_port", &port),
            ("mail.smtp_security", "none"),
        ],
    )
    .await;
    (s, sink)
}

/// Adds a [`CountingKey`] to the account signed in in `b`.
async fn add_key(s: &TestServer, b: &reqwest::Client, tenant: &str) -> CountingKey {
    let page = start_registration(b, s, tenant, "Key").await;
    let mut key = CountingKey::new(s);
    let r = answer(b, s, &page, &key.register(&options_of(&page))).await;
    // a first factor comes with the first recovery codes; a later one
    // leads back to the account page
    if r.status() == 303 {
        assert_eq!(location(&r), format!("/t/{tenant}/account?done=passkey"));
    } else {
        shown_codes(r).await;
    }
    key
}

async fn events(s: &TestServer) -> Vec<String> {
    s.tdb
        .db
        .list_audit(&s.tenant.id, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}

/// Signs in with the password and the key: a complete session.
async fn sign_in_with_key(s: &TestServer, key: &mut CountingKey) -> reqwest::Client {
    let (b, next) = password(s, "acme", "alice").await;
    let page = second_step(&b, s, &next).await;
    let r = answer(&b, s, &page, &key.sign(&options_of(&page))).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    b
}

/// The re-authentication ceremony page of a session signed in long ago.
async fn reauth_ceremony(s: &TestServer, b: &reqwest::Client) -> String {
    let (_, account) = get_text(b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "Second")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, prompt) = get_text(b, &s.url(&location(&r))).await;
    let r = b
        .post(s.url("/t/acme/reauth/passkey"))
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

/// Clone detection looked at the counter captured when the ceremony started:
/// a ceremony opened before the owner's last use accepted that counter again.
async fn a_ceremony_opened_before_the_owners_last_use_does_not_accept_a_copy(backend: Backend) {
    let (s, sink) = with_mail(backend).await;
    let (b, _) = password(&s, "acme", "alice").await;
    let mut key = add_key(&s, &b, "acme").await;
    let seen = sink.wait_for(1).await.len();
    let mut copy = key.clone();

    // Someone with the password and a copy of the key opens a ceremony...
    let (x, next) = password(&s, "acme", "alice").await;
    let waiting = second_step(&x, &s, &next).await;
    // ... the owner signs in with the key meanwhile ...
    sign_in_with_key(&s, &mut key).await;
    // ... and the copy answers the older ceremony with the counter the owner
    // has just used.
    let r = answer(&x, &s, &waiting, &copy.sign(&options_of(&waiting))).await;
    assert_eq!(r.status(), 401, "a counter that was used already is a copy");
    let (status, _) = get_text(&x, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "not signed in");

    // The credential is marked, audited, and its owner told.
    assert!(
        events(&s)
            .await
            .contains(&"factor.passkey.clone_suspected".to_owned()),
        "{:?}",
        events(&s).await
    );
    let mail = sink.wait_for_text(seen, "copied").await.text();
    assert!(mail.contains("no longer signs in"), "{mail}");
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("may have been copied"), "{account}");

    // A marked key signs in no more, not even for its owner, until removed.
    let (o, next) = password(&s, "acme", "alice").await;
    let (_, prompt) = get_text(&o, &s.url(&next)).await;
    assert!(!prompt.contains("Use my passkey"), "{prompt}");
    let r = o
        .post(s.url("/t/acme/signin/passkey"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200, "no ceremony for a marked key");
}

async fn reauthentication_checks_the_stored_counter_too(backend: Backend) {
    let (s, _sink) = with_mail(backend).await;
    let (b, _) = password(&s, "acme", "alice").await;
    let mut key = add_key(&s, &b, "acme").await;
    let mut copy = key.clone();
    s.clock.advance(11 * 60);
    let waiting = reauth_ceremony(&s, &b).await;
    sign_in_with_key(&s, &mut key).await;
    let r = answer(&b, &s, &waiting, &copy.sign(&options_of(&waiting))).await;
    assert_eq!(r.status(), 401, "a counter that was used already is a copy");
    assert!(
        events(&s)
            .await
            .contains(&"factor.passkey.clone_suspected".to_owned())
    );
}

/// The `amr` claim of an application's ID token for the session in `b`.
async fn amr(s: &TestServer, b: &reqwest::Client) -> Vec<String> {
    let (id, secret) = register(s, app("Web", false, true)).await;
    let tokens = tokens_via(s, b, &id, &secret.unwrap()).await;
    let claims = crate::oidc::id_token_claims(&tokens);
    claims["amr"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

/// Registration asks for no attestation, so "not backed up" proves no
/// hardware: a software authenticator got `amr: ["hwk"]`.
async fn a_key_that_proves_no_hardware_is_not_reported_as_hardware(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (b, _) = password(&s, "acme", "alice").await;
    let page = start_registration(&b, &s, "acme", "Software key").await;
    let mut key = SoftPasskey::new(true);
    let r = answer(
        &b,
        &s,
        &page,
        &soft_register(&mut key, &s, options_of(&page)),
    )
    .await;
    shown_codes(r).await;

    let (o, next) = password(&s, "acme", "alice").await;
    let page = second_step(&o, &s, &next).await;
    let r = answer(&o, &s, &page, &soft_sign(&mut key, &s, options_of(&page))).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        amr(&s, &o).await,
        ["pwd", "pop"],
        "RFC 8176: a key, kind unknown"
    );
    let (_, account) = get_text(&o, &s.url("/t/acme/account")).await;
    assert!(!account.contains("device-bound"), "{account}");
    assert!(
        account.contains("Software key</strong> · not synced"),
        "{account}"
    );
    assert!(
        account.contains("<span class=\"methods\">password, passkey or security key</span>"),
        "{account}"
    );
}

async fn cross_origin_assertions_are_refused_on_every_path(backend: Backend) {
    let s = TestServer::start(backend).await;
    latchkey_core::tenants::update_settings(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &SettingsInput {
            passwordless: Some("on".into()),
            ..Default::default()
        },
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    let (b, _) = password(&s, "acme", "alice").await;
    let mut key = add_key(&s, &b, "acme").await;
    key.cross_origin = true;

    // The second step.
    let (o, next) = password(&s, "acme", "alice").await;
    let page = second_step(&o, &s, &next).await;
    let r = answer(&o, &s, &page, &key.sign(&options_of(&page))).await;
    assert_eq!(r.status(), 401, "second step");
    assert!(r.text().await.unwrap().contains("could not be verified"));

    // A passkey alone.
    let p = browser();
    let (status, page) = start_passwordless(&p, &s, "acme").await;
    assert_eq!(status, 200, "{page}");
    let r = answer(&p, &s, &page, &key.sign(&options_of(&page))).await;
    assert_eq!(r.status(), 401, "passwordless");

    // Re-authentication.
    s.clock.advance(11 * 60);
    let page = reauth_ceremony(&s, &b).await;
    let r = answer(&b, &s, &page, &key.sign(&options_of(&page))).await;
    assert_eq!(r.status(), 401, "re-authentication");

    // The same key from the site itself still works.
    key.cross_origin = false;
    let page = reauth_ceremony(&s, &b).await;
    let r = answer(&b, &s, &page, &key.sign(&options_of(&page))).await;
    assert_eq!(r.status(), 303);
}

/// Removing a passkey left the sessions it had opened (and the applications'
/// tokens issued through them) alive.
async fn removing_a_passkey_ends_the_sessions_and_tokens_it_opened(backend: Backend) {
    let (s, _sink) = with_mail(backend).await;
    let (b, _) = password(&s, "acme", "alice").await;
    let mut key = add_key(&s, &b, "acme").await;
    let other = sign_in_with_key(&s, &mut key).await;
    let (id, secret) = register(&s, app("Web", false, true)).await;
    let secret = secret.unwrap();
    let tokens = tokens_via(&s, &other, &id, &secret).await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    let passkey = latchkey_core::store::PasskeyStore::passkeys_for_user(&s.tdb.db, &s.alice.id)
        .await
        .unwrap()
        .remove(0);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url(&format!("/t/acme/account/passkeys/{}/remove", passkey.id)))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    let (status, _) = get_text(&other, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "the key's session ended");
    let (status, body) = refresh_status(&s, &id, &secret, &refresh).await;
    assert_eq!(status, 400, "its application tokens too: {body}");
    let (status, _) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200, "the session that removed it stays");
}

/// The session cookie's value from a response that sets it.
fn session_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("latchkey-session-acme="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap()
}

/// Sign-out at the second-step prompt cleared the cookie and left the
/// partial session on the server.
async fn signing_out_at_the_second_step_ends_the_partial_session(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (b, _) = password(&s, "acme", "alice").await;
    add_key(&s, &b, "acme").await;

    let x = browser();
    let r = sign_in(&x, &s.running.url, "acme", "alice", PASSWORD).await;
    let next = location(&r);
    assert!(next.starts_with("/t/acme/signin/otp"), "{next}");
    let cookie = session_cookie(&r);
    let (_, prompt) = get_text(&x, &s.url(&next)).await;
    let r = x
        .post(s.url("/t/acme/signout"))
        .form(&[("csrf", csrf_of(&prompt))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    let hash = SecretToken::from_presented(&cookie).unwrap().hash();
    assert_eq!(
        s.tdb
            .db
            .session_by_hash(&hash.clone().into())
            .await
            .unwrap(),
        None,
        "ended on the server"
    );
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(s.url(&next))
        .header("cookie", format!("latchkey-session-acme={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the old cookie opens nothing");
    assert_eq!(location(&r), "/t/acme/signin");
    assert!(
        prompt.contains("action=\"/t/acme/signout\""),
        "the prompt offers to sign out: {prompt}"
    );
}

/// The error paragraph of a page.
fn error_of(page: &str) -> String {
    let marker = "<p class=\"error\" role=\"alert\">";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split("</p>").next().unwrap().to_owned()
}

/// Registration error pages showed the webauthn library's own error text.
async fn registration_errors_are_calm_and_translated(backend: Backend) {
    let s = TestServer::start(backend).await;
    for (language, expected) in [
        ("en", "The passkey could not be verified; try again"),
        (
            "de",
            "Der Passkey konnte nicht geprüft werden; versuchen Sie es noch einmal",
        ),
        ("fr", "La clé d'accès n'a pas pu être vérifiée ; réessayez"),
        ("it", "Non è stato possibile verificare la passkey; riprovi"),
    ] {
        let b = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(
                [(
                    reqwest::header::ACCEPT_LANGUAGE,
                    reqwest::header::HeaderValue::from_static(language),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .unwrap();
        let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
        assert_eq!(r.status(), 303);
        let page = start_registration(&b, &s, "acme", "Laptop").await;
        let mut options = options_of(&page);
        options["publicKey"]["challenge"] = json!(B64.encode([7u8; 32]));
        let mut key = CountingKey::new(&s);
        let r = answer(&b, &s, &page, &key.register(&options)).await;
        assert_eq!(r.status(), 400);
        let page = r.text().await.unwrap();
        let said = error_of(&page).replace("&#39;", "'").replace("&#x27;", "'");
        assert_eq!(said, expected, "{language}");
        assert!(hidden(&page, "ceremony").len() > 10, "a new try is offered");
    }
}

/// No `Permissions-Policy` anywhere, and the 413 of the body limit carried
/// no security headers at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers_even_a_413() {
    let s = TestServer::start(Backend::Sqlite).await;
    let client = browser();
    let page = client.get(s.url("/t/acme/signin")).send().await.unwrap();
    let missing = client.get(s.url("/no/such/page")).send().await.unwrap();
    let too_big = client
        .post(s.url("/t/acme/signin"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("login={}", "a".repeat(100 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);
    for r in [&page, &missing, &too_big] {
        let h = r.headers();
        for name in [
            "content-security-policy",
            "x-content-type-options",
            "x-frame-options",
            "referrer-policy",
            "permissions-policy",
        ] {
            assert!(h.contains_key(name), "{} lacks {name}: {h:?}", r.status());
        }
        let policy = h["permissions-policy"].to_str().unwrap();
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"] {
            assert!(policy.contains(feature), "{policy}");
        }
        for passkeys in [
            "publickey-credentials-get=(self)",
            "publickey-credentials-create=(self)",
        ] {
            assert!(policy.contains(passkeys), "passkeys stay allowed: {policy}");
        }
    }
}
