//! The recovery journey over the store: start a case, give proofs, wait,
//! complete — or cancel. The rules themselves are in [`crate::recovery`].
//!
//! A case belongs to the browser that started it: a random case cookie,
//! stored as a hash, is needed for every step. A case id in a URL grants
//! nothing. For an unknown, disabled or excluded account nothing is stored,
//! but the browser gets a case cookie and the same pages all the same; every
//! proof then fails like a wrong one (a "decoy" case), so the answers do not
//! tell whether an account exists.

use crate::Error;
use crate::audit::{RequestMeta, audit_event};
use crate::clock::UnixTime;
use crate::env::Env;
use crate::mail::{MailMessage, OutboxMail, SecurityEvent, security_notice};
use crate::password::{Password, PasswordWorker};
use crate::random::{Random, new_id};
use crate::ratelimit::{self, RateLimit};
use crate::recovery::{
    AccountFacts, CaseFacts, CaseState, Event, FactorReset, Proof, RecoveryCase, Refusal,
};
use crate::secret::{SecretToken, ct_eq};
use crate::session::{AuthMethod, Session, SessionPolicy};
use crate::store::{Effects, Store};
use crate::tenant::Tenant;
use crate::user::{LoginKey, User, new_security_stamp};
use crate::validate::Said;

/// Digits of the emailed code.
pub const CODE_DIGITS: u32 = 8;
pub const CODE_SECS: i64 = 10 * 60;

/// Cases started from one client address.
pub const START_PER_ADDRESS: RateLimit = RateLimit {
    max: 10,
    window_secs: 3600,
};
/// Cases started for one account (known or not), per day.
pub const START_PER_ACCOUNT: RateLimit = RateLimit {
    max: 5,
    window_secs: 24 * 3600,
};
/// Cases started in one tenant, per hour: a brake on mass abuse.
pub const START_PER_TENANT: RateLimit = RateLimit {
    max: 500,
    window_secs: 3600,
};
/// Proof attempts from one address, per hour.
pub const PROOF_PER_ADDRESS: RateLimit = RateLimit {
    max: 60,
    window_secs: 3600,
};

const SCOPE: &str = "recovery";

/// What the pages show about the browser's case. A decoy looks like a case
/// waiting for proofs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// Proofs are needed; the ones given so far.
    Proving { proofs: crate::recovery::Proofs },
    /// Proven; completes at `ready_at` unless cancelled.
    Waiting { ready_at: UnixTime },
    /// The user may complete now; `password` says whether the password is
    /// asked again.
    Ready { password: bool },
    /// The case ended.
    Ended(CaseState),
}

/// What the user typed as a proof.
pub enum ProofInput {
    EmailCode(String),
    Password(Password),
    RecoveryCode(String),
}

/// An 8-digit code, uniformly drawn.
fn new_code(random: &dyn Random) -> String {
    let limit = 10u64.pow(CODE_DIGITS);
    let zone = u64::MAX - u64::MAX % limit;
    loop {
        let n = u64::from_be_bytes(crate::random::bytes::<8>(random));
        if n < zone {
            return format!("{:0width$}", n % limit, width = CODE_DIGITS as usize);
        }
    }
}

fn code_hash<S, W>(env: &Env<'_, S, W>, case_id: &str, code: &str) -> String {
    env.secrets
        .mac(&[b"recovery-code", case_id.as_bytes(), code.as_bytes()])
}

/// Keeps only digits (people type spaces and dashes).
fn digits(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_digit)
        .take(16)
        .collect()
}

async fn limit<S: Store, W>(
    env: &Env<'_, S, W>,
    key: &str,
    limit: RateLimit,
    now: UnixTime,
) -> Result<(), Error> {
    let hit = env
        .store
        .rate_limit_add(key, 1, now, limit.window_secs)
        .await?;
    if limit.exceeded(&hit) {
        return Err(Error::RateLimited {
            retry_after_secs: limit.retry_after(&hit, now),
        });
    }
    Ok(())
}

/// Where a recovery starts from.
pub enum Origin<'a> {
    /// "Can't sign in?": the user typed a username or email.
    Login(&'a str),
    /// "I lost my second factor" at the second sign-in step: the password
    /// was just checked for this session.
    SecondStep(&'a Session),
}

/// Starts a case, or a decoy for an account that cannot recover; either
/// way, the case cookie for the browser. `device` is the browser's device
/// cookie, if any. Refused (with the helpdesk path to show) when the tenant
/// has not activated self-recovery.
pub async fn start<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    origin: Origin<'_>,
    device: Option<&str>,
    return_to: Option<String>,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    if !tenant.self_recovery {
        return Err(Error::NotFound("self-recovery"));
    }
    let now = env.clock.now();
    if let Some(ip) = &meta.ip {
        limit(
            env,
            &ratelimit::address_key(SCOPE, ip),
            START_PER_ADDRESS,
            now,
        )
        .await?;
    }
    let (user, password_proven, typed) = match origin {
        Origin::Login(login) => {
            let key = LoginKey::from_input(login);
            let typed = key.as_ref().map_or("", LoginKey::as_str).to_owned();
            let user = match &key {
                Some(k) => env.store.user_by_login(&tenant.id, k).await?,
                None => None,
            };
            (user, false, typed)
        }
        Origin::SecondStep(session) => {
            let user = env.store.user_by_id(&tenant.id, &session.user_id).await?;
            (user, true, String::new())
        }
    };
    let policy = tenant.recovery_policy();
    let known_device = match (&user, device.and_then(SecretToken::from_presented)) {
        (Some(u), Some(d)) => {
            env.store
                .device_known(&d.hash(), &u.id, now.plus(-policy.known_device_secs))
                .await?
        }
        _ => false,
    };
    // The owner on a known device or straight from the password prompt is
    // never held back by limits that strangers could use up.
    if !known_device && !password_proven {
        let subject = match &user {
            Some(u) => format!("user:{}", u.id),
            None => format!("login:{typed}"),
        };
        limit(
            env,
            &ratelimit::account_key(SCOPE, &tenant.id, &subject),
            START_PER_ACCOUNT,
            now,
        )
        .await?;
        limit(
            env,
            &ratelimit::account_key(SCOPE, &tenant.id, "tenant"),
            START_PER_TENANT,
            now,
        )
        .await?;
    }
    let browser = SecretToken::generate(env.random);
    let Some(user) = user.filter(User::is_active) else {
        // A decoy: nothing stored, the same cookie and pages.
        return Ok(browser);
    };
    if user.is_admin() && tenant.recovery_excludes_admins {
        // The helpdesk path, without telling the browser that this is an
        // administrator: the same decoy pages, and a mail to the owner.
        let mut effects = Effects::audit(audit_event(
            env.random,
            env.clock,
            tenant,
            Some(&user.id),
            "anonymous".into(),
            "recovery.refused.admin",
            meta,
        ));
        effects.mail.push(security_notice(
            env.random,
            tenant,
            &user,
            SecurityEvent::RecoveryNotForAdmins,
            now,
        ));
        env.store.apply(&effects, now).await?;
        return Ok(browser);
    }
    // A proven case elsewhere stays (its owner was mailed a cancel link);
    // this browser gets a decoy. Unproven attempts of other browsers do not
    // matter: each browser has its own.
    let open = env.store.open_cases_for_user(&user.id).await?;
    if open.iter().any(|c| c.facts.state != CaseState::Started) {
        return Ok(browser);
    }
    // The password just checked at the prompt is a proof only if it counts
    // (one rule, in the state machine: not if it was set from a mailed link).
    let facts = CaseFacts::open(
        now,
        known_device,
        password_proven,
        &policy,
        &AccountFacts::of(&user),
    );
    let id = new_id(env.random);
    let code = user.email_verified.then(|| new_code(env.random));
    let case = RecoveryCase {
        email_key: code.as_ref().map(|_| user.email_key.clone()),
        email_code_hash: code.as_ref().map(|c| code_hash(env, &id, c)),
        email_code_expires_at: code.as_ref().map(|_| now.plus(CODE_SECS)),
        id,
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        facts,
        browser_hash: browser.hash(),
        cancel_token_hash: None,
        return_to,
        updated_at: now,
        version: 1,
        closed_at: None,
    };
    let mut effects = Effects::audit(case_event(
        env,
        tenant,
        &case,
        "recovery.case.started",
        meta,
    ));
    if let Some(code) = code {
        effects.mail.push(OutboxMail {
            id: new_id(env.random),
            tenant_id: Some(tenant.id.clone()),
            recipient: user.email.clone(),
            language: user.language.unwrap_or(tenant.default_language),
            message: MailMessage::RecoveryCode {
                tenant_name: tenant.display_name.clone(),
                display_name: user.display_name.clone(),
                code,
                expires_minutes: CODE_SECS / 60,
            },
            created_at: now,
        });
    }
    env.store
        .insert_case(&case, &effects, now)
        .await
        .map_err(|e| {
            e.into_conflict(
                "case",
                "a recovery for this account started meanwhile; start again",
            )
        })?;
    Ok(browser)
}

fn case_event<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    case: &RecoveryCase,
    event: &str,
    meta: &RequestMeta,
) -> crate::audit::AuditEvent {
    let mut audit = audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&case.user_id),
        format!("user:{}", case.user_id),
        event,
        meta,
    );
    audit.detail =
        serde_json::json!({ "case": case.id, "state": case.facts.state.as_str() }).to_string();
    audit
}

/// Applies `event` to `case` and stores it with an audit event per state it
/// passed and the mails those states send. Returns the stored case.
async fn transition<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    case: RecoveryCase,
    event: Event,
    why: &str,
    meta: &RequestMeta,
) -> Result<RecoveryCase, Error> {
    transition_spending(env, tenant, user, case, event, why, None, meta).await
}

/// [`transition`], spending the recovery code with `spend_code` in the
/// same transaction: the code is used only if the case moves on, and the
/// case moves on only if the code was still unused.
#[allow(clippy::too_many_arguments)]
async fn transition_spending<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    case: RecoveryCase,
    event: Event,
    why: &str,
    spend_code: Option<&str>,
    meta: &RequestMeta,
) -> Result<RecoveryCase, Error> {
    let now = env.clock.now();
    let policy = tenant.recovery_policy();
    let account = AccountFacts::of(user);
    // Time first: a case past its end is expired (and stored so) whatever
    // the event; ending an ended case is no error.
    let (ticked, mut passed) = case
        .facts
        .apply(Event::Tick, now, &policy, &account)
        .map_err(refusal_error)?;
    let facts = if event == Event::Tick
        || (!ticked.state.is_open() && matches!(event, Event::Cancel | Event::SignedIn))
    {
        ticked
    } else {
        let (facts, more) = ticked
            .apply(event, now, &policy, &account)
            .map_err(refusal_error)?;
        passed.extend(more);
        facts
    };
    let mut next = RecoveryCase {
        facts,
        updated_at: now,
        ..case.clone()
    };
    if facts == case.facts {
        return Ok(case);
    }
    let mut effects = Effects::default();
    for state in &passed {
        let mut shown = next.clone();
        shown.facts.state = *state;
        let mut audit = case_event(
            env,
            tenant,
            &shown,
            &format!("recovery.case.{}", state.as_str()),
            meta,
        );
        if *state == CaseState::Cancelled {
            audit.detail = serde_json::json!({ "case": case.id, "reason": why }).to_string();
        }
        effects.audit.push(audit);
        match state {
            CaseState::Waiting => {
                let cancel = SecretToken::generate(env.random);
                next.cancel_token_hash = Some(cancel.hash());
                effects.mail.push(OutboxMail {
                    id: new_id(env.random),
                    tenant_id: Some(tenant.id.clone()),
                    recipient: user.email.clone(),
                    language: user.language.unwrap_or(tenant.default_language),
                    message: MailMessage::RecoveryWaiting {
                        tenant_name: tenant.display_name.clone(),
                        display_name: user.display_name.clone(),
                        ready_at: next.facts.ready_at.unwrap_or(now).0,
                        cancel_link: format!(
                            "{}/t/{}/recover/cancel?token={}",
                            env.public_url,
                            tenant.slug,
                            cancel.expose()
                        ),
                    },
                    created_at: now,
                });
            }
            // Ready after a wait: the owner is told where to finish.
            CaseState::Ready if case.facts.state == CaseState::Waiting => {
                effects.mail.push(OutboxMail {
                    id: new_id(env.random),
                    tenant_id: Some(tenant.id.clone()),
                    recipient: user.email.clone(),
                    language: user.language.unwrap_or(tenant.default_language),
                    message: MailMessage::RecoveryReady {
                        tenant_name: tenant.display_name.clone(),
                        display_name: user.display_name.clone(),
                        link: format!("{}/t/{}/recover/case", env.public_url, tenant.slug),
                    },
                    created_at: now,
                })
            }
            CaseState::Locked => effects.mail.push(security_notice(
                env.random,
                tenant,
                user,
                SecurityEvent::RecoveryLocked,
                now,
            )),
            CaseState::Cancelled if why != "superseded" => effects.mail.push(security_notice(
                env.random,
                tenant,
                user,
                SecurityEvent::RecoveryCancelled,
                now,
            )),
            _ => {}
        }
    }
    let stored = env
        .store
        .update_case(&next, spend_code, &effects, now)
        .await
        .map_err(|e| {
            e.into_conflict(
                "case",
                "another recovery of this account is in progress; it must end before this one can go on",
            )
        })?;
    if !stored {
        return Err(Error::Conflict(crate::validate::FieldError::said(
            "case",
            Said::RecoveryChangedMeanwhile,
        )));
    }
    next.version += 1;
    Ok(next)
}

fn refusal_error(refusal: Refusal) -> Error {
    match refusal {
        Refusal::Closed => Error::said("case", Said::RecoveryEnded),
        Refusal::NotProven => Error::said("case", Said::RecoveryNeedsProof),
        Refusal::Waiting => Error::said("case", Said::RecoveryWaiting),
        // Said only to whoever gave the right password (anyone else sees a
        // wrong proof, as on a decoy).
        Refusal::PasswordRecentlyReset => Error::said("password", Said::PasswordRecentlyReset),
    }
}

/// The browser's case and its user, with time applied (a wait that is over
/// makes it ready, an old case expires). `None`: a decoy or no case.
async fn load<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<Option<(RecoveryCase, User)>, Error> {
    let Some(token) = SecretToken::from_presented(browser) else {
        return Ok(None);
    };
    let Some(case) = env.store.case_by_browser(&token.hash()).await? else {
        return Ok(None);
    };
    if case.tenant_id != tenant.id {
        return Ok(None);
    }
    let Some(user) = env
        .store
        .user_by_id(&tenant.id, &case.user_id)
        .await?
        .filter(User::is_active)
        .filter(|u| !(u.is_admin() && tenant.recovery_excludes_admins))
    else {
        return Ok(None);
    };
    let case = transition(env, tenant, &user, case, Event::Tick, "", meta).await?;
    Ok(Some((case, user)))
}

fn view_of(case: &RecoveryCase) -> View {
    match case.facts.state {
        CaseState::Started | CaseState::Proven => View::Proving {
            proofs: case.facts.proofs,
        },
        CaseState::Waiting => View::Waiting {
            ready_at: case.facts.ready_at.unwrap_or(case.facts.expires_at),
        },
        CaseState::Ready => View::Ready {
            password: asks_password_again(case),
        },
        ended => View::Ended(ended),
    }
}

/// After a wait, the password is asked again where the user gave it: the
/// browser may have changed hands meanwhile.
fn asks_password_again(case: &RecoveryCase) -> bool {
    case.facts.proofs.password
        && case.facts.proofs.path() == Some(crate::recovery::RecoveryPath::Standard)
        && !case.facts.known_device
}

/// What the browser's case looks like now.
pub async fn view<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<View, Error> {
    Ok(match load(env, tenant, browser, meta).await? {
        Some((case, _)) => view_of(&case),
        None => {
            let now = env.clock.now();
            let tries = env
                .store
                .rate_limit_add(&decoy_key(tenant, browser), 0, now, 24 * 3600)
                .await?;
            if tries.count >= i64::from(tenant.recovery_policy().max_wrong_codes) {
                View::Ended(CaseState::Locked)
            } else {
                View::Proving {
                    proofs: Default::default(),
                }
            }
        }
    })
}

/// Checks one proof for the browser's case. A wrong one counts toward the
/// lock; on a decoy every proof is wrong.
pub async fn prove<S: Store, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    input: ProofInput,
    meta: &RequestMeta,
) -> Result<View, Error> {
    let now = env.clock.now();
    if let Some(ip) = &meta.ip {
        limit(
            env,
            &ratelimit::address_key("recovery-proof", ip),
            PROOF_PER_ADDRESS,
            now,
        )
        .await?;
    }
    let (case, user) = match load(env, tenant, browser, meta).await? {
        Some((case, user)) if case.facts.state == CaseState::Started => (case, user),
        // Past proving: more proof changes nothing.
        Some((case, _)) => return Ok(view_of(&case)),
        None => return decoy(env, tenant, browser, input).await,
    };
    let mut spend: Option<String> = None;
    let proof = match input {
        ProofInput::EmailCode(typed) => {
            let typed = digits(&typed);
            let fresh = case.email_code_expires_at.is_some_and(|at| now < at);
            let right = case.email_code_hash.as_ref().is_some_and(|stored| {
                ct_eq(
                    stored.as_bytes(),
                    code_hash(env, &case.id, &typed).as_bytes(),
                )
            });
            (fresh && right).then_some(Proof::EmailCode)
        }
        // Guessing is bounded by the case's wrong-proof lock and the start
        // limits; no per-account counter here, which a decoy could not
        // share (it would tell real accounts from others).
        // Whether a right password counts is the state machine's to say.
        ProofInput::Password(password) => env
            .worker
            .verify(user.password_hash.clone(), password)
            .await?
            .is_match()
            .then_some(Proof::Password),
        ProofInput::RecoveryCode(typed) => match crate::recovery_code::hash(&typed) {
            // spent below, with the case's move, in one transaction
            Some(h) if env.store.recovery_code_unused(&user.id, &h).await? => {
                spend = Some(h);
                Some(Proof::RecoveryCode)
            }
            _ => None,
        },
    };
    let event = proof.map_or(Event::WrongCode, Event::Proved);
    let case =
        transition_spending(env, tenant, &user, case, event, "", spend.as_deref(), meta).await?;
    if proof.is_none() && case.facts.state == CaseState::Started {
        return Err(Error::InvalidCode);
    }
    Ok(view_of(&case))
}

/// Wrong proofs counted for a decoy, like a real case's.
fn decoy_key(tenant: &Tenant, browser: &str) -> String {
    ratelimit::account_key(
        SCOPE,
        &tenant.id,
        &format!("decoy:{}", crate::secret::sha256_hex(browser.as_bytes())),
    )
}

/// A proof for a browser without a case (a decoy): it fails like a wrong
/// code, after the same password work, and locks like a real case.
async fn decoy<S: Store, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    input: ProofInput,
) -> Result<View, Error> {
    let now = env.clock.now();
    let hit = env
        .store
        .rate_limit_add(&decoy_key(tenant, browser), 1, now, 24 * 3600)
        .await?;
    if let ProofInput::Password(password) = input {
        let _ = env.worker.verify(None, password).await?;
    }
    if hit.count >= i64::from(tenant.recovery_policy().max_wrong_codes) {
        return Ok(View::Ended(CaseState::Locked));
    }
    Err(Error::InvalidCode)
}

/// A recovery that completed: the new session and where to go.
pub struct Completed {
    pub token: SecretToken,
    pub session: Session,
    pub user: User,
    pub return_to: Option<String>,
}

/// Completes the browser's ready case: every old second factor goes, every
/// session ends, and this browser gets a fresh session.
pub async fn complete<S: Store, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    password: Option<Password>,
    meta: &RequestMeta,
    session_policy: &SessionPolicy,
) -> Result<Completed, Error> {
    let now = env.clock.now();
    if !tenant.self_recovery {
        return Err(Error::said("case", Said::RecoverySwitchedOff));
    }
    let Some((case, user)) = load(env, tenant, browser, meta).await? else {
        return Err(Error::said("case", Said::RecoveryNeedsProof));
    };
    // The state machine decides, here as everywhere: ready, and every proof
    // still counting (a password reset by mail since it was given does not).
    let (completed, _) = case
        .facts
        .apply(
            Event::Complete,
            now,
            &tenant.recovery_policy(),
            &AccountFacts::of(&user),
        )
        .map_err(refusal_error)?;
    if asks_password_again(&case) {
        let Some(password) = password else {
            return Err(Error::InvalidCredentials);
        };
        let key = ratelimit::account_key(
            crate::signin::SCOPE,
            &tenant.id,
            &format!("user:{}", user.id),
        );
        limit(
            env,
            &key,
            crate::signin::SignInLimits::default().per_account,
            now,
        )
        .await?;
        if !env
            .worker
            .verify(user.password_hash.clone(), password)
            .await?
            .is_match()
        {
            return Err(Error::InvalidCredentials);
        }
    }
    let stamp = new_security_stamp(env.random);
    let reset = FactorReset {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        case: Some((case.id.clone(), case.version)),
        security_stamp: stamp.clone(),
        removed_by: format!("recovery:{}", case.id),
    };
    let mut done = case.clone();
    done.facts = completed;
    let mut effects = Effects::audit(case_event(
        env,
        tenant,
        &done,
        "recovery.case.completed",
        meta,
    ));
    effects.mail.push(security_notice(
        env.random,
        tenant,
        &user,
        SecurityEvent::RecoveryCompleted,
        now,
    ));
    if !env
        .store
        .reset_second_factors(&reset, &effects, now)
        .await?
    {
        return Err(Error::said("case", Said::RecoveryFinishedMeanwhile));
    }
    let user = User {
        security_stamp: stamp,
        ..user
    };
    let mut methods = vec![];
    if case.facts.proofs.password {
        methods.push(AuthMethod::Password);
    }
    if case.facts.proofs.recovery_code {
        methods.push(AuthMethod::RecoveryCode);
    }
    methods.push(AuthMethod::Recovery);
    let token = SecretToken::generate(env.random);
    let session = Session::new(&token, &user, methods, now, session_policy, meta);
    let audit = audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        "signin.succeeded.recovery",
        meta,
    );
    env.store
        .start_session(&session, &Effects::audit(audit), now)
        .await?;
    Ok(Completed {
        token,
        session,
        user,
        return_to: case.return_to,
    })
}

/// Cancels a case from the link in its mail: no sign-in needed, once.
pub async fn cancel_by_link<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    token: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let token = SecretToken::from_presented(token).ok_or(Error::InvalidLink)?;
    let case = env
        .store
        .case_by_cancel_hash(&token.hash())
        .await?
        .filter(|c| c.tenant_id == tenant.id && c.facts.state.is_open())
        .ok_or(Error::InvalidLink)?;
    let user = env
        .store
        .user_by_id(&tenant.id, &case.user_id)
        .await?
        .ok_or(Error::InvalidLink)?;
    let case = transition(env, tenant, &user, case, Event::Cancel, "cancel link", meta).await?;
    if case.facts.state == CaseState::Cancelled {
        Ok(())
    } else {
        Err(Error::InvalidLink)
    }
}

/// Ends every open case of `user` (e.g. after their password was reset).
pub async fn cancel_all<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    why: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    for case in env.store.open_cases_for_user(&user.id).await? {
        transition(env, tenant, user, case, Event::Cancel, why, meta).await?;
    }
    Ok(())
}

/// Cancels the browser's own case ("Stop this recovery").
pub async fn cancel_own<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    if let Some((case, user)) = load(env, tenant, browser, meta).await?
        && case.facts.state.is_open()
    {
        transition(env, tenant, &user, case, Event::Cancel, "by the user", meta).await?;
    }
    Ok(())
}

/// A normal sign-in with a second factor ends the user's open case: they
/// have what they claimed to have lost.
pub async fn cancel_on_sign_in<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    meta: &RequestMeta,
) -> Result<(), Error> {
    for case in env.store.open_cases_for_user(&user.id).await? {
        transition(
            env,
            tenant,
            user,
            case,
            Event::SignedIn,
            "signed in with a second factor",
            meta,
        )
        .await?;
    }
    Ok(())
}

/// The helpdesk path: a tenant admin or the operator removes every second
/// factor of a user, with a reason — the same completion as a self-recovery
/// (factors to the history, sessions ended, security stamp changed, the user
/// told), whether or not self-recovery is active. An open case of the user
/// is cancelled first.
pub async fn helpdesk_reset<S: Store, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &str,
    reason: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let reason =
        crate::validate::text("reason", reason, 500).map_err(|e| Error::Invalid(vec![e]))?;
    let now = env.clock.now();
    for case in env.store.open_cases_for_user(&user.id).await? {
        transition(
            env,
            tenant,
            user,
            case,
            Event::Cancel,
            "helpdesk reset",
            meta,
        )
        .await?;
    }
    let reset = FactorReset {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        case: None,
        security_stamp: new_security_stamp(env.random),
        removed_by: format!("helpdesk:{actor}"),
    };
    let mut audit = audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        actor.to_owned(),
        "factors.reset",
        meta,
    );
    audit.detail = serde_json::json!({ "reason": reason }).to_string();
    let mut effects = Effects::audit(audit);
    effects.mail.push(security_notice(
        env.random,
        tenant,
        user,
        SecurityEvent::FactorsReset,
        now,
    ));
    env.store
        .reset_second_factors(&reset, &effects, now)
        .await?;
    Ok(())
}

/// Moves cases on that nobody looks at: waits that are over become ready,
/// cases past their end expire — audited like any transition. Returns how
/// many changed. (Pages do the same lazily for the case they show.)
pub async fn housekeeping<S: Store, W>(env: &Env<'_, S, W>) -> Result<usize, Error> {
    let now = env.clock.now();
    let lapsed = env.store.lapsed_cases(now, 500).await?;
    if lapsed.is_empty() {
        return Ok(0);
    }
    let tenants = env.store.list_tenants().await?;
    let mut changed = 0;
    for case in lapsed {
        let Some(tenant) = tenants.iter().find(|t| t.id == case.tenant_id) else {
            continue;
        };
        let Some(user) = env.store.user_by_id(&tenant.id, &case.user_id).await? else {
            continue;
        };
        let before = case.facts.state;
        let after = transition(
            env,
            tenant,
            &user,
            case,
            Event::Tick,
            "",
            &RequestMeta::default(),
        )
        .await?;
        changed += usize::from(after.facts.state != before);
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;

    #[test]
    fn codes_are_eight_digits() {
        let random = SeededRandom::new(7);
        for _ in 0..200 {
            let code = new_code(&random);
            assert_eq!(code.len(), 8);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
        assert_eq!(digits(" 1234-5678 "), "12345678");
    }
}
