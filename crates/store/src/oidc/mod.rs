//! OpenID Connect's tables: applications ([`clients`], with a short-lived
//! cache for the token endpoint), signing keys ([`signing`]), and codes,
//! grants, consents and client assertions ([`grants`]); refreshes are
//! applied in groups by one writer task ([`refresh`]).

pub(crate) mod clients;
pub(crate) mod grants;
pub(crate) mod refresh;
mod rows;
pub(crate) mod signing;
