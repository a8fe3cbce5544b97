//! Recoveries that began at an application end back there, with tokens that say
//! how the user got in.

use latchkey_core::effects::audit::Actor;
use latchkey_core::store::TotpStore;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    the_application_gets_its_sign_in_after_a_recovery,
    a_lost_app_on_a_known_device_ends_with_a_new_one_back_at_the_application,
);

/// An HTML attribute value as the browser reads it.
fn unescape(value: &str) -> String {
    value
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#61;", "=")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
}

fn attribute_after<'a>(page: &'a str, marker: &str) -> &'a str {
    page.split(marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {marker} in {page}"))
}

/// The journey in one test: an application sends alice to sign in,
/// she has lost her phone, recovers with a recovery code, and the
/// application gets its code — with tokens that say how she got in.
async fn the_application_gets_its_sign_in_after_a_recovery(backend: Backend) {
    use crate::oidc::{
        REDIRECT, VERIFIER, app, authorize_url, challenge, query_of, redeem, register,
    };
    let World { s, sink: _sink } = world(backend).await;
    let (_, codes) = equipped(&s).await;
    let (web, secret) = register(&s, app("Web shop", false, true)).await;
    let secret = secret.unwrap();

    // The application sends the browser to latchkey.
    let b = browser();
    let ask = authorize_url(
        &s,
        &[
            ("client_id", web.as_str()),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("state", "cart-42"),
            ("nonce", "n-42"),
            ("code_challenge", &challenge(VERIFIER)),
            ("code_challenge_method", "S256"),
        ],
    );
    let r = b.get(&ask).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = get_text(&b, &s.url(&location(&r))).await;
    let return_to = unescape(attribute_after(&page, "name=\"return_to\" value=\""));
    assert!(return_to.starts_with("/t/acme/authorize?"), "{return_to}");

    // Password, then the app code she cannot give.
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("login", "alice"),
            ("password", PASSWORD),
            ("csrf", csrf_of(&page).as_str()),
            ("return_to", return_to.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    assert!(prompt.contains("I lost my second factor"), "{prompt}");
    let carried = unescape(attribute_after(&prompt, "name=\"return_to\" value=\""));
    assert_eq!(carried, return_to);
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("return_to", carried.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");

    // The recovery code: the instant path.
    assert_eq!(
        prove(&b, &s, "recovery_code", &codes[0]).await.status(),
        303
    );
    let r = finish(&b, &s, None).await;
    assert_eq!(r.status(), 200);
    let done = r.text().await.unwrap();
    assert!(done.contains("You are back in"));
    let next = unescape(attribute_after(&done, "<p><a href=\""));
    assert_eq!(
        next, return_to,
        "the done page leads back to the application"
    );

    // Back at the application with a code.
    let r = b.get(s.url(&next)).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let back = location(&r);
    assert!(back.starts_with(REDIRECT), "{back}");
    let q = query_of(&back);
    assert_eq!(q["state"], "cart-42");
    let (status, tokens) = redeem(&s, &web, &secret, &q["code"]).await;
    assert_eq!(status, 200, "{tokens}");
    let claims = crate::oidc::id_token_claims(&tokens);
    assert_eq!(claims["nonce"], "n-42");
    assert_eq!(claims["sub"], s.alice.id.as_str());
    let amr: Vec<&str> = claims["amr"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(amr, ["pwd", "rc", "recovery"], "the recovery marker");
}

/// The "done when" as one journey: an application sends alice to
/// latchkey; her organisation requires a second factor; she lost her
/// authenticator app; on a device she signed in from before she recovers
/// with the emailed code and her password (no wait), sets up a new app and
/// new recovery codes, and is back at the application with a code whose
/// tokens carry the recovery marker.
async fn a_lost_app_on_a_known_device_ends_with_a_new_one_back_at_the_application(
    backend: Backend,
) {
    use crate::oidc::{
        REDIRECT, VERIFIER, app, authorize_url, challenge, query_of, redeem, register,
    };
    let World { s, sink } = world(backend).await;
    // This browser is one of alice's devices; the app on her old phone.
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (old_secret, page) = crate::totp::setup_page(&b, &s).await;
    let r = crate::totp::enrol(&b, &s, &page, &crate::totp::code(&old_secret, &s)).await;
    shown_codes(r).await;
    let tenant = latchkey_core::tenants::by_slug(&s.tdb.db, "acme")
        .await
        .unwrap();
    latchkey_core::tenants::update_settings(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &tenant,
        &latchkey_core::tenants::SettingsInput {
            second_factor: Some("required".into()),
            ..Default::default()
        },
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    s.clock.advance(11 * 3600); // the next day: the session has ended
    let (web, app_secret) = register(&s, app("Web shop", false, true)).await;

    // The application sends the browser; password, then the lost app.
    let ask = authorize_url(
        &s,
        &[
            ("client_id", web.as_str()),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "s-7"),
            ("code_challenge", &challenge(VERIFIER)),
            ("code_challenge_method", "S256"),
        ],
    );
    let r = b.get(&ask).send().await.unwrap();
    let (_, page) = get_text(&b, &s.url(&location(&r))).await;
    let return_to = unescape(attribute_after(&page, "name=\"return_to\" value=\""));
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("login", "alice"),
            ("password", PASSWORD),
            ("csrf", csrf_of(&page).as_str()),
            ("return_to", return_to.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    assert!(prompt.contains("I lost my second factor"), "{prompt}");
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("return_to", return_to.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status();
    let at = location(&r);
    assert_eq!(
        at,
        "/t/acme/recover/case",
        "{status} {}",
        r.text().await.unwrap()
    );

    // The emailed code and the password; a known device does not wait.
    // (Mail so far: the app, its first recovery codes, the code.)
    let mails = sink.wait_for(3).await;
    let code = mails
        .iter()
        .rev()
        .find_map(|m| m.text().contains("recovering your").then(|| code_in(m)))
        .expect("the recovery code mail");
    assert_eq!(prove(&b, &s, "email_code", &code).await.status(), 303);
    assert_eq!(prove(&b, &s, "password", PASSWORD).await.status(), 303);
    let page = case_page(&b, &s).await;
    assert!(page.contains("Finish the recovery"), "{page}");
    let r = finish(&b, &s, None).await;
    assert_eq!(r.status(), 200);
    let done = r.text().await.unwrap();
    assert!(done.contains("You are back in"), "{done}");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());

    // On the way back: the new app first (the organisation requires it) ...
    let next = unescape(attribute_after(&done, "<p><a href=\""));
    let r = b.get(s.url(&next)).send().await.unwrap();
    assert_eq!(location(&r), "/t/acme/account/totp", "set-up first");
    let (new_secret, page) = crate::totp::setup_page(&b, &s).await;
    assert_ne!(new_secret, old_secret);
    let r = crate::totp::enrol(&b, &s, &page, &crate::totp::code(&new_secret, &s)).await;
    // ... and new recovery codes at once, whose page leads back to the
    // application.
    let (_, codes_page) = shown_codes(r).await;
    let onward = unescape(
        codes_page
            .split("<p><a href=\"")
            .last()
            .unwrap()
            .split('"')
            .next()
            .unwrap(),
    );
    assert_eq!(onward, return_to, "the way goes on to the application");
    let r = b.get(s.url(&onward)).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let q = query_of(&location(&r));
    assert_eq!(q["state"], "s-7");
    let (status, tokens) = redeem(&s, &web, &app_secret.unwrap(), &q["code"]).await;
    assert_eq!(status, 200, "{tokens}");
    use base64::Engine;
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(
                tokens["id_token"]
                    .as_str()
                    .unwrap()
                    .split('.')
                    .nth(1)
                    .unwrap(),
            )
            .unwrap(),
    )
    .unwrap();
    let amr = claims["amr"].to_string();
    assert!(amr.contains("recovery"), "the recovery marker: {amr}");
}
