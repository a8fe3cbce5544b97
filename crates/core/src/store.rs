//! The storage ports: small traits the services are generic over. The store
//! crate implements them for SQLite and PostgreSQL; one conformance suite runs
//! against both.

use std::future::Future;

use crate::Error;
use crate::accounts::email::EmailVerification;
use crate::accounts::password_reset::PasswordReset;
use crate::accounts::session::{AuthMethod, Session};
use crate::accounts::user::{LoginKey, User, UserStatus};
use crate::effects::audit::AuditEvent;
use crate::effects::mail::{ClaimedMail, Delivery, OutboxMail};
use crate::effects::ratelimit::Hit;
use crate::factors::passkey::{Ceremony, PasskeyCredential};
use crate::factors::recovery_codes::RecoveryCode;
use crate::factors::totp::TotpCredential;
use crate::oidc::client::Client;
use crate::oidc::signing::SigningKey;
use crate::platform::clock::UnixTime;
use crate::platform::validate::FieldError;
use crate::recovery::case::{
    ActivationRequest, CaseState, FactorRecord, FactorReset, RecoveryCase,
};
use crate::tenants::{Tenant, TenantSlug};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint was violated; names the constraint.
    #[error("duplicate value for {0}")]
    Unique(String),
    /// The database could not be reached or timed out.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(String),
    /// A stored value could not be read back as a domain value.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Turns a unique violation into a field error the user can act on; every
    /// other error stays what it is.
    pub fn into_conflict(self, field: &str, message: impl Into<String>) -> Error {
        match self {
            StoreError::Unique(_) => Error::Conflict(FieldError::new(field, message)),
            other => Error::Store(other),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

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
        cancel_cases: &[String],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Open recovery cases of a tenant: (case id, user id — none for a
    /// decoy).
    fn open_cases(
        &self,
        tenant_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<(String, Option<String>)>>> + Send;
}

pub trait UserStore: Send + Sync {
    /// Sets a new password hash and security stamp in one transaction:
    /// every other session of the user ends; the one with `keep_session`
    /// takes the new stamp and the new id `new_session` (so it stays signed
    /// in, under an id nobody else holds); known devices and unused reset
    /// links end; `effects` apply. `false` if the user is gone.
    #[allow(clippy::too_many_arguments)]
    fn change_password(
        &self,
        user_id: &str,
        password_hash: &str,
        security_stamp: &str,
        keep_session: &str,
        new_session: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Creates a user with its effects, in one transaction. Fails with
    /// [`StoreError::Unique`] naming `users_username` or `users_email` when the
    /// tenant already has that username or address.
    fn insert_user(
        &self,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn user_by_login(
        &self,
        tenant_id: &str,
        login: &LoginKey,
    ) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    fn user_by_id(
        &self,
        tenant_id: &str,
        user_id: &str,
    ) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    fn list_users(&self, tenant_id: &str) -> impl Future<Output = StoreResult<Vec<User>>> + Send;
    /// Returns false when no such user exists.
    fn set_user_status(
        &self,
        tenant_id: &str,
        user_id: &str,
        status: UserStatus,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Sets the user's role, with `effects`; false if there is no such user.
    fn set_user_role(
        &self,
        tenant_id: &str,
        user_id: &str,
        role: crate::accounts::user::Role,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Replaces the hash only if it is still `old_hash` (a concurrent password
    /// change wins over a transparent rehash).
    fn replace_password_hash(
        &self,
        user_id: &str,
        old_hash: &str,
        new_hash: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}

/// How a session waiting for its second factor is completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactorDone {
    pub id_hash: String,
    /// The session continues under a new id (the old cookie stops working).
    pub new_id_hash: String,
    pub method: AuthMethod,
    pub expires_at: UnixTime,
    /// The user whose password this sign-in confirms (it came with a second
    /// factor): a password set from a mailed link counts as a recovery proof
    /// from now on (see `recovery::password_counts`).
    pub confirms_password_of: Option<String>,
}

/// What removing a second factor came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorRemoval {
    Removed,
    NotFound,
    /// Refused: it was the user's last second factor (nothing changed).
    LastFactor,
}

/// Signs everyone else out of an account, as a password change does: the
/// user gets a new security stamp (so every application's tokens stop
/// working), every other session ends, and the session that made the change
/// stays, with the new stamp, under the new id `new_session` (whoever else
/// held its old cookie is out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOutOthers<'a> {
    pub security_stamp: &'a str,
    pub keep_session: &'a str,
    pub new_session: &'a str,
}

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

pub trait SessionStore: Send + Sync {
    /// Starts a session in one transaction with its effects (the audit event
    /// and the counter changes of the sign-in that earned it).
    fn start_session(
        &self,
        session: &Session,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Completes a session waiting for its second factor, with `effects`:
    /// stage complete, a new id, the method added, `auth_time` now and the
    /// full lifetime. False if the session is gone or was completed already.
    fn complete_second_factor(
        &self,
        completion: &SecondFactorDone,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Sets a session's `auth_time` (and last use) to now, with `effects`.
    fn refresh_auth_time(
        &self,
        id_hash: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn session_by_hash(
        &self,
        id_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<Session>>> + Send;
    fn touch_session(
        &self,
        id_hash: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn delete_session(&self, id_hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// Revokes every session of a user; returns how many there were.
    fn delete_user_sessions(&self, user_id: &str) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Removes sessions that ended before `before`; returns how many.
    fn purge_sessions(&self, before: UnixTime) -> impl Future<Output = StoreResult<u64>> + Send;
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
        id: &str,
        claim: &str,
        outcome: &Delivery,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Messages by status: (pending, sent, failed).
    fn outbox_counts(&self) -> impl Future<Output = StoreResult<(i64, i64, i64)>> + Send;
}

pub trait EmailVerificationStore: Send + Sync {
    fn email_verification_by_hash(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<EmailVerification>>> + Send;
    /// Marks the verification used and the user's address verified, in one
    /// transaction with `effects` — only if the verification is unused and the
    /// user's address is still the one it was sent to. Returns whether it did.
    fn consume_email_verification(
        &self,
        verification: &EmailVerification,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}

pub trait TotpStore: Send + Sync {
    /// Fails with [`StoreError::Unique`] when the user has one already.
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
        old_id: &str,
        credential: &TotpCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn totp_for_user(
        &self,
        user_id: &str,
    ) -> impl Future<Output = StoreResult<Option<TotpCredential>>> + Send;
    /// Records `step` as used, only if it is later than the last used step;
    /// returns whether it did (false: a replay, possibly a concurrent one).
    fn use_totp_step(
        &self,
        credential_id: &str,
        step: i64,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Removes the user's app; when it was their last second factor their
    /// recovery codes go too. With `keep_last`, the last second factor stays
    /// (checked in the same transaction, so concurrent removals cannot both
    /// pass).
    fn delete_totp(
        &self,
        user_id: &str,
        keep_last: bool,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<FactorRemoval>> + Send;
}

pub trait RecoveryCodeStore: Send + Sync {
    /// Ends the user's old codes and stores `codes`, with `effects`, at once.
    fn replace_recovery_codes(
        &self,
        user_id: &str,
        codes: &[RecoveryCode],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Whether the user has an unused code with `code_hash`.
    fn recovery_code_unused(
        &self,
        user_id: &str,
        code_hash: &str,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Marks the unused code with `code_hash` used; false if there is none.
    fn use_recovery_code(
        &self,
        user_id: &str,
        code_hash: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Unused codes of the user.
    fn unused_recovery_codes(&self, user_id: &str)
    -> impl Future<Output = StoreResult<i64>> + Send;
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
    /// Fails with [`StoreError::Unique`] when the user has this credential.
    fn insert_passkey(
        &self,
        credential: &PasskeyCredential,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Oldest first.
    fn passkeys_for_user(
        &self,
        user_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<PasskeyCredential>>> + Send;
    /// Stores the credential's new state (counter) after a sign-in, only if
    /// the stored state is still `checked` (the one the assertion was
    /// verified against) and the credential is not marked as a suspected
    /// copy. False if another use or the mark came first: the assertion was
    /// checked against a counter that is no longer current.
    fn record_passkey_use(
        &self,
        id: &str,
        checked: &str,
        passkey: &str,
        backup_eligible: bool,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Marks a credential as a suspected copy (it signs in no more), with
    /// `effects`, unless it is marked already; true if it was marked now.
    fn mark_passkey_cloned(
        &self,
        id: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn rename_passkey(
        &self,
        user_id: &str,
        id: &str,
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
        user_id: &str,
        id: &str,
        keep_last: bool,
        others: &SignOutOthers<'_>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<FactorRemoval>> + Send;
}

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
        id: &str,
    ) -> impl Future<Output = StoreResult<Option<RecoveryCase>>> + Send;
    /// The user's open cases, newest first: at most one proven, and the
    /// unproven attempts of any number of browsers.
    fn open_cases_for_user(
        &self,
        user_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<RecoveryCase>>> + Send;
    /// Open cases past their end, oldest first (for housekeeping).
    fn lapsed_cases(
        &self,
        now: UnixTime,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<RecoveryCase>>> + Send;
    /// Replaces the browser's device id `old` (if it was this user's) with
    /// `new`, recorded for the user now.
    fn rotate_device(
        &self,
        old_hash: Option<&str>,
        new_hash: &str,
        tenant_id: &str,
        user_id: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Writes `case` (its version plus one) with `effects`, only if the
    /// stored version is still `case.version`; false if another request
    /// changed it first. The wrong-proof count is not written: only
    /// [`RecoveryStore::count_wrong_proof`] moves it. Fails with
    /// [`StoreError::Unique`] (`recovery_cases_one_open`) when it would be
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
        supersede: Option<(&str, i64)>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Counts one wrong proof on an open case, atomically (no version check,
    /// so that parallel wrong proofs are never lost to a race; the version
    /// moves on, so that a proof read before it must read again). The case
    /// as it is now, or `None` if it is not open.
    fn count_wrong_proof(
        &self,
        case_id: &str,
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
    /// Whether the browser completed a sign-in of the user at or after `since`.
    fn device_known(
        &self,
        id_hash: &str,
        user_id: &str,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Fails with [`StoreError::Unique`] when the tenant has a pending one.
    fn insert_activation_request(
        &self,
        request: &ActivationRequest,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn pending_activation_request(
        &self,
        tenant_id: &str,
    ) -> impl Future<Output = StoreResult<Option<ActivationRequest>>> + Send;
    /// The tenant's newest request, whatever its status.
    fn latest_activation_request(
        &self,
        tenant_id: &str,
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
        user_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<FactorRecord>>> + Send;
    /// Seconds from start to completion of each case of a real account of
    /// a tenant that completed at or after `since`.
    fn completion_durations(
        &self,
        tenant_id: &str,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<Vec<i64>>> + Send;
    /// Helpdesk resets done in a tenant at or after `since`.
    fn helpdesk_resets(
        &self,
        tenant_id: &str,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
    /// Cases of real accounts of a tenant by state, for statistics: the
    /// open ones and those closed at or after `since` (decoys never count).
    fn case_counts(
        &self,
        tenant_id: &str,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<Vec<(CaseState, i64)>>> + Send;
    /// How often a surge of recovery starts began in a tenant at or after
    /// `since` (audited as `recovery.surge`).
    fn surges(
        &self,
        tenant_id: &str,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
}

pub trait PasswordResetStore: Send + Sync {
    /// Stores a reset with its effects; the user's earlier unused links stop
    /// working.
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
    /// user's password hash and security stamp change (every session ends),
    /// the effects are written. False if the reset was used meanwhile.
    fn complete_password_reset(
        &self,
        reset: &PasswordReset,
        password_hash: &str,
        security_stamp: &str,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}

pub trait ClientStore: Send + Sync {
    /// Fails with [`StoreError::Unique`] on a taken client id.
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
        tenant_id: &str,
        client_id: &str,
    ) -> impl Future<Output = StoreResult<Option<Client>>> + Send;
    /// Oldest first.
    fn list_clients(
        &self,
        tenant_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<Client>>> + Send;
    /// The client as stored now, never from a cache: for changes, which
    /// must not write back what another node changed meanwhile.
    fn client_for_change(
        &self,
        tenant_id: &str,
        client_id: &str,
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
        tenant_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<SigningKey>>> + Send;
    /// Retires the tenant's current keys and stores `keys`, in one
    /// transaction.
    fn rotate_signing_keys(
        &self,
        tenant_id: &str,
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
    pub client_id: String,
    pub client_name: String,
    pub scope: String,
    pub granted_at: UnixTime,
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
        grant_id: &str,
        generation: i64,
        client_id: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<Option<(crate::oidc::Grant, User)>>> + Send;
    fn grant_by_id(
        &self,
        id: &str,
    ) -> impl Future<Output = StoreResult<Option<crate::oidc::Grant>>> + Send;
    /// A user's grant with its user, in one read.
    fn grant_with_user(
        &self,
        id: &str,
    ) -> impl Future<Output = StoreResult<Option<(crate::oidc::Grant, crate::accounts::user::User)>>>
    + Send;
    fn revoke_grant(&self, id: &str, now: UnixTime)
    -> impl Future<Output = StoreResult<()>> + Send;
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
        session_hash: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// The scope a user allowed a client, if any.
    fn consent(
        &self,
        user_id: &str,
        client_id: &str,
    ) -> impl Future<Output = StoreResult<Option<String>>> + Send;
    fn save_consent(
        &self,
        tenant_id: &str,
        user_id: &str,
        client_id: &str,
        scope: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Oldest first.
    fn consents_for_user(
        &self,
        user_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<Consent>>> + Send;
    /// Withdraws a consent and revokes the user's grants to that client, in
    /// one transaction; `false` if there was none.
    fn withdraw_consent(
        &self,
        user_id: &str,
        client_id: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Records a client assertion's `jti` until it expires; `false` if it
    /// was seen before (a replay).
    fn use_assertion(
        &self,
        jti_hash: &str,
        client_id: &str,
        expires_at: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Deletes codes, refresh tokens and grants that can no longer be used.
    fn purge_oauth(&self, now: UnixTime) -> impl Future<Output = StoreResult<u64>> + Send;
}

/// A token of the operator API (the hash only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OperatorToken {
    pub id: String,
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
        id: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}

pub trait AuditStore: Send + Sync {
    fn insert_audit(&self, event: &AuditEvent) -> impl Future<Output = StoreResult<()>> + Send;
    /// Newest first.
    fn list_audit(
        &self,
        tenant_id: &str,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEvent>>> + Send;
}

/// Everything the services need.
pub trait Store:
    TenantStore
    + UserStore
    + SessionStore
    + RateLimitStore
    + AuditStore
    + EffectStore
    + OutboxStore
    + EmailVerificationStore
    + TotpStore
    + RecoveryCodeStore
    + PasskeyStore
    + RecoveryStore
    + PasswordResetStore
    + SigningKeyStore
    + ClientStore
    + OidcStore
    + OperatorStore
{
}

impl<T> Store for T where
    T: TenantStore
        + UserStore
        + SessionStore
        + RateLimitStore
        + AuditStore
        + EffectStore
        + OutboxStore
        + EmailVerificationStore
        + TotpStore
        + RecoveryCodeStore
        + PasskeyStore
        + RecoveryStore
        + PasswordResetStore
        + SigningKeyStore
        + ClientStore
        + OidcStore
        + OperatorStore
{
}
