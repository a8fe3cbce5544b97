//! OpenID Connect: applications, codes and grants.

mod clients;
mod grants;
