//! Passwords: the policy for new ones and argon2id hashing.
//!
//! Hashing is CPU- and memory-hard on purpose, so it never runs on the async
//! event loop: [`PasswordWorker`] is implemented by a bounded pool (see the web
//! crate) that answers [`Error::Overloaded`] when its queue is full.

use std::future::Future;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};
use unicode_normalization::UnicodeNormalization;

use crate::Error;
use crate::accounts::password_blocklist::{self, PasswordContext};
use crate::platform::validate::{FieldError, Said};

/// argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl HashParams {
    /// OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    pub const OWASP: HashParams = HashParams {
        memory_kib: 19456,
        iterations: 2,
        parallelism: 1,
    };

    fn argon2(&self) -> Result<Argon2<'static>, Error> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| Error::invalid("password_hash", format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for HashParams {
    fn default() -> Self {
        HashParams::OWASP
    }
}

/// A password as typed. Normalised to Unicode NFKC (NIST SP 800-63B); never
/// printed by `Debug`.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 256;

impl Password {
    /// A password presented at sign-in: no policy, only normalisation, so that
    /// passwords set under an older policy keep working.
    pub fn presented(value: &str) -> Password {
        Password(value.nfkc().collect())
    }

    /// A new password, on every path that sets one (creation, change,
    /// reset): 12 to 256 characters, not one character repeated, not a
    /// common password and not mostly one of the account's names
    /// ([`password_blocklist`](crate::accounts::password_blocklist)).
    pub fn new_checked(
        field: &str,
        value: &str,
        context: &PasswordContext,
    ) -> Result<Password, FieldError> {
        let password = Password::presented(value);
        let len = password.0.chars().count();
        if len < PASSWORD_MIN {
            return Err(FieldError::said(
                field,
                Said::PasswordTooShort {
                    len,
                    min: PASSWORD_MIN,
                },
            ));
        }
        if len > PASSWORD_MAX {
            return Err(FieldError::said(
                field,
                Said::TooLong {
                    len,
                    max: PASSWORD_MAX,
                },
            ));
        }
        if password
            .0
            .chars()
            .all(|c| c == password.0.chars().next().unwrap_or(' '))
        {
            return Err(FieldError::said(field, Said::PasswordRepeated));
        }
        if password_blocklist::is_common(&password.0) {
            return Err(FieldError::said(field, Said::PasswordCommon));
        }
        if let Some(word) = context.too_close(&password.0) {
            let word = word.to_owned();
            return Err(FieldError::said(field, Said::PasswordContext { word }));
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// argon2's working memory (m KiB), kept by a hashing thread between hashes so
/// that each hash neither allocates nor page-faults its ~19 MiB afresh (that
/// cost about a third of a hash's time in the sign-in benchmark).
#[derive(Default)]
pub struct Scratch(Vec<Block>);

impl Scratch {
    fn blocks(&mut self, count: usize) -> &mut [Block] {
        if self.0.len() < count {
            self.0.resize(count, Block::default());
        }
        &mut self.0[..count]
    }
}

fn phc_error(e: impl std::fmt::Display) -> Error {
    Error::invalid("password_hash", format!("argon2: {e}"))
}

/// Hashes `password` with a 128-bit salt into a PHC string
/// (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), using `scratch` as working memory.
pub fn hash_with(
    scratch: &mut Scratch,
    params: HashParams,
    password: &Password,
    salt: [u8; 16],
) -> Result<String, Error> {
    let argon2 = params.argon2()?;
    let count = argon2.params().block_count();
    let mut out = [0u8; 32];
    argon2
        .hash_password_into_with_memory(
            password.0.as_bytes(),
            &salt,
            &mut out,
            scratch.blocks(count),
        )
        .map_err(phc_error)?;
    let salt = SaltString::encode_b64(&salt).map_err(phc_error)?;
    let phc = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params()).map_err(phc_error)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(phc_error)?),
    };
    Ok(phc.to_string())
}

/// [`hash_with`] on fresh memory.
pub fn hash(params: HashParams, password: &Password, salt: [u8; 16]) -> Result<String, Error> {
    hash_with(&mut Scratch::default(), params, password, salt)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Mismatch,
    /// The password is right; `needs_rehash` when the stored hash used other
    /// parameters than the current ones.
    Match {
        needs_rehash: bool,
    },
}

impl Verification {
    pub fn is_match(self) -> bool {
        matches!(self, Verification::Match { .. })
    }
}

/// Checks `password` against a stored PHC string, using `scratch` as working
/// memory; the comparison is constant-time. A stored value that is not a valid
/// argon2 hash never matches.
pub fn verify_with(
    scratch: &mut Scratch,
    stored: &str,
    password: &Password,
    current: HashParams,
) -> Verification {
    let Some((algorithm, params, matched)) = check(scratch, stored, password) else {
        return Verification::Mismatch;
    };
    if !matched {
        return Verification::Mismatch;
    }
    let same = algorithm == Algorithm::Argon2id
        && params.m_cost() == current.memory_kib
        && params.t_cost() == current.iterations
        && params.p_cost() == current.parallelism;
    Verification::Match {
        needs_rehash: !same,
    }
}

/// Stored hashes asking for more memory than this are refused, so a tampered
/// or absurd hash cannot make a hashing thread pin gigabytes.
pub const MAX_MEMORY_KIB: u32 = 256 * 1024;

fn check(
    scratch: &mut Scratch,
    stored: &str,
    password: &Password,
) -> Option<(Algorithm, Params, bool)> {
    let parsed = PasswordHash::new(stored).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .ok()?;
    let params = Params::try_from(&parsed).ok()?;
    if params.m_cost() > MAX_MEMORY_KIB {
        return None;
    }
    let expected = parsed.hash?;
    let mut salt_buf = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt_buf).ok()?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    argon2
        .hash_password_into_with_memory(
            password.0.as_bytes(),
            salt,
            &mut out,
            scratch.blocks(params.block_count()),
        )
        .ok()?;
    Some((
        algorithm,
        params,
        crate::platform::secret::ct_eq(&out, expected.as_bytes()),
    ))
}

/// [`verify_with`] on fresh memory.
pub fn verify(stored: &str, password: &Password, current: HashParams) -> Verification {
    verify_with(&mut Scratch::default(), stored, password, current)
}

/// Where hashing runs. Implementations bound the work and return
/// [`Error::Overloaded`] instead of queueing without limit.
pub trait PasswordWorker: Send + Sync {
    /// Whether a request would be admitted now (checked before any other work,
    /// so an overload is refused cheaply).
    fn has_capacity(&self) -> bool;

    fn hash(&self, password: Password) -> impl Future<Output = Result<String, Error>> + Send;

    /// Verifies against `stored`; with `None` (unknown user, no password) it
    /// verifies against a dummy hash, so the answer takes the same time, and
    /// reports a mismatch.
    fn verify(
        &self,
        stored: Option<String>,
        password: Password,
    ) -> impl Future<Output = Result<Verification, Error>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: HashParams = HashParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    #[test]
    fn hash_and_verify() {
        let pw = Password::new_checked("password", "correct horse battery", &none()).unwrap();
        let phc = hash(CHEAP, &pw, [7; 16]).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert_eq!(
            verify(&phc, &pw, CHEAP),
            Verification::Match {
                needs_rehash: false
            }
        );
        assert_eq!(
            verify(&phc, &Password::presented("wrong horse battery"), CHEAP),
            Verification::Mismatch
        );
        assert_eq!(verify("not a hash", &pw, CHEAP), Verification::Mismatch);
        let huge = phc.replace("m=64", &format!("m={}", MAX_MEMORY_KIB + 1));
        assert_eq!(verify(&huge, &pw, CHEAP), Verification::Mismatch);
    }

    #[test]
    fn interoperates_with_the_argon2_crates_own_phc_strings() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let pw = Password::presented("correct horse battery");
        let salt = SaltString::encode_b64(&[5; 16]).unwrap();
        let theirs = CHEAP
            .argon2()
            .unwrap()
            .hash_password(pw.0.as_bytes(), &salt)
            .unwrap()
            .to_string();
        let ours = hash(CHEAP, &pw, [5; 16]).unwrap();
        assert_eq!(ours, theirs);
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(pw.0.as_bytes(), &parsed)
                .is_ok()
        );
        // one scratch serves hashes of different sizes
        let mut scratch = Scratch::default();
        let big = HashParams {
            memory_kib: 256,
            ..CHEAP
        };
        let h = hash_with(&mut scratch, big, &pw, [6; 16]).unwrap();
        assert!(verify_with(&mut scratch, &ours, &pw, CHEAP).is_match());
        assert!(verify_with(&mut scratch, &h, &pw, big).is_match());
        // argon2i hashes verify too, and ask for a rehash to argon2id
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(64, 1, 1, None).unwrap(),
        );
        let old = argon2i
            .hash_password(pw.0.as_bytes(), &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            verify(&old, &pw, CHEAP),
            Verification::Match { needs_rehash: true }
        );
    }

    #[test]
    fn changed_parameters_ask_for_a_rehash() {
        let pw = Password::presented("correct horse battery");
        let phc = hash(CHEAP, &pw, [1; 16]).unwrap();
        let stronger = HashParams {
            iterations: 2,
            ..CHEAP
        };
        assert_eq!(
            verify(&phc, &pw, stronger),
            Verification::Match { needs_rehash: true }
        );
    }

    #[test]
    fn passwords_are_nfkc_normalised() {
        let composed = Password::presented("caf\u{e9} au lait!");
        let decomposed = Password::presented("cafe\u{301} au lait!");
        let phc = hash(CHEAP, &composed, [2; 16]).unwrap();
        assert!(verify(&phc, &decomposed, CHEAP).is_match());
    }

    fn none() -> PasswordContext {
        PasswordContext::default()
    }

    #[test]
    fn policy() {
        assert!(
            Password::new_checked("password", "short", &none())
                .unwrap_err()
                .message
                .contains("at least 12")
        );
        assert!(Password::new_checked("password", &"a".repeat(20), &none()).is_err());
        assert!(Password::new_checked("password", &"ab".repeat(129), &none()).is_err());
        assert!(Password::new_checked("password", "twelve chars", &none()).is_ok());
        // 64 characters and more are welcome (ASVS 6.2.9), up to 256
        let long = "lantern cobalt river ".repeat(13);
        assert!(Password::new_checked("password", &long[..256], &none()).is_ok());
        assert!(!format!("{:?}", Password::presented("secret-value")).contains("secret"));
    }

    #[test]
    fn common_passwords_and_the_accounts_names_are_refused_with_a_way_forward() {
        let common = Password::new_checked("password", "Password2024!", &none()).unwrap_err();
        assert_eq!(common.said, Some(Said::PasswordCommon));
        assert!(
            common.message.contains("password manager"),
            "{}",
            common.message
        );
        let context = PasswordContext::from_names(&["latchkey", "acme", "Acme Corp", "jane"]);
        let named = Password::new_checked("password", "AcmeCorp-2024!", &context).unwrap_err();
        assert_eq!(
            named.said,
            Some(Said::PasswordContext {
                word: "acmecorp".into()
            })
        );
        assert!(named.message.contains("“acmecorp”"), "{}", named.message);
        assert!(Password::new_checked("password", "acme lantern cobalt", &context).is_ok());
        // NFKC first: full-width letters are the same password
        assert!(Password::new_checked("password", "ｐａｓｓｗｏｒｄ２０２４！", &none()).is_err());
    }
}
