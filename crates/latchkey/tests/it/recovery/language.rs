//! Recovery pages and mails in the browser's language.

use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(recovery_pages_speak_the_browsers_language,);

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
