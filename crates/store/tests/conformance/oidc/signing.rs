//! The tenants' signing keys: newest first, a rotation retires the current
//! ones and adds the new ones at once.

use latchkey_core::oidc::signing::Alg;
use latchkey_core::oidc::signing::SigningKey;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::*;
use latchkey_core::tenants::Tenant;
use latchkey_store::testing::TestDb;

use crate::fixtures::*;

latchkey_store::on_both_backends!(
    db:
    signing_keys_are_per_tenant_newest_first,
    a_rotation_retires_the_current_keys_all_or_nothing,
);

fn key(tenant: &Tenant, kid: &str, alg: &str, at: i64) -> SigningKey {
    let alg = Alg::parse(alg).unwrap();
    SigningKey {
        kid: kid.into(),
        tenant_id: tenant.id.clone(),
        alg,
        public_jwk: format!("{{\"kid\":\"{kid}\"}}"),
        private_sealed: format!("v1.sealed-{kid}"),
        created_at: UnixTime(at),
        retired_at: None,
    }
}

fn retired(key: SigningKey, at: i64) -> SigningKey {
    SigningKey {
        retired_at: Some(UnixTime(at)),
        ..key
    }
}

async fn signing_keys_are_per_tenant_newest_first(t: &TestDb) {
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    assert!(db.signing_keys(&acme.id).await.unwrap().is_empty());
    let (es, rs, other) = (
        key(&acme, "k-es", "ES256", 10),
        key(&acme, "k-rs", "RS256", 20),
        key(&beta, "k-beta", "ES256", 15),
    );
    for k in [&es, &rs, &other] {
        db.add_signing_key(k).await.unwrap();
    }
    assert_eq!(db.signing_keys(&acme.id).await.unwrap(), [rs, es.clone()]);
    assert_eq!(db.signing_keys(&beta.id).await.unwrap(), [other]);
    let err = db
        .add_signing_key(&key(&acme, "k-es", "RS256", 30))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(db.signing_keys(&acme.id).await.unwrap()[1], es);
}

async fn a_rotation_retires_the_current_keys_all_or_nothing(t: &TestDb) {
    let db = &t.db;
    let (acme, _) = setup(db).await;
    let beta = tenant("beta");
    db.insert_tenant(&beta).await.unwrap();
    let (k1, k2, kb) = (
        key(&acme, "k1", "ES256", 10),
        key(&acme, "k2", "RS256", 20),
        key(&beta, "kb", "ES256", 15),
    );
    for k in [&k1, &k2, &kb] {
        db.add_signing_key(k).await.unwrap();
    }
    let (k3, k4) = (key(&acme, "k3", "ES256", 30), key(&acme, "k4", "RS256", 31));
    db.rotate_signing_keys(&acme.id, &[k3.clone(), k4.clone()], UnixTime(30))
        .await
        .unwrap();
    assert_eq!(
        db.signing_keys(&acme.id).await.unwrap(),
        [
            k4.clone(),
            k3.clone(),
            retired(k2.clone(), 30),
            retired(k1.clone(), 30)
        ]
    );
    assert_eq!(
        db.signing_keys(&beta.id).await.unwrap(),
        std::slice::from_ref(&kb),
        "another tenant's keys stay"
    );

    // The next rotation retires k3 and k4; k1 and k2 keep their time.
    let k5 = key(&acme, "k5", "ES256", 40);
    db.rotate_signing_keys(&acme.id, std::slice::from_ref(&k5), UnixTime(40))
        .await
        .unwrap();
    let after = vec![
        k5.clone(),
        retired(k4, 40),
        retired(k3, 40),
        retired(k2, 30),
        retired(k1.clone(), 30),
    ];
    assert_eq!(db.signing_keys(&acme.id).await.unwrap(), after);

    // A rotation that fails half-way (a kid that exists) changes nothing.
    let err = db
        .rotate_signing_keys(
            &acme.id,
            &[key(&acme, "k6", "ES256", 50), key(&acme, "k1", "RS256", 50)],
            UnixTime(50),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unique(_)), "{err:?}");
    assert_eq!(db.signing_keys(&acme.id).await.unwrap(), after);
    assert_eq!(db.signing_keys(&beta.id).await.unwrap(), [kb]);
}
