//! The durable mail outbox: messages are claimed with a lease (on PostgreSQL
//! with `FOR UPDATE SKIP LOCKED`, so several nodes never claim one message
//! twice), and every attempt is recorded.

use latchkey_core::effects::mail::{ClaimedMail, Delivery, MailMessage, OutboxMail};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{MailId, TenantId};
use latchkey_core::platform::lang::Language;
use latchkey_core::store::{OutboxStore, StoreError, StoreResult};
use sqlx::any::AnyRow;

use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::random::OsRandom;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::db::{Backend, Db, Run, col, db_err, maybe_id, parsed, time};
use crate::write::Outcome::{Commit, Rollback};

/// Where a message stands: the words of the `status` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// To be sent (again, after `next_attempt_at`).
    Pending,
    Sent,
    /// Given up.
    Failed,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }
}

/// The `kind` of a row that stands in for mail to nobody (see
/// [`Effects::void_mail`](latchkey_core::store::Effects::void_mail)).
pub(crate) const VOID_KIND: &str = "void";

/// Associated data binding sealed parameters to their message.
pub(crate) fn params_aad(id: &str) -> String {
    format!("outbox:{id}")
}

/// Queues a mail to send ([`Status::Pending`]), or a void one: written the
/// same way, stored as sent (the sender never claims it) with kind
/// [`VOID_KIND`] and no recipient.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    mail: &OutboxMail,
    void: bool,
    sealing: Option<&SecretBox>,
) -> StoreResult<()> {
    let params = serde_json::to_string(&mail.message)
        .map_err(|e| StoreError::Corrupt(format!("mail parameters: {e}")))?;
    let params = match sealing {
        Some(secrets) => secrets.seal(&OsRandom, params.as_bytes(), &params_aad(mail.id.as_str())),
        None => params,
    };
    let (recipient, kind, status) = if void {
        ("", VOID_KIND, Status::Sent)
    } else {
        (
            mail.recipient.as_str(),
            mail.message.kind(),
            Status::Pending,
        )
    };
    sqlx::query(
        "INSERT INTO outbox (id, tenant_id, recipient, language, kind, params, status, attempts, next_attempt_at, locked_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $8, 0, $7, 0, $7)",
    )
    .bind(mail.id.as_str())
    .bind(mail.tenant_id.as_ref().map(TenantId::as_str))
    .bind(recipient)
    .bind(mail.language.as_str())
    .bind(kind)
    .bind(params)
    .bind(mail.created_at.0)
    .bind(status.as_str())
    .run(&mut *conn)
    .await?;
    Ok(())
}

fn from_row(row: &AnyRow, sealing: Option<&SecretBox>) -> StoreResult<ClaimedMail> {
    let id: String = col(row, "id")?;
    let params: String = col(row, "params")?;
    let params = if params.starts_with("v1.") {
        let secrets = sealing
            .ok_or_else(|| StoreError::Corrupt("sealed outbox params, but no key".into()))?;
        let opened = secrets.open(&params, &params_aad(&id)).ok_or_else(|| {
            StoreError::Corrupt("outbox params do not open with the configured key".into())
        })?;
        String::from_utf8(opened).map_err(|e| StoreError::Corrupt(format!("outbox params: {e}")))?
    } else {
        params
    };
    let message: MailMessage = serde_json::from_str(&params)
        .map_err(|e| StoreError::Corrupt(format!("outbox params: {e}")))?;
    Ok(ClaimedMail {
        mail: OutboxMail {
            id: MailId::from(id),
            tenant_id: maybe_id(row, "tenant_id")?,
            recipient: col(row, "recipient")?,
            language: parsed(
                "language",
                Language::parse(&col::<String>(row, "language")?),
            )?,
            message,
            created_at: time(row, "created_at")?,
        },
        attempts: col(row, "attempts")?,
    })
}

impl OutboxStore for Db {
    async fn claim_mail(
        &self,
        now: UnixTime,
        lease_secs: i64,
        limit: u32,
        claim: &str,
    ) -> StoreResult<Vec<ClaimedMail>> {
        let lock = match self.backend() {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            // One writer at a time: the UPDATE is atomic by itself.
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET locked_until = $1, claim_token = $4 WHERE id IN (
               SELECT id FROM outbox
               WHERE status = $5 AND next_attempt_at <= $2 AND locked_until <= $2
               ORDER BY next_attempt_at LIMIT $3 {lock})
             RETURNING id, tenant_id, recipient, language, params, attempts, created_at"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(now.0 + lease_secs)
            .bind(now.0)
            .bind(i64::from(limit))
            .bind(claim)
            .bind(Status::Pending.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            match from_row(row, self.writes.sealing.as_deref()) {
                Ok(mail) => claimed.push(mail),
                Err(err) => {
                    // One unreadable row must not block the others forever.
                    let id: String = col(row, "id")?;
                    tracing::error!(%id, error = %err, "outbox message cannot be read; marked failed");
                    self.record_delivery(
                        &MailId::from(id),
                        claim,
                        &Delivery::Failed {
                            error: format!("unreadable: {err}"),
                        },
                        now,
                    )
                    .await?;
                }
            }
        }
        Ok(claimed)
    }

    async fn record_delivery(
        &self,
        id: &MailId,
        claim: &str,
        outcome: &Delivery,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let (status, next, error) = match outcome {
            Delivery::Sent => (Status::Sent, now, None),
            Delivery::Retry { error, retry_at } => {
                (Status::Pending, *retry_at, Some(error.as_str()))
            }
            Delivery::Failed { error } => (Status::Failed, now, Some(error.as_str())),
        };
        // The attempt's outcome: the message's new status, or `retry`.
        let label = match outcome {
            Delivery::Retry { .. } => "retry",
            _ => status.as_str(),
        };
        self.write(async |tx| {
            // Parameters can hold links with tokens; they go once the message is done.
            let row = sqlx::query(
                "UPDATE outbox SET status = $1, attempts = attempts + 1, next_attempt_at = $2, locked_until = 0,
                        last_error = $3,
                        sent_at = CASE WHEN $7 THEN $4 ELSE sent_at END,
                        params = CASE WHEN $8 THEN params ELSE '{}' END,
                        claim_token = NULL
                 WHERE id = $5 AND claim_token = $6 AND status = $9
                 RETURNING attempts",
            )
            .bind(status.as_str())
            .bind(next.0)
            .bind(error)
            .bind(now.0)
            .bind(id.as_str())
            .bind(claim)
            .bind(status == Status::Sent)
            .bind(status == Status::Pending)
            .bind(Status::Pending.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
            let Some(row) = row else {
                return Ok(Rollback(false));
            };
            let attempt: i64 = col(&row, "attempts")?;
            sqlx::query("INSERT INTO outbox_attempts (message_id, attempt, at, outcome, detail) VALUES ($1, $2, $3, $4, $5)")
                .bind(id.as_str())
                .bind(attempt)
                .bind(now.0)
                .bind(label)
                .bind(error)
                .run(&mut *tx)
                .await?;
            Ok(Commit(true))
        })
        .await
    }

    async fn outbox_counts(&self) -> StoreResult<(i64, i64, i64)> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN status = $1 THEN 1 ELSE 0 END), 0) AS pending,
                    COALESCE(SUM(CASE WHEN status = $2 AND kind <> $4 THEN 1 ELSE 0 END), 0) AS sent,
                    COALESCE(SUM(CASE WHEN status = $3 THEN 1 ELSE 0 END), 0) AS failed
             FROM outbox",
        )
        .bind(Status::Pending.as_str())
        .bind(Status::Sent.as_str())
        .bind(Status::Failed.as_str())
        .bind(VOID_KIND)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok((
            col(&row, "pending")?,
            col(&row, "sent")?,
            col(&row, "failed")?,
        ))
    }
}
