//! The token endpoint's errors, as RFC 6749 §5.2 names them.

use super::*;

/// A token endpoint error (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub error: &'static str,
    pub description: String,
    /// Set when the request was refused by a rate limit: answered 429 with
    /// this `Retry-After`.
    pub retry_after_secs: Option<i64>,
}

impl TokenError {
    pub fn new(error: &'static str, description: impl Into<String>) -> TokenError {
        TokenError {
            error,
            description: description.into(),
            retry_after_secs: None,
        }
    }

    /// A refusal by a rate limit (too many failed client authentications):
    /// RFC 6749 has no code for it; `temporarily_unavailable` (§4.1.2.1)
    /// is the registered one that says "try again later", which clients
    /// already handle, with 429 and `Retry-After` (RFC 6585) saying when.
    pub fn limited(retry_after_secs: i64) -> TokenError {
        TokenError {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..TokenError::new(
                "temporarily_unavailable",
                "too many failed client authentications; try again after the time in Retry-After",
            )
        }
    }

    /// 429 for a rate limit, 401 for a failed client authentication, else 400.
    pub fn status(&self) -> u16 {
        if self.retry_after_secs.is_some() {
            429
        } else if self.error == "invalid_client" {
            401
        } else {
            400
        }
    }
}

impl From<Error> for TokenError {
    fn from(err: Error) -> TokenError {
        match err {
            Error::RateLimited { retry_after_secs } => TokenError::limited(retry_after_secs),
            Error::Overloaded { .. } => TokenError::new("temporarily_unavailable", err.to_string()),
            // The cause goes in the description's place only for the log:
            // the web layer logs server errors and sends a fixed text.
            other => TokenError::new("server_error", other.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for TokenError {
    fn from(err: crate::store::StoreError) -> TokenError {
        TokenError::from(Error::Store(err))
    }
}
