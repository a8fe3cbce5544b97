//! The store conformance suite: every test runs on SQLite and on PostgreSQL,
//! each on a fresh copy of a migrated template database
//! (`latchkey_store::testing`). One module per domain, as in core; together
//! they call every method of every store trait.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod audit_log;
mod effects;
mod factors;
mod fixtures;
mod migrations;
mod oidc;
mod operator;
mod recovery;
mod tenants;
