//! latchkey's domain: types that are parsed once, the rules that govern them and
//! the services that apply them. Nothing here knows about HTTP or SQL; the clock
//! and randomness are passed in, so every rule is testable without I/O.
//!
//! Errors by layer: the storage traits in [`store`] return [`store::StoreError`];
//! services return [`error::Error`], which wraps it; the web crate maps
//! [`error::Error`] to responses and never shows internal detail.

pub mod assertion;
pub mod audit;
pub mod client;
pub mod client_limit;
pub mod clock;
pub mod crypto;
pub mod email;
pub mod env;
pub mod error;
pub mod mail;
pub mod oidc;
pub mod operator;
pub mod passkey;
pub mod password;
pub mod password_change;
pub mod password_reset;
pub mod policy;
pub mod random;
pub mod ratelimit;
pub mod recovery;
pub mod recovery_code;
pub mod recovery_flow;
pub mod secret;
pub mod session;
pub mod signin;
pub mod signing;
pub mod store;
pub mod tenant;
pub mod totp;
pub mod user;
pub mod validate;

pub use env::Env;
pub use error::Error;
