//! The factors domain's storage ports: what its services need from a store.
//! The store crate implements them for SQLite and PostgreSQL; the
//! conformance suite runs every method against both.

use std::future::Future;

use crate::effects::audit::AuditEvent;
use crate::effects::mail::OutboxMail;
use crate::factors::passkey::{Ceremony, PasskeyCredential};
use crate::factors::recovery_codes::{CodeTally, RecoveryCode};
use crate::factors::totp::TotpCredential;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{PasskeyId, TenantId, TotpId, UserId};
use crate::store::{Effects, SignOutOthers, StoreResult};

/// How many of a tenant's people are ready for losing a factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct ReadinessCounts {
    /// Active people.
    pub people: i64,
    /// Those of them who are ready.
    pub ready: i64,
    /// Those not ready who were reminded after the time asked about.
    pub nudged_recently: i64,
}

/// A reminder to one person: their mail and its audit event, written only
/// if they were not reminded since the cut-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nudge {
    pub user_id: UserId,
    pub mail: OutboxMail,
    pub audit: AuditEvent,
}

pub trait ReadinessStore: Send + Sync {
    /// Counts the tenant's active people (those whose username, address or
    /// display-name key starts with `prefix`, if given), the ready among
    /// them — by the same rule as `factors::enrolment::Readiness::ready`
    /// — and the unready reminded after `nudged_after`.
    fn readiness_counts(
        &self,
        tenant_id: &TenantId,
        prefix: Option<&str>,
        nudged_after: UnixTime,
    ) -> impl Future<Output = StoreResult<ReadinessCounts>> + Send;
    /// In one transaction, for each nudge whose person of `tenant_id` was
    /// not reminded after `nudged_after`: marks them reminded at `now` and
    /// writes their mail and audit event. Returns who was reminded.
    fn record_nudges(
        &self,
        tenant_id: &TenantId,
        nudges: &[Nudge],
        nudged_after: UnixTime,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<Vec<UserId>>> + Send;
}

/// What removing a second factor came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorRemoval {
    Removed,
    NotFound,
    /// Refused: it was the user's last second factor (nothing changed).
    LastFactor,
}

pub trait TotpStore: Send + Sync {
    /// Fails with [`StoreError::Unique`](crate::store::StoreError::Unique) when the user has one already.
    fn insert_totp(
        &self,
        credential: &TotpCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Swaps the app `old_id` for `credential` in one transaction; false if
    /// `old_id` is no longer the user's app.
    fn replace_totp(
        &self,
        old_id: &TotpId,
        credential: &TotpCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn totp_for_user(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Option<TotpCredential>>> + Send;
    /// Records `step` as used, only if it is later than the last used step;
    /// returns whether it did (false: a replay, possibly a concurrent one).
    fn use_totp_step(
        &self,
        credential_id: &TotpId,
        step: i64,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Removes the user's app; when it was their last second factor their
    /// recovery codes go too. With `keep_last`, the last second factor stays
    /// (checked in the same transaction, so concurrent removals cannot both
    /// pass).
    fn delete_totp(
        &self,
        user_id: &UserId,
        keep_last: bool,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<FactorRemoval>> + Send;
}

pub trait RecoveryCodeStore: Send + Sync {
    /// Ends the user's old codes and stores `codes`, with `effects`, at once.
    fn replace_recovery_codes(
        &self,
        user_id: &UserId,
        codes: &[RecoveryCode],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Whether the user has an unused code with `code_hash`.
    fn recovery_code_unused(
        &self,
        user_id: &UserId,
        code_hash: &str,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Marks the unused code with `code_hash` used; false if there is none.
    fn use_recovery_code(
        &self,
        user_id: &UserId,
        code_hash: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Unused codes of the user.
    fn unused_recovery_codes(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
    /// The user's codes: how many are unused, and how many are used with
    /// the offer of a new set not answered yet (see
    /// [`crate::factors::recovery_codes::offer`]).
    fn recovery_code_tally(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<CodeTally>> + Send;
    /// Marks the offer answered for every used code of the user (the
    /// person chose "Later").
    fn answer_recovery_code_offer(
        &self,
        user_id: &UserId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

pub trait PasskeyStore: Send + Sync {
    /// Stores a ceremony; one started in a session ends the earlier one of
    /// the same kind in that session.
    fn insert_passkey_ceremony(
        &self,
        ceremony: &Ceremony,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Removes the ceremony and returns it: a ceremony is taken once.
    fn take_passkey_ceremony(
        &self,
        id_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<Ceremony>>> + Send;
    /// Removes ceremonies that expired before `before`; returns how many.
    fn purge_passkey_ceremonies(
        &self,
        before: UnixTime,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Fails with [`StoreError::Unique`](crate::store::StoreError::Unique) when the user has this credential.
    fn insert_passkey(
        &self,
        credential: &PasskeyCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Oldest first.
    fn passkeys_for_user(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Vec<PasskeyCredential>>> + Send;
    /// Stores the credential's new state (counter) after a sign-in, only if
    /// the stored state is still `checked` (the one the assertion was
    /// verified against) and the credential is not marked as a suspected
    /// copy. False if another use or the mark came first: the assertion was
    /// checked against a counter that is no longer current.
    fn record_passkey_use(
        &self,
        id: &PasskeyId,
        checked: &str,
        passkey: &str,
        backup_eligible: bool,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Marks a credential as a suspected copy (it signs in no more), with
    /// `effects`, unless it is marked already; true if it was marked now.
    fn mark_passkey_cloned(
        &self,
        id: &PasskeyId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn rename_passkey(
        &self,
        user_id: &UserId,
        id: &PasskeyId,
        name: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Removes one passkey of the user and signs everyone else out
    /// (`others`), in one transaction; when it was their last second factor
    /// their recovery codes go too. `keep_last` as for
    /// [`TotpStore::delete_totp`].
    fn delete_passkey(
        &self,
        user_id: &UserId,
        id: &PasskeyId,
        keep_last: bool,
        others: &SignOutOthers<'_>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<FactorRemoval>> + Send;
}
