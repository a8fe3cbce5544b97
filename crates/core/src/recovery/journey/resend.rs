//! "Send a new code" on the case page: a fresh code for a case that still
//! needs the emailed proof, counted with the starts for the name the case
//! was started with — one code path and the same work (counters, the case
//! row, an audit event, an outbox row) for a real case and a decoy.

use super::*;

/// What a resend came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resent {
    /// A new code replaces the old one (which stops working): mailed to the
    /// address of record the case started with — for a decoy, to nobody.
    Sent,
    /// No code now: the name had its code mails for the hour or the day
    /// ([`CODES_PER_NAME_HOUR`], [`CODES_PER_NAME_DAY`]); the next may go
    /// out after `retry_after_secs`. The same for a real name and an
    /// unknown one, so a limit reached tells nothing.
    Limited { retry_after_secs: i64 },
    /// Nothing to resend: the emailed code is proven, or the case is past
    /// proving (waiting, ready, ended).
    NotNeeded,
}

/// Mails a new code for the browser's case. `None` when this browser holds
/// no case (it goes to the start).
pub async fn resend_code<S: RateLimitStore + RecoveryStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<Option<Resent>, Error> {
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
    if case.facts.state != CaseState::Started || case.facts.proofs.email_code {
        return Ok(Some(Resent::NotNeeded));
    }
    // Counted with the starts for the same name; the owner on a known
    // device is not (as at the start) — never the case on a decoy.
    let name = match &case.code_name {
        Some(name) => name.clone(),
        None => code_name(env, tenant, &subject(&case)),
    };
    if !case.facts.known_device
        && let Some(retry_after_secs) = codes_over(env, tenant, &name, now).await?
    {
        return Ok(Some(Resent::Limited { retry_after_secs }));
    }
    // Only to the address of record the case started with, while it is
    // still the account's verified address; otherwise (and for a decoy) a
    // void row, and the new code can never count.
    let to = user
        .as_ref()
        .filter(|u| u.email_verified && case.email_key.as_deref() == Some(u.email_key.as_str()));
    let code = new_code(env.random);
    let next = RecoveryCase {
        email_code_hash: Some(code_hash(env, &case.id, &code)),
        email_code_expires_at: Some(now.plus(CODE_SECS)),
        email_key: to.map(|u| u.email_key.clone()),
        code_withheld: false,
        updated_at: now,
        ..case.clone()
    };
    let mut effects = Effects::default();
    let event = match user {
        Some(_) => AuditKind::RecoveryCaseCodeResent,
        None => AuditKind::RecoveryDecoyCodeResent,
    };
    effects
        .audit
        .push(case_event(env, tenant, &next, event, meta));
    effects.mail_or_void(to.map(|u| code_mail(env, tenant, u, code, now)), || {
        void_mail(env, tenant, now)
    });
    if env
        .store
        .update_case(&next, None, None, &effects, now)
        .await?
    {
        Ok(Some(Resent::Sent))
    } else {
        // Another request moved the case on meanwhile (a proof, a stop).
        Err(Error::Conflict(
            crate::platform::validate::FieldError::said("case", Said::RecoveryChangedMeanwhile),
        ))
    }
}
