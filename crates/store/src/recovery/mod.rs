//! Account Self-Recovery's tables, one file per concern: [`cases`] (the
//! cases themselves, and [`close_cases`] for whoever ends them), known
//! [`devices`], the second-factor [`reset`] a completion or the helpdesk
//! makes (with the factor history it leaves), the tenants' [`activation`]
//! requests, and the [`stats`] over them. [`RecoveryStore`] is implemented
//! here, each method by the function of the same name in its file.

mod activation;
mod cases;
mod reset;
mod stats;

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{CaseId, TenantId, UserId};
use latchkey_core::recovery::activation::ActivationRequest;
use latchkey_core::recovery::case::{CaseState, FactorRecord, FactorReset, RecoveryCase};
use latchkey_core::store::{Effects, RecoveryStore, StoreResult};

use crate::db::Db;

pub(crate) use cases::close_cases;

impl RecoveryStore for Db {
    async fn insert_case(
        &self,
        case: &RecoveryCase,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        cases::insert_case(self, case, effects, now).await
    }

    async fn case_by_id(&self, id: &CaseId) -> StoreResult<Option<RecoveryCase>> {
        cases::case_by_id(self, id).await
    }

    async fn open_cases_for_user(&self, user_id: &UserId) -> StoreResult<Vec<RecoveryCase>> {
        cases::open_cases_for_user(self, user_id).await
    }

    async fn lapsed_cases(&self, now: UnixTime, limit: u32) -> StoreResult<Vec<RecoveryCase>> {
        cases::lapsed_cases(self, now, limit).await
    }

    async fn update_case(
        &self,
        case: &RecoveryCase,
        spend_code: Option<&str>,
        supersede: Option<(&CaseId, i64)>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        cases::update_case(self, case, spend_code, supersede, effects, now).await
    }

    async fn count_wrong_proof(
        &self,
        case_id: &CaseId,
        now: UnixTime,
    ) -> StoreResult<Option<RecoveryCase>> {
        cases::count_wrong_proof(self, case_id, now).await
    }

    async fn purge_closed_cases(&self, before: UnixTime) -> StoreResult<u64> {
        cases::purge_closed_cases(self, before).await
    }

    async fn reset_second_factors(
        &self,
        reset: &FactorReset,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        reset::reset_second_factors(self, reset, effects, now).await
    }

    async fn case_by_browser(&self, browser_hash: &str) -> StoreResult<Option<RecoveryCase>> {
        cases::case_by_browser(self, browser_hash).await
    }

    async fn case_by_cancel_hash(&self, cancel_hash: &str) -> StoreResult<Option<RecoveryCase>> {
        cases::case_by_cancel_hash(self, cancel_hash).await
    }

    async fn insert_activation_request(
        &self,
        r: &ActivationRequest,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<()> {
        activation::insert_activation_request(self, r, effects, now).await
    }

    async fn pending_activation_request(
        &self,
        tenant_id: &TenantId,
    ) -> StoreResult<Option<ActivationRequest>> {
        activation::pending_activation_request(self, tenant_id).await
    }

    async fn latest_activation_request(
        &self,
        tenant_id: &TenantId,
    ) -> StoreResult<Option<ActivationRequest>> {
        activation::latest_activation_request(self, tenant_id).await
    }

    async fn pending_activation_requests(&self) -> StoreResult<Vec<ActivationRequest>> {
        activation::pending_activation_requests(self).await
    }

    async fn decide_activation_request(
        &self,
        r: &ActivationRequest,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        activation::decide_activation_request(self, r, effects, now).await
    }

    async fn factor_history(&self, user_id: &UserId) -> StoreResult<Vec<FactorRecord>> {
        reset::factor_history(self, user_id).await
    }

    async fn completion_durations(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
    ) -> StoreResult<Vec<i64>> {
        stats::completion_durations(self, tenant_id, since).await
    }

    async fn helpdesk_resets(&self, tenant_id: &TenantId, since: UnixTime) -> StoreResult<i64> {
        stats::helpdesk_resets(self, tenant_id, since).await
    }

    async fn surges(&self, tenant_id: &TenantId, since: UnixTime) -> StoreResult<i64> {
        stats::surges(self, tenant_id, since).await
    }

    async fn case_counts(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
    ) -> StoreResult<Vec<(CaseState, i64)>> {
        stats::case_counts(self, tenant_id, since).await
    }

    async fn weekly_case_counts(
        &self,
        tenant_id: &TenantId,
        since: UnixTime,
        week_secs: i64,
    ) -> StoreResult<Vec<(i64, CaseState, i64)>> {
        stats::weekly_case_counts(self, tenant_id, since, week_secs).await
    }
}

#[cfg(test)]
mod tests {
    use latchkey_core::recovery::activation::RequestStatus;
    use latchkey_core::recovery::case::CaseState;

    /// Two partial unique indexes of the schema name a word of an enum ("one
    /// open case per user" past `started`, "one pending request per
    /// tenant"). The store binds every word from its enum; renaming one of
    /// these two needs a migration as well, and this test says so.
    #[test]
    fn the_schemas_indexes_name_the_enums_words() {
        let started = format!("state <> '{}'", CaseState::Started.as_str());
        let pending = format!("status = '{}'", RequestStatus::Pending.as_str());
        for (sql, word) in [
            (
                include_str!("../../migrations/sqlite/0017_recovery_decoys.sql"),
                &started,
            ),
            (
                include_str!("../../migrations/postgres/0007_recovery.sql"),
                &started,
            ),
            (
                include_str!("../../migrations/sqlite/0009_roles_and_requests.sql"),
                &pending,
            ),
            (
                include_str!("../../migrations/postgres/0009_roles_and_requests.sql"),
                &pending,
            ),
        ] {
            assert!(sql.contains(word.as_str()), "{word}");
        }
    }
}
