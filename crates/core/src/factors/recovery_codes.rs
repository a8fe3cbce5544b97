//! Printed recovery codes: ten per user, each 80 random bits written as 16
//! characters of Crockford base32 in groups of four, shown once, stored as
//! SHA-256, usable once instead of a second factor. Creating a new set ends
//! the old one.

use crate::Error;
use crate::accounts::notice::security_notice;
use crate::accounts::session::{AuthMethod, Session};
use crate::accounts::user::User;
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::SecurityEvent;
use crate::env::Env;
use crate::factors::totp;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{TenantId, UserId};
use crate::platform::random::{Random, bytes, new_id};
use crate::platform::secret::sha256_hex;
use crate::store::{EffectStore, Effects, RateLimitStore, RecoveryCodeStore, SessionStore};
use crate::tenants::Tenant;

pub const COUNT: usize = 10;
/// Below this many unused codes the account page warns.
pub const FEW: i64 = 3;
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryCode {
    pub id: String,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub code_hash: String,
    pub created_at: UnixTime,
    pub used_at: Option<UnixTime>,
}

/// One new code, e.g. `7k2m-q9xd-4t0c-h8vb`.
pub fn generate(random: &dyn Random) -> String {
    let raw = bytes::<10>(random); // 80 bits
    let mut bits: u128 = 0;
    for b in raw {
        bits = (bits << 8) | u128::from(b);
    }
    let chars: Vec<u8> = (0..16)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize])
        .collect();
    chars
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical form of a typed code: lower case, without separators, with
/// the letters people confuse mapped as Crockford base32 does (o→0, i/l→1).
/// `None` if it cannot be a code.
pub fn normalise(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| match c.to_ascii_lowercase() {
            'o' => '0',
            'i' | 'l' => '1',
            other => other,
        })
        .collect();
    (code.len() == 16 && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

pub fn hash(typed: &str) -> Option<String> {
    normalise(typed).map(|c| sha256_hex(c.as_bytes()))
}

/// Creates a new set for `user` (ending the old one) and returns the codes,
/// which exist nowhere else from then on. Needs a recent sign-in.
pub async fn regenerate<S: RecoveryCodeStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    meta: &RequestMeta,
) -> Result<Vec<String>, Error> {
    let now = env.clock.now();
    totp::require_recent_auth(session, now)?;
    let plain: Vec<String> = (0..COUNT).map(|_| generate(env.random)).collect();
    let codes: Vec<RecoveryCode> = plain
        .iter()
        .map(|c| RecoveryCode {
            id: new_id(env.random),
            tenant_id: tenant.id.clone(),
            user_id: user.id.clone(),
            code_hash: hash(c).unwrap_or_default(),
            created_at: now,
            used_at: None,
        })
        .collect();
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::RecoveryCodesRegenerated,
        meta,
    ));
    effects.mail.push(security_notice(
        env.random,
        tenant,
        user,
        SecurityEvent::RecoveryCodesRegenerated,
        now,
    ));
    env.store
        .replace_recovery_codes(&user.id, &codes, &effects, now)
        .await?;
    Ok(plain)
}

/// The first set, made right after a person's first second factor so that
/// they see it without another click (as the set-up's last step). `None`
/// when they hold unused codes already: a new set would end those, which
/// stays their own choice on the codes page.
pub async fn first_set<S: RecoveryCodeStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    meta: &RequestMeta,
) -> Result<Option<Vec<String>>, Error> {
    if env.store.unused_recovery_codes(&user.id).await? > 0 {
        return Ok(None);
    }
    regenerate(env, tenant, user, session, meta).await.map(Some)
}

/// The second sign-in step with a recovery code instead of an app's code.
pub async fn complete_sign_in<
    S: RecoveryCodeStore + EffectStore + SessionStore + RateLimitStore,
    W,
>(
    env: &Env<'_, S, W>,
    step: &totp::SecondStep<'_>,
    typed: &str,
) -> Result<crate::platform::secret::SecretToken, Error> {
    let check = async {
        let used = match hash(typed) {
            Some(h) => {
                env.store
                    .use_recovery_code(&step.user.id, &h, env.clock.now())
                    .await?
            }
            None => false,
        };
        Ok(used.then_some(AuthMethod::RecoveryCode))
    };
    totp::finish_second_step(
        env,
        step,
        (
            AuditKind::SecondStepRecoveryCodeFailed,
            AuditKind::SecondStepRecoveryCodeSucceeded,
        ),
        check,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::random::OsRandom;

    #[test]
    fn codes_have_80_bits_and_normalise() {
        let code = generate(&OsRandom);
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert_ne!(generate(&OsRandom), code);
        let canonical = normalise(&code).unwrap();
        assert_eq!(
            normalise(&code.to_uppercase().replace('-', " ")),
            Some(canonical.clone())
        );
        assert_eq!(
            normalise("OIL0-0000-0000-0000"),
            Some("0110000000000000".into())
        );
        assert_eq!(normalise("abcd-efgh"), None);
        assert_eq!(
            normalise("uuuu-uuuu-uuuu-uuuu"),
            None,
            "u is not in the alphabet"
        );
        assert_eq!(hash(&code), hash(&code.to_uppercase()));
        assert_eq!(hash(&code).unwrap().len(), 64);
    }
}
