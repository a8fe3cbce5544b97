//! latchkey's storage: the core's store traits implemented once over sqlx's
//! `Any` driver, for SQLite (embedded default) and PostgreSQL (production).
//!
//! SQL is written once with `$N` placeholders, which both engines accept;
//! columns use types both understand (TEXT, BIGINT, BOOLEAN). Where the
//! engines really differ (locking, transaction start), [`Backend`] decides.
//! Each backend has its own migration set in `migrations/{sqlite,postgres}`.
//! See docs/decisions/0001-storage.md.

mod audit;
pub mod client;
mod db;
mod effects;
mod email;
mod migrate;
pub(crate) mod oidc;
mod operator;
mod outbox;
mod passkey;
mod password_reset;
mod ratelimit;
mod recovery;
mod recovery_code;
mod session;
mod signing;
mod tenant;
mod totp;
pub(crate) mod user;

pub mod testing;

pub use db::{Backend, ConnectOptions, Db, redact_url};
pub use migrate::{MigrationStatus, applied_versions, known_versions};
