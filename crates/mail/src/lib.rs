//! latchkey's mail: rendering messages in the recipient's language
//! ([`render`]), delivering them over SMTP or into `.eml` files
//! ([`transport`]), and draining the durable outbox ([`sender`]).

pub mod eml;
pub mod render;
pub mod sender;
pub mod transport;
