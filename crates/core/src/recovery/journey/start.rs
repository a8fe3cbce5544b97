//! The way in: "Can't sign in?" or "I lost my second factor". A case for
//! every start — a decoy for a name that may not recover — or back to the
//! case the browser holds.

use super::*;
use crate::effects::audit::Actor;
use crate::store::DeviceStore;

/// An 8-digit code, uniformly drawn.
pub(super) fn new_code(random: &dyn Random) -> String {
    let limit = 10u64.pow(CODE_DIGITS);
    let zone = u64::MAX - u64::MAX % limit;
    loop {
        let n = u64::from_be_bytes(crate::platform::random::bytes::<8>(random));
        if n < zone {
            return format!("{:0width$}", n % limit, width = CODE_DIGITS as usize);
        }
    }
}

pub(super) fn code_hash<S, W>(env: &Env<'_, S, W>, case_id: &CaseId, code: &str) -> String {
    env.secrets.mac(&[
        b"recovery-code",
        case_id.as_str().as_bytes(),
        code.as_bytes(),
    ])
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
pub(super) fn may_recover(tenant: &Tenant, user: &User) -> bool {
    user.is_active() && !(user.is_admin() && tenant.recovery_excludes_admins)
}

/// Starts a case — a decoy for a name that is no account that may recover —
/// or takes the browser back to the open case it holds (`current`: its
/// case cookie). `device` is the browser's device cookie, if any. Refused
/// (with the helpdesk path to show) when the tenant has not activated
/// self-recovery. From the second sign-in step, the half-finished sign-in
/// ends once the case is there: the browser is in the recovery now.
#[allow(clippy::too_many_arguments)]
pub async fn start<
    S: RecoveryStore + UserStore + RateLimitStore + DeviceStore + SessionStore,
    W: PasswordWorker,
>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    origin: Origin<'_>,
    current: Option<&str>,
    device: Option<&str>,
    return_to: Option<String>,
    meta: &RequestMeta,
) -> Result<Started, Error> {
    let partial = match &origin {
        Origin::SecondStep(session) => Some(session.id_hash.clone()),
        Origin::Login(_) => None,
    };
    let started = begin(env, tenant, origin, current, device, return_to, meta).await?;
    if let Some(id_hash) = partial {
        env.store.delete_session(&id_hash).await?;
    }
    Ok(started)
}

#[allow(clippy::too_many_arguments)]
async fn begin<S: RecoveryStore + UserStore + RateLimitStore + DeviceStore, W: PasswordWorker>(
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
    let policy = RecoveryPolicy::of(tenant);
    // The same read for every name: a decoy asks about nobody.
    let presented = device.and_then(SecretToken::from_presented);
    let known_device = match &presented {
        Some(d) => {
            env.store
                .device_known(
                    &d.hash(),
                    found.as_ref().map_or(&UserId::default(), |u| &u.id),
                    now.plus(-policy.known_device_secs),
                )
                .await?
        }
        None => false,
    };
    // Too many codes for this name: the case starts, without one. The owner
    // on a known device is never held back.
    let code_name = code_name(env, tenant, &name);
    let code_withheld = !known_device && codes_over(env, tenant, &code_name, now).await?.is_some();
    // A surge in the tenant: longer waits and an alert, never a refusal.
    let surge = over(env, &key(tenant, "surge", "tenant"), SURGE_PER_TENANT, now).await?;
    let user = found.clone().filter(|u| may_recover(tenant, u));
    let id: CaseId = new_id(env.random);
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
        // The verified address of record now — the only one a code of this
        // case ever goes to. None (a decoy, no verified address, an address
        // too fresh to count — `proof_counts`): no code can prove this case.
        // A withheld code does not count either
        // ([`RecoveryCase::code_mailed`]) until a resend mails one.
        email_key: user
            .as_ref()
            .filter(|u| {
                u.email_verified && proof_counts(Proof::EmailCode, &AccountFacts::of(u), now)
            })
            .map(|u| u.email_key.clone()),
        code_withheld,
        code_name: Some(code_name),
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
                AuditKind::RecoveryCaseStarted,
                meta,
            ));
            case.code_mailed()
                .then(|| code_mail(env, tenant, u, code.clone(), now))
        }
        // The helpdesk path, without telling the browser that this is an
        // administrator: decoy pages, and a mail to the owner (counted like
        // a code mail for the name).
        (None, Some(admin)) if admin.is_active() && admin.is_admin() => {
            effects.audit.push(audit_event(
                env.random,
                env.clock,
                &tenant.id,
                Some(&admin.id),
                Actor::Anonymous,
                AuditKind::RecoveryRefusedAdmin,
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
                .from_request(meta)
            })
        }
        (None, _) => {
            effects.audit.push(case_event(
                env,
                tenant,
                &case,
                AuditKind::RecoveryDecoyStarted,
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
            &tenant.id,
            None,
            Actor::System,
            AuditKind::RecoverySurge,
            meta,
        ));
    }
    env.store.insert_case(&case, &effects, now).await?;
    Ok(Started::New(browser))
}

/// A mail that is written like a code mail and never sent: the outbox
/// work of a start, a stop or a lock that mails nobody.
pub(super) fn void_mail<S, W>(env: &Env<'_, S, W>, tenant: &Tenant, now: UnixTime) -> OutboxMail {
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

pub(super) fn code_mail<S, W>(
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
pub(super) async fn resume<S: RecoveryStore + UserStore, W: PasswordWorker>(
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
