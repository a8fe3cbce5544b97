//! The migrations themselves, run for real on an empty database (every other
//! test starts from a copy of a migrated template), and the copies.

use latchkey_core::accounts::user::User;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::lang::Language;
use latchkey_core::store::{Effects, TenantStore, UserStore};
use latchkey_core::tenants::TenantSlug;
use latchkey_store::testing::{self, TestDb};
use latchkey_store::{Backend, known_migrations, known_versions};

use crate::fixtures::{tenant, user};

latchkey_store::on_both_backends!(
    migrations_are_idempotent,
    each_test_gets_a_migrated_copy_of_its_own,
    italian_keeps_every_row_and_is_accepted,
    every_language_can_be_stored,
    confidential_clients_from_before_may_still_leave_out_pkce,
    tenants_that_exist_are_set_up_or_wait_for_the_upgrade,
    applications_from_before_keep_the_scopes_they_could_have,
);

/// Migration 0034 (scopes per application, decision 0032): applications
/// registered before may have what every application could have until
/// then — openid profile email offline_access, and a first-party one
/// latchkey:admin as well — so an upgrade stops none of them.
async fn applications_from_before_keep_the_scopes_they_could_have(backend: Backend) {
    use latchkey_core::oidc::Scope;
    use latchkey_core::platform::ids::ClientId;
    use latchkey_core::store::ClientStore;
    let t = TestDb::empty(backend).await.unwrap();
    let (scopes, _) = known_migrations(backend)
        .into_iter()
        .find(|(_, name)| *name == "client_scopes")
        .unwrap();
    t.db.migrate_until(5, scopes - 1).await.unwrap();
    let org = tenant("acme");
    t.db.insert_tenant(&org).await.unwrap();
    let sql = format!(
        "INSERT INTO oauth_clients (id, tenant_id, client_id, name, secret_hash, redirect_uris,
             post_logout_uris, grant_types, first_party, access_token_secs, refresh_token_secs,
             created_at, jwks, token_alg, pkce_optional)
         VALUES ('c1', '{0}', 'own-app', 'A', 'hash', '[]', '[]', '[]', TRUE, 600, 86400, 1, NULL, 'ES256', FALSE),
                ('c2', '{0}', 'other-app', 'B', NULL, '[]', '[]', '[]', FALSE, 600, 86400, 1, NULL, 'ES256', FALSE)",
        org.id
    );
    testing::execute(&t.db, &sql).await.unwrap();
    assert_eq!(t.db.migrate_until(6, scopes).await.unwrap(), [scopes]);
    t.db.migrate(7).await.unwrap();
    let scopes_of = async |client_id: &str| {
        t.db.client_for_change(&org.id, &ClientId::new(client_id))
            .await
            .unwrap()
            .unwrap()
            .scopes
    };
    let default = [
        Scope::OpenId,
        Scope::Profile,
        Scope::Email,
        Scope::OfflineAccess,
    ];
    assert_eq!(scopes_of("other-app").await, default);
    let mut own = default.to_vec();
    own.push(Scope::Admin);
    assert_eq!(scopes_of("own-app").await, own);
}

/// Migration 0026: tenants from before the set-up wizard are set up (v2)
/// or wait behind the upgrade banner (v1); all keep password sign-in.
async fn tenants_that_exist_are_set_up_or_wait_for_the_upgrade(backend: Backend) {
    use latchkey_core::tenants::setup::SetupStep;
    let t = TestDb::empty(backend).await.unwrap();
    let (wizard, _) = known_migrations(backend)
        .into_iter()
        .find(|(_, name)| *name == "tenant_setup")
        .unwrap();
    t.db.migrate_until(5, wizard - 1).await.unwrap();
    testing::execute(
        &t.db,
        "INSERT INTO tenants (id, slug, display_name, onboarding, second_factor, self_recovery, default_language, created_at, updated_at)
         VALUES ('t1', 'newer', 'Newer', 'v2', 'optional', FALSE, 'en', 1, 1),
                ('t2', 'older', 'Older', 'v1', 'optional', FALSE, 'en', 1, 1)",
    )
    .await
    .unwrap();
    assert_eq!(t.db.migrate_until(6, wizard).await.unwrap(), [wizard]);
    // the later ones, which the tenant row of today needs
    t.db.migrate(7).await.unwrap();
    let newer =
        t.db.tenant_by_slug(&TenantSlug::parse("newer").unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(newer.setup.step, SetupStep::Done);
    assert!(newer.password_signin);
    let older =
        t.db.tenant_by_slug(&TenantSlug::parse("older").unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(older.setup.step, SetupStep::Organisation);
    assert!(older.setup.postponed && older.password_signin);
}

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

/// A database as migration 18 left it, with rows in every table: two
/// tenants, three people (German, none and French), and for them sessions,
/// every kind of factor, known devices, recovery cases (one a decoy), mail
/// links, applications and their codes, grants and consents, mails, audit
/// events. Plain SQL, so it fits the schema before the Italian migration
/// whatever the store's code writes later. Booleans are TRUE and FALSE: 1
/// and 0 in SQLite's INTEGER columns, BOOLEAN in PostgreSQL's.
const FILLED_BEFORE_ITALIAN: &str = "
INSERT INTO tenants (id, slug, display_name, onboarding, second_factor, self_recovery,
    created_at, updated_at, default_language, passwordless, helpdesk_text, helpdesk_url,
    recovery_excludes_admins, version)
VALUES ('t1', 'acme', 'Acme', 'v2', 'optional', TRUE, 1, 2, 'fr', TRUE, 'Call us', 'https://help.example', FALSE, 3),
       ('t2', 'globex', 'Globex', 'v1', 'required', FALSE, 4, 5, 'de', FALSE, NULL, NULL, TRUE, 0);
INSERT INTO users (id, tenant_id, username, username_key, email, email_key, display_name, status,
    email_verified, password_hash, security_stamp, created_at, updated_at, language, role,
    password_reset_at)
VALUES ('u1', 't1', 'alice', 'alice', 'alice@example.com', 'alice@example.com', 'Alice', 'active',
        TRUE, '$argon2id$a', 'stamp-a', 10, 11, 'de', 'admin', NULL),
       ('u2', 't1', 'Bob', 'bob', 'bob@example.com', 'bob@example.com', 'Bob', 'disabled',
        FALSE, NULL, 'stamp-b', 12, 13, NULL, 'member', 14),
       ('u3', 't2', 'chloé', 'chloé', 'chloe@example.fr', 'chloe@example.fr', 'Chloé', 'active',
        TRUE, '$argon2id$c', 'stamp-c', 15, 16, 'fr', 'member', NULL);
INSERT INTO sessions (id_hash, tenant_id, user_id, created_at, last_seen_at, expires_at, auth_time,
    methods, security_stamp)
VALUES ('s1', 't1', 'u1', 20, 21, 9000, 20, 'pwd otp', 'stamp-a'),
       ('s2', 't1', 'u1', 22, 23, 9000, 22, 'pwd', 'stamp-a'),
       ('s3', 't2', 'u3', 24, 25, 9000, 24, 'hwk', 'stamp-c');
INSERT INTO totp_credentials (id, tenant_id, user_id, secret_sealed, created_at)
VALUES ('totp1', 't1', 'u1', 'v1.sealed', 30), ('totp3', 't2', 'u3', 'v1.sealed', 31);
INSERT INTO passkeys (id, tenant_id, user_id, name, credential_id, passkey, backup_eligible, created_at)
VALUES ('pk1', 't1', 'u1', 'Blue key', 'cred-1', '{}', FALSE, 32),
       ('pk2', 't1', 'u2', 'Laptop', 'cred-2', '{}', TRUE, 33);
INSERT INTO passkey_ceremonies (id_hash, tenant_id, user_id, kind, state_sealed, expires_at)
VALUES ('cer1', 't1', 'u1', 'register', 'v1.state', 9000);
INSERT INTO recovery_codes (id, tenant_id, user_id, code_hash, created_at)
VALUES ('rc1', 't1', 'u1', 'h1', 34), ('rc2', 't1', 'u1', 'h2', 34), ('rc3', 't2', 'u3', 'h3', 35);
INSERT INTO factor_history (id, tenant_id, user_id, kind, name, enrolled_at, removed_at, removed_by)
VALUES ('fh1', 't1', 'u1', 'totp', 'app', 5, 36, 'recovery:case-1');
INSERT INTO known_devices (id_hash, tenant_id, user_id, created_at, last_seen_at)
VALUES ('dev1', 't1', 'u1', 37, 38), ('dev3', 't2', 'u3', 37, 38);
INSERT INTO email_verifications (id, tenant_id, user_id, email_key, token_hash, created_at, expires_at)
VALUES ('ev1', 't1', 'u2', 'bob@example.com', 'token-1', 39, 9000);
INSERT INTO password_resets (id, tenant_id, user_id, token_hash, email_key, created_at, expires_at)
VALUES ('pr1', 't1', 'u1', 'token-2', 'alice@example.com', 40, 9000);
INSERT INTO recovery_cases (id, tenant_id, user_id, state, is_open, proof_email_code, proof_password,
    proof_recovery_code, known_device, wrong_codes, browser_hash, started_at, expires_at,
    updated_at, version)
VALUES ('case-1', 't1', 'u1', 'completed', FALSE, TRUE, TRUE, FALSE, FALSE, 0, 'browser-1', 41, 9000, 42, 3),
       ('case-2', 't1', 'u1', 'waiting', TRUE, TRUE, TRUE, FALSE, FALSE, 1, 'browser-2', 43, 9000, 44, 2),
       ('case-3', 't1', NULL, 'started', TRUE, FALSE, FALSE, FALSE, FALSE, 0, 'browser-3', 45, 9000, 45, 1);
INSERT INTO recovery_requests (id, tenant_id, requested_by, status, created_at)
VALUES ('req1', 't1', 'u1', 'pending', 46);
INSERT INTO oauth_clients (id, tenant_id, client_id, name, redirect_uris, post_logout_uris, grant_types,
    first_party, access_token_secs, refresh_token_secs, created_at)
VALUES ('cl1', 't1', 'app-1', 'App', '[\"https://app.example/cb\"]', '[]', '[\"authorization_code\"]',
        FALSE, 600, 86400, 47);
INSERT INTO oauth_codes (code_hash, tenant_id, client_id, user_id, session_hash, redirect_uri, scope,
    auth_time, amr, created_at, expires_at)
VALUES ('code1', 't1', 'cl1', 'u1', 's1', 'https://app.example/cb', 'openid', 20, '[\"pwd\"]', 48, 9000);
INSERT INTO oauth_grants (id, tenant_id, client_id, user_id, scope, amr, auth_time, created_at, expires_at)
VALUES ('gr1', 't1', 'cl1', 'u1', 'openid', '[\"pwd\"]', 20, 49, 9000);
INSERT INTO oauth_consents (tenant_id, user_id, client_id, scope, granted_at)
VALUES ('t1', 'u1', 'cl1', 'openid', 50);
INSERT INTO oauth_assertions (jti_hash, client_id, expires_at) VALUES ('jti1', 'cl1', 9000);
INSERT INTO signing_keys (kid, tenant_id, alg, public_jwk, private_sealed, created_at)
VALUES ('kid1', 't1', 'ES256', '{}', 'v1.sealed', 51);
INSERT INTO outbox (id, tenant_id, recipient, language, kind, params, status, next_attempt_at, created_at)
VALUES ('m1', 't1', 'alice@example.com', 'de', 'verify_email', '{}', 'sent', 52, 52);
INSERT INTO outbox_attempts (message_id, attempt, at, outcome) VALUES ('m1', 1, 53, 'sent');
INSERT INTO operator_tokens (id, name, token_hash, created_at) VALUES ('op1', 'ci', 'op-hash', 54);
INSERT INTO rate_limits (key, window_start, count) VALUES ('signin:alice', 55, 2);
INSERT INTO audit_events (id, tenant_id, user_id, actor, event, detail, at)
VALUES ('a1', 't1', 'u1', 'user:u1', 'signin.succeeded', '{}', 56);
";

/// Every column of every tenant and person, as text.
async fn tenants_and_people(db: &latchkey_store::Db) -> Vec<String> {
    let mut rows = vec![];
    for (table, columns) in [
        (
            "tenants",
            "id, slug, display_name, onboarding, second_factor, self_recovery, created_at, \
             updated_at, default_language, passwordless, recovery_waiting_secs, \
             recovery_known_device_secs, helpdesk_text, helpdesk_url, recovery_excludes_admins, \
             version",
        ),
        (
            "users",
            "id, tenant_id, username, username_key, email, email_key, display_name, status, \
             email_verified, password_hash, security_stamp, created_at, updated_at, language, \
             role, password_reset_at",
        ),
    ] {
        let text = columns
            .split(',')
            .map(|c| format!("coalesce(CAST({} AS TEXT), '-')", c.trim()))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let sql = format!("SELECT {text} FROM {table} ORDER BY id");
        rows.extend(testing::texts(db, &sql).await.unwrap());
    }
    rows
}

/// Migration 19 (SQLite rebuilds tenants and users to allow 'it'; PostgreSQL
/// swaps the two CHECK constraints) on a database full of rows that refer
/// to them: none is lost or cut loose, the schema keeps its shape, the
/// references still work (a deleted person's sessions go, their cases
/// become decoys), and Italian is accepted where it was refused.
async fn italian_keeps_every_row_and_is_accepted(backend: Backend) {
    let t = TestDb::empty(backend).await.unwrap();
    let (italian, _) = known_migrations(backend)
        .into_iter()
        .find(|(_, name)| *name == "italian")
        .unwrap();
    t.db.migrate_until(5, italian - 1).await.unwrap();
    testing::execute(&t.db, FILLED_BEFORE_ITALIAN)
        .await
        .unwrap();
    let refuses = |sql: &'static str| {
        let db = t.db.clone();
        async move { testing::execute(&db, sql).await.is_err() }
    };
    assert!(refuses("UPDATE users SET language = 'it' WHERE id = 'u2'").await);
    assert!(refuses("UPDATE tenants SET default_language = 'it' WHERE id = 't2'").await);

    let counts = testing::row_counts(&t.db).await.unwrap();
    let keys = testing::foreign_keys(&t.db).await.unwrap();
    // The rows cover every table, and every reference to a tenant or a person.
    for table in testing::tables(&t.db).await.unwrap() {
        assert!(counts[&table] > 0, "{table} is empty: {counts:#?}");
    }
    let to_people: Vec<_> = keys
        .iter()
        .filter(|k| k.parent == "users" || k.parent == "tenants")
        .collect();
    assert!(to_people.len() >= 25, "{to_people:#?}");
    for key in &to_people {
        let name = format!("{}.{}", key.table, key.column);
        assert!(counts[&name] > 0, "no row refers by {name}");
    }
    let shape = testing::schema_shape(&t.db).await.unwrap();
    // The shape names the unique index on (tenant_id, username_key) and the
    // reference from sessions to users.
    assert!(
        shape
            .iter()
            .any(|l| l.starts_with("index ") && l.contains("users") && l.contains("username_key")),
        "{shape:#?}"
    );
    assert!(
        shape
            .iter()
            .any(|l| l.contains("sessions") && l.contains("user_id") && l.contains("users")),
        "{shape:#?}"
    );
    let people = tenants_and_people(&t.db).await;

    assert_eq!(t.db.migrate_until(6, italian).await.unwrap(), [italian]);

    assert_eq!(testing::row_counts(&t.db).await.unwrap(), counts);
    assert_eq!(tenants_and_people(&t.db).await, people);
    assert_eq!(testing::foreign_keys(&t.db).await.unwrap(), keys);
    assert_eq!(testing::schema_shape(&t.db).await.unwrap(), shape);
    assert_eq!(
        testing::foreign_key_problems(&t.db).await.unwrap(),
        Vec::<String>::new()
    );
    if backend == Backend::Sqlite {
        for _ in 0..10 {
            assert_eq!(
                testing::scalar(&t.db, "PRAGMA foreign_keys").await.unwrap(),
                1,
                "no connection of the pool has foreign keys off"
            );
        }
        assert_eq!(
            testing::texts(&t.db, "PRAGMA integrity_check")
                .await
                .unwrap(),
            ["ok"]
        );
    }

    // Italian now, and still nothing else.
    t.db.migrate(7).await.unwrap();
    assert_eq!(
        testing::row_counts(&t.db).await.unwrap()["password_resets"],
        1,
        "kept through the rebuild of 0031"
    );
    testing::execute(
        &t.db,
        "UPDATE users SET language = 'it' WHERE id = 'u2'; \
         UPDATE tenants SET default_language = 'it' WHERE id = 't2'",
    )
    .await
    .unwrap();
    assert!(refuses("UPDATE users SET language = 'es' WHERE id = 'u2'").await);
    assert!(refuses("UPDATE tenants SET default_language = 'es' WHERE id = 't2'").await);
    assert!(
        refuses("INSERT INTO sessions (id_hash, tenant_id, user_id, created_at, last_seen_at, expires_at, auth_time, methods, security_stamp) VALUES ('s9', 't1', 'nobody', 1, 1, 1, 1, 'pwd', 'x')").await,
        "a session of nobody is refused: foreign keys are on"
    );
    let bob =
        t.db.user_by_id(&"t1".into(), &"u2".into())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(bob.language, Some(Language::It));
    let globex =
        t.db.tenant_by_slug(&TenantSlug::parse("globex").unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(globex.default_language, Language::It);

    // The other tables refer to the new tables: deleting Alice deletes her
    // sessions and factors, and makes her cases decoys.
    testing::execute(&t.db, "DELETE FROM users WHERE id = 'u1'")
        .await
        .unwrap();
    let after = testing::row_counts(&t.db).await.unwrap();
    assert_eq!(after["sessions"], 1, "{after:#?}");
    assert_eq!(after["totp_credentials"], 1);
    assert_eq!(after["recovery_codes"], 1);
    assert_eq!(after["recovery_cases"], 3);
    assert_eq!(after["recovery_cases.user_id"], 0);
    assert_eq!(
        testing::foreign_key_problems(&t.db).await.unwrap(),
        Vec::<String>::new()
    );
}

/// Every language latchkey speaks is one a person and a tenant can choose.
async fn every_language_can_be_stored(backend: Backend) {
    let t = TestDb::new(backend).await.unwrap();
    for language in Language::ALL {
        let mut org = tenant(&format!("org-{language}"));
        org.default_language = *language;
        t.db.insert_tenant(&org).await.unwrap();
        let stored = t.db.tenant_by_slug(&org.slug).await.unwrap().unwrap();
        assert_eq!(stored.default_language, *language);
        let person = User {
            language: Some(*language),
            ..user(&org, "ana", "ana@example.com")
        };
        t.db.insert_user(&person, &Effects::default(), UnixTime(1_000))
            .await
            .unwrap();
        let stored = t.db.user_by_id(&org.id, &person.id).await.unwrap().unwrap();
        assert_eq!(stored.language, Some(*language), "{language}");
    }
}

/// Migration 28 (PKCE for every client, decision 0020): applications
/// registered before keep working — confidential ones are marked legacy
/// (they may leave out PKCE), public ones always sent it.
async fn confidential_clients_from_before_may_still_leave_out_pkce(backend: Backend) {
    let t = TestDb::empty(backend).await.unwrap();
    let (pkce, _) = known_migrations(backend)
        .into_iter()
        .find(|(_, name)| *name == "pkce_for_every_client")
        .unwrap();
    t.db.migrate_until(5, pkce - 1).await.unwrap();
    let org = tenant("acme");
    // the tenant row of that time (today's has columns added later)
    testing::execute(
        &t.db,
        &format!(
            "INSERT INTO tenants (id, slug, display_name, onboarding, second_factor, self_recovery, default_language, created_at, updated_at)
             VALUES ('{}', 'acme', 'Acme', 'v2', 'optional', FALSE, 'en', 1, 1)",
            org.id
        ),
    )
    .await
    .unwrap();
    let sql = format!(
        "INSERT INTO oauth_clients (id, tenant_id, client_id, name, secret_hash, redirect_uris,
             post_logout_uris, grant_types, first_party, access_token_secs, refresh_token_secs,
             created_at, jwks, token_alg)
         VALUES ('c1', '{0}', 'secret-app', 'A', 'hash', '[]', '[]', '[]', FALSE, 600, 86400, 1, NULL, 'ES256'),
                ('c2', '{0}', 'keys-app', 'B', NULL, '[]', '[]', '[]', FALSE, 600, 86400, 1, '{{}}', 'ES256'),
                ('c3', '{0}', 'public-app', 'C', NULL, '[]', '[]', '[]', FALSE, 600, 86400, 1, NULL, 'ES256')",
        org.id
    );
    testing::execute(&t.db, &sql).await.unwrap();
    assert_eq!(t.db.migrate_until(6, pkce).await.unwrap(), [pkce]);
    let legacy = testing::texts(
        &t.db,
        "SELECT client_id FROM oauth_clients WHERE pkce_optional = TRUE ORDER BY client_id",
    )
    .await
    .unwrap();
    assert_eq!(legacy, ["keys-app", "secret-app"]);
}
