//! latchkey's storage: the core's store traits implemented once over sqlx's
//! `Any` driver, for SQLite (embedded default) and PostgreSQL (production).
//!
//! SQL is written once with `$N` placeholders, which both engines accept;
//! columns use types both understand (TEXT, BIGINT, BOOLEAN). Where the
//! engines really differ (locking, transaction start), [`Backend`] decides.
//! Each backend has its own migration set in `migrations/{sqlite,postgres}`.
//! See docs/decisions/0001-storage.md.
//!
//! The modules mirror core's domains: `tenants`, `accounts`, `factors`,
//! `recovery`, `oidc`, `operator` and `effects` each implement that domain's store
//! traits for [`Db`]. Every write transaction goes through one helper
//! (`write.rs`: writer lock, begin, effects, commit or roll back); domain
//! states are bound from their enums (`as_str`), never written into SQL.

mod db;
mod migrate;
mod write;

mod accounts;
mod effects;
mod factors;
mod oidc;
mod operator;
mod recovery;
mod tenants;

pub mod testing;

pub use db::{Backend, ConnectOptions, Db, redact_url};
pub use migrate::{
    FOREIGN_KEYS_OFF, MigrationStatus, applied_versions, known_migrations, known_versions,
};
