//! Recovery pages and mails in the browser's language.

use latchkey_core::store::ClientStore;
use latchkey_store::Backend;

use super::journey::{browser_with_jar, codes_after, next_code, report_zone, resend};
use super::*;
use crate::helpers::*;

on_both_backends!(
    recovery_pages_speak_the_browsers_language,
    italian_pages_and_mails_have_no_english_left,
    the_journey_speaks_german_french_and_italian,
);

async fn recovery_pages_speak_the_browsers_language(backend: Backend) {
    let World { s, .. } = world(backend).await;
    let in_language = |lang: &'static str| {
        let url = s.url("/t/acme/recover");
        async move {
            let r = browser()
                .get(&url)
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            r.text().await.unwrap()
        }
    };
    let de = in_language("de-DE,de;q=0.9,en;q=0.5").await;
    assert!(
        de.contains("<html lang=\"de\">")
            && de.contains("Telefon oder Sicherheitsschlüssel verloren?"),
        "{de}"
    );
    let fr = in_language("fr-CH, fr;q=0.9").await;
    assert!(
        fr.contains("Téléphone ou clé de sécurité perdu") || fr.contains("T&#233;l&#233;phone"),
        "{fr}"
    );
    for (lang, page) in [("de", &de), ("fr", &fr)] {
        let english = latchkey_i18n::catalogue().english_in(lang, page);
        assert!(english.is_empty(), "{lang}: {english:?}");
    }
    let missing = browser()
        .get(s.url("/no/such/page"))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let missing = missing.text().await.unwrap();
    assert!(
        missing.contains("lang=\"de\"") && missing.contains("Nicht gefunden"),
        "{missing}"
    );
    let forged = browser()
        .post(s.url("/t/acme/recover"))
        .header("accept-language", "fr")
        .form(&[("csrf", "forged"), ("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(
        forged
            .text()
            .await
            .unwrap()
            .contains("Ce formulaire a expiré")
    );
    let es = in_language("es").await;
    assert!(
        es.contains("Lost your phone or security key?"),
        "the tenant's language when none fits"
    );

    // A real case and a decoy read the same in every language.
    equipped(&s).await;
    let real = browser();
    let fake = browser();
    start(&real, &s, "alice").await;
    start(&fake, &s, "nobody").await;
    let page = |b: reqwest::Client| {
        let url = s.url("/t/acme/recover/case");
        async move {
            let text = b
                .get(&url)
                .header("accept-language", "fr")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            text.replace(&csrf_of(&text), "")
        }
    };
    let (a, b) = (page(real).await, page(fake).await);
    assert!(a.contains("lang=\"fr\""));
    assert_eq!(a, b);

    // The way in speaks it too; the second step speaks the user's language.
    let (_, signin) = {
        let r = browser()
            .get(s.url("/t/acme/signin"))
            .header("accept-language", "de")
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    };
    assert!(
        signin.contains("Passwort vergessen?") && signin.contains("Anmelden"),
        "{signin}"
    );
    let gil = add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "gil",
        "gil@example.com",
        true,
        Some("fr"),
    )
    .await;
    let _ = gil;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "gil", PASSWORD).await;
    let (_, page) = crate::totp::setup_page(&b, &s).await;
    assert!(
        page.contains("lang=\"fr\"") && page.contains("Activer"),
        "{page}"
    );
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("Bonjour, gil") && account.contains("Se déconnecter"),
        "{account}"
    );
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "Portable")])
        .send()
        .await
        .unwrap();
    let ceremony = r.text().await.unwrap();
    assert!(
        ceremony.contains("Créer la clé d") && ceremony.contains("data-msg-cancelled=\"La demande"),
        "{ceremony}"
    );
    let secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    crate::totp::enrol(&b, &s, &page, &crate::totp::code(&secret, &s)).await;
    let fresh = browser();
    let r = sign_in(&fresh, &s.running.url, "acme", "gil", PASSWORD).await;
    let prompt = fresh
        .get(s.url(&location(&r)))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        prompt.contains("J&#39;ai perdu mon second facteur")
            || prompt.contains("J'ai perdu mon second facteur"),
        "{prompt}"
    );
}

/// A browser that asks for Italian (as a browser in Ticino would).
fn italian_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(
            [(
                reqwest::header::ACCEPT_LANGUAGE,
                reqwest::header::HeaderValue::from_static("it-CH, it;q=0.9, de-CH;q=0.7, en;q=0.5"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap()
}

/// The pages a person meets — sign-in, errors, the second step, set-up,
/// recovery codes, passkeys, the account, recovery and its cancel page,
/// the administration — and the mails they get, in Italian: the browser's
/// choice for visitors and the administrator, the account's for Gina.
/// Each page is checked against the whole catalogue (see
/// `assert_no_english`).
async fn italian_pages_and_mails_have_no_english_left(backend: Backend) {
    let World { s, sink } = world(backend).await;

    // The check finds English: on an English page, in the catalogue's
    // messages and among the words a person reads.
    let (_, english) = get_text(&browser(), &s.url("/t/acme/signin")).await;
    let (messages, words) = english_left(&english, "it");
    assert!(
        messages.contains(&"Forgot your password".to_owned()) && words.contains(&"your".to_owned()),
        "{messages:?} {words:?}"
    );

    // Visitors: the browser's language.
    let visitor = italian_browser();
    for path in [
        "/",
        "/t/acme/signin",
        "/t/acme/forgot-password",
        "/t/acme/recover",
    ] {
        let (status, page) = get_text(&visitor, &s.url(path)).await;
        assert_eq!(status, 200, "{path}: {page}");
        assert_no_english(&page, "it");
    }
    let (status, page) = get_text(&visitor, &s.url("/no/such/page")).await;
    assert_eq!(status, 404);
    assert_no_english(&page, "it");
    assert!(page.contains("Pagina non trovata"), "{page}");
    let forged = visitor
        .post(s.url("/t/acme/recover"))
        .form(&[("csrf", "forged"), ("login", "gina")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let page = forged.text().await.unwrap();
    assert_no_english(&page, "it");
    assert!(page.contains("Questo modulo è scaduto"), "{page}");
    let wrong = sign_in(
        &visitor,
        &s.running.url,
        "acme",
        "alice",
        "not the password",
    )
    .await;
    assert!(wrong.status().is_client_error());
    let page = wrong.text().await.unwrap();
    assert_no_english(&page, "it");
    assert!(page.contains("non sono corretti"), "{page}");

    // Gina chose Italian: her pages speak it whatever the browser asks.
    add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "gina",
        "gina@example.com",
        true,
        Some("it"),
    )
    .await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "gina", PASSWORD).await;
    let (_, page) = crate::totp::setup_page(&b, &s).await;
    assert_no_english(&page, "it");
    let r = crate::totp::enrol(&b, &s, &page, "000000").await;
    assert!(r.status().is_client_error());
    assert_no_english(&r.text().await.unwrap(), "it");
    let (secret, page) = crate::totp::setup_page(&b, &s).await;
    let r = crate::totp::enrol(&b, &s, &page, &crate::totp::code(&secret, &s)).await;
    let (_, page) = shown_codes(r).await;
    assert_no_english(&page, "it");
    let (_, again) = get_text(&b, &s.url("/t/acme/account/recovery-codes?done=app")).await;
    assert_no_english(&again, "it");
    assert!(page.contains("Salvi subito questi codici"), "{page}");
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_no_english(&account, "it");
    assert!(account.contains("Buongiorno, gina"), "{account}");
    let r = b
        .post(s.url("/t/acme/account/passkeys"))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "Portatile")])
        .send()
        .await
        .unwrap();
    let ceremony = r.text().await.unwrap();
    assert_no_english(&ceremony, "it");
    assert!(
        ceremony.contains("data-msg-cancelled=\"La richiesta"),
        "{ceremony}"
    );
    s.clock.advance(11 * 60);
    let (status, page) =
        get_text(&b, &s.url("/t/acme/reauth?return_to=/t/acme/account/totp")).await;
    assert_eq!(status, 200, "{page}");
    assert_no_english(&page, "it");
    s.clock.advance(-11 * 60);

    // The second step of a sign-in, and a wrong code there.
    let fresh = browser();
    let r = sign_in(&fresh, &s.running.url, "acme", "gina", PASSWORD).await;
    let (_, prompt) = get_text(&fresh, &s.url(&location(&r))).await;
    assert_no_english(&prompt, "it");
    assert!(
        prompt.contains("Ho perso il mio secondo fattore"),
        "{prompt}"
    );
    let r = crate::totp::send_code(&fresh, &s, &prompt, "000000").await;
    assert_no_english(&r.text().await.unwrap(), "it");

    // Recovery in an Italian browser; its mails in Gina's language.
    let mails_before = sink.messages().len();
    let stranger = italian_browser();
    start(&stranger, &s, "gina").await;
    let page = case_page(&stranger, &s).await;
    assert_no_english(&page, "it");
    let mail = sink.wait_for_text(mails_before, "Il codice è:").await;
    prove(&stranger, &s, "email_code", &code_in(&mail)).await;
    assert_no_english(&case_page(&stranger, &s).await, "it");
    let r = prove(&stranger, &s, "password", "not the password").await;
    assert_no_english(&r.text().await.unwrap(), "it");
    prove(&stranger, &s, "password", PASSWORD).await;
    let page = case_page(&stranger, &s).await;
    assert_no_english(&page, "it");
    assert!(page.contains("il recupero si conclude il"), "{page}");
    let waiting = sink
        .wait_for_text(mails_before, "le prove per il recupero")
        .await;
    let (status, page) = get_text(&italian_browser(), &link_in(&waiting)).await;
    assert_eq!(status, 200, "{page}");
    assert_no_english(&page, "it");
    assert!(page.contains("Annullare il recupero"), "{page}");

    // Every mail Gina got (an app and codes added, a recovery started).
    let to_gina: Vec<_> = sink
        .messages()
        .into_iter()
        .filter(|m| m.to.iter().any(|to| to.contains("gina@example.com")))
        .collect();
    assert!(to_gina.len() >= 3, "{to_gina:#?}");
    for mail in to_gina {
        let text = mail.text();
        assert!(text.starts_with("Gentile gina,"), "{text}");
        let subject = latchkey_mail::eml::decode_words(
            &latchkey_mail::eml::header(&mail.data, "Subject").unwrap(),
        );
        for part in [&text, &subject] {
            let english = latchkey_i18n::catalogue().english_in("it", part);
            assert!(english.is_empty(), "{english:?} in {part}");
        }
    }

    // The administration, for an administrator who chose no language.
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let admin = italian_browser();
    sign_in(&admin, &s.running.url, "acme", "root", PASSWORD).await;
    let (status, console) = get_text(&admin, &s.url("/t/acme/admin")).await;
    assert_eq!(status, 200, "{console}");
    assert_no_english(&console, "it");
    // its audit log (this walk's events: recovery, second factors, sign-ins),
    // and a wrong filter
    let (status, log) = get_text(&admin, &s.url("/t/acme/admin/audit")).await;
    assert_eq!(status, 200, "{log}");
    assert_no_english(&log, "it");
    assert!(log.contains("Recupero iniziato"), "{log}");
    let (status, log) = get_text(
        &admin,
        &s.url("/t/acme/admin/audit?person=nessuno&from=2026-02-30"),
    )
    .await;
    assert_eq!(status, 422, "{log}");
    assert_no_english(&log, "it");
    let register = |redirects: &'static str| {
        let (admin, url, csrf) = (
            admin.clone(),
            s.url("/t/acme/admin/applications"),
            csrf_of(&console),
        );
        async move {
            let form = [
                ("csrf", csrf.as_str()),
                ("name", "Negozio"),
                ("redirect_uris", redirects),
                ("kind", "web"),
            ];
            admin.post(url).form(&form).send().await.unwrap()
        }
    };
    let r = register("http://negozio.example/cb").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert_no_english(&page, "it");
    assert!(page.contains("usa http non cifrato"), "{page}");
    let r = register("https://negozio.example/cb").await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert_no_english(&page, "it");
    let client = s.tdb.db.list_clients(&s.tenant.id).await.unwrap().remove(0);
    let (status, page) = get_text(
        &admin,
        &s.url(&format!("/t/acme/admin/applications/{}", client.client_id)),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_no_english(&page, "it");

    // The people: the table, a search, a refused page cursor, a person's
    // page, and the helpdesk reset's next step (its confirmation, or its
    // refusal when there is nothing to remove).
    for (path, code) in [
        ("/t/acme/admin/people", 200),
        ("/t/acme/admin/people?q=GI", 200),
        ("/t/acme/admin/people?q=nessuno", 200),
        ("/t/acme/admin/people?after=Non%20valido", 422),
    ] {
        let (status, page) = get_text(&admin, &s.url(path)).await;
        assert_eq!(status, code, "{path}: {page}");
        assert_no_english(&page, "it");
    }
    let gina = latchkey_core::store::UserStore::user_by_login(
        &s.tdb.db,
        &s.tenant.id,
        &latchkey_core::accounts::user::LoginKey::Username("gina".into()),
    )
    .await
    .unwrap()
    .unwrap();
    let person = s.url(&format!("/t/acme/admin/people/{}", gina.id));
    let (status, page) = get_text(&admin, &person).await;
    assert_eq!(status, 200, "{page}");
    assert_no_english(&page, "it");
    for reason in ["", "telefono perso; verificata in videochiamata"] {
        let r = admin
            .post(format!("{person}/reset"))
            .form(&[("csrf", csrf_of(&page).as_str()), ("reason", reason)])
            .send()
            .await
            .unwrap();
        assert!([200, 422].contains(&r.status().as_u16()), "{}", r.status());
        assert_no_english(&r.text().await.unwrap(), "it");
    }
    // ... and in German (the switcher's choice). (French says "codes de
    // récupération", and "codes" is on the check's list of English words.)
    let lang = "de";
    for url in [s.url("/t/acme/admin/people"), person.clone()] {
        // the switcher's link sets the language and comes back
        let r = admin
            .get(format!("{url}?lang={lang}"))
            .send()
            .await
            .unwrap();
        let (status, page) = match r.status().as_u16() {
            303 => get_text(&admin, &s.url(&location(&r))).await,
            _ => (r.status().as_u16(), r.text().await.unwrap()),
        };
        assert_eq!(status, 200, "{url} {lang}: {page}");
        assert_no_english(&page, lang);
    }
}

/// The new states of the case page — the status, a new code, its limit,
/// the wait (in UTC, and in a reported zone) — and the page after
/// completion, with no English left.
async fn the_journey_speaks_german_french_and_italian(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (_, codes) = equipped(&s).await;
    for lang in ["de", "fr", "it"] {
        let before = sink.messages().len();
        let (b, jar) = browser_with_jar(lang);
        start(&b, &s, "alice").await;
        next_code(&sink, before).await;
        assert_no_english(&case_page(&b, &s).await, lang);
        let r = resend(&b, &s).await;
        let (_, page) = get_text(&b, &s.url(&location(&r))).await;
        assert!(page.contains("notice success"), "{page}");
        assert_no_english(&page, lang);
        codes_after(&sink, before, 2).await;
        assert_eq!(resend(&b, &s).await.status(), 303);
        let fresh = codes_after(&sink, before, 3).await.remove(2);
        let r = resend(&b, &s).await;
        assert_eq!(r.status(), 429, "the fourth code this hour");
        assert_no_english(&r.text().await.unwrap(), lang);
        assert_eq!(prove(&b, &s, "email_code", &fresh).await.status(), 303);
        assert_eq!(prove(&b, &s, "password", PASSWORD).await.status(), 303);
        let page = case_page(&b, &s).await;
        assert!(page.contains("UTC — "), "{page}");
        assert_no_english(&page, lang);
        report_zone(&jar, &s, "Europe/Zurich|60");
        let zoned = case_page(&b, &s).await;
        assert!(zoned.contains("(Europe/Zurich)"), "{zoned}");
        assert_no_english(&zoned, lang);
        b.post(s.url("/t/acme/recover/stop"))
            .form(&[("csrf", csrf_of(&page))])
            .send()
            .await
            .unwrap();
        // a fresh day of code mails for the name
        s.clock.advance(24 * 3600 + 1);
    }
    // the page after completion, on an optional-factor tenant
    let (b, _) = browser_with_jar("it");
    start(&b, &s, "alice").await;
    prove(&b, &s, "password", PASSWORD).await;
    prove(&b, &s, "recovery_code", &codes[1]).await;
    let r = finish(&b, &s, None).await;
    assert_eq!(r.status(), 200);
    let done = r.text().await.unwrap();
    assert!(done.contains("Protegga di nuovo il suo account"), "{done}");
    assert_no_english(&done, "it");
}
