//! People's accounts and how they sign in. [`user`]: accounts, their names
//! (parsed once: usernames, addresses of record) and roles. [`password`]:
//! argon2id hashing and the rules for new passwords. [`signin`]: password
//! sign-in, one answer for every failure, the limits per name, per account
//! and per known device. [`session`]: sessions and their stages, the recent
//! sign-in that changes need. [`email`]: verifying an address.
//! [`password_reset`] ("forgot password": a mailed link sets a password but
//! never bypasses a second factor) and [`password_change`] (on the account
//! page, behind a recent sign-in).

pub mod email;
pub mod notice;
pub mod password;
pub mod password_change;
pub mod password_reset;
pub mod session;
pub mod signin;
pub mod store;
pub mod user;
