//! Applying [`Effects`] inside the transaction of the change that causes them.

pub(crate) mod audit;
pub(crate) mod outbox;
pub(crate) mod ratelimit;

use latchkey_core::effects::mail::OutboxMail;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::store::{CounterChange, EffectStore, Effects, StoreError, StoreResult};
use sqlx::AnyConnection;

use crate::db::{Db, db_err};
use crate::write::Outcome::Commit;

pub(crate) async fn apply(
    conn: &mut AnyConnection,
    effects: &Effects<'_>,
    now: UnixTime,
    sealing: Option<&SecretBox>,
) -> StoreResult<()> {
    for event in &effects.audit {
        crate::effects::audit::insert(&mut *conn, event).await?;
    }
    for mail in &effects.mail {
        insert_mail(conn, mail, "pending", sealing).await?;
    }
    for mail in &effects.void_mail {
        insert_mail(conn, mail, "void", sealing).await?;
    }
    for change in &effects.counters {
        match *change {
            CounterChange::Clear(key) => crate::effects::ratelimit::clear(&mut *conn, key).await?,
            CounterChange::Add {
                key,
                delta,
                window_secs,
            } => {
                crate::effects::ratelimit::add(&mut *conn, key, delta, now, window_secs).await?;
            }
        }
    }
    for v in &effects.email_verifications {
        sqlx::query(
            "INSERT INTO email_verifications (id, tenant_id, user_id, email_key, token_hash, created_at, expires_at, used_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
        )
        .bind(&v.id)
        .bind(&v.tenant_id)
        .bind(&v.user_id)
        .bind(&v.email_key)
        .bind(&v.token_hash)
        .bind(v.created_at.0)
        .bind(v.expires_at.0)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// Associated data binding sealed parameters to their message.
pub(crate) fn params_aad(id: &str) -> String {
    format!("outbox:{id}")
}

/// Inserts a mail to send (`pending`), or a `void` one: written the same
/// way, stored as sent (the sender never claims it) with kind `void` and no
/// recipient.
async fn insert_mail(
    conn: &mut AnyConnection,
    mail: &OutboxMail,
    how: &str,
    sealing: Option<&SecretBox>,
) -> StoreResult<()> {
    let void = how == "void";
    let params = serde_json::to_string(&mail.message)
        .map_err(|e| StoreError::Corrupt(format!("mail parameters: {e}")))?;
    let params = match sealing {
        Some(secrets) => secrets.seal(&OsRandom, params.as_bytes(), &params_aad(&mail.id)),
        None => params,
    };
    sqlx::query(
        "INSERT INTO outbox (id, tenant_id, recipient, language, kind, params, status, attempts, next_attempt_at, locked_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $8, 0, $7, 0, $7)",
    )
    .bind(&mail.id)
    .bind(mail.tenant_id.as_deref())
    .bind(if void { "" } else { mail.recipient.as_str() })
    .bind(mail.language.as_str())
    .bind(if void { "void" } else { mail.message.kind() })
    .bind(params)
    .bind(mail.created_at.0)
    .bind(if void { "sent" } else { "pending" })
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

impl EffectStore for Db {
    async fn apply(&self, effects: &Effects<'_>, now: UnixTime) -> StoreResult<()> {
        self.write_with(effects, now, async |_| Ok(Commit(())))
            .await
    }
}
