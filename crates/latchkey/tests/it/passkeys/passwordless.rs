//! A synced passkey signs in without a password where the tenant allows it.

use latchkey_core::accounts::user::UserStatus;
use latchkey_core::platform::clock::Clock;
use latchkey_core::store::UserStore;
use latchkey_core::tenants::{self, TenantInput};
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(a_synced_passkey_signs_in_without_a_password_where_the_tenant_allows_it,);

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
    shown_codes(r).await; // the first factor, with the first recovery codes

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

    // Autofill: as the sign-in page opens, its script asks for a ceremony
    // (conditional mediation) and the browser offers the passkey in the
    // username field; the answer finishes like the button's.
    let b4 = browser();
    let (_, signin) = get_text(&b4, &s.url("/t/keys/signin")).await;
    assert!(signin.contains("autocomplete=\"username webauthn\""));
    assert!(signin.contains("/static/webauthn.js"));
    let csrf = hidden(&signin, "csrf");
    let r = b4
        .post(s.url("/t/keys/signin/passwordless/autofill"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let started: serde_json::Value = r.json().await.unwrap();
    let options = &started["options"];
    assert_eq!(options["mediation"], "conditional", "{started}");
    let r = b4
        .post(s.url("/t/keys/signin/passwordless/finish"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("ceremony", started["ceremony"].as_str().unwrap()),
            ("return_to", "/t/keys/account"),
            ("response", phone.sign(options, false).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/keys/account");
    // without the sign-in page's token, no ceremony
    let r = browser()
        .post(s.url("/t/keys/signin/passwordless/autofill"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

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
            &latchkey_core::store::Effects::default(),
            s.clock.now(),
        )
        .await
        .unwrap();
    let (_, page) = start_passwordless(&b3, &s, "keys").await;
    let r = answer(&b3, &s, &page, &phone.sign(&options_of(&page), false)).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("could not be verified"));

    // Where the tenant has not enabled it, there is no such sign-in.
    let acme = browser();
    let (_, signin) = get_text(&acme, &s.url("/t/acme/signin")).await;
    assert!(!signin.contains("Sign in with a passkey"));
    assert!(signin.contains("autocomplete=\"username\""));
    assert!(!signin.contains("autofill"));
    let r = acme
        .post(s.url("/t/acme/signin/passwordless/autofill"))
        .form(&[("csrf", hidden(&signin, "csrf").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let (status, page) = start_passwordless(&browser(), &s, "acme").await;
    assert_eq!(status, 400);
    assert!(page.contains("does not offer sign-in with a passkey alone"));
}
