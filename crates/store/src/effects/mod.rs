//! Applying [`Effects`] inside the transaction of the change that causes them.

pub(crate) mod audit;
pub(crate) mod outbox;
pub(crate) mod ratelimit;

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::store::{CounterChange, EffectStore, Effects, StoreResult};
use sqlx::AnyConnection;

use crate::db::{Db, Run};
use crate::write::Outcome::Commit;

pub(crate) async fn apply(
    conn: &mut AnyConnection,
    effects: &Effects<'_>,
    now: UnixTime,
    sealing: Option<&SecretBox>,
) -> StoreResult<()> {
    for event in &effects.audit {
        audit::insert(&mut *conn, event).await?;
    }
    for mail in &effects.mail {
        outbox::insert(conn, mail, false, sealing).await?;
    }
    for mail in &effects.void_mail {
        outbox::insert(conn, mail, true, sealing).await?;
    }
    for change in &effects.counters {
        match *change {
            CounterChange::Clear(key) => ratelimit::clear(&mut *conn, key).await?,
            CounterChange::Add {
                key,
                delta,
                window_secs,
            } => {
                ratelimit::add(&mut *conn, key, delta, now, window_secs).await?;
            }
        }
    }
    if let Some(sign_out) = &effects.sign_out {
        crate::accounts::session::sign_out_others(
            &mut *conn,
            &sign_out.user_id,
            &sign_out.into(),
            now,
        )
        .await?;
    }
    for v in &effects.email_verifications {
        sqlx::query(
            "INSERT INTO email_verifications (id, tenant_id, user_id, email_key, token_hash, created_at, expires_at, used_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
        )
        .bind(&v.id)
        .bind(v.tenant_id.as_str())
        .bind(v.user_id.as_str())
        .bind(&v.email_key)
        .bind(&v.token_hash)
        .bind(v.created_at.0)
        .bind(v.expires_at.0)
        .run(&mut *conn)
        .await?;
    }
    Ok(())
}

impl EffectStore for Db {
    async fn apply(&self, effects: &Effects<'_>, now: UnixTime) -> StoreResult<()> {
        self.write_with(effects, now, async |_| Ok(Commit(())))
            .await
    }
}
