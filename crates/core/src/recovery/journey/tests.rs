//! The journey's rules at the service level: the in-memory store of the
//! traits the journey names (`crate::testing`), time as a parameter, no
//! database and no HTTP. The HTTP tests hold the pages to the same rules.

use super::*;
use crate::accounts::password::Password;
use crate::accounts::session::{AuthMethod, Session, SessionPolicy};
use crate::accounts::user::{User, UserInput, UserStatus};
use crate::effects::mail::MailMessage;
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::time::HOUR;
use crate::recovery::case::CaseState;
use crate::store::UserStore;
use crate::tenants::{Tenant, TenantInput};
use crate::testing::Fixture;

const T0: UnixTime = UnixTime(1_800_000_000);
const PW: &str = "correct horse battery staple";

async fn world() -> (Fixture, Tenant, User) {
    let f = Fixture::new(T0);
    let mut tenant = TenantInput {
        slug: "acme".into(),
        display_name: "Acme".into(),
        ..Default::default()
    }
    .parse("t1".into(), T0)
    .unwrap();
    tenant.self_recovery = true;
    f.store.add_tenant(tenant.clone());
    let alice = person(&f, &tenant, "alice", None).await;
    (f, tenant, alice)
}

async fn person(f: &Fixture, tenant: &Tenant, name: &str, role: Option<&str>) -> User {
    crate::accounts::user::create(
        &f.env(),
        tenant,
        UserInput {
            username: name.into(),
            email: format!("{name}@example.com"),
            display_name: None,
            password: Some(PW.into()),
            email_verified: true,
            language: None,
            role: role.map(str::to_owned),
        },
        Actor::OperatorCli,
        &RequestMeta::default(),
    )
    .await
    .unwrap()
}

async fn start_for(f: &Fixture, tenant: &Tenant, login: &str) -> String {
    match start(
        &f.env(),
        tenant,
        Origin::Login(login),
        None,
        None,
        None,
        &RequestMeta::default(),
    )
    .await
    .unwrap()
    {
        Started::New(browser) => browser.expose().to_owned(),
        Started::Resumed => panic!("a fresh browser resumed"),
    }
}

/// The code mailed last, if any.
fn last_code(f: &Fixture) -> Option<String> {
    f.store.writes().iter().rev().find_map(|w| {
        w.mail.iter().find_map(|m| match &m.message {
            MailMessage::RecoveryCode { code, .. } => Some(code.clone()),
            _ => None,
        })
    })
}

async fn proof(
    f: &Fixture,
    tenant: &Tenant,
    browser: &str,
    input: ProofInput,
) -> Result<Option<View>, Error> {
    prove(&f.env(), tenant, browser, input, &RequestMeta::default()).await
}

/// A session of `user` after the password, awaiting the second step.
fn half_signed_in(f: &Fixture, user: &User) -> Session {
    Session::new(
        &SecretToken::generate(&f.random),
        user,
        vec![AuthMethod::Password],
        T0,
        &SessionPolicy::default(),
        &RequestMeta::default(),
    )
    .awaiting_second_factor()
}

/// Asks for recovery from the second sign-in step.
async fn start_from_second_step(f: &Fixture, tenant: &Tenant, session: &Session) -> Started {
    start(
        &f.env(),
        tenant,
        Origin::SecondStep(session),
        None,
        None,
        None,
        &RequestMeta::default(),
    )
    .await
    .unwrap()
}

/// Proves the mailed code (the last one sent) and the password.
async fn prove_both(f: &Fixture, tenant: &Tenant, browser: &str) {
    let code = last_code(f).unwrap();
    proof(f, tenant, browser, ProofInput::EmailCode(code))
        .await
        .unwrap();
    proof(
        f,
        tenant,
        browser,
        ProofInput::Password(Password::presented(PW)),
    )
    .await
    .unwrap();
}

/// What a step wrote: per write, how many audit events and outbox rows
/// (mail or void), and the password verifications it cost.
fn work_since(
    f: &Fixture,
    writes_before: usize,
    verifications_before: u64,
) -> (Vec<(usize, usize)>, u64) {
    let writes = f.store.writes();
    (
        writes[writes_before..]
            .iter()
            .map(|w| (w.audit.len(), w.mail.len() + w.void_mail))
            .collect(),
        f.verifications() - verifications_before,
    )
}

/// Decoys and real cases do the same store work at every step: a real
/// account, an unknown name, a disabled account and an excluded
/// administrator (the last two with their right password).
#[tokio::test]
async fn every_name_costs_the_same_work() {
    let (f, tenant, _alice) = world().await;
    let dora = person(&f, &tenant, "dora", None).await;
    f.store
        .set_user_status(
            &tenant.id,
            &dora.id,
            UserStatus::Disabled,
            &Effects::default(),
            T0,
        )
        .await
        .unwrap();
    person(&f, &tenant, "root", Some("admin")).await;
    let names = [
        ("alice", "not it"),
        ("nobody", PW),
        ("dora", PW),
        ("root", PW),
    ];
    let mut browsers = vec![];
    let mut costs: Vec<Vec<_>> = vec![vec![]; 4];
    for (i, (name, _)) in names.iter().enumerate() {
        let (w, v) = (f.store.writes().len(), f.verifications());
        browsers.push(start_for(&f, &tenant, name).await);
        costs[i].push(work_since(&f, w, v));
    }
    for (i, (_, password)) in names.iter().enumerate() {
        for (tried, input) in [
            ProofInput::EmailCode("12345678".into()),
            ProofInput::Password(Password::presented(password)),
            ProofInput::RecoveryCode("aaaa-bbbb-cccc-dddd".into()),
        ]
        .into_iter()
        .enumerate()
        {
            let (w, v) = (f.store.writes().len(), f.verifications());
            let answer = proof(&f, &tenant, &browsers[i], input).await;
            // the same answer, with the same tries left, for every kind
            let tries_left = RecoveryPolicy::default().max_wrong_codes - 1 - tried as u32;
            assert!(
                matches!(answer, Err(Error::WrongProof { tries_left: t }) if t == tries_left),
                "{}: {answer:?}",
                names[i].0
            );
            costs[i].push(work_since(&f, w, v));
        }
    }
    for (i, c) in costs.iter().enumerate() {
        assert_eq!(c, &costs[0], "{} works unlike alice", names[i].0);
    }
    // one audit event and one outbox row per start, whatever the name
    assert_eq!(costs[0][0], (vec![(1, 1)], 0));
}

/// An emailed code works for [`CODE_SECS`] (ten minutes; NIST SP 800-63B-4
/// allows at most 24 hours for an issued recovery code) and then counts as
/// a wrong one.
#[tokio::test]
async fn an_emailed_code_ends_after_ten_minutes() {
    const { assert!(CODE_SECS == 10 * 60 && CODE_SECS <= 24 * HOUR) };
    let (f, tenant, _) = world().await;
    person(&f, &tenant, "bob", None).await;
    let alice = start_for(&f, &tenant, "alice").await;
    let alices_code = last_code(&f).unwrap();
    let bob = start_for(&f, &tenant, "bob").await;
    let bobs_code = last_code(&f).unwrap();
    f.clock.advance(CODE_SECS - 1);
    let view = proof(&f, &tenant, &alice, ProofInput::EmailCode(alices_code))
        .await
        .unwrap();
    assert!(
        matches!(view, Some(View::Proving { proofs, .. }) if proofs.email_code),
        "{view:?}"
    );
    f.clock.advance(1);
    let late = proof(&f, &tenant, &bob, ProofInput::EmailCode(bobs_code)).await;
    assert!(matches!(late, Err(Error::WrongProof { .. })), "{late:?}");
}

/// The security-holes issue, item 1, at the service level: a password set
/// from a mailed link is not carried in from the prompt, is refused as a
/// proof, and stops a completion that counted on it.
#[tokio::test]
async fn a_password_set_from_a_mailed_link_is_no_proof_until_confirmed() {
    let (f, tenant, alice) = world().await;
    f.store.set_password_reset_at(&alice.id, Some(T0));
    let alice = f.store.user(&alice.id).unwrap();
    let session = half_signed_in(&f, &alice);
    let Started::New(browser) = start_from_second_step(&f, &tenant, &session).await else {
        panic!("resumed")
    };
    let browser = browser.expose().to_owned();
    let code = last_code(&f).unwrap();
    let view = proof(&f, &tenant, &browser, ProofInput::EmailCode(code))
        .await
        .unwrap();
    assert!(
        matches!(view, Some(View::Proving { proofs, .. }) if proofs.email_code && !proofs.password),
        "{view:?}"
    );
    let refused = proof(
        &f,
        &tenant,
        &browser,
        ProofInput::Password(Password::presented(PW)),
    )
    .await;
    assert!(matches!(refused, Err(Error::Invalid(_))), "{refused:?}");
}

/// A lost cookie: proving both factors again in another browser takes the
/// case over — the original's time where it waited, but at least an hour
/// after the takeover — and the first case ends.
#[tokio::test]
async fn a_takeover_keeps_the_time_and_gives_an_hour() {
    let (f, tenant, _alice) = world().await;
    let first = start_for(&f, &tenant, "alice").await;
    prove_both(&f, &tenant, &first).await;
    let original = f.store.cases()[0].facts.ready_at.unwrap();
    assert_eq!(original, T0.plus(24 * HOUR));

    f.clock.advance(5 * HOUR);
    let second = start_for(&f, &tenant, "alice@example.com").await;
    let code = last_code(&f).unwrap();
    proof(&f, &tenant, &second, ProofInput::EmailCode(code))
        .await
        .unwrap();
    let view = proof(
        &f,
        &tenant,
        &second,
        ProofInput::Password(Password::presented(PW)),
    )
    .await
    .unwrap();
    assert_eq!(view, Some(View::Waiting { ready_at: original }));
    let states: Vec<CaseState> = f.store.cases().iter().map(|c| c.facts.state).collect();
    assert!(states.contains(&CaseState::Cancelled) && states.contains(&CaseState::Waiting));

    // the same a day later: ready at once would leave the mail no time
    f.clock.advance(20 * HOUR);
    let third = start_for(&f, &tenant, "alice").await;
    let code = last_code(&f).unwrap();
    proof(&f, &tenant, &third, ProofInput::EmailCode(code))
        .await
        .unwrap();
    let view = proof(
        &f,
        &tenant,
        &third,
        ProofInput::Password(Password::presented(PW)),
    )
    .await
    .unwrap();
    assert_eq!(
        view,
        Some(View::Waiting {
            ready_at: f.clock.now().plus(HOUR)
        })
    );
}

/// A surge of starts in the tenant lengthens the wait of new cases, and
/// refuses nobody.
#[tokio::test]
async fn a_surge_lengthens_new_waits() {
    let (f, tenant, _alice) = world().await;
    for i in 0..=SURGE_PER_TENANT.max {
        start_for(&f, &tenant, &format!("nobody-{i}")).await;
    }
    let b = start_for(&f, &tenant, "alice").await;
    let code = last_code(&f).unwrap();
    proof(&f, &tenant, &b, ProofInput::EmailCode(code))
        .await
        .unwrap();
    let view = proof(
        &f,
        &tenant,
        &b,
        ProofInput::Password(Password::presented(PW)),
    )
    .await
    .unwrap();
    assert_eq!(
        view,
        Some(View::Waiting {
            ready_at: T0.plus(72 * HOUR)
        })
    );
    let surges = f
        .store
        .writes()
        .iter()
        .flat_map(|w| w.audit.iter())
        .filter(|a| a.event == "recovery.surge")
        .count();
    assert_eq!(surges, 1, "one alert");
}

/// Past the codes allowed for a name the case still starts, without a
/// code — and a code that was never mailed never counts.
#[tokio::test]
async fn withheld_codes_never_count() {
    let (f, tenant, _alice) = world().await;
    for _ in 0..CODES_PER_NAME_HOUR.max {
        start_for(&f, &tenant, "alice").await;
    }
    let mails = f
        .store
        .writes()
        .iter()
        .filter(|w| !w.mail.is_empty())
        .count();
    let b = start_for(&f, &tenant, "alice").await;
    assert_eq!(
        f.store
            .writes()
            .iter()
            .filter(|w| !w.mail.is_empty())
            .count(),
        mails,
        "no code mailed"
    );
    let view = view(&f.env(), &tenant, &b, &RequestMeta::default())
        .await
        .unwrap();
    assert!(
        matches!(
            view,
            Some(View::Proving {
                code_withheld: true,
                ..
            })
        ),
        "{view:?}"
    );
    let case = f
        .store
        .cases()
        .into_iter()
        .max_by_key(|c| c.facts.started_at.0 * 1000 + i64::from(c.code_withheld))
        .unwrap();
    assert!(!case.code_mailed(), "no address of record got a code");
    assert!(
        proof(&f, &tenant, &b, ProofInput::EmailCode("00000000".into()))
            .await
            .is_err()
    );
}

/// "Send a new code" counts with the name's starts: a case whose code was
/// withheld gets one once the hour's count allows it — mailed, and then it
/// counts — and the next beyond the day's count is refused; a real and an
/// unknown name do the same work at each step.
#[tokio::test]
async fn a_new_code_is_counted_with_the_names_starts() {
    let (f, tenant, _alice) = world().await;
    let meta = RequestMeta::default();
    for _ in 0..CODES_PER_NAME_HOUR.max {
        start_for(&f, &tenant, "alice").await;
        start_for(&f, &tenant, "nobody").await;
    }
    f.clock.advance(50 * 60);
    let withheld = start_for(&f, &tenant, "alice").await;
    let decoy = start_for(&f, &tenant, "nobody").await;
    let stored = |f: &Fixture| {
        f.store
            .cases()
            .into_iter()
            .find(|c| c.user_id.is_some() && c.facts.started_at == T0.plus(50 * 60))
            .unwrap()
    };
    assert!(stored(&f).code_withheld && !stored(&f).code_mailed());

    // a new hour: the fifth code of the day goes out
    f.clock.advance(11 * 60);
    let mut works = vec![];
    for b in [&withheld, &decoy] {
        let (writes, verifications) = (f.store.writes().len(), f.verifications());
        let resent = resend_code(&f.env(), &tenant, b, &meta).await.unwrap();
        assert_eq!(resent, Some(Resent::Sent));
        works.push(work_since(&f, writes, verifications));
    }
    assert_eq!(works[0], works[1], "the same work for a decoy");
    assert_eq!(works[0].0, vec![(1, 1)], "one audit event, one outbox row");
    let case = stored(&f);
    assert!(case.code_mailed(), "{case:?}");
    let code = match &f.store.writes()[f.store.writes().len() - 2].mail[..] {
        [mail] => match &mail.message {
            MailMessage::RecoveryCode { code, .. } => code.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("the real case's code mail: {other:?}"),
    };

    // the sixth of the day is refused, alike
    let mut works = vec![];
    for b in [&withheld, &decoy] {
        let (writes, verifications) = (f.store.writes().len(), f.verifications());
        let resent = resend_code(&f.env(), &tenant, b, &meta).await.unwrap();
        assert!(
            matches!(resent, Some(Resent::Limited { retry_after_secs }) if retry_after_secs > HOUR),
            "{resent:?}"
        );
        works.push(work_since(&f, writes, verifications));
    }
    assert_eq!(works[0], works[1]);
    assert_eq!(works[0].0, vec![], "nothing written beyond the counters");

    // the mailed code proves the case; then there is nothing to resend
    proof(&f, &tenant, &withheld, ProofInput::EmailCode(code))
        .await
        .unwrap();
    let shown = view(&f.env(), &tenant, &withheld, &meta).await.unwrap();
    assert!(
        matches!(shown, Some(View::Proving { proofs, .. }) if proofs.email_code),
        "{shown:?}"
    );
    let again = resend_code(&f.env(), &tenant, &withheld, &meta)
        .await
        .unwrap();
    assert_eq!(again, Some(Resent::NotNeeded));
}

/// A browser the person signed in from recently skips the wait, and its
/// starts are not counted against the name.
#[tokio::test]
async fn a_known_device_skips_the_wait_and_is_not_counted() {
    let (f, tenant, alice) = world().await;
    let device = SecretToken::generate(&f.random);
    f.store.add_known_device(&device.hash(), &alice.id, T0);
    for _ in 0..=CODES_PER_NAME_HOUR.max {
        start_for(&f, &tenant, "alice").await;
    }
    let Started::New(b) = start(
        &f.env(),
        &tenant,
        Origin::Login("alice"),
        None,
        Some(device.expose()),
        None,
        &RequestMeta::default(),
    )
    .await
    .unwrap() else {
        panic!("resumed")
    };
    let b = b.expose().to_owned();
    let code = last_code(&f).unwrap();
    proof(&f, &tenant, &b, ProofInput::EmailCode(code))
        .await
        .unwrap();
    let view = proof(
        &f,
        &tenant,
        &b,
        ProofInput::Password(Password::presented(PW)),
    )
    .await
    .unwrap();
    assert_eq!(view, Some(View::Ready { password: false }));
}

/// Asking for recovery from the second sign-in step ends the half-finished
/// sign-in: the browser is in the recovery now, not half signed in.
#[tokio::test]
async fn starting_from_the_second_step_ends_the_half_finished_sign_in() {
    let (f, tenant, alice) = world().await;
    let session = half_signed_in(&f, &alice);
    f.store
        .start_session(&session, &Effects::default(), T0)
        .await
        .unwrap();
    start_from_second_step(&f, &tenant, &session).await;
    assert_eq!(
        f.store.session_by_hash(&session.id_hash).await.unwrap(),
        None
    );
}

/// After a sign-in the browser's device id is replaced (the one presented
/// stops counting, the new one is known), and only a sign-in with a second
/// factor ends a proven case.
#[tokio::test]
async fn a_sign_in_rotates_the_device_and_a_second_factor_ends_the_case() {
    let (f, tenant, alice) = world().await;
    let browser = start_for(&f, &tenant, "alice").await;
    prove_both(&f, &tenant, &browser).await;
    let open = || async { f.store.open_cases_for_user(&alice.id).await.unwrap().len() };
    let planted = SecretToken::generate(&f.random);
    f.store.add_known_device(&planted.hash(), &alice.id, T0);
    let meta = RequestMeta::default();

    let fresh = after_sign_in(
        &f.env(),
        &tenant,
        &alice,
        Some(planted.expose()),
        false,
        false,
        &meta,
    )
    .await
    .unwrap();
    assert_eq!(open().await, 1, "a password alone proves no second factor");
    assert!(
        !f.store
            .device_known(&planted.hash(), &alice.id, T0)
            .await
            .unwrap()
    );
    assert!(
        f.store
            .device_known(&fresh.hash(), &alice.id, T0)
            .await
            .unwrap()
    );

    after_sign_in(
        &f.env(),
        &tenant,
        &alice,
        Some(fresh.expose()),
        true,
        false,
        &meta,
    )
    .await
    .unwrap();
    assert_eq!(open().await, 0, "they have what they said they lost");
    let case = f.store.cases().pop().unwrap();
    assert_eq!(case.facts.state, CaseState::Cancelled);
}
