//! Fresh, migrated databases for tests: a SQLite file in a temporary directory,
//! or a PostgreSQL database of its own on the local server, created with a
//! unique name and dropped when the [`TestDb`] is dropped, so tests run in
//! parallel. The server is `LATCHKEY_TEST_POSTGRES_URL`, by default
//! `postgres://postgres@127.0.0.1:5432/postgres`.
//!
//! Running every migration for every test costs more than copying a
//! database, so the migrations run once per backend into a template, named
//! after a hash of the migrations (an edited or added migration makes a new
//! template; a stale one is never used), and each test gets a copy:
//!
//! - SQLite: the template is a file in the temporary directory, built under a
//!   name of its own and renamed into place when complete (test processes
//!   running at once build it twice at worst, never use a half-built one);
//!   each test copies the file.
//! - PostgreSQL: the template is the database `latchkey_tpl_<hash>`, built by
//!   one test process at a time (an advisory lock), renamed into place when
//!   complete and closed to connections, because `CREATE DATABASE … TEMPLATE`
//!   refuses while anyone is connected to the template; each test's database
//!   is created from it.
//!
//! Tests of the migrations themselves take [`TestDb::empty`]. With
//! `LATCHKEY_TEST_MIGRATE_EACH` set, every test database is migrated from
//! scratch instead, as before the templates (to compare the suite's time on
//! the same machine, or to rule the templates out).

use std::path::PathBuf;
use std::time::Duration;

use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::store::StoreError;
use tokio::sync::OnceCell;

use crate::db::{Backend, ConnectOptions, Db, db_err};

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn postgres_admin_url() -> String {
    std::env::var("LATCHKEY_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// Runs each named test function once on SQLite and once on PostgreSQL, in
/// modules `sqlite` and `postgres` (so `cargo test sqlite::` runs one
/// backend). One invocation per module.
///
/// - `on_both_backends!(a, b)`: each function takes the [`Backend`] and
///   makes what it needs (a server, a database).
/// - `on_both_backends!(db: a, b)`: each function takes a fresh, migrated
///   [`TestDb`] (`&TestDb`).
///
/// The calling crate needs `tokio` (with `macros` and `rt-multi-thread`).
#[macro_export]
macro_rules! on_both_backends {
    (@call backend $backend:ident $test:path) => {
        $test($crate::Backend::$backend).await
    };
    (@call db $backend:ident $test:path) => {{
        let t = $crate::testing::TestDb::new($crate::Backend::$backend)
            .await
            .unwrap();
        $test(&t).await
    }};
    (@mod $module:ident $backend:ident $arg:ident: $($name:ident),+) => {
        mod $module {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $crate::on_both_backends!(@call $arg $backend super::$name);
            })+
        }
    };
    (db: $($name:ident),+ $(,)?) => {
        $crate::on_both_backends!(@mod sqlite Sqlite db: $($name),+);
        $crate::on_both_backends!(@mod postgres Postgres db: $($name),+);
    };
    ($($name:ident),+ $(,)?) => {
        $crate::on_both_backends!(@mod sqlite Sqlite backend: $($name),+);
        $crate::on_both_backends!(@mod postgres Postgres backend: $($name),+);
    };
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDb {
    pub db: Db,
    /// The URL a second process (the binary, a second server) can connect to.
    pub url: String,
    /// Removes the database when the test ends (or when making it failed
    /// half-way).
    _cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

/// The migrated templates, made by the first test of the process that needs
/// one.
static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static POSTGRES_TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// An arbitrary constant naming the lock under which a test process builds
/// the PostgreSQL template (taken in the admin database).
const PG_TEMPLATE_LOCK_KEY: i64 = 0x6c6b_7465_6d70;

impl TestDb {
    /// A fresh database with every migration applied.
    pub async fn new(backend: Backend) -> Result<TestDb, StoreError> {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A fresh database without any migration applied, for tests of the
    /// migrations themselves.
    pub async fn empty(backend: Backend) -> Result<TestDb, StoreError> {
        match backend {
            Backend::Sqlite => {
                let (file, cleanup) = sqlite_dir()?;
                Self::open(sqlite_url(&file), cleanup).await
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = unique_pg_name();
                admin_execute(&admin_url, &format!("CREATE DATABASE {name}")).await?;
                let url = pg_url(&admin_url, &name);
                Self::open(url, Cleanup::PgDatabase { admin_url, name }).await
            }
        }
    }

    pub async fn sqlite() -> Result<TestDb, StoreError> {
        if migrate_each() {
            return Self::migrated_from_scratch(Backend::Sqlite).await;
        }
        let template = SQLITE_TEMPLATE.get_or_try_init(sqlite_template).await?;
        let (file, cleanup) = sqlite_dir()?;
        std::fs::copy(template, &file)
            .map_err(|e| StoreError::Unavailable(format!("copying {}: {e}", template.display())))?;
        Self::open(sqlite_url(&file), cleanup).await
    }

    pub async fn postgres() -> Result<TestDb, StoreError> {
        if migrate_each() {
            return Self::migrated_from_scratch(Backend::Postgres).await;
        }
        let admin_url = postgres_admin_url();
        let template = POSTGRES_TEMPLATE
            .get_or_try_init(|| postgres_template(&admin_url))
            .await?;
        let name = unique_pg_name();
        let sql = format!("CREATE DATABASE {name} TEMPLATE {template}");
        // The template takes no connections, so this waits only for the
        // server processes of a closing build (or anything unforeseen).
        let mut attempt = 0;
        loop {
            match admin_execute(&admin_url, &sql).await {
                Err(StoreError::Database(e))
                    if e.contains("being accessed by other users") && attempt < 50 =>
                {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => break other?,
            }
        }
        let url = pg_url(&admin_url, &name);
        Self::open(url, Cleanup::PgDatabase { admin_url, name }).await
    }

    async fn migrated_from_scratch(backend: Backend) -> Result<TestDb, StoreError> {
        let t = Self::empty(backend).await?;
        t.db.migrate(0).await?;
        Ok(t)
    }

    async fn open(url: String, cleanup: Cleanup) -> Result<TestDb, StoreError> {
        let db = Db::connect(&url, &ConnectOptions::default()).await?;
        Ok(TestDb {
            db,
            url,
            _cleanup: cleanup,
        })
    }
}

fn migrate_each() -> bool {
    std::env::var_os("LATCHKEY_TEST_MIGRATE_EACH").is_some()
}

/// A new temporary directory (removed with the returned cleanup) and the
/// path of a database file in it.
fn sqlite_dir() -> Result<(PathBuf, Cleanup), StoreError> {
    let dir = std::env::temp_dir().join(format!("latchkey-test-{}", new_id::<String>(&OsRandom)));
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Unavailable(e.to_string()))?;
    Ok((dir.join("latchkey.db"), Cleanup::Dir(dir)))
}

fn sqlite_url(file: &std::path::Path) -> String {
    format!("sqlite://{}", file.display())
}

fn unique_pg_name() -> String {
    format!(
        "latchkey_test_{}",
        new_id::<String>(&OsRandom).replace('-', "")
    )
}

/// The URL of database `name` on the server of `admin_url`.
fn pg_url(admin_url: &str, name: &str) -> String {
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    format!("{base}/{name}")
}

fn one_connection() -> ConnectOptions {
    ConnectOptions {
        max_connections: 1,
        ..Default::default()
    }
}

/// Runs one statement (CREATE or DROP DATABASE) on the admin database.
async fn admin_execute(admin_url: &str, sql: &str) -> Result<(), StoreError> {
    let admin = Db::connect(admin_url, &one_connection()).await?;
    let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&admin.pool)
        .await;
    admin.close().await;
    done.map(|_| ()).map_err(db_err)
}

/// The migrated SQLite template file, built if there is none for these
/// migrations yet.
async fn sqlite_template() -> Result<PathBuf, StoreError> {
    let hash = crate::migrate::fingerprint(Backend::Sqlite);
    let path = std::env::temp_dir().join(format!("latchkey-test-template-{}.db", &hash[..16]));
    if path.exists() {
        return Ok(path);
    }
    let (building, cleanup) = sqlite_dir()?;
    let db = Db::connect(&sqlite_url(&building), &one_connection()).await?;
    let migrated = db.migrate(0).await;
    // Everything into the main file, so that the file alone is the database
    // (closing the last connection does it too).
    let checkpointed = sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&db.pool)
        .await
        .map_err(db_err);
    db.close().await;
    migrated?;
    checkpointed?;
    // Atomic within the temporary directory: other processes see the whole
    // template or none.
    std::fs::rename(&building, &path)
        .map_err(|e| StoreError::Unavailable(format!("placing {}: {e}", path.display())))?;
    drop(cleanup);
    Ok(path)
}

/// The name of the migrated PostgreSQL template, built if there is none for
/// these migrations yet.
async fn postgres_template(admin_url: &str) -> Result<String, StoreError> {
    let hash = crate::migrate::fingerprint(Backend::Postgres);
    let name = format!("latchkey_tpl_{}", &hash[..16]);
    let admin = Db::connect(admin_url, &one_connection()).await?;
    let built = build_postgres_template(&admin, admin_url, &name).await;
    admin.close().await;
    built.map(|()| name)
}

async fn build_postgres_template(
    admin: &Db,
    admin_url: &str,
    name: &str,
) -> Result<(), StoreError> {
    let mut conn = admin.pool.acquire().await.map_err(db_err)?;
    // Test binaries of one `cargo test` start together: one builds, the
    // others wait here and then find the template.
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(PG_TEMPLATE_LOCK_KEY)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let built = async {
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
        if exists > 0 {
            return Ok(());
        }
        let building = format!("{name}_build");
        let execute = |sql: String| sqlx::raw_sql(sqlx::AssertSqlSafe(sql));
        // Left by a process that died while building: under the lock nobody
        // builds now.
        execute(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        execute(format!("CREATE DATABASE {building}"))
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        let db = Db::connect(&pg_url(admin_url, &building), &one_connection()).await?;
        let migrated = db.migrate(0).await;
        db.close().await;
        migrated?;
        execute(format!(
            "ALTER DATABASE {building} WITH ALLOW_CONNECTIONS false"
        ))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        // The closed pool's server process may still be on its way out.
        let mut attempt = 0;
        loop {
            match execute(format!("ALTER DATABASE {building} RENAME TO {name}"))
                .execute(&mut *conn)
                .await
                .map_err(db_err)
            {
                Err(StoreError::Database(e))
                    if e.contains("being accessed by other users") && attempt < 50 =>
                {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => break other.map(|_| ()),
            }
        }
    }
    .await;
    // The lock also ends with the connection; unlocking is good manners.
    let _unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(PG_TEMPLATE_LOCK_KEY)
        .execute(&mut *conn)
        .await;
    built
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
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
                        let _ignored = admin_execute(
                            &admin_url,
                            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                        )
                        .await;
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

/// What the store holds that recovery writes: recovery cases, password
/// reset links, audit events, mails in the outbox, and every rate-limit
/// counter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    cases: i64,
    links: i64,
    audit: i64,
    outbox: i64,
    counters: std::collections::BTreeMap<String, (i64, i64)>,
}

/// The work between two snapshots: rows added, and how many counters were
/// written (moved on, or begun anew in a new window).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Work {
    pub cases: i64,
    pub links: i64,
    pub audit: i64,
    pub outbox: i64,
    pub counters: usize,
}

impl Snapshot {
    pub fn since(&self, before: &Snapshot) -> Work {
        Work {
            cases: self.cases - before.cases,
            links: self.links - before.links,
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
        links: count("SELECT COUNT(*) FROM password_resets").await?,
        audit: count("SELECT COUNT(*) FROM audit_events").await?,
        outbox: count("SELECT COUNT(*) FROM outbox").await?,
        counters,
    })
}

/// Runs `sql` (one statement or several) as it is: tests that fill a
/// database as an older schema had it, before a migration.
pub async fn execute(db: &Db, sql: &str) -> Result<(), StoreError> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&db.pool)
        .await
        .map(|_| ())
        .map_err(db_err)
}

/// The one number `sql` answers (`SELECT COUNT(*) …`, `PRAGMA foreign_keys`).
pub async fn scalar(db: &Db, sql: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&db.pool)
        .await
        .map_err(db_err)
}

/// The first column of every row `sql` answers, as text.
pub async fn texts(db: &Db, sql: &str) -> Result<Vec<String>, StoreError> {
    sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_all(&db.pool)
        .await
        .map_err(db_err)
}

/// A foreign key: `table.column` refers to `parent`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    pub parent: String,
}

/// Every foreign key of the schema.
pub async fn foreign_keys(db: &Db) -> Result<Vec<ForeignKey>, StoreError> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT m.name AS child, f.\"from\" AS col, f.\"table\" AS parent
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table'"
        }
        Backend::Postgres => {
            "SELECT c.conrelid::regclass::text AS child, a.attname::text AS col,
                    c.confrelid::regclass::text AS parent
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
             WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&db.pool).await.map_err(db_err)?;
    let mut keys = rows
        .iter()
        .map(|row| {
            Ok(ForeignKey {
                table: crate::db::col(row, "child")?,
                column: crate::db::col(row, "col")?,
                parent: crate::db::col(row, "parent")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    keys.sort();
    Ok(keys)
}

/// The tables of the schema (the migrations' own record aside).
pub async fn tables(db: &Db) -> Result<Vec<String>, StoreError> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name <> 'latchkey_migrations' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema()
             AND tablename <> 'latchkey_migrations' ORDER BY tablename"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&db.pool).await.map_err(db_err)?;
    rows.iter().map(|row| crate::db::col(row, "name")).collect()
}

/// How many rows each table holds (`"sessions"`), and how many of them
/// refer to a row of another table by each foreign key
/// (`"recovery_cases.user_id"`: the rows where it is not NULL). A migration
/// that rebuilds a table keeps every one of these numbers.
pub async fn row_counts(db: &Db) -> Result<std::collections::BTreeMap<String, i64>, StoreError> {
    let mut counts = std::collections::BTreeMap::new();
    for table in tables(db).await? {
        let n = scalar(db, &format!("SELECT COUNT(*) FROM {table}")).await?;
        counts.insert(table, n);
    }
    for key in foreign_keys(db).await? {
        let n = scalar(
            db,
            &format!("SELECT COUNT({}) FROM {}", key.column, key.table),
        )
        .await?;
        counts.insert(format!("{}.{}", key.table, key.column), n);
    }
    Ok(counts)
}

/// The rows whose foreign keys name a row that does not exist, as
/// SQLite's `PRAGMA foreign_key_check` lists them ("table rowid → parent");
/// PostgreSQL never has any (it always enforces them).
pub async fn foreign_key_problems(db: &Db) -> Result<Vec<String>, StoreError> {
    if db.backend() == Backend::Postgres {
        return Ok(vec![]);
    }
    let rows = sqlx::query(
        "SELECT \"table\" AS child, rowid AS row, parent FROM pragma_foreign_key_check",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(db_err)?;
    rows.iter()
        .map(|row| {
            Ok(format!(
                "{} {:?} → {}",
                crate::db::col::<String>(row, "child")?,
                crate::db::col::<Option<i64>>(row, "row")?,
                crate::db::col::<String>(row, "parent")?,
            ))
        })
        .collect()
}

/// The shape of the schema, one line each, sorted: every column (type,
/// NULL or not, default), index (its columns, unique or not, partial or
/// not), foreign key (with its action on delete), trigger and view. CHECK
/// constraints are not in it: a test asks the database what they allow.
pub async fn schema_shape(db: &Db) -> Result<Vec<String>, StoreError> {
    let queries: &[&str] = match db.backend() {
        Backend::Sqlite => &[
            "SELECT 'column ' || m.name || '.' || p.name || ' ' || p.type || ' notnull=' || p.\"notnull\"
                    || ' default=' || coalesce(p.dflt_value, '-') || ' pk=' || p.pk AS line
             FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'",
            "SELECT 'index ' || m.name || ' ' || i.name || ' unique=' || i.\"unique\" || ' origin='
                    || i.origin || ' partial=' || i.partial || ' ' || x.seqno || ':' || coalesce(x.name, '-') AS line
             FROM sqlite_master m, pragma_index_list(m.name) i, pragma_index_info(i.name) x
             WHERE m.type = 'table'",
            "SELECT 'foreign key ' || m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\"
                    || ' on delete ' || f.on_delete || ' on update ' || f.on_update AS line
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
            "SELECT type || ' ' || name || ' ' || sql AS line FROM sqlite_master
             WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL",
        ],
        Backend::Postgres => &[
            "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' nullable='
                    || is_nullable || ' default=' || coalesce(column_default, '-') AS line
             FROM information_schema.columns WHERE table_schema = current_schema()",
            "SELECT 'index ' || indexdef AS line FROM pg_indexes WHERE schemaname = current_schema()",
            "SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' '
                    || pg_get_constraintdef(oid) AS line
             FROM pg_constraint WHERE contype <> 'c' AND connamespace = current_schema()::regnamespace",
            "SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname AS line
             FROM pg_trigger WHERE NOT tgisinternal",
            "SELECT 'view ' || viewname AS line FROM pg_views WHERE schemaname = current_schema()",
        ],
    };
    let mut lines = vec![];
    for sql in queries {
        let rows = sqlx::query(sqlx::AssertSqlSafe(*sql))
            .fetch_all(&db.pool)
            .await
            .map_err(db_err)?;
        for row in &rows {
            lines.push(crate::db::col::<String>(row, "line")?);
        }
    }
    lines.sort();
    Ok(lines)
}
