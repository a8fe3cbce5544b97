//! Readiness across a tenant: the store's statement of the rule in SQL
//! agrees with core's `Readiness::ready` on every combination, in the
//! count and in the unready filter; reminders are written once a week per
//! person, with their mail and audit event, in one transaction.

use latchkey_core::accounts::user::{User, UserStatus};
use latchkey_core::effects::audit::AuditEvent;
use latchkey_core::effects::mail::OutboxMail;
use latchkey_core::factors::enrolment::Readiness;
use latchkey_core::factors::recovery_codes::RecoveryCode;
use latchkey_core::factors::totp::TotpCredential;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::UserId;
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::Db;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    readiness_in_sql_is_cores_rule,
    the_count_is_of_active_people_in_the_search,
    reminders_are_written_once_a_week_with_their_mail_and_event,
);

/// What a person holds: the address verified, an authenticator app, this
/// many passkeys, unused and used recovery codes.
#[derive(Debug, Clone, Copy)]
struct Holding {
    verified: bool,
    app: bool,
    passkeys: usize,
    unused_codes: usize,
    used_codes: usize,
}

impl Holding {
    /// Core's readiness of someone holding this.
    fn readiness(&self, user: &User) -> Readiness {
        let factors = usize::from(self.app) + self.passkeys;
        Readiness::of(user, factors, self.unused_codes as i64)
    }
}

/// Every combination the rule tells apart, and the ones that look alike
/// to a careless statement of it (used codes only; two passkeys and no
/// app; one of each).
fn holdings() -> Vec<Holding> {
    let mut all = vec![];
    for verified in [false, true] {
        for app in [false, true] {
            for passkeys in 0..=2 {
                for (unused_codes, used_codes) in [(0, 0), (0, 2), (1, 1), (3, 0)] {
                    all.push(Holding {
                        verified,
                        app,
                        passkeys,
                        unused_codes,
                        used_codes,
                    });
                }
            }
        }
    }
    all
}

async fn person(db: &Db, tenant: &Tenant, name: &str, h: Holding) -> User {
    let mut u = user(tenant, name, &format!("{name}@example.com"));
    u.email_verified = h.verified;
    db.insert_user(&u, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    if h.app {
        db.insert_totp(
            &TotpCredential {
                id: format!("t-{name}").into(),
                tenant_id: tenant.id.clone(),
                user_id: u.id.clone(),
                secret_sealed: "v1.sealed".into(),
                last_used_step: None,
                created_at: UnixTime(5),
            },
            &Effects::default(),
            UnixTime(5),
        )
        .await
        .unwrap();
    }
    for i in 0..h.passkeys {
        db.insert_passkey(
            &passkey_of(&u, &format!("k-{name}-{i}"), "{}"),
            &Effects::default(),
            UnixTime(6),
        )
        .await
        .unwrap();
    }
    let codes: Vec<_> = (0..h.unused_codes + h.used_codes)
        .map(|i| RecoveryCode {
            id: format!("c-{name}-{i}"),
            tenant_id: tenant.id.clone(),
            user_id: u.id.clone(),
            code_hash: format!("hash-{name}-{i}"),
            created_at: UnixTime(1),
            used_at: None,
        })
        .collect();
    if !codes.is_empty() {
        db.replace_recovery_codes(&u.id, &codes, &Effects::default(), UnixTime(7))
            .await
            .unwrap();
        for i in 0..h.used_codes {
            let hash = format!("hash-{name}-{}", h.unused_codes + i);
            assert!(
                db.use_recovery_code(&u.id, &hash, UnixTime(8))
                    .await
                    .unwrap()
            );
        }
    }
    u
}

fn unready_filter() -> PeopleFilter {
    PeopleFilter {
        unready: true,
        ..PeopleFilter::first(1_000)
    }
}

async fn readiness_in_sql_is_cores_rule(t: &TestDb) {
    let db = &t.db;
    let acme = tenant("acme");
    db.insert_tenant(&acme).await.unwrap();
    let mut expected_ready = vec![];
    let mut expected_unready = vec![];
    let mut seen = std::collections::HashSet::new();
    for (i, h) in holdings().into_iter().enumerate() {
        let name = format!("p{i:03}");
        let u = person(db, &acme, &name, h).await;
        let r = h.readiness(&u);
        seen.insert((r.email_verified, r.recovery_codes, r.spare_factor));
        if r.ready() {
            expected_ready.push(name);
        } else {
            expected_unready.push(name);
        }
    }
    // every combination of core's three parts was made
    assert_eq!(seen.len(), Readiness::every().count());

    let counts = db
        .readiness_counts(&acme.id, None, UnixTime(0))
        .await
        .unwrap();
    assert_eq!(
        (counts.people, counts.ready),
        (
            (expected_ready.len() + expected_unready.len()) as i64,
            expected_ready.len() as i64
        )
    );
    // the filter leaves out exactly the ready, person by person
    let unready: Vec<String> = db
        .list_people(&acme.id, &unready_filter())
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.user.username)
        .collect();
    assert_eq!(unready, expected_unready);
    // and the rows it gives say so by core's rule too
    for row in db.list_people(&acme.id, &unready_filter()).await.unwrap() {
        let factors = usize::from(row.authenticator_app) + row.passkeys as usize;
        let r = Readiness::of(&row.user, factors, row.unused_recovery_codes);
        assert!(!r.ready(), "{}", row.user.username);
    }
}

async fn the_count_is_of_active_people_in_the_search(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let none = Holding {
        verified: true,
        app: false,
        passkeys: 0,
        unused_codes: 0,
        used_codes: 0,
    };
    let ready = Holding {
        passkeys: 1,
        unused_codes: 2,
        ..none
    };
    person(db, &acme, "bob", ready).await;
    person(db, &acme, "bea", none).await;
    let carl = person(db, &acme, "carl", none).await;
    db.set_user_status(
        &acme.id,
        &carl.id,
        UserStatus::Disabled,
        &Effects::default(),
        UnixTime(2_000),
    )
    .await
    .unwrap();
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    person(db, &beta, "bert", ready).await;

    let count = |prefix: Option<&'static str>| db.readiness_counts(&acme.id, prefix, UnixTime(0));
    // alice (no factor), bob (ready), bea; carl is disabled, bert elsewhere
    let all = count(None).await.unwrap();
    assert_eq!((all.people, all.ready, all.nudged_recently), (3, 1, 0));
    let b = count(Some("b")).await.unwrap();
    assert_eq!((b.people, b.ready), (2, 1));
    let nobody = count(Some("zz")).await.unwrap();
    assert_eq!((nobody.people, nobody.ready), (0, 0));
    // the unready filter: active only, searched, paged
    let names = |rows: Vec<PersonRow>| -> Vec<String> {
        rows.into_iter().map(|p| p.user.username).collect()
    };
    let unready = db.list_people(&acme.id, &unready_filter()).await.unwrap();
    assert_eq!(names(unready), ["alice", "bea"]);
    let filter = PeopleFilter {
        prefix: Some("b".into()),
        ..unready_filter()
    };
    assert_eq!(
        names(db.list_people(&acme.id, &filter).await.unwrap()),
        ["bea"]
    );
    let filter = PeopleFilter {
        from: Some(PageFrom::After("alice".into())),
        ..unready_filter()
    };
    assert_eq!(
        names(db.list_people(&acme.id, &filter).await.unwrap()),
        ["bea"]
    );
    // chosen by id, whatever their readiness; another tenant's are not found
    let filter = PeopleFilter {
        ids: vec![
            alice.id.clone(),
            carl.id.clone(),
            UserId::from("nobody".to_owned()),
        ],
        ..PeopleFilter::first(10)
    };
    assert_eq!(
        names(db.list_people(&acme.id, &filter).await.unwrap()),
        ["alice", "carl"]
    );
}

fn nudge(tenant: &Tenant, u: &User, at: i64) -> Nudge {
    let mut m: OutboxMail = mail(&format!("m-{}-{at}", u.username), at);
    m.tenant_id = Some(tenant.id.clone());
    let mut audit: AuditEvent = event_of(u, "user.readiness.reminded", at);
    audit.id = format!("a-{}-{at}", u.username);
    Nudge {
        user_id: u.id.clone(),
        mail: m,
        audit,
    }
}

async fn reminders_are_written_once_a_week_with_their_mail_and_event(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let week = 7 * 86_400;
    let now = UnixTime(10 * week);

    let sent = db
        .record_nudges(
            &acme.id,
            &[nudge(&acme, &alice, now.0)],
            now.plus(-week),
            now,
        )
        .await
        .unwrap();
    assert_eq!(sent, std::slice::from_ref(&alice.id));
    assert_eq!(db.outbox_counts().await.unwrap().0, 1);
    assert_eq!(events(db, &acme.id).await, ["user.readiness.reminded"]);
    let rows = db
        .list_people(&acme.id, &PeopleFilter::first(10))
        .await
        .unwrap();
    assert_eq!(rows[0].nudged_at, Some(now));
    assert_eq!(rows[1].nudged_at, None);

    // a day later: alice is skipped (no mail, no event), bob is reminded
    let later = now.plus(86_400);
    let sent = db
        .record_nudges(
            &acme.id,
            &[nudge(&acme, &alice, later.0), nudge(&acme, &bob, later.0)],
            later.plus(-week),
            later,
        )
        .await
        .unwrap();
    assert_eq!(sent, std::slice::from_ref(&bob.id));
    assert_eq!(db.outbox_counts().await.unwrap().0, 2);
    assert_eq!(events(db, &acme.id).await.len(), 2);
    // the count sees both reminded within the week (they are not ready)
    let c = db
        .readiness_counts(&acme.id, None, later.plus(-week))
        .await
        .unwrap();
    assert_eq!(c.nudged_recently, 2);
    // and the filter that skips them leaves nobody
    let filter = PeopleFilter {
        skip_nudged_after: Some(later.plus(-week)),
        ..unready_filter()
    };
    assert!(db.list_people(&acme.id, &filter).await.unwrap().is_empty());

    // a week after the first: alice again; another tenant's id: nobody
    let next = now.plus(week);
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let sent = db
        .record_nudges(
            &beta.id,
            &[nudge(&beta, &alice, next.0)],
            next.plus(-week),
            next,
        )
        .await
        .unwrap();
    assert!(sent.is_empty(), "not beta's");
    let sent = db
        .record_nudges(
            &acme.id,
            &[nudge(&acme, &alice, next.0)],
            next.plus(-week),
            next,
        )
        .await
        .unwrap();
    assert_eq!(sent, std::slice::from_ref(&alice.id));
    assert_eq!(db.outbox_counts().await.unwrap().0, 3);

    // a failing write leaves nothing: not the mark, not the mail
    let failing = {
        let mut n = nudge(&acme, &bob, next.0 + week);
        n.audit = failing_effects(db, &bob).await.audit.remove(0);
        n
    };
    let far = next.plus(week);
    assert!(
        db.record_nudges(&acme.id, &[failing], far.plus(-week), far)
            .await
            .is_err()
    );
    assert_eq!(db.outbox_counts().await.unwrap().0, 3);
    let rows = db
        .list_people(&acme.id, &PeopleFilter::first(10))
        .await
        .unwrap();
    assert_eq!(
        rows[1].nudged_at,
        Some(later),
        "bob's mark stayed as it was"
    );
}
