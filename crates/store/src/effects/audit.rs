//! The audit trail: events written with the change they record, or alone.

use latchkey_core::effects::audit::{Actor, AuditEvent, AuditFilter};
use latchkey_core::platform::ids::{TenantId, UserId};
use latchkey_core::store::{AuditStore, StoreResult};
use sqlx::any::AnyRow;

use sqlx::{Any, AssertSqlSafe, Executor};

use crate::db::{Db, Run, all, col, id, maybe_id, parsed, time};

/// Reads a stored actor (`user:<id>`, `operator`, …).
pub(crate) fn actor(row: &AnyRow, name: &str) -> StoreResult<Actor> {
    parsed(
        name,
        Actor::parse(&col::<String>(row, name)?).ok_or("not an actor"),
    )
}

pub(crate) fn from_row(row: &AnyRow) -> StoreResult<AuditEvent> {
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

    async fn query_audit(
        &self,
        tenant_id: &TenantId,
        filter: &AuditFilter,
        limit: u32,
    ) -> StoreResult<Vec<AuditEvent>> {
        let (sql, binds) = filtered(filter);
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(tenant_id.as_str());
        for bind in binds {
            query = match bind {
                Bind::Text(text) => query.bind(text),
                Bind::Int(n) => query.bind(n),
            };
        }
        all(
            query.bind(i64::from(limit)).fetch_all(&self.pool).await,
            from_row,
        )
    }
}

enum Bind {
    Text(String),
    Int(i64),
}

/// The audit log's query for `filter`: the conditions it sets, each with
/// its parameter (`$1` is the tenant, the last the limit), in the order of
/// the indexes of migration 0022. The cursor's condition is written as
/// `at < $a OR (at = $a AND id < $i)`, which both engines turn into a
/// range of the `(tenant_id, at, id)` index.
fn filtered(filter: &AuditFilter) -> (String, Vec<Bind>) {
    let mut sql = String::from(
        "SELECT id, tenant_id, user_id, actor, event, ip, user_agent, detail, at
         FROM audit_events WHERE tenant_id = $1",
    );
    let mut binds = vec![];
    let next = |bind: Bind, binds: &mut Vec<Bind>| {
        binds.push(bind);
        format!("${}", binds.len() + 1)
    };
    if let Some(person) = &filter.person {
        let user = next(Bind::Text(person.as_str().to_owned()), &mut binds);
        let as_user = next(
            Bind::Text(Actor::User(person.clone()).to_string()),
            &mut binds,
        );
        let as_admin = next(
            Bind::Text(Actor::Admin(person.clone()).to_string()),
            &mut binds,
        );
        sql.push_str(&format!(
            " AND (user_id = {user} OR actor = {as_user} OR actor = {as_admin})"
        ));
    }
    if let Some(kind) = filter.kind {
        let p = next(Bind::Text(kind.as_str().to_owned()), &mut binds);
        sql.push_str(&format!(" AND event = {p}"));
    }
    if let Some(from) = filter.from {
        let p = next(Bind::Int(from.0), &mut binds);
        sql.push_str(&format!(" AND at >= {p}"));
    }
    if let Some(until) = filter.until {
        let p = next(Bind::Int(until.0), &mut binds);
        sql.push_str(&format!(" AND at < {p}"));
    }
    if let Some(after) = &filter.after {
        let at = next(Bind::Int(after.at.0), &mut binds);
        let id = next(Bind::Text(after.id.clone()), &mut binds);
        sql.push_str(&format!(" AND (at < {at} OR (at = {at} AND id < {id}))"));
    }
    let limit = binds.len() + 2;
    sql.push_str(&format!(" ORDER BY at DESC, id DESC LIMIT ${limit}"));
    (sql, binds)
}
