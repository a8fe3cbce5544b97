//! The latchkey binary's library: configuration, start-up and the CLI, so the
//! integration tests start exactly what the binary starts.

pub mod cli;
pub mod config;
pub mod server;
