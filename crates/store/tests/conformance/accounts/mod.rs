//! Accounts: users, sessions, passwords, email verifications.

mod email;
mod passwords;
mod sessions;
mod users;
