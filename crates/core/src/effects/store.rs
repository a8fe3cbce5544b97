//! The effects domain's storage ports: what its services need from a store.
//! The store crate implements them for SQLite and PostgreSQL; the
//! conformance suite runs every method against both.

use std::future::Future;

use crate::effects::audit::{AuditEvent, AuditFilter};
use crate::effects::mail::EmailVerification;
use crate::effects::mail::{ClaimedMail, Delivery, OutboxMail};
use crate::effects::ratelimit::Hit;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{MailId, SessionHash, TenantId, UserId};
use crate::store::StoreResult;

/// A rate-limit counter change made together with another write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterChange<'a> {
    Clear(&'a str),
    Add {
        key: &'a str,
        delta: i64,
        window_secs: i64,
    },
}

/// Writes that happen in the same transaction as the change that causes
/// them: all of them or none.
#[derive(Debug, Clone, Default)]
pub struct Effects<'a> {
    pub audit: Vec<AuditEvent>,
    pub mail: Vec<OutboxMail>,
    /// Written to the outbox like mail and never sent (`kind` `void`): the
    /// same work as a mail where one path mails and another must not be
    /// told apart from it (a recovery decoy). Purged with closed cases.
    pub void_mail: Vec<OutboxMail>,
    pub counters: Vec<CounterChange<'a>>,
    pub email_verifications: Vec<EmailVerification>,
    /// Everyone else signed out of an account with the change
    /// (`accounts::session::sign_out_others` makes it).
    pub sign_out: Option<SignOut>,
}

/// A change ends everyone else's access to an account: the user gets the
/// new security stamp (every application's tokens stop working), every
/// other session ends, and the session `keep_session` that made the change
/// goes on under the id `new_session` with the new stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOut {
    pub user_id: UserId,
    pub security_stamp: String,
    pub keep_session: SessionHash,
    pub new_session: SessionHash,
}

impl<'a> Effects<'a> {
    /// `mail` if there is one, else a void row made by `void`.
    pub fn mail_or_void(&mut self, mail: Option<OutboxMail>, void: impl FnOnce() -> OutboxMail) {
        match mail {
            Some(m) => self.mail.push(m),
            None => self.void_mail.push(void()),
        }
    }

    pub fn audit(event: AuditEvent) -> Self {
        Effects {
            audit: vec![event],
            ..Default::default()
        }
    }
}

pub trait RateLimitStore: Send + Sync {
    /// Adds `delta` to the counter `key` in its current window (starting a new
    /// window when the last one is older than `window_secs`) and returns the
    /// counter afterwards. Atomic: concurrent calls never lose an update.
    fn rate_limit_add(
        &self,
        key: &str,
        delta: i64,
        now: UnixTime,
        window_secs: i64,
    ) -> impl Future<Output = StoreResult<Hit>> + Send;
    fn rate_limit_clear(&self, key: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// Deletes counters whose window began before `before` (every window is
    /// over by then); how many.
    fn purge_rate_limits(&self, before: UnixTime) -> impl Future<Output = StoreResult<u64>> + Send;
}

pub trait EffectStore: Send + Sync {
    /// Applies effects alone, in one transaction.
    fn apply(
        &self,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` messages that are due, for `lease_secs`, under the
    /// token `claim`: no other sender gets them until the lease ends. A
    /// message whose stored parameters cannot be read is marked failed, not
    /// returned.
    fn claim_mail(
        &self,
        now: UnixTime,
        lease_secs: i64,
        limit: u32,
        claim: &str,
    ) -> impl Future<Output = StoreResult<Vec<ClaimedMail>>> + Send;
    /// Records one attempt and its outcome, only if `claim` still holds the
    /// message (false: the lease ended and another sender took it over). A
    /// finished message keeps its metadata but loses its parameters (links
    /// with tokens are not kept).
    fn record_delivery(
        &self,
        id: &MailId,
        claim: &str,
        outcome: &Delivery,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Messages by status: (pending, sent, failed).
    fn outbox_counts(&self) -> impl Future<Output = StoreResult<(i64, i64, i64)>> + Send;
}

pub trait AuditStore: Send + Sync {
    fn insert_audit(&self, event: &AuditEvent) -> impl Future<Output = StoreResult<()>> + Send;
    /// Newest first.
    fn list_audit(
        &self,
        tenant_id: &TenantId,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEvent>>> + Send;
    /// The newest `limit` events about one user of the tenant, newest first.
    fn user_audit(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEvent>>> + Send;
    /// The tenant's events that `filter` lets through, newest first (by
    /// time, then by id, both descending), at most `limit`.
    fn query_audit(
        &self,
        tenant_id: &TenantId,
        filter: &AuditFilter,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEvent>>> + Send;
}
