//! The second factors' tables: authenticator apps ([`totp`]), recovery
//! codes ([`recovery_codes`]) and passkeys with their ceremonies
//! ([`passkey`]).

pub(crate) mod passkey;
pub(crate) mod recovery_codes;
pub(crate) mod totp;
