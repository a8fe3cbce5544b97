//! Recovery cases: stored, read, moved on (with optimistic versions),
//! closed, counted wrong and purged.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{CaseId, UserId};
use latchkey_core::recovery::case::{CaseFacts, CaseState, Proofs, RecoveryCase};
use latchkey_core::store::{Effects, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;

use crate::db::{Db, Run, all, col, flag, id, maybe_id, maybe_time, optional, parsed, time};
use crate::effects::outbox;
use crate::factors::recovery_codes;
use crate::write::Outcome::{Commit, Rollback};

const COLUMNS: &str = "id, tenant_id, user_id, state, proof_email_code, proof_password, \
    proof_recovery_code, known_device, wrong_codes, email_key, email_code_hash, \
    email_code_expires_at, browser_hash, cancel_token_hash, return_to, started_at, ready_at, \
    expires_at, updated_at, version, closed_at, surge, proven_at, code_withheld, code_name";

fn from_row(row: &AnyRow) -> StoreResult<RecoveryCase> {
    Ok(RecoveryCase {
        id: id(row, "id")?,
        tenant_id: id(row, "tenant_id")?,
        user_id: maybe_id(row, "user_id")?,
        facts: CaseFacts {
            state: parsed("state", CaseState::parse(&col::<String>(row, "state")?))?,
            proofs: Proofs {
                email_code: flag(row, "proof_email_code")?,
                password: flag(row, "proof_password")?,
                recovery_code: flag(row, "proof_recovery_code")?,
            },
            known_device: flag(row, "known_device")?,
            surge: flag(row, "surge")?,
            wrong_codes: u32::try_from(col::<i64>(row, "wrong_codes")?).unwrap_or(u32::MAX),
            started_at: time(row, "started_at")?,
            proven_at: maybe_time(row, "proven_at")?,
            ready_at: maybe_time(row, "ready_at")?,
            expires_at: time(row, "expires_at")?,
        },
        code_withheld: flag(row, "code_withheld")?,
        code_name: col(row, "code_name")?,
        email_key: col(row, "email_key")?,
        email_code_hash: col(row, "email_code_hash")?,
        email_code_expires_at: maybe_time(row, "email_code_expires_at")?,
        browser_hash: col(row, "browser_hash")?,
        cancel_token_hash: col(row, "cancel_token_hash")?,
        return_to: col(row, "return_to")?,
        updated_at: time(row, "updated_at")?,
        version: col(row, "version")?,
        closed_at: maybe_time(row, "closed_at")?,
    })
}

fn closed_at(case: &RecoveryCase, now: UnixTime) -> Option<i64> {
    if case.facts.state.is_open() {
        None
    } else {
        Some(case.closed_at.unwrap_or(now).0)
    }
}

/// The statement that closes cases as `state` now (`$1`–`$3`); `which` is
/// the condition that picks them, its parameters numbered from `$4`.
pub(crate) fn close_cases(
    state: CaseState,
    now: UnixTime,
    which: &str,
) -> Query<'static, sqlx::Any, AnyArguments> {
    debug_assert!(!state.is_open());
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE recovery_cases SET state = $1, is_open = $2, closed_at = $3, updated_at = $3,
            version = version + 1
         WHERE {which}"
    )))
    .bind(state.as_str())
    .bind(false)
    .bind(now.0)
}

pub(super) async fn insert_case(
    db: &Db,
    case: &RecoveryCase,
    effects: &Effects<'_>,
    now: UnixTime,
) -> StoreResult<()> {
    db.write_with(effects, now, async |tx| {
        let f = &case.facts;
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO recovery_cases ({COLUMNS}, is_open)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"
        )))
        .bind(case.id.as_str())
        .bind(case.tenant_id.as_str())
        .bind(case.user_id.as_ref().map(UserId::as_str))
        .bind(f.state.as_str())
        .bind(f.proofs.email_code)
        .bind(f.proofs.password)
        .bind(f.proofs.recovery_code)
        .bind(f.known_device)
        .bind(i64::from(f.wrong_codes))
        .bind(&case.email_key)
        .bind(&case.email_code_hash)
        .bind(case.email_code_expires_at.map(|t| t.0))
        .bind(&case.browser_hash)
        .bind(&case.cancel_token_hash)
        .bind(&case.return_to)
        .bind(f.started_at.0)
        .bind(f.ready_at.map(|t| t.0))
        .bind(f.expires_at.0)
        .bind(case.updated_at.0)
        .bind(case.version)
        .bind(closed_at(case, now))
        .bind(f.surge)
        .bind(f.proven_at.map(|t| t.0))
        .bind(case.code_withheld)
        .bind(&case.code_name)
        .bind(f.state.is_open())
        .run(&mut *tx)
        .await?;
        Ok(Commit(()))
    })
    .await
}

pub(super) async fn case_by_id(db: &Db, id: &CaseId) -> StoreResult<Option<RecoveryCase>> {
    optional(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM recovery_cases WHERE id = $1"
        )))
        .bind(id.as_str())
        .fetch_optional(&db.pool)
        .await,
        from_row,
    )
}

pub(super) async fn open_cases_for_user(
    db: &Db,
    user_id: &UserId,
) -> StoreResult<Vec<RecoveryCase>> {
    all(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM recovery_cases WHERE user_id = $1 AND is_open
             ORDER BY started_at DESC, id"
        )))
        .bind(user_id.as_str())
        .fetch_all(&db.pool)
        .await,
        from_row,
    )
}

pub(super) async fn lapsed_cases(
    db: &Db,
    now: UnixTime,
    limit: u32,
) -> StoreResult<Vec<RecoveryCase>> {
    all(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM recovery_cases
             WHERE is_open AND (expires_at <= $1 OR (state = $3 AND ready_at <= $1))
             ORDER BY expires_at, id LIMIT $2"
        )))
        .bind(now.0)
        .bind(i64::from(limit))
        .bind(CaseState::Waiting.as_str())
        .fetch_all(&db.pool)
        .await,
        from_row,
    )
}

pub(super) async fn update_case(
    db: &Db,
    case: &RecoveryCase,
    spend_code: Option<&str>,
    supersede: Option<(&CaseId, i64)>,
    effects: &Effects<'_>,
    now: UnixTime,
) -> StoreResult<bool> {
    db.write_with(effects, now, async |tx| {
        if let Some((other, version)) = supersede {
            let cancelled = close_cases(
                CaseState::Cancelled,
                now,
                "id = $4 AND version = $5 AND is_open",
            )
            .bind(other.as_str())
            .bind(version)
            .run(&mut *tx)
            .await?;
            if cancelled != 1 {
                return Ok(Rollback(false));
            }
        }
        let f = &case.facts;
        let updated = sqlx::query(
            "UPDATE recovery_cases SET state = $1, is_open = $2, proof_email_code = $3,
                proof_password = $4, proof_recovery_code = $5, proven_at = $6,
                email_code_hash = $7, email_code_expires_at = $8, cancel_token_hash = $9,
                ready_at = $10, expires_at = $11, updated_at = $12, closed_at = $13,
                email_key = $14, code_withheld = $15, version = version + 1
             WHERE id = $16 AND version = $17",
        )
        .bind(f.state.as_str())
        .bind(f.state.is_open())
        .bind(f.proofs.email_code)
        .bind(f.proofs.password)
        .bind(f.proofs.recovery_code)
        .bind(f.proven_at.map(|t| t.0))
        .bind(&case.email_code_hash)
        .bind(case.email_code_expires_at.map(|t| t.0))
        .bind(&case.cancel_token_hash)
        .bind(f.ready_at.map(|t| t.0))
        .bind(f.expires_at.0)
        .bind(now.0)
        .bind(closed_at(case, now))
        .bind(&case.email_key)
        .bind(case.code_withheld)
        .bind(case.id.as_str())
        .bind(case.version)
        .run(&mut *tx)
        .await?;
        if updated != 1 {
            return Ok(Rollback(false));
        }
        if let Some(code_hash) = spend_code {
            let spent = match &case.user_id {
                Some(user_id) => recovery_codes::spend(&mut *tx, user_id, code_hash, now).await?,
                None => false,
            };
            if !spent {
                return Ok(Rollback(false));
            }
        }
        Ok(Commit(true))
    })
    .await
}

pub(super) async fn count_wrong_proof(
    db: &Db,
    case_id: &CaseId,
    now: UnixTime,
) -> StoreResult<Option<RecoveryCase>> {
    db.write(async |tx| {
        let counted = optional(
            sqlx::query(AssertSqlSafe(format!(
                "UPDATE recovery_cases SET wrong_codes = wrong_codes + 1, updated_at = $1,
                    version = version + 1
                 WHERE id = $2 AND is_open
                 RETURNING {COLUMNS}"
            )))
            .bind(now.0)
            .bind(case_id.as_str())
            .fetch_optional(&mut *tx)
            .await,
            from_row,
        )?;
        Ok(Commit(counted))
    })
    .await
}

pub(super) async fn purge_closed_cases(db: &Db, before: UnixTime) -> StoreResult<u64> {
    db.write(async |tx| {
        let cases = sqlx::query(
            "DELETE FROM recovery_cases WHERE closed_at IS NOT NULL AND closed_at < $1",
        )
        .bind(before.0)
        .run(&mut *tx)
        .await?;
        // the void rows that stood in for mail to nobody
        sqlx::query("DELETE FROM outbox WHERE kind = $1 AND created_at < $2")
            .bind(outbox::VOID_KIND)
            .bind(before.0)
            .run(&mut *tx)
            .await?;
        Ok(Commit(cases))
    })
    .await
}

pub(super) async fn case_by_browser(
    db: &Db,
    browser_hash: &str,
) -> StoreResult<Option<RecoveryCase>> {
    optional(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM recovery_cases WHERE browser_hash = $1
             ORDER BY started_at DESC, id LIMIT 1"
        )))
        .bind(browser_hash)
        .fetch_optional(&db.pool)
        .await,
        from_row,
    )
}

pub(super) async fn case_by_cancel_hash(
    db: &Db,
    cancel_hash: &str,
) -> StoreResult<Option<RecoveryCase>> {
    optional(
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM recovery_cases WHERE cancel_token_hash = $1"
        )))
        .bind(cancel_hash)
        .fetch_optional(&db.pool)
        .await,
        from_row,
    )
}
