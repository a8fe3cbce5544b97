//! Real, unknown and disabled accounts look and cost the same; every step needs
//! the case cookie and CSRF.

use latchkey_core::store::RecoveryStore;
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    unknown_accounts_get_the_same_pages,
    every_step_needs_the_case_cookie_and_csrf,
    every_step_costs_the_same_for_real_unknown_and_disabled_accounts,
    the_other_recovery_forms_need_their_csrf_token,
    a_new_code_answers_and_costs_alike_for_real_unknown_and_disabled_accounts,
    forgot_password_costs_the_same_for_accounts_and_unknown_addresses,
);

async fn unknown_accounts_get_the_same_pages(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let real = browser();
    let fake = browser();
    let r1 = start(&real, &s, "alice").await;
    let r2 = start(&fake, &s, "nobody@example.com").await;
    assert_eq!((r1.status(), location(&r1)), (r2.status(), location(&r2)));
    let strip = |page: String| page.replace(&csrf_of(&page), "");
    assert_eq!(
        strip(case_page(&real, &s).await),
        strip(case_page(&fake, &s).await)
    );
    let a = prove(&real, &s, "email_code", "12345678").await;
    let b = prove(&fake, &s, "email_code", "12345678").await;
    assert_eq!(a.status(), b.status());
    assert_eq!(
        strip(a.text().await.unwrap()),
        strip(b.text().await.unwrap())
    );
    let a = prove(&real, &s, "password", "not the password").await;
    let b = prove(&fake, &s, "password", "not the password").await;
    assert_eq!(a.status(), b.status());
    sink.wait_for(3).await;
    assert_eq!(sink.wait_for(3).await.len(), 3, "no mail for nobody");
}

/// Property 10: CSRF on every step; without the case cookie nothing happens.
async fn every_step_needs_the_case_cookie_and_csrf(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let b = browser();
    start(&b, &s, "alice").await;
    let code = code_in(&sink.wait_for(3).await[2]);
    for (path, form) in [
        (
            "/t/acme/recover/proof",
            vec![("kind", "email_code"), ("value", code.as_str())],
        ),
        ("/t/acme/recover/complete", vec![]),
        ("/t/acme/recover/resend", vec![]),
        ("/t/acme/recover/stop", vec![]),
    ] {
        let r = b.post(s.url(path)).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path} without CSRF");
        let stranger = browser();
        let r = stranger.post(s.url(path)).form(&form).send().await.unwrap();
        assert_eq!(
            location(&r),
            "/t/acme/recover",
            "{path} without the case cookie"
        );
    }
    let (_, page) = get_text(&browser(), &s.url("/t/acme/recover")).await;
    let r = browser()
        .post(s.url("/t/acme/recover"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a token from another browser");
    assert!(
        case_page(&b, &s).await.contains("Code from the email"),
        "nothing changed"
    );
}

/// Password hashes the server has computed so far (from /metrics).
async fn hashes(s: &TestServer) -> u64 {
    let metrics = s.metrics().await;
    metrics
        .lines()
        .find(|l| l.starts_with("latchkey_password_hashes_completed"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .expect("the hash counter")
}

/// Security property 1, the timing class: at every step a real account, an
/// unknown one and a disabled one cost the server the same expensive work
/// (password hashes — the only thing that takes milliseconds), and answer
/// with the same status and page. Wall-clock times are printed, not
/// asserted (they depend on the machine's load).
async fn every_step_costs_the_same_for_real_unknown_and_disabled_accounts(backend: Backend) {
    use latchkey_core::platform::clock::Clock;
    use latchkey_core::store::UserStore;
    let World { s, sink: _sink } = world(backend).await;
    let (_, codes) = equipped(&s).await;
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
    let logins = ["alice", "nobody@example.com", "dora"];
    let browsers: Vec<reqwest::Client> = logins.iter().map(|_| browser()).collect();
    let strip = |page: String| match csrf_if_any(&page).as_str() {
        "" => page,
        token => page.replace(token, ""),
    };

    type Step<'a> = (&'a str, &'a str);
    let steps: [Step; 4] = [
        ("start", ""),
        ("email_code", "12345678"),
        ("password", "not the password"),
        ("recovery_code", "AAAA-BBBB-CCCC-DDDD"),
    ];
    for (kind, value) in steps {
        let mut costs = vec![];
        let mut answers = vec![];
        for (login, b) in logins.iter().zip(&browsers) {
            let before = hashes(&s).await;
            let started = std::time::Instant::now();
            let r = if kind == "start" {
                start(b, &s, login).await
            } else {
                prove(b, &s, kind, value).await
            };
            let took = started.elapsed();
            let status = r.status();
            let to = location(&r);
            let body = strip(r.text().await.unwrap_or_default());
            costs.push(hashes(&s).await - before);
            eprintln!(
                "{kind:<14} {login:<20} {status} {:>6.1} ms",
                took.as_secs_f64() * 1000.0
            );
            answers.push((status, to, body));
        }
        assert!(
            costs.iter().all(|c| *c == costs[0]),
            "{kind}: hashes per account {costs:?}"
        );
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "{kind}: answers differ"
        );
    }
    // the real recovery code still works afterwards: the wrong ones above
    // counted against the case like the decoys'
    assert_eq!(
        prove(&browsers[0], &s, "recovery_code", &codes[1])
            .await
            .status(),
        303
    );
}

/// Audit: property 10 for the forms the case test does not reach.
async fn the_other_recovery_forms_need_their_csrf_token(backend: Backend) {
    let World { s, .. } = world(backend).await;
    equipped(&s).await;
    // at the second-factor prompt
    let b = browser();
    sign_in(&b, &s.running.url, "acme", "alice", PASSWORD).await;
    for (path, fields) in [
        ("/t/acme/recover/second-step", vec![]),
        ("/t/acme/recover/cancel", vec![("token", "x".repeat(43))]),
        (
            "/t/acme/forgot-password",
            vec![("login", "alice".to_owned())],
        ),
        (
            "/t/acme/reset-password",
            vec![
                ("token", "x".repeat(43)),
                ("password", "a brand new passphrase".to_owned()),
                ("repeat", "a brand new passphrase".to_owned()),
            ],
        ),
    ] {
        let mut form = vec![("csrf", "forged".to_owned())];
        form.extend(fields);
        let r = b.post(s.url(path)).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    assert!(
        s.tdb
            .db
            .open_cases_for_user(&s.alice.id)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Issue 14: "Send a new code" runs one code path for a real account, an
/// unknown name and a disabled account: the same answers (status,
/// redirect, page) and the same work (counters, audit events, outbox rows
/// — the real code mail or a void row —, cases, password hashes) for a new
/// code, for the one that reaches the name's limit, and for the page after
/// it. Only the real account's mailbox sees a difference.
async fn a_new_code_answers_and_costs_alike_for_real_unknown_and_disabled_accounts(
    backend: Backend,
) {
    use latchkey_core::platform::clock::Clock;
    use latchkey_core::store::UserStore;
    let World { s, sink } = world(backend).await;
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
    let logins = ["alice", "nobody@example.com", "dora"];
    let browsers: Vec<reqwest::Client> = logins.iter().map(|_| browser()).collect();
    for (login, b) in logins.iter().zip(&browsers) {
        start(b, &s, login).await;
    }
    let strip = |page: String| match csrf_if_any(&page).as_str() {
        "" => page,
        token => page.replace(token, ""),
    };
    // a start and two new codes are three this hour; the third is refused
    for step in [
        "a new code",
        "another new code",
        "one over the limit",
        "the page",
    ] {
        let mut answers = vec![];
        for b in &browsers {
            let before = (
                latchkey_store::testing::snapshot(&s.tdb.db).await.unwrap(),
                s.running.state.hasher().completed(),
            );
            let r = if step == "the page" {
                b.get(s.url("/t/acme/recover/case")).send().await.unwrap()
            } else {
                super::journey::resend(b, &s).await
            };
            let answer = (r.status(), location(&r), strip(r.text().await.unwrap()));
            let after = (
                latchkey_store::testing::snapshot(&s.tdb.db).await.unwrap(),
                s.running.state.hasher().completed(),
            );
            answers.push((answer, after.0.since(&before.0), after.1 - before.1));
        }
        for (i, a) in answers.iter().enumerate().skip(1) {
            assert_eq!(a, &answers[0], "{step}: {} unlike {}", logins[i], logins[0]);
        }
        let work = answers[0].1;
        match step {
            "a new code" | "another new code" => {
                assert_eq!(answers[0].0.0, 303, "{step}");
                assert_eq!((work.audit, work.outbox, work.cases), (1, 1, 0), "{step}");
                assert_eq!(work.counters, 3, "{step}: the address and the name's two");
            }
            "one over the limit" => {
                assert_eq!(answers[0].0.0, 429);
                assert!(answers[0].0.2.contains("No new code now"));
                assert_eq!((work.audit, work.outbox), (0, 0));
                assert_eq!(work.counters, 3);
            }
            _ => assert_eq!(answers[0].0.0, 200),
        }
    }
    // the real account got its code and two new ones; nobody else got
    // anything
    let mailed = super::journey::codes_after(&sink, 0, 3).await;
    assert_eq!(super::journey::code_mails(&sink, 0).await, 3, "{mailed:?}");
    assert!(
        sink.messages()
            .iter()
            .all(|m| m.to.iter().all(|to| !to.contains("dora@example.com"))),
        "no mail to the disabled account"
    );
}

/// "Forgot password?" for an account's address and for one nobody has: the
/// same answer and the same writes — an audit event and an outbox row (the
/// real link, or a void row written the same way) — so neither the page
/// nor the time it takes says whether the address has an account
/// (`scripts/enumeration-timing` measures the time; docs/security/timing.md).
async fn forgot_password_costs_the_same_for_accounts_and_unknown_addresses(backend: Backend) {
    let World { s, sink: _sink } = world(backend).await;
    let mut seen = vec![];
    for address in ["alice@example.com", "nobody@example.com"] {
        let b = browser();
        let (_, page) = get_text(&b, &s.url("/t/acme/forgot-password")).await;
        let before = latchkey_store::testing::snapshot(&s.tdb.db).await.unwrap();
        let r = b
            .post(s.url("/t/acme/forgot-password"))
            .form(&[("csrf", csrf_of(&page).as_str()), ("login", address)])
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap().replace(&csrf_if_any(&page), "");
        let work = latchkey_store::testing::snapshot(&s.tdb.db)
            .await
            .unwrap()
            .since(&before);
        seen.push((status, work.audit, work.outbox, work.counters, work.links));
        assert!(text.contains("If an account"), "{text}");
    }
    assert_eq!(seen[0], seen[1], "account, then unknown address");
    assert_eq!(seen[0].2, 1, "one outbox row each");
    assert_eq!(seen[0].4, 1, "one link row each (a void one for nobody)");
}
