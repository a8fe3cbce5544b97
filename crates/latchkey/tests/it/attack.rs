//! What an outside attack run found (the security-holes issue), each as a
//! test that failed before its fix: over HTTP against the real server, on
//! both databases.

use latchkey_core::effects::audit::Actor;
use latchkey_core::store::TotpStore;
use latchkey_store::Backend;

use crate::helpers::*;
use crate::recovery::{
    World, case_page, code_in, csrf_if_any, equipped, finish, prove, start, world,
};

on_both_backends!(
    a_mailbox_alone_cannot_recover_from_the_second_step,
    a_reset_password_counts_once_confirmed_with_a_second_factor,
    admin_api_changes_need_a_recent_sign_in,
    decoys_and_real_cases_answer_alike_at_every_step,
    the_owner_comes_back_to_their_own_case,
    a_lost_case_cookie_is_taken_over_without_finishing_sooner,
    the_prompt_door_neither_floods_the_owner_nor_multiplies_guesses,
);

/// Sets `acme`'s waiting period for unknown devices.
pub(crate) async fn set_wait_hours(s: &TestServer, hours: &str) {
    let tenant = latchkey_core::tenants::by_slug(&s.tdb.db, "acme")
        .await
        .unwrap();
    latchkey_core::tenants::update_settings(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &tenant,
        &latchkey_core::tenants::SettingsInput {
            recovery_wait_hours: Some(hours.into()),
            ..Default::default()
        },
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
}

/// Someone who reads alice's mail sets a new password through "forgot
/// password"; the mails the sink had before are `seen`.
pub(crate) async fn reset_by_mail(
    s: &TestServer,
    sink: &crate::smtp::SmtpSink,
    seen: usize,
    new_password: &str,
) {
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
    let (_, page) = get_text(&b, &link).await;
    let r = b
        .post(s.url("/t/acme/reset-password"))
        .form(&[
            ("csrf", csrf_of(&page)),
            ("token", link.split("token=").nth(1).unwrap().to_owned()),
            ("password", new_password.to_owned()),
            ("repeat", new_password.to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

/// Item 1 (high): forgot password → sign in with the new password → "I lost
/// my second factor" carried the reset password into the case as a proof,
/// so the emailed code from the same mailbox finished the recovery.
async fn a_mailbox_alone_cannot_recover_from_the_second_step(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    set_wait_hours(&s, "0").await;
    let seen = sink.wait_for(2).await.len();
    reset_by_mail(&s, &sink, seen, "attacker chosen phrase").await;

    let b = browser();
    let r = sign_in(
        &b,
        &s.running.url,
        "acme",
        "alice",
        "attacker chosen phrase",
    )
    .await;
    let prompt_at = location(&r);
    assert!(prompt_at.starts_with("/t/acme/signin/otp"), "{prompt_at}");
    let (_, prompt) = get_text(&b, &s.url(&prompt_at)).await;
    let seen = sink.messages().len();
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[("csrf", csrf_of(&prompt).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    let page = case_page(&b, &s).await;
    assert!(
        !page.contains("Your password <span class=\"ok\">✓</span>"),
        "a password set from a mailed link is no proof beside the mailbox: {page}"
    );
    let code = crate::recovery::code_in(&sink.wait_for_text(seen, "recovering your").await);
    assert_eq!(prove(&b, &s, "email_code", &code).await.status(), 303);
    let page = case_page(&b, &s).await;
    assert!(!page.contains("Finish the recovery"), "{page}");
    assert_ne!(
        finish(&b, &s, Some("attacker chosen phrase"))
            .await
            .status(),
        200
    );
    assert!(
        s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some(),
        "the authenticator app stays"
    );
}

/// Item 1's other side: the owner who reset their password and then signs
/// in with it and their app has shown the password is theirs; when they
/// later lose the phone, the prompt's "I lost my second factor" carries it.
async fn a_reset_password_counts_once_confirmed_with_a_second_factor(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (secret, _) = equipped(&s).await;
    let seen = sink.wait_for(2).await.len();
    reset_by_mail(&s, &sink, seen, "my own new phrase").await;
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", "my own new phrase").await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    s.clock.advance(31); // the code of the set-up was used
    let r = crate::totp::send_code(&b, &s, &prompt, &crate::totp::code(&secret, &s)).await;
    assert_eq!(location(&r), "/t/acme/account");

    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", "my own new phrase").await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    b.post(s.url("/t/acme/recover/second-step"))
        .form(&[("csrf", csrf_of(&prompt).as_str())])
        .send()
        .await
        .unwrap();
    let page = case_page(&b, &s).await;
    assert!(
        page.contains("Your password <span class=\"ok\">✓</span>"),
        "{page}"
    );
}

/// Item 2: the admin API accepted any `latchkey:admin` token, and a refresh
/// keeps minting them with the original `auth_time` for 30 days; the
/// console asks for a sign-in within 10 minutes for the same changes.
async fn admin_api_changes_need_a_recent_sign_in(backend: Backend) {
    use reqwest::Method;
    let s = TestServer::start(backend).await;
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    let (id, secret) = crate::oidc::register(&s, crate::oidc::admin_app("Admin tool")).await;
    let tool = (id, secret.unwrap());
    let (app_id, _) = crate::oidc::register(&s, crate::oidc::app("Shop", false, false)).await;
    let tokens = crate::api::tokens_for(&s, "root", &tool, "openid latchkey:admin").await;

    s.clock.advance(610);
    let r = reqwest::Client::new()
        .post(s.url("/t/acme/token"))
        .basic_auth(&tool.0, Some(&tool.1))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let refreshed: serde_json::Value = r.json().await.unwrap();
    let stale = refreshed["access_token"].as_str().unwrap().to_owned();

    // reading still works ...
    let (status, _) = crate::api::call(
        &s,
        Method::GET,
        "/api/t/acme/applications",
        Some(&stale),
        None,
    )
    .await;
    assert_eq!(status, 200);
    // ... every change asks for a fresh sign-in (RFC 9470)
    let app = format!("/api/t/acme/applications/{app_id}");
    let calls: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (
            Method::POST,
            "/api/t/acme/users/alice/reset-factors".into(),
            Some(serde_json::json!({ "reason": "called the helpdesk" })),
        ),
        (
            Method::PATCH,
            app.clone(),
            Some(serde_json::json!({ "redirect_uris": ["https://evil.example/cb"] })),
        ),
        (Method::POST, format!("{app}/secret"), None),
        (Method::DELETE, app.clone(), None),
        (
            Method::POST,
            "/api/t/acme/applications".into(),
            Some(
                serde_json::json!({ "name": "Evil", "redirect_uris": ["https://evil.example/cb"] }),
            ),
        ),
        (
            Method::POST,
            "/api/t/acme/recovery/activation-request".into(),
            Some(serde_json::json!({ "note": "" })),
        ),
    ];
    for (method, path, body) in &calls {
        let mut r = reqwest::Client::new()
            .request(method.clone(), s.url(path))
            .bearer_auth(&stale);
        if let Some(b) = body {
            r = r.json(b);
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status(), 401, "{method} {path}");
        let challenge = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
        assert!(
            challenge.contains("error=\"insufficient_user_authentication\"")
                && challenge.contains("max_age=\"600\""),
            "{challenge}"
        );
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "insufficient_user_authentication");
        assert_eq!(body["max_age"], 600);
    }
    let shop = latchkey_core::oidc::client::find(&s.tdb.db, &s.tenant, &app_id.clone().into())
        .await
        .unwrap();
    assert!(!shop.redirect_uris.iter().any(|u| u.contains("evil")));

    // signed in again: the same change goes through
    let fresh = crate::api::token_for(&s, "root", &tool, "openid latchkey:admin").await;
    let (status, body) = crate::api::call(
        &s,
        Method::POST,
        &format!("{app}/secret"),
        Some(&fresh),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// One answer, as an attacker sees it: status, where it sends the browser,
/// the cookies it sets (names and attributes; values vary) and the page
/// (without its CSRF token).
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    status: u16,
    location: String,
    cookies: Vec<String>,
    body: String,
}

async fn seen(r: reqwest::Response) -> Seen {
    let status = r.status().as_u16();
    let location = location(&r);
    let cookies = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| {
            let c = c.to_str().unwrap();
            let (name, rest) = c.split_once('=').unwrap();
            let attributes = rest.split_once(';').map_or("", |(_, a)| a);
            format!("{name}=…;{attributes}")
        })
        .collect();
    let body = r.text().await.unwrap_or_default();
    let body = match csrf_if_any(&body).as_str() {
        "" => body,
        token => body.replace(token, ""),
    };
    Seen {
        status,
        location,
        cookies,
        body,
    }
}

/// What the store holds, and the password hashes done so far.
async fn work(s: &TestServer) -> (latchkey_store::testing::Snapshot, u64) {
    (
        latchkey_store::testing::snapshot(&s.tdb.db).await.unwrap(),
        s.running.state.hasher().completed(),
    )
}

/// Item 3: decoys and real cases run one code path. Every step of the
/// journey — start, each kind of proof (the disabled and the excluded
/// account with their *right* password), eight wrong proofs at once, the
/// page after expiry, cancel — answers a real account, an unknown name, a
/// disabled account and an excluded administrator alike: status, redirect,
/// cookies, page, and the store's work (cases, audit events, counters,
/// password hashes). Only mail differs (the code to the real account, the
/// helpdesk notice to the administrator), which nobody without those
/// mailboxes sees.
async fn decoys_and_real_cases_answer_alike_at_every_step(backend: Backend) {
    use latchkey_core::platform::clock::Clock;
    use latchkey_core::store::UserStore;
    let World { s, sink: _sink } = world(backend).await;
    equipped(&s).await;
    let dora = add_user(&s.tdb, &s.clock, &s.tenant, "dora", "dora@example.com").await;
    assert!(
        s.tdb
            .db
            .set_user_status(
                &s.tenant.id,
                &dora.id,
                latchkey_core::accounts::user::UserStatus::Disabled,
                &latchkey_core::store::Effects::default(),
                s.clock.now()
            )
            .await
            .unwrap()
    );
    add_admin(&s.tdb, &s.clock, &s.tenant, "root", "root@example.com").await;
    // (name, a password to try: for the disabled and the excluded account
    // their own, which must not count)
    let accounts = [
        ("alice", "not her password"),
        ("nobody@example.com", PASSWORD),
        ("dora", PASSWORD),
        ("root", PASSWORD),
    ];
    let browsers = || accounts.iter().map(|_| browser()).collect::<Vec<_>>();

    // Runs one step for every account; all must look and cost alike.
    macro_rules! alike {
        ($what:expr, $browsers:expr, |$b:ident, $i:ident| $step:expr) => {
            alike!($what, $browsers, false, |$b, $i| $step)
        };
        ($what:expr, $browsers:expr, $racing:expr, |$b:ident, $i:ident| $step:expr) => {{
            let mut answers = vec![];
            for ($i, $b) in $browsers.iter().enumerate() {
                let before = work(&s).await;
                let answer = $step;
                let after = work(&s).await;
                let delta = after.0.since(&before.0);
                let cost = (
                    latchkey_store::testing::Work {
                        outbox: 0,
                        // how many of requests racing a lock still get
                        // to count their guess is the scheduler's to say
                        counters: if $racing { 0 } else { delta.counters },
                        ..delta
                    },
                    after.1 - before.1,
                );
                answers.push((answer, cost));
            }
            for (i, a) in answers.iter().enumerate().skip(1) {
                assert_eq!(
                    a, &answers[0],
                    "{}: {} answers unlike {}",
                    $what, accounts[i].0, accounts[0].0
                );
            }
        }};
    }

    let main = browsers();
    alike!("start", main, |b, i| seen(
        start(b, &s, accounts[i].0).await
    )
    .await);
    alike!("page", main, |b, _i| seen(
        b.get(s.url("/t/acme/recover/case")).send().await.unwrap()
    )
    .await);
    alike!("wrong email code", main, |b, _i| seen(
        prove(b, &s, "email_code", "12345678").await
    )
    .await);
    alike!("password", main, |b, i| seen(
        prove(b, &s, "password", accounts[i].1).await
    )
    .await);
    alike!("wrong recovery code", main, |b, _i| seen(
        prove(b, &s, "recovery_code", "AAAA-BBBB-CCCC-DDDD").await
    )
    .await);
    alike!("eight wrong codes at once", main, true, |b, _i| {
        let page = case_page(b, &s).await;
        let csrf = csrf_if_any(&page);
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (b, url, csrf) = (b.clone(), s.url("/t/acme/recover/proof"), csrf.clone());
                tokio::spawn(async move {
                    b.post(url)
                        .form(&[
                            ("csrf", csrf.as_str()),
                            ("kind", "email_code"),
                            ("value", "87654321"),
                        ])
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut statuses = vec![];
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses.sort_unstable();
        statuses
    });
    alike!("the locked page", main, |b, _i| seen(
        b.get(s.url("/t/acme/recover/case")).send().await.unwrap()
    )
    .await);
    assert!(case_page(&main[0], &s).await.contains("locked"));

    let lapsing = browsers();
    alike!("another start", lapsing, |b, i| seen(
        start(b, &s, accounts[i].0).await
    )
    .await);
    s.clock.advance(3601);
    alike!("the page after an hour", lapsing, |b, _i| seen(
        b.get(s.url("/t/acme/recover/case")).send().await.unwrap()
    )
    .await);
    assert!(case_page(&lapsing[0], &s).await.contains("expired"));

    let stopping = browsers();
    alike!("a third start", stopping, |b, i| seen(
        start(b, &s, accounts[i].0).await
    )
    .await);
    alike!("stop", stopping, |b, _i| {
        let page = case_page(b, &s).await;
        seen(
            b.post(s.url("/t/acme/recover/stop"))
                .form(&[("csrf", csrf_if_any(&page))])
                .send()
                .await
                .unwrap(),
        )
        .await
    });
    alike!("the stopped page", stopping, |b, _i| seen(
        b.get(s.url("/t/acme/recover/case")).send().await.unwrap()
    )
    .await);
    assert!(case_page(&stopping[0], &s).await.contains("cancelled"));
}

/// Item 4: the owner proves code and password on a new device and is told
/// to wait; coming back in the same browser by either door takes them to
/// their case (before, the cookie was replaced by a decoy's and the case
/// lost), and the "you can finish" mail's link finishes it there.
async fn the_owner_comes_back_to_their_own_case(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let b = browser();
    start(&b, &s, "alice").await;
    let code = code_in(&sink.wait_for_text(2, "recovering your").await);
    prove(&b, &s, "email_code", &code).await;
    prove(&b, &s, "password", PASSWORD).await;
    let waiting = case_page(&b, &s).await;
    assert!(waiting.contains("the recovery completes on"), "{waiting}");
    // the app, the first codes, the code, the waiting notice (delivered by
    // the outbox's poll: counted once it is there, not before)
    let mails = sink.wait_for(4).await.len();

    // "Can't sign in?" again, in the same browser
    let r = start(&b, &s, "alice@example.com").await;
    assert_eq!(location(&r), "/t/acme/recover/case");
    assert!(r.headers().get("set-cookie").is_none(), "the cookie stays");
    assert_eq!(case_page(&b, &s).await, waiting);
    // "I lost my second factor" at the prompt, in the same browser
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[("csrf", csrf_of(&prompt).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    let page = case_page(&b, &s).await;
    assert!(page.contains("the recovery completes on"), "{page}");
    assert_eq!(sink.messages().len(), mails, "no new code, no new case");

    // after the wait, the mail's link finishes it in this browser
    s.clock.advance(24 * 3600 + 5);
    let env = s.running.state.env();
    latchkey_core::recovery::journey::housekeeping(&env)
        .await
        .unwrap();
    let link = sink
        .wait_for_text(mails, "waiting period of your")
        .await
        .link("/recover/case");
    let (status, page) = get_text(&b, &link).await;
    assert_eq!(status, 200);
    assert!(page.contains("Finish the recovery"), "{page}");
    assert_eq!(finish(&b, &s, Some(PASSWORD)).await.status(), 200);
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_none());
}

/// Item 4, the documented way out: the owner lost the case cookie (a
/// private window). Proving both factors again in a new browser takes the
/// case over, keeping the original completion time — never sooner; the
/// first browser's case ends and the owner is mailed the new cancel link.
async fn a_lost_case_cookie_is_taken_over_without_finishing_sooner(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let first = browser();
    start(&first, &s, "alice").await;
    let code = code_in(&sink.wait_for_text(2, "recovering your").await);
    prove(&first, &s, "email_code", &code).await;
    prove(&first, &s, "password", PASSWORD).await;
    let time_of = |page: String| {
        page.split("the recovery completes on")
            .nth(1)
            .and_then(|rest| rest.split('<').nth(1))
            .unwrap_or_default()
            .to_owned()
    };
    let original = time_of(case_page(&first, &s).await);
    assert!(!original.is_empty());

    s.clock.advance(5 * 3600);
    let seen_mails = sink.messages().len();
    let second = browser();
    start(&second, &s, "alice").await;
    let code = code_in(&sink.wait_for_text(seen_mails, "recovering your").await);
    prove(&second, &s, "email_code", &code).await;
    assert_eq!(prove(&second, &s, "password", PASSWORD).await.status(), 303);
    assert_eq!(time_of(case_page(&second, &s).await), original);
    assert!(case_page(&first, &s).await.contains("was cancelled"));
    let cancel = sink
        .wait_for_text(seen_mails + 1, "/recover/cancel?token=")
        .await;
    assert!(cancel.text().contains("/recover/cancel?token="));

    // not a second sooner than the original
    s.clock.advance(19 * 3600 - 10);
    assert_ne!(finish(&second, &s, Some(PASSWORD)).await.status(), 200);
    s.clock.advance(20);
    assert_eq!(finish(&second, &s, Some(PASSWORD)).await.status(), 200);
}

/// Starts a case from the second-step prompt in a fresh browser (signing
/// in with the password first).
async fn start_at_the_prompt(s: &TestServer) -> reqwest::Client {
    let b = browser();
    let r = sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    let (_, prompt) = get_text(&b, &s.url(&location(&r))).await;
    let r = b
        .post(s.url("/t/acme/recover/second-step"))
        .form(&[("csrf", csrf_of(&prompt).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/acme/recover/case");
    b
}

/// Item 5, emailed-code guessing: starts from the second-step prompt were
/// exempt from the per-account limits (and a sign-in cleared the counter),
/// so one account took 60 code guesses and sent its owner 26 mails. Now
/// codes from the prompt are counted per account (three an hour, five a
/// day), so guesses are bounded by the mailed cases (five wrong lock each).
async fn the_prompt_door_neither_floods_the_owner_nor_multiplies_guesses(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (_, codes) = equipped(&s).await;
    let seen = sink.wait_for(2).await.len();
    let recovering = |sink: &crate::smtp::SmtpSink| {
        sink.messages()
            .iter()
            .skip(seen)
            .filter(|m| m.text().contains("recovering your"))
            .count()
    };
    let mut browsers = vec![];
    for _ in 0..6 {
        browsers.push(start_at_the_prompt(&s).await);
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(recovering(&sink), 3, "at most three code mails an hour");
    // from the prompt the person proved the password: the page says when
    // no code was sent (the fourth start of the hour), and a recovery code
    // with the password carried over still finishes at once
    let page = case_page(&browsers[3], &s).await;
    assert!(page.contains("did not send another code"), "{page}");
    assert_eq!(
        prove(&browsers[5], &s, "recovery_code", &codes[0])
            .await
            .status(),
        303
    );
    assert_eq!(finish(&browsers[5], &s, None).await.status(), 200);
}
