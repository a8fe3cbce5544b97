//! The migrations themselves, run for real on an empty database (every other
//! test starts from a copy of a migrated template), and the copies.

use latchkey_core::store::TenantStore;
use latchkey_store::testing::TestDb;
use latchkey_store::{Backend, known_versions};

use crate::fixtures::tenant;

latchkey_store::on_both_backends!(
    migrations_are_idempotent,
    each_test_gets_a_migrated_copy_of_its_own,
);

async fn migrations_are_idempotent(backend: Backend) {
    let t = TestDb::empty(backend).await.unwrap();
    assert!(t.db.migration_status().await.unwrap().applied.is_empty());
    assert_eq!(
        t.db.migrate(5).await.unwrap(),
        known_versions(backend),
        "every migration runs on an empty database"
    );
    let status = t.db.migration_status().await.unwrap();
    assert!(status.is_current());
    assert_eq!(t.db.migrate(5).await.unwrap(), Vec::<i64>::new());
    assert_eq!(status.applied, known_versions(t.db.backend()));
}

async fn each_test_gets_a_migrated_copy_of_its_own(backend: Backend) {
    let (one, two) = (
        TestDb::new(backend).await.unwrap(),
        TestDb::new(backend).await.unwrap(),
    );
    for t in [&one, &two] {
        let status = t.db.migration_status().await.unwrap();
        assert_eq!(status.applied, known_versions(backend));
        assert_eq!(t.db.migrate(5).await.unwrap(), Vec::<i64>::new());
    }
    let acme = tenant("acme");
    one.db.insert_tenant(&acme).await.unwrap();
    assert_eq!(one.db.list_tenants().await.unwrap(), vec![acme]);
    assert!(two.db.list_tenants().await.unwrap().is_empty());
}
