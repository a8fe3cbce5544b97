//! The limits on starts and reset links: per name as typed, per address, per
//! tenant, shared by servers.

use latchkey_core::effects::audit::Actor;
use latchkey_core::store::{AuditStore, RecoveryStore};
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    strangers_cannot_use_up_the_owners_starts_on_a_known_device,
    strangers_cannot_use_up_the_owners_reset_links_on_a_known_device,
    two_servers_share_the_recovery_limits,
    failed_sign_ins_do_not_set_a_real_account_apart_in_recovery,
    the_address_limit_on_starts_holds_across_servers,
    the_tenant_limit_on_starts_holds_across_servers,
);

/// Review M3: strangers typing the owner's name use up the starts for
/// unknown devices, not the owner's on a known one.
///
/// The security-holes issue, item 5: the limit counts per name as typed,
/// for real and unknown names alike (counting per account told which
/// username and email belong together), and it withholds the code instead
/// of refusing: a recovery code still works.
async fn strangers_cannot_use_up_the_owners_starts_on_a_known_device(backend: Backend) {
    let World { s, .. } = world(backend).await;
    add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    let known = browser();
    sign_in(&known, &s.running.url, "acme", "carol", PASSWORD).await;
    let withheld = "did not send another code";
    for login in ["carol@example.com", "nobody@example.com"] {
        // three starts with a code an hour, five starts a day
        for (allowed, then) in [(3, 3601), (1, 0)] {
            for _ in 0..allowed {
                let b = browser();
                assert_eq!(start(&b, &s, login).await.status(), 303);
                assert!(!case_page(&b, &s).await.contains(withheld));
            }
            let b = browser();
            assert_eq!(start(&b, &s, login).await.status(), 303, "never refused");
            let page = case_page(&b, &s).await;
            assert!(page.contains(withheld), "{page}");
            assert!(!page.contains("name=\"kind\" value=\"email_code\""));
            s.clock.advance(then);
        }
        s.clock.advance(3601); // past the per-address hour, within the day
    }
    // the same account typed another way: counted apart, nothing told
    let b = browser();
    start(&b, &s, "carol").await;
    assert!(!case_page(&b, &s).await.contains(withheld));
    // the owner on a known device is not counted at all
    s.clock.advance(3601);
    for _ in 0..7 {
        let b = browser();
        start(&b, &s, "carol@example.com").await;
    }
    assert_eq!(
        location(&start(&known, &s, "carol@example.com").await),
        "/t/acme/recover/case"
    );
    assert!(!case_page(&known, &s).await.contains(withheld));
}

/// Review low: anyone could use up the three reset links an hour of an
/// account; the owner's known device is not held back.
async fn strangers_cannot_use_up_the_owners_reset_links_on_a_known_device(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let known = browser();
    sign_in(&known, &s.running.url, "acme", "alice", PASSWORD).await;
    let ask = |b: reqwest::Client, login: &'static str| {
        let url = s.url("/t/acme/forgot-password");
        async move {
            let (_, page) = get_text(&b, &url).await;
            b.post(&url)
                .form(&[("csrf", csrf_of(&page).as_str()), ("login", login)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for login in ["alice", "Alice", "ALICE"] {
        assert_eq!(ask(browser(), login).await, 200);
    }
    assert_eq!(ask(browser(), "alice").await, 429, "per name, case folded");
    assert_eq!(ask(known.clone(), "alice").await, 200);
    let mails = sink.wait_for(4).await;
    let links = mails
        .iter()
        .filter(|m| m.text().contains("/reset-password?token="))
        .count();
    assert_eq!(
        links, 4,
        "three for the strangers' requests, one for the owner"
    );
}

/// Property 2: the limits live in the database, so a second server on the
/// same database counts the same starts.
async fn two_servers_share_the_recovery_limits(backend: Backend) {
    let World { s, .. } = world(backend).await;
    add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    let second = start_on(&s.tdb, s.clock.clone(), &[]).await;
    for _ in 0..3 {
        assert_eq!(start(&browser(), &s, "carol").await.status(), 303);
    }
    let other = |b: reqwest::Client| {
        let url = format!("{}/t/acme/recover", second.url);
        async move {
            let (_, page) = get_text(&b, &url).await;
            b.post(&url)
                .form(&[("csrf", csrf_of(&page).as_str()), ("login", "carol")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // the fourth code of the hour, on either server: none (never a refusal)
    let fourth = browser();
    assert_eq!(other(fourth.clone()).await, 303);
    let (_, page) = get_text(&fourth, &format!("{}/t/acme/recover/case", second.url)).await;
    assert!(page.contains("did not send another code"), "{page}");
    // an hour later two more, and the sixth of the day has none either
    s.clock.advance(3601);
    assert_eq!(other(browser()).await, 303);
    assert_eq!(start(&browser(), &s, "carol").await.status(), 303);
    let sixth = browser();
    assert_eq!(start(&sixth, &s, "carol").await.status(), 303);
    assert!(
        case_page(&sixth, &s)
            .await
            .contains("did not send another code")
    );
}

/// Audit: a password proof of a real case used the sign-in counter of the
/// account, so after failed sign-ins a real case answered 429 where a decoy
/// answered 401.
async fn failed_sign_ins_do_not_set_a_real_account_apart_in_recovery(backend: Backend) {
    let World { s, .. } = world(backend).await;
    equipped(&s).await;
    for _ in 0..11 {
        attempt(&s.running.url, "alice", "wrong password").await;
    }
    assert_eq!(
        attempt(&s.running.url, "alice", "wrong password").await,
        429
    );
    let real = browser();
    let fake = browser();
    start(&real, &s, "alice").await;
    start(&fake, &s, "nobody").await;
    let a = prove(&real, &s, "password", "another wrong one")
        .await
        .status();
    let b = prove(&fake, &s, "password", "another wrong one")
        .await
        .status();
    assert_eq!((a.as_u16(), b.as_u16()), (401, 401));
}

/// Audit: property 2 for the per-address limit on starts, shared by two
/// servers on one database.
async fn the_address_limit_on_starts_holds_across_servers(backend: Backend) {
    let World { s, .. } = world(backend).await;
    let second = start_on(&s.tdb, s.clock.clone(), &[]).await;
    let on = |url: String, login: String| async move {
        let b = browser();
        let (_, page) = get_text(&b, &format!("{url}/t/acme/recover")).await;
        b.post(format!("{url}/t/acme/recover"))
            .form(&[("csrf", csrf_of(&page)), ("login", login)])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    // different (unknown) names: only the address limit applies
    for i in 0..10 {
        let url = if i % 2 == 0 {
            s.running.url.clone()
        } else {
            second.url.clone()
        };
        assert_eq!(on(url, format!("someone-{i}")).await, 303, "start {i}");
    }
    assert_eq!(on(s.running.url.clone(), "someone-else".into()).await, 429);
    assert_eq!(on(second.url.clone(), "another-one".into()).await, 429);
}

/// Audit: property 2 for the per-tenant brake on starts (500 an hour),
/// shared by two servers, with each start from another client address (as
/// a proxy reports it), so only the tenant's count can stop them.
/// The security-holes issue, item 5: a surge of starts with made-up names
/// made every user's "Can't sign in?" answer 429 for an hour. Now nobody is
/// refused: the count holds across servers, new cases wait longer, and the
/// operator is alerted once (audit, statistics, metric, log).
async fn the_tenant_limit_on_starts_holds_across_servers(backend: Backend) {
    let proxied = [("server.trust_proxy_headers", "true")];
    let s = TestServer::start_with(backend, &proxied).await;
    latchkey_core::recovery::activation::enable(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    let second = start_on(&s.tdb, s.clock.clone(), &proxied).await;
    let urls = [s.running.url.clone(), second.url.clone()];
    let on = |server: usize, i: usize, login: String| {
        let url = urls[server].clone();
        async move {
            // a new browser each time, as many people would be
            let b = browser();
            let (_, page) = get_text(&b, &format!("{url}/t/acme/recover")).await;
            b.post(format!("{url}/t/acme/recover"))
                .header("x-forwarded-for", format!("198.51.{}.{}", i / 200, i % 200))
                .form(&[("csrf", csrf_of(&page)), ("login", login)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let limit = latchkey_core::recovery::journey::SURGE_PER_TENANT.max as usize;
    for i in 0..limit + 5 {
        assert_eq!(on(i % 2, i, format!("nobody-{i}")).await, 303, "start {i}");
    }
    // alice is not refused either; her case waits the surge's longer time
    assert_eq!(on(1, limit + 5, "alice".into()).await, 303);
    let cases = s.tdb.db.open_cases_for_user(&s.alice.id).await.unwrap();
    assert_eq!(cases.len(), 1);
    assert!(cases[0].facts.surge, "{:?}", cases[0].facts);
    let stats = latchkey_core::recovery::stats::stats(
        &s.tdb.db,
        &s.tenant,
        latchkey_core::platform::clock::Clock::now(&*s.clock),
    )
    .await
    .unwrap();
    assert_eq!(stats.surges, 1, "one alert per surge");
    let metrics = s.metrics().await;
    assert!(
        metrics.contains("latchkey_recovery_surges{tenant=\"acme\"} 1"),
        "{metrics}"
    );
    let audit = s.tdb.db.list_audit(&s.tenant.id, 2_000).await.unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.event == "recovery.surge").count(),
        1
    );
}
