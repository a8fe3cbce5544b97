//! Passkeys and security keys, end to end over HTTP with two software
//! authenticators that share no code with the server's checks:
//! webauthn-authenticator-rs's `SoftPasskey` (a device-bound key that is not
//! discoverable) and [`SyncedPasskey`] below, a hand-built ES256 authenticator
//! (a synced, discoverable passkey, as phones and password managers make).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use latchkey_core::accounts::user::UserStatus;
use latchkey_core::platform::clock::Clock;
use latchkey_core::store::{AuditStore, PasskeyStore, UserStore};
use latchkey_core::tenants::{self, TenantInput};
use latchkey_store::Backend;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

use crate::helpers::*;
use crate::smtp::SmtpSink;

on_both_backends!(
    add_a_security_key_and_sign_in_with_it,
    a_synced_passkey_signs_in_without_a_password_where_the_tenant_allows_it,
    bad_answers_get_clear_errors_and_store_nothing,
    the_last_passkey_stays_under_a_required_policy,
    changes_after_ten_minutes_need_the_passkey_not_just_the_password,
    a_server_without_passkeys_says_so_and_keeps_other_ways_open,
);

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

async fn add_a_security_key_and_sign_in_with_it(backend: Backend) {
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
    let (b, next) = password(&s, "acme", "alice").await;
    assert_eq!(next, "/t/acme/account");

    let page = start_registration(&b, &s, "acme", "Blue YubiKey").await;
    assert!(page.contains("Add a passkey"));
    let options = options_of(&page);
    assert_eq!(options["publicKey"]["rp"]["name"], "Acme Corp");
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    assert_eq!(
        options["publicKey"]["user"]["name"], "alice (Acme Corp)",
        "the browser's list tells tenants apart"
    );
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["userVerification"],
        "required"
    );
    let mut key = SoftPasskey::new(true);
    let registration = soft_register(&mut key, &s, options);
    let first_id = serde_json::from_str::<Value>(&registration).unwrap()["rawId"].clone();
    let r = answer(&b, &s, &page, &registration).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        "/t/acme/account/recovery-codes",
        "a first factor is followed by recovery codes"
    );
    let (_, codes) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&codes))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("<strong>Blue YubiKey</strong> · not synced"));

    let mails = sink.wait_for(1).await;
    assert!(
        mails[0]
            .text()
            .contains("a passkey or security key was added as a second factor"),
        "{}",
        mails[0].text()
    );

    // The next sign-in asks for the key after the password.
    let (b2, next) = password(&s, "acme", "alice").await;
    assert!(next.starts_with("/t/acme/signin/otp"), "{next}");
    let (_, prompt) = get_text(&b2, &s.url(&next)).await;
    assert!(!prompt.contains("6-digit code"), "no app, no code field");
    let (status, _) = get_text(&b2, &s.url("/t/acme/account")).await;
    assert_eq!(status, 303, "not signed in yet");
    let page = second_step(&b2, &s, &next).await;
    let options = options_of(&page);
    assert_eq!(
        options["publicKey"]["allowCredentials"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = answer(&b2, &s, &page, &soft_sign(&mut key, &s, options)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
    let (status, account) = get_text(&b2, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200);
    assert!(
        account.contains("<span class=\"methods\">password, passkey or security key</span>"),
        "{account}"
    );
    assert!(account.contains("last used"), "the use is recorded");
    let events: Vec<String> = s
        .tdb
        .db
        .list_audit(&s.tenant.id, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(
        events.contains(&"factor.passkey.added".to_owned()),
        "{events:?}"
    );
    assert!(events.contains(&"signin.second_factor.passkey.succeeded".to_owned()));

    // A second key; then the first is renamed and removed.
    let page = start_registration(&b2, &s, "acme", "Spare key").await;
    let options = options_of(&page);
    assert_eq!(
        options["publicKey"]["excludeCredentials"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "the registered key is excluded"
    );
    let mut spare = SoftPasskey::new(true);
    let r = answer(&b2, &s, &page, &soft_register(&mut spare, &s, options)).await;
    assert_eq!(location(&r), "/t/acme/account", "codes exist already");
    let mut keys = s.tdb.db.passkeys_for_user(&s.alice.id).await.unwrap();
    assert_eq!(keys.len(), 2);
    keys.sort_by_key(|k| k.name != "Blue YubiKey");
    let (_, account) = get_text(&b2, &s.url("/t/acme/account")).await;
    let r = b2
        .post(s.url(&format!("/t/acme/account/passkeys/{}/rename", keys[0].id)))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "  Old key ")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = b2
        .post(s.url(&format!("/t/acme/account/passkeys/{}/rename", keys[0].id)))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "an empty name is refused");
    let (_, listed) = get_text(&b2, &s.url("/t/acme/account")).await;
    assert!(
        listed.contains("<strong>Old key</strong>"),
        "renamed, trimmed"
    );
    let r = b2
        .post(s.url(&format!("/t/acme/account/passkeys/{}/remove", keys[0].id)))
        .form(&[("csrf", csrf_of(&account).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let keys = s.tdb.db.passkeys_for_user(&s.alice.id).await.unwrap();
    assert_eq!(
        keys.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(),
        ["Spare key"]
    );
    // added, recovery codes, added, removed
    let mails = sink.wait_for(4).await;
    assert!(
        mails[3]
            .text()
            .contains("a passkey or security key was removed")
    );

    // The removed key no longer signs in.
    let (b3, next) = password(&s, "acme", "alice").await;
    let page = second_step(&b3, &s, &next).await;
    let mut options = options_of(&page);
    // The old key answers anyway (as if the browser had offered it).
    options["publicKey"]["allowCredentials"] = json!([{"type": "public-key", "id": first_id}]);
    let r = answer(&b3, &s, &page, &soft_sign(&mut key, &s, options)).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("could not be verified"));
}

/// A synced, discoverable ES256 passkey, built from the WebAuthn spec: "none"
/// attestation, flags UP|UV|BE|BS, counter 0 (synced passkeys do not count).
struct SyncedPasskey {
    key: EcdsaKeyPair,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    origin: String,
}

const FLAGS: u8 = 0x01 | 0x04 | 0x08 | 0x10;

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
    fn new(s: &TestServer) -> SyncedPasskey {
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

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": options["publicKey"]["challenge"],
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    fn rp_hash(rp_id: &str) -> Vec<u8> {
        Sha256::digest(rp_id.as_bytes()).to_vec()
    }

    fn register(&mut self, options: &Value) -> String {
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
    fn sign(&self, options: &Value, tamper: bool) -> String {
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

async fn a_synced_passkey_signs_in_without_a_password_where_the_tenant_allows_it(backend: Backend) {
    let s = TestServer::start(backend).await;
    let keys_tenant = tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &TenantInput {
            slug: "keys".into(),
            display_name: "Keys Ltd".into(),
            passwordless: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let bob = add_user(&s.tdb, &s.clock, &keys_tenant, "bob", "bob@keys.example").await;
    let (b, _) = password(&s, "keys", "bob").await;
    let page = start_registration(&b, &s, "keys", "Phone").await;
    let options = options_of(&page);
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["residentKey"], "preferred",
        "discoverable where possible"
    );
    let mut phone = SyncedPasskey::new(&s);
    let r = answer(&b, &s, &page, &phone.register(&options)).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());

    // No password: the browser offers the passkey, which names its user.
    let b2 = browser();
    let (_, signin) = get_text(&b2, &s.url("/t/keys/signin")).await;
    assert!(signin.contains("Sign in with a passkey"));
    let (status, page) = start_passwordless(&b2, &s, "keys").await;
    assert_eq!(status, 200, "{page}");
    let options = options_of(&page);
    assert!(
        options["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "nobody is named before the passkey answers"
    );
    assert!(options.get("mediation").is_none(), "a modal request");
    let response = phone.sign(&options, false);
    let r = answer(&b2, &s, &page, &response).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/keys/account");
    let (status, account) = get_text(&b2, &s.url("/t/keys/account")).await;
    assert_eq!(status, 200);
    assert!(
        account.contains("<span class=\"methods\">passkey</span>"),
        "{account}"
    );
    assert!(account.contains("synced passkey"));

    // The same answer again: its challenge is spent.
    let b3 = browser();
    let (_, other_page) = start_passwordless(&b3, &s, "keys").await;
    let r = answer(&b3, &s, &other_page, &response).await;
    assert_eq!(r.status(), 401, "a replayed assertion fails");
    let r = answer(&b2, &s, &page, &response).await;
    assert_eq!(r.status(), 400, "a spent ceremony");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("expired or was used already")
    );

    // A tampered assertion fails, with the same words as any failure.
    let (_, page) = start_passwordless(&b3, &s, "keys").await;
    let r = answer(&b3, &s, &page, &phone.sign(&options_of(&page), true)).await;
    assert_eq!(r.status(), 401);
    let failure = r.text().await.unwrap();
    assert!(failure.contains("could not be verified"));

    // A disabled user's passkey signs in no more, and says nothing more.
    s.tdb
        .db
        .set_user_status(
            &keys_tenant.id,
            &bob.id,
            UserStatus::Disabled,
            s.clock.now(),
        )
        .await
        .unwrap();
    let (_, page) = start_passwordless(&b3, &s, "keys").await;
    let r = answer(&b3, &s, &page, &phone.sign(&options_of(&page), false)).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("could not be verified"));

    // Where the tenant has not enabled it, there is no such sign-in.
    let (_, signin) = get_text(&browser(), &s.url("/t/acme/signin")).await;
    assert!(!signin.contains("Sign in with a passkey"));
    let (status, page) = start_passwordless(&browser(), &s, "acme").await;
    assert_eq!(status, 400);
    assert!(page.contains("does not offer sign-in with a passkey alone"));
}

async fn bad_answers_get_clear_errors_and_store_nothing(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (b, _) = password(&s, "acme", "alice").await;

    let page = start_registration(&b, &s, "acme", "Laptop").await;
    let r = answer(&b, &s, &page, "{not json").await;
    assert_eq!(r.status(), 400);
    let text = r.text().await.unwrap();
    assert!(text.contains("could not be read"), "{text}");
    assert!(text.contains("data-options"), "a new try is offered");

    let page = start_registration(&b, &s, "acme", "Laptop").await;
    let mut phone = SyncedPasskey::new(&s);
    let mut options = options_of(&page);
    options["publicKey"]["challenge"] = json!(B64.encode([7u8; 32]));
    let r = answer(&b, &s, &page, &phone.register(&options)).await;
    assert_eq!(r.status(), 400, "an answer to another challenge");
    assert!(r.text().await.unwrap().contains("could not be verified"));

    let page = start_registration(&b, &s, "acme", "Laptop").await;
    let good = phone.register(&options_of(&page));
    let forged = page.replace(&hidden(&page, "ceremony"), "not-a-ceremony");
    let r = answer(&b, &s, &forged, &good).await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("expired or was used already")
    );

    // Another user's session cannot finish this one's ceremony.
    let carol = add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    let (other, _) = password(&s, "acme", "carol").await;
    let (_, carol_account) = get_text(&other, &s.url("/t/acme/account")).await;
    let r = other
        .post(s.url("/t/acme/account/passkeys/finish"))
        .form(&[
            ("csrf", csrf_of(&carol_account).as_str()),
            ("ceremony", hidden(&page, "ceremony").as_str()),
            ("name", "Laptop"),
            ("response", good.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        s.tdb
            .db
            .passkeys_for_user(&carol.id)
            .await
            .unwrap()
            .is_empty()
    );
    // ... and it is spent now, for its owner too.
    let r = answer(&b, &s, &page, &good).await;
    assert_eq!(r.status(), 400);

    assert!(
        s.tdb
            .db
            .passkeys_for_user(&s.alice.id)
            .await
            .unwrap()
            .is_empty(),
        "nothing was stored"
    );

    // A name that is too long is refused before any ceremony.
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", csrf_of(&account)), ("name", "x".repeat(65))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("name"));

    // Without a recent sign-in, adding goes through the password prompt.
    s.clock.advance(11 * 60);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "Late")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/t/acme/reauth"));

    // CSRF is checked on every step.
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", "forged"), ("name", "Laptop")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

async fn the_last_passkey_stays_under_a_required_policy(backend: Backend) {
    let s = TestServer::start(backend).await;
    let strict = tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &TenantInput {
            slug: "strict".into(),
            display_name: "Strict Inc".into(),
            second_factor: Some("required".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let dora = add_user(&s.tdb, &s.clock, &strict, "dora", "dora@strict.example").await;
    let (b, next) = password(&s, "strict", "dora").await;
    assert_eq!(next, "/t/strict/account");
    let (status, _) = get_text(&b, &s.url("/t/strict/account")).await;
    assert_eq!(status, 303, "set-up first");
    let (_, setup) = get_text(&b, &s.url("/t/strict/account/totp")).await;
    assert!(setup.contains("Use a passkey or security key instead"));
    let r = b
        .post(s.url("/t/strict/account/passkeys"))
        .form(&[("csrf", csrf_of(&setup).as_str()), ("name", "Phone")])
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    let mut phone = SyncedPasskey::new(&s);
    let r = answer(&b, &s, &page, &phone.register(&options_of(&page))).await;
    assert_eq!(location(&r), "/t/strict/account/recovery-codes");
    let (_, codes) = get_text(&b, &s.url("/t/strict/account/recovery-codes")).await;
    let r = b
        .post(s.url("/t/strict/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&codes))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, account) = get_text(&b, &s.url("/t/strict/account")).await;
    assert_eq!(status, 200, "a passkey satisfies the policy");

    let id = s.tdb.db.passkeys_for_user(&dora.id).await.unwrap()[0]
        .id
        .clone();
    let r = b
        .post(s.url(&format!("/t/strict/account/passkeys/{id}/remove")))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("requires a second factor"));
    assert_eq!(s.tdb.db.passkeys_for_user(&dora.id).await.unwrap().len(), 1);

    // Without a session nothing is removed: off to sign in.
    let r = browser()
        .post(s.url(&format!("/t/strict/account/passkeys/{id}/remove")))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert!(location(&r).starts_with("/t/strict/signin"));
    assert_eq!(s.tdb.db.passkeys_for_user(&dora.id).await.unwrap().len(), 1);
}

async fn changes_after_ten_minutes_need_the_passkey_not_just_the_password(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (b, _) = password(&s, "acme", "alice").await;
    let page = start_registration(&b, &s, "acme", "Key").await;
    let mut key = SoftPasskey::new(true);
    let r = answer(
        &b,
        &s,
        &page,
        &soft_register(&mut key, &s, options_of(&page)),
    )
    .await;
    assert_eq!(r.status(), 303);

    s.clock.advance(11 * 60);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "Second")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let reauth = location(&r);
    let (_, prompt) = get_text(&b, &s.url(&reauth)).await;
    assert!(prompt.contains("Confirm with my passkey"), "{prompt}");
    assert!(
        !prompt.contains("name=\"password\""),
        "no password-only way"
    );

    // The password alone is refused even when sent by hand.
    let r = b
        .post(s.url("/t/acme/reauth"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("password", PASSWORD),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("confirm with it instead"));

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
    let page = r.text().await.unwrap();
    let r = answer(&b, &s, &page, &soft_sign(&mut key, &s, options_of(&page))).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");

    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "Second")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "confirmed: the ceremony starts");
    let events: Vec<String> = s
        .tdb
        .db
        .list_audit(&s.tenant.id, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(
        events.contains(&"reauth.succeeded.passkey".to_owned()),
        "{events:?}"
    );
}

async fn a_server_without_passkeys_says_so_and_keeps_other_ways_open(backend: Backend) {
    // Reached at an IP address over plain http: no passkeys possible.
    let s = TestServer::start_with(backend, &[("server.public_url", "http://127.0.0.1:9")]).await;
    assert!(s.running.state.relying_party().is_none());
    let base = format!("http://{}", s.running.addr);
    let key = latchkey_core::factors::passkey::PasskeyCredential {
        id: "k1".into(),
        tenant_id: s.tenant.id.clone(),
        user_id: s.alice.id.clone(),
        name: "Old key".into(),
        credential_id: "cred".into(),
        passkey: "{}".into(),
        backup_eligible: false,
        created_at: s.clock.now(),
        last_used_at: None,
        suspected_clone_at: None,
    };
    s.tdb
        .db
        .insert_passkey(&key, &Default::default(), s.clock.now())
        .await
        .unwrap();
    let b = browser();
    let r = sign_in(&b, &base, "acme", "alice", PASSWORD).await;
    let next = location(&r);
    assert!(next.starts_with("/t/acme/signin/otp"), "{next}");
    let (_, prompt) = get_text(&b, &format!("{base}{next}")).await;
    assert!(
        prompt.contains("Passkeys cannot be used at this address"),
        "{prompt}"
    );
    assert!(!prompt.contains("Use my passkey"));
    assert!(prompt.contains("Use a recovery code"));
    let r = b
        .post(format!("{base}/t/acme/signin/passkey"))
        .form(&[("csrf", csrf_of(&prompt))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("not available on this server")
    );
}
