//! What a change writes beside itself, in its own transaction: the audit
//! trail ([`audit`]), mail to the outbox ([`mail`]), and rate-limit counters
//! ([`ratelimit`]). Services collect them in [`crate::store::Effects`]; the
//! store writes them with the change or not at all.

pub mod audit;
pub mod audit_kind;
pub mod mail;
pub mod ratelimit;
pub mod store;
