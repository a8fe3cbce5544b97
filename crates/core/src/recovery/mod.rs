//! Account Self-Recovery: a person who lost every second factor gets back in
//! alone. [`case`]: the pure state machine of a case — which proofs count
//! (a password set from a mailed link never beside the mailbox), the wait,
//! the lock, expiry, a takeover by another browser. [`journey`]: the journey
//! over the store (start, prove, view, complete, cancel, the helpdesk reset,
//! housekeeping), with decoys for names that may not recover on the same
//! code path. [`activation`]: the operator's gating and the administrators'
//! requests. [`stats`]: what the console and `/metrics` show.
//! [`password_reset`]: "forgot password" — a mailed link sets a password
//! but never bypasses a second factor (and ends proven cases).

pub mod activation;
pub mod case;
pub mod journey;
pub mod password_reset;
pub mod stats;
pub mod store;
