//! The oidc domain's storage ports: what its services need from a store.
//! The store crate implements them for SQLite and PostgreSQL; the
//! conformance suite runs every method against both.

use std::future::Future;

use crate::accounts::user::User;
use crate::oidc::client::Client;
use crate::oidc::signing::SigningKey;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{ClientId, ClientRowId, GrantId, SessionHash, TenantId, UserId};
use crate::store::{Effects, StoreResult};

pub trait ClientStore: Send + Sync {
    /// Fails with [`StoreError::Unique`](crate::store::StoreError::Unique) on a taken client id.
    fn insert_client(
        &self,
        client: &Client,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The tenant's client with this client id (another tenant's is not
    /// found).
    fn client_by_client_id(
        &self,
        tenant_id: &TenantId,
        client_id: &ClientId,
    ) -> impl Future<Output = StoreResult<Option<Client>>> + Send;
    /// Oldest first.
    fn list_clients(
        &self,
        tenant_id: &TenantId,
    ) -> impl Future<Output = StoreResult<Vec<Client>>> + Send;
    /// The client as stored now, never from a cache: for changes, which
    /// must not write back what another node changed meanwhile.
    fn client_for_change(
        &self,
        tenant_id: &TenantId,
        client_id: &ClientId,
    ) -> impl Future<Output = StoreResult<Option<Client>>> + Send;
    /// Writes the changeable settings of the client with `client.id` (not
    /// its secret); `false` if it no longer exists.
    fn update_client(
        &self,
        client: &Client,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Replaces only the client's secret hash; `false` if it no longer
    /// exists or has no secret.
    fn set_client_secret(
        &self,
        client: &Client,
        secret_hash: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Removes the client with everything issued to it (codes, grants and
    /// so every refresh token, consents, assertion records); `false` if it
    /// no longer exists.
    fn delete_client(
        &self,
        client: &Client,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}

pub trait SigningKeyStore: Send + Sync {
    /// Every key of the tenant, newest first.
    fn signing_keys(
        &self,
        tenant_id: &TenantId,
    ) -> impl Future<Output = StoreResult<Vec<SigningKey>>> + Send;
    /// Retires the tenant's current keys and stores `keys`, in one
    /// transaction.
    fn rotate_signing_keys(
        &self,
        tenant_id: &TenantId,
        keys: &[SigningKey],
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Stores one more key (a tenant's first of an algorithm).
    fn add_signing_key(&self, key: &SigningKey) -> impl Future<Output = StoreResult<()>> + Send;
}

/// A user's consent to an application, as the account page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// The client's row id.
    pub client_id: ClientRowId,
    pub client_name: String,
    pub scope: String,
    pub granted_at: UnixTime,
}

/// An application connected to a user: it holds their consent, a live
/// grant, or both (the account page's "Connected applications").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The client's row id.
    pub client_id: ClientRowId,
    pub client_name: String,
    /// The tenant's own application: no consent screen.
    pub first_party: bool,
    /// When the user allowed it (third-party applications).
    pub consented_at: Option<UnixTime>,
    /// How many live grants it holds (each a sign-in with its tokens).
    pub grants: i64,
    /// When it last got tokens: the latest grant or refresh of a live
    /// grant; `None` when it holds none.
    pub last_used_at: Option<UnixTime>,
}

pub trait OidcStore: Send + Sync {
    fn insert_code(
        &self,
        code: &crate::oidc::AuthCode,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn code_by_hash(
        &self,
        code_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<crate::oidc::AuthCode>>> + Send;
    /// Marks the code used and stores its grant, in one transaction;
    /// `false` (nothing written) if it was used meanwhile.
    fn redeem_code(
        &self,
        code_hash: &str,
        grant: &crate::oidc::Grant,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn revoke_grants_of_code(
        &self,
        code_hash: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Moves the grant's refresh generation from `generation` to the next
    /// when the grant is at `generation`, belongs to the client with row id
    /// `client_id`, is not revoked and has not expired at `now` — in one
    /// statement — and returns it (at its new generation) with its user.
    /// `None` when nothing moved: used meanwhile, another client's,
    /// revoked, expired or unknown.
    fn rotate_refresh(
        &self,
        grant_id: &GrantId,
        generation: i64,
        client_id: &ClientRowId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<Option<(crate::oidc::Grant, User)>>> + Send;
    fn grant_by_id(
        &self,
        id: &GrantId,
    ) -> impl Future<Output = StoreResult<Option<crate::oidc::Grant>>> + Send;
    /// A user's grant with its user, in one read.
    fn grant_with_user(
        &self,
        id: &GrantId,
    ) -> impl Future<Output = StoreResult<Option<(crate::oidc::Grant, crate::accounts::user::User)>>>
    + Send;
    fn revoke_grant(
        &self,
        id: &GrantId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Stores `grant` as it is, revoked: the grant of a client-credentials
    /// access token, which is stored only when the token is revoked, and
    /// kept until it expires (then [`OidcStore::purge_oauth`] removes it).
    /// Nothing happens when a grant with its id is stored already.
    fn insert_revoked_grant(
        &self,
        grant: &crate::oidc::Grant,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Revokes every grant made from a browser session (sign-out).
    fn revoke_session_grants(
        &self,
        session_hash: &SessionHash,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// The scope a user allowed a client, if any.
    fn consent(
        &self,
        user_id: &UserId,
        client_id: &ClientRowId,
    ) -> impl Future<Output = StoreResult<Option<String>>> + Send;
    fn save_consent(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        client_id: &ClientRowId,
        scope: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Oldest first.
    fn consents_for_user(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Vec<Consent>>> + Send;
    /// The applications that hold the user's consent or a live grant —
    /// not revoked, not expired at `now`, made under `security_stamp` (the
    /// user's current one: a grant made before a password change no
    /// longer stands, see `oidc::tokens::stands_for`) — by name.
    fn connections_for_user(
        &self,
        user_id: &UserId,
        security_stamp: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<Vec<Connection>>> + Send;
    /// Ends everything the user gave the client, with `effects`, in one
    /// transaction: the consent goes, every grant is revoked (so its
    /// refresh and access tokens stop working), and codes not redeemed yet
    /// can no longer be. `false` (nothing written, `effects` neither) if
    /// there was no consent and no grant not revoked yet.
    fn remove_access(
        &self,
        user_id: &UserId,
        client_id: &ClientRowId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Records a client assertion's `jti` until it expires; `false` if it
    /// was seen before (a replay).
    fn use_assertion(
        &self,
        jti_hash: &str,
        client_id: &ClientRowId,
        expires_at: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Deletes codes, refresh tokens and grants that can no longer be used.
    fn purge_oauth(&self, now: UnixTime) -> impl Future<Output = StoreResult<u64>> + Send;
}
