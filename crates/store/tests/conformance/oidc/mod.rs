//! OpenID Connect: applications, codes and grants, consents, signing keys.

mod clients;
mod consents;
mod grants;
mod signing;
