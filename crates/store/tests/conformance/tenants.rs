//! Tenants: settings written only over the version read, slugs unique; the
//! operator's API tokens.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::recovery::case::{CaseState, RecoveryCase};
use latchkey_core::store::*;
use latchkey_core::tenants::TenantSlug;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    tenants_roundtrip_and_slugs_are_unique,
    a_tenant_change_from_an_older_read_is_refused,
    a_tenant_change_ends_the_open_cases_it_names_in_its_tenant,
    the_set_up_and_password_sign_in_are_stored,
    operator_tokens_are_found_by_hash_until_revoked,
);

async fn tenants_roundtrip_and_slugs_are_unique(t: &TestDb) {
    let db = &t.db;
    let acme = tenant("acme");
    db.insert_tenant(&acme).await.unwrap();
    db.insert_tenant(&tenant("beta")).await.unwrap();
    let found = db
        .tenant_by_slug(&TenantSlug::parse("acme").unwrap())
        .await
        .unwrap();
    assert_eq!(found, Some(acme));
    assert_eq!(
        db.tenant_by_slug(&TenantSlug::parse("nope").unwrap())
            .await
            .unwrap(),
        None
    );
    let err = db.insert_tenant(&tenant("acme")).await.unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    let slugs: Vec<_> = db
        .list_tenants()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.slug.to_string())
        .collect();
    assert_eq!(slugs, ["acme", "beta"]);
}

/// Noticed in review: a settings change written from an older read of the
/// tenant undid a change that came first (self-recovery switched back off).
async fn a_tenant_change_from_an_older_read_is_refused(t: &TestDb) {
    use latchkey_core::tenants::SecondFactorPolicy;
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let mut first = acme.clone();
    first.self_recovery = true;
    assert!(
        db.update_tenant(&first, &[], &Effects::default(), UnixTime(5))
            .await
            .unwrap()
    );
    let mut stale = acme.clone();
    stale.second_factor = SecondFactorPolicy::Required;
    assert!(
        !db.update_tenant(&stale, &[], &Effects::default(), UnixTime(6))
            .await
            .unwrap(),
        "written from an older read"
    );
    let stored = db.tenant_by_slug(&acme.slug).await.unwrap().unwrap();
    assert!(stored.self_recovery, "the first change stands");
    assert_eq!(stored.second_factor, acme.second_factor);
    assert_eq!(stored.version, acme.version + 1);
}

async fn a_tenant_change_ends_the_open_cases_it_names_in_its_tenant(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let bob = add_user(db, &acme, "bob").await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let carol = add_user(db, &beta, "carol").await;
    assert!(db.open_cases(&acme.id).await.unwrap().is_empty());
    let decoy = RecoveryCase {
        user_id: None,
        email_key: None,
        ..case_for(&alice, "decoy", CaseState::Started)
    };
    let closed = case_for(&bob, "closed", CaseState::Cancelled);
    for case in [
        case_for(&alice, "a1", CaseState::Started),
        case_for(&bob, "b1", CaseState::Waiting),
        decoy,
        closed,
        case_for(&carol, "c1", CaseState::Started),
    ] {
        db.insert_case(&case, &Effects::default(), UnixTime(2_000))
            .await
            .unwrap();
    }
    let open = |tenant: TenantId| {
        let db = db.clone();
        async move {
            let mut open = db.open_cases(&tenant).await.unwrap();
            open.sort();
            open
        }
    };
    assert_eq!(
        open(acme.id.clone()).await,
        [
            ("a1".into(), Some(alice.id.clone())),
            ("b1".into(), Some(bob.id.clone())),
            ("decoy".into(), None),
        ],
        "open cases only, decoys without a user"
    );
    assert_eq!(
        open(beta.id.clone()).await,
        [("c1".into(), Some(carol.id.clone()))]
    );

    // The change names a case of its own tenant and one of another's: only
    // its own ends, with the change.
    let mut changed = acme.clone();
    changed.self_recovery = true;
    changed.display_name = "Acme Inc.".into();
    let effects = Effects::audit(event_of(&alice, "tenant.settings_changed", 3_000));
    assert!(
        db.update_tenant(
            &changed,
            &["a1".into(), "c1".into()],
            &effects,
            UnixTime(3_000)
        )
        .await
        .unwrap()
    );
    let a1 = db.case_by_id(&"a1".into()).await.unwrap().unwrap();
    assert_eq!(
        (a1.facts.state, a1.closed_at),
        (CaseState::Cancelled, Some(UnixTime(3_000)))
    );
    assert_eq!(
        open(acme.id.clone()).await,
        [("b1".into(), Some(bob.id.clone())), ("decoy".into(), None),]
    );
    assert_eq!(
        open(beta.id.clone()).await,
        [("c1".into(), Some(carol.id.clone()))]
    );
    let stored = db.tenant_by_slug(&acme.slug).await.unwrap().unwrap();
    assert_eq!(stored.display_name, "Acme Inc.");
    assert_eq!(events(db, &acme.id).await, ["tenant.settings_changed"]);

    // A change refused (read before the last one) ends nothing.
    assert!(
        !db.update_tenant(
            &changed,
            &["b1".into()],
            &Effects::default(),
            UnixTime(4_000)
        )
        .await
        .unwrap()
    );
    assert_eq!(
        db.case_by_id(&"b1".into())
            .await
            .unwrap()
            .unwrap()
            .facts
            .state,
        CaseState::Waiting
    );
    // So does one whose effects fail.
    let failing = failing_effects(db, &alice).await;
    assert!(
        db.update_tenant(&stored, &["b1".into()], &failing, UnixTime(4_000))
            .await
            .is_err()
    );
    assert_eq!(
        db.case_by_id(&"b1".into())
            .await
            .unwrap()
            .unwrap()
            .facts
            .state,
        CaseState::Waiting
    );
    assert_eq!(db.tenant_by_slug(&acme.slug).await.unwrap(), Some(stored));
}

async fn operator_tokens_are_found_by_hash_until_revoked(t: &TestDb) {
    let db = &t.db;
    let token = |id: &str, at: i64| OperatorToken {
        id: id.into(),
        name: format!("token {id}"),
        token_hash: format!("hash-{id}"),
        created_at: UnixTime(at),
        revoked_at: None,
    };
    assert!(db.list_operator_tokens().await.unwrap().is_empty());
    db.insert_operator_token(&token("t1", 20)).await.unwrap();
    db.insert_operator_token(&token("t2", 10)).await.unwrap();
    let err = db
        .insert_operator_token(&OperatorToken {
            id: "t3".into(),
            ..token("t1", 30)
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Unique(_)),
        "{err:?}: one hash, one token"
    );
    assert_eq!(
        db.operator_token_by_hash("hash-t1").await.unwrap(),
        Some(token("t1", 20))
    );
    assert_eq!(db.operator_token_by_hash("hash-t9").await.unwrap(), None);
    assert_eq!(
        db.list_operator_tokens().await.unwrap(),
        [token("t2", 10), token("t1", 20)],
        "oldest first"
    );

    assert!(
        db.revoke_operator_token(&"t1".into(), UnixTime(40))
            .await
            .unwrap()
    );
    assert!(
        !db.revoke_operator_token(&"t1".into(), UnixTime(50))
            .await
            .unwrap(),
        "once"
    );
    assert!(
        !db.revoke_operator_token(&"t9".into(), UnixTime(50))
            .await
            .unwrap()
    );
    assert_eq!(
        db.operator_token_by_hash("hash-t1").await.unwrap(),
        None,
        "a revoked token is not found"
    );
    assert_eq!(
        db.operator_token_by_hash("hash-t2").await.unwrap(),
        Some(token("t2", 10))
    );
    assert_eq!(
        db.list_operator_tokens().await.unwrap(),
        [
            token("t2", 10),
            OperatorToken {
                revoked_at: Some(UnixTime(40)),
                ..token("t1", 20)
            }
        ],
        "revoked tokens stay listed"
    );
}

/// The set-up wizard's progress and password sign-in (decision 0019) read
/// back as written, on insert and on update.
async fn the_set_up_and_password_sign_in_are_stored(t: &TestDb) {
    use latchkey_core::tenants::setup::{Setup, SetupStep};
    let db = &t.db;
    let mut acme = tenant("acme");
    acme.setup = Setup {
        step: SetupStep::Recovery,
        postponed: true,
    };
    acme.password_signin = false;
    acme.passwordless = true;
    db.insert_tenant(&acme).await.unwrap();
    let slug = TenantSlug::parse("acme").unwrap();
    let found = db.tenant_by_slug(&slug).await.unwrap().unwrap();
    assert_eq!(found, acme);
    let mut done = found.clone();
    done.setup = Setup {
        step: SetupStep::Done,
        postponed: false,
    };
    done.password_signin = true;
    assert!(
        db.update_tenant(&done, &[], &Effects::default(), UnixTime(5))
            .await
            .unwrap()
    );
    let found = db.tenant_by_slug(&slug).await.unwrap().unwrap();
    assert_eq!(found.setup, done.setup);
    assert!(found.password_signin);
}
