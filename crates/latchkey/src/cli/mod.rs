//! The command line: `serve`, `demo`, `migrate`, `tenant`, `user`, `client`,
//! `keys`, `operator`, `config`, `mail`, `audit`.
//! Output for people goes to stdout (or JSON with `--json`); logs go to stderr.
//!
//! This file parses the command line, loads the configuration, starts logging
//! and hands each command to its group's file, which holds the group's clap
//! types and handlers. The groups share the helpers in `common` and never use
//! each other.

mod audit;
mod client;
mod common;
mod config;
mod keys;
mod mail;
mod migrate;
mod operator;
mod serve;
mod tenant;
mod user;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use latchkey_core::Error;

use crate::config::{Config, LogFormat, Sources};
use crate::server::Deps;

use self::audit::AuditCommand;
use self::client::ClientCommand;
use self::common::open_db;
use self::config::ConfigCommand;
use self::keys::KeysCommand;
use self::mail::MailCommand;
use self::operator::OperatorCommand;
use self::serve::{DemoArgs, ServeArgs};
use self::tenant::TenantCommand;
use self::user::UserCommand;

#[derive(Parser, Debug)]
#[command(
    name = "latchkey",
    version,
    about = "latchkey: a multi-tenant identity provider with Account Self-Recovery",
    after_help = "Configuration: --config FILE, then LATCHKEY_* environment variables, then flags. \
                  `latchkey config keys` lists every key."
)]
pub struct Cli {
    /// TOML configuration file.
    #[arg(long, global = true, value_name = "FILE", env = "LATCHKEY_CONFIG")]
    config: Option<PathBuf>,
    /// Directory for the SQLite database and generated keys [default: ./latchkey-data].
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL (sqlite://PATH or postgres://...); overrides the data directory's SQLite file.
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Write logs as JSON lines.
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Run the server with a demo tenant and user (created on first run), for trying latchkey out.
    Demo(DemoArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage users of a tenant.
    #[command(subcommand)]
    User(UserCommand),
    /// Check or describe configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Read mail written to data_dir/mail (when no SMTP server is configured).
    #[command(subcommand)]
    Mail(MailCommand),
    /// The keys that sign the tokens latchkey issues.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Tokens of the operator JSON API (/api/operator/...).
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Applications of a tenant that use latchkey through OpenID Connect.
    #[command(subcommand)]
    Client(ClientCommand),
    /// Read a tenant's audit log: list a page, or export the filtered view.
    #[command(subcommand)]
    Audit(AuditCommand),
}

/// Runs the CLI and maps failures to exit codes: 2 for bad configuration or
/// input, 1 for everything else.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(err) => {
            let code = match err.downcast_ref::<Error>() {
                Some(Error::Invalid(_) | Error::Conflict(_) | Error::NotFound(_)) => 2,
                _ => 1,
            };
            eprintln!("error: {err:#}");
            ExitCode::from(code)
        }
    }
}

fn sources(cli: &Cli, listen: Option<&String>) -> Sources {
    let mut flags = vec![];
    if let Some(dir) = &cli.data_dir {
        flags.push(("data_dir", dir.display().to_string(), "--data-dir"));
    }
    if let Some(url) = &cli.database_url {
        flags.push(("database.url", url.clone(), "--database-url"));
    }
    if let Some(listen) = listen {
        flags.push(("server.listen", listen.clone(), "--listen"));
    }
    if cli.log_json {
        flags.push(("log.format", "json".into(), "--log-json"));
    }
    Sources {
        file: cli.config.clone(),
        flags,
        ..Default::default()
    }
    .with_process_env()
}

fn load_config(sources: &Sources) -> Result<Config, ExitCode> {
    crate::config::load(sources).map_err(|errors| {
        eprintln!("error: the configuration has {} problem(s):", errors.len());
        for e in errors {
            eprintln!("  - {e}");
        }
        ExitCode::from(2)
    })
}

fn init_logging(config: &Config, default_level: &str) {
    let level = config.log_level.as_deref().unwrap_or(default_level);
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
    };
    if let Err(err) = result {
        eprintln!("warning: logging already initialised: {err}");
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let listen = match &cli.command {
        Command::Serve(a) => a.listen.as_ref(),
        Command::Demo(a) => a.listen.as_ref(),
        _ => None,
    };
    let mut sources = sources(&cli, listen);
    if let Command::Config(ConfigCommand::Check { file: Some(file) }) = &cli.command {
        sources.file = Some(file.clone());
    }
    let config = match load_config(&sources) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    // The demo's printed URLs and passwords come first: it logs warnings
    // only unless log.level says otherwise.
    let serving = matches!(cli.command, Command::Serve(_));
    init_logging(&config, if serving { "info,sqlx=warn" } else { "warn" });
    let deps = Deps::default();

    match cli.command {
        Command::Config(cmd) => config::run(&config, &sources, cmd),
        Command::Mail(cmd) => mail::run(&config, cmd)?,
        Command::Migrate => migrate::run(&config, &deps).await?,
        Command::Serve(args) => serve::serve(&config, deps, args).await?,
        Command::Demo(_) => serve::demo(config, deps).await?,
        Command::Tenant(cmd) => {
            let db = open_db(&config, &deps).await?;
            tenant::run(&config, &db, &deps, cmd).await?;
        }
        Command::Client(cmd) => {
            let db = open_db(&config, &deps).await?;
            client::run(&config, &db, &deps, cmd).await?;
        }
        Command::Operator(cmd) => {
            let db = open_db(&config, &deps).await?;
            operator::run(&config, &db, &deps, cmd).await?;
        }
        Command::Keys(cmd) => {
            let db = open_db(&config, &deps).await?;
            keys::run(&config, &db, &deps, cmd).await?;
        }
        Command::User(cmd) => {
            let db = open_db(&config, &deps).await?;
            user::run(&config, &db, &deps, cmd).await?;
        }
        Command::Audit(cmd) => {
            let db = open_db(&config, &deps).await?;
            audit::run(&db, cmd).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    const GROUPS: [(&str, &str); 10] = [
        ("audit", include_str!("audit.rs")),
        ("client", include_str!("client.rs")),
        ("config", include_str!("config.rs")),
        ("keys", include_str!("keys.rs")),
        ("mail", include_str!("mail.rs")),
        ("migrate", include_str!("migrate.rs")),
        ("operator", include_str!("operator.rs")),
        ("serve", include_str!("serve.rs")),
        ("tenant", include_str!("tenant.rs")),
        ("user", include_str!("user.rs")),
    ];

    /// The command groups share code through `common` only, so no import
    /// circle can form between them, and `common` uses no group.
    #[test]
    fn command_groups_use_common_and_not_each_other() {
        for (name, source) in GROUPS {
            for (other, _) in GROUPS {
                for path in [format!("super::{other}"), format!("cli::{other}")] {
                    assert!(
                        !source.contains(&path),
                        "cli/{name}.rs uses cli/{other}.rs; move what both need to cli/common.rs"
                    );
                }
            }
        }
        let common = include_str!("common.rs");
        assert!(
            !common.contains("super::") && !common.contains("cli::"),
            "cli/common.rs must not use the command groups"
        );
    }
}
