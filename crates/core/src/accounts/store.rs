//! The accounts domain's storage ports: what its services need from a store.
//! The store crate implements them for SQLite and PostgreSQL; the
//! conformance suite runs every method against both.

use crate::accounts::email_change::EmailChange;
use crate::accounts::everyone::{SignedOutCount, TenantSignOut};
use crate::accounts::held::Held;
use crate::accounts::invitation::Invitation;
use std::future::Future;

use crate::accounts::session::{AuthMethod, Session};
use crate::accounts::user::{LoginKey, User, UserStatus};
use crate::effects::mail::EmailVerification;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{SessionHash, TenantId, UserId};
use crate::store::{Effects, StoreResult};

pub trait UserStore: Send + Sync {
    /// Sets a new password hash and security stamp in one transaction:
    /// every other session of the user ends; the one with `keep_session`
    /// takes the new stamp and the new id `new_session` (so it stays signed
    /// in, under an id nobody else holds); what `ends` names goes
    /// (core's [`password_change::ENDS`](crate::accounts::password_change::ENDS)),
    /// unused reset links end; `effects` apply. `false` if the user is gone.
    #[allow(clippy::too_many_arguments)]
    fn change_password(
        &self,
        user_id: &UserId,
        password_hash: &str,
        security_stamp: &str,
        keep_session: &SessionHash,
        new_session: &SessionHash,
        ends: &[Held],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Creates a user with its effects, in one transaction. Fails with
    /// [`StoreError::Unique`](crate::store::StoreError::Unique) naming `users_username` or `users_email` when the
    /// tenant already has that username or address.
    fn insert_user(
        &self,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn user_by_login(
        &self,
        tenant_id: &TenantId,
        login: &LoginKey,
    ) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    fn user_by_id(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    fn list_users(
        &self,
        tenant_id: &TenantId,
    ) -> impl Future<Output = StoreResult<Vec<User>>> + Send;
    /// One page of the tenant's people in username order (by
    /// `username_key`, compared byte by byte), each with what they hold;
    /// see [`PeopleFilter`]. At most `filter.limit` rows, always in
    /// ascending order.
    fn list_people(
        &self,
        tenant_id: &TenantId,
        filter: &PeopleFilter,
    ) -> impl Future<Output = StoreResult<Vec<PersonRow>>> + Send;
    /// When the user last signed in and their sessions that have not
    /// ended at `now`; `None` if there is no such user in the tenant.
    fn user_activity(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<Option<Activity>>> + Send;
    /// Sets the user's status with `effects`, removing what
    /// [`UserStatus::ends`] names, in one transaction. Returns false when
    /// no such user exists (and nothing is written).
    fn set_user_status(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        status: UserStatus,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Sets the user's role, with `effects`; false if there is no such user.
    fn set_user_role(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
        role: crate::accounts::user::Role,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Replaces the hash only if it is still `old_hash` (a concurrent password
    /// change wins over a transparent rehash).
    fn replace_password_hash(
        &self,
        user_id: &UserId,
        old_hash: &str,
        new_hash: &str,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}

/// Which people [`UserStore::list_people`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleFilter {
    /// Only people whose username key, email key or display-name key
    /// starts with this (already folded, see `platform::validate::fold_key`).
    pub prefix: Option<String>,
    /// Where the page starts (a username key, exclusive).
    pub from: Option<PageFrom>,
    pub limit: u32,
    /// Only active people who are not ready for losing a factor (by
    /// `factors::enrolment::Readiness::ready`).
    pub unready: bool,
    /// Leave out people reminded of their readiness after this time.
    pub skip_nudged_after: Option<UnixTime>,
    /// Only these people (none: anyone).
    pub ids: Vec<UserId>,
}

impl PeopleFilter {
    /// The first `limit` people, everyone.
    pub fn first(limit: u32) -> PeopleFilter {
        PeopleFilter {
            prefix: None,
            from: None,
            limit,
            unready: false,
            skip_nudged_after: None,
            ids: vec![],
        }
    }
}

/// The keyset cursor of a page of people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageFrom {
    /// The people whose username key comes after this one.
    After(String),
    /// The last `limit` people whose username key comes before this one.
    Before(String),
}

/// A person as the list of people shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub user: User,
    pub authenticator_app: bool,
    pub passkeys: i64,
    pub unused_recovery_codes: i64,
    pub last_sign_in_at: Option<UnixTime>,
    /// When they were last reminded to prepare for recovery.
    pub nudged_at: Option<UnixTime>,
}

/// A person's sign-ins and sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Activity {
    /// When a session of theirs last became complete (a sign-in).
    pub last_sign_in_at: Option<UnixTime>,
    /// Complete sessions that have not ended.
    pub sessions: i64,
    /// The latest use of one of those sessions.
    pub last_active_at: Option<UnixTime>,
}

/// How a session waiting for its second factor is completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactorDone {
    pub id_hash: SessionHash,
    /// The session continues under a new id (the old cookie stops working).
    pub new_id_hash: SessionHash,
    pub method: AuthMethod,
    pub expires_at: UnixTime,
    /// The user whose password this sign-in confirms (it came with a second
    /// factor): a password set from a mailed link counts as a recovery proof
    /// from now on (see `recovery::proof_counts`).
    pub confirms_password_of: Option<UserId>,
}

/// Signs everyone else out of an account, as a password change does: the
/// user gets a new security stamp (so every application's tokens stop
/// working), every other session ends, and the session that made the change
/// stays, with the new stamp, under the new id `new_session` (whoever else
/// held its old cookie is out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOutOthers<'a> {
    pub security_stamp: &'a str,
    pub keep_session: &'a SessionHash,
    pub new_session: &'a SessionHash,
}

impl<'a> From<&'a crate::store::SignOut> for SignOutOthers<'a> {
    fn from(s: &'a crate::store::SignOut) -> Self {
        SignOutOthers {
            security_stamp: &s.security_stamp,
            keep_session: &s.keep_session,
            new_session: &s.new_session,
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
    /// Sets a session's `auth_time` (and last use) to now and its id to
    /// `new_id_hash`, with `effects`; what the session opened (applications'
    /// grants and codes, passkey ceremonies) follows it to the new id.
    /// False if the session is gone.
    fn refresh_auth_time(
        &self,
        id_hash: &SessionHash,
        new_id_hash: &SessionHash,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn session_by_hash(
        &self,
        id_hash: &SessionHash,
    ) -> impl Future<Output = StoreResult<Option<Session>>> + Send;
    fn touch_session(
        &self,
        id_hash: &SessionHash,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn delete_session(&self, id_hash: &SessionHash)
    -> impl Future<Output = StoreResult<()>> + Send;
    /// Every session of the user (any stage, ended ones not yet purged
    /// included), in no particular order.
    fn sessions_of_user(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Vec<Session>>> + Send;
    /// Revokes every session of a user; returns how many there were.
    fn delete_user_sessions(
        &self,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Signs everyone in a tenant out, in one transaction with the audit
    /// event (see [`TenantSignOut`]): set-based statements, never one per
    /// person.
    fn sign_out_tenant(
        &self,
        out: &TenantSignOut<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<SignedOutCount>> + Send;
    /// Removes sessions that ended before `before`; returns how many.
    fn purge_sessions(&self, before: UnixTime) -> impl Future<Output = StoreResult<u64>> + Send;
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

/// The browsers a person signed in from (a device cookie holds a random
/// id; the store keeps its hash): sign-in does not hold a known device back
/// for strangers' failures, and self-recovery skips the wait on one.
pub trait DeviceStore: Send + Sync {
    /// Replaces the browser's device id `old` (if it was this user's) with
    /// `new`, recorded for the user now.
    fn rotate_device(
        &self,
        old_hash: Option<&str>,
        new_hash: &str,
        tenant_id: &TenantId,
        user_id: &UserId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Whether any browser completed a sign-in of the user at or after
    /// `since` (the person has a known device at all).
    fn has_known_device(
        &self,
        user_id: &UserId,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Whether the browser completed a sign-in of the user at or after `since`.
    fn device_known(
        &self,
        id_hash: &str,
        user_id: &UserId,
        since: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}

pub trait InvitationStore: Send + Sync {
    /// Stores an invitation with `effects` (its mail, the audit event); an
    /// unused invitation of the tenant to the same address ends with it.
    fn insert_invitation(
        &self,
        invitation: &Invitation,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The invitation whose token has this SHA-256, used or not.
    fn invitation_by_hash(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<Invitation>>> + Send;
    /// Spends the invitation and creates `user` from it, with `effects`, in
    /// one transaction: false (and nothing written) if it was used
    /// meanwhile. A taken username or address is a unique violation.
    fn accept_invitation(
        &self,
        invitation: &Invitation,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Creates `user` (without a password) and stores their invitation,
    /// with `effects`, in one transaction. A taken username or address is
    /// a unique violation.
    fn insert_person_invitation(
        &self,
        user: &User,
        invitation: &Invitation,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The newest unused invitation belonging to `user_id`, if any.
    fn open_invitation_of(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
    ) -> impl Future<Output = StoreResult<Option<Invitation>>> + Send;
    /// Ends the unused invitation `old` if it was made at or before
    /// `not_after`, and stores `new` with `effects` in its place: false
    /// (and nothing written) if `old` was used, withdrawn or too recent.
    fn replace_invitation(
        &self,
        old: &Invitation,
        new: &Invitation,
        not_after: UnixTime,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Ends the unused invitation with `effects`: false if it was used or
    /// ended meanwhile.
    fn withdraw_invitation(
        &self,
        invitation: &Invitation,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Spends a person's invitation and stores `user`'s new password hash,
    /// security stamp and verified address, with `effects`, in one
    /// transaction: false (nothing written) if the invitation was used,
    /// ended or expired, or the account has a password meanwhile.
    fn accept_person_invitation(
        &self,
        invitation: &Invitation,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// The tenant's administrator invitations ([`Purpose::Admin`]), newest
    /// first (at most `limit`).
    ///
    /// [`Purpose::Admin`]: crate::accounts::invitation::Purpose::Admin
    fn list_invitations(
        &self,
        tenant_id: &TenantId,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<Invitation>>> + Send;
}

/// Changes of address waiting for the link mailed to the new one.
pub trait EmailChangeStore: Send + Sync {
    /// Stores a change with `effects` (its mails, the audit event); the
    /// user's open (unused) changes end with it.
    fn insert_email_change(
        &self,
        change: &EmailChange,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The change whose token has this SHA-256, used or not.
    fn email_change_by_hash(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = StoreResult<Option<EmailChange>>> + Send;
    /// The user's open change: unused and not expired at `now`.
    fn open_email_change(
        &self,
        user_id: &UserId,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<Option<EmailChange>>> + Send;
    /// Ends the user's open changes, with `effects`; false (and nothing
    /// written) when there was none.
    fn cancel_email_change(
        &self,
        user_id: &UserId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Spends the change and gives its user the new address — verified,
    /// `email_changed_at` now — with `effects`, in one transaction; unused
    /// password-reset links (mailed to the old address) end. False (and
    /// nothing written) if the change was used meanwhile or the user's
    /// address is no longer the one it replaces. An address another user
    /// of the tenant has is a unique violation naming `users_email`.
    fn apply_email_change(
        &self,
        change: &EmailChange,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}
