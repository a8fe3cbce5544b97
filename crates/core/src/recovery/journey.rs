//! The recovery journey over the store: start a case, give proofs, wait,
//! complete — or cancel. The rules themselves are in [`crate::recovery::case`].
//!
//! A case belongs to the browser that started it: a random case cookie,
//! stored as a hash, is needed for every step. A case id in a URL grants
//! nothing. A browser that holds an open case is taken back to it,
//! whichever way it comes in; starting again never destroys it.
//!
//! **Decoys.** For a name that is no account that may recover (unknown,
//! disabled, an excluded administrator) a case is stored all the same,
//! without a user: the same pages, the same writes, the same counting of
//! wrong proofs (atomic, so that parallel ones are never lost), the same
//! expiry — every step below runs one code path for both, and no proof ever
//! counts on a decoy. What differs is only what the mailbox of the account
//! sees (the code, the notices), which whoever lacks that mailbox cannot.

use crate::Error;
use crate::accounts::password::{Password, PasswordWorker};
use crate::accounts::session::{AuthMethod, Session, SessionPolicy};
use crate::accounts::user::{LoginKey, User, new_security_stamp};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::{MailMessage, OutboxMail, SecurityEvent, security_notice};
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::platform::clock::UnixTime;
use crate::platform::random::{Random, new_id};
use crate::platform::secret::{SecretToken, ct_eq};
use crate::platform::validate::Said;
use crate::recovery::case::{
    AccountFacts, CaseFacts, CaseState, Event, FactorReset, Proof, RecoveryCase, Refusal,
};
use crate::store::{
    Effects, RateLimitStore, RecoveryCodeStore, RecoveryStore, TenantStore, UserStore,
};
use crate::tenants::Tenant;

/// Digits of the emailed code.
pub const CODE_DIGITS: u32 = 8;
pub const CODE_SECS: i64 = 10 * 60;

/// Cases started from one client address; beyond it, refused (429).
pub const START_PER_ADDRESS: RateLimit = RateLimit {
    max: 10,
    window_secs: 3600,
};
/// Code mails for one name as typed (or, from the second sign-in step, for
/// one account), per hour and per day. Beyond them a case still starts —
/// strangers typing a name must not stop its owner — but no code is mailed,
/// and the page says so: a recovery code still works. The same for real and
/// unknown names (counting per account would tell which username and email
/// belong together). The owner on a known device is not counted. With two
/// ways to type an account's name this bounds what strangers can mail one
/// person (6 an hour, 10 a day) and how many codes they can guess at (five
/// wrong proofs lock each case).
pub const CODES_PER_NAME_HOUR: RateLimit = RateLimit {
    max: 3,
    window_secs: 3600,
};
pub const CODES_PER_NAME_DAY: RateLimit = RateLimit {
    max: 5,
    window_secs: 24 * 3600,
};
/// Cases started in one tenant per hour. Beyond it is a surge: new cases
/// wait longer ([`crate::recovery::case::RecoveryPolicy::surge_waiting_secs`]) and
/// the operator is alerted — nobody is refused.
pub const SURGE_PER_TENANT: RateLimit = RateLimit {
    max: 500,
    window_secs: 3600,
};
/// Proof attempts from one address, per hour.
pub const PROOF_PER_ADDRESS: RateLimit = RateLimit {
    max: 60,
    window_secs: 3600,
};
/// Password proofs per account (the sign-in's own per-account counter, so
/// that recovery is no second way to guess the password). Beyond it a
/// right password counts as wrong — unseen: to anyone without the password
/// every guess is wrong anyway. A case started on a known device of the
/// account is not counted.
pub const PASSWORDS_PER_ACCOUNT: RateLimit = RateLimit {
    max: 10,
    window_secs: 15 * 60,
};

const SCOPE: &str = "recovery";

/// Why a case ends when its own browser stops it.
const BY_THE_USER: &str = "by the user";

/// How many times a write that lost a race (another request moved the case
/// on meanwhile) is tried again on the case as it is now.
const RETRIES: usize = 8;

/// What the pages show about the browser's case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// Proofs are needed; the ones given so far, and whether the emailed
    /// code was withheld (too many starts for this name today).
    Proving {
        proofs: crate::recovery::case::Proofs,
        code_withheld: bool,
    },
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
        let n = u64::from_be_bytes(crate::platform::random::bytes::<8>(random));
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

/// Counts one attempt against `limit`; whether it is over.
async fn over<S: RateLimitStore, W>(
    env: &Env<'_, S, W>,
    key: &str,
    limit: RateLimit,
    now: UnixTime,
) -> Result<Option<crate::effects::ratelimit::Hit>, Error> {
    let hit = env
        .store
        .rate_limit_add(key, 1, now, limit.window_secs)
        .await?;
    Ok(limit.exceeded(&hit).then_some(hit))
}

/// Counts one attempt; refused (429) beyond `limit`.
async fn limit<S: RateLimitStore, W>(
    env: &Env<'_, S, W>,
    key: &str,
    limit: RateLimit,
    now: UnixTime,
) -> Result<(), Error> {
    match over(env, key, limit, now).await? {
        Some(hit) => Err(Error::RateLimited {
            retry_after_secs: limit.retry_after(&hit, now),
        }),
        None => Ok(()),
    }
}

/// A counter key of the tenant for `subject` (`login:…`, `user:…`).
fn key(tenant: &Tenant, what: &str, subject: &str) -> String {
    ratelimit::account_key(&format!("{SCOPE}-{what}"), &tenant.id, subject)
}

/// The counter subject of a case: its account, or for a decoy its own id.
fn subject(case: &RecoveryCase) -> String {
    match &case.user_id {
        Some(id) => format!("user:{id}"),
        None => format!("case:{}", case.id),
    }
}

/// Where a recovery starts from.
pub enum Origin<'a> {
    /// "Can't sign in?": the user typed a username or email.
    Login(&'a str),
    /// "I lost my second factor" at the second sign-in step: the password
    /// was just checked for this session.
    SecondStep(&'a Session),
}

/// What a start came to.
#[derive(Debug)]
pub enum Started {
    /// A new case (real or decoy): the case cookie for the browser.
    New(SecretToken),
    /// The browser holds an open case already and goes back to it.
    Resumed,
}

/// The user a case may belong to: active, and not an administrator where
/// the tenant sends them to the helpdesk.
fn may_recover(tenant: &Tenant, user: &User) -> bool {
    user.is_active() && !(user.is_admin() && tenant.recovery_excludes_admins)
}

/// Starts a case — a decoy for a name that is no account that may recover —
/// or takes the browser back to the open case it holds (`current`: its
/// case cookie). `device` is the browser's device cookie, if any. Refused
/// (with the helpdesk path to show) when the tenant has not activated
/// self-recovery.
#[allow(clippy::too_many_arguments)]
pub async fn start<S: RecoveryStore + UserStore + RateLimitStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    origin: Origin<'_>,
    current: Option<&str>,
    device: Option<&str>,
    return_to: Option<String>,
    meta: &RequestMeta,
) -> Result<Started, Error> {
    if !tenant.self_recovery {
        return Err(Error::NotFound("self-recovery"));
    }
    if let Some(browser) = current
        && resume(env, tenant, &origin, browser, meta).await?
    {
        return Ok(Started::Resumed);
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
    let (found, password_checked, name) = match origin {
        Origin::Login(login) => {
            let key = LoginKey::from_input(login);
            let typed = key.as_ref().map_or("", LoginKey::as_str).to_owned();
            let user = match &key {
                Some(k) => env.store.user_by_login(&tenant.id, k).await?,
                None => None,
            };
            (user, false, format!("login:{typed}"))
        }
        Origin::SecondStep(session) => {
            let user = env.store.user_by_id(&tenant.id, &session.user_id).await?;
            (user, true, format!("user:{}", session.user_id))
        }
    };
    let policy = tenant.recovery_policy();
    // The same read for every name: a decoy asks about nobody.
    let presented = device.and_then(SecretToken::from_presented);
    let known_device = match &presented {
        Some(d) => {
            env.store
                .device_known(
                    &d.hash(),
                    found.as_ref().map_or("", |u| u.id.as_str()),
                    now.plus(-policy.known_device_secs),
                )
                .await?
        }
        None => false,
    };
    // Too many codes for this name: the case starts, without one. The owner
    // on a known device is never held back.
    let code_withheld = !known_device && !codes_allowed(env, tenant, &name, now).await?;
    // A surge in the tenant: longer waits and an alert, never a refusal.
    let surge = over(env, &key(tenant, "surge", "tenant"), SURGE_PER_TENANT, now).await?;
    let user = found.clone().filter(|u| may_recover(tenant, u));
    let id = new_id(env.random);
    let mut facts = CaseFacts::open(
        now,
        known_device && user.is_some(),
        password_checked,
        &policy,
        &user.as_ref().map(AccountFacts::of).unwrap_or_default(),
    );
    facts.surge = surge.is_some();
    // A code for every case; only a mailed one can ever count.
    let code = new_code(env.random);
    let browser = SecretToken::generate(env.random);
    let case = RecoveryCase {
        // The verified address of record the code was mailed to — the only
        // code that counts. None: no code went out (a decoy, no verified
        // address, or withheld), and no code can prove this case.
        email_key: user
            .as_ref()
            .filter(|u| u.email_verified && !code_withheld)
            .map(|u| u.email_key.clone()),
        code_withheld,
        email_code_hash: Some(code_hash(env, &id, &code)),
        email_code_expires_at: Some(now.plus(CODE_SECS)),
        id,
        tenant_id: tenant.id.clone(),
        user_id: user.as_ref().map(|u| u.id.clone()),
        facts,
        browser_hash: browser.hash(),
        cancel_token_hash: None,
        return_to,
        updated_at: now,
        version: 1,
        closed_at: None,
    };
    // Every start writes one audit event and one outbox row: the code mail,
    // the helpdesk notice to an excluded administrator, or a void row that
    // is never sent — the same work whatever the name.
    let mut effects = Effects::default();
    let mail = match (&user, &found) {
        (Some(u), _) => {
            effects.audit.push(case_event(
                env,
                tenant,
                &case,
                "recovery.case.started",
                meta,
            ));
            case.email_key
                .is_some()
                .then(|| code_mail(env, tenant, u, code.clone(), now))
        }
        // The helpdesk path, without telling the browser that this is an
        // administrator: decoy pages, and a mail to the owner (counted like
        // a code mail for the name).
        (None, Some(admin)) if admin.is_active() && admin.is_admin() => {
            effects.audit.push(audit_event(
                env.random,
                env.clock,
                tenant,
                Some(&admin.id),
                "anonymous".into(),
                "recovery.refused.admin",
                meta,
            ));
            (!code_withheld).then(|| {
                security_notice(
                    env.random,
                    tenant,
                    admin,
                    SecurityEvent::RecoveryNotForAdmins,
                    now,
                )
            })
        }
        (None, _) => {
            effects.audit.push(case_event(
                env,
                tenant,
                &case,
                "recovery.decoy.started",
                meta,
            ));
            None
        }
    };
    effects.mail_or_void(mail, || void_mail(env, tenant, now));
    if let Some(hit) = surge
        && hit.count == i64::from(SURGE_PER_TENANT.max) + 1
    {
        // The first start over the line in this window: one alert.
        tracing::warn!(
            tenant = %tenant.slug,
            starts = hit.count,
            "surge of self-recovery starts: new cases wait longer"
        );
        effects.audit.push(audit_event(
            env.random,
            env.clock,
            tenant,
            None,
            "system".into(),
            "recovery.surge",
            meta,
        ));
    }
    env.store.insert_case(&case, &effects, now).await?;
    Ok(Started::New(browser))
}

/// A mail that is written like a code mail and never sent: the outbox
/// work of a start, a stop or a lock that mails nobody.
fn void_mail<S, W>(env: &Env<'_, S, W>, tenant: &Tenant, now: UnixTime) -> OutboxMail {
    OutboxMail {
        id: new_id(env.random),
        tenant_id: Some(tenant.id.clone()),
        recipient: String::new(),
        language: tenant.default_language,
        message: MailMessage::RecoveryCode {
            tenant_name: tenant.display_name.clone(),
            display_name: String::new(),
            code: new_code(env.random),
            expires_minutes: CODE_SECS / 60,
        },
        created_at: now,
    }
}

/// Counts a code for `name` per hour and per day; whether both allow it.
async fn codes_allowed<S: RateLimitStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    name: &str,
    now: UnixTime,
) -> Result<bool, Error> {
    let hour = over(
        env,
        &key(tenant, "code-hour", name),
        CODES_PER_NAME_HOUR,
        now,
    )
    .await?;
    let day = over(env, &key(tenant, "code-day", name), CODES_PER_NAME_DAY, now).await?;
    Ok(hour.is_none() && day.is_none())
}

fn code_mail<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    code: String,
    now: UnixTime,
) -> OutboxMail {
    OutboxMail {
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
    }
}

/// Takes the browser back to the open case it holds: through "Can't sign
/// in?" any open case of this tenant (real or decoy alike); from the second
/// sign-in step only a case of the person signing in, which then gets the
/// password just checked, if it counts and the case still needs it.
async fn resume<S: RecoveryStore + UserStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    origin: &Origin<'_>,
    browser: &str,
    meta: &RequestMeta,
) -> Result<bool, Error> {
    let Some((case, user)) = load(env, tenant, browser, meta).await? else {
        return Ok(false);
    };
    if !case.facts.state.is_open() {
        return Ok(false);
    }
    let Origin::SecondStep(session) = origin else {
        return Ok(true);
    };
    let Some(user) = user.filter(|u| u.id == session.user_id) else {
        return Ok(false);
    };
    if case.facts.state == CaseState::Started && !case.facts.proofs.password {
        match transition(
            env,
            tenant,
            Some(&user),
            case,
            Event::Proved(Proof::Password),
            "",
            None,
            meta,
        )
        .await
        {
            // a password that does not count is simply not carried over
            Ok(_) | Err(Error::Invalid(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(true)
}

fn case_event<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    case: &RecoveryCase,
    event: &str,
    meta: &RequestMeta,
) -> crate::effects::audit::AuditEvent {
    let actor = match &case.user_id {
        Some(id) => format!("user:{id}"),
        None => "anonymous".to_owned(),
    };
    let mut audit = audit_event(
        env.random,
        env.clock,
        tenant,
        case.user_id.as_deref(),
        actor,
        event,
        meta,
    );
    audit.detail =
        serde_json::json!({ "case": case.id, "state": case.facts.state.as_str() }).to_string();
    audit
}

/// Applies `event` to `case` and stores it, with an audit event per state
/// it passed and the mails those states send — for a decoy (no `user`) the
/// same writes, without mail. A write that lost a race is tried again on
/// the case as it is now. A case proven here while another of the user is
/// proven (the owner lost the cookie and proved again in this browser)
/// takes that one over, in the same transaction. With `spend_code`, the
/// recovery code is spent in the same transaction: used only if the case
/// moves on, and the case moves on only if the code was still unused.
#[allow(clippy::too_many_arguments)]
async fn transition<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    mut case: RecoveryCase,
    event: Event,
    why: &str,
    spend_code: Option<&str>,
    meta: &RequestMeta,
) -> Result<RecoveryCase, Error> {
    for _ in 0..RETRIES {
        if let Some(stored) =
            try_transition(env, tenant, user, &case, event, why, spend_code, meta).await?
        {
            return Ok(stored);
        }
        case = env
            .store
            .case_by_id(&case.id)
            .await?
            .ok_or(Error::NotFound("recovery case"))?;
    }
    if event == Event::Tick {
        // Others keep moving the case on (a burst of wrong proofs): what
        // time and the count make of it holds whether or not this request
        // is the one that stores it — the next one that reads it applies
        // the same rules, and the one that stores it writes its effects.
        let policy = tenant.recovery_policy();
        let account = user.map(AccountFacts::of).unwrap_or_default();
        if let Ok((facts, _)) = case
            .facts
            .apply(Event::Tick, env.clock.now(), &policy, &account)
        {
            return Ok(RecoveryCase { facts, ..case });
        }
    }
    Err(Error::Conflict(
        crate::platform::validate::FieldError::said("case", Said::RecoveryChangedMeanwhile),
    ))
}

/// One try of [`transition`]: `None` if another request moved the case
/// on first.
#[allow(clippy::too_many_arguments)]
async fn try_transition<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    case: &RecoveryCase,
    event: Event,
    why: &str,
    spend_code: Option<&str>,
    meta: &RequestMeta,
) -> Result<Option<RecoveryCase>, Error> {
    let now = env.clock.now();
    let policy = tenant.recovery_policy();
    let account = user.map(AccountFacts::of).unwrap_or_default();
    // Time first: a case past its end is expired (and stored so) whatever
    // the event; ending an ended case is no error.
    let (ticked, mut passed) = case
        .facts
        .apply(Event::Tick, now, &policy, &account)
        .map_err(refusal_error)?;
    let mut facts = if event == Event::Tick
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
    // Proven here while another case of the user is proven: take it over.
    let mut supersede = None;
    if let Some(u) = user
        && passed.contains(&CaseState::Proven)
    {
        let others = env.store.open_cases_for_user(&u.id).await?;
        if let Some(original) = others
            .into_iter()
            .find(|c| c.id != case.id && c.facts.state != CaseState::Started)
        {
            let (moved, more) = facts.take_over(&original.facts, now, &policy);
            facts = moved;
            passed.extend(more);
            supersede = Some(original);
        }
    }
    if facts == case.facts {
        return Ok(Some(case.clone()));
    }
    let mut next = RecoveryCase {
        facts,
        updated_at: now,
        ..case.clone()
    };
    let mut effects = Effects::default();
    if let Some(original) = &supersede {
        let mut shown = original.clone();
        shown.facts.state = CaseState::Cancelled;
        let mut audit = case_event(env, tenant, &shown, "recovery.case.cancelled", meta);
        audit.detail = serde_json::json!({
            "case": original.id,
            "reason": "superseded: proven again in another browser",
            "by": case.id,
        })
        .to_string();
        effects.audit.push(audit);
    }
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
        // Notices a stranger's own case could send — it locked, or they
        // stopped it before proving anything — go only where the case's
        // code went (so no more often than codes do); otherwise a void row
        // stands in, as it does for a decoy: the same work either way.
        let owners_notice = user.filter(|_| match state {
            CaseState::Locked => case.email_key.is_some(),
            CaseState::Cancelled => why != BY_THE_USER || case.facts.state != CaseState::Started,
            _ => true,
        });
        match (state, owners_notice) {
            (CaseState::Waiting, Some(user)) => {
                effects
                    .mail
                    .push(waiting_mail(env, tenant, user, &mut next, now));
            }
            // Ready after a wait: the owner is told where to finish. (A case
            // that takes another over is told like one that waits.)
            (CaseState::Ready, Some(user))
                if supersede.is_some() && !passed.contains(&CaseState::Waiting) =>
            {
                effects
                    .mail
                    .push(waiting_mail(env, tenant, user, &mut next, now));
            }
            (CaseState::Ready, Some(user)) if case.facts.state == CaseState::Waiting => {
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
            (CaseState::Locked, notice) => effects.mail_or_void(
                notice.map(|u| {
                    security_notice(env.random, tenant, u, SecurityEvent::RecoveryLocked, now)
                }),
                || void_mail(env, tenant, now),
            ),
            (CaseState::Cancelled, notice) => effects.mail_or_void(
                notice.map(|u| {
                    security_notice(env.random, tenant, u, SecurityEvent::RecoveryCancelled, now)
                }),
                || void_mail(env, tenant, now),
            ),
            _ => {}
        }
    }
    let stored = env
        .store
        .update_case(
            &next,
            spend_code,
            supersede.as_ref().map(|o| (o.id.as_str(), o.version)),
            &effects,
            now,
        )
        .await;
    match stored {
        Ok(true) => {
            next.version += 1;
            Ok(Some(next))
        }
        // Lost a race (the version moved, or a case proven elsewhere
        // meanwhile): the caller reads the case again.
        Ok(false) | Err(crate::store::StoreError::Unique(_)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// The mail of a case that waits: when it completes, and a link that
/// cancels it (a fresh single-use token, stored hashed with the case).
fn waiting_mail<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    next: &mut RecoveryCase,
    now: UnixTime,
) -> OutboxMail {
    let cancel = SecretToken::generate(env.random);
    next.cancel_token_hash = Some(cancel.hash());
    OutboxMail {
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
    }
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

/// The browser's case and its user (`None` for a decoy, or an account
/// that may no longer recover), with time applied: a wait that is over
/// makes it ready, an old case expires. `None`: no case for this cookie.
async fn load<S: RecoveryStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<Option<(RecoveryCase, Option<User>)>, Error> {
    let Some(token) = SecretToken::from_presented(browser) else {
        return Ok(None);
    };
    let Some(case) = env.store.case_by_browser(&token.hash()).await? else {
        return Ok(None);
    };
    if case.tenant_id != tenant.id {
        return Ok(None);
    }
    Ok(Some(ticked(env, tenant, case, meta).await?))
}

/// A case with time applied, and the user it may belong to (`None` for a
/// decoy, or an account that may no longer recover).
async fn ticked<S: UserStore + RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    case: RecoveryCase,
    meta: &RequestMeta,
) -> Result<(RecoveryCase, Option<User>), Error> {
    // The same read for a decoy, which asks about nobody.
    let user = env
        .store
        .user_by_id(&tenant.id, case.user_id.as_deref().unwrap_or(""))
        .await?
        .filter(|u| may_recover(tenant, u));
    let case = transition(
        env,
        tenant,
        user.as_ref(),
        case,
        Event::Tick,
        "",
        None,
        meta,
    )
    .await?;
    Ok((case, user))
}

fn view_of(case: &RecoveryCase) -> View {
    match case.facts.state {
        CaseState::Started | CaseState::Proven => View::Proving {
            proofs: case.facts.proofs,
            code_withheld: case.code_withheld,
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
        && case.facts.proofs.path() == Some(crate::recovery::case::RecoveryPath::Standard)
        && !case.facts.known_device
}

/// What the browser's case looks like now; `None` when this browser holds
/// no case (it goes to the start).
pub async fn view<S: RecoveryStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<Option<View>, Error> {
    Ok(load(env, tenant, browser, meta)
        .await?
        .map(|(case, _)| view_of(&case)))
}

/// Checks one proof for the browser's case. A wrong one counts toward the
/// lock ([`Error::InvalidCode`]); on a decoy every proof is wrong, after
/// the same work. `None` when this browser holds no case.
pub async fn prove<
    S: RateLimitStore + RecoveryCodeStore + RecoveryStore + UserStore,
    W: PasswordWorker,
>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    input: ProofInput,
    meta: &RequestMeta,
) -> Result<Option<View>, Error> {
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
    let Some((case, user)) = load(env, tenant, browser, meta).await? else {
        return Ok(None);
    };
    if case.facts.state != CaseState::Started {
        // Past proving, or ended: more proof changes nothing.
        return Ok(Some(view_of(&case)));
    }
    let user_id = user.as_ref().map_or("", |u| u.id.as_str());
    let mut spend: Option<String> = None;
    let proof = match input {
        ProofInput::EmailCode(typed) => {
            let typed = digits(&typed);
            let fresh = case.email_code_expires_at.is_some_and(|at| now < at);
            let matches = case.email_code_hash.as_ref().is_some_and(|stored| {
                ct_eq(
                    stored.as_bytes(),
                    code_hash(env, &case.id, &typed).as_bytes(),
                )
            });
            // Only a code that was mailed counts. Guessing is bounded by the
            // lock of each case and by the codes mailed per name (at most
            // ten cases a day from strangers, five tries each).
            let right = matches && case.email_key.is_some();
            (fresh && right).then_some(Proof::EmailCode)
        }
        // Whether a right password counts is the state machine's to say; a
        // decoy checks against the dummy hash, the same work, and counts on
        // a counter of its own, the same write.
        ProofInput::Password(password) => {
            let hidden_limit = if case.facts.known_device {
                false
            } else {
                let counter = ratelimit::account_key(
                    crate::accounts::signin::SCOPE,
                    &tenant.id,
                    &subject(&case),
                );
                let hit = env
                    .store
                    .rate_limit_add(&counter, 1, now, PASSWORDS_PER_ACCOUNT.window_secs)
                    .await?;
                PASSWORDS_PER_ACCOUNT.exceeded(&hit)
            };
            let right = env
                .worker
                .verify(
                    user.as_ref().and_then(|u| u.password_hash.clone()),
                    password,
                )
                .await?
                .is_match();
            (right && !hidden_limit && user.is_some()).then_some(Proof::Password)
        }
        // The same read for a decoy, which asks about nobody; spent below,
        // with the case's move, in one transaction.
        ProofInput::RecoveryCode(typed) => match crate::factors::recovery_codes::hash(&typed) {
            Some(h) if env.store.recovery_code_unused(user_id, &h).await? && user.is_some() => {
                spend = Some(h);
                Some(Proof::RecoveryCode)
            }
            _ => None,
        },
    };
    let Some(proof) = proof else {
        return wrong_proof(env, tenant, user.as_ref(), &case, meta).await;
    };
    let moved = transition(
        env,
        tenant,
        user.as_ref(),
        case.clone(),
        Event::Proved(proof),
        "",
        spend.as_deref(),
        meta,
    )
    .await;
    match (moved, &spend) {
        (Ok(moved), _) => Ok(Some(view_of(&moved))),
        // the recovery code was used meanwhile (a parallel request): it
        // was a wrong one after all
        (Err(Error::Conflict(_)), Some(h))
            if !env.store.recovery_code_unused(user_id, h).await? =>
        {
            wrong_proof(env, tenant, user.as_ref(), &case, meta).await
        }
        (Err(other), _) => Err(other),
    }
}

/// A wrong proof: counted atomically (parallel ones are never lost), and
/// the lock follows from the count — the same for a real case and a decoy.
async fn wrong_proof<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    case: &RecoveryCase,
    meta: &RequestMeta,
) -> Result<Option<View>, Error> {
    let now = env.clock.now();
    let Some(counted) = env.store.count_wrong_proof(&case.id, now).await? else {
        // It ended meanwhile (locked by a parallel wrong proof, say).
        let ended = env.store.case_by_id(&case.id).await?;
        return Ok(Some(view_of(ended.as_ref().unwrap_or(case))));
    };
    let case = transition(env, tenant, user, counted, Event::Tick, "", None, meta).await?;
    if case.facts.state == CaseState::Started {
        return Err(Error::InvalidCode);
    }
    Ok(Some(view_of(&case)))
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
pub async fn complete<S: RecoveryStore + UserStore, W: PasswordWorker>(
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
    // A decoy is never ready.
    let (completed, _) = case
        .facts
        .apply(
            Event::Complete,
            now,
            &tenant.recovery_policy(),
            &user.as_ref().map(AccountFacts::of).unwrap_or_default(),
        )
        .map_err(refusal_error)?;
    let Some(user) = user else {
        return Err(Error::said("case", Said::RecoveryNeedsProof));
    };
    if asks_password_again(&case) {
        let Some(password) = password else {
            return Err(Error::InvalidCredentials);
        };
        // Wrong passwords here count on the case — five lock it — and on no
        // counter strangers can fill (their failed sign-ins must not keep
        // the owner from finishing).
        if !env
            .worker
            .verify(user.password_hash.clone(), password)
            .await?
            .is_match()
        {
            let Some(counted) = env.store.count_wrong_proof(&case.id, now).await? else {
                return Err(Error::said("case", Said::RecoveryEnded));
            };
            let counted = transition(
                env,
                tenant,
                Some(&user),
                counted,
                Event::Tick,
                "",
                None,
                meta,
            )
            .await?;
            return Err(if counted.facts.state.is_open() {
                Error::InvalidCredentials
            } else {
                Error::said("case", Said::RecoveryEnded)
            });
        }
    }
    // The new session starts in the completion's own transaction.
    let stamp = new_security_stamp(env.random);
    let user = User {
        security_stamp: stamp.clone(),
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
    let reset = FactorReset {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        case: Some((case.id.clone(), case.version)),
        security_stamp: stamp,
        removed_by: format!("recovery:{}", case.id),
        session: Some(session.clone()),
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
    effects.audit.push(audit_event(
        env.random,
        env.clock,
        tenant,
        Some(&user.id),
        format!("user:{}", user.id),
        "signin.succeeded.recovery",
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
    Ok(Completed {
        token,
        session,
        user,
        return_to: case.return_to,
    })
}

/// Cancels a case from the link in its mail: no sign-in needed, once.
pub async fn cancel_by_link<S: UserStore + RecoveryStore, W>(
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
    let user = match &case.user_id {
        Some(id) => env.store.user_by_id(&tenant.id, id).await?,
        None => None,
    };
    let case = transition(
        env,
        tenant,
        user.as_ref(),
        case,
        Event::Cancel,
        "cancel link",
        None,
        meta,
    )
    .await?;
    if case.facts.state == CaseState::Cancelled {
        Ok(())
    } else {
        Err(Error::InvalidLink)
    }
}

/// Ends every proven open case of `user` (e.g. after their password was reset).
pub async fn cancel_all<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    why: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    for case in proven_cases(env, user).await? {
        transition(
            env,
            tenant,
            Some(user),
            case,
            Event::Cancel,
            why,
            None,
            meta,
        )
        .await?;
    }
    Ok(())
}

/// The user's open cases past proving. Unproven ones are left to expire:
/// anyone can start one for any name, so ending them when the owner signs
/// in or resets would tell a real name from an unknown one (a decoy never
/// ends that way) and mail the owner for every stranger's attempt.
async fn proven_cases<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    user: &User,
) -> Result<Vec<RecoveryCase>, Error> {
    Ok(env
        .store
        .open_cases_for_user(&user.id)
        .await?
        .into_iter()
        .filter(|c| c.facts.state != CaseState::Started)
        .collect())
}

/// Cancels the browser's own case ("Stop this recovery").
pub async fn cancel_own<S: RecoveryStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    if let Some((case, user)) = load(env, tenant, browser, meta).await?
        && case.facts.state.is_open()
    {
        transition(
            env,
            tenant,
            user.as_ref(),
            case,
            Event::Cancel,
            BY_THE_USER,
            None,
            meta,
        )
        .await?;
    }
    Ok(())
}

/// A normal sign-in with a second factor ends the user's proven case: they
/// have what they claimed to have lost.
pub async fn cancel_on_sign_in<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    meta: &RequestMeta,
) -> Result<(), Error> {
    for case in proven_cases(env, user).await? {
        transition(
            env,
            tenant,
            Some(user),
            case,
            Event::SignedIn,
            "signed in with a second factor",
            None,
            meta,
        )
        .await?;
    }
    Ok(())
}

/// The helpdesk path: a tenant admin or the operator removes every second
/// factor of a user, with a reason — the same completion as a self-recovery
/// (factors to the history, sessions ended, security stamp changed, the user
/// told), whether or not self-recovery is active. A proven case of the user
/// is cancelled first.
pub async fn helpdesk_reset<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &str,
    reason: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let reason = crate::platform::validate::text("reason", reason, 500)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let now = env.clock.now();
    for case in proven_cases(env, user).await? {
        transition(
            env,
            tenant,
            Some(user),
            case,
            Event::Cancel,
            "helpdesk reset",
            None,
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
        session: None,
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

/// Moves cases on that nobody looks at — waits that are over become ready,
/// cases past their end expire, decoys alike — audited like any
/// transition, and deletes closed cases older than
/// [`crate::recovery::case::CLOSED_CASE_RETENTION_SECS`]. Returns how many
/// changed. (Pages do the same lazily for the case they show.)
pub async fn housekeeping<S: RecoveryStore + TenantStore + UserStore, W>(
    env: &Env<'_, S, W>,
) -> Result<usize, Error> {
    let now = env.clock.now();
    env.store
        .purge_closed_cases(now.plus(-crate::recovery::case::CLOSED_CASE_RETENTION_SECS))
        .await?;
    let mut changed = 0;
    // In batches, so that a flood of lapsed decoys does not hold back the
    // "you can finish" mails behind them for long.
    for _ in 0..HOUSEKEEPING_BATCHES {
        let lapsed = env.store.lapsed_cases(now, HOUSEKEEPING_BATCH).await?;
        let full = lapsed.len() >= HOUSEKEEPING_BATCH as usize;
        if lapsed.is_empty() {
            break;
        }
        let tenants = env.store.list_tenants().await?;
        for case in lapsed {
            let Some(tenant) = tenants.iter().find(|t| t.id == case.tenant_id) else {
                continue;
            };
            let before = case.facts.state;
            let (after, _) = ticked(env, tenant, case, &RequestMeta::default()).await?;
            changed += usize::from(after.facts.state != before);
        }
        if !full {
            break;
        }
    }
    Ok(changed)
}

const HOUSEKEEPING_BATCH: u32 = 500;
const HOUSEKEEPING_BATCHES: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::SeededRandom;

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
