//! The recovery domain's storage ports: what its services need from a store.
//! The store crate implements them for SQLite and PostgreSQL; the
//! conformance suite runs every method against both.

use crate::accounts::held::Held;
use std::future::Future;

use crate::platform::clock::UnixTime;
use crate::platform::ids::{CaseId, TenantId, UserId};
use crate::recovery::activation::ActivationRequest;
use crate::recovery::case::{CaseState, FactorRecord, FactorReset, RecoveryCase};
use crate::recovery::password_reset::PasswordReset;
use crate::store::{Effects, StoreResult};

pub trait RecoveryStore: Send + Sync {
    /// Stores a new case with its effects.
    fn insert_case(
        &self,
        case: &RecoveryCase,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn case_by_id(
        &self,
        id: &CaseId,
    ) -> impl Future<Output = StoreResult<Option<RecoveryCase>>> + Send;
    /// The user's open cases, newest first: at most one proven, and the
    /// unproven attempts of any number of browsers.
    fn open_cases_for_user(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Vec<RecoveryCase>>> + Send;
    /// Open cases past their end, oldest first (for housekeeping).
    fn lapsed_cases(
        &self,
        now: UnixTime,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<RecoveryCase>>> + Send;
    /// Writes `case` (its version plus one) with `effects`, only if the
    /// stored version is still `case.version`; false if another request
    /// changed it first. Its code (hash, expiry, address, whether withheld)
    /// is written with it (a resend replaces it). The wrong-proof count is not written: only
    /// [`RecoveryStore::count_wrong_proof`] moves it. Fails with
    /// [`StoreError::Unique`](crate::store::StoreError::Unique) (`recovery_cases_one_open`) when it would be
    /// the user's second proven open case. With `spend_code`, that recovery
    /// code of the case's user becomes used in the same transaction, and
    /// nothing is written (false) unless it was unused. With `supersede`
    /// (id, version), that other case is cancelled first, in the same
    /// transaction, and nothing is written (false) unless it was still open
    /// at that version.
    fn update_case(
        &self,
        case: &RecoveryCase,
        spend_code: Option<&str>,
        supersede: Option<(&CaseId, i64)>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Counts one wrong proof on an open case, atomically (no version check,
    /// so that parallel wrong proofs are never lost to a race; the version
    /// moves on, so that a proof read before it must read again). The case
    /// as it is now, or `None` if it is not open.
    fn count_wrong_proof(
        &self,
        case_id: &CaseId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<Option<RecoveryCase>>> + Send;
    /// Deletes cases (real and decoys alike) that closed before `before`,
    /// and void outbox rows written before it; how many cases.
    fn purge_closed_cases(&self, before: UnixTime)
    -> impl Future<Output = StoreResult<u64>> + Send;
    /// In one transaction: the case (if any) becomes completed — only if it
    /// is ready at the given version —, every second factor of the user goes
    /// (secrets destroyed, metadata to the factor history), every session
    /// and known device of the user ends, the security stamp changes, and the
    /// effects are written. False, with nothing changed, if the case was not
    /// ready at that version (completed already, cancelled, …).
    fn reset_second_factors(
        &self,
        reset: &FactorReset,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// The open or last case started by the browser with this case cookie.
    fn case_by_browser(
        &self,
        browser_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<RecoveryCase>>> + Send;
    fn case_by_cancel_hash(
        &self,
        cancel_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<RecoveryCase>>> + Send;
    /// Fails with [`StoreError::Unique`](crate::store::StoreError::Unique) when the tenant has a pending one.
    fn insert_activation_request(
        &self,
        request: &ActivationRequest,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn pending_activation_request(
        &self,
        tenant_id: &TenantId,
    ) -> impl Future<Output = StoreResult<Option<ActivationRequest>>> + Send;
    /// The tenant's newest request, whatever its status.
    fn latest_activation_request(
        &self,
        tenant_id: &TenantId,
    ) -> impl Future<Output = StoreResult<Option<ActivationRequest>>> + Send;
    /// Pending requests of every tenant, oldest first.
    fn pending_activation_requests(
        &self,
    ) -> impl Future<Output = StoreResult<Vec<ActivationRequest>>> + Send;
    /// Records the decision, only if the request is still pending; an
    /// approval activates self-recovery for the tenant in the same
    /// transaction.
    fn decide_activation_request(
        &self,
        request: &ActivationRequest,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Newest first.
    fn factor_history(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Vec<FactorRecord>>> + Send;
    /// Seconds from start to completion of each case of a real account of
    /// a tenant that completed at or after `since`.
    fn completion_durations(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<Vec<i64>>> + Send;
    /// Helpdesk resets done in a tenant at or after `since`.
    fn helpdesk_resets(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
    /// Cases of real accounts of a tenant by state, for statistics: the
    /// open ones and those closed at or after `since` (decoys never count).
    fn case_counts(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<Vec<(CaseState, i64)>>> + Send;
    /// Closed cases of real accounts of a tenant by week and state: the
    /// week is `(closed_at - since) / week_secs`, for those closed at or
    /// after `since`.
    fn weekly_case_counts(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
        week_secs: i64,
    ) -> impl Future<Output = StoreResult<Vec<(i64, CaseState, i64)>>> + Send;
    /// How often a surge of recovery starts began in a tenant at or after
    /// `since` (audited as `recovery.surge`).
    fn surges(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
}

pub trait PasswordResetStore: Send + Sync {
    /// Stores a reset with its effects; the user's earlier unused links stop
    /// working. A reset with an empty `user_id` is void (a request no
    /// account matched): the same statements run, and it is stored with no
    /// user, so [`password_reset_by_hash`](Self::password_reset_by_hash)
    /// never returns it.
    fn insert_password_reset(
        &self,
        reset: &PasswordReset,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn password_reset_by_hash(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<PasswordReset>>> + Send;
    /// In one transaction: the reset is used (only if it was not), the
    /// user's password hash and security stamp change, what `ends` names
    /// goes (core's [`password_reset::ENDS`](crate::recovery::password_reset::ENDS)),
    /// the effects are written. False if the reset was used meanwhile.
    fn complete_password_reset(
        &self,
        reset: &PasswordReset,
        password_hash: &str,
        security_stamp: &str,
        ends: &[Held],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Removes the links, real and void, that expired before `before`; how
    /// many.
    fn purge_password_resets(
        &self,
        before: UnixTime,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
}
