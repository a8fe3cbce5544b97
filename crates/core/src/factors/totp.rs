//! Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 6
//! digits, 30-second steps, one step of tolerance either way. A step, once
//! used by a user, is never accepted again (the store keeps the last one).

use crate::effects::audit::{Actor, AuditKind};
use crate::platform::ids::{TenantId, TotpId, UserId};
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::Error;
use crate::accounts::notice::security_notice;
use crate::accounts::session::{AuthMethod, Session, sign_out_others};
use crate::accounts::user::User;
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::SecurityEvent;
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::factors::removal::{self, Removing};
use crate::platform::clock::UnixTime;
use crate::platform::random::{Random, bytes, new_id};
use crate::platform::secret::SecretToken;
use crate::platform::secret::ct_eq;
use crate::platform::time::{DAY, MINUTE};
use crate::platform::validate::Said;
use crate::store::{
    CounterChange, EffectStore, Effects, FactorRemoval, PasskeyStore, RateLimitStore,
    RecoveryCodeStore, SessionStore, TotpStore,
};
use crate::tenants::Tenant;

/// Code attempts per user and window (enrolment and sign-in together).
pub const ATTEMPT_LIMIT: RateLimit = RateLimit {
    max: 10,
    window_secs: 15 * MINUTE,
};
/// And per day, so that slow guessing stays hopeless: 50 guesses a day at a
/// 6-digit code is one chance in 20,000 (NIST SP 800-63B allows at most 100
/// consecutive failures).
pub const DAILY_LIMIT: RateLimit = RateLimit {
    max: 50,
    window_secs: DAY,
};
const SCOPE: &str = "second-factor";

pub const DIGITS: u32 = 6;
pub const STEP_SECS: i64 = 30;
/// Steps accepted before and after the current one (clock drift).
pub const WINDOW: i64 = 1;
/// 160-bit secrets, as RFC 4226 recommends.
pub const SECRET_LEN: usize = 20;

/// A user's authenticator app. The secret is sealed (see `crypto`) with the
/// credential's id as associated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpCredential {
    pub id: TotpId,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub secret_sealed: String,
    /// The last step accepted; codes of this or earlier steps are refused.
    pub last_used_step: Option<i64>,
    pub created_at: UnixTime,
}

pub fn aad(credential_id: &TotpId) -> String {
    format!("totp:{credential_id}")
}

pub fn new_secret(random: &dyn Random) -> [u8; SECRET_LEN] {
    bytes::<SECRET_LEN>(random)
}

/// RFC 4226 HOTP value for `counter`, as a zero-padded decimal code.
pub fn hotp(secret: &[u8], counter: u64) -> String {
    let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(secret) else {
        return String::new(); // HMAC takes keys of any length
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    )
}

pub fn step_at(t: UnixTime) -> i64 {
    t.0.div_euclid(STEP_SECS)
}

/// The step whose code `code` is, within the window around `now`, if it is
/// later than `last_used_step`. Every candidate is compared in constant time.
pub fn matching_step(
    secret: &[u8],
    code: &str,
    now: UnixTime,
    last_used_step: Option<i64>,
) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The newest step the code is right for: two steps' codes can be the
    // same (one in a million), and taking the older would let the same
    // code in again a step later, as the newer one.
    let current = step_at(now);
    let mut found = None;
    for step in (current - WINDOW..=current + WINDOW).rev() {
        let Ok(counter) = u64::try_from(step) else {
            continue;
        };
        if ct_eq(hotp(secret, counter).as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    found.filter(|step| last_used_step.is_none_or(|last| *step > last))
}

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in data {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        percent_encode(issuer),
        percent_encode(account),
        base32(secret),
        percent_encode(issuer)
    )
}

/// A secret offered for enrolment, not stored yet: it travels in the form,
/// sealed for this user and session, until a code proves the app has it.
pub struct Offer {
    pub secret: [u8; SECRET_LEN],
    pub sealed: String,
}

fn offer_aad(user: &User, session: &Session) -> String {
    format!("totp-offer:{}:{}", user.id, session.id_hash)
}

pub fn offer<S, W>(env: &Env<'_, S, W>, user: &User, session: &Session) -> Offer {
    let secret = new_secret(env.random);
    let sealed = env
        .secrets
        .seal(env.random, &secret, &offer_aad(user, session));
    Offer { secret, sealed }
}

pub use crate::accounts::session::RECENT_AUTH_SECS;

/// A session's sign-in is recent enough for a change that needs one (see
/// [`crate::accounts::session::require_recent_auth_time`]).
pub fn require_recent_auth(session: &Session, now: UnixTime) -> Result<(), Error> {
    crate::accounts::session::require_recent_auth_time(session.auth_time, now)
}

/// Removes the user's authenticator app (needs a recent sign-in). Every
/// other session ends, as after any change of factors
/// ([`sign_out_others`]); this one goes on under the new id returned.
pub async fn remove<S: TotpStore + PasskeyStore + RecoveryCodeStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    let now = env.clock.now();
    require_recent_auth(session, now)?;
    let effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::TotpRemoved,
        meta,
    ));
    let mut effects = effects;
    effects.mail.push(
        security_notice(
            env.random,
            tenant,
            user,
            if removal::takes_codes(env.store, tenant, user, &Removing::AuthenticatorApp).await? {
                SecurityEvent::TotpRemovedWithCodes
            } else {
                SecurityEvent::TotpRemoved
            },
            now,
        )
        .from_request(meta),
    );
    let (sign_out, token) = sign_out_others(env.random, session);
    effects.sign_out = Some(sign_out);
    let keep_last = tenant.second_factor == crate::tenants::SecondFactorPolicy::Required;
    match env
        .store
        .delete_totp(&user.id, keep_last, &effects, now)
        .await?
    {
        FactorRemoval::Removed => Ok(token),
        FactorRemoval::NotFound => Err(Error::NotFound("authenticator app")),
        FactorRemoval::LastFactor => Err(Error::said("totp", Said::TotpOnlyFactor)),
    }
}

/// Counts a code attempt for `user`; refuses beyond [`ATTEMPT_LIMIT`].
/// Counts a code attempt for `user` against [`ATTEMPT_LIMIT`] and
/// [`DAILY_LIMIT`]; returns the counters to clear once a code is right. The
/// first attempt over the short limit tells the user by mail: someone who
/// knows the password is guessing codes.
pub(crate) async fn count_attempt<S: EffectStore + RateLimitStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
) -> Result<[String; 2], Error> {
    let now = env.clock.now();
    let keys = [
        ratelimit::account_key(SCOPE, &tenant.id, user.id.as_str()),
        ratelimit::account_key("second-factor-daily", &tenant.id, user.id.as_str()),
    ];
    let mut retry_after = None;
    for (key, limit) in keys.iter().zip([ATTEMPT_LIMIT, DAILY_LIMIT]) {
        let hit = env
            .store
            .rate_limit_add(key, 1, now, limit.window_secs)
            .await?;
        if limit.exceeded(&hit) {
            retry_after = Some(retry_after.unwrap_or(0).max(limit.retry_after(&hit, now)));
            if hit.count == i64::from(limit.max) + 1 && limit == ATTEMPT_LIMIT {
                let mut effects = Effects::audit(audit_event(
                    env.random,
                    env.clock,
                    &tenant.id,
                    Some(&user.id),
                    Actor::Anonymous,
                    AuditKind::SecondFactorLimitReached,
                    &RequestMeta::default(),
                ));
                effects.mail.push(security_notice(
                    env.random,
                    tenant,
                    user,
                    SecurityEvent::SecondFactorGuessing,
                    now,
                ));
                env.store.apply(&effects, now).await?;
            }
        }
    }
    match retry_after {
        Some(retry_after_secs) => Err(Error::RateLimited { retry_after_secs }),
        None => Ok(keys),
    }
}

/// What the set-up form sends back.
#[derive(Debug, Clone, Copy)]
pub struct Enrolment<'a> {
    /// The sealed offer from [`offer`].
    pub offer: &'a str,
    /// The code the app shows for it.
    pub code: &'a str,
    /// The app this one replaces (the user's current one, as shown when the
    /// form was made), so a lost phone can be swapped for a new one even where
    /// a second factor is required.
    pub replacing: Option<&'a TotpId>,
}

/// Completes an enrolment: the code must come from the offered secret. The
/// step it used is recorded, so the same code cannot sign in afterwards.
/// Every other session ends, as after any change of factors
/// ([`sign_out_others`]); this one goes on under the new id returned.
pub async fn enrol<S: TotpStore + RateLimitStore + EffectStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    form: Enrolment<'_>,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    let Enrolment {
        offer: sealed_offer,
        code,
        replacing,
    } = form;
    require_recent_auth(session, env.clock.now())?;
    let counter = count_attempt(env, tenant, user).await?;
    let secret = env
        .secrets
        .open(sealed_offer, &offer_aad(user, session))
        .ok_or_else(|| Error::said("offer", Said::TotpOfferExpired))?;
    let now = env.clock.now();
    let step = matching_step(&secret, code, now, None).ok_or(Error::InvalidCode)?;
    let id: TotpId = new_id(env.random);
    let credential = TotpCredential {
        secret_sealed: env.secrets.seal(env.random, &secret, &aad(&id)),
        id,
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        last_used_step: Some(step),
        created_at: now,
    };
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::TotpAdded,
        meta,
    ));
    effects
        .counters
        .extend(counter.iter().map(|k| CounterChange::Clear(k)));
    effects.mail.push(
        security_notice(env.random, tenant, user, SecurityEvent::TotpAdded, now).from_request(meta),
    );
    let (sign_out, token) = sign_out_others(env.random, session);
    effects.sign_out = Some(sign_out);
    let conflict = || {
        Error::Conflict(crate::platform::validate::FieldError::said(
            "totp",
            Said::TotpChangedMeanwhile,
        ))
    };
    match replacing {
        // A new phone: the old app stops working in the same transaction.
        Some(old) => {
            if !env
                .store
                .replace_totp(old, &credential, &effects, now)
                .await?
            {
                return Err(conflict());
            }
            Ok(token)
        }
        None => env
            .store
            .insert_totp(&credential, &effects, now)
            .await
            .map(|()| token)
            .map_err(|e| match e {
                crate::store::StoreError::Unique(_) => conflict(),
                other => Error::Store(other),
            }),
    }
}

/// Whether `code` is the current code of `user`'s app, not used before; if
/// so, its step is used up. (Attempts are counted by the caller.)
pub(crate) async fn accept_code<S: TotpStore, W>(
    env: &Env<'_, S, W>,
    user: &User,
    code: &str,
) -> Result<bool, Error> {
    let Some(credential) = env.store.totp_for_user(&user.id).await? else {
        return Ok(false);
    };
    let secret = env
        .secrets
        .open(&credential.secret_sealed, &aad(&credential.id))
        .ok_or_else(|| {
            Error::Store(crate::store::StoreError::Corrupt(
                "a TOTP secret does not open with the configured key".into(),
            ))
        })?;
    match matching_step(&secret, code, env.clock.now(), credential.last_used_step) {
        Some(step) => Ok(env.store.use_totp_step(&credential.id, step).await?),
        None => Ok(false),
    }
}

/// A sign-in waiting for its second factor, and where it came from.
pub struct SecondStep<'a> {
    pub tenant: &'a Tenant,
    pub user: &'a User,
    pub session: &'a Session,
    pub meta: &'a RequestMeta,
    pub policy: &'a crate::accounts::session::SessionPolicy,
}

/// Completes `step` if `check` accepts the proof and names the method it
/// proved: every attempt is counted first, a failure is audited, a success
/// clears the counters and completes the session (a new id, returned for the
/// cookie). The audit event is `kinds`' first (failed) or second
/// (succeeded).
pub(crate) async fn finish_second_step<S: SessionStore + EffectStore + RateLimitStore, W, F>(
    env: &Env<'_, S, W>,
    step: &SecondStep<'_>,
    kinds: (AuditKind, AuditKind),
    check: F,
) -> Result<crate::platform::secret::SecretToken, Error>
where
    F: std::future::Future<Output = Result<Option<AuthMethod>, Error>>,
{
    let (tenant, user) = (step.tenant, step.user);
    let counters = count_attempt(env, tenant, user).await?;
    let now = env.clock.now();
    let method = check.await?;
    let Some(method) = method else {
        let audit = audit_event(
            env.random,
            env.clock,
            &tenant.id,
            Some(&user.id),
            Actor::Anonymous,
            kinds.0,
            step.meta,
        );
        env.store.apply(&Effects::audit(audit), now).await?;
        return Err(Error::InvalidCode);
    };
    let actor = Actor::User(user.id.clone());
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        actor,
        kinds.1,
        step.meta,
    ));
    effects
        .counters
        .extend(counters.iter().map(|k| CounterChange::Clear(k)));
    crate::accounts::session::complete_second_factor(
        env.store,
        env.random,
        step.session,
        method,
        step.policy,
        &effects,
        now,
    )
    .await
}

/// The second step of a sign-in with a code from the user's authenticator app.
pub async fn complete_sign_in<S: EffectStore + SessionStore + TotpStore + RateLimitStore, W>(
    env: &Env<'_, S, W>,
    step: &SecondStep<'_>,
    code: &str,
) -> Result<crate::platform::secret::SecretToken, Error> {
    let check = async {
        let accepted = accept_code(env, step.user, code).await?;
        Ok(accepted.then_some(AuthMethod::Otp))
    };
    finish_second_step(
        env,
        step,
        (
            AuditKind::SecondStepOtpFailed,
            AuditKind::SecondStepOtpSucceeded,
        ),
        check,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B, SHA-1: seed "12345678901234567890", 8 digits there;
    // the 6-digit codes are the last six digits of those values.
    const SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_test_vectors() {
        for (time, eight_digits) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let step = u64::try_from(step_at(UnixTime(time))).unwrap();
            assert_eq!(hotp(SEED, step), eight_digits[2..], "t={time}");
        }
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(SEED, counter as u64), *code);
        }
    }

    #[test]
    fn window_and_replay() {
        let now = UnixTime(1_111_111_111);
        let step = step_at(now);
        let code = |s: i64| hotp(SEED, s as u64);
        assert_eq!(matching_step(SEED, &code(step), now, None), Some(step));
        assert_eq!(
            matching_step(SEED, &code(step - 1), now, None),
            Some(step - 1)
        );
        assert_eq!(
            matching_step(SEED, &code(step + 1), now, None),
            Some(step + 1)
        );
        assert_eq!(matching_step(SEED, &code(step - 2), now, None), None);
        assert_eq!(
            matching_step(SEED, &code(step), now, Some(step)),
            None,
            "replayed"
        );
        assert_eq!(
            matching_step(SEED, &code(step - 1), now, Some(step - 1 + 1)),
            None,
            "older than the last used"
        );
        let spaced = format!("{} {}", &code(step)[..3], &code(step)[3..]);
        assert_eq!(matching_step(SEED, &spaced, now, None), Some(step));
        for bad in ["", "12345", "1234567", "abcdef", "12345x"] {
            assert_eq!(matching_step(SEED, bad, now, None), None, "{bad}");
        }
    }

    #[test]
    fn base32_and_uri() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(&[0u8; 20]).len(), 32);
        let uri = otpauth_uri("Acme Corp", "alice@example.com", b"12345678901234567890");
        assert_eq!(
            uri,
            "otpauth://totp/Acme%20Corp:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Corp&algorithm=SHA1&digits=6&period=30"
        );
    }
}
