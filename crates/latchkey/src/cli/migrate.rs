//! `latchkey migrate`: apply the database migrations and exit.

use latchkey_store::redact_url;

use crate::config::Config;
use crate::server::{self, Deps};

pub(super) async fn run(config: &Config, deps: &Deps) -> anyhow::Result<()> {
    let db = server::connect(config).await?;
    let applied = db.migrate(deps.clock.now().0).await?;
    let status = db.migration_status().await?;
    println!(
        "{} database {} is up to date: {} migration(s) applied now, {} in all",
        db.backend().name(),
        redact_url(&config.database_url()),
        applied.len(),
        status.applied.len()
    );
    Ok(())
}
