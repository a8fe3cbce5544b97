//! The command line: `serve`, `demo`, `migrate`, `tenant`, `user`, `config`.
//! Output for people goes to stdout (or JSON with `--json`); logs go to stderr.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand};
use latchkey_core::Error;
use latchkey_core::accounts::password::HashParams;
use latchkey_core::accounts::user::{self, User, UserInput, UserStatus};
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::random::bytes;
use latchkey_core::recovery::case;
use latchkey_core::store::{RecoveryStore, TenantStore, UserStore};
use latchkey_core::tenants::{self, Tenant, TenantInput};
use latchkey_store::Db;
use latchkey_web::hashing::HashPool;

use crate::config::{self, Config, LogFormat, Sources};
use crate::server::{self, Deps};

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
}

#[derive(Subcommand, Debug)]
enum ClientCommand {
    /// Register an application; a confidential one's secret is shown once.
    Create {
        #[arg(long)]
        tenant: String,
        /// The application's name, shown to users.
        #[arg(long)]
        name: String,
        /// Where users return after signing in (exact match; repeat for several).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// Where users may return after signing out (repeatable).
        #[arg(long = "post-logout-uri")]
        post_logout_uris: Vec<String>,
        /// authorization_code, refresh_token, client_credentials (repeatable)
        /// [default: authorization_code and refresh_token].
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// A public client (single-page or native app): no secret, PKCE required.
        #[arg(long)]
        public: bool,
        /// Trusted by the organisation: users are not asked for consent.
        #[arg(long)]
        first_party: bool,
        /// Access token lifetime in minutes (1–1440) [default: 10].
        #[arg(long)]
        access_token_minutes: Option<i64>,
        /// Refresh token lifetime in days (1–365) [default: 30].
        #[arg(long)]
        refresh_token_days: Option<i64>,
        /// A JWK Set file with the application's public keys: it signs in
        /// with private_key_jwt and gets no secret.
        #[arg(long)]
        jwks_file: Option<std::path::PathBuf>,
        /// What its ID and access tokens are signed with: ES256 (default) or
        /// RS256 (for libraries that only accept RSA).
        #[arg(long)]
        signing_alg: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List a tenant's applications.
    List {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        json: bool,
    },
    /// Show one application's settings.
    Show {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Change an application: only the options given change; a repeatable
    /// option replaces the whole list.
    Update {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        name: Option<String>,
        /// Replaces the redirect addresses (repeat for several).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// Replaces the addresses after sign-out (repeat for several).
        #[arg(long = "post-logout-uri")]
        post_logout_uris: Vec<String>,
        /// Removes every address after sign-out.
        #[arg(long, conflicts_with = "post_logout_uris")]
        no_post_logout_uris: bool,
        /// Replaces the grant types (repeatable).
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// true: users are not asked for consent; false: they are.
        #[arg(long)]
        first_party: Option<bool>,
        #[arg(long)]
        access_token_minutes: Option<i64>,
        #[arg(long)]
        refresh_token_days: Option<i64>,
        /// A JWK Set file replacing the keys of a private_key_jwt application.
        #[arg(long)]
        jwks_file: Option<std::path::PathBuf>,
        /// ES256 or RS256.
        #[arg(long)]
        signing_alg: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Give a confidential application a new secret (shown once); the old
    /// one stops working.
    RotateSecret {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove an application; its refresh tokens stop working at once.
    Delete {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: String,
        /// Confirms the removal (it cannot be undone).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Debug)]
enum OperatorCommand {
    /// Tokens of the operator JSON API.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Make an operator API token; it is shown once.
    Create {
        /// What the token is for, e.g. "monitoring" or "deploy pipeline".
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// List operator API tokens (names and dates, never the tokens).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke an operator API token by its id.
    Revoke { id: String },
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// List signing keys: the one that signs, and retired ones still published.
    List {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        json: bool,
    },
    /// Make a new signing key for a tenant; the current one is retired but
    /// stays in the JWKS for a week, so tokens it signed keep verifying.
    Rotate {
        #[arg(long)]
        tenant: String,
    },
}

#[derive(Subcommand, Debug)]
enum MailCommand {
    /// List written mail, oldest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print one mail's headers and text (default: the newest).
    Show {
        /// A file name from `mail list` (with or without .eml).
        name: Option<String>,
    },
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// Do not apply migrations at start; refuse to start if any are pending.
    #[arg(long)]
    no_migrate: bool,
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
}

#[derive(Subcommand, Debug)]
enum TenantCommand {
    /// Create a tenant.
    Create {
        /// Address of the tenant: lowercase letters, digits and hyphens, e.g. acme-corp.
        slug: String,
        /// Display name shown to users.
        #[arg(long)]
        name: String,
        /// Onboarding version: v1 (legacy) or v2 [default: v2].
        #[arg(long)]
        onboarding: Option<String>,
        /// Second-factor policy: off, optional or required [default: optional].
        #[arg(long)]
        second_factor: Option<String>,
        /// Language of mail to users who chose none: en, de or fr [default: en].
        #[arg(long)]
        language: Option<String>,
        /// Let users sign in with a passkey alone, without their password.
        #[arg(long)]
        passwordless: bool,
        #[arg(long)]
        json: bool,
    },
    /// List tenants.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one tenant.
    Show {
        slug: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a tenant's settings.
    Set {
        slug: String,
        /// Second-factor policy: off, optional or required.
        #[arg(long)]
        second_factor: Option<String>,
        /// Sign-in with a passkey alone: on or off.
        #[arg(long)]
        passwordless: Option<String>,
        /// Self-recovery's waiting period on an unknown device, in hours (0–720).
        #[arg(long)]
        recovery_wait_hours: Option<String>,
        /// How long a device stays known after a sign-in, in days (0–365).
        #[arg(long)]
        known_device_days: Option<String>,
        /// What users who cannot recover themselves should do ("" clears it).
        #[arg(long)]
        helpdesk_text: Option<String>,
        /// Where they get help, an https:// address ("" clears it).
        #[arg(long)]
        helpdesk_url: Option<String>,
        /// Whether tenant admins may recover themselves: on or off [default: off].
        #[arg(long)]
        admins_may_recover: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Turn Account Self-Recovery on or off for a tenant (operator only).
    ///
    /// `requests` lists what tenant admins asked for; `approve SLUG` activates
    /// it for that tenant, `decline SLUG --reason TEXT` says no.
    Recovery {
        #[arg(value_parser = ["enable", "disable", "requests", "approve", "decline"])]
        action: String,
        /// The tenant (not for `requests`).
        slug: Option<String>,
        /// Why a request is declined (required) or approved (optional).
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Self-recovery statistics of a tenant.
    Stats {
        slug: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a tenant from the legacy onboarding (v1) to v2.
    UpgradeOnboarding {
        slug: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// Display name [default: the username].
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Mark the email address as already verified (otherwise a verification link is mailed).
        #[arg(long)]
        email_verified: bool,
        /// Language of mail to this user: en, de or fr [default: the tenant's].
        #[arg(long)]
        language: Option<String>,
        /// member or admin (a tenant administrator) [default: member].
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the users of a tenant.
    List {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        json: bool,
    },
    /// Show one user, by username or email.
    Show {
        #[arg(long)]
        tenant: String,
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Disable a user: they can no longer sign in and their sessions end.
    Disable {
        #[arg(long)]
        tenant: String,
        login: String,
    },
    /// Make a user a tenant administrator (admin) or not (member).
    SetRole {
        #[arg(long)]
        tenant: String,
        login: String,
        #[arg(value_parser = ["member", "admin"])]
        role: String,
    },
    /// Helpdesk reset: remove every second factor of a user (they set up new
    /// ones at their next sign-in); their sessions end and they are told.
    ResetFactors {
        #[arg(long)]
        tenant: String,
        login: String,
        /// Why (kept in the audit trail), e.g. "phone stolen, identity checked in person".
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Validate a configuration file (and the LATCHKEY_* environment); report every problem.
    Check {
        /// The file to check [default: --config].
        file: Option<PathBuf>,
    },
    /// List every configuration key with its environment variable.
    Keys,
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
    config::load(sources).map_err(|errors| {
        eprintln!("error: the configuration has {} problem(s):", errors.len());
        for e in errors {
            eprintln!("  - {e}");
        }
        ExitCode::from(2)
    })
}

fn init_logging(config: &Config, default_level: &str) {
    let level = if config.log_level == "info" {
        default_level
    } else {
        config.log_level.as_str()
    };
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
    let serving = matches!(cli.command, Command::Serve(_) | Command::Demo(_));
    init_logging(&config, if serving { "info,sqlx=warn" } else { "warn" });
    let deps = Deps::default();

    match cli.command {
        Command::Config(ConfigCommand::Check { .. }) => {
            let what = sources
                .file
                .as_ref()
                .map_or("the defaults and environment".to_owned(), |f| {
                    f.display().to_string()
                });
            println!("ok: {what} is a valid configuration");
            println!("  database: {}", redact(&config.database_url()));
            println!("  listen:   {}", config.listen);
        }
        Command::Config(ConfigCommand::Keys) => {
            for line in config::describe_keys() {
                println!("{line}");
            }
        }
        Command::Mail(cmd) => mail_command(&config, cmd)?,
        Command::Migrate => {
            let db = server::connect(&config).await?;
            let applied = db.migrate(deps.clock.now().0).await?;
            let status = db.migration_status().await?;
            println!(
                "{} database {} is up to date: {} migration(s) applied now, {} in all",
                db.backend().name(),
                redact(&config.database_url()),
                applied.len(),
                status.applied.len()
            );
        }
        Command::Serve(args) => {
            let db = server::open_database(
                &config,
                &*deps.clock,
                config.auto_migrate && !args.no_migrate,
            )
            .await?;
            let running = server::start(&config, db, deps).await?;
            println!("latchkey is listening on {}", running.url);
            running.until_signal().await?;
        }
        Command::Demo(_) => {
            let mut config = config;
            config.secure_cookies = config.secure_cookies.or(Some(false));
            let db = server::open_database(&config, &*deps.clock, true).await?;
            let credentials = ensure_demo(&config, &db, &deps, &config.public_url()).await?;
            let running = server::start(&config, db, deps).await?;
            println!("latchkey demo is running.");
            println!("  Sign in at: {}/t/demo/signin", running.url);
            match credentials {
                Some(password) => {
                    println!("  Username:   demo");
                    println!("  Password:   {password}");
                    println!("  (The password is shown only this once.)");
                }
                None => println!(
                    "  The demo user exists already; its password was shown when it was created. \
                     Delete {} to start over.",
                    config.data_dir.display()
                ),
            }
            println!("Press Ctrl-C to stop.");
            running.until_signal().await?;
        }
        Command::Tenant(cmd) => {
            let db = server::open_database(&config, &*deps.clock, config.auto_migrate).await?;
            tenant_command(&db, &deps, cmd).await?;
        }
        Command::Client(cmd) => {
            let db = server::open_database(&config, &*deps.clock, config.auto_migrate).await?;
            client_command(&config, &db, &deps, cmd).await?;
        }
        Command::Operator(cmd) => {
            let db = server::open_database(&config, &*deps.clock, config.auto_migrate).await?;
            operator_command(&db, &deps, cmd).await?;
        }
        Command::Keys(cmd) => {
            let db = server::open_database(&config, &*deps.clock, config.auto_migrate).await?;
            keys_command(&config, &db, &deps, cmd).await?;
        }
        Command::User(cmd) => {
            let db = server::open_database(&config, &*deps.clock, config.auto_migrate).await?;
            let pool = HashPool::new(HashParams::OWASP, 1, 1, deps.random.clone())?;
            user_command(&config, &db, &pool, &deps, &config.public_url(), cmd).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn redact(url: &str) -> String {
    latchkey_store::redact_url(url)
}

async fn operator_command(db: &Db, deps: &Deps, cmd: OperatorCommand) -> anyhow::Result<()> {
    use latchkey_core::store::OperatorStore;
    match cmd {
        OperatorCommand::Token(TokenCommand::Create { name, json }) => {
            let (token, secret) = latchkey_core::tenants::operator::create_token(
                db,
                &*deps.random,
                &name,
                deps.clock.now(),
            )
            .await?;
            if json {
                let mut value = serde_json::to_value(&token)?;
                value["token"] = secret.expose().into();
                return print_json(&value);
            }
            println!("operator token {} ({})", token.id, token.name);
            println!(
                "token: {}\n(shown only now; latchkey keeps only its hash)",
                secret.expose()
            );
        }
        OperatorCommand::Token(TokenCommand::List { json }) => {
            let tokens = db.list_operator_tokens().await?;
            if json {
                return print_json(&tokens);
            }
            if tokens.is_empty() {
                println!("no operator tokens");
            }
            for t in &tokens {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked at {}", at.0),
                    None => "active".to_owned(),
                };
                println!(
                    "{}  {:<24} created {} — {state}",
                    t.id, t.name, t.created_at.0
                );
            }
        }
        OperatorCommand::Token(TokenCommand::Revoke { id }) => {
            if !db.revoke_operator_token(&id, deps.clock.now()).await? {
                return Err(anyhow!(Error::NotFound("operator token")));
            }
            println!("operator token {id} revoked");
        }
    }
    Ok(())
}

fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn on_off(value: bool) -> &'static str {
    if value { "on" } else { "off" }
}

fn tenant_line(t: &Tenant) -> String {
    format!(
        "{:<24} {:<32} onboarding={} second_factor={} passwordless={} self_recovery={}",
        t.slug,
        t.display_name,
        t.onboarding,
        t.second_factor,
        on_off(t.passwordless),
        on_off(t.self_recovery)
    )
}

async fn tenant_command(db: &Db, deps: &Deps, cmd: TenantCommand) -> anyhow::Result<()> {
    match cmd {
        TenantCommand::Create {
            slug,
            name,
            onboarding,
            second_factor,
            language,
            passwordless,
            json,
        } => {
            let input = TenantInput {
                slug,
                display_name: name,
                onboarding,
                second_factor,
                default_language: language,
                passwordless,
            };
            let t = tenants::create(db, &*deps.clock, &*deps.random, &input).await?;
            if json {
                print_json(&t)?;
            } else {
                println!("created tenant {}", tenant_line(&t));
            }
        }
        TenantCommand::List { json } => {
            let tenants = db.list_tenants().await?;
            if json {
                print_json(&tenants)?;
            } else if tenants.is_empty() {
                println!(
                    "no tenants yet; create one with `latchkey tenant create SLUG --name NAME`"
                );
            } else {
                for t in &tenants {
                    println!("{}", tenant_line(t));
                }
            }
        }
        TenantCommand::Show { slug, json } => {
            let t = tenants::by_slug(db, &slug)
                .await
                .map_err(|e| not_found_tenant(e, &slug))?;
            if json {
                print_json(&t)?;
            } else {
                println!("slug:          {}", t.slug);
                println!("name:          {}", t.display_name);
                println!("id:            {}", t.id);
                println!("onboarding:    {}", t.onboarding);
                println!("second factor: {}", t.second_factor);
                println!("passwordless:  {}", on_off(t.passwordless));
                println!("self-recovery: {}", on_off(t.self_recovery));
                println!(
                    "recovery wait: {} h on unknown devices; devices known for {} days",
                    t.recovery_waiting_secs / 3600,
                    t.recovery_known_device_secs / 86400
                );
                println!(
                    "helpdesk:      {}{}",
                    t.helpdesk_text.as_deref().unwrap_or("(no text)"),
                    t.helpdesk_url
                        .as_deref()
                        .map(|u| format!(" <{u}>"))
                        .unwrap_or_default()
                );
            }
        }
        TenantCommand::Set {
            slug,
            second_factor,
            passwordless,
            recovery_wait_hours,
            known_device_days,
            helpdesk_text,
            helpdesk_url,
            admins_may_recover,
            json,
        } => {
            let t = tenants::by_slug(db, &slug)
                .await
                .map_err(|e| not_found_tenant(e, &slug))?;
            let input = tenants::SettingsInput {
                second_factor,
                passwordless,
                recovery_wait_hours,
                known_device_days,
                helpdesk_text,
                helpdesk_url,
                admins_may_recover,
            };
            let t = tenants::update_settings(db, &*deps.random, &*deps.clock, &t, &input, OPERATOR)
                .await?;
            report_tenant(&t, json, "updated")?;
        }
        TenantCommand::Recovery {
            action,
            slug,
            reason,
            json,
        } => {
            if action == "requests" {
                let requests = db.pending_activation_requests().await?;
                if json {
                    return print_json(&requests);
                }
                let tenants = db.list_tenants().await?;
                if requests.is_empty() {
                    println!("no pending requests");
                }
                for r in &requests {
                    let slug = tenants
                        .iter()
                        .find(|t| t.id == r.tenant_id)
                        .map_or("?", |t| t.slug.as_str());
                    println!(
                        "{slug:<24} requested by {} — {}",
                        r.requested_by,
                        r.note.as_deref().unwrap_or("(no note)")
                    );
                }
                return Ok(());
            }
            let Some(slug) = slug else {
                return Err(anyhow!(Error::invalid(
                    "tenant",
                    format!("`latchkey tenant recovery {action}` needs the tenant's slug"),
                )));
            };
            let t = tenants::by_slug(db, &slug)
                .await
                .map_err(|e| not_found_tenant(e, &slug))?;
            match action.as_str() {
                "enable" => {
                    let t = case::enable(db, &*deps.random, &*deps.clock, &t, OPERATOR).await?;
                    report_tenant(&t, json, "self-recovery enabled for")?;
                }
                "disable" => {
                    let (t, cancelled) =
                        case::disable(db, &*deps.random, &*deps.clock, &t, OPERATOR).await?;
                    if !json {
                        println!(
                            "cancelled {cancelled} open recovery case(s); their users are told by mail"
                        );
                    }
                    report_tenant(&t, json, "self-recovery disabled for")?;
                }
                decision => {
                    let approve = decision == "approve";
                    let reason = reason.unwrap_or_default();
                    if !approve && reason.trim().is_empty() {
                        return Err(anyhow!(Error::invalid(
                            "reason",
                            "say why with --reason, e.g. --reason \"set up the helpdesk text first\"",
                        )));
                    }
                    let r = case::decide_request(
                        db,
                        &*deps.random,
                        &*deps.clock,
                        &t,
                        approve,
                        &reason,
                        OPERATOR,
                    )
                    .await?;
                    if json {
                        print_json(&r)?;
                    } else {
                        println!("request of tenant {} {}", t.slug, r.status);
                    }
                }
            }
        }
        TenantCommand::Stats { slug, json } => {
            let t = tenants::by_slug(db, &slug)
                .await
                .map_err(|e| not_found_tenant(e, &slug))?;
            let stats = case::stats(db, &t, deps.clock.now()).await?;
            if json {
                print_json(&stats)?;
            } else {
                println!("self-recovery cases of {}:", t.slug);
                println!(
                    "  started {}, open {}, completed {}, cancelled {}, expired {}, locked {}",
                    stats.started,
                    stats.open,
                    stats.completed,
                    stats.cancelled,
                    stats.expired,
                    stats.locked
                );
                match stats.median_secs_to_complete {
                    Some(secs) => println!("  median time to complete: {} min", (secs + 59) / 60),
                    None => println!("  median time to complete: (none completed yet)"),
                }
                println!(
                    "  second-factor resets: {} by the users themselves, {} by the helpdesk",
                    stats.self_recoveries, stats.helpdesk_resets
                );
            }
        }
        TenantCommand::UpgradeOnboarding { slug, json } => {
            let t = tenants::by_slug(db, &slug)
                .await
                .map_err(|e| not_found_tenant(e, &slug))?;
            let t = case::upgrade_onboarding(db, &*deps.random, &*deps.clock, &t, OPERATOR).await?;
            report_tenant(&t, json, "upgraded")?;
        }
    }
    Ok(())
}

/// Who the audit trail names for changes made with the CLI.
const OPERATOR: &str = "operator:cli";

fn report_tenant(t: &Tenant, json: bool, what: &str) -> anyhow::Result<()> {
    if json {
        print_json(t)
    } else {
        println!("{what} tenant {}", tenant_line(t));
        Ok(())
    }
}

fn not_found_tenant(err: Error, slug: &str) -> anyhow::Error {
    match err {
        Error::NotFound(_) => anyhow!(Error::invalid(
            "tenant",
            format!("no tenant \"{slug}\"; `latchkey tenant list` shows the tenants"),
        )),
        other => anyhow!(other),
    }
}

fn user_line(u: &User) -> String {
    format!(
        "{:<24} {:<32} {:<8} email_verified={}",
        u.username, u.email, u.status, u.email_verified
    )
}

async fn find_user(db: &Db, tenant: &Tenant, login: &str) -> anyhow::Result<User> {
    user::by_login(db, tenant, login)
        .await
        .map_err(|err| match err {
            Error::NotFound(_) => anyhow!(Error::invalid(
                "user",
                format!("tenant \"{}\" has no user \"{login}\"", tenant.slug),
            )),
            other => anyhow!(other),
        })
}

fn read_password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(anyhow!(Error::invalid(
            "password",
            "standard input was empty; pipe the password in, e.g. `printf '%s' \"$PW\" | latchkey user create ... --password-stdin`"
        )));
    }
    Ok(password)
}

async fn user_command(
    config: &Config,
    db: &Db,
    pool: &HashPool,
    deps: &Deps,
    public_url: &str,
    cmd: UserCommand,
) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Create {
            tenant,
            username,
            email,
            name,
            password_stdin,
            email_verified,
            language,
            role,
            json,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let password = if password_stdin {
                Some(read_password_line()?)
            } else {
                None
            };
            let input = UserInput {
                username,
                email,
                display_name: name,
                password,
                email_verified,
                language,
                role,
            };
            let secrets = cli_secrets(config, deps)?;
            let db = cli_db(config, db)?;
            let env = deps.env(&db, pool, public_url, &secrets);
            let u =
                user::create(&env, &t, input, "operator".into(), &RequestMeta::default()).await?;
            if json {
                print_json(&u)?;
            } else {
                println!("created user {}", user_line(&u));
            }
        }
        UserCommand::List { tenant, json } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let users = db.list_users(&t.id).await?;
            if json {
                print_json(&users)?;
            } else if users.is_empty() {
                println!("tenant \"{}\" has no users yet", t.slug);
            } else {
                for u in &users {
                    println!("{}", user_line(u));
                }
            }
        }
        UserCommand::Show {
            tenant,
            login,
            json,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let u = find_user(db, &t, &login).await?;
            if json {
                print_json(&u)?;
            } else {
                println!("username:       {}", u.username);
                println!("display name:   {}", u.display_name);
                println!("email:          {}", u.email);
                println!("email verified: {}", u.email_verified);
                println!("status:         {}", u.status);
                println!("has password:   {}", u.password_hash.is_some());
                println!("id:             {}", u.id);
            }
        }
        UserCommand::Disable { tenant, login } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let u = find_user(db, &t, &login).await?;
            db.set_user_status(&t.id, &u.id, UserStatus::Disabled, deps.clock.now())
                .await?;
            println!(
                "disabled user {} of tenant {}; their sessions have ended",
                u.username, t.slug
            );
        }
        UserCommand::SetRole {
            tenant,
            login,
            role,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let u = find_user(db, &t, &login).await?;
            let role =
                user::set_role(db, &*deps.random, &*deps.clock, &t, &u, &role, OPERATOR).await?;
            println!("{} of tenant {} is now {role}", u.username, t.slug);
        }
        UserCommand::ResetFactors {
            tenant,
            login,
            reason,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let u = find_user(db, &t, &login).await?;
            let secrets = cli_secrets(config, deps)?;
            let db = cli_db(config, db)?;
            let env = deps.env(&db, pool, public_url, &secrets);
            latchkey_core::recovery::journey::helpdesk_reset(
                &env,
                &t,
                &u,
                OPERATOR,
                &reason,
                &RequestMeta::default(),
            )
            .await?;
            println!(
                "removed every second factor of {} in tenant {}; their sessions have ended and they were told by mail",
                u.username, t.slug
            );
        }
    }
    Ok(())
}

/// Creates the demo tenant and user when missing; returns the new password.
async fn ensure_demo(
    config: &Config,
    db: &Db,
    deps: &Deps,
    public_url: &str,
) -> anyhow::Result<Option<String>> {
    let tenant = match tenants::by_slug(db, "demo").await {
        Ok(t) => t,
        Err(Error::NotFound(_)) => {
            let input = TenantInput {
                slug: "demo".into(),
                display_name: "Demo Organisation".into(),
                onboarding: Some("v2".into()),
                second_factor: Some("optional".into()),
                default_language: None,
                passwordless: true,
            };
            tenants::create(db, &*deps.clock, &*deps.random, &input).await?
        }
        Err(other) => return Err(other.into()),
    };
    match user::by_login(db, &tenant, "demo").await {
        Ok(_) => Ok(None),
        Err(Error::NotFound(_)) => {
            let password = demo_password(&bytes::<12>(&*deps.random));
            let pool = HashPool::new(HashParams::OWASP, 1, 1, Arc::clone(&deps.random))?;
            let input = UserInput {
                username: "demo".into(),
                email: "demo@example.com".into(),
                display_name: Some("Demo User".into()),
                password: Some(password.clone()),
                email_verified: true,
                language: None,
                role: None,
            };
            let secrets = cli_secrets(config, deps)?;
            let env = deps.env(db, &pool, public_url, &secrets);
            user::create(
                &env,
                &tenant,
                input,
                "operator".into(),
                &RequestMeta::default(),
            )
            .await?;
            Ok(Some(password))
        }
        Err(other) => Err(other.into()),
    }
}

/// 12 random bytes as four groups of unambiguous letters and digits.
fn demo_password(random: &[u8; 12]) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let chars: Vec<char> = random
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The `.eml` files in `data_dir/mail`, oldest first (names start with the time).
fn mail_files(config: &Config) -> anyhow::Result<Vec<PathBuf>> {
    let dir = config.data_dir.join("mail");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(err) => return Err(anyhow!("cannot read {}: {err}", dir.display())),
    };
    files.sort();
    Ok(files)
}

fn mail_command(config: &Config, cmd: MailCommand) -> anyhow::Result<()> {
    use latchkey_mail::eml;
    let files = mail_files(config)?;
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    match cmd {
        MailCommand::List { json } => {
            let mut rows = vec![];
            for path in &files {
                let raw = read(path)?;
                let field = |h| {
                    eml::header(&raw, h)
                        .map(|v| eml::decode_words(&v))
                        .unwrap_or_default()
                };
                let name = path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                rows.push(serde_json::json!({
                    "name": name,
                    "date": field("Date"),
                    "to": field("To"),
                    "subject": field("Subject"),
                }));
            }
            if json {
                print_json(&rows)?;
            } else if rows.is_empty() {
                println!("no mail in {}", config.data_dir.join("mail").display());
            } else {
                for r in &rows {
                    println!(
                        "{}  {}  {}",
                        r["name"].as_str().unwrap_or(""),
                        r["to"].as_str().unwrap_or(""),
                        r["subject"].as_str().unwrap_or("")
                    );
                }
            }
        }
        MailCommand::Show { name } => {
            let path = match name {
                None => files.last().cloned().ok_or_else(|| {
                    anyhow!(Error::invalid(
                        "mail",
                        format!(
                            "there is no mail in {}",
                            config.data_dir.join("mail").display()
                        )
                    ))
                })?,
                Some(n) => {
                    let stem = n.trim_end_matches(".eml");
                    files
                        .iter()
                        .find(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == stem))
                        .cloned()
                        .ok_or_else(|| {
                            anyhow!(Error::invalid(
                                "mail",
                                format!(
                                    "no mail named \"{n}\"; `latchkey mail list` shows the names"
                                )
                            ))
                        })?
                }
            };
            let raw = read(&path)?;
            for h in ["Date", "From", "To", "Subject"] {
                println!(
                    "{h}: {}",
                    eml::header(&raw, h)
                        .map(|v| eml::decode_words(&v))
                        .unwrap_or_default()
                );
            }
            println!();
            println!("{}", eml::text_body(&raw).unwrap_or_else(|| raw.clone()));
        }
    }
    Ok(())
}

/// The secret box for CLI work. Only the server creates the deployment's key
/// (in its data directory, or from configuration); the commands here seal
/// nothing, so without a key they get a throwaway one rather than leaving a
/// `secret.key` wherever they were run.
async fn client_command(
    config: &Config,
    db: &Db,
    deps: &Deps,
    cmd: ClientCommand,
) -> anyhow::Result<()> {
    use latchkey_core::oidc::client::{self, ClientInput};
    use latchkey_core::store::ClientStore;
    match cmd {
        ClientCommand::Create {
            tenant,
            name,
            redirect_uris,
            post_logout_uris,
            grants,
            public,
            first_party,
            access_token_minutes,
            refresh_token_days,
            jwks_file,
            signing_alg,
            json,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let input = ClientInput {
                name,
                redirect_uris,
                post_logout_uris,
                grant_types: grants,
                public,
                first_party,
                access_token_minutes,
                refresh_token_days,
                jwks: read_jwks(jwks_file)?,
                token_alg: signing_alg,
            };
            let secrets = client_secrets(config, deps, input.token_alg.as_deref())?;
            let (c, secret) = client::create(
                db,
                &*deps.random,
                &*deps.clock,
                &secrets,
                &t,
                &input,
                OPERATOR,
            )
            .await?;
            if json {
                let mut value = serde_json::to_value(&c)?;
                if let Some(s) = &secret {
                    value["client_secret"] = serde_json::Value::from(s.expose());
                }
                print_json(&value)?;
            } else {
                println!("registered {} in tenant {}", c.name, t.slug);
                println!("client_id:     {}", c.client_id);
                match &secret {
                    Some(s) => println!(
                        "client_secret: {}\n(shown only now; latchkey keeps only its hash)",
                        s.expose()
                    ),
                    None if c.jwks.is_some() => println!(
                        "no secret: the application signs in with private_key_jwt (its registered keys)"
                    ),
                    None => println!("public client: no secret; PKCE (S256) is required"),
                }
            }
        }
        ClientCommand::Show {
            tenant,
            client_id,
            json,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let c = client::find(db, &t, &client_id)
                .await
                .map_err(|e| not_found_client(e, &client_id, &t))?;
            report_client(&c, json)?;
        }
        ClientCommand::Update {
            tenant,
            client_id,
            name,
            redirect_uris,
            post_logout_uris,
            no_post_logout_uris,
            grants,
            first_party,
            access_token_minutes,
            refresh_token_days,
            jwks_file,
            signing_alg,
            json,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let given = |v: Vec<String>| (!v.is_empty()).then_some(v);
            let change = client::ClientChange {
                name,
                redirect_uris: given(redirect_uris),
                post_logout_uris: if no_post_logout_uris {
                    Some(vec![])
                } else {
                    given(post_logout_uris)
                },
                grant_types: given(grants),
                first_party,
                access_token_minutes,
                refresh_token_days,
                jwks: read_jwks(jwks_file)?,
                token_alg: signing_alg,
            };
            let secrets = client_secrets(config, deps, change.token_alg.as_deref())?;
            let c = client::update(
                db,
                &*deps.random,
                &*deps.clock,
                &secrets,
                &t,
                &client_id,
                &change,
                OPERATOR,
            )
            .await
            .map_err(|e| not_found_client(e, &client_id, &t))?;
            if !json {
                println!("updated {} in tenant {}", c.client_id, t.slug);
            }
            report_client(&c, json)?;
        }
        ClientCommand::RotateSecret {
            tenant,
            client_id,
            json,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let (c, secret) =
                client::rotate_secret(db, &*deps.random, &*deps.clock, &t, &client_id, OPERATOR)
                    .await
                    .map_err(|e| not_found_client(e, &client_id, &t))?;
            if json {
                print_json(&serde_json::json!({
                    "client_id": c.client_id,
                    "client_secret": secret.expose(),
                }))?;
            } else {
                println!("client_id:     {}", c.client_id);
                println!(
                    "client_secret: {}\n(shown only now; the old secret no longer works)",
                    secret.expose()
                );
            }
        }
        ClientCommand::Delete {
            tenant,
            client_id,
            yes,
        } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            if !yes {
                return Err(anyhow!(Error::invalid(
                    "yes",
                    format!(
                        "removing {client_id} cannot be undone and ends every sign-in of its users there; add --yes to confirm"
                    ),
                )));
            }
            let c = client::delete(db, &*deps.random, &*deps.clock, &t, &client_id, OPERATOR)
                .await
                .map_err(|e| not_found_client(e, &client_id, &t))?;
            println!(
                "removed {} ({}) from tenant {}",
                c.client_id, c.name, t.slug
            );
        }
        ClientCommand::List { tenant, json } => {
            let t = tenants::by_slug(db, &tenant)
                .await
                .map_err(|e| not_found_tenant(e, &tenant))?;
            let clients = db.list_clients(&t.id).await?;
            if json {
                return print_json(&clients);
            }
            for c in &clients {
                println!(
                    "{:<22} {:<24} {} {}",
                    c.client_id,
                    c.name,
                    if c.is_public() {
                        "public"
                    } else {
                        "confidential"
                    },
                    c.redirect_uris.join(" ")
                );
            }
        }
    }
    Ok(())
}

fn read_jwks(path: Option<std::path::PathBuf>) -> anyhow::Result<Option<String>> {
    path.map(|path| {
        std::fs::read_to_string(&path).map_err(|e| {
            anyhow!(Error::invalid(
                "jwks_file",
                format!("cannot read {}: {e}", path.display()),
            ))
        })
    })
    .transpose()
}

/// The deployment's secret key box. An RS256 application's key is made
/// when the application asks for it, sealed with the deployment's key,
/// which must exist for that.
fn client_secrets(
    config: &Config,
    deps: &Deps,
    token_alg: Option<&str>,
) -> anyhow::Result<SecretBox> {
    Ok(match server::existing_secret_key(config)? {
        Some(key) => SecretBox::new(&key),
        None if token_alg.map(str::trim) == Some("RS256") => {
            return Err(anyhow!(Error::invalid(
                "security.secret_key",
                "an RS256 application needs the deployment's secret key: start the server once, or set security.secret_key",
            )));
        }
        None => cli_secrets(config, deps)?,
    })
}

fn not_found_client(err: Error, client_id: &str, t: &Tenant) -> anyhow::Error {
    match err {
        Error::NotFound(_) => anyhow!(Error::invalid(
            "client_id",
            format!(
                "no application \"{client_id}\" in tenant {}; `latchkey client list --tenant {}` shows them",
                t.slug, t.slug
            ),
        )),
        other => anyhow!(other),
    }
}

fn report_client(c: &latchkey_core::oidc::client::Client, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(c);
    }
    let kind = if c.jwks.is_some() {
        "confidential (private_key_jwt)"
    } else if c.is_public() {
        "public (PKCE, no secret)"
    } else {
        "confidential (client secret)"
    };
    let grants: Vec<&str> = c.grant_types.iter().map(|g| g.as_str()).collect();
    println!("client_id:            {}", c.client_id);
    println!("name:                 {}", c.name);
    println!("kind:                 {kind}");
    println!("first party:          {}", c.first_party);
    println!("redirect uris:        {}", c.redirect_uris.join(" "));
    println!("post-logout uris:     {}", c.post_logout_uris.join(" "));
    println!("grant types:          {}", grants.join(" "));
    println!("access token minutes: {}", c.access_token_secs / 60);
    println!("refresh token days:   {}", c.refresh_token_secs / 86_400);
    println!("signing alg:          {}", c.token_alg);
    Ok(())
}

async fn keys_command(
    config: &Config,
    db: &Db,
    deps: &Deps,
    cmd: KeysCommand,
) -> anyhow::Result<()> {
    use latchkey_core::oidc::signing;
    use latchkey_core::store::SigningKeyStore;
    match cmd {
        KeysCommand::List { tenant, json } => {
            let tenant = latchkey_core::tenants::by_slug(db, &tenant).await?;
            let keys = db.signing_keys(&tenant.id).await?;
            let active: Vec<String> = signing::ALGS
                .iter()
                .filter_map(|alg| signing::active_for(&keys, alg).map(|k| k.kid.clone()))
                .collect();
            if json {
                let list: Vec<serde_json::Value> = keys
                    .iter()
                    .map(|k| {
                        serde_json::json!({
                            "kid": k.kid,
                            "alg": k.alg,
                            "created_at": k.created_at.0,
                            "retired_at": k.retired_at.map(|t| t.0),
                            "signing": active.contains(&k.kid),
                        })
                    })
                    .collect();
                return print_json(&list);
            }
            if keys.is_empty() {
                println!("no signing keys yet: the server makes one when it starts or first signs");
            }
            for k in &keys {
                let role = if active.contains(&k.kid) {
                    "signs".to_owned()
                } else {
                    match k.retired_at {
                        Some(at) => format!("retired at {}", at.0),
                        None => "unused".to_owned(),
                    }
                };
                println!(
                    "{:<18} {} created {} — {role}",
                    k.kid, k.alg, k.created_at.0
                );
            }
        }
        KeysCommand::Rotate { tenant } => {
            let tenant = latchkey_core::tenants::by_slug(db, &tenant).await?;
            let Some(key) = server::existing_secret_key(config)? else {
                return Err(anyhow!(Error::invalid(
                    "security.secret_key",
                    "there is no secret key yet: start the server once, or set security.secret_key",
                )));
            };
            let key = signing::rotate(
                db,
                &tenant.id,
                &*deps.random,
                &SecretBox::new(&key),
                deps.clock.now(),
            )
            .await?;
            println!(
                "new signing key {}; the previous one stays published for verification",
                key.kid
            );
        }
    }
    Ok(())
}

fn cli_secrets(config: &Config, deps: &Deps) -> anyhow::Result<SecretBox> {
    Ok(match server::existing_secret_key(config)? {
        Some(key) => SecretBox::new(&key),
        None => SecretBox::new(&bytes::<32>(&*deps.random)),
    })
}

/// The database as the CLI writes to it: mail parameters sealed with the
/// deployment's key when there is one (else in clear, so the server can still
/// read them; it seals from then on).
fn cli_db(config: &Config, db: &Db) -> anyhow::Result<Db> {
    Ok(match server::existing_secret_key(config)? {
        Some(key) => db.clone().with_sealing(SecretBox::new(&key)),
        None => db.clone(),
    })
}
