//! Resetting a user's second factors (a completed case, or the helpdesk):
//! what they had goes to the factor history, the factors and everything
//! they vouched for go, in one transaction.

use latchkey_core::accounts::held::Held;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::UserId;
use latchkey_core::recovery::case::{CaseState, FactorKind, FactorRecord, FactorReset, RemovedBy};
use latchkey_core::store::{Effects, StoreResult};

use super::cases::close_cases;
use crate::accounts::session;
use crate::accounts::user::{lock_user, remove_held};
use crate::db::{Db, Run, all, col, db_err, parsed, time};
use crate::write::Outcome::{Commit, Rollback};

/// Every second factor of the user the reset removes, as history entries
/// removed now.
async fn history_of(
    conn: &mut sqlx::AnyConnection,
    reset: &FactorReset,
) -> StoreResult<Vec<(FactorKind, String, i64)>> {
    let mut entries = vec![];
    let goes = |held| reset.ends.contains(&held);
    if goes(Held::AuthenticatorApp) {
        let totp: Vec<i64> =
            sqlx::query_scalar("SELECT created_at FROM totp_credentials WHERE user_id = $1")
                .bind(reset.user_id.as_str())
                .fetch_all(&mut *conn)
                .await
                .map_err(db_err)?;
        entries.extend(
            totp.into_iter()
                .map(|at| (FactorKind::Totp, "authenticator app".to_owned(), at)),
        );
    }
    if goes(Held::Passkeys) {
        let passkeys = sqlx::query("SELECT name, created_at FROM passkeys WHERE user_id = $1")
            .bind(reset.user_id.as_str())
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        for row in &passkeys {
            entries.push((
                FactorKind::Passkey,
                col(row, "name")?,
                col(row, "created_at")?,
            ));
        }
    }
    if goes(Held::RecoveryCodes) {
        let codes: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(created_at) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(reset.user_id.as_str())
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
        if let Some(at) = codes {
            entries.push((FactorKind::RecoveryCodes, "recovery codes".to_owned(), at));
        }
    }
    Ok(entries)
}

pub(super) async fn reset_second_factors(
    db: &Db,
    reset: &FactorReset,
    effects: &Effects<'_>,
    now: UnixTime,
) -> StoreResult<bool> {
    db.write_with(effects, now, async |tx| {
        // The user row first: removals and resets of one user take turns.
        lock_user(db, tx, &reset.user_id).await?;
        if let Some((case_id, version)) = &reset.case {
            let completed = close_cases(
                CaseState::Completed,
                now,
                "id = $4 AND user_id = $5 AND state = $6 AND version = $7",
            )
            .bind(case_id.as_str())
            .bind(reset.user_id.as_str())
            .bind(CaseState::Ready.as_str())
            .bind(version)
            .run(&mut *tx)
            .await?;
            if completed != 1 {
                return Ok(Rollback(false));
            }
        }
        let history = history_of(&mut *tx, reset).await?;
        for (i, (kind, name, enrolled_at)) in history.into_iter().enumerate() {
            sqlx::query(
                "INSERT INTO factor_history (id, tenant_id, user_id, kind, name, enrolled_at, removed_at, removed_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(format!("{}-{i}", reset.id))
            .bind(reset.tenant_id.as_str())
            .bind(reset.user_id.as_str())
            .bind(kind.as_str())
            .bind(name)
            .bind(enrolled_at)
            .bind(now.0)
            .bind(reset.removed_by.to_string())
            .run(&mut *tx)
            .await?;
        }
        remove_held(tx, &reset.user_id, reset.ends).await?;
        sqlx::query("UPDATE users SET security_stamp = $1, updated_at = $2 WHERE id = $3")
            .bind(&reset.security_stamp)
            .bind(now.0)
            .bind(reset.user_id.as_str())
            .run(&mut *tx)
            .await?;
        if let Some(session) = &reset.session {
            session::insert(&mut *tx, session).await?;
        }
        Ok(Commit(true))
    })
    .await
}

pub(super) async fn factor_history(db: &Db, user_id: &UserId) -> StoreResult<Vec<FactorRecord>> {
    all(
        sqlx::query(
            "SELECT kind, name, enrolled_at, removed_at, removed_by FROM factor_history
             WHERE user_id = $1 ORDER BY removed_at DESC, kind, name",
        )
        .bind(user_id.as_str())
        .fetch_all(&db.pool)
        .await,
        |row| {
            Ok(FactorRecord {
                kind: parsed("kind", FactorKind::parse(&col::<String>(row, "kind")?))?,
                name: col(row, "name")?,
                enrolled_at: time(row, "enrolled_at")?,
                removed_at: time(row, "removed_at")?,
                removed_by: parsed(
                    "removed_by",
                    RemovedBy::parse(&col::<String>(row, "removed_by")?).ok_or("not a remover"),
                )?,
            })
        },
    )
}
