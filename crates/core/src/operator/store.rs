//! The operator domain's storage ports: what its services need from a
//! store. The store crate implements them for SQLite and PostgreSQL.

use std::future::Future;

use crate::effects::audit::AuditEvent;
use crate::operator::console::{OperatorAccount, OperatorSession};
use crate::platform::clock::UnixTime;
use crate::platform::ids::{OperatorAccountId, SessionHash, TenantId};
use crate::store::{Effects, StoreResult};

/// What the operator console shows of a tenant beside its settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TenantFigures {
    pub users: i64,
    /// Mail of the tenant waiting to be sent (or retried).
    pub mail_pending: i64,
    /// Mail of the tenant given up on.
    pub mail_failed: i64,
}

pub trait OperatorAccountStore: Send + Sync {
    /// A unique violation when the name's key is taken.
    fn insert_operator_account(
        &self,
        account: &OperatorAccount,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn operator_account_by_name(
        &self,
        name_key: &str,
    ) -> impl Future<Output = StoreResult<Option<OperatorAccount>>> + Send;
    /// Disables the account and ends its sessions, with `effects`; false
    /// if there is no such account or it was disabled already.
    fn disable_operator_account(
        &self,
        id: &OperatorAccountId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn list_operator_accounts(
        &self,
    ) -> impl Future<Output = StoreResult<Vec<OperatorAccount>>> + Send;
    /// Spends the account's authenticator step `step` (only if it is later
    /// than the last one spent) and starts `session`, with `effects`, in
    /// one transaction; false (nothing written) if the step was spent.
    fn start_operator_session(
        &self,
        session: &OperatorSession,
        step: i64,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn operator_session(
        &self,
        id_hash: &SessionHash,
    ) -> impl Future<Output = StoreResult<Option<(OperatorSession, OperatorAccount)>>> + Send;
    fn touch_operator_session(
        &self,
        id_hash: &SessionHash,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn end_operator_session(
        &self,
        id_hash: &SessionHash,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The newest `limit` events the operator caused (every actor
    /// `operator…`), across tenants, newest first.
    fn operator_audit(
        &self,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEvent>>> + Send;
    fn tenant_figures(
        &self,
        tenant_id: &TenantId,
    ) -> impl Future<Output = StoreResult<TenantFigures>> + Send;
}
