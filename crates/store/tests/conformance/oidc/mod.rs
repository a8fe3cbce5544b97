//! OpenID Connect: applications, codes and grants, consents, the
//! applications connected to a person, signing keys.

mod clients;
mod connections;
mod consents;
mod grants;
mod signing;
