//! latchkey's storage: the core's store traits implemented once over sqlx's
//! `Any` driver, for SQLite (embedded default) and PostgreSQL (production).
//!
//! SQL is written once with `$N` placeholders, which both engines accept;
//! columns use types both understand (TEXT, BIGINT, BOOLEAN). Where the
//! engines really differ (locking, transaction start), [`Backend`] decides.
//! Each backend has its own migration set in `migrations/{sqlite,postgres}`.
//! See docs/decisions/0001-storage.md.

mod db;
mod migrate;
mod write;

// One folder per domain of core, each implementing that domain's store
// traits for [`Db`].
mod accounts;
mod effects;
mod factors;
mod oidc;
mod recovery;
mod tenants;

pub mod testing;

pub use db::{Backend, ConnectOptions, Db, redact_url};
pub use migrate::{MigrationStatus, applied_versions, known_versions};
