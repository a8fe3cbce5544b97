//! The operator console: accounts unique by name, a sign-in spends its
//! authenticator step once, sessions, the operator's trail and a tenant's
//! figures.

use latchkey_core::effects::audit::AuditKind;
use latchkey_core::effects::audit::{Actor, RequestMeta};
use latchkey_core::operator::console::{OperatorAccount, OperatorSession, console_event};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::*;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    operator_accounts_are_unique_and_a_step_signs_in_once,
    the_operator_trail_holds_operators_only,
);

fn account(name: &str) -> OperatorAccount {
    OperatorAccount {
        id: new_id(&OsRandom),
        name: name.into(),
        name_key: name.to_lowercase(),
        password_hash: "$argon2id$stub".into(),
        totp_sealed: "sealed".into(),
        totp_last_step: None,
        created_at: UnixTime(1_000),
        disabled_at: None,
    }
}

fn session(a: &OperatorAccount, hash: &str, at: i64) -> OperatorSession {
    OperatorSession {
        id_hash: hash.into(),
        account_id: a.id.clone(),
        created_at: UnixTime(at),
        last_seen_at: UnixTime(at),
        expires_at: UnixTime(at + 3_600),
        ip: Some("127.0.0.1".into()),
        user_agent: None,
    }
}

async fn operator_accounts_are_unique_and_a_step_signs_in_once(t: &TestDb) {
    let db = &t.db;
    let ops = account("Ops");
    db.insert_operator_account(&ops, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    let err = db
        .insert_operator_account(&account("ops"), &Effects::default(), UnixTime(1_000))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(
        db.operator_account_by_name("ops").await.unwrap(),
        Some(ops.clone())
    );
    assert_eq!(db.list_operator_accounts().await.unwrap().len(), 1);

    let s1 = session(&ops, "s1", 2_000);
    assert!(
        db.start_operator_session(&s1, 10, &Effects::default(), UnixTime(2_000))
            .await
            .unwrap()
    );
    // the same step (or an older one) again: refused, no session
    let s2 = session(&ops, "s2", 2_001);
    assert!(
        !db.start_operator_session(&s2, 10, &Effects::default(), UnixTime(2_001))
            .await
            .unwrap()
    );
    assert!(
        !db.start_operator_session(&s2, 9, &Effects::default(), UnixTime(2_001))
            .await
            .unwrap()
    );
    assert!(db.operator_session(&"s2".into()).await.unwrap().is_none());
    assert!(
        db.start_operator_session(&s2, 11, &Effects::default(), UnixTime(2_001))
            .await
            .unwrap()
    );

    let (found, owner) = db.operator_session(&"s1".into()).await.unwrap().unwrap();
    assert_eq!(
        (found.clone(), owner.id.clone()),
        (s1.clone(), ops.id.clone())
    );
    assert_eq!(owner.totp_last_step, Some(11));
    db.touch_operator_session(&"s1".into(), UnixTime(2_500))
        .await
        .unwrap();
    let (found, _) = db.operator_session(&"s1".into()).await.unwrap().unwrap();
    assert_eq!(found.last_seen_at, UnixTime(2_500));
    db.end_operator_session(&"s1".into()).await.unwrap();
    assert!(db.operator_session(&"s1".into()).await.unwrap().is_none());

    // disabling ends every session of the account, once
    assert!(
        db.disable_operator_account(&ops.id, &Effects::default(), UnixTime(3_000))
            .await
            .unwrap()
    );
    assert!(db.operator_session(&"s2".into()).await.unwrap().is_none());
    let disabled = db.operator_account_by_name("ops").await.unwrap().unwrap();
    assert_eq!(disabled.disabled_at, Some(UnixTime(3_000)));
    assert!(
        !db.disable_operator_account(&ops.id, &Effects::default(), UnixTime(3_001))
            .await
            .unwrap()
    );
}

async fn the_operator_trail_holds_operators_only(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let ops = account("ops");
    let meta = RequestMeta::default();
    let mut tenant_event = console_event(
        &OsRandom,
        UnixTime(3_000),
        Actor::OperatorCli,
        AuditKind::TenantRecoveryEnabled,
        &meta,
    );
    tenant_event.tenant_id = Some(acme.id.clone());
    let events = [
        console_event(
            &OsRandom,
            UnixTime(3_001),
            ops.actor(),
            AuditKind::OperatorSignin,
            &meta,
        ),
        console_event(
            &OsRandom,
            UnixTime(3_002),
            Actor::Anonymous,
            AuditKind::OperatorSigninFailed,
            &meta,
        ),
        console_event(
            &OsRandom,
            UnixTime(3_003),
            Actor::Operator,
            AuditKind::TenantAdminInvited,
            &meta,
        ),
        console_event(
            &OsRandom,
            UnixTime(3_004),
            Actor::User(alice.id.clone()),
            AuditKind::SigninSucceeded,
            &meta,
        ),
        console_event(
            &OsRandom,
            UnixTime(3_005),
            Actor::System,
            AuditKind::RecoverySurge,
            &meta,
        ),
        tenant_event,
    ];
    for e in &events {
        db.insert_audit(e).await.unwrap();
    }
    let trail: Vec<String> = db
        .operator_audit(10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        trail,
        [
            "tenant.admin.invited",
            "operator.signin.failed",
            "operator.signin",
            "tenant.recovery.enabled"
        ]
    );

    let figures = db.tenant_figures(&acme.id).await.unwrap();
    assert_eq!(
        figures,
        TenantFigures {
            users: 1,
            mail_pending: 0,
            mail_failed: 0
        }
    );
    let mut effects = Effects::default();
    let mut m = mail(&new_id::<String>(&OsRandom), 3_000);
    m.tenant_id = Some(acme.id.clone());
    effects.mail.push(m);
    db.apply(&effects, UnixTime(3_000)).await.unwrap();
    assert_eq!(db.tenant_figures(&acme.id).await.unwrap().mail_pending, 1);
}
