//! Account Self-Recovery's tables: cases, known devices, factor history,
//! the tenants' activation requests and the statistics over them.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::case::{
    ActivationRequest, CaseFacts, CaseState, FactorKind, FactorRecord, FactorReset, Proofs,
    RecoveryCase, RequestStatus,
};
use latchkey_core::store::{Effects, RecoveryStore, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::accounts::user::{delete_rows_of, lock_user};
use crate::db::{Db, Run, all, col, db_err, flag, optional, parsed};
use crate::effects::outbox;
use crate::write::Outcome::{Commit, Rollback};

const COLUMNS: &str = "id, tenant_id, user_id, state, proof_email_code, proof_password, \
    proof_recovery_code, known_device, wrong_codes, email_key, email_code_hash, \
    email_code_expires_at, browser_hash, cancel_token_hash, return_to, started_at, ready_at, \
    expires_at, updated_at, version, closed_at, surge, proven_at, code_withheld";

fn from_row(row: &AnyRow) -> StoreResult<RecoveryCase> {
    let at = |name: &str| col::<Option<i64>>(row, name).map(|v| v.map(UnixTime));
    Ok(RecoveryCase {
        id: col(row, "id")?,
        tenant_id: col(row, "tenant_id")?,
        user_id: col(row, "user_id")?,
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
            started_at: UnixTime(col(row, "started_at")?),
            proven_at: at("proven_at")?,
            ready_at: at("ready_at")?,
            expires_at: UnixTime(col(row, "expires_at")?),
        },
        code_withheld: flag(row, "code_withheld")?,
        email_key: col(row, "email_key")?,
        email_code_hash: col(row, "email_code_hash")?,
        email_code_expires_at: at("email_code_expires_at")?,
        browser_hash: col(row, "browser_hash")?,
        cancel_token_hash: col(row, "cancel_token_hash")?,
        return_to: col(row, "return_to")?,
        updated_at: UnixTime(col(row, "updated_at")?),
        version: col(row, "version")?,
        closed_at: at("closed_at")?,
    })
}

const REQUEST_COLUMNS: &str = "id, tenant_id, requested_by, note, status, decided_by, decision_reason, created_at, decided_at";

fn request_from_row(row: &AnyRow) -> StoreResult<ActivationRequest> {
    Ok(ActivationRequest {
        id: col(row, "id")?,
        tenant_id: col(row, "tenant_id")?,
        requested_by: col(row, "requested_by")?,
        note: col(row, "note")?,
        status: parsed(
            "status",
            RequestStatus::parse(&col::<String>(row, "status")?),
        )?,
        decided_by: col(row, "decided_by")?,
        decision_reason: col(row, "decision_reason")?,
        created_at: UnixTime(col(row, "created_at")?),
        decided_at: col::<Option<i64>>(row, "decided_at")?.map(UnixTime),
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
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
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

/// Every second factor the user has, as history entries removed now.
async fn history_of(
    conn: &mut sqlx::AnyConnection,
    reset: &FactorReset,
) -> StoreResult<Vec<(FactorKind, String, i64)>> {
    let mut entries = vec![];
    let totp: Vec<i64> =
        sqlx::query_scalar("SELECT created_at FROM totp_credentials WHERE user_id = $1")
            .bind(&reset.user_id)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
    entries.extend(
        totp.into_iter()
            .map(|at| (FactorKind::Totp, "authenticator app".to_owned(), at)),
    );
    let passkeys = sqlx::query("SELECT name, created_at FROM passkeys WHERE user_id = $1")
        .bind(&reset.user_id)
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
    let codes: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(created_at) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(&reset.user_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    if let Some(at) = codes {
        entries.push((FactorKind::RecoveryCodes, "recovery codes".to_owned(), at));
    }
    Ok(entries)
}

impl RecoveryStore for Db {
    async fn insert_case(
        &self,
        case: &RecoveryCase,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            let f = &case.facts;
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO recovery_cases ({COLUMNS}, is_open)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
            )))
            .bind(&case.id)
            .bind(&case.tenant_id)
            .bind(&case.user_id)
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
            .bind(f.state.is_open())
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn case_by_id(&self, id: &str) -> StoreResult<Option<RecoveryCase>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM recovery_cases WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn open_cases_for_user(&self, user_id: &str) -> StoreResult<Vec<RecoveryCase>> {
        all(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM recovery_cases WHERE user_id = $1 AND is_open
                 ORDER BY started_at DESC, id"
            )))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }

    async fn lapsed_cases(&self, now: UnixTime, limit: u32) -> StoreResult<Vec<RecoveryCase>> {
        all(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM recovery_cases
                 WHERE is_open AND (expires_at <= $1 OR (state = $3 AND ready_at <= $1))
                 ORDER BY expires_at, id LIMIT $2"
            )))
            .bind(now.0)
            .bind(i64::from(limit))
            .bind(CaseState::Waiting.as_str())
            .fetch_all(&self.pool)
            .await,
            from_row,
        )
    }

    async fn rotate_device(
        &self,
        old_hash: Option<&str>,
        new_hash: &str,
        tenant_id: &str,
        user_id: &str,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write(async |tx| {
            if let Some(old) = old_hash {
                sqlx::query("DELETE FROM known_devices WHERE id_hash = $1 AND user_id = $2")
                    .bind(old)
                    .bind(user_id)
                    .run(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO known_devices (id_hash, tenant_id, user_id, created_at, last_seen_at)
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(new_hash)
            .bind(tenant_id)
            .bind(user_id)
            .bind(now.0)
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn update_case(
        &self,
        case: &RecoveryCase,
        spend_code: Option<&str>,
        supersede: Option<(&str, i64)>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            if let Some((other, version)) = supersede {
                let cancelled = close_cases(
                    CaseState::Cancelled,
                    now,
                    "id = $4 AND version = $5 AND is_open",
                )
                .bind(other)
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
                    version = version + 1
                 WHERE id = $14 AND version = $15",
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
            .bind(&case.id)
            .bind(case.version)
            .run(&mut *tx)
            .await?;
            if updated != 1 {
                return Ok(Rollback(false));
            }
            if let Some(code_hash) = spend_code {
                let spent = match &case.user_id {
                    Some(user_id) => {
                        crate::factors::recovery_codes::spend(&mut *tx, user_id, code_hash, now)
                            .await?
                    }
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

    async fn count_wrong_proof(
        &self,
        case_id: &str,
        now: UnixTime,
    ) -> StoreResult<Option<RecoveryCase>> {
        self.write(async |tx| {
            let counted = optional(
                sqlx::query(AssertSqlSafe(format!(
                    "UPDATE recovery_cases SET wrong_codes = wrong_codes + 1, updated_at = $1,
                        version = version + 1
                     WHERE id = $2 AND is_open
                     RETURNING {COLUMNS}"
                )))
                .bind(now.0)
                .bind(case_id)
                .fetch_optional(&mut *tx)
                .await,
                from_row,
            )?;
            Ok(Commit(counted))
        })
        .await
    }

    async fn purge_closed_cases(&self, before: UnixTime) -> StoreResult<u64> {
        self.write(async |tx| {
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

    async fn reset_second_factors(
        &self,
        reset: &FactorReset,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            // The user row first: removals and resets of one user take turns.
            lock_user(self, tx, &reset.user_id).await?;
            if let Some((case_id, version)) = &reset.case {
                let completed = close_cases(
                    CaseState::Completed,
                    now,
                    "id = $4 AND user_id = $5 AND state = $6 AND version = $7",
                )
                .bind(case_id)
                .bind(&reset.user_id)
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
                .bind(&reset.tenant_id)
                .bind(&reset.user_id)
                .bind(kind.as_str())
                .bind(name)
                .bind(enrolled_at)
                .bind(now.0)
                .bind(&reset.removed_by)
                .run(&mut *tx)
                .await?;
            }
            delete_rows_of(
                tx,
                &reset.user_id,
                &[
                    "totp_credentials",
                    "passkeys",
                    "recovery_codes",
                    "passkey_ceremonies",
                    "known_devices",
                    "sessions",
                ],
            )
            .await?;
            sqlx::query("UPDATE users SET security_stamp = $1, updated_at = $2 WHERE id = $3")
                .bind(&reset.security_stamp)
                .bind(now.0)
                .bind(&reset.user_id)
                .run(&mut *tx)
                .await?;
            if let Some(session) = &reset.session {
                crate::accounts::session::insert(&mut *tx, session).await?;
            }
            Ok(Commit(true))
        })
        .await
    }

    async fn case_by_browser(&self, browser_hash: &str) -> StoreResult<Option<RecoveryCase>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM recovery_cases WHERE browser_hash = $1
                 ORDER BY started_at DESC, id LIMIT 1"
            )))
            .bind(browser_hash)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn case_by_cancel_hash(&self, cancel_hash: &str) -> StoreResult<Option<RecoveryCase>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM recovery_cases WHERE cancel_token_hash = $1"
            )))
            .bind(cancel_hash)
            .fetch_optional(&self.pool)
            .await,
            from_row,
        )
    }

    async fn device_known(
        &self,
        id_hash: &str,
        user_id: &str,
        since: UnixTime,
    ) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT last_seen_at FROM known_devices
             WHERE id_hash = $1 AND user_id = $2 AND last_seen_at >= $3",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(since.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn insert_activation_request(
        &self,
        r: &ActivationRequest,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.write_with(effects, now, async |tx| {
            sqlx::query(
                "INSERT INTO recovery_requests (id, tenant_id, requested_by, note, status, decided_by, decision_reason, created_at, decided_at)
                 VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, NULL)",
            )
            .bind(&r.id)
            .bind(&r.tenant_id)
            .bind(&r.requested_by)
            .bind(&r.note)
            .bind(r.status.as_str())
            .bind(r.created_at.0)
            .run(&mut *tx)
            .await?;
            Ok(Commit(()))
        })
        .await
    }

    async fn pending_activation_request(
        &self,
        tenant_id: &str,
    ) -> StoreResult<Option<ActivationRequest>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {REQUEST_COLUMNS} FROM recovery_requests WHERE tenant_id = $1 AND status = $2"
            )))
            .bind(tenant_id)
            .bind(RequestStatus::Pending.as_str())
            .fetch_optional(&self.pool)
            .await,
            request_from_row,
        )
    }

    async fn latest_activation_request(
        &self,
        tenant_id: &str,
    ) -> StoreResult<Option<ActivationRequest>> {
        optional(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {REQUEST_COLUMNS} FROM recovery_requests WHERE tenant_id = $1
                 ORDER BY created_at DESC, id LIMIT 1"
            )))
            .bind(tenant_id)
            .fetch_optional(&self.pool)
            .await,
            request_from_row,
        )
    }

    async fn pending_activation_requests(&self) -> StoreResult<Vec<ActivationRequest>> {
        all(
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {REQUEST_COLUMNS} FROM recovery_requests WHERE status = $1
                 ORDER BY created_at, id"
            )))
            .bind(RequestStatus::Pending.as_str())
            .fetch_all(&self.pool)
            .await,
            request_from_row,
        )
    }

    async fn decide_activation_request(
        &self,
        r: &ActivationRequest,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let updated = sqlx::query(
                "UPDATE recovery_requests SET status = $1, decided_by = $2, decision_reason = $3, decided_at = $4
                 WHERE id = $5 AND status = $6",
            )
            .bind(r.status.as_str())
            .bind(&r.decided_by)
            .bind(&r.decision_reason)
            .bind(now.0)
            .bind(&r.id)
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
                    .bind(&r.tenant_id)
                    .run(&mut *tx)
                    .await?;
            }
            Ok(Commit(true))
        })
        .await
    }

    async fn factor_history(&self, user_id: &str) -> StoreResult<Vec<FactorRecord>> {
        all(
            sqlx::query(
                "SELECT kind, name, enrolled_at, removed_at, removed_by FROM factor_history
                 WHERE user_id = $1 ORDER BY removed_at DESC, kind, name",
            )
            .bind(user_id)
            .fetch_all(&self.pool)
            .await,
            |row| {
                Ok(FactorRecord {
                    kind: parsed("kind", FactorKind::parse(&col::<String>(row, "kind")?))?,
                    name: col(row, "name")?,
                    enrolled_at: UnixTime(col(row, "enrolled_at")?),
                    removed_at: UnixTime(col(row, "removed_at")?),
                    removed_by: col(row, "removed_by")?,
                })
            },
        )
    }

    async fn completion_durations(
        &self,
        tenant_id: &str,
        since: UnixTime,
    ) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT closed_at - started_at FROM recovery_cases
             WHERE tenant_id = $1 AND user_id IS NOT NULL AND state = $3
               AND closed_at IS NOT NULL AND closed_at >= $2",
        )
        .bind(tenant_id)
        .bind(since.0)
        .bind(CaseState::Completed.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)
    }

    async fn helpdesk_resets(&self, tenant_id: &str, since: UnixTime) -> StoreResult<i64> {
        audit_count(self, tenant_id, "factors.reset", since).await
    }

    async fn surges(&self, tenant_id: &str, since: UnixTime) -> StoreResult<i64> {
        audit_count(self, tenant_id, "recovery.surge", since).await
    }

    async fn case_counts(
        &self,
        tenant_id: &str,
        since: UnixTime,
    ) -> StoreResult<Vec<(CaseState, i64)>> {
        all(
            sqlx::query(
                "SELECT state, COUNT(*) AS n FROM recovery_cases
                 WHERE tenant_id = $1 AND user_id IS NOT NULL AND (is_open OR closed_at >= $2)
                 GROUP BY state ORDER BY state",
            )
            .bind(tenant_id)
            .bind(since.0)
            .fetch_all(&self.pool)
            .await,
            |row| {
                Ok((
                    parsed("state", CaseState::parse(&col::<String>(row, "state")?))?,
                    col(row, "n")?,
                ))
            },
        )
    }
}

/// Audit events of one kind in a tenant since a time.
async fn audit_count(db: &Db, tenant_id: &str, event: &str, since: UnixTime) -> StoreResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND event = $2 AND at >= $3",
    )
    .bind(tenant_id)
    .bind(event)
    .bind(since.0)
    .fetch_one(&db.pool)
    .await
    .map_err(db_err)
}
