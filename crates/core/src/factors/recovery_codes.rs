//! Printed recovery codes: ten per user, each 80 random bits written as 16
//! characters of Crockford base32 in groups of four, shown once, usable once
//! instead of a second factor. Creating a new set ends the old one.
//!
//! Stored keyed ([`CodeHash::keyed`]): `k1:` and HMAC-SHA256 under the
//! deployment key of the code's SHA-256, so that a copy of the database
//! alone does not let anyone try codes offline (ASVS 6.5.2: 80 bits are
//! under the 112 a plain hash needs). Keying the SHA-256 rather than the
//! code lets codes stored plain by earlier versions be keyed without
//! knowing them ([`key_stored`], run at every start); until a node has done
//! that (a rolling upgrade), a plain one still matches ([`CodeHash::plain`]).
//! Decision 0020.

use crate::Error;
use crate::accounts::notice::security_notice;
use crate::accounts::session::{AuthMethod, Session, sign_out_others};
use crate::accounts::user::User;
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::SecurityEvent;
use crate::env::Env;
use crate::factors::totp;
use crate::platform::clock::UnixTime;
use crate::platform::crypto::SecretBox;
use crate::platform::ids::{TenantId, UserId};
use crate::platform::random::{Random, bytes, new_id};
use crate::platform::secret::{SecretToken, sha256_hex};
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

/// The forms a typed code may be stored in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeHash {
    /// How codes are stored: see [`key_stored`].
    pub keyed: String,
    /// How versions before 0020 stored them (plain SHA-256, hex).
    pub plain: String,
}

/// The prefix of a keyed stored code.
pub const KEYED_PREFIX: &str = "k1:";

/// The keyed form of a code stored plain (its SHA-256 in hex): `k1:` and
/// HMAC-SHA256 of it under the deployment key's MAC key.
pub fn key_stored(secrets: &SecretBox, plain: &str) -> String {
    format!(
        "{KEYED_PREFIX}{}",
        secrets.mac(&[b"recovery-code v1", plain.as_bytes()])
    )
}

pub fn hash(secrets: &SecretBox, typed: &str) -> Option<CodeHash> {
    let plain = sha256_hex(normalise(typed)?.as_bytes());
    Some(CodeHash {
        keyed: key_stored(secrets, &plain),
        plain,
    })
}

/// The stored form of `code` among the user's unused codes, if one is
/// (keyed, else plain from before the keys).
pub async fn unused_form<S: RecoveryCodeStore>(
    store: &S,
    user_id: &UserId,
    code: &CodeHash,
) -> Result<Option<String>, Error> {
    for form in [&code.keyed, &code.plain] {
        if store.recovery_code_unused(user_id, form).await? {
            return Ok(Some(form.clone()));
        }
    }
    Ok(None)
}

/// Spends the user's unused `code` (in whichever form it is stored); false
/// if there is none.
pub async fn spend<S: RecoveryCodeStore>(
    store: &S,
    user_id: &UserId,
    code: &CodeHash,
    now: UnixTime,
) -> Result<bool, Error> {
    for form in [&code.keyed, &code.plain] {
        if store.use_recovery_code(user_id, form, now).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A new set of codes: shown once, and the session's new id when making it
/// signed everyone else out.
pub struct NewCodes {
    pub codes: Vec<String>,
    pub session: Option<SecretToken>,
}

/// Creates a new set for `user` (ending the old one) and returns the codes,
/// which exist nowhere else from then on. Needs a recent sign-in. Every
/// other session ends, as after any change of factors
/// ([`sign_out_others`]); this one goes on under the new id returned.
pub async fn regenerate<S: RecoveryCodeStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    meta: &RequestMeta,
) -> Result<NewCodes, Error> {
    make_set(env, tenant, user, session, meta, true).await
}

async fn make_set<S: RecoveryCodeStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    meta: &RequestMeta,
    signs_out: bool,
) -> Result<NewCodes, Error> {
    let now = env.clock.now();
    totp::require_recent_auth(session, now)?;
    let plain: Vec<String> = (0..COUNT).map(|_| generate(env.random)).collect();
    let codes: Vec<RecoveryCode> = plain
        .iter()
        .map(|c| RecoveryCode {
            id: new_id(env.random),
            tenant_id: tenant.id.clone(),
            user_id: user.id.clone(),
            code_hash: hash(env.secrets, c).map(|h| h.keyed).unwrap_or_default(),
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
    effects.mail.push(
        security_notice(
            env.random,
            tenant,
            user,
            SecurityEvent::RecoveryCodesRegenerated,
            now,
        )
        .from_request(meta),
    );
    let session = signs_out.then(|| {
        let (sign_out, token) = sign_out_others(env.random, session);
        effects.sign_out = Some(sign_out);
        token
    });
    env.store
        .replace_recovery_codes(&user.id, &codes, &effects, now)
        .await?;
    Ok(NewCodes {
        codes: plain,
        session,
    })
}

/// The first set, made right after a person's first second factor so that
/// they see it without another click (as the set-up's last step). `None`
/// when they hold unused codes already: a new set would end those, which
/// stays their own choice on the codes page. It signs nobody out: the
/// factor just added did, in the same request, and no codes are replaced.
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
    let set = make_set(env, tenant, user, session, meta, false).await?;
    Ok(Some(set.codes))
}

/// A person's recovery codes as the offer of a new set counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeTally {
    pub unused: i64,
    /// Used, and the offer of a new set not answered yet.
    pub used_unanswered: i64,
}

/// The offer of a fresh set after a code was used (NIST SP 800-63B-4
/// §4.2.1.1: a used saved code is replaced): how many codes remain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    pub remaining: i64,
}

/// The offer of a new set, when one is due: a code of the current set was
/// used — to sign in, to confirm it is them, or in a recovery — and the
/// person has neither made a new set since (which replaces every code) nor
/// answered "Later". Decision 0031.
pub async fn offer<S: RecoveryCodeStore>(store: &S, user: &User) -> Result<Option<Offer>, Error> {
    let tally = store.recovery_code_tally(&user.id).await?;
    Ok((tally.used_unanswered > 0).then_some(Offer {
        remaining: tally.unused,
    }))
}

/// "Later": the offer is not made again for the codes used so far (the
/// account page still warns when few are left); the next use makes it
/// again.
pub async fn postpone_offer<S: RecoveryCodeStore>(
    store: &S,
    user: &User,
    now: UnixTime,
) -> Result<(), Error> {
    store.answer_recovery_code_offer(&user.id, now).await?;
    Ok(())
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
        let used = match hash(env.secrets, typed) {
            Some(h) => spend(env.store, &step.user.id, &h, env.clock.now()).await?,
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
        let secrets = SecretBox::new(&[7; 32]);
        assert_eq!(hash(&secrets, &code), hash(&secrets, &code.to_uppercase()));
        assert_eq!(hash(&secrets, &code).unwrap().plain.len(), 64);
    }

    #[test]
    fn codes_are_stored_keyed_and_plain_ones_can_be_keyed_without_the_code() {
        let secrets = SecretBox::new(&[7; 32]);
        let h = hash(&secrets, "7k2m-q9xd-4t0c-h8vb").unwrap();
        assert_eq!(h.plain, sha256_hex(b"7k2mq9xd4t0ch8vb"), "as stored before");
        assert!(h.keyed.starts_with(KEYED_PREFIX));
        assert_eq!(h.keyed.len(), KEYED_PREFIX.len() + 64);
        assert_eq!(key_stored(&secrets, &h.plain), h.keyed);
        let other_deployment = SecretBox::new(&[8; 32]);
        assert_ne!(
            hash(&other_deployment, "7k2m-q9xd-4t0c-h8vb")
                .unwrap()
                .keyed,
            h.keyed,
            "without the deployment key the stored value says nothing"
        );
        assert_eq!(hash(&secrets, "not a code"), None);
    }
}
