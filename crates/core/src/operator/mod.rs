//! The deployment's operator, as a person at the web console (`/operator`):
//! [`console`] holds its accounts (password and authenticator app, both
//! required), their sessions (their own, never a tenant's) and its
//! sign-in limits; [`store`] what it needs from a store.
//!
//! The operator's powers themselves are the services of the domains
//! below, called with the operator as actor: creating tenants
//! ([`crate::tenants`]), inviting their administrators
//! ([`crate::accounts::invitation`]), and switching and deciding
//! self-recovery ([`crate::recovery::activation`]). The operator API's
//! tokens are [`crate::tenants::operator`].

pub mod console;
pub mod store;
