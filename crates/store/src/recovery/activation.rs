//! Tenant admins' requests to activate self-recovery, and the operator's
//! decisions on them.

use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::TenantId;
use latchkey_core::recovery::activation::{ActivationRequest, RequestStatus};
use latchkey_core::store::{Effects, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::db::{Db, Run, all, col, id, maybe_time, optional, parsed, time};
use crate::write::Outcome::{Commit, Rollback};

const REQUEST_COLUMNS: &str = "id, tenant_id, requested_by, note, status, decided_by, decision_reason, created_at, decided_at";

fn request_from_row(row: &AnyRow) -> StoreResult<ActivationRequest> {
    Ok(ActivationRequest {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        requested_by: crate::effects::audit::actor(row, "requested_by")?,
        note: col(row, "note")?,
        status: parsed(
            "status",
            RequestStatus::parse(&col::<String>(row, "status")?),
        )?,
        decided_by: col::<Option<String>>(row, "decided_by")?
            .map(|a| parsed("decided_by", Actor::parse(&a).ok_or("not an actor")))
            .transpose()?,
        decision_reason: col(row, "decision_reason")?,
        created_at: time(row, "created_at")?,
        decided_at: maybe_time(row, "decided_at")?,
    })
}

pub(super) async fn insert_activation_request(
    db: &Db,
    r: &ActivationRequest,
    effects: &Effects<'_>,
    now: UnixTime,
) -> StoreResult<()> {
    db.write_with(effects, now, async |tx| {
        sqlx::query(
            "INSERT INTO recovery_requests (id, tenant_id, requested_by, note, status, decided_by, decision_reason, created_at, decided_at)
             VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, NULL)",
        )
        .bind(r.id.as_str())
        .bind(r.tenant_id.as_str())
        .bind(r.requested_by.to_string())
        .bind(&r.note)
        .bind(r.status.as_str())
        .bind(r.created_at.0)
        .run(&mut *tx)
        .await?;
        Ok(Commit(()))
    })
    .await
}

pub(super) async fn pending_activation_request(
    db: &Db,
    tenant_id: &TenantId,
) -> StoreResult<Option<ActivationRequest>> {
    optional(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM recovery_requests WHERE tenant_id = $1 AND status = $2"
        )))
        .bind(tenant_id.as_str())
        .bind(RequestStatus::Pending.as_str())
        .fetch_optional(&db.pool)
        .await,
        request_from_row,
    )
}

pub(super) async fn latest_activation_request(
    db: &Db,
    tenant_id: &TenantId,
) -> StoreResult<Option<ActivationRequest>> {
    optional(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM recovery_requests WHERE tenant_id = $1
             ORDER BY created_at DESC, id LIMIT 1"
        )))
        .bind(tenant_id.as_str())
        .fetch_optional(&db.pool)
        .await,
        request_from_row,
    )
}

pub(super) async fn pending_activation_requests(db: &Db) -> StoreResult<Vec<ActivationRequest>> {
    all(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM recovery_requests WHERE status = $1
             ORDER BY created_at, id"
        )))
        .bind(RequestStatus::Pending.as_str())
        .fetch_all(&db.pool)
        .await,
        request_from_row,
    )
}

pub(super) async fn decide_activation_request(
    db: &Db,
    r: &ActivationRequest,
    effects: &Effects<'_>,
    now: UnixTime,
) -> StoreResult<bool> {
    db.write_with(effects, now, async |tx| {
        let updated = sqlx::query(
            "UPDATE recovery_requests SET status = $1, decided_by = $2, decision_reason = $3, decided_at = $4
             WHERE id = $5 AND status = $6",
        )
        .bind(r.status.as_str())
        .bind(r.decided_by.as_ref().map(Actor::to_string))
        .bind(&r.decision_reason)
        .bind(now.0)
        .bind(r.id.as_str())
        .bind(RequestStatus::Pending.as_str())
        .run(&mut *tx)
        .await?;
        if updated != 1 {
            return Ok(Rollback(false));
        }
        if r.status == RequestStatus::Approved {
            sqlx::query(
                "UPDATE tenants SET self_recovery = $1, updated_at = $2, version = version + 1 WHERE id = $3",
            )
                .bind(true)
                .bind(now.0)
                .bind(r.tenant_id.as_str())
                .run(&mut *tx)
                .await?;
        }
        Ok(Commit(true))
    })
    .await
}
