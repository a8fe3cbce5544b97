//! Bad answers and a server without passkeys: clear errors, nothing stored,
//! other ways open.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use latchkey_core::platform::clock::Clock;
use latchkey_core::store::PasskeyStore;
use latchkey_store::Backend;
use serde_json::json;

use super::*;
use crate::helpers::*;

on_both_backends!(
    bad_answers_get_clear_errors_and_store_nothing,
    a_server_without_passkeys_says_so_and_keeps_other_ways_open,
);

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
