//! A tenant administrator asks for self-recovery; the operator decides:
//! one pending request per tenant, decided once, an approval switches
//! self-recovery on in the same transaction.

use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::activation::{ActivationRequest, RequestStatus};
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    one_pending_request_per_tenant_listed_oldest_first,
    a_request_is_decided_once_and_an_approval_switches_self_recovery_on,
);

fn request(tenant: &Tenant, id: &str, at: i64) -> ActivationRequest {
    ActivationRequest {
        id: id.into(),
        tenant_id: tenant.id.clone(),
        requested_by: Actor::User("admin".into()),
        note: Some(format!("please, {id}")),
        status: RequestStatus::Pending,
        decided_by: None,
        decision_reason: None,
        created_at: UnixTime(at),
        decided_at: None,
    }
}

fn decided(r: &ActivationRequest, status: RequestStatus, at: i64) -> ActivationRequest {
    ActivationRequest {
        status,
        decided_by: Some(Actor::Operator),
        decision_reason: Some(format!("{status:?}")),
        decided_at: Some(UnixTime(at)),
        ..r.clone()
    }
}

async fn one_pending_request_per_tenant_listed_oldest_first(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    assert_eq!(db.pending_activation_request(&acme.id).await.unwrap(), None);
    assert_eq!(db.latest_activation_request(&acme.id).await.unwrap(), None);
    assert!(db.pending_activation_requests().await.unwrap().is_empty());

    let asked = |at| Effects::audit(event_of(&alice, "recovery.activation_requested", at));
    let first = request(&acme, "r1", 20);
    db.insert_activation_request(&first, &asked(20), UnixTime(20))
        .await
        .unwrap();
    assert_eq!(
        db.pending_activation_request(&acme.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        db.latest_activation_request(&acme.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        events(db, &acme.id).await,
        ["recovery.activation_requested"]
    );

    // A second pending one of the same tenant is refused, effects and all.
    let err = db
        .insert_activation_request(&request(&acme, "r2", 30), &asked(30), UnixTime(30))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(
        events(db, &acme.id).await,
        ["recovery.activation_requested"]
    );
    assert_eq!(
        db.latest_activation_request(&acme.id).await.unwrap(),
        Some(first.clone())
    );

    // Other tenants have their own; the operator sees all, oldest first.
    let other = request(&beta, "r3", 10);
    db.insert_activation_request(&other, &Effects::default(), UnixTime(10))
        .await
        .unwrap();
    assert_eq!(
        db.pending_activation_requests().await.unwrap(),
        vec![other.clone(), first.clone()]
    );
    assert_eq!(
        db.pending_activation_request(&beta.id).await.unwrap(),
        Some(other)
    );
    assert_eq!(
        db.pending_activation_request(&acme.id).await.unwrap(),
        Some(first)
    );
}

async fn a_request_is_decided_once_and_an_approval_switches_self_recovery_on(t: &TestDb) {
    let db = &t.db;
    let (acme, alice) = setup(db).await;
    assert!(!acme.self_recovery);
    let first = request(&acme, "r1", 20);
    db.insert_activation_request(&first, &Effects::default(), UnixTime(20))
        .await
        .unwrap();
    let decision = |at| Effects::audit(event_of(&alice, "recovery.activation_decided", at));

    // Declined: the request is closed, the tenant stays as it was.
    let declined = decided(&first, RequestStatus::Declined, 30);
    assert!(
        db.decide_activation_request(&declined, &decision(30), UnixTime(30))
            .await
            .unwrap()
    );
    assert_eq!(db.pending_activation_request(&acme.id).await.unwrap(), None);
    assert_eq!(
        db.latest_activation_request(&acme.id).await.unwrap(),
        Some(declined.clone())
    );
    assert!(db.pending_activation_requests().await.unwrap().is_empty());
    assert_eq!(
        db.tenant_by_slug(&acme.slug).await.unwrap(),
        Some(acme.clone())
    );
    assert_eq!(events(db, &acme.id).await, ["recovery.activation_decided"]);

    // Decided already: a second decision changes nothing.
    let late = decided(&first, RequestStatus::Approved, 40);
    assert!(
        !db.decide_activation_request(&late, &decision(40), UnixTime(40))
            .await
            .unwrap()
    );
    assert_eq!(
        db.latest_activation_request(&acme.id).await.unwrap(),
        Some(declined)
    );
    assert_eq!(
        db.tenant_by_slug(&acme.slug).await.unwrap(),
        Some(acme.clone())
    );
    assert_eq!(events(db, &acme.id).await, ["recovery.activation_decided"]);

    // Asked again (possible now), and approved: self-recovery is on, and the
    // tenant's version moves on (a settings change read before is refused).
    let second = request(&acme, "r2", 50);
    db.insert_activation_request(&second, &Effects::default(), UnixTime(50))
        .await
        .unwrap();
    assert_eq!(
        db.latest_activation_request(&acme.id).await.unwrap(),
        Some(second.clone())
    );
    let approved = decided(&second, RequestStatus::Approved, 60);
    assert!(
        db.decide_activation_request(&approved, &decision(60), UnixTime(60))
            .await
            .unwrap()
    );
    let now = db.tenant_by_slug(&acme.slug).await.unwrap().unwrap();
    assert!(now.self_recovery);
    assert_eq!(now.version, acme.version + 1);
    assert!(
        !db.update_tenant(&acme, &[], &Effects::default(), UnixTime(70))
            .await
            .unwrap()
    );
    assert_eq!(
        db.latest_activation_request(&acme.id).await.unwrap(),
        Some(approved)
    );

    // An approval whose effects fail switches nothing on.
    let (beta, bob) = {
        let beta = tenant("beta");
        db.insert_tenant(&beta).await.unwrap();
        let bob = add_user(db, &beta, "bob").await;
        (beta, bob)
    };
    let third = request(&beta, "r3", 80);
    db.insert_activation_request(&third, &Effects::default(), UnixTime(80))
        .await
        .unwrap();
    let failing = failing_effects(db, &bob).await;
    assert!(
        db.decide_activation_request(
            &decided(&third, RequestStatus::Approved, 90),
            &failing,
            UnixTime(90)
        )
        .await
        .is_err()
    );
    assert_eq!(
        db.tenant_by_slug(&beta.slug).await.unwrap(),
        Some(beta.clone())
    );
    assert_eq!(
        db.pending_activation_request(&beta.id).await.unwrap(),
        Some(third)
    );
}
