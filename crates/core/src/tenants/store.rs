//! The tenants domain's storage ports: what its services need from a store.
//! The store crate implements them for SQLite and PostgreSQL; the
//! conformance suite runs every method against both.

use std::future::Future;

use crate::platform::clock::UnixTime;
use crate::platform::ids::{CaseId, OperatorTokenId, TenantId, UserId};
use crate::store::{Effects, StoreResult};
use crate::tenants::{Tenant, TenantSlug};

pub trait TenantStore: Send + Sync {
    fn insert_tenant(&self, tenant: &Tenant) -> impl Future<Output = StoreResult<()>> + Send;
    fn tenant_by_slug(
        &self,
        slug: &TenantSlug,
    ) -> impl Future<Output = StoreResult<Option<Tenant>>> + Send;
    fn list_tenants(&self) -> impl Future<Output = StoreResult<Vec<Tenant>>> + Send;
    /// Writes the tenant's settings (everything but id, slug and creation
    /// time) with `effects`, only if the stored version is still
    /// `tenant.version`; `cancel_cases` names open recovery cases that end
    /// with the change. False if there is no such tenant or another change
    /// came first.
    fn update_tenant(
        &self,
        tenant: &Tenant,
        cancel_cases: &[CaseId],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Open recovery cases of a tenant: (case id, user id — none for a
    /// decoy).
    fn open_cases(
        &self,
        tenant_id: &TenantId,
    ) -> impl Future<Output = StoreResult<Vec<(CaseId, Option<UserId>)>>> + Send;
}

/// A token of the operator API (the hash only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OperatorToken {
    pub id: OperatorTokenId,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: UnixTime,
    pub revoked_at: Option<UnixTime>,
}

pub trait OperatorStore: Send + Sync {
    fn insert_operator_token(
        &self,
        token: &OperatorToken,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// A token that is not revoked, by the SHA-256 of its value.
    fn operator_token_by_hash(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<OperatorToken>>> + Send;
    fn list_operator_tokens(&self) -> impl Future<Output = StoreResult<Vec<OperatorToken>>> + Send;
    /// `false` when there is no such token.
    fn revoke_operator_token(
        &self,
        id: &OperatorTokenId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}
