//! `latchkey operator token`: tokens of the operator JSON API
//! (/api/operator/...); `latchkey operator add-account` and
//! `list-accounts`: accounts of the operator console (/operator).

use anyhow::anyhow;
use clap::Subcommand;
use latchkey_core::Error;
use latchkey_core::operator::console;
use latchkey_core::platform::ids::OperatorTokenId;
use latchkey_core::store::{OperatorAccountStore, OperatorStore};
use latchkey_core::tenants::operator;
use latchkey_store::Db;

use latchkey_core::accounts::audit_export::rfc3339;
use latchkey_core::effects::audit::Actor;

use super::common::{
    deployment_box, hash_pool, invalid_if_not_found, print_json, read_password_line,
};
use crate::config::Config;
use crate::server::Deps;

#[derive(Subcommand, Debug)]
pub(super) enum OperatorCommand {
    /// Tokens of the operator JSON API.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Make an account of the operator console (/operator). The password
    /// is read from standard input; the authenticator-app secret is
    /// printed once — both are needed at every sign-in.
    AddAccount {
        /// The name to sign in with: letters, digits, '.', '_' or '-'.
        name: String,
        /// Read the password from standard input (required).
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// Disable an operator console account: it signs in no more and its
    /// sessions end at once (kept for the operator log).
    DisableAccount { name: String },
    /// List the operator console's accounts (names and dates).
    ListAccounts {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub(super) enum TokenCommand {
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
    Revoke { id: OperatorTokenId },
}

pub(super) async fn run(
    config: &Config,
    db: &Db,
    deps: &Deps,
    cmd: OperatorCommand,
) -> anyhow::Result<()> {
    match cmd {
        OperatorCommand::AddAccount {
            name,
            password_stdin,
            json,
        } => {
            if !password_stdin {
                return Err(anyhow!(Error::invalid(
                    "password",
                    "pipe the password in and pass --password-stdin, e.g. `printf '%s' \"$PW\" | latchkey operator add-account NAME --password-stdin`",
                )));
            }
            let password = read_password_line()?;
            // The app's secret is sealed with the key the server reads it
            // with; a throwaway key would lock the account out.
            let Some(secrets) = deployment_box(config)? else {
                return Err(anyhow!(Error::invalid(
                    "security.secret_key",
                    "no deployment key yet: start the server once (it makes one in the data directory) or set security.secret_key, then run this again",
                )));
            };
            let pool = hash_pool(deps)?;
            let env = deps.env(db, &pool, &secrets);
            let (account, enrolment) =
                console::add_account(&env, &name, &password, "latchkey operator").await?;
            if json {
                let mut value = serde_json::to_value(&account)?;
                value["totp_secret"] = enrolment.secret.into();
                value["otpauth_uri"] = enrolment.uri.into();
                return print_json(&value);
            }
            println!("operator account {} created", account.name);
            println!(
                "add this secret to an authenticator app (shown only now):\n  {}\n  {}",
                enrolment.secret, enrolment.uri
            );
            println!(
                "sign in at {}/operator/signin with the name, the password and the app's code",
                config.public_url().trim_end_matches('/')
            );
        }
        OperatorCommand::DisableAccount { name } => {
            let account = console::disable_account(
                db,
                &*deps.random,
                deps.clock.now(),
                &name,
                &Actor::OperatorCli,
            )
            .await
            .map_err(|err| {
                invalid_if_not_found(err, "name", || {
                    format!("no operator account \"{name}\"; `latchkey operator list-accounts` shows them")
                })
            })?;
            println!(
                "operator account {} disabled; its sessions ended",
                account.name
            );
        }
        OperatorCommand::ListAccounts { json } => {
            let accounts = db.list_operator_accounts().await?;
            if json {
                return print_json(&accounts);
            }
            if accounts.is_empty() {
                println!(
                    "no operator accounts; make one with `latchkey operator add-account NAME --password-stdin`"
                );
            }
            for a in &accounts {
                let state = match a.disabled_at {
                    Some(at) => format!("disabled {}", rfc3339(at)),
                    None => "active".to_owned(),
                };
                println!("{:<24} created {} — {state}", a.name, rfc3339(a.created_at));
            }
        }
        OperatorCommand::Token(TokenCommand::Create { name, json }) => {
            let (token, secret) =
                operator::create_token(db, &*deps.random, &name, deps.clock.now()).await?;
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
