//! The connection ([`Db`], [`Backend`]), how database errors become
//! [`StoreError`]s, and the small readers every row mapping uses.

use std::sync::Arc;
use std::time::Duration;

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::crypto::SecretBox;

use latchkey_core::store::StoreError;
use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Executor};

use crate::write::Writes;

/// The database engine behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Recognises the engine from a database URL, with a message that says
    /// what is expected when it is neither.
    pub fn from_url(url: &str) -> Result<Backend, String> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(format!(
                "\"{}\" is not a supported database URL; use sqlite://PATH or postgres://USER@HOST:PORT/DATABASE",
                redact_url(url)
            ))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A URL with any password replaced, fit for logs and messages.
pub fn redact_url(url: &str) -> String {
    let url = match url.split_once('?') {
        Some((base, query)) => {
            let query = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => pair.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("&");
            format!("{base}?{query}")
        }
        None => url.to_owned(),
    };
    let url = url.as_str();
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// A connection pool to one database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// Where write transactions begin (see `write.rs`).
    pub(crate) writes: Writes,
    /// Applications by (tenant, client_id), kept briefly: the token endpoint
    /// looks one up on every request. See `oidc/clients.rs`.
    pub(crate) clients: Arc<crate::oidc::clients::ClientCache>,
    /// Applies refreshes in groups (see `oidc/refresh.rs`).
    pub(crate) refreshes: Arc<crate::oidc::refresh::RefreshWriter>,
}

/// SQLite's "busy" and "locked" result codes (primary and extended): another
/// writer held the database past the busy timeout.
fn sqlite_busy(db: &dyn sqlx::error::DatabaseError) -> bool {
    matches!(
        db.code().as_deref(),
        Some("5" | "6" | "261" | "262" | "517" | "773")
    ) || db.message().contains("database is locked")
}

pub(crate) fn db_err(err: sqlx::Error) -> StoreError {
    match err {
        sqlx::Error::Database(db) if sqlite_busy(db.as_ref()) => {
            StoreError::Unavailable(db.message().to_owned())
        }
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Unique(
            db.constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| db.message().to_owned()),
        ),
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(err.to_string()),
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_) => StoreError::Corrupt(err.to_string()),
        other => StoreError::Database(other.to_string()),
    }
}

impl Db {
    /// Connects to `url` (sqlite:// or postgres://). A SQLite file is created if
    /// missing and opened in WAL mode, so the CLI and a running server can use it
    /// at the same time.
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Db, StoreError> {
        let backend = Backend::from_url(url).map_err(StoreError::Unavailable)?;
        sqlx::any::install_default_drivers();
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA synchronous = NORMAL",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|err| {
                StoreError::Unavailable(format!(
                    "cannot connect to {} database at {}: {err}",
                    backend.name(),
                    redact_url(&url)
                ))
            })?;
        Ok(Db {
            writes: Writes::new(pool.clone(), backend == Backend::Sqlite),
            pool,
            backend,
            clients: Arc::default(),
            refreshes: Arc::default(),
        })
    }

    /// Seals outbox parameters with `secrets` from now on (messages already
    /// queued in clear stay readable).
    pub fn with_sealing(mut self, secrets: SecretBox) -> Db {
        self.writes.sealing = Some(Arc::new(secrets));
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(db_err)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Runs statements that return no rows.
pub(crate) trait Run {
    /// Runs the statement on `conn` (the pool, or a transaction's
    /// connection); how many rows it changed.
    fn run<'c, E>(self, conn: E) -> impl Future<Output = Result<u64, StoreError>> + Send
    where
        E: Executor<'c, Database = Any> + 'c;
}

impl Run for Query<'_, Any, AnyArguments> {
    async fn run<'c, E>(self, conn: E) -> Result<u64, StoreError>
    where
        E: Executor<'c, Database = Any> + 'c,
    {
        Ok(self.execute(conn).await.map_err(db_err)?.rows_affected())
    }
}

/// Reads a column, turning any failure into [`StoreError::Corrupt`].
pub(crate) fn col<'r, T>(row: &'r AnyRow, name: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    sqlx::Row::try_get(row, name).map_err(|e| StoreError::Corrupt(format!("column {name}: {e}")))
}

/// Reads a text column as a typed id (`UserId`, `CaseId`, …).
pub(crate) fn id<T: From<String>>(row: &AnyRow, name: &str) -> Result<T, StoreError> {
    col::<String>(row, name).map(T::from)
}

/// Reads a text column that may be NULL as a typed id.
pub(crate) fn maybe_id<T: From<String>>(row: &AnyRow, name: &str) -> Result<Option<T>, StoreError> {
    Ok(col::<Option<String>>(row, name)?.map(T::from))
}

/// Reads a time column (seconds since the epoch).
pub(crate) fn time(row: &AnyRow, name: &str) -> Result<UnixTime, StoreError> {
    col(row, name).map(UnixTime)
}

/// Reads a time column that may be NULL.
pub(crate) fn maybe_time(row: &AnyRow, name: &str) -> Result<Option<UnixTime>, StoreError> {
    Ok(col::<Option<i64>>(row, name)?.map(UnixTime))
}

/// Maps a fetched optional row with `from_row`.
pub(crate) fn optional<T>(
    fetched: Result<Option<AnyRow>, sqlx::Error>,
    from_row: impl Fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    fetched.map_err(db_err)?.as_ref().map(from_row).transpose()
}

/// Maps fetched rows with `from_row`.
pub(crate) fn all<T>(
    fetched: Result<Vec<AnyRow>, sqlx::Error>,
    from_row: impl Fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    fetched.map_err(db_err)?.iter().map(from_row).collect()
}

/// Reads a boolean column: BOOLEAN on PostgreSQL, INTEGER 0/1 on SQLite.
pub(crate) fn flag(row: &AnyRow, name: &str) -> Result<bool, StoreError> {
    match sqlx::Row::try_get::<bool, _>(row, name) {
        Ok(value) => Ok(value),
        Err(_) => col::<i64>(row, name).map(|v| v != 0),
    }
}

/// Parses a stored text value with a domain parser.
pub(crate) fn parsed<T, E: std::fmt::Display>(
    column: &str,
    result: Result<T, E>,
) -> Result<T, StoreError> {
    result.map_err(|e| StoreError::Corrupt(format!("column {column}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(Backend::from_url("sqlite://x.db"), Ok(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("postgresql://h/db"),
            Ok(Backend::Postgres)
        );
        assert!(
            Backend::from_url("mysql://x")
                .unwrap_err()
                .contains("postgres://")
        );
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=pw&sslmode=require"),
            "postgres://h/db?user=u&password=***&sslmode=require"
        );
    }
}
