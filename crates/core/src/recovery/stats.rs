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
    /// Cases closed in each of the last [`WEEKS`] weeks by outcome, oldest
    /// first.
    pub weeks: Vec<Week>,
}

/// How many weeks the weekly statistics cover.
pub const WEEKS: i64 = 12;
/// A week in seconds.
pub const WEEK: i64 = 7 * DAY;

/// The cases closed in one week, by outcome (real accounts only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Week {
    /// When the week starts (it is the [`WEEK`] seconds from here).
    pub starts_at: UnixTime,
    pub completed: i64,
    pub cancelled: i64,
    pub expired: i64,
    pub locked: i64,
}

impl Week {
    /// All the cases closed in the week.
    pub fn closed(&self) -> i64 {
        self.completed + self.cancelled + self.expired + self.locked
    }
}

/// The [`WEEKS`] weeks from `since` from counts by week (0 is the one that
/// starts at `since`) and state; weeks outside the range and open states
/// are left out.
pub fn weeks_from_counts(counts: &[(i64, CaseState, i64)], since: UnixTime) -> Vec<Week> {
    let mut weeks: Vec<Week> = (0..WEEKS)
        .map(|i| Week {
            starts_at: since.plus(i * WEEK),
            completed: 0,
            cancelled: 0,
            expired: 0,
            locked: 0,
        })
        .collect();
    for &(i, state, n) in counts {
        let Some(week) = usize::try_from(i).ok().and_then(|i| weeks.get_mut(i)) else {
            continue;
        };
        match state {
            CaseState::Completed => week.completed += n,
            CaseState::Cancelled => week.cancelled += n,
            CaseState::Expired => week.expired += n,
            CaseState::Locked => week.locked += n,
            _ => {}
        }
    }
    weeks
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
    let weeks_since = now.plus(-WEEKS * WEEK);
    let weekly = store
        .weekly_case_counts(&tenant.id, weeks_since, WEEK)
        .await?;
    stats.weeks = weeks_from_counts(&weekly, weeks_since);
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

    #[test]
    fn weeks_are_twelve_oldest_first_by_outcome() {
        let since = UnixTime(1_000_000);
        let counts = [
            (0, CaseState::Completed, 2),
            (0, CaseState::Locked, 1),
            (11, CaseState::Cancelled, 3),
            (11, CaseState::Expired, 4),
            (11, CaseState::Completed, 5),
            // open states, and weeks outside the range, do not count
            (5, CaseState::Waiting, 9),
            (12, CaseState::Completed, 9),
            (-1, CaseState::Completed, 9),
        ];
        let weeks = weeks_from_counts(&counts, since);
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[0].starts_at, since);
        assert_eq!(weeks[11].starts_at, since.plus(11 * WEEK));
        assert_eq!(
            (weeks[0].completed, weeks[0].locked, weeks[0].closed()),
            (2, 1, 3)
        );
        assert_eq!(
            (
                weeks[11].completed,
                weeks[11].cancelled,
                weeks[11].expired,
                weeks[11].closed()
            ),
            (5, 3, 4, 12)
        );
        assert!(weeks[1..11].iter().all(|w| w.closed() == 0));
        assert_eq!(weeks_from_counts(&[], since).len(), 12);
    }
}
