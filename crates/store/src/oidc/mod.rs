//! OpenID Connect's tables: applications ([`clients`], with a short-lived
//! cache for the token endpoint), signing keys ([`signing`]), and codes,
//! grants, consents and client assertions ([`grants`], refreshes applied in
//! groups).

pub(crate) mod clients;
pub(crate) mod grants;
pub(crate) mod signing;
