//! Fresh, migrated databases for tests: a SQLite file in a temporary directory,
//! or a PostgreSQL database of its own on the local server, created with a
//! unique name and dropped when the [`TestDb`] is dropped, so tests run in
//! parallel. The server is `LATCHKEY_TEST_POSTGRES_URL`, by default
//! `postgres://postgres@127.0.0.1:5432/postgres`.

use std::path::PathBuf;

use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::StoreError;

use crate::db::{Backend, ConnectOptions, Db};

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn postgres_admin_url() -> String {
    std::env::var("LATCHKEY_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDb {
    pub db: Db,
    /// The URL a second process (the binary, a second server) can connect to.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub async fn new(backend: Backend) -> Result<TestDb, StoreError> {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await,
        }
    }

    pub async fn sqlite() -> Result<TestDb, StoreError> {
        let dir = std::env::temp_dir().join(format!("latchkey-test-{}", new_id(&OsRandom)));
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let url = format!("sqlite://{}", dir.join("latchkey.db").display());
        Self::finish(url, Cleanup::Dir(dir)).await
    }

    pub async fn postgres() -> Result<TestDb, StoreError> {
        let admin_url = postgres_admin_url();
        let name = format!("latchkey_test_{}", new_id(&OsRandom).replace('-', ""));
        let admin = Db::connect(
            &admin_url,
            &ConnectOptions {
                max_connections: 1,
                ..Default::default()
            },
        )
        .await?;
        let created = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin.pool)
            .await;
        admin.close().await;
        created.map_err(crate::db::db_err)?;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Self::finish(url, Cleanup::PgDatabase { admin_url, name }).await
    }

    async fn finish(url: String, cleanup: Cleanup) -> Result<TestDb, StoreError> {
        let db = Db::connect(&url, &ConnectOptions::default()).await?;
        db.migrate(0).await?;
        Ok(TestDb { db, url, cleanup })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ignored = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop may run inside a runtime; do the async work on a thread of its own.
                let handle = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(admin) = Db::connect(
                            &admin_url,
                            &ConnectOptions {
                                max_connections: 1,
                                ..Default::default()
                            },
                        )
                        .await
                        {
                            let _ignored = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .execute(&admin.pool)
                            .await;
                            admin.close().await;
                        }
                    });
                });
                let _ignored = handle.join();
            }
        }
    }
}

/// The stored parameters of an outbox message, as they are in the table.
pub async fn outbox_params(db: &Db, id: &str) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT params FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .map_err(crate::db::db_err)?;
    crate::db::col(&row, "params")
}

/// What the store holds that recovery writes: recovery cases, audit
/// events, mails in the outbox, and every rate-limit counter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    cases: i64,
    audit: i64,
    outbox: i64,
    counters: std::collections::BTreeMap<String, (i64, i64)>,
}

/// The work between two snapshots: rows added, and how many counters were
/// written (moved on, or begun anew in a new window).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Work {
    pub cases: i64,
    pub audit: i64,
    pub outbox: i64,
    pub counters: usize,
}

impl Snapshot {
    pub fn since(&self, before: &Snapshot) -> Work {
        Work {
            cases: self.cases - before.cases,
            audit: self.audit - before.audit,
            outbox: self.outbox - before.outbox,
            counters: self
                .counters
                .iter()
                .filter(|(key, now)| before.counters.get(*key) != Some(*now))
                .count(),
        }
    }
}

pub async fn snapshot(db: &Db) -> Result<Snapshot, StoreError> {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&db.pool)
            .await
            .map_err(crate::db::db_err)
    };
    let rows = sqlx::query("SELECT key, window_start, count FROM rate_limits")
        .fetch_all(&db.pool)
        .await
        .map_err(crate::db::db_err)?;
    let mut counters = std::collections::BTreeMap::new();
    for row in &rows {
        counters.insert(
            crate::db::col::<String>(row, "key")?,
            (
                crate::db::col::<i64>(row, "window_start")?,
                crate::db::col::<i64>(row, "count")?,
            ),
        );
    }
    Ok(Snapshot {
        cases: count("SELECT COUNT(*) FROM recovery_cases").await?,
        audit: count("SELECT COUNT(*) FROM audit_events").await?,
        outbox: count("SELECT COUNT(*) FROM outbox").await?,
        counters,
    })
}
