//! The storage ports. Each domain declares the small traits its services
//! need in its own `store.rs` (`tenants`, `accounts`, `factors`, `recovery`,
//! `oidc`, `effects`); this module holds what they share — [`StoreError`],
//! [`StoreResult`] — re-exports every trait for the store crate, which
//! implements them for SQLite and PostgreSQL (one conformance suite runs
//! against both), and joins them in [`Store`] for code that wires a whole
//! store in (the web state). Services name only the traits they use.

use crate::Error;
use crate::platform::validate::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint was violated; names the constraint.
    #[error("duplicate value for {0}")]
    Unique(String),
    /// The database could not be reached or timed out.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(String),
    /// A stored value could not be read back as a domain value.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Turns a unique violation into a field error the user can act on; every
    /// other error stays what it is.
    pub fn into_conflict(self, field: &str, message: impl Into<String>) -> Error {
        match self {
            StoreError::Unique(_) => Error::Conflict(FieldError::new(field, message)),
            other => Error::Store(other),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

pub use crate::accounts::store::{
    Activity, DeviceStore, EmailChangeStore, EmailVerificationStore, InvitationStore, PageFrom,
    PeopleFilter, PersonRow, SecondFactorDone, SessionStore, SignOutOthers, UserStore,
};
pub use crate::effects::store::{
    AuditStore, CounterChange, EffectStore, Effects, OutboxStore, RateLimitStore, SignOut,
};
pub use crate::factors::store::{
    FactorRemoval, Nudge, PasskeyStore, ReadinessCounts, ReadinessStore, RecoveryCodeStore,
    TotpStore,
};
pub use crate::oidc::store::{ClientStore, Connection, Consent, OidcStore, SigningKeyStore};
pub use crate::operator::store::{OperatorAccountStore, TenantFigures};
pub use crate::recovery::store::{PasswordResetStore, RecoveryStore};
pub use crate::tenants::store::{OperatorStore, OperatorToken, TenantStore};

/// Everything the services need.
pub trait Store:
    TenantStore
    + UserStore
    + SessionStore
    + RateLimitStore
    + AuditStore
    + EffectStore
    + OutboxStore
    + EmailVerificationStore
    + EmailChangeStore
    + TotpStore
    + RecoveryCodeStore
    + PasskeyStore
    + RecoveryStore
    + PasswordResetStore
    + SigningKeyStore
    + ClientStore
    + OidcStore
    + OperatorStore
    + InvitationStore
    + OperatorAccountStore
    + ReadinessStore
{
}

impl<T> Store for T where
    T: TenantStore
        + UserStore
        + SessionStore
        + RateLimitStore
        + AuditStore
        + EffectStore
        + OutboxStore
        + EmailVerificationStore
        + EmailChangeStore
        + EmailChangeStore
        + TotpStore
        + RecoveryCodeStore
        + PasskeyStore
        + RecoveryStore
        + PasswordResetStore
        + SigningKeyStore
        + ClientStore
        + OidcStore
        + OperatorStore
        + InvitationStore
        + OperatorAccountStore
        + ReadinessStore
{
}
