//! A tenant's recovery statistics: cases started, completed, cancelled,
//! expired, locked, the median time to complete, self-recoveries against
//! helpdesk resets, surges — over the last 90 days (closed cases are kept
//! that long).

use super::case::*;
use crate::Error;
use crate::platform::clock::UnixTime;
use crate::platform::time::DAY;
use crate::store::RecoveryStore;
use crate::tenants::Tenant;

/// A tenant's recovery statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub started: i64,
    pub open: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub expired: i64,
    pub locked: i64,
    /// Median seconds from start to completion of completed cases.
    pub median_secs_to_complete: Option<i64>,
    /// Users who recovered themselves: helpdesk resets avoided.
    pub self_recoveries: i64,
    /// Second-factor resets done by the helpdesk.
    pub helpdesk_resets: i64,
    /// Surges of recovery starts (each made new cases wait longer and
    /// alerted the operator).
    pub surges: i64,
}

impl Stats {
    /// From case counts by state, durations of completed cases, and the
    /// number of helpdesk resets.
    pub fn from_counts(
        counts: &[(CaseState, i64)],
        mut durations: Vec<i64>,
        helpdesk_resets: i64,
    ) -> Stats {
        let mut stats = Stats {
            helpdesk_resets,
            ..Default::default()
        };
        for (state, n) in counts {
            stats.started += n;
            match state {
                CaseState::Completed => stats.completed += n,
                CaseState::Cancelled => stats.cancelled += n,
                CaseState::Expired => stats.expired += n,
                CaseState::Locked => stats.locked += n,
                _ => stats.open += n,
            }
        }
        stats.self_recoveries = stats.completed;
        durations.sort_unstable();
        stats.median_secs_to_complete = match durations.len() {
            0 => None,
            n if n % 2 == 1 => Some(durations[n / 2]),
            n => Some((durations[n / 2 - 1] + durations[n / 2]) / 2),
        };
        stats
    }
}

/// How long a closed case (real or decoy) is kept; statistics cover open
/// cases and those closed within this time. (The audit log keeps every
/// transition for as long as audit events are kept.)
pub const CLOSED_CASE_RETENTION_SECS: i64 = 90 * DAY;

/// A tenant's recovery statistics over the last 90 days, from the store.
pub async fn stats<S: RecoveryStore>(
    store: &S,
    tenant: &Tenant,
    now: UnixTime,
) -> Result<Stats, Error> {
    let since = now.plus(-CLOSED_CASE_RETENTION_SECS);
    let counts = store.case_counts(&tenant.id, since).await?;
    let durations = store.completion_durations(&tenant.id, since).await?;
    let resets = store.helpdesk_resets(&tenant.id, since).await?;
    let mut stats = Stats::from_counts(&counts, durations, resets);
    stats.surges = store.surges(&tenant.id, since).await?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_add_up() {
        let counts = [
            (CaseState::Completed, 3),
            (CaseState::Cancelled, 1),
            (CaseState::Waiting, 2),
            (CaseState::Locked, 1),
        ];
        let stats = Stats::from_counts(&counts, vec![300, 100, DAY], 4);
        assert_eq!(
            (
                stats.started,
                stats.open,
                stats.completed,
                stats.cancelled,
                stats.locked
            ),
            (7, 2, 3, 1, 1)
        );
        assert_eq!(stats.median_secs_to_complete, Some(300));
        assert_eq!(
            Stats::from_counts(&[], vec![10, 30], 0).median_secs_to_complete,
            Some(20)
        );
        assert_eq!(
            Stats::from_counts(&[], vec![], 0).median_secs_to_complete,
            None
        );
        assert_eq!((stats.self_recoveries, stats.helpdesk_resets), (3, 4));
    }
}
