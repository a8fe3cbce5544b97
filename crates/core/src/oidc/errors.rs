//! The OAuth errors, as RFC 6749 (§4.1.2.1, §5.2), OpenID Connect Core
//! (§3.1.2.6), RFC 7009 and RFC 6750 name them; and the token endpoint's
//! error. Which HTTP status each gets is the web crate's business.

use super::*;

crate::platform::text_enum!(
    /// An OAuth error code: `as_str` is the registered code sent in
    /// `error`.
    OAuthError, "error", {
        InvalidRequest => "invalid_request",
        InvalidClient => "invalid_client",
        InvalidGrant => "invalid_grant",
        UnauthorizedClient => "unauthorized_client",
        UnsupportedGrantType => "unsupported_grant_type",
        UnsupportedResponseType => "unsupported_response_type",
        InvalidScope => "invalid_scope",
        AccessDenied => "access_denied",
        ServerError => "server_error",
        TemporarilyUnavailable => "temporarily_unavailable",
        LoginRequired => "login_required",
        InteractionRequired => "interaction_required",
        ConsentRequired => "consent_required",
        RequestNotSupported => "request_not_supported",
        RequestUriNotSupported => "request_uri_not_supported",
        RegistrationNotSupported => "registration_not_supported",
        InvalidToken => "invalid_token",
        InsufficientScope => "insufficient_scope"
    }
);

/// A token endpoint error (RFC 6749 §5.2); the revocation and
/// introspection endpoints answer with the same shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub error: OAuthError,
    pub description: String,
    /// Set when the request was refused by a rate limit: the answer says
    /// when to try again (`Retry-After`).
    pub retry_after_secs: Option<i64>,
}

impl TokenError {
    pub fn new(error: OAuthError, description: impl Into<String>) -> TokenError {
        TokenError {
            error,
            description: description.into(),
            retry_after_secs: None,
        }
    }

    /// A refusal by a rate limit (too many failed client authentications):
    /// RFC 6749 has no code for it; `temporarily_unavailable` (§4.1.2.1)
    /// is the registered one that says "try again later", which clients
    /// already handle, with `Retry-After` (RFC 6585) saying when.
    pub fn limited(retry_after_secs: i64) -> TokenError {
        TokenError {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..TokenError::new(
                OAuthError::TemporarilyUnavailable,
                "too many failed client authentications; try again after the time in Retry-After",
            )
        }
    }
}

impl From<Error> for TokenError {
    fn from(err: Error) -> TokenError {
        match err {
            Error::RateLimited { retry_after_secs } => TokenError::limited(retry_after_secs),
            Error::Overloaded { .. } => {
                TokenError::new(OAuthError::TemporarilyUnavailable, err.to_string())
            }
            // The cause goes in the description's place only for the log:
            // the web layer logs server errors and sends a fixed text.
            other => TokenError::new(OAuthError::ServerError, other.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for TokenError {
    fn from(err: crate::store::StoreError) -> TokenError {
        TokenError::from(Error::Store(err))
    }
}
