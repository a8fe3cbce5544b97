//! Tenants: settings written only over the version read, slugs unique.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_core::tenants::TenantSlug;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    tenants_roundtrip_and_slugs_are_unique,
    a_tenant_change_from_an_older_read_is_refused,
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
