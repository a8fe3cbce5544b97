//! Service-level tests' world: an in-memory store of the narrow traits the
//! recovery journey and the token grants use, a password worker that does no argon2, and the
//! environment around them with time as a parameter — the journey's rules
//! tested without a database or HTTP (beside the conformance suite, which
//! holds the real stores to the same contracts, and the HTTP tests).
//!
//! The fake keeps the contracts the journey relies on: versions guard case
//! updates, one proven open case per user (the unique index), a recovery
//! code is spent with its case's move or not at all, wrong proofs are
//! counted atomically, and every write's effects are recorded so a test can
//! compare the store work of two paths.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;
use crate::accounts::held::Held;
use crate::accounts::invitation::Invitation;
use crate::accounts::password::{Password, PasswordWorker, Verification};
use crate::accounts::session::Session;
use crate::accounts::user::{LoginKey, User, UserStatus};
use crate::effects::audit::AuditEvent;
use crate::effects::mail::OutboxMail;
use crate::effects::ratelimit::Hit;
use crate::factors::recovery_codes::RecoveryCode;
use crate::oidc::{AuthCode, Grant};
use crate::platform::clock::{ManualClock, UnixTime};
use crate::platform::crypto::SecretBox;
use crate::platform::ids::{CaseId, ClientRowId, GrantId, SessionHash, TenantId, UserId};
use crate::platform::random::SeededRandom;
use crate::recovery::activation::ActivationRequest;
use crate::recovery::case::{CaseState, FactorRecord, FactorReset, RecoveryCase};
use crate::store::{
    Connection, Consent, DeviceStore, Effects, OidcStore, RateLimitStore, RecoveryCodeStore,
    RecoveryStore, SecondFactorDone, SessionStore, StoreError, StoreResult, TenantStore, UserStore,
};
use crate::tenants::{Tenant, TenantSlug};

/// What one write wrote beside its change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub audit: Vec<AuditEvent>,
    pub mail: Vec<OutboxMail>,
    pub void_mail: usize,
}

#[derive(Default)]
struct World {
    tenants: Vec<Tenant>,
    users: BTreeMap<UserId, User>,
    cases: BTreeMap<CaseId, RecoveryCase>,
    codes: Vec<RecoveryCode>,
    /// Used codes whose offer of a new set was answered ("Later").
    codes_answered: std::collections::BTreeSet<String>,
    devices: Vec<(String, UserId, UnixTime)>,
    sessions: Vec<Session>,
    auth_codes: BTreeMap<String, AuthCode>,
    grants: BTreeMap<GrantId, Grant>,
    counters: BTreeMap<String, Hit>,
    email_changes: Vec<crate::accounts::email_change::EmailChange>,
    invitations: Vec<Invitation>,
    writes: Vec<Written>,
}

/// The in-memory store.
#[derive(Default)]
pub struct MemStore(Mutex<World>);

impl MemStore {
    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.0.lock().unwrap()
    }

    fn record(world: &mut World, effects: &Effects<'_>) {
        world.writes.push(Written {
            audit: effects.audit.clone(),
            mail: effects.mail.clone(),
            void_mail: effects.void_mail.len(),
        });
    }

    /// Every write so far, in order.
    pub fn writes(&self) -> Vec<Written> {
        self.world().writes.clone()
    }

    pub fn add_tenant(&self, tenant: Tenant) {
        self.world().tenants.push(tenant);
    }

    pub fn add_known_device(&self, id_hash: &str, user_id: &UserId, at: UnixTime) {
        self.world()
            .devices
            .push((id_hash.to_owned(), user_id.clone(), at));
    }

    pub fn set_password_reset_at(&self, user_id: &UserId, at: Option<UnixTime>) {
        if let Some(u) = self.world().users.get_mut(user_id) {
            u.password_reset_at = at;
        }
    }

    pub fn set_email_changed_at(&self, user_id: &UserId, at: Option<UnixTime>) {
        if let Some(u) = self.world().users.get_mut(user_id) {
            u.email_changed_at = at;
        }
    }

    pub fn user(&self, user_id: &UserId) -> Option<User> {
        self.world().users.get(user_id).cloned()
    }

    pub fn grants(&self) -> Vec<Grant> {
        self.world().grants.values().cloned().collect()
    }

    pub fn cases(&self) -> Vec<RecoveryCase> {
        self.world().cases.values().cloned().collect()
    }
}

fn proven_open(case: &RecoveryCase) -> bool {
    case.facts.state.is_open() && case.facts.state != CaseState::Started
}

impl RecoveryStore for MemStore {
    async fn insert_case(
        &self,
        case: &RecoveryCase,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        if w.cases.contains_key(&case.id) {
            return Err(StoreError::Unique("recovery_cases_pkey".into()));
        }
        w.cases.insert(case.id.clone(), case.clone());
        Self::record(&mut w, effects);
        Ok(())
    }

    async fn case_by_id(&self, id: &CaseId) -> StoreResult<Option<RecoveryCase>> {
        Ok(self.world().cases.get(id).cloned())
    }

    async fn open_cases_for_user(&self, user_id: &UserId) -> StoreResult<Vec<RecoveryCase>> {
        let mut open: Vec<RecoveryCase> = self
            .world()
            .cases
            .values()
            .filter(|c| c.user_id.as_ref() == Some(user_id) && c.facts.state.is_open())
            .cloned()
            .collect();
        open.sort_by_key(|c| std::cmp::Reverse(c.facts.started_at));
        Ok(open)
    }

    async fn lapsed_cases(&self, now: UnixTime, limit: u32) -> StoreResult<Vec<RecoveryCase>> {
        Ok(self
            .world()
            .cases
            .values()
            .filter(|c| {
                c.facts.state.is_open()
                    && (c.facts.expires_at <= now
                        || (c.facts.state == CaseState::Waiting
                            && c.facts.ready_at.is_some_and(|r| r <= now)))
            })
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn update_case(
        &self,
        case: &RecoveryCase,
        spend_code: Option<&str>,
        supersede: Option<(&CaseId, i64)>,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        if let Some((other, version)) = supersede
            && !w
                .cases
                .get(other)
                .is_some_and(|o| o.version == version && o.facts.state.is_open())
        {
            return Ok(false);
        }
        if w.cases
            .get(&case.id)
            .is_none_or(|c| c.version != case.version)
        {
            return Ok(false);
        }
        if proven_open(case)
            && let Some(user) = &case.user_id
            && w.cases.values().any(|c| {
                c.id != case.id
                    && Some(&c.id) != supersede.map(|s| s.0)
                    && c.user_id.as_ref() == Some(user)
                    && proven_open(c)
            })
        {
            return Err(StoreError::Unique("recovery_cases_one_open".into()));
        }
        if let Some(hash) = spend_code {
            let user = case.user_id.clone().unwrap_or_default();
            let Some(code) = w
                .codes
                .iter_mut()
                .find(|c| c.user_id == user && c.code_hash == hash && c.used_at.is_none())
            else {
                return Ok(false);
            };
            code.used_at = Some(now);
        }
        if let Some((other, _)) = supersede
            && let Some(o) = w.cases.get_mut(other)
        {
            o.facts.state = CaseState::Cancelled;
            o.closed_at = Some(now);
            o.version += 1;
        }
        let stored = w.cases.get_mut(&case.id).unwrap();
        let wrong = stored.facts.wrong_codes;
        *stored = RecoveryCase {
            version: case.version + 1,
            updated_at: now,
            closed_at: (!case.facts.state.is_open()).then_some(case.closed_at.unwrap_or(now)),
            ..case.clone()
        };
        // only count_wrong_proof moves the count
        stored.facts.wrong_codes = wrong;
        Self::record(&mut w, effects);
        Ok(true)
    }

    async fn count_wrong_proof(
        &self,
        case_id: &CaseId,
        now: UnixTime,
    ) -> StoreResult<Option<RecoveryCase>> {
        let mut w = self.world();
        let Some(case) = w.cases.get_mut(case_id).filter(|c| c.facts.state.is_open()) else {
            return Ok(None);
        };
        case.facts.wrong_codes += 1;
        case.version += 1;
        case.updated_at = now;
        Ok(Some(case.clone()))
    }

    async fn purge_closed_cases(&self, before: UnixTime) -> StoreResult<u64> {
        let mut w = self.world();
        let n = w.cases.len();
        w.cases
            .retain(|_, c| c.closed_at.is_none_or(|at| at >= before));
        Ok((n - w.cases.len()) as u64)
    }

    async fn reset_second_factors(
        &self,
        reset: &FactorReset,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        if let Some((case_id, version)) = &reset.case {
            let Some(case) = w.cases.get_mut(case_id).filter(|c| {
                c.version == *version
                    && c.facts.state == CaseState::Ready
                    && c.user_id.as_ref() == Some(&reset.user_id)
            }) else {
                return Ok(false);
            };
            case.facts.state = CaseState::Completed;
            case.closed_at = Some(now);
            case.version += 1;
        }
        let user = reset.user_id.as_str();
        for held in reset.ends {
            match held {
                Held::RecoveryCodes => w.codes.retain(|c| c.user_id != user),
                Held::KnownDevices => w.devices.retain(|(_, u, _)| u != user),
                Held::Sessions => w.sessions.retain(|s| s.user_id != user),
                // the fake holds no app, passkeys, ceremonies or reset links
                Held::AuthenticatorApp
                | Held::Passkeys
                | Held::PasskeyCeremonies
                | Held::ResetLinks => {}
            }
        }
        if let Some(u) = w.users.get_mut(&reset.user_id) {
            u.security_stamp = reset.security_stamp.clone();
        }
        if let Some(session) = &reset.session {
            w.sessions.push(session.clone());
        }
        Self::record(&mut w, effects);
        Ok(true)
    }

    async fn case_by_browser(&self, browser_hash: &str) -> StoreResult<Option<RecoveryCase>> {
        Ok(self
            .world()
            .cases
            .values()
            .filter(|c| c.browser_hash == browser_hash)
            .max_by_key(|c| c.facts.started_at)
            .cloned())
    }

    async fn case_by_cancel_hash(&self, cancel_hash: &str) -> StoreResult<Option<RecoveryCase>> {
        Ok(self
            .world()
            .cases
            .values()
            .find(|c| c.cancel_token_hash.as_deref() == Some(cancel_hash))
            .cloned())
    }

    async fn insert_activation_request(
        &self,
        _request: &ActivationRequest,
        _effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        unimplemented!("not used by the journey")
    }

    async fn pending_activation_request(
        &self,
        _tenant_id: &TenantId,
    ) -> StoreResult<Option<ActivationRequest>> {
        unimplemented!("not used by the journey")
    }

    async fn latest_activation_request(
        &self,
        _tenant_id: &TenantId,
    ) -> StoreResult<Option<ActivationRequest>> {
        unimplemented!("not used by the journey")
    }

    async fn pending_activation_requests(&self) -> StoreResult<Vec<ActivationRequest>> {
        unimplemented!("not used by the journey")
    }

    async fn decide_activation_request(
        &self,
        _request: &ActivationRequest,
        _effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the journey")
    }

    async fn factor_history(&self, _user_id: &UserId) -> StoreResult<Vec<FactorRecord>> {
        unimplemented!("not used by the journey")
    }

    async fn completion_durations(&self, _t: &TenantId, _since: UnixTime) -> StoreResult<Vec<i64>> {
        unimplemented!("not used by the journey")
    }

    async fn helpdesk_resets(&self, _t: &TenantId, _since: UnixTime) -> StoreResult<i64> {
        unimplemented!("not used by the journey")
    }

    async fn case_counts(
        &self,
        _t: &TenantId,
        _since: UnixTime,
    ) -> StoreResult<Vec<(CaseState, i64)>> {
        unimplemented!("not used by the journey")
    }

    async fn surges(&self, _t: &TenantId, _since: UnixTime) -> StoreResult<i64> {
        unimplemented!("not used by the journey")
    }

    async fn weekly_case_counts(
        &self,
        _t: &TenantId,
        _since: UnixTime,
        _week_secs: i64,
    ) -> StoreResult<Vec<(i64, CaseState, i64)>> {
        unimplemented!("not used by the journey")
    }
}

impl World {
    /// A new invitation, ending the tenant's unused one to the same address.
    fn invite(&mut self, i: &Invitation) {
        self.invitations.retain(|o| {
            o.tenant_id != i.tenant_id || o.email_key != i.email_key || o.used_at.is_some()
        });
        self.invitations.push(i.clone());
    }
}

impl crate::store::InvitationStore for MemStore {
    async fn insert_invitation(
        &self,
        i: &Invitation,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        w.invite(i);
        Self::record(&mut w, effects);
        Ok(())
    }

    async fn invitation_by_hash(&self, token_hash: &str) -> StoreResult<Option<Invitation>> {
        let w = self.world();
        Ok(w.invitations
            .iter()
            .find(|i| i.token_hash == token_hash)
            .cloned())
    }

    async fn accept_invitation(
        &self,
        i: &Invitation,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let Some(open) = w
            .invitations
            .iter_mut()
            .find(|o| o.id == i.id && o.used_at.is_none() && now < o.expires_at)
        else {
            return Ok(false);
        };
        open.used_at = Some(now);
        open.user_id = Some(user.id.clone());
        w.users.insert(user.id.clone(), user.clone());
        Self::record(&mut w, effects);
        Ok(true)
    }

    async fn insert_person_invitation(
        &self,
        user: &User,
        i: &Invitation,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        let taken = w.users.values().any(|u| {
            u.tenant_id == user.tenant_id
                && (u.username_key == user.username_key || u.email_key == user.email_key)
        });
        if taken {
            return Err(StoreError::Unique("users_username_unique".into()));
        }
        w.users.insert(user.id.clone(), user.clone());
        w.invite(i);
        Self::record(&mut w, effects);
        Ok(())
    }

    async fn open_invitation_of(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
    ) -> StoreResult<Option<Invitation>> {
        let w = self.world();
        Ok(w.invitations
            .iter()
            .rev()
            .find(|i| {
                i.tenant_id == *tenant_id
                    && i.user_id.as_ref() == Some(user_id)
                    && i.used_at.is_none()
            })
            .cloned())
    }

    async fn replace_invitation(
        &self,
        old: &Invitation,
        new: &Invitation,
        not_after: UnixTime,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let before = w.invitations.len();
        w.invitations
            .retain(|o| o.id != old.id || o.used_at.is_some() || o.created_at > not_after);
        if w.invitations.len() == before {
            return Ok(false);
        }
        w.invite(new);
        Self::record(&mut w, effects);
        Ok(true)
    }

    async fn withdraw_invitation(
        &self,
        i: &Invitation,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let before = w.invitations.len();
        w.invitations
            .retain(|o| o.id != i.id || o.used_at.is_some());
        if w.invitations.len() == before {
            return Ok(false);
        }
        Self::record(&mut w, effects);
        Ok(true)
    }

    async fn accept_person_invitation(
        &self,
        i: &Invitation,
        user: &User,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let open = w
            .invitations
            .iter()
            .any(|o| o.id == i.id && o.used_at.is_none() && now < o.expires_at);
        let unset = w
            .users
            .get(&user.id)
            .is_some_and(|u| u.password_hash.is_none());
        if !open || !unset {
            return Ok(false);
        }
        for o in w.invitations.iter_mut().filter(|o| o.id == i.id) {
            o.used_at = Some(now);
        }
        w.users.insert(user.id.clone(), user.clone());
        Self::record(&mut w, effects);
        Ok(true)
    }

    async fn list_invitations(
        &self,
        tenant_id: &TenantId,
        limit: u32,
    ) -> StoreResult<Vec<Invitation>> {
        let w = self.world();
        Ok(w.invitations
            .iter()
            .rev()
            .filter(|i| {
                i.tenant_id == *tenant_id
                    && i.purpose == crate::accounts::invitation::Purpose::Admin
            })
            .take(limit as usize)
            .cloned()
            .collect())
    }
}

impl crate::store::EmailChangeStore for MemStore {
    async fn insert_email_change(
        &self,
        change: &crate::accounts::email_change::EmailChange,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        w.email_changes
            .retain(|c| c.user_id != change.user_id || c.used_at.is_some());
        w.email_changes.push(change.clone());
        Self::record(&mut w, effects);
        Ok(())
    }

    async fn email_change_by_hash(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<crate::accounts::email_change::EmailChange>> {
        let w = self.world();
        Ok(w.email_changes
            .iter()
            .find(|c| c.token_hash == token_hash)
            .cloned())
    }

    async fn open_email_change(
        &self,
        user_id: &UserId,
        now: UnixTime,
    ) -> StoreResult<Option<crate::accounts::email_change::EmailChange>> {
        let w = self.world();
        Ok(w.email_changes
            .iter()
            .rev()
            .find(|c| c.user_id == *user_id && c.used_at.is_none() && now < c.expires_at)
            .cloned())
    }

    async fn cancel_email_change(
        &self,
        user_id: &UserId,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let before = w.email_changes.len();
        w.email_changes
            .retain(|c| c.user_id != *user_id || c.used_at.is_some() || now >= c.expires_at);
        if w.email_changes.len() == before {
            return Ok(false);
        }
        Self::record(&mut w, effects);
        Ok(true)
    }

    async fn apply_email_change(
        &self,
        change: &crate::accounts::email_change::EmailChange,
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let taken = w.users.values().any(|u| {
            u.id != change.user_id
                && u.tenant_id == change.tenant_id
                && u.email_key == change.new_email_key
        });
        if taken {
            return Err(StoreError::Unique("users_email_unique".into()));
        }
        let open = w
            .email_changes
            .iter()
            .any(|c| c.id == change.id && c.used_at.is_none() && now < c.expires_at);
        let owner = w
            .users
            .get(&change.user_id)
            .is_some_and(|u| u.email_key == change.old_email_key);
        if !open || !owner {
            return Ok(false);
        }
        for c in w.email_changes.iter_mut().filter(|c| c.id == change.id) {
            c.used_at = Some(now);
        }
        if let Some(u) = w.users.get_mut(&change.user_id) {
            u.email = change.new_email.clone();
            u.email_key = change.new_email_key.clone();
            u.email_verified = true;
            u.email_changed_at = Some(now);
        }
        Self::record(&mut w, effects);
        Ok(true)
    }
}

impl UserStore for MemStore {
    #[allow(clippy::too_many_arguments)]
    async fn change_password(
        &self,
        _user_id: &UserId,
        _password_hash: &str,
        _security_stamp: &str,
        _keep_session: &SessionHash,
        _new_session: &SessionHash,
        _ends: &[Held],
        _effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the journey")
    }

    async fn insert_user(
        &self,
        user: &User,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        w.users.insert(user.id.clone(), user.clone());
        Self::record(&mut w, effects);
        Ok(())
    }

    async fn user_by_login(
        &self,
        tenant_id: &TenantId,
        login: &LoginKey,
    ) -> StoreResult<Option<User>> {
        Ok(self
            .world()
            .users
            .values()
            .find(|u| {
                u.tenant_id == *tenant_id
                    && match login {
                        LoginKey::Username(k) => u.username_key == *k,
                        LoginKey::Email(k) => u.email_key == *k,
                    }
            })
            .cloned())
    }

    async fn user_by_id(
        &self,
        tenant_id: &TenantId,
        user_id: &UserId,
    ) -> StoreResult<Option<User>> {
        Ok(self
            .world()
            .users
            .get(user_id)
            .filter(|u| u.tenant_id == *tenant_id)
            .cloned())
    }

    async fn list_users(&self, tenant_id: &TenantId) -> StoreResult<Vec<User>> {
        Ok(self
            .world()
            .users
            .values()
            .filter(|u| u.tenant_id == *tenant_id)
            .cloned()
            .collect())
    }

    async fn list_people(
        &self,
        _tenant_id: &TenantId,
        _filter: &crate::store::PeopleFilter,
    ) -> StoreResult<Vec<crate::store::PersonRow>> {
        unimplemented!("not used by the journey")
    }

    async fn user_activity(
        &self,
        _tenant_id: &TenantId,
        _user_id: &UserId,
        _now: UnixTime,
    ) -> StoreResult<Option<crate::store::Activity>> {
        unimplemented!("not used by the journey")
    }

    async fn set_user_status(
        &self,
        _tenant_id: &TenantId,
        user_id: &UserId,
        status: UserStatus,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let Some(u) = w.users.get_mut(user_id) else {
            return Ok(false);
        };
        u.status = status;
        if status.ends().contains(&Held::Sessions) {
            w.sessions.retain(|s| s.user_id != *user_id);
        }
        Self::record(&mut w, effects);
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    async fn set_user_role(
        &self,
        _tenant_id: &TenantId,
        _user_id: &UserId,
        _role: crate::accounts::user::Role,
        _effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the journey")
    }

    async fn replace_password_hash(
        &self,
        _user_id: &UserId,
        _old_hash: &str,
        _new_hash: &str,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the journey")
    }
}

impl RateLimitStore for MemStore {
    async fn rate_limit_add(
        &self,
        key: &str,
        delta: i64,
        now: UnixTime,
        window_secs: i64,
    ) -> StoreResult<Hit> {
        let mut w = self.world();
        let hit = w.counters.entry(key.to_owned()).or_insert(Hit {
            count: 0,
            window_start: now,
        });
        if hit.window_start.plus(window_secs) <= now {
            *hit = Hit {
                count: 0,
                window_start: now,
            };
        }
        hit.count = (hit.count + delta).max(0);
        Ok(*hit)
    }

    async fn rate_limit_clear(&self, key: &str) -> StoreResult<()> {
        self.world().counters.remove(key);
        Ok(())
    }

    async fn purge_rate_limits(&self, before: UnixTime) -> StoreResult<u64> {
        let mut w = self.world();
        let n = w.counters.len();
        w.counters.retain(|_, h| h.window_start >= before);
        Ok((n - w.counters.len()) as u64)
    }
}

impl RecoveryCodeStore for MemStore {
    async fn replace_recovery_codes(
        &self,
        user_id: &UserId,
        codes: &[RecoveryCode],
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        w.codes.retain(|c| c.user_id != *user_id);
        w.codes.extend(codes.iter().cloned());
        Self::record(&mut w, effects);
        Ok(())
    }

    async fn recovery_code_unused(&self, user_id: &UserId, code_hash: &str) -> StoreResult<bool> {
        Ok(self
            .world()
            .codes
            .iter()
            .any(|c| c.user_id == *user_id && c.code_hash == code_hash && c.used_at.is_none()))
    }

    async fn use_recovery_code(
        &self,
        user_id: &UserId,
        code_hash: &str,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        match w
            .codes
            .iter_mut()
            .find(|c| c.user_id == *user_id && c.code_hash == code_hash && c.used_at.is_none())
        {
            Some(c) => {
                c.used_at = Some(now);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn unused_recovery_codes(&self, user_id: &UserId) -> StoreResult<i64> {
        Ok(self
            .world()
            .codes
            .iter()
            .filter(|c| c.user_id == *user_id && c.used_at.is_none())
            .count() as i64)
    }

    async fn recovery_code_tally(
        &self,
        user_id: &UserId,
    ) -> StoreResult<crate::factors::recovery_codes::CodeTally> {
        let w = self.world();
        let mine = || w.codes.iter().filter(|c| c.user_id == *user_id);
        Ok(crate::factors::recovery_codes::CodeTally {
            unused: mine().filter(|c| c.used_at.is_none()).count() as i64,
            used_unanswered: mine()
                .filter(|c| c.used_at.is_some() && !w.codes_answered.contains(&c.id))
                .count() as i64,
        })
    }

    async fn answer_recovery_code_offer(
        &self,
        user_id: &UserId,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        let used: Vec<String> = w
            .codes
            .iter()
            .filter(|c| c.user_id == *user_id && c.used_at.is_some())
            .map(|c| c.id.clone())
            .collect();
        w.codes_answered.extend(used);
        Ok(())
    }
}

impl TenantStore for MemStore {
    async fn insert_tenant(&self, tenant: &Tenant) -> StoreResult<()> {
        self.world().tenants.push(tenant.clone());
        Ok(())
    }

    async fn tenant_by_slug(&self, slug: &TenantSlug) -> StoreResult<Option<Tenant>> {
        Ok(self
            .world()
            .tenants
            .iter()
            .find(|t| t.slug == *slug)
            .cloned())
    }

    async fn list_tenants(&self) -> StoreResult<Vec<Tenant>> {
        Ok(self.world().tenants.clone())
    }

    async fn update_tenant(
        &self,
        tenant: &Tenant,
        _cancel_cases: &[CaseId],
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        let mut world = self.world();
        let Some(stored) = world
            .tenants
            .iter_mut()
            .find(|t| t.id == tenant.id && t.version == tenant.version)
        else {
            return Ok(false);
        };
        *stored = Tenant {
            version: tenant.version + 1,
            ..tenant.clone()
        };
        Self::record(&mut world, effects);
        Ok(true)
    }

    async fn open_cases(&self, tenant_id: &TenantId) -> StoreResult<Vec<(CaseId, Option<UserId>)>> {
        Ok(self
            .world()
            .cases
            .values()
            .filter(|c| c.tenant_id == tenant_id && c.facts.state.is_open())
            .map(|c| (c.id.clone(), c.user_id.clone()))
            .collect())
    }
}

/// A password worker without argon2: a "hash" is `plain:` and the password.
/// It counts its verifications, so a test can compare the work of two paths.
#[derive(Default)]
pub struct PlainWorker {
    pub verifications: AtomicU64,
}

impl PasswordWorker for PlainWorker {
    fn has_capacity(&self) -> bool {
        true
    }

    async fn hash(&self, password: Password) -> Result<String, Error> {
        Ok(format!("plain:{}", password.expose()))
    }

    async fn verify(
        &self,
        stored: Option<String>,
        password: Password,
    ) -> Result<Verification, Error> {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let right = stored.is_some_and(|s| s == format!("plain:{}", password.expose()));
        Ok(if right {
            Verification::Match {
                needs_rehash: false,
            }
        } else {
            Verification::Mismatch
        })
    }
}

/// Everything a service needs, owned; [`Fixture::env`] lends it out.
pub struct Fixture {
    pub store: MemStore,
    pub worker: PlainWorker,
    pub clock: ManualClock,
    pub random: SeededRandom,
    pub secrets: SecretBox,
}

impl Fixture {
    pub fn new(now: UnixTime) -> Fixture {
        Fixture {
            store: MemStore::default(),
            worker: PlainWorker::default(),
            clock: ManualClock::new(now),
            random: SeededRandom::new(11),
            secrets: SecretBox::new(&[7; 32]),
        }
    }

    pub fn env(&self) -> crate::Env<'_, MemStore, PlainWorker> {
        crate::Env {
            store: &self.store,
            worker: &self.worker,
            clock: &self.clock,
            random: &self.random,
            secrets: &self.secrets,
        }
    }

    pub fn verifications(&self) -> u64 {
        self.worker.verifications.load(Ordering::Relaxed)
    }
}

impl OidcStore for MemStore {
    async fn insert_code(&self, code: &AuthCode) -> StoreResult<()> {
        self.world()
            .auth_codes
            .insert(code.code_hash.clone(), code.clone());
        Ok(())
    }

    async fn code_by_hash(&self, code_hash: &str) -> StoreResult<Option<AuthCode>> {
        Ok(self.world().auth_codes.get(code_hash).cloned())
    }

    async fn redeem_code(
        &self,
        code_hash: &str,
        grant: &Grant,
        now: UnixTime,
    ) -> StoreResult<bool> {
        let mut w = self.world();
        let Some(code) = w
            .auth_codes
            .get_mut(code_hash)
            .filter(|c| c.used_at.is_none())
        else {
            return Ok(false);
        };
        code.used_at = Some(now);
        w.grants.insert(grant.id.clone(), grant.clone());
        Ok(true)
    }

    async fn revoke_grants_of_code(&self, code_hash: &str, now: UnixTime) -> StoreResult<()> {
        for g in self.world().grants.values_mut() {
            if g.code_hash.as_deref() == Some(code_hash) && g.revoked_at.is_none() {
                g.revoked_at = Some(now);
            }
        }
        Ok(())
    }

    async fn rotate_refresh(
        &self,
        grant_id: &GrantId,
        generation: i64,
        client_id: &ClientRowId,
        now: UnixTime,
    ) -> StoreResult<Option<(Grant, User)>> {
        let mut w = self.world();
        let Some(grant) = w.grants.get_mut(grant_id).filter(|g| {
            g.refresh_generation == generation
                && g.client_id == client_id
                && g.revoked_at.is_none()
                && now < g.expires_at
        }) else {
            return Ok(None);
        };
        grant.refresh_generation += 1;
        let grant = grant.clone();
        let user = grant
            .user_id
            .as_ref()
            .and_then(|id| w.users.get(id).cloned());
        Ok(user.map(|u| (grant, u)))
    }

    async fn grant_by_id(&self, id: &GrantId) -> StoreResult<Option<Grant>> {
        Ok(self.world().grants.get(id).cloned())
    }

    async fn grant_with_user(&self, id: &GrantId) -> StoreResult<Option<(Grant, User)>> {
        let w = self.world();
        Ok(w.grants.get(id).and_then(|g| {
            let user = w.users.get(g.user_id.as_ref()?)?.clone();
            Some((g.clone(), user))
        }))
    }

    async fn revoke_grant(&self, id: &GrantId, now: UnixTime) -> StoreResult<()> {
        if let Some(g) = self.world().grants.get_mut(id)
            && g.revoked_at.is_none()
        {
            g.revoked_at = Some(now);
        }
        Ok(())
    }

    async fn insert_revoked_grant(&self, grant: &Grant) -> StoreResult<()> {
        self.world()
            .grants
            .entry(grant.id.clone())
            .or_insert_with(|| grant.clone());
        Ok(())
    }

    async fn revoke_session_grants(
        &self,
        session_hash: &SessionHash,
        now: UnixTime,
    ) -> StoreResult<u64> {
        let mut n = 0;
        for g in self.world().grants.values_mut() {
            if g.session_hash.as_ref() == Some(session_hash) && g.revoked_at.is_none() {
                g.revoked_at = Some(now);
                n += 1;
            }
        }
        Ok(n)
    }

    async fn consent(
        &self,
        _user_id: &UserId,
        _client_id: &ClientRowId,
    ) -> StoreResult<Option<String>> {
        unimplemented!("not used by the grants")
    }

    async fn save_consent(
        &self,
        _tenant_id: &TenantId,
        _user_id: &UserId,
        _client_id: &ClientRowId,
        _scope: &str,
        _now: UnixTime,
    ) -> StoreResult<()> {
        unimplemented!("not used by the grants")
    }

    async fn consents_for_user(&self, _user_id: &UserId) -> StoreResult<Vec<Consent>> {
        unimplemented!("not used by the grants")
    }

    async fn connections_for_user(
        &self,
        _user_id: &UserId,
        _security_stamp: &str,
        _now: UnixTime,
    ) -> StoreResult<Vec<Connection>> {
        unimplemented!("not used by the grants")
    }

    async fn remove_access(
        &self,
        _user_id: &UserId,
        _client_id: &ClientRowId,
        _effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the grants")
    }

    async fn use_assertion(
        &self,
        _jti_hash: &str,
        _client_id: &ClientRowId,
        _expires_at: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the grants")
    }

    async fn purge_oauth(&self, _now: UnixTime) -> StoreResult<u64> {
        unimplemented!("not used by the grants")
    }
}

impl SessionStore for MemStore {
    async fn start_session(
        &self,
        session: &Session,
        effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        w.sessions.push(session.clone());
        Self::record(&mut w, effects);
        Ok(())
    }

    async fn complete_second_factor(
        &self,
        _completion: &SecondFactorDone,
        _effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the grants")
    }

    async fn refresh_auth_time(
        &self,
        _id_hash: &SessionHash,
        _new_id_hash: &SessionHash,
        _effects: &Effects<'_>,
        _now: UnixTime,
    ) -> StoreResult<bool> {
        unimplemented!("not used by the grants")
    }

    async fn session_by_hash(&self, id_hash: &SessionHash) -> StoreResult<Option<Session>> {
        Ok(self
            .world()
            .sessions
            .iter()
            .find(|s| s.id_hash == id_hash)
            .cloned())
    }

    async fn touch_session(&self, _id_hash: &SessionHash, _now: UnixTime) -> StoreResult<()> {
        unimplemented!("not used by the grants")
    }

    async fn delete_session(&self, id_hash: &SessionHash) -> StoreResult<()> {
        self.world().sessions.retain(|s| s.id_hash != *id_hash);
        Ok(())
    }

    async fn sessions_of_user(&self, user_id: &UserId) -> StoreResult<Vec<Session>> {
        Ok(self
            .world()
            .sessions
            .iter()
            .filter(|s| s.user_id == *user_id)
            .cloned()
            .collect())
    }

    async fn delete_user_sessions(&self, user_id: &UserId) -> StoreResult<u64> {
        let mut w = self.world();
        let n = w.sessions.len();
        w.sessions.retain(|s| s.user_id != *user_id);
        Ok((n - w.sessions.len()) as u64)
    }

    async fn sign_out_tenant(
        &self,
        out: &crate::accounts::everyone::TenantSignOut<'_>,
        now: UnixTime,
    ) -> StoreResult<crate::accounts::everyone::SignedOutCount> {
        let mut w = self.world();
        let mut count = crate::accounts::everyone::SignedOutCount::default();
        for u in w
            .users
            .values_mut()
            .filter(|u| u.tenant_id == *out.tenant_id)
        {
            u.security_stamp = out.security_stamp.to_owned();
            count.people += 1;
        }
        let keep = out.keep.as_ref();
        let kept = |s: &Session| {
            keep.is_some_and(|(user, k)| s.user_id == **user && s.id_hash == *k.keep_session)
        };
        count.sessions = w
            .sessions
            .iter()
            .filter(|s| {
                s.tenant_id == *out.tenant_id
                    && !kept(s)
                    && s.stage == crate::accounts::session::SessionStage::Complete
                    && now < s.expires_at
            })
            .count() as u64;
        w.sessions
            .retain(|s| s.tenant_id != *out.tenant_id || kept(s));
        if let Some((_, k)) = keep {
            for s in w
                .sessions
                .iter_mut()
                .filter(|s| s.id_hash == *k.keep_session)
            {
                s.id_hash = k.new_session.clone();
                s.security_stamp = out.security_stamp.to_owned();
            }
        }
        let mut event = out.event.clone();
        event.detail = (out.detail)(&count);
        Self::record(&mut w, &Effects::audit(event));
        Ok(count)
    }

    async fn purge_sessions(&self, _before: UnixTime) -> StoreResult<u64> {
        unimplemented!("not used by the grants")
    }
}

impl crate::store::EffectStore for MemStore {
    async fn apply(&self, effects: &Effects<'_>, _now: UnixTime) -> StoreResult<()> {
        Self::record(&mut self.world(), effects);
        Ok(())
    }
}

impl DeviceStore for MemStore {
    async fn rotate_device(
        &self,
        old_hash: Option<&str>,
        new_hash: &str,
        _tenant_id: &TenantId,
        user_id: &UserId,
        now: UnixTime,
    ) -> StoreResult<()> {
        let mut w = self.world();
        w.devices
            .retain(|(h, u, _)| !(Some(h.as_str()) == old_hash && u == user_id));
        w.devices
            .push((new_hash.to_owned(), user_id.to_owned(), now));
        Ok(())
    }

    async fn has_known_device(&self, user_id: &UserId, since: UnixTime) -> StoreResult<bool> {
        Ok(self
            .world()
            .devices
            .iter()
            .any(|(_, u, at)| u == user_id && *at >= since))
    }

    async fn device_known(
        &self,
        id_hash: &str,
        user_id: &UserId,
        since: UnixTime,
    ) -> StoreResult<bool> {
        Ok(self
            .world()
            .devices
            .iter()
            .any(|(h, u, at)| h == id_hash && u == user_id && *at >= since))
    }
}
