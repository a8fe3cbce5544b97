//! The accounts domain's tables: users ([`user`]), sessions ([`session`]),
//! address confirmations ([`email`]), known devices ([`devices`]) and password-reset links
//! ([`password_reset`]); a password change lives with the user.

pub(crate) mod devices;
pub(crate) mod email;
pub(crate) mod email_change;
pub(crate) mod invitation;
pub(crate) mod password_reset;
pub(crate) mod people;
pub(crate) mod session;
pub(crate) mod user;
