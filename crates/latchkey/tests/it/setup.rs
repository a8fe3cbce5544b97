//! The set-up wizard through the real server (decision 0019): a new
//! tenant's administrator lands in it; a password tenant is asked for second
//! factors, a passkey-only one is told a passkey is two factors and skips;
//! steps are validated beside their fields, keep what was typed, resume
//! where they were left; "finish later" leads to the console's checklist; a
//! legacy (v1) tenant's banner runs the wizard and ends with the upgrade, and
//! its request for self-recovery is recorded while the upgrade is pending.

use latchkey_core::effects::audit::{Actor, AuditKind};
use latchkey_core::store::{AuditStore, RecoveryStore};
use latchkey_core::tenants::{self, SecondFactorPolicy, Tenant, TenantInput};
use latchkey_store::Backend;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

use crate::helpers::*;
use crate::passkeys::{answer, options_of, soft_register, start_registration};

on_both_backends!(a_legacy_tenant_upgrades_through_the_wizard_and_its_request_waits,);

/// A new tenant `slug` (`onboarding` v1 or v2) with administrator `root`,
/// signed in; the browser.
async fn new_tenant(s: &TestServer, slug: &str, onboarding: &str) -> (Tenant, reqwest::Client) {
    let tenant = tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &TenantInput {
            slug: slug.into(),
            display_name: "Newco".into(),
            onboarding: Some(onboarding.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    add_admin(&s.tdb, &s.clock, &tenant, "root", "root@example.com").await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, slug, "root", PASSWORD).await;
    assert_eq!(r.status(), 303);
    (tenant, b)
}

async fn stored(s: &TestServer, slug: &str) -> Tenant {
    tenants::by_slug(&s.tdb.db, slug).await.unwrap()
}

/// Posts a step's form from `page`; the answer.
async fn post_step(
    b: &reqwest::Client,
    s: &TestServer,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    b.post(s.url(action)).form(&form).send().await.unwrap()
}

/// The wizard's page the answer `r` sends the browser to.
async fn follow(b: &reqwest::Client, s: &TestServer, r: reqwest::Response) -> String {
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let (status, page) = get_text(b, &s.url(&location(&r))).await;
    assert_eq!(status, 200, "{page}");
    page
}

/// Posts a step's form from `page` and follows it: the next page.
async fn save(
    b: &reqwest::Client,
    s: &TestServer,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> String {
    follow(b, s, post_step(b, s, page, action, fields).await).await
}

/// The kinds of the tenant's audit events, oldest first.
async fn events(s: &TestServer, tenant: &Tenant) -> Vec<String> {
    let mut all: Vec<String> = s
        .tdb
        .db
        .list_audit(&tenant.id, 200)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    all.reverse();
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_tenant_is_asked_for_second_factors() {
    let s = TestServer::start(Backend::Sqlite).await;
    let (tenant, b) = new_tenant(&s, "newco", "v2").await;

    // the account page leads to it, and the first visit to the console
    // opens the wizard
    let (_, account) = get_text(&b, &s.url("/t/newco/account")).await;
    assert!(
        account.contains("href=\"/t/newco/admin/setup\">Set up your organisation</a>"),
        "{account}"
    );
    let r = b.get(s.url("/t/newco/admin")).send().await.unwrap();
    assert_eq!(location(&r), "/t/newco/admin/setup");
    let (_, page) = get_text(&b, &s.url("/t/newco/admin/setup")).await;
    assert!(
        page.contains("Your organisation") && page.contains("Step 1 of 6"),
        "{page}"
    );

    // an empty name: said beside the field, what was typed kept
    let r = post_step(
        &b,
        &s,
        &page,
        "/t/newco/admin/setup/step/organisation",
        &[("display_name", " "), ("default_language", "de")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains("id=\"setup-name\"")
            && refused.contains("aria-describedby=\"setup-name-error\"")
            && refused.contains("<p class=\"error field\" id=\"setup-name-error\">Is required</p>"),
        "{refused}"
    );
    assert!(
        refused.contains("value=\"de\" lang=\"de\" selected"),
        "{refused}"
    );
    // a time zone the server does not know: said beside the field, with
    // what to type, and kept
    let r = post_step(
        &b,
        &s,
        &refused,
        "/t/newco/admin/setup/step/organisation",
        &[
            ("display_name", "Newco AG"),
            ("default_language", "en"),
            ("time_zone", "Europe/Zürich"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains("aria-describedby=\"setup-zone-hint setup-zone-error\" aria-invalid=\"true\"")
            && refused.contains("id=\"setup-zone-error\">“Europe/Zürich” is not a time zone this server knows: type its IANA name, like Europe/Zurich")
            && refused.contains("value=\"Europe/Zürich\""),
        "{refused}"
    );
    let page = save(
        &b,
        &s,
        &refused,
        "/t/newco/admin/setup/step/organisation",
        &[
            ("display_name", "Newco AG"),
            ("default_language", "en"),
            ("time_zone", "europe/zurich"),
        ],
    )
    .await;
    assert!(page.contains("How people sign in"), "{page}");
    let t = stored(&s, "newco").await;
    assert_eq!(
        (
            t.display_name.as_str(),
            t.default_language.as_str(),
            t.time_zone.name()
        ),
        ("Newco AG", "en", "Europe/Zurich")
    );
    // the step shows the stored zone when the administrator comes back
    let (_, again) = get_text(&b, &s.url("/t/newco/admin/setup?step=organisation")).await;
    assert!(again.contains("value=\"Europe/Zurich\""), "{again}");

    // passkeys only without a passkey of one's own: refused, beside the choice
    let r = post_step(
        &b,
        &s,
        &page,
        "/t/newco/admin/setup/step/signin",
        &[("signin_methods", "passkey")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains("id=\"setup-methods-error\">Add a passkey to your own account first"),
        "{refused}"
    );
    assert!(stored(&s, "newco").await.password_signin);

    // passwords: the second factors are asked for, the recommended one shown
    let page = save(
        &b,
        &s,
        &refused,
        "/t/newco/admin/setup/step/signin",
        &[("signin_methods", "password")],
    )
    .await;
    assert!(
        page.contains("People who sign in with a password should confirm it"),
        "{page}"
    );
    assert!(
        page.contains("value=\"required\" checked> Required: everyone sets one up at their next sign-in (recommended)"),
        "{page}"
    );
    let r = post_step(
        &b,
        &s,
        &page,
        "/t/newco/admin/setup/step/second_factors",
        &[("second_factor", "required")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        stored(&s, "newco").await.second_factor,
        SecondFactorPolicy::Required
    );
    // required now: the administrator sets a second factor up first
    let r = b.get(s.url(&location(&r))).send().await.unwrap();
    assert_eq!(location(&r), "/t/newco/account/totp");

    let step = AuditKind::TenantSetupStepSaved.as_str().to_owned();
    let events = events(&s, &tenant).await;
    assert_eq!(
        events.iter().filter(|e| **e == step).count(),
        3,
        "{events:?}"
    );
    assert!(events.contains(&AuditKind::TenantSettingsChanged.as_str().to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_only_tenant_is_told_and_skips_second_factors() {
    let s = TestServer::start(Backend::Sqlite).await;
    let (_, b) = new_tenant(&s, "keyco", "v2").await;
    let (_, page) = get_text(&b, &s.url("/t/keyco/admin/setup")).await;
    let page = save(
        &b,
        &s,
        &page,
        "/t/keyco/admin/setup/step/organisation",
        &[("display_name", "Keyco"), ("default_language", "en")],
    )
    .await;
    assert!(page.contains("Passkeys only, no passwords"), "{page}");

    // the administrator adds a passkey first, then turns passwords off
    let ceremony = start_registration(&b, &s, "keyco", "Laptop").await;
    let mut key = SoftPasskey::new(true);
    let registration = soft_register(&mut key, &s, options_of(&ceremony));
    let r = answer(&b, &s, &ceremony, &registration).await;
    assert_eq!(r.status(), 200);
    let (_, page) = get_text(&b, &s.url("/t/keyco/admin/setup?step=signin")).await;
    let page = save(
        &b,
        &s,
        &page,
        "/t/keyco/admin/setup/step/signin",
        &[("signin_methods", "passkey")],
    )
    .await;
    let t = stored(&s, "keyco").await;
    assert!(t.passkey_only() && t.passwordless);

    // told why, and nothing to choose
    assert!(page.contains("A passkey already is two factors"), "{page}");
    assert!(!page.contains("name=\"second_factor\""), "{page}");
    let before = t.second_factor;
    let page = save(
        &b,
        &s,
        &page,
        "/t/keyco/admin/setup/step/second_factors",
        &[],
    )
    .await;
    assert!(page.contains("Account self-recovery"), "{page}");
    assert_eq!(stored(&s, "keyco").await.second_factor, before);

    // the sign-in page offers the passkey only; a password is refused
    let fresh = browser();
    let (_, signin) = get_text(&fresh, &s.url("/t/keyco/signin")).await;
    assert!(!signin.contains("name=\"password\""), "{signin}");
    assert!(signin.contains("Sign in with a passkey"));
    let r = fresh
        .post(s.url("/t/keyco/signin"))
        .form(&[
            ("csrf", csrf_of(&signin).as_str()),
            ("login", "root"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("signs in with passkeys only")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_resumes_and_finish_later_leaves_a_checklist() {
    let s = TestServer::start(Backend::Sqlite).await;
    let (_, b) = new_tenant(&s, "newco", "v2").await;
    let (_, page) = get_text(&b, &s.url("/t/newco/admin/setup")).await;
    save(
        &b,
        &s,
        &page,
        "/t/newco/admin/setup/step/organisation",
        &[("display_name", "Newco"), ("default_language", "en")],
    )
    .await;

    // left and come back, in another browser: where it was left
    let other = browser();
    sign_in(&other, &s.running.url, "newco", "root", PASSWORD).await;
    let r = other.get(s.url("/t/newco/admin")).send().await.unwrap();
    assert_eq!(location(&r), "/t/newco/admin/setup");
    let (_, page) = get_text(&other, &s.url("/t/newco/admin/setup")).await;
    assert!(
        page.contains("How people sign in") && page.contains("Step 2 of 6"),
        "{page}"
    );
    // a later step cannot be opened before its turn
    let (_, early) = get_text(&other, &s.url("/t/newco/admin/setup?step=summary")).await;
    assert!(early.contains("Step 2 of 6"), "{early}");
    let r = post_step(
        &other,
        &s,
        &page,
        "/t/newco/admin/setup/step/recovery",
        &[("recovery_wait_hours", "0")],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("comes later"));

    // finish later: the console, with what is still open
    let r = post_step(&other, &s, &page, "/t/newco/admin/setup/later", &[]).await;
    assert_eq!(location(&r), "/t/newco/admin");
    let (status, console) = get_text(&other, &s.url("/t/newco/admin")).await;
    assert_eq!(status, 200);
    assert!(
        console.contains("Finish setting up your organisation"),
        "{console}"
    );
    assert!(console.contains("Sign-in methods — open"), "{console}");
    assert!(
        console.contains("Organisation name and language — done"),
        "{console}"
    );
    assert!(console.contains("A first application — open"), "{console}");
    // and from there back into the wizard, where it was left
    let r = post_step(&other, &s, &console, "/t/newco/admin/setup/resume", &[]).await;
    let page = follow(&other, &s, r).await;
    assert!(page.contains("Step 2 of 6"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_application_shows_its_configuration_and_the_summary_finishes() {
    let s = TestServer::start(Backend::Sqlite).await;
    let (tenant, b) = new_tenant(&s, "newco", "v2").await;
    let (_, page) = get_text(&b, &s.url("/t/newco/admin/setup")).await;
    let mut page = page;
    for (action, fields) in [
        (
            "organisation",
            vec![("display_name", "Newco"), ("default_language", "en")],
        ),
        ("signin", vec![("signin_methods", "password")]),
        ("second_factors", vec![("second_factor", "optional")]),
        ("recovery", vec![("recovery_wait_hours", "24")]),
    ] {
        let action = format!("/t/newco/admin/setup/step/{action}");
        page = save(&b, &s, &page, &action, &fields).await;
    }
    assert!(page.contains("Your first application"), "{page}");

    // a wrong address: beside the field by its name, what was typed kept
    let r = post_step(
        &b,
        &s,
        &page,
        "/t/newco/admin/setup/step/application",
        &[
            ("name", "Shop"),
            ("kind", "web"),
            ("redirect_uris", "http://shop.example/cb"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("id=\"app-redirects-error\""), "{refused}");
    assert!(
        !refused.contains("redirect_uris:"),
        "no raw field name: {refused}"
    );
    assert!(refused.contains("value=\"Shop\""));
    assert!(refused.contains(">http://shop.example/cb</textarea>"));

    let r = post_step(
        &b,
        &s,
        &refused,
        "/t/newco/admin/setup/step/application",
        &[
            ("name", "Shop"),
            ("kind", "web"),
            ("redirect_uris", "https://shop.example/cb"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    let created = r.text().await.unwrap();
    let issuer = s.url("/t/newco");
    assert!(
        created.contains(&format!("<code>{issuer}</code>")),
        "{created}"
    );
    assert!(created.contains(&format!(
        "<code>{issuer}/.well-known/openid-configuration</code>"
    )));
    assert!(created.contains("OIDC_CLIENT_ID=lk_"), "{created}");
    assert!(created.contains("OIDC_REDIRECT_URI=https://shop.example/cb"));
    assert!(created.contains("Client secret") && !created.contains("&#60;the client secret&#62;"));

    // the summary: the checklist, and the finish
    let (_, summary) = get_text(&b, &s.url("/t/newco/admin/setup")).await;
    assert!(summary.contains("A first application — done"), "{summary}");
    assert!(
        summary.contains("Account self-recovery — open"),
        "{summary}"
    );
    let r = post_step(&b, &s, &summary, "/t/newco/admin/setup/finish", &[]).await;
    assert_eq!(location(&r), "/t/newco/admin?done=setup-finished");
    let (_, console) = get_text(&b, &s.url(&location(&r))).await;
    assert!(console.contains("The set-up is finished."), "{console}");
    assert!(!console.contains("Finish setting up your organisation"));
    assert!(stored(&s, "newco").await.setup.finished());
    assert!(
        events(&s, &tenant)
            .await
            .contains(&AuditKind::TenantSetupFinished.as_str().to_owned())
    );
}

async fn a_legacy_tenant_upgrades_through_the_wizard_and_its_request_waits(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (tenant, b) = new_tenant(&s, "oldco", "v1").await;

    // the console opens on its home, with the banner
    let (status, console) = get_text(&b, &s.url("/t/oldco/admin")).await;
    assert_eq!(status, 200);
    assert!(
        console.contains("Upgrade to the new onboarding"),
        "{console}"
    );
    let page = save(&b, &s, &console, "/t/oldco/admin/setup/resume", &[]).await;
    // the wizard on the existing settings
    assert!(page.contains("value=\"Newco\""), "{page}");

    let mut page = page;
    for (action, fields) in [
        (
            "organisation",
            vec![("display_name", "Oldco"), ("default_language", "en")],
        ),
        ("signin", vec![("signin_methods", "password")]),
        ("second_factors", vec![("second_factor", "optional")]),
    ] {
        let action = format!("/t/oldco/admin/setup/step/{action}");
        page = save(&b, &s, &page, &action, &fields).await;
    }

    // asking for self-recovery while the upgrade is pending: recorded
    let r = post_step(
        &b,
        &s,
        &page,
        "/t/oldco/admin/recovery-request",
        &[("note", "please"), ("back", "setup")],
    )
    .await;
    let page = follow(&b, &s, r).await;
    assert!(
        page.contains("Your request was sent to the operator."),
        "{page}"
    );
    assert!(
        page.contains("waiting for the upgrade to the new onboarding"),
        "{page}"
    );
    let request = s
        .tdb
        .db
        .pending_activation_request(&tenant.id)
        .await
        .unwrap();
    assert_eq!(request.unwrap().note.as_deref(), Some("please"));
    let (_, account) = get_text(&b, &s.url("/t/oldco/account")).await;
    assert!(
        account.contains("waiting for the upgrade to the new onboarding"),
        "{account}"
    );
    // the operator sees it waiting, and the approval is refused until the
    // upgrade
    let o = crate::cli::latchkey(&s.tdb.url, &["tenant", "recovery", "requests"], None);
    assert!(
        crate::cli::out(&o).contains("please (waits for the upgrade to onboarding v2)"),
        "{}",
        crate::cli::out(&o)
    );
    let legacy = stored(&s, "oldco").await;
    let refused = latchkey_core::recovery::activation::decide_request(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &legacy,
        true,
        "",
        &Actor::OperatorCli,
    )
    .await
    .unwrap_err();
    assert!(
        refused.to_string().contains("onboarding v2 first"),
        "{refused}"
    );

    // the rest of the steps, and the finish upgrades
    let page = save(
        &b,
        &s,
        &page,
        "/t/oldco/admin/setup/step/recovery",
        &[("recovery_wait_hours", "24")],
    )
    .await;
    let summary = save(
        &b,
        &s,
        &page,
        "/t/oldco/admin/setup/step/application",
        &[("skip", "1")],
    )
    .await;
    assert!(
        summary.contains("Account self-recovery — waiting for the operator"),
        "{summary}"
    );
    assert!(
        summary.contains("Finish and upgrade to the new onboarding"),
        "{summary}"
    );
    let r = post_step(&b, &s, &summary, "/t/oldco/admin/setup/finish", &[]).await;
    assert_eq!(location(&r), "/t/oldco/admin?done=upgraded");
    let upgraded = stored(&s, "oldco").await;
    assert_eq!(upgraded.onboarding, latchkey_core::tenants::Onboarding::V2);
    assert!(upgraded.setup.finished());
    let (_, console) = get_text(&b, &s.url("/t/oldco/admin?done=upgraded")).await;
    assert!(!console.contains("Start the upgrade"), "{console}");
    // now the operator can approve the request that waited
    let approved = latchkey_core::recovery::activation::decide_request(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &upgraded,
        true,
        "",
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    assert_eq!(
        approved.status,
        latchkey_core::recovery::activation::RequestStatus::Approved
    );
    assert!(stored(&s, "oldco").await.self_recovery);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_speaks_german_french_and_italian() {
    let s = TestServer::start(Backend::Sqlite).await;
    for (slug, lang) in [("deco", "de"), ("frco", "fr"), ("itco", "it")] {
        let (_, _) = new_tenant(&s, slug, "v1").await;
        let b = browser_in(lang);
        sign_in(&b, &s.running.url, slug, "root", PASSWORD).await;
        let (_, console) = get_text(&b, &s.url(&format!("/t/{slug}/admin"))).await;
        assert_no_english(&console, lang);
        let r = post_step(
            &b,
            &s,
            &console,
            &format!("/t/{slug}/admin/setup/resume"),
            &[],
        )
        .await;
        let mut page = follow(&b, &s, r).await;
        assert_no_english(&page, lang);
        // a refused step, then every step in turn
        let r = post_step(
            &b,
            &s,
            &page,
            &format!("/t/{slug}/admin/setup/step/organisation"),
            &[("display_name", ""), ("default_language", "")],
        )
        .await;
        assert_eq!(r.status(), 422);
        assert_no_english(&r.text().await.unwrap(), lang);
        for (action, fields) in [
            (
                "organisation",
                vec![("display_name", "Firma"), ("default_language", lang)],
            ),
            ("signin", vec![("signin_methods", "password")]),
            ("second_factors", vec![("second_factor", "optional")]),
            ("recovery", vec![("recovery_wait_hours", "24")]),
        ] {
            let action = format!("/t/{slug}/admin/setup/step/{action}");
            page = save(&b, &s, &page, &action, &fields).await;
            assert_no_english(&page, lang);
        }
        // the application step refused, then registered, then the summary
        let action = format!("/t/{slug}/admin/setup/step/application");
        let r = post_step(
            &b,
            &s,
            &page,
            &action,
            &[
                ("name", ""),
                ("kind", "web"),
                ("redirect_uris", "http://x.example/cb"),
            ],
        )
        .await;
        assert_eq!(r.status(), 422);
        assert_no_english(&r.text().await.unwrap(), lang);
        let r = post_step(
            &b,
            &s,
            &page,
            &action,
            &[
                ("name", "Shop"),
                ("kind", "spa"),
                ("redirect_uris", "https://x.example/cb"),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert_no_english(&r.text().await.unwrap(), lang);
        let (_, summary) = get_text(&b, &s.url(&format!("/t/{slug}/admin/setup"))).await;
        assert_no_english(&summary, lang);
        let r = post_step(
            &b,
            &s,
            &summary,
            &format!("/t/{slug}/admin/setup/later"),
            &[],
        )
        .await;
        assert_eq!(r.status(), 303);
    }
}

/// The wizard in Chromium (`e2e/setup.mjs`): a password organisation, a
/// passkey-only one with a virtual authenticator, and a legacy one's
/// upgrade, every page through the design checks (axe-core).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_works_in_chromium() {
    let s = TestServer::start(Backend::Sqlite).await;
    for (slug, name, onboarding) in [
        ("newco", "Newco", "v2"),
        ("keyco", "Keyco", "v2"),
        ("oldco", "Oldco", "v1"),
    ] {
        let tenant = tenants::create(
            &s.tdb.db,
            &*s.clock,
            &latchkey_core::platform::random::OsRandom,
            &TenantInput {
                slug: slug.into(),
                display_name: name.into(),
                onboarding: Some(onboarding.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        add_admin(&s.tdb, &s.clock, &tenant, "root", "root@example.com").await;
    }
    crate::browser::run_script("setup.mjs", &[&s.running.url, PASSWORD]).await;
}

/// The operator sets the same settings with the same rules: a name, a mail
/// language and the sign-in methods; passkeys only is refused once nobody
/// could sign in, whichever switch is turned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_sets_the_same_settings_by_the_same_rules() {
    use crate::cli::{err, latchkey};
    let s = TestServer::start(Backend::Sqlite).await;
    let url = s.tdb.url.clone();
    let o = latchkey(
        &url,
        &[
            "tenant",
            "set",
            "acme",
            "--display-name",
            "Acme AG",
            "--default-language",
            "it",
            "--signin-methods",
            "passkey",
        ],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let t = stored(&s, "acme").await;
    assert_eq!(
        (t.display_name.as_str(), t.default_language.as_str()),
        ("Acme AG", "it")
    );
    assert!(t.passkey_only() && t.passwordless);
    let o = latchkey(
        &url,
        &["tenant", "set", "acme", "--passwordless", "off"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("leaves no way to sign in"), "{}", err(&o));
    let o = latchkey(
        &url,
        &["tenant", "set", "acme", "--signin-methods", "sometimes"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("password, password_or_passkey, passkey"),
        "{}",
        err(&o)
    );
    // the organisation's time zone: by IANA name, shown, cleared with ""
    let o = latchkey(
        &url,
        &["tenant", "set", "acme", "--time-zone", "Mars/Olympus"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("time_zone") && err(&o).contains("like Europe/Zurich"),
        "{}",
        err(&o)
    );
    let o = latchkey(
        &url,
        &["tenant", "set", "acme", "--time-zone", "asia/tokyo"],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let o = latchkey(&url, &["tenant", "show", "acme"], None);
    let shown = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(shown.contains("time zone:     Asia/Tokyo"), "{shown}");
    let o = latchkey(&url, &["tenant", "show", "acme", "--json"], None);
    let shown = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(shown.contains("\"time_zone\": \"Asia/Tokyo\""), "{shown}");
    let o = latchkey(&url, &["tenant", "set", "acme", "--time-zone", ""], None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(stored(&s, "acme").await.time_zone.is_utc());
}
