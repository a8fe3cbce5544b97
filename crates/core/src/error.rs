//! The domain's error: what went wrong, in terms a caller can act on.

use crate::platform::validate::FieldError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more inputs were malformed; each says which field and why.
    #[error("invalid input: {}", join(.0))]
    Invalid(Vec<FieldError>),
    /// The input was well-formed but collides with an existing record.
    #[error("{0}")]
    Conflict(FieldError),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Sign-in failed. Deliberately says nothing about which part was wrong.
    #[error("the username, email or password is not correct")]
    InvalidCredentials,
    /// Changing second factors needs a sign-in within the last ten minutes.
    #[error("for your security, sign in again before changing your second factors")]
    ReauthRequired,
    /// A one-time code that is wrong, expired or used before.
    #[error("the code is not correct; enter the current code from your authenticator app")]
    InvalidCode,
    /// A wrong self-recovery proof. It was counted: `tries_left` more
    /// wrong ones lock the case (the same count for a real case and a
    /// decoy, so it tells a stranger nothing).
    #[error("that proof is not right; {tries_left} wrong tries left before this recovery locks")]
    WrongProof { tries_left: u32 },
    /// A link from a mail that cannot be used (unknown, used, expired or
    /// replaced). One message for all, so a link reveals nothing.
    #[error(
        "this link cannot be used: it was used already, has expired or was replaced by a newer one"
    )]
    InvalidLink,
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: i64 },
    #[error("the server is busy; try again in {retry_after_secs} seconds")]
    Overloaded { retry_after_secs: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn join(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    pub fn invalid(field: &str, message: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    /// A field error that pages show in the reader's language.
    pub fn said(field: &str, said: crate::platform::validate::Said) -> Error {
        Error::Invalid(vec![FieldError::said(field, said)])
    }
}
