//! Passwords: the policy for new ones and argon2id hashing.
//!
//! Hashing is CPU- and memory-hard on purpose, so it never runs on the async
//! event loop: [`PasswordWorker`] is implemented by a bounded pool (see the web
//! crate) that answers [`Error::Overloaded`] when its queue is full.

use std::future::Future;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;

use crate::Error;
use crate::validate::FieldError;

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

    /// A new password: checked against the policy.
    pub fn new_checked(field: &str, value: &str) -> Result<Password, FieldError> {
        let password = Password::presented(value);
        let len = password.0.chars().count();
        if len < PASSWORD_MIN {
            return Err(FieldError::new(
                field,
                format!(
                    "is {len} characters long; use at least {PASSWORD_MIN} characters (a few unrelated words work well)"
                ),
            ));
        }
        if len > PASSWORD_MAX {
            return Err(FieldError::new(
                field,
                format!("is {len} characters long; at most {PASSWORD_MAX} are allowed"),
            ));
        }
        if password
            .0
            .chars()
            .all(|c| c == password.0.chars().next().unwrap_or(' '))
        {
            return Err(FieldError::new(field, "must not be one character repeated"));
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Hashes `password` with a 128-bit salt into a PHC string.
pub fn hash(params: HashParams, password: &Password, salt: [u8; 16]) -> Result<String, Error> {
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::invalid("password_hash", format!("salt: {e}")))?;
    let hash = params
        .argon2()?
        .hash_password(password.0.as_bytes(), &salt)
        .map_err(|e| Error::invalid("password_hash", format!("argon2: {e}")))?;
    Ok(hash.to_string())
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

/// Checks `password` against a stored PHC string. A stored value that is not a
/// valid argon2 hash never matches.
pub fn verify(stored: &str, password: &Password, current: HashParams) -> Verification {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verification::Mismatch;
    };
    if Argon2::default()
        .verify_password(password.0.as_bytes(), &parsed)
        .is_err()
    {
        return Verification::Mismatch;
    }
    let same = parsed.algorithm.as_str() == "argon2id"
        && Params::try_from(&parsed).is_ok_and(|p| {
            p.m_cost() == current.memory_kib
                && p.t_cost() == current.iterations
                && p.p_cost() == current.parallelism
        });
    Verification::Match {
        needs_rehash: !same,
    }
}

/// Where hashing runs. Implementations bound the work and return
/// [`Error::Overloaded`] instead of queueing without limit.
pub trait PasswordWorker: Send + Sync {
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
        let pw = Password::new_checked("password", "correct horse battery").unwrap();
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

    #[test]
    fn policy() {
        assert!(
            Password::new_checked("password", "short")
                .unwrap_err()
                .message
                .contains("at least 12")
        );
        assert!(Password::new_checked("password", &"a".repeat(20)).is_err());
        assert!(Password::new_checked("password", &"ab".repeat(129)).is_err());
        assert!(Password::new_checked("password", "twelve chars").is_ok());
        assert!(!format!("{:?}", Password::presented("secret-value")).contains("secret"));
    }
}
