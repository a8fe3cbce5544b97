//! latchkey's domain: types that are parsed once, the rules that govern them and
//! the services that apply them. Nothing here knows about HTTP or SQL; the clock
//! and randomness are passed in, so every rule is testable without I/O.
//!
//! Errors by layer: the storage traits in [`store`] return [`store::StoreError`];
//! services return [`error::Error`], which wraps it; the web crate maps
//! [`error::Error`] to responses and never shows internal detail.

pub mod accounts;
pub mod effects;
pub mod env;
pub mod error;
pub mod factors;
pub mod oidc;
pub mod operator;
pub mod platform;
pub mod recovery;
pub mod setup;
pub mod signin;
pub mod store;
pub mod tenants;

#[cfg(test)]
pub(crate) mod testing;

pub use env::Env;
pub use error::Error;
