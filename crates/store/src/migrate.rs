//! Migrations: one ordered set per backend, applied each in its own
//! transaction and recorded with a checksum, so an edited migration is caught.
//! On PostgreSQL an advisory lock lets several nodes start at once.
//!
//! A SQLite migration that rebuilds a table other tables refer to (SQLite
//! cannot change a column's constraint in place) starts with the line
//! [`FOREIGN_KEYS_OFF`]: it runs with foreign keys off, as SQLite's procedure
//! for such changes asks, and is checked with `PRAGMA foreign_key_check`
//! before it commits.

use latchkey_core::platform::secret::sha256_hex;
use latchkey_core::store::StoreError;
use sqlx::pool::PoolConnection;
use sqlx::{Any, Connection, Executor};

use crate::db::{Backend, Db, col, db_err};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

macro_rules! migrations {
    ($dir:literal: $($version:literal $prefix:literal $name:literal),+ $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/", $dir, "/", $prefix, "_", $name, ".sql")),
        }),+]
    };
}

const SQLITE: &[Migration] = migrations!("sqlite": 1 "0001" "foundation", 2 "0002" "mail", 3 "0003" "totp", 4 "0004" "recovery_codes", 5 "0005" "outbox_claims", 6 "0006" "passkeys", 7 "0007" "recovery", 8 "0008" "password_resets", 9 "0009" "roles_and_requests", 10 "0010" "signing_keys", 11 "0011" "clients", 12 "0012" "password_reset_at", 13 "0013" "oidc", 14 "0014" "client_keys", 15 "0015" "operator_tokens", 16 "0016" "tenant_version", 17 "0017" "recovery_decoys", 18 "0018" "passkey_clones", 19 "0019" "italian", 20 "0020" "people", 21 "0021" "recovery_code_name", 22 "0022" "audit_log", 23 "0023" "admin_invitations", 24 "0024" "operator_console", 25 "0025" "readiness_reminders", 26 "0026" "tenant_setup", 27 "0027" "email_changes", 28 "0028" "pkce_for_every_client", 29 "0029" "person_invitations", 30 "0030" "tenant_time_zone", 31 "0031" "void_reset_links", 32 "0032" "sessions_by_tenant", 33 "0033" "grant_use_and_code_offers", 34 "0034" "client_scopes");
const POSTGRES: &[Migration] = migrations!("postgres": 1 "0001" "foundation", 2 "0002" "mail", 3 "0003" "totp", 4 "0004" "recovery_codes", 5 "0005" "outbox_claims", 6 "0006" "passkeys", 7 "0007" "recovery", 8 "0008" "password_resets", 9 "0009" "roles_and_requests", 10 "0010" "signing_keys", 11 "0011" "clients", 12 "0012" "password_reset_at", 13 "0013" "oidc", 14 "0014" "client_keys", 15 "0015" "operator_tokens", 16 "0016" "tenant_version", 17 "0017" "recovery_decoys", 18 "0018" "passkey_clones", 19 "0019" "italian", 20 "0020" "people", 21 "0021" "recovery_code_name", 22 "0022" "audit_log", 23 "0023" "admin_invitations", 24 "0024" "operator_console", 25 "0025" "readiness_reminders", 26 "0026" "tenant_setup", 27 "0027" "email_changes", 28 "0028" "pkce_for_every_client", 29 "0029" "person_invitations", 30 "0030" "tenant_time_zone", 31 "0031" "void_reset_links", 32 "0032" "sessions_by_tenant", 33 "0033" "grant_use_and_code_offers", 34 "0034" "client_scopes");

/// The first line of a SQLite migration that must run with foreign keys off.
///
/// SQLite ignores `PRAGMA foreign_keys` inside a transaction, and with them
/// on, dropping a table others refer to deletes its rows first, which
/// cascades (`ON DELETE CASCADE`) to every row that refers to them; renaming
/// it rewrites the others' `REFERENCES` to the new name (even with
/// `legacy_alter_table`). So such a migration rebuilds a table the way
/// <https://sqlite.org/lang_altertable.html#otheralter> describes, and the
/// runner switches foreign keys off before its transaction, checks them
/// (`PRAGMA foreign_key_check`) before committing, and switches them on
/// again.
pub const FOREIGN_KEYS_OFF: &str = "-- latchkey: foreign_keys=OFF";

const TABLE: &str = "CREATE TABLE IF NOT EXISTS latchkey_migrations (
    version    BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)";

/// An arbitrary constant naming latchkey's migration lock.
const PG_LOCK_KEY: i64 = 0x6c61_7463_686b;

fn set(backend: Backend) -> &'static [Migration] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

/// One hash over every migration of the backend (version, name and
/// checksum): changes whenever a migration is added or edited. Tests name
/// their migrated template database after it, so a stale one is never used.
pub(crate) fn fingerprint(backend: Backend) -> String {
    let mut all = String::new();
    for m in set(backend) {
        all.push_str(&format!(
            "{}:{}:{}\n",
            m.version,
            m.name,
            sha256_hex(m.sql.as_bytes())
        ));
    }
    sha256_hex(all.as_bytes())
}

pub fn known_versions(backend: Backend) -> Vec<i64> {
    set(backend).iter().map(|m| m.version).collect()
}

/// Every migration of the backend: its version and name.
pub fn known_migrations(backend: Backend) -> Vec<(i64, &'static str)> {
    set(backend).iter().map(|m| (m.version, m.name)).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub applied: Vec<i64>,
    pub pending: Vec<i64>,
}

impl MigrationStatus {
    pub fn is_current(&self) -> bool {
        self.pending.is_empty()
    }
}

/// Versions recorded as applied (empty for a fresh database). Read-only, so a
/// readiness probe works with a read-only database role.
pub async fn applied_versions(db: &Db) -> Result<Vec<i64>, StoreError> {
    let exists = match db.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'latchkey_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE tablename = 'latchkey_migrations' AND schemaname = current_schema()"
        }
    };
    let row = sqlx::query(exists)
        .fetch_one(&db.pool)
        .await
        .map_err(db_err)?;
    if col::<i64>(&row, "n")? == 0 {
        return Ok(vec![]);
    }
    let rows = sqlx::query("SELECT version FROM latchkey_migrations ORDER BY version")
        .fetch_all(&db.pool)
        .await
        .map_err(db_err)?;
    rows.iter().map(|r| col::<i64>(r, "version")).collect()
}

impl Db {
    pub async fn migration_status(&self) -> Result<MigrationStatus, StoreError> {
        let applied = applied_versions(self).await?;
        let pending = known_versions(self.backend())
            .into_iter()
            .filter(|v| !applied.contains(v))
            .collect();
        Ok(MigrationStatus { applied, pending })
    }

    /// Applies every pending migration; returns the versions it applied.
    pub async fn migrate(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        self.migrate_until(now, i64::MAX).await
    }

    /// Applies the pending migrations up to version `last` (tests of a
    /// migration fill the database as it was before it); returns the
    /// versions it applied.
    pub async fn migrate_until(&self, now: i64, last: i64) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        conn.execute(TABLE).await.map_err(db_err)?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await
                .map_err(db_err)?;
        }
        let result = self.apply_pending(&mut conn, now, last).await;
        if self.backend() == Backend::Postgres {
            // The lock also ends with the connection; unlocking is good manners.
            let _unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await;
        }
        result
    }

    async fn apply_pending(
        &self,
        conn: &mut PoolConnection<Any>,
        now: i64,
        last: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let mut applied_now = vec![];
        for migration in set(self.backend()).iter().filter(|m| m.version <= last) {
            if self.apply_one(conn, migration, now).await? {
                applied_now.push(migration.version);
            }
        }
        Ok(applied_now)
    }

    /// Applies `migration` unless it is recorded already, with foreign keys
    /// off if it asks for that ([`FOREIGN_KEYS_OFF`]); whether it applied it.
    async fn apply_one(
        &self,
        conn: &mut PoolConnection<Any>,
        migration: &Migration,
        now: i64,
    ) -> Result<bool, StoreError> {
        let keys_off =
            self.backend() == Backend::Sqlite && migration.sql.starts_with(FOREIGN_KEYS_OFF);
        if !keys_off {
            return self.apply(conn, migration, now, false).await;
        }
        // Whatever happens next, this connection does not go back to the
        // pool: none there may have foreign keys off.
        conn.close_on_drop();
        foreign_keys(conn, false).await?;
        let applied = self.apply(conn, migration, now, true).await;
        // On again for the migrations after this one.
        foreign_keys(conn, true).await?;
        applied
    }

    /// Applies `migration` unless it is recorded already (then checks its
    /// checksum); whether it applied it.
    async fn apply(
        &self,
        conn: &mut sqlx::AnyConnection,
        migration: &Migration,
        now: i64,
        check_foreign_keys: bool,
    ) -> Result<bool, StoreError> {
        let checksum = sha256_hex(migration.sql.as_bytes());
        let mut tx = match self.backend() {
            // IMMEDIATE takes the write lock up front, so two processes
            // migrating one file wait for each other instead of failing.
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => conn.begin().await,
        }
        .map_err(db_err)?;
        let recorded = sqlx::query("SELECT checksum FROM latchkey_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if let Some(row) = recorded {
            let stored: String = col(&row, "checksum")?;
            if stored != checksum {
                return Err(StoreError::Database(format!(
                    "migration {} ({}) was changed after it was applied; restore the original file",
                    migration.version, migration.name
                )));
            }
            return Ok(false);
        }
        sqlx::raw_sql(migration.sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                StoreError::Database(format!(
                    "migration {} ({}) failed: {e}",
                    migration.version, migration.name
                ))
            })?;
        if check_foreign_keys {
            let dangling = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
            if !dangling.is_empty() {
                return Err(StoreError::Database(format!(
                    "migration {} ({}) would leave rows referring to rows that do not exist ({} of them); nothing was changed",
                    migration.version,
                    migration.name,
                    dangling.len()
                )));
            }
        }
        sqlx::query(
            "INSERT INTO latchkey_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(migration.version)
        .bind(migration.name)
        .bind(&checksum)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied migration"
        );
        Ok(true)
    }
}

/// Switches SQLite's foreign keys on or off for `conn`, and makes sure they
/// are (the setting is silently ignored inside a transaction).
async fn foreign_keys(conn: &mut sqlx::AnyConnection, on: bool) -> Result<(), StoreError> {
    let set = if on {
        "PRAGMA foreign_keys = ON"
    } else {
        "PRAGMA foreign_keys = OFF"
    };
    conn.execute(set).await.map_err(db_err)?;
    let is: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    if (is == 1) != on {
        return Err(StoreError::Database(format!(
            "could not switch foreign keys {} for a migration",
            if on { "on" } else { "off" }
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDb, execute, scalar};

    /// A migration with foreign keys off that would leave rows referring to
    /// nothing is refused and changes nothing; foreign keys are on again.
    #[tokio::test]
    async fn foreign_keys_off_migrations_are_checked_before_they_commit() {
        let t = TestDb::new(Backend::Sqlite).await.unwrap();
        execute(
            &t.db,
            "INSERT INTO tenants (id, slug, display_name, onboarding, second_factor, created_at, updated_at)
             VALUES ('t1', 'acme', 'Acme', 'v2', 'optional', 1, 1);
             INSERT INTO users (id, tenant_id, username, username_key, email, email_key, display_name,
                 status, email_verified, security_stamp, created_at, updated_at)
             VALUES ('u1', 't1', 'a', 'a', 'a@example.com', 'a@example.com', 'A', 'active', 1, 's', 1, 1)",
        )
        .await
        .unwrap();
        let cutting = Migration {
            version: 10_000,
            name: "cuts_users_loose",
            sql: "-- latchkey: foreign_keys=OFF\nDELETE FROM tenants;",
        };
        let mut conn = t.db.pool.acquire().await.unwrap();
        let refused = t.db.apply_one(&mut conn, &cutting, 1).await.unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("would leave rows referring to rows that do not exist (1 of them)"),
            "{refused}"
        );
        let keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(keys, 1);
        drop(conn);
        assert_eq!(
            scalar(&t.db, "SELECT COUNT(*) FROM tenants").await.unwrap(),
            1
        );
        assert_eq!(
            scalar(
                &t.db,
                "SELECT COUNT(*) FROM latchkey_migrations WHERE version = 10000"
            )
            .await
            .unwrap(),
            0
        );

        // Without the first line, the same deletion cascades as usual.
        let cascading = Migration {
            sql: "DELETE FROM tenants;",
            ..cutting
        };
        let mut conn = t.db.pool.acquire().await.unwrap();
        assert!(t.db.apply_one(&mut conn, &cascading, 1).await.unwrap());
        drop(conn);
        assert_eq!(
            scalar(&t.db, "SELECT COUNT(*) FROM users").await.unwrap(),
            0
        );
    }
}
