//! People's accounts. [`user`]: accounts, their names (parsed once:
//! usernames, addresses of record) and roles. [`password`]: argon2id
//! hashing and the rules for new passwords; [`password_blocklist`]: the
//! common passwords and the account's names they must not be. [`session`]: sessions and their
//! stages, the recent sign-in that changes need. [`email`]: verifying an
//! address. [`password_change`]: on the account page, behind a recent
//! sign-in. [`email_change`]: a new address, confirmed from it, the old
//! one told. [`notice`]: telling the owner that how the account is protected
//! changed. Known devices (the store's `DeviceStore`) are an account's too.
//! [`audit_log`]: the tenant's audit trail as administrators read it
//! (filters, paging) and [`audit_export`] its CSV and JSON lines.
//! [`browsers`]: where the person is signed in, and signing those out.
//! [`everyone`]: signing everyone in the organisation out at once.
//! [`activity`]: the recent security events the account page shows.
//! [`invitation`]: the operator invites a tenant's administrator by
//! mail; the link makes the account.
//! [`held`]: what a person holds that a change can end — each change names
//! its list; the store removes what it names.
//!
//! Signing in (which needs the second factors, one layer up) is
//! [`crate::signin`]; "forgot password" is [`crate::recovery::password_reset`].

pub mod activity;
pub mod audit_export;
pub mod audit_log;
pub mod browsers;
pub mod email;
pub mod email_change;
pub mod everyone;
pub mod held;
pub mod invitation;
pub mod notice;
pub mod password;
pub mod password_blocklist;
pub mod password_change;
pub mod session;
pub mod store;
pub mod user;
