//! The pages' shared design over HTTP (issue 14): every error page names
//! the tenant when one is known and leads somewhere a person can act
//! (sign-in, a new link, back to the form, the account); form errors point
//! at their fields; the header's language switcher sets a validated choice
//! without expiring forms. The pages in a browser, with axe-core: see
//! `browser::the_pages_pass_axe_in_light_and_dark_at_two_widths`.
//!
//! The web layer decides all of this above the store, so these run on
//! SQLite only.

use latchkey_core::platform::clock::Clock;
use latchkey_core::store::TotpStore;
use latchkey_store::Backend;

use crate::helpers::*;
use crate::recovery::world;

/// The page's way forward: the `href` of its `forward` paragraph's link.
fn forward(page: &str) -> String {
    page.split("<p class=\"forward\"><a href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("a way forward: {page}"))
        .replace("&#38;", "&")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_address_names_the_tenant_and_leads_to_its_sign_in() {
    let s = TestServer::start(Backend::Sqlite).await;
    let (status, page) = get_text(&browser(), &s.url("/t/acme/no-such-page")).await;
    assert_eq!(status, 404);
    assert!(page.contains("Acme Corp"), "names the tenant: {page}");
    assert_eq!(forward(&page), "/t/acme/signin");
    assert!(page.contains("Go to the sign-in of Acme Corp"), "{page}");

    // An organisation that does not exist: to the front page.
    let (status, page) = get_text(&browser(), &s.url("/t/nobody/signin")).await;
    assert_eq!(status, 404);
    assert!(page.contains("There is no such organisation (tenant) here"));
    assert_eq!(forward(&page), "/");
    let (status, page) = get_text(&browser(), &s.url("/t/nobody/no-such-page")).await;
    assert_eq!(status, 404);
    assert_eq!(forward(&page), "/");
    let (status, page) = get_text(&browser(), &s.url("/nowhere")).await;
    assert_eq!(status, 404);
    assert_eq!(forward(&page), "/");

    // In the reader's language.
    let r = browser()
        .get(s.url("/t/acme/no-such-page"))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"de\">"));
    assert!(page.contains("Zur Anmeldung bei Acme Corp"), "{page}");
}

/// "Sign in to ask for a new one" was no way forward for someone who
/// forgot their password: a used reset link offers a new link instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_reset_link_offers_a_new_one() {
    let crate::recovery::World { s, sink } = world(Backend::Sqlite).await;
    let seen = sink.messages().len();
    let b = browser();
    let (_, page) = get_text(&b, &s.url("/t/acme/forgot-password")).await;
    b.post(s.url("/t/acme/forgot-password"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("login", "alice")])
        .send()
        .await
        .unwrap();
    let link = sink
        .wait_for_text(seen, "/reset-password?token=")
        .await
        .link("/reset-password?token=");
    let (status, page) = get_text(&b, &link).await;
    assert_eq!(status, 200);
    let r = b
        .post(s.url("/t/acme/reset-password"))
        .form(&[
            ("csrf", csrf_of(&page)),
            ("token", link.split("token=").nth(1).unwrap().to_owned()),
            ("password", "a brand new passphrase".to_owned()),
            ("repeat", "a brand new passphrase".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    let (status, page) = get_text(&browser(), &link).await;
    assert_eq!(status, 410);
    assert!(page.contains("This link cannot be used"), "{page}");
    assert!(!page.contains("Sign in to ask"), "{page}");
    assert!(page.contains("You can ask for a new one now."), "{page}");
    assert_eq!(forward(&page), "/t/acme/forgot-password");
    assert!(page.contains("Ask for a new link"));
    assert!(page.contains("Acme Corp"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_form_leads_back_to_it() {
    let s = TestServer::start(Backend::Sqlite).await;
    let b = browser();
    get_text(&b, &s.url("/t/acme/signin")).await;
    for (action, back) in [
        ("/t/acme/signin", "/t/acme/signin"),
        ("/t/acme/forgot-password", "/t/acme/forgot-password"),
        ("/t/acme/recover", "/t/acme/recover"),
    ] {
        let r = b
            .post(s.url(action))
            .form(&[("csrf", "expired"), ("login", "alice"), ("password", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{action}");
        let page = r.text().await.unwrap();
        assert!(page.contains("This form has expired"), "{page}");
        assert!(page.contains("Acme Corp"), "{page}");
        assert_eq!(forward(&page), back, "{action}");
    }
    // A form whose own address answers only POST: back to the page that
    // shows it.
    let signed_in = browser();
    sign_in(&signed_in, &s.running.url, "acme", "alice", PASSWORD).await;
    let r = signed_in
        .post(s.url("/t/acme/account/verify-email"))
        .form(&[("csrf", "expired")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(forward(&r.text().await.unwrap()), "/t/acme/account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_at_the_console_is_led_to_the_account() {
    let s = TestServer::start(Backend::Sqlite).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (status, page) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 403);
    assert!(page.contains("Acme Corp"));
    assert_eq!(forward(&page), "/t/acme/account");
    assert!(page.contains("Go to your account"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_errors_point_at_their_fields() {
    let s = TestServer::start(Backend::Sqlite).await;
    let r = sign_in(
        &browser(),
        &s.running.url,
        "acme",
        "alice",
        "wrong password",
    )
    .await;
    assert_eq!(r.status(), 401);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("<p class=\"error\" id=\"form-error\" role=\"alert\">"),
        "{page}"
    );
    for field in ["login", "password"] {
        let tag = page
            .split(&format!("<input id=\"{field}\""))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap();
        assert!(
            tag.contains("aria-invalid=\"true\" aria-describedby=\"form-error\""),
            "{field}: {tag}"
        );
    }
    // A page without an error marks no field.
    let (_, page) = get_text(&browser(), &s.url("/t/acme/signin")).await;
    assert!(!page.contains("aria-invalid"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switcher_sets_a_checked_choice_and_keeps_forms_working() {
    let s = TestServer::start(Backend::Sqlite).await;
    let b = browser();
    let r = b.get(s.url("/t/acme/signin")).send().await.unwrap();
    let vary = r.headers()["vary"].to_str().unwrap().to_owned();
    assert!(
        vary.contains("Cookie") && vary.contains("Accept-Language"),
        "{vary}"
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
    let english = r.text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">"));
    assert!(
        english
            .contains("<a href=\"/t/acme/signin?lang=de\" hreflang=\"de\" lang=\"de\">Deutsch</a>")
    );

    // The link sets the choice and comes back to the clean address.
    let r = b.get(s.url("/t/acme/signin?lang=de")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/signin");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("latchkey-lang=de;"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let (_, german) = get_text(&b, &s.url("/t/acme/signin")).await;
    assert!(german.contains("<html lang=\"de\">"), "{german}");
    assert!(german.contains("aria-current=\"true\">Deutsch</a>"));

    // The form of the English page still works: the choice is not part of
    // its CSRF token.
    let r = b
        .post(s.url("/t/acme/signin"))
        .form(&[
            ("csrf", csrf_of(&english).as_str()),
            ("login", "alice"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    // The choice outranks the browser's Accept-Language and the account's.
    let r = b
        .get(s.url("/t/acme/account"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("<html lang=\"de\">"));

    // Only languages latchkey speaks, and only addresses of this site.
    let r = browser()
        .get(s.url("/t/acme/signin?lang=xx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().contains("lang"))
    );
    let r = browser()
        .get(s.url("/t/acme/signin"))
        .header("cookie", "latchkey-lang=<script>")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("<html lang=\"en\">"));

    // After a form the links lead to the page that shows the form (here its
    // own address; see `app::context::landing` for those that answer only
    // POST).
    let fresh = browser();
    let (_, page) = get_text(&fresh, &s.url("/t/acme/forgot-password")).await;
    let r = fresh
        .post(s.url("/t/acme/forgot-password"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("login", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("href=\"/t/acme/forgot-password?lang=fr\"")
    );
}

/// Setting up a factor says it worked, on the page that follows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_factor_is_confirmed() {
    let s = TestServer::start(Backend::Sqlite).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (secret, page) = crate::totp::setup_page(&b, &s).await;
    let r = crate::totp::enrol(&b, &s, &page, &crate::totp::code(&secret, &s)).await;
    let (_, codes) = shown_codes(r).await;
    assert!(
        codes.contains(
            "<p class=\"notice success\" role=\"status\">Your authenticator app is on: from now on, signing in asks for its code.</p>"
        ),
        "{codes}"
    );
    // The codes page with `done` confirms too; without it, no
    // confirmation; an unknown one is ignored.
    let (_, codes) = get_text(&b, &s.url("/t/acme/account/recovery-codes?done=app")).await;
    assert!(codes.contains("Your authenticator app is on"), "{codes}");
    let (_, codes) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    assert!(!codes.contains("notice success"));
    let (_, account) = get_text(&b, &s.url("/t/acme/account?done=passkey")).await;
    assert!(account.contains("Your passkey is added"));
    let (_, account) = get_text(&b, &s.url("/t/acme/account?done=<b>")).await;
    assert!(!account.contains("notice success"));
}

/// The pages a person meets, from signing in to losing a factor, in German,
/// French and Italian: no English left (the catalogue's English texts and
/// the commonest English words, `helpers::english_left`). Alice's browser
/// asks for the language; the server's clock stays put, so the app's code
/// at the sign-in is the one set up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_a_person_meets_speak_german_french_and_italian() {
    let s = TestServer::start(Backend::Sqlite).await;
    latchkey_core::recovery::activation::enable(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &latchkey_core::effects::audit::Actor::OperatorCli,
    )
    .await
    .unwrap();
    for lang in ["de", "fr", "it"] {
        let b = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(
                [(
                    reqwest::header::ACCEPT_LANGUAGE,
                    reqwest::header::HeaderValue::from_str(lang).unwrap(),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .unwrap();
        let page = |path: &str| {
            let b = b.clone();
            let url = s.url(path);
            async move {
                let (status, page) = get_text(&b, &url).await;
                assert!(status == 200, "{url}: {status}\n{page}");
                assert_no_english(&page, lang);
                page
            }
        };
        for path in [
            "/t/acme/signin",
            "/t/acme/forgot-password",
            "/t/acme/recover",
        ] {
            page(path).await;
        }
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
        for path in [
            "/t/acme/account",
            "/t/acme/account/password",
            "/t/acme/account/recovery-codes",
        ] {
            page(path).await;
        }
        // an app, its first recovery codes, and the removal's confirmation
        let (secret, setup) = crate::totp::setup_page(&b, &s).await;
        assert_no_english(&setup, lang);
        let r = crate::totp::enrol(&b, &s, &setup, &crate::totp::code(&secret, &s)).await;
        assert_eq!(r.status(), 200);
        assert_no_english(&r.text().await.unwrap(), lang);
        page("/t/acme/account/totp/remove").await;
        // signed out, back in: the second step, then "I lost my second
        // factor" and the recovery's status page
        let account = page("/t/acme/account").await;
        b.post(s.url("/t/acme/signout"))
            .form(&[("csrf", csrf_of(&account))])
            .send()
            .await
            .unwrap();
        let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
        let prompt = page(&location(&r)).await;
        assert!(prompt.contains("/recover/second-step"), "{prompt}");
        let r = b
            .post(s.url("/t/acme/recover/second-step"))
            .form(&[("csrf", csrf_of(&prompt))])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/t/acme/recover/case", "{lang}");
        page("/t/acme/recover/case").await;
        // the next language starts over: no app, no case
        let _ = s
            .tdb
            .db
            .delete_totp(
                &s.alice.id,
                false,
                &latchkey_core::store::Effects::default(),
                s.clock.now(),
            )
            .await
            .unwrap();
    }
}
