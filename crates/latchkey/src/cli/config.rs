//! `latchkey config`: check a configuration, list the keys.

use std::path::PathBuf;

use clap::Subcommand;
use latchkey_store::redact_url;

use crate::config::{Config, Sources, describe_keys};

#[derive(Subcommand, Debug)]
pub(super) enum ConfigCommand {
    /// Validate a configuration file (and the LATCHKEY_* environment); report every problem.
    Check {
        /// The file to check [default: --config].
        file: Option<PathBuf>,
    },
    /// List every configuration key with its environment variable.
    Keys,
}

/// Runs once `config` loaded from `sources`: a configuration with problems
/// never gets here.
pub(super) fn run(config: &Config, sources: &Sources, cmd: ConfigCommand) {
    match cmd {
        ConfigCommand::Check { .. } => {
            let what = sources
                .file
                .as_ref()
                .map_or("the defaults and environment".to_owned(), |f| {
                    f.display().to_string()
                });
            println!("ok: {what} is a valid configuration");
            println!("  database: {}", redact_url(&config.database_url()));
            println!("  listen:   {}", config.listen);
        }
        ConfigCommand::Keys => {
            for line in describe_keys() {
                println!("{line}");
            }
        }
    }
}
