//! `latchkey keys`: the keys that sign the tokens a tenant issues.

use anyhow::anyhow;
use clap::Subcommand;
use latchkey_core::Error;
use latchkey_core::oidc::signing;
use latchkey_core::store::SigningKeyStore;
use latchkey_core::tenants;
use latchkey_store::Db;

use super::common::{deployment_box, print_json};
use crate::config::Config;
use crate::server::Deps;

#[derive(Subcommand, Debug)]
pub(super) enum KeysCommand {
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

// An unknown tenant is reported here as core's plain "tenant not found", not
// with the hint the other groups give (`common::find_tenant`); kept as it was.
pub(super) async fn run(
    config: &Config,
    db: &Db,
    deps: &Deps,
    cmd: KeysCommand,
) -> anyhow::Result<()> {
    match cmd {
        KeysCommand::List { tenant, json } => {
            let tenant = tenants::by_slug(db, &tenant).await?;
            let keys = db.signing_keys(&tenant.id).await?;
            let active: Vec<String> = signing::Alg::ALL
                .iter()
                .filter_map(|alg| signing::active_for(&keys, *alg).map(|k| k.kid.clone()))
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
            let tenant = tenants::by_slug(db, &tenant).await?;
            let Some(secrets) = deployment_box(config)? else {
                return Err(anyhow!(Error::invalid(
                    "security.secret_key",
                    "there is no secret key yet: start the server once, or set security.secret_key",
                )));
            };
            let key =
                signing::rotate(db, &tenant.id, &*deps.random, &secrets, deps.clock.now()).await?;
            println!(
                "new signing key {}; the previous one stays published for verification",
                key.kid
            );
        }
    }
    Ok(())
}
