//! `latchkey operator token`: tokens of the operator JSON API
//! (/api/operator/...).

use anyhow::anyhow;
use clap::Subcommand;
use latchkey_core::Error;
use latchkey_core::platform::ids::OperatorTokenId;
use latchkey_core::store::OperatorStore;
use latchkey_core::tenants::operator;
use latchkey_store::Db;

use super::common::print_json;
use crate::server::Deps;

#[derive(Subcommand, Debug)]
pub(super) enum OperatorCommand {
    /// Tokens of the operator JSON API.
    #[command(subcommand)]
    Token(TokenCommand),
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

pub(super) async fn run(db: &Db, deps: &Deps, cmd: OperatorCommand) -> anyhow::Result<()> {
    match cmd {
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
