//! Accounts: users, sessions, passwords, email verifications.

mod email;
mod email_change;
mod invitations;
mod passwords;
mod people;
mod sessions;
mod users;
