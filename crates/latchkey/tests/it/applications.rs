//! The console's applications (issue 13): a refused registration says what
//! is wrong beside each field, by the names people see, and keeps what was
//! typed; an application's page shows the issuer, the discovery address and
//! a configuration for its kind (never its secret).

use latchkey_store::Backend;

use crate::helpers::*;

async fn admin_browser(s: &TestServer) -> reqwest::Client {
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "root", PASSWORD).await;
    assert_eq!(r.status(), 303);
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_application_is_said_beside_its_fields_and_keeps_what_was_typed() {
    let s = TestServer::start(Backend::Sqlite).await;
    let b = admin_browser(&s).await;
    let (_, console) = get_text(&b, &s.url("/t/acme/admin")).await;
    let r = b
        .post(s.url("/t/acme/admin/applications"))
        .form(&[
            ("csrf", csrf_of(&console).as_str()),
            ("name", "   "),
            ("kind", "spa"),
            ("redirect_uris", "https://spa.example/cb#x"),
            ("first_party", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("aria-invalid=\"true\" aria-describedby=\"app-name-error\"")
            && page.contains("<p class=\"error field\" id=\"app-name-error\">Is required</p>"),
        "{page}"
    );
    assert!(page.contains("id=\"app-redirects-error\""), "{page}");
    assert!(
        !page.contains("redirect_uris:"),
        "no raw field name: {page}"
    );
    // what was typed stays
    assert!(
        page.contains(">https://spa.example/cb#x</textarea>"),
        "{page}"
    );
    assert!(page.contains("value=\"spa\" checked"), "{page}");
    assert!(
        page.contains("name=\"first_party\" value=\"on\" checked"),
        "{page}"
    );

    // a field the form has no place for is named as people see it
    b.get(s.url("/t/acme/admin?lang=de")).send().await.unwrap();
    let (_, german) = get_text(&b, &s.url("/t/acme/admin")).await;
    let r = b
        .post(s.url("/t/acme/admin/applications"))
        .form(&[
            ("csrf", csrf_of(&german).as_str()),
            ("name", "Shop"),
            ("kind", "desktop"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"app-kind-error\""), "{page}");
    assert_no_english(&page, "de");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_page_shows_how_to_connect_it() {
    let s = TestServer::start(Backend::Sqlite).await;
    let (web, secret) = crate::oidc::register(&s, crate::oidc::app("Shop", false, false)).await;
    let (spa, _) = crate::oidc::register(&s, crate::oidc::app("SPA", true, false)).await;
    let b = admin_browser(&s).await;
    let issuer = s.url("/t/acme");
    let (_, page) = get_text(&b, &s.url(&format!("/t/acme/admin/applications/{web}"))).await;
    assert!(page.contains(&format!("<code>{issuer}</code>")), "{page}");
    assert!(page.contains(&format!(
        "<code>{issuer}/.well-known/openid-configuration</code>"
    )));
    assert!(page.contains(&format!("OIDC_CLIENT_ID={web}")), "{page}");
    assert!(
        page.contains("OIDC_CLIENT_SECRET=&#60;the client secret&#62;"),
        "{page}"
    );
    assert!(
        !page.contains(&secret.unwrap()),
        "the secret is never shown again"
    );
    assert!(page.contains("Web application with a server"), "{page}");
    let (_, page) = get_text(&b, &s.url(&format!("/t/acme/admin/applications/{spa}"))).await;
    assert!(
        page.contains("oidc-client-ts") && page.contains(&format!("client_id: &#34;{spa}&#34;")),
        "{page}"
    );
    assert!(
        page.contains("Single-page application in the browser"),
        "{page}"
    );
    // the console's list names each kind
    let (_, console) = get_text(&b, &s.url("/t/acme/admin")).await;
    assert!(
        console.contains("Single-page application in the browser (no secret)"),
        "{console}"
    );
}
