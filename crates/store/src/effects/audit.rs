//! The audit trail: events written with the change they record, or alone.

use latchkey_core::effects::audit::{Actor, AuditEvent};
use latchkey_core::platform::ids::{TenantId, UserId};
use latchkey_core::store::{AuditStore, StoreResult};
use sqlx::any::AnyRow;

use sqlx::{Any, Executor};

use crate::db::{Db, Run, all, col, id, maybe_id, parsed, time};

/// Reads a stored actor (`user:<id>`, `operator`, …).
pub(crate) fn actor(row: &AnyRow, name: &str) -> StoreResult<Actor> {
    parsed(
        name,
        Actor::parse(&col::<String>(row, name)?).ok_or("not an actor"),
    )
}

fn from_row(row: &AnyRow) -> StoreResult<AuditEvent> {
    Ok(AuditEvent {
        id: id(row, "id")?,
        tenant_id: maybe_id(row, "tenant_id")?,
        user_id: maybe_id(row, "user_id")?,
        actor: actor(row, "actor")?,
        event: col(row, "event")?,
        ip: col(row, "ip")?,
        user_agent: col(row, "user_agent")?,
        detail: col(row, "detail")?,
        at: time(row, "at")?,
    })
}

/// Writes one audit event, on the pool or inside a transaction.
pub(crate) async fn insert<'e, X: Executor<'e, Database = Any> + 'e>(
    executor: X,
    e: &AuditEvent,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_events (id, tenant_id, user_id, actor, event, ip, user_agent, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&e.id)
    .bind(e.tenant_id.as_ref().map(TenantId::as_str))
    .bind(e.user_id.as_ref().map(UserId::as_str))
    .bind(e.actor.to_string())
    .bind(&e.event)
    .bind(e.ip.as_deref())
    .bind(e.user_agent.as_deref())
    .bind(&e.detail)
    .bind(e.at.0)
    .run(executor)
    .await?;
    Ok(())
}

impl AuditStore for Db {
    async fn insert_audit(&self, e: &AuditEvent) -> StoreResult<()> {
        insert(&self.pool, e).await
    }

    async fn list_audit(&self, tenant_id: &TenantId, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        all(
            sqlx::query(
                "SELECT id, tenant_id, user_id, actor, event, ip, user_agent, detail, at
             FROM audit_events WHERE tenant_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
            )
            .bind(tenant_id.as_str())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }

    async fn user_audit(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        limit: u32,
    ) -> StoreResult<Vec<AuditEvent>> {
        all(
            sqlx::query(
                "SELECT id, tenant_id, user_id, actor, event, ip, user_agent, detail, at
             FROM audit_events WHERE user_id = $1 AND tenant_id = $2
             ORDER BY at DESC, id DESC LIMIT $3",
            )
            .bind(user_id.as_str())
            .bind(tenant_id.as_str())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }
}
