//! Cases nobody looks at move on: waits end, cases expire, closed ones go.

use super::*;

/// Moves cases on that nobody looks at — waits that are over become ready,
/// cases past their end expire, decoys alike — audited like any
/// transition, and deletes closed cases older than
/// [`crate::recovery::stats::CLOSED_CASE_RETENTION_SECS`]. Returns how many
/// changed. (Pages do the same lazily for the case they show.)
pub async fn housekeeping<S: RecoveryStore + TenantStore + UserStore, W>(
    env: &Env<'_, S, W>,
) -> Result<usize, Error> {
    let now = env.clock.now();
    env.store
        .purge_closed_cases(now.plus(-crate::recovery::stats::CLOSED_CASE_RETENTION_SECS))
        .await?;
    let mut changed = 0;
    // In batches, so that a flood of lapsed decoys does not hold back the
    // "you can finish" mails behind them for long.
    for _ in 0..HOUSEKEEPING_BATCHES {
        let lapsed = env.store.lapsed_cases(now, HOUSEKEEPING_BATCH).await?;
        let full = lapsed.len() >= HOUSEKEEPING_BATCH as usize;
        if lapsed.is_empty() {
            break;
        }
        let tenants = env.store.list_tenants().await?;
        for case in lapsed {
            let Some(tenant) = tenants.iter().find(|t| t.id == case.tenant_id) else {
                continue;
            };
            let before = case.facts.state;
            let (after, _) = ticked(env, tenant, case, &RequestMeta::default()).await?;
            changed += usize::from(after.facts.state != before);
        }
        if !full {
            break;
        }
    }
    Ok(changed)
}

pub(super) const HOUSEKEEPING_BATCH: u32 = 500;

pub(super) const HOUSEKEEPING_BATCHES: usize = 40;
