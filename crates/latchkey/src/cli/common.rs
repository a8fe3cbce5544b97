//! What every command group shares: printing JSON, opening the database,
//! finding a tenant, turning "not found" into an error that says what to do,
//! and the secret box the CLI works with. The group files use this module and
//! never each other.

use std::io::BufRead;

use anyhow::{Context, anyhow};
use latchkey_core::Error;
use latchkey_core::accounts::password::HashParams;
use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::random::bytes;
use latchkey_core::tenants::{self, Tenant};
use latchkey_store::Db;
use latchkey_web::hashing::HashPool;

use crate::config::Config;
use crate::server::{self, Deps};

/// Who the audit trail names for changes made with the CLI.
pub(super) const OPERATOR: &Actor = &Actor::OperatorCli;

pub(super) fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// The database of a command that reads or writes records: migrated first
/// when `database.auto_migrate` is on, else refused while migrations are
/// pending.
pub(super) async fn open_db(config: &Config, deps: &Deps) -> anyhow::Result<Db> {
    server::open_database(config, &*deps.clock, config.auto_migrate).await
}

/// The password hasher of a CLI command: one worker, one waiting place.
pub(super) fn hash_pool(deps: &Deps) -> anyhow::Result<HashPool> {
    Ok(HashPool::new(HashParams::OWASP, 1, 1, deps.random.clone())?)
}

/// The tenant with `slug`; an unknown slug is an input error that points to
/// `latchkey tenant list`.
pub(super) async fn find_tenant(db: &Db, slug: &str) -> anyhow::Result<Tenant> {
    tenants::by_slug(db, slug).await.map_err(|err| {
        invalid_if_not_found(err, "tenant", || {
            format!("no tenant \"{slug}\"; `latchkey tenant list` shows the tenants")
        })
    })
}

/// `Error::NotFound` becomes an input error on `field` with `message` (exit
/// code 2 and a hint); every other error passes through unchanged.
pub(super) fn invalid_if_not_found(
    err: Error,
    field: &str,
    message: impl FnOnce() -> String,
) -> anyhow::Error {
    match err {
        Error::NotFound(_) => anyhow!(Error::invalid(field, message())),
        other => anyhow!(other),
    }
}

/// The deployment's secret key box, when the server has made the key (in its
/// data directory) or the configuration sets it.
pub(super) fn deployment_box(config: &Config) -> anyhow::Result<Option<SecretBox>> {
    Ok(server::existing_secret_key(config)?.map(|key| SecretBox::new(&key)))
}

/// The secret box for CLI work. Only the server creates the deployment's key
/// (in its data directory, or from configuration); the commands here seal
/// nothing, so without a key they get a throwaway one rather than leaving a
/// `secret.key` wherever they were run.
pub(super) fn cli_secrets(config: &Config, deps: &Deps) -> anyhow::Result<SecretBox> {
    Ok(deployment_box(config)?.unwrap_or_else(|| throwaway_box(deps)))
}

/// A box under a fresh random key, for work that seals nothing kept.
pub(super) fn throwaway_box(deps: &Deps) -> SecretBox {
    SecretBox::new(&bytes::<32>(&*deps.random))
}

/// The database as the CLI writes to it: mail parameters sealed with the
/// deployment's key when there is one (else in clear, so the server can still
/// read them; it seals from then on).
pub(super) fn cli_db(config: &Config, db: &Db) -> anyhow::Result<Db> {
    Ok(match deployment_box(config)? {
        Some(secrets) => db.clone().with_sealing(secrets),
        None => db.clone(),
    })
}

/// One line of standard input: a password piped in (`--password-stdin`).
pub(super) fn read_password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(anyhow!(Error::invalid(
            "password",
            "standard input was empty; pipe the password in, e.g. `printf '%s' \"$PW\" | latchkey ... --password-stdin`"
        )));
    }
    Ok(password)
}
