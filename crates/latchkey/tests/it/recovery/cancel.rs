//! How a case ends before completion: the cancel link, a normal sign-in,
//! lapsing, a new administrator.

use latchkey_core::effects::audit::Actor;
use latchkey_core::store::{RecoveryStore, TotpStore};
use latchkey_store::Backend;

use super::*;
use crate::helpers::*;

on_both_backends!(
    the_cancel_link_works_once_without_signing_in,
    a_normal_sign_in_cancels_the_recovery,
    a_forgotten_case_blocks_nothing,
    a_case_ends_for_someone_who_became_an_administrator,
    a_cancel_link_ends_its_own_case_only_and_secrets_are_kept_hashed,
);

async fn the_cancel_link_works_once_without_signing_in(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let b = browser();
    start(&b, &s, "alice").await;
    let code = code_in(&sink.wait_for(3).await[2]);
    prove(&b, &s, "email_code", &code).await;
    prove(&b, &s, "password", PASSWORD).await;
    let link = link_in(&sink.wait_for(4).await[3]);

    let stranger = browser();
    let (status, page) = get_text(&stranger, &link).await;
    assert_eq!(status, 200);
    assert!(page.contains("Cancel the recovery"));
    let (status, _) = get_text(&b, &s.url("/t/acme/recover/case")).await;
    assert_eq!(status, 200, "opening the link cancels nothing");
    assert!(
        case_page(&b, &s)
            .await
            .contains("the recovery completes on")
    );

    let token = link.split("token=").nth(1).unwrap();
    let cancel = |client: reqwest::Client, page: String, token: String| {
        let url = s.url("/t/acme/recover/cancel");
        async move {
            client
                .post(url)
                .form(&[("csrf", csrf_of(&page)), ("token", token)])
                .send()
                .await
                .unwrap()
        }
    };
    let r = cancel(stranger.clone(), page.clone(), token.to_owned()).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Recovery cancelled"));
    let r = cancel(stranger.clone(), page.clone(), token.to_owned()).await;
    assert_eq!(r.status(), 410, "once");
    let r = cancel(stranger, page, "x".repeat(43)).await;
    assert_eq!(r.status(), 410, "only its own case");

    assert!(case_page(&b, &s).await.contains("was cancelled"));
    s.clock.advance(25 * 3600);
    assert_ne!(finish(&b, &s, Some(PASSWORD)).await.status(), 200);
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());
    let mails = sink.wait_for(5).await;
    assert!(mails[4].text().contains("was cancelled"));
}

async fn a_normal_sign_in_cancels_the_recovery(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (secret, _) = equipped(&s).await;
    let b = browser();
    start(&b, &s, "alice").await;
    let code = code_in(&sink.wait_for(3).await[2]);
    prove(&b, &s, "email_code", &code).await;
    prove(&b, &s, "password", PASSWORD).await;
    assert!(
        case_page(&b, &s)
            .await
            .contains("the recovery completes on")
    );

    // The phone was in the other bag after all.
    s.clock.advance(30);
    let (other, prompt) = crate::totp::password_step(&s).await;
    let r = crate::totp::send_code(&other, &s, &prompt, &crate::totp::code(&secret, &s)).await;
    assert_eq!(r.status(), 303);
    assert!(case_page(&b, &s).await.contains("was cancelled"));
    assert!(
        s.tdb
            .db
            .open_cases_for_user(&s.alice.id)
            .await
            .unwrap()
            .is_empty()
    );
    s.clock.advance(25 * 3600);
    assert_ne!(finish(&b, &s, Some(PASSWORD)).await.status(), 200);
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());
}

/// Review H1: a case nobody looks at again lapses without blocking the
/// owner's sign-in, a new recovery or the helpdesk.
async fn a_forgotten_case_blocks_nothing(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let (secret, _) = equipped(&s).await;
    let attacker = browser();
    start(&attacker, &s, "alice").await;
    sink.wait_for(3).await;
    s.clock.advance(2 * 3600);

    let (b, prompt) = crate::totp::password_step(&s).await;
    let r = crate::totp::send_code(&b, &s, &prompt, &crate::totp::code(&secret, &s)).await;
    assert_eq!(r.status(), 303, "the sign-in stands");
    let (status, _) = get_text(&b, &s.url("/t/acme/account")).await;
    assert_eq!(status, 200);

    let owner = browser();
    assert_eq!(
        location(&start(&owner, &s, "alice").await),
        "/t/acme/recover/case"
    );
    // the owner's sign-in from a new browser is told, and the code comes
    let mails = sink.wait_for(5).await;
    let (told, coded): (Vec<_>, Vec<_>) = mails[3..]
        .iter()
        .partition(|m| m.text().contains("had not signed in to it before"));
    assert_eq!((told.len(), coded.len()), (1, 1));
    code_in(coded[0]);
    // housekeeping moves lapsed cases on, audited
    s.clock.advance(2 * 3600);
    // (the stranger's unproven attempt was not ended by the owner's
    // sign-in — that would tell a real name from an unknown one — and
    // lapses with the owner's own)
    let env = s.running.state.env();
    assert_eq!(
        latchkey_core::recovery::journey::housekeeping(&env)
            .await
            .unwrap(),
        2
    );
    assert!(
        events(&s)
            .await
            .contains(&"recovery.case.expired".to_owned())
    );
}

/// Review M2: the exclusion of administrators holds for cases that were
/// already running when the user became one.
async fn a_case_ends_for_someone_who_became_an_administrator(backend: Backend) {
    let World { s, sink } = world(backend).await;
    equipped(&s).await;
    let b = browser();
    start(&b, &s, "alice").await;
    let code = code_in(&sink.wait_for(3).await[2]);
    prove(&b, &s, "email_code", &code).await;
    prove(&b, &s, "password", PASSWORD).await;
    assert!(
        case_page(&b, &s)
            .await
            .contains("the recovery completes on")
    );
    let alice = latchkey_core::accounts::user::by_login(&s.tdb.db, &s.tenant, "alice")
        .await
        .unwrap();
    latchkey_core::accounts::user::set_role(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &alice,
        "admin",
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    s.clock.advance(25 * 3600);
    assert_ne!(finish(&b, &s, Some(PASSWORD)).await.status(), 200);
    assert!(s.tdb.db.totp_for_user(&s.alice.id).await.unwrap().is_some());
}

/// Audit: property 8 ("only for its case") with a real token of another
/// case, and property 3 (stored hashed) read back from the store.
async fn a_cancel_link_ends_its_own_case_only_and_secrets_are_kept_hashed(backend: Backend) {
    let World { s, sink } = world(backend).await;
    let carol = add_user(&s.tdb, &s.clock, &s.tenant, "carol", "carol@example.com").await;
    let dave = add_user(&s.tdb, &s.clock, &s.tenant, "dave", "dave@example.com").await;
    let mut seen = 0;
    let mut waiting = |b: reqwest::Client, login: &'static str| {
        seen += 2;
        let n = seen;
        let s = &s;
        let sink = &sink;
        async move {
            start(&b, s, login).await;
            let code = code_in(&sink.wait_for(n - 1).await[n - 2]);
            prove(&b, s, "email_code", &code).await;
            prove(&b, s, "password", PASSWORD).await;
            let link = link_in(&sink.wait_for(n).await[n - 1]);
            (b, code, link)
        }
    };
    let (bc, carol_code, carol_link) = waiting(browser(), "carol").await;
    let (bd, _, dave_link) = waiting(browser(), "dave").await;
    assert!(
        case_page(&bc, &s)
            .await
            .contains("the recovery completes on")
    );

    let case = s
        .tdb
        .db
        .open_cases_for_user(&carol.id)
        .await
        .unwrap()
        .remove(0);
    let token = carol_link.split("token=").nth(1).unwrap();
    let stored = format!("{case:?}");
    assert!(
        !stored.contains(&carol_code),
        "the code is not kept as it was sent"
    );
    assert!(!stored.contains(token), "nor the cancel token");
    assert_eq!(
        case.cancel_token_hash.as_deref(),
        Some(latchkey_core::platform::secret::sha256_hex(token.as_bytes()).as_str())
    );

    // dave's link ends dave's case, and nothing of carol's
    let stranger = browser();
    let (_, page) = get_text(&stranger, &dave_link).await;
    let r = stranger
        .post(s.url("/t/acme/recover/cancel"))
        .form(&[
            ("csrf", csrf_of(&page)),
            (
                "token",
                dave_link.split("token=").nth(1).unwrap().to_owned(),
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(case_page(&bd, &s).await.contains("was cancelled"));
    assert!(
        case_page(&bc, &s)
            .await
            .contains("the recovery completes on")
    );
    assert!(
        s.tdb
            .db
            .open_cases_for_user(&dave.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.tdb.db.open_cases_for_user(&carol.id).await.unwrap().len(),
        1
    );
}
