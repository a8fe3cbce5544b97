//! What every domain stands on and none owns: time ([`clock`]), randomness
//! ([`random`]), sealing secrets at rest ([`crypto`]), high-entropy tokens
//! and constant-time comparison ([`secret`]), and checking what people type
//! ([`validate`]: field errors, and the messages pages say in the reader's
//! language), named durations ([`time`]), typed ids ([`ids`]), the languages ([`lang`]), and
//! enums that are words (`text_enum!`), and what a request says about its
//! browser ([`client`]), and time zones ([`zone`]). Nothing here knows a tenant, a user
//! or a store.

pub mod client;
pub mod clock;
pub mod crypto;
pub mod ids;
pub mod lang;
pub mod random;
pub mod secret;
mod text_enum;
pub mod time;
pub mod validate;
pub mod zone;

pub(crate) use text_enum::text_enum;
