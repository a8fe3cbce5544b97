//! Sign-in, sessions, CSRF and rate limits over HTTP, on both backends.
//!
//! One module per concern: the pages, the passwords, the limits, the sessions.

mod limits;
mod pages;
mod passwords;
mod sessions;
