//! Accounts: users, sessions, email verifications.

mod email;
mod sessions;
mod users;
