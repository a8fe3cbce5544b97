//! Migrations: one ordered set per backend, applied each in its own
//! transaction and recorded with a checksum, so an edited migration is caught.
//! On PostgreSQL an advisory lock lets several nodes start at once.

use latchkey_core::platform::secret::sha256_hex;
use latchkey_core::store::StoreError;
use sqlx::{Connection, Executor};

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

const SQLITE: &[Migration] = migrations!("sqlite": 1 "0001" "foundation", 2 "0002" "mail", 3 "0003" "totp", 4 "0004" "recovery_codes", 5 "0005" "outbox_claims", 6 "0006" "passkeys", 7 "0007" "recovery", 8 "0008" "password_resets", 9 "0009" "roles_and_requests", 10 "0010" "signing_keys", 11 "0011" "clients", 12 "0012" "password_reset_at", 13 "0013" "oidc", 14 "0014" "client_keys", 15 "0015" "operator_tokens", 16 "0016" "tenant_version", 17 "0017" "recovery_decoys", 18 "0018" "passkey_clones");
const POSTGRES: &[Migration] = migrations!("postgres": 1 "0001" "foundation", 2 "0002" "mail", 3 "0003" "totp", 4 "0004" "recovery_codes", 5 "0005" "outbox_claims", 6 "0006" "passkeys", 7 "0007" "recovery", 8 "0008" "password_resets", 9 "0009" "roles_and_requests", 10 "0010" "signing_keys", 11 "0011" "clients", 12 "0012" "password_reset_at", 13 "0013" "oidc", 14 "0014" "client_keys", 15 "0015" "operator_tokens", 16 "0016" "tenant_version", 17 "0017" "recovery_decoys", 18 "0018" "passkey_clones");

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
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        conn.execute(TABLE).await.map_err(db_err)?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await
                .map_err(db_err)?;
        }
        let result = self.apply_pending(&mut conn, now).await;
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
        conn: &mut sqlx::AnyConnection,
        now: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let mut applied_now = vec![];
        for migration in set(self.backend()) {
            let checksum = sha256_hex(migration.sql.as_bytes());
            let mut tx = match self.backend() {
                // IMMEDIATE takes the write lock up front, so two processes
                // migrating one file wait for each other instead of failing.
                Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
                Backend::Postgres => conn.begin().await,
            }
            .map_err(db_err)?;
            let recorded =
                sqlx::query("SELECT checksum FROM latchkey_migrations WHERE version = $1")
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
                continue;
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
            applied_now.push(migration.version);
        }
        Ok(applied_now)
    }
}
