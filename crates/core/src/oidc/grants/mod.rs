//! One file per OAuth 2.0 grant the token endpoint serves.

use super::*;

mod authorization_code;
mod client_credentials;
mod refresh_token;

pub use authorization_code::*;
pub use client_credentials::*;
pub use refresh_token::*;

#[cfg(test)]
mod tests;
