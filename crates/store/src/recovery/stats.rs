//! The statistics over recovery that operators and tenant admins see.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::recovery::case::CaseState;
use latchkey_core::store::StoreResult;

use crate::db::{Db, all, col, db_err, parsed};

pub(super) async fn completion_durations(
    db: &Db,
    tenant_id: &TenantId,
    since: UnixTime,
) -> StoreResult<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT closed_at - started_at FROM recovery_cases
         WHERE tenant_id = $1 AND user_id IS NOT NULL AND state = $3
           AND closed_at IS NOT NULL AND closed_at >= $2",
    )
    .bind(tenant_id.as_str())
    .bind(since.0)
    .bind(CaseState::Completed.as_str())
    .fetch_all(&db.pool)
    .await
    .map_err(db_err)
}

pub(super) async fn helpdesk_resets(
    db: &Db,
    tenant_id: &TenantId,
    since: UnixTime,
) -> StoreResult<i64> {
    audit_count(db, tenant_id, "factors.reset", since).await
}

pub(super) async fn surges(db: &Db, tenant_id: &TenantId, since: UnixTime) -> StoreResult<i64> {
    audit_count(db, tenant_id, "recovery.surge", since).await
}

pub(super) async fn case_counts(
    db: &Db,
    tenant_id: &TenantId,
    since: UnixTime,
) -> StoreResult<Vec<(CaseState, i64)>> {
    all(
        sqlx::query(
            "SELECT state, COUNT(*) AS n FROM recovery_cases
             WHERE tenant_id = $1 AND user_id IS NOT NULL AND (is_open OR closed_at >= $2)
             GROUP BY state ORDER BY state",
        )
        .bind(tenant_id.as_str())
        .bind(since.0)
        .fetch_all(&db.pool)
        .await,
        |row| {
            Ok((
                parsed("state", CaseState::parse(&col::<String>(row, "state")?))?,
                col(row, "n")?,
            ))
        },
    )
}

pub(super) async fn weekly_case_counts(
    db: &Db,
    tenant_id: &TenantId,
    since: UnixTime,
    week_secs: i64,
) -> StoreResult<Vec<(i64, CaseState, i64)>> {
    all(
        sqlx::query(
            "SELECT (closed_at - $2) / $3 AS week, state, COUNT(*) AS n FROM recovery_cases
             WHERE tenant_id = $1 AND user_id IS NOT NULL AND NOT is_open
               AND closed_at IS NOT NULL AND closed_at >= $2
             GROUP BY week, state ORDER BY week, state",
        )
        .bind(tenant_id.as_str())
        .bind(since.0)
        .bind(week_secs.max(1))
        .fetch_all(&db.pool)
        .await,
        |row| {
            Ok((
                col(row, "week")?,
                parsed("state", CaseState::parse(&col::<String>(row, "state")?))?,
                col(row, "n")?,
            ))
        },
    )
}

/// Audit events of one kind in a tenant since a time.
async fn audit_count(
    db: &Db,
    tenant_id: &TenantId,
    event: &str,
    since: UnixTime,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND event = $2 AND at >= $3",
    )
    .bind(tenant_id.as_str())
    .bind(event)
    .bind(since.0)
    .fetch_one(&db.pool)
    .await
    .map_err(db_err)
}
