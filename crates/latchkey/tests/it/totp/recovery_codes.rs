//! Recovery codes: shown once, each signs in once.

use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    recovery_codes_are_shown_once_and_each_signs_in_once,
    a_recovery_code_confirms_a_change_instead_of_the_app,
    codes_are_stored_keyed_and_plain_ones_from_before_keep_working,
    a_used_code_is_offered_a_new_set_and_an_application_goes_first,
);

async fn create_codes(b: &reqwest::Client, s: &TestServer) -> Vec<String> {
    let (status, page) = get_text(b, &s.url("/t/acme/account/recovery-codes")).await;
    assert_eq!(status, 200);
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers().get("cache-control").unwrap(),
        "no-store",
        "codes shown once are never cached"
    );
    let page = r.text().await.unwrap();
    assert!(page.contains("shown only once"));
    assert!(page.contains("download=\"recovery-codes-acme.txt\""));
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    codes
}

async fn use_code(s: &TestServer, code: &str) -> (u16, String) {
    let (b, prompt) = password_step(s).await;
    assert!(prompt.contains("Use a recovery code"));
    let r = b
        .post(s.url("/t/acme/signin/recovery-code"))
        .form(&[
            ("csrf", csrf_of(&prompt).as_str()),
            ("code", code),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    if status == 303 {
        let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
        return (status, account);
    }
    (status, r.text().await.unwrap())
}

/// NIST SP 800-63B-4 §4.2.1.1 (SRC-5): after a recovery code signs her
/// in, alice is offered a fresh set ("Later" goes on); signing in to an
/// application goes to the application first, and the account page makes
/// the offer. Decision 0031.
async fn a_used_code_is_offered_a_new_set_and_an_application_goes_first(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (secret, page) = setup_page(&b, &s).await;
    let (codes, _) = shown_codes(enrol(&b, &s, &page, &code(&secret, &s)).await).await;
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(!account.contains("id=\"codes-used\""), "nothing used yet");

    // Signed in with a code: the offer comes before where she was going.
    let post_code = |b: reqwest::Client, prompt: String, code: String, return_to: String| {
        let url = s.url("/t/acme/signin/recovery-code");
        async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf_of(&prompt).as_str()),
                    ("code", code.as_str()),
                    ("return_to", return_to.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let (b, prompt) = password_step(&s).await;
    let r = post_code(
        b.clone(),
        prompt,
        codes[0].clone(),
        "/t/acme/account".into(),
    )
    .await;
    assert_eq!(r.status(), 303);
    let offer = location(&r);
    assert_eq!(
        offer,
        "/t/acme/account/recovery-codes/used?return_to=/t/acme/account"
    );
    let (status, page) = get_text(&b, &s.url(&offer)).await;
    assert_eq!(status, 200);
    for said in [
        "<h1>You used a recovery code</h1>",
        "That code no longer works: each code works once. <strong>You have 9 recovery codes left.</strong>",
        "action=\"/t/acme/account/recovery-codes\"",
        ">Make a new set</button>",
        ">Later</button>",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
    // "Later" needs the form's token, then goes on and is not asked again.
    let later = |csrf: String| {
        let (b, url) = (b.clone(), s.url("/t/acme/account/recovery-codes/later"));
        async move {
            b.post(url)
                .form(&[("csrf", csrf.as_str()), ("return_to", "/t/acme/account")])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(later("forged".into()).await.status(), 403);
    let r = later(csrf_of(&page)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        !account.contains("id=\"codes-used\""),
        "answered: {account}"
    );
    assert!(account.contains("9 unused"), "{account}");
    let r = b.get(s.url(&offer)).send().await.unwrap();
    assert_eq!(r.status(), 303, "nothing to offer any more");
    assert_eq!(location(&r), "/t/acme/account");

    // Inside an application's sign-in, the application goes first …
    let (intranet, _) = crate::oidc::register(&s, crate::oidc::app("Intranet", false, true)).await;
    let ask = crate::oidc::ask(&s, &intranet, &[]);
    let resume = ask.strip_prefix(s.running.url.as_str()).unwrap().to_owned();
    let (b, prompt) = password_step(&s).await;
    let r = post_code(b.clone(), prompt, codes[1].clone(), resume.clone()).await;
    assert_eq!(
        r.status(),
        200,
        "the page that continues to the application"
    );
    let page = r.text().await.unwrap();
    assert!(!page.contains("recovery-codes/used"), "{page}");
    let r = b.get(&ask).send().await.unwrap();
    assert_eq!(r.status(), 302);
    assert!(
        location(&r).starts_with(crate::oidc::REDIRECT),
        "back to the application"
    );
    // … and the account page makes the offer.
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(
        account.contains("id=\"codes-used\"")
            && account.contains("You have 8 recovery codes left.")
            && account.contains("name=\"return_to\" value=\"/t/acme/account\""),
        "{account}"
    );
    // "Make a new set" is the codes page's own form: a new set ends the
    // offer.
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (fresh, _) = shown_codes(r).await;
    assert_eq!(fresh.len(), 10);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(!account.contains("id=\"codes-used\""), "{account}");
    assert!(account.contains("10 unused"), "{account}");
}

async fn recovery_codes_are_shown_once_and_each_signs_in_once(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    assert_eq!(
        sign_in(&b, &s.running.url, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let (secret, page) = setup_page(&b, &s).await;
    let r = enrol(&b, &s, &page, &code(&secret, &s)).await;
    // the first set comes right with the app, without another click
    let (codes, page) = shown_codes(r).await;
    assert!(page.contains("shown only once"));
    assert!(page.contains("Your authenticator app is on"), "{page}");
    assert!(page.contains("download=\"recovery-codes-acme.txt\""));
    assert!(page.contains("id=\"codes-copy\""), "a copy button");
    assert!(page.contains("id=\"codes-print\""), "a print button");
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("10 unused"), "{account}");
    // the page shows no codes again
    let (_, again) = get_text(&b, &s.url("/t/acme/account/recovery-codes")).await;
    assert!(!again.contains(&codes[0]));
    // a new set ends these: said as a warning, the button a danger one
    assert!(
        again.contains("<p class=\"notice warning\">You have 10 unused codes. Creating new codes ends the old ones.</p>")
            && again.contains("<button type=\"submit\" class=\"danger\">Create 10 recovery codes</button>"),
        "{again}"
    );

    // typed loosely: upper case, spaces instead of dashes
    let typed = codes[0].to_uppercase().replace('-', " ");
    let (status, account) = use_code(&s, &typed).await;
    assert_eq!(status, 303);
    assert!(account.contains("9 unused"), "{account}");
    let (status, page) = use_code(&s, &codes[0]).await;
    assert_eq!(status, 401, "each code once");
    assert!(page.contains("not correct or was used before"));
    let (status, _) = use_code(&s, "not-a-code").await;
    assert_eq!(status, 401);

    for c in &codes[1..7] {
        assert_eq!(use_code(&s, c).await.0, 303);
    }
    let (_, account) = use_code(&s, &codes[7]).await;
    assert!(
        account.contains("2 unused") && account.contains("few left"),
        "{account}"
    );

    // a new set ends the old one
    let (b, prompt) = password_step(&s).await;
    s.clock.advance(30);
    assert_eq!(
        send_code(&b, &s, &prompt, &code(&secret, &s))
            .await
            .status(),
        303
    );
    let fresh = create_codes(&b, &s).await;
    assert_eq!(use_code(&s, &codes[8]).await.0, 401);
    assert_eq!(use_code(&s, &fresh[0]).await.0, 303);
}

/// The re-confirmation before a change (after 10 minutes) takes a recovery
/// code instead of the app's code — spent on use — and can be cancelled.
async fn a_recovery_code_confirms_a_change_instead_of_the_app(backend: Backend) {
    let s = TestServer::start(backend).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (secret, page) = setup_page(&b, &s).await;
    let (codes, _) = shown_codes(enrol(&b, &s, &page, &code(&secret, &s)).await).await;
    s.clock.advance(11 * 60);
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    let r = b
        .post(s.url("/t/acme/account/recovery-codes"))
        .form(&[("csrf", csrf_of(&account))])
        .send()
        .await
        .unwrap();
    let asked = location(&r);
    assert!(asked.starts_with("/t/acme/reauth"), "{asked}");
    let (_, prompt) = get_text(&b, &s.url(&asked)).await;
    assert!(
        prompt.contains("Code from your authenticator app, or a recovery code"),
        "{prompt}"
    );
    assert!(
        prompt.contains("<a class=\"button secondary\" href=\"/t/acme/account\">Cancel</a>"),
        "the confirmation can be cancelled: {prompt}"
    );
    let confirm = |code: String, prompt: &str| {
        let (b, url, prompt) = (b.clone(), s.url("/t/acme/reauth"), prompt.to_owned());
        async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf_of(&prompt).as_str()),
                    ("password", PASSWORD),
                    ("code", code.as_str()),
                    ("return_to", "/t/acme/account/recovery-codes"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = confirm("aaaa-bbbb-cccc-dddd".into(), &prompt).await;
    assert_eq!(r.status(), 401, "an unknown recovery code is refused");
    let r = confirm(codes[0].to_uppercase(), &prompt).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account/recovery-codes");
    let (_, account) = get_text(&b, &s.url("/t/acme/account")).await;
    assert!(account.contains("9 unused"), "the code is spent: {account}");
    // confirmed: the change goes through now
    let (codes_again, _) = shown_codes(
        b.post(s.url("/t/acme/account/recovery-codes"))
            .form(&[("csrf", csrf_of(&account))])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_ne!(codes_again, codes);
    // a spent code confirms nothing (the confirmation gave the session a
    // new id: the prompt is opened again)
    s.clock.advance(11 * 60);
    let (_, prompt) = get_text(&b, &s.url(&asked)).await;
    let r = confirm(codes[0].clone(), &prompt).await;
    assert_eq!(r.status(), 401);
}

/// Recovery codes are stored as HMAC-SHA256 under the deployment key (ASVS
/// 6.5.2); codes stored plain by an earlier version keep working, and are
/// keyed at the next start (decision 0020).
async fn codes_are_stored_keyed_and_plain_ones_from_before_keep_working(backend: Backend) {
    use latchkey_core::factors::recovery_codes::{self, RecoveryCode};
    use latchkey_core::platform::secret::sha256_hex;
    use latchkey_core::store::RecoveryCodeStore;
    let s = TestServer::start(backend).await;
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (secret, page) = setup_page(&b, &s).await;
    let (codes, _) = shown_codes(enrol(&b, &s, &page, &code(&secret, &s)).await).await;
    let key: [u8; 32] = hex_decode(SECRET_KEY);
    let secrets = latchkey_core::platform::crypto::SecretBox::new(&key);
    let plain = |c: &str| sha256_hex(recovery_codes::normalise(c).unwrap().as_bytes());
    let db = &s.tdb.db;
    for c in &codes {
        assert!(
            !db.recovery_code_unused(&s.alice.id, &plain(c))
                .await
                .unwrap(),
            "no plain hash in the database"
        );
        let keyed = recovery_codes::key_stored(&secrets, &plain(c));
        assert!(keyed.starts_with("k1:"));
        assert!(db.recovery_code_unused(&s.alice.id, &keyed).await.unwrap());
    }
    assert_eq!(use_code(&s, &codes[0]).await.0, 303);

    // Codes an earlier version stored plain.
    let old = [
        "7k2m-q9xd-4t0c-h8vb",
        "0000-1111-2222-3333",
        "abcd-efgh-jkmn-pqrs",
    ];
    let rows: Vec<RecoveryCode> = old
        .iter()
        .enumerate()
        .map(|(i, c)| RecoveryCode {
            id: format!("old-{i}"),
            tenant_id: s.tenant.id.clone(),
            user_id: s.alice.id.clone(),
            code_hash: plain(c),
            created_at: latchkey_core::platform::clock::Clock::now(&*s.clock),
            used_at: None,
        })
        .collect();
    db.replace_recovery_codes(
        &s.alice.id,
        &rows,
        &latchkey_core::store::Effects::default(),
        latchkey_core::platform::clock::Clock::now(&*s.clock),
    )
    .await
    .unwrap();
    s.clock.advance(30);
    assert_eq!(use_code(&s, old[0]).await.0, 303, "a plain one still works");
    // what a start does: the plain ones left are keyed, once
    let key_them = || {
        db.key_recovery_codes(recovery_codes::KEYED_PREFIX, |p| {
            recovery_codes::key_stored(&secrets, p)
        })
    };
    assert_eq!(key_them().await.unwrap(), 3, "used ones too");
    assert_eq!(key_them().await.unwrap(), 0, "nothing is keyed twice");
    assert!(
        !db.recovery_code_unused(&s.alice.id, &plain(old[1]))
            .await
            .unwrap()
    );
    s.clock.advance(30);
    assert_eq!(use_code(&s, old[1]).await.0, 303, "a keyed old one works");
    assert_eq!(use_code(&s, old[0]).await.0, 401, "a used one stays used");
}
