//! Removing a second factor needs a recent sign-in; a required one is set up
//! before anything else.

use latchkey_core::store::{RecoveryCodeStore, TotpStore};
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    removing_needs_a_recent_sign_in,
    a_required_second_factor_is_set_up_before_anything_else,
);

async fn removing_needs_a_recent_sign_in(backend: Backend) {
    let s = TestServer::start(backend).await;
    let secret = enrolled(&s).await;
    let (b, prompt) = password_step(&s).await;
    s.clock.advance(30);
    assert_eq!(
        send_code(&b, &s, &prompt, &code(&secret, &s))
            .await
            .status(),
        303
    );
    s.clock.advance(11 * 60);
    let (_, page) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/totp/remove"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "not within 10 minutes of signing in");
    assert_eq!(
        location(&r),
        "/t/acme/reauth?return_to=/t/acme/account/totp/remove"
    );
    assert!(
        s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some(),
        "nothing removed yet"
    );
    // the account page's "Remove" opens the confirmation, which asks for
    // the recent sign-in first, so the person confirms only once
    let r = b
        .get(s.url("/t/acme/account/totp/remove"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&r),
        "/t/acme/reauth?return_to=/t/acme/account/totp/remove"
    );

    let (status, prompt) = get_text(&b, &s.url(&location(&r))).await;
    assert_eq!(status, 200);
    assert!(
        prompt.contains("Confirm it&#39;s you") || prompt.contains("Confirm it's you"),
        "{prompt}"
    );
    assert!(
        prompt.contains("Code from your authenticator app"),
        "the app is asked too"
    );
    let confirm = |password: &'static str, code: String, page: String| {
        let b = b.clone();
        let url = s.url("/t/acme/reauth");
        async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf_of(&page).as_str()),
                    ("password", password),
                    ("code", code.as_str()),
                    ("return_to", "/t/acme/account"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    s.clock.advance(30);
    let current = code(&secret, &s);
    let r = confirm("wrong password here", current.clone(), prompt.clone()).await;
    assert_eq!(r.status(), 401);
    let r = confirm(PASSWORD, "000000".into(), prompt.clone()).await;
    assert_eq!(r.status(), 401, "the password alone is not enough");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("code from your authenticator app is not correct")
    );
    let r = confirm(PASSWORD, current, prompt).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");

    // the confirmation says what goes with the last factor
    let (status, confirm) = get_text(&b, &s.url("/t/acme/account/totp/remove")).await;
    assert_eq!(status, 200);
    assert!(
        confirm.contains("Remove your authenticator app?"),
        "{confirm}"
    );
    assert!(
        confirm.contains("your password alone signs you in"),
        "{confirm}"
    );
    assert!(
        confirm.contains("Your 10 unused recovery codes go with it"),
        "{confirm}"
    );
    assert!(confirm.contains("class=\"danger\""), "danger styling");
    assert!(confirm.contains("href=\"/t/acme/account\""), "a way back");
    assert!(
        s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some(),
        "looking is not removing"
    );
    let r = b
        .post(s.url("/t/acme/account/totp/remove"))
        .form(&[("csrf", csrf_of(&confirm))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account?done=app-removed");
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());
    let (_, account) = get_text(&b, &s.url(&location(&r))).await;
    assert!(account.contains("Your authenticator app is removed."));
    assert_eq!(
        s.tdb.db.unused_recovery_codes(&s.alice.id).await.unwrap(),
        0,
        "the codes went with it, as the page said"
    );
    // without a second factor, a password signs in again
    assert_eq!(
        location(&sign_in(&browser(), &s.running.url, "acme", "alice", PASSWORD).await),
        "/t/acme/account"
    );
}

async fn a_required_second_factor_is_set_up_before_anything_else(backend: Backend) {
    let s = TestServer::start(backend).await;
    let strict = latchkey_core::tenants::TenantInput {
        slug: "strict".into(),
        display_name: "Strict Inc".into(),
        second_factor: Some("required".into()),
        ..Default::default()
    };
    let tenant = latchkey_core::tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &strict,
    )
    .await
    .unwrap();
    add_user(&s.tdb, &s.clock, &tenant, "ivan", "ivan@example.com").await;

    let b = browser();
    let r = sign_in(&b, &s.running.url, "strict", "ivan", PASSWORD).await;
    assert_eq!(location(&r), "/t/strict/account");
    let r = b.get(s.url("/t/strict/account")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        "/t/strict/account/totp",
        "the account waits for a second factor"
    );

    let (status, page) = get_text(&b, &s.url("/t/strict/account/totp")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Strict Inc requires a second factor"));
    // other pages for signed-in users send there too
    let r = b
        .post(s.url("/t/strict/account/verify-email"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/strict/account/totp");
    let secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let r = b
        .post(s.url("/t/strict/account/totp"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("offer", offer_of(&page).as_str()),
            ("code", &code(&secret, &s)),
        ])
        .send()
        .await
        .unwrap();
    // the first recovery codes come with the app: set-up is done
    shown_codes(r).await;
    let (status, account) = get_text(&b, &s.url("/t/strict/account")).await;
    assert_eq!(status, 200);
    // and the only factor cannot be removed under this policy
    let r = b
        .post(s.url("/t/strict/account/totp/remove"))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("requires a second factor"));

    // but a new phone can replace the old one
    let (status, page) = get_text(&b, &s.url("/t/strict/account/totp")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Replace your authenticator app"));
    let new_secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let replacing = page
        .split("name=\"replacing\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    s.clock.advance(30);
    let r = b
        .post(s.url("/t/strict/account/totp"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("offer", offer_of(&page).as_str()),
            ("code", &code(&new_secret, &s)),
            ("replacing", replacing.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&r),
        "/t/strict/account?done=app",
        "recovery codes are kept"
    );
    // the old app's codes no longer sign in; the new one's do
    let b = browser();
    let r = sign_in(&b, &s.running.url, "strict", "ivan", PASSWORD).await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    s.clock.advance(30);
    let post = |code: String| {
        let (b, url, csrf) = (b.clone(), s.url("/t/strict/signin/otp"), csrf_of(&prompt));
        async move {
            b.post(url)
                .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post(code(&secret, &s)).await, 401);
    assert_eq!(post(code(&new_secret, &s)).await, 303);
}
