//! The tenant's second-factor policy applied to a signed-in user: under
//! `required`, a user without a second factor must set one up, and then save
//! recovery codes, before anything else.

use crate::Error;
use crate::accounts::user::User;
pub use crate::effects::mail::Missing;
use crate::store::{PasskeyStore, RecoveryCodeStore, TotpStore};
use crate::tenants::{SecondFactorPolicy, Tenant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    SecondFactor,
    RecoveryCodes,
}

/// Whether the user has a second factor: an authenticator app or a passkey.
pub async fn has_second_factor<S: TotpStore + PasskeyStore>(
    store: &S,
    user: &User,
) -> Result<bool, Error> {
    Ok(store.totp_for_user(&user.id).await?.is_some()
        || !store.passkeys_for_user(&user.id).await?.is_empty())
}

/// What `user` must still set up before using their account, if anything.
pub async fn pending_enrolment<S: TotpStore + RecoveryCodeStore + PasskeyStore>(
    store: &S,
    tenant: &Tenant,
    user: &User,
) -> Result<Option<Pending>, Error> {
    if tenant.second_factor != SecondFactorPolicy::Required {
        return Ok(None);
    }
    if !has_second_factor(store, user).await? {
        return Ok(Some(Pending::SecondFactor));
    }
    if store.unused_recovery_codes(&user.id).await? == 0 {
        return Ok(Some(Pending::RecoveryCodes));
    }
    Ok(None)
}

/// How ready a person is for the day they lose a factor (the account page
/// nudges toward what is missing; recovery.md, "Readiness").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    /// A verified address: an emailed code can prove who they are.
    pub email_verified: bool,
    /// Unused recovery codes saved: the instant path.
    pub recovery_codes: bool,
    /// More than one second factor: losing one is no emergency.
    pub spare_factor: bool,
}

impl Readiness {
    /// The readiness of `user` holding `factors` second factors and
    /// `unused_codes` unused recovery codes.
    pub fn of(user: &User, factors: usize, unused_codes: i64) -> Readiness {
        Readiness {
            email_verified: user.email_verified,
            recovery_codes: unused_codes > 0,
            spare_factor: factors > 1,
        }
    }

    /// Ready for losing a factor: a verified address to prove who they are
    /// with, and recovery codes or a second factor to spare.
    pub fn ready(&self) -> bool {
        self.email_verified && (self.recovery_codes || self.spare_factor)
    }

    /// What stands between the person and [`Readiness::ready`]: nothing
    /// when they are ready; else the verified address if it is missing,
    /// and both recovery codes and a spare factor when they have neither
    /// (either one would do).
    pub fn missing(&self) -> Vec<Missing> {
        let mut missing = vec![];
        if !self.email_verified {
            missing.push(Missing::VerifiedAddress);
        }
        if !self.recovery_codes && !self.spare_factor {
            missing.push(Missing::RecoveryCodes);
            missing.push(Missing::SpareFactor);
        }
        missing
    }

    /// Every combination of the three, for tests that hold another
    /// statement of the rule (the store's SQL) to this one.
    pub fn every() -> impl Iterator<Item = Readiness> {
        (0..8u8).map(|bits| Readiness {
            email_verified: bits & 1 != 0,
            recovery_codes: bits & 2 != 0,
            spare_factor: bits & 4 != 0,
        })
    }
}

pub async fn readiness<S: TotpStore + PasskeyStore + RecoveryCodeStore>(
    store: &S,
    user: &User,
) -> Result<Readiness, Error> {
    let factors = usize::from(store.totp_for_user(&user.id).await?.is_some())
        + store.passkeys_for_user(&user.id).await?.len();
    let codes = store.unused_recovery_codes(&user.id).await?;
    Ok(Readiness::of(user, factors, codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_is_a_verified_address_and_codes_or_a_spare_factor() {
        let ready: Vec<_> = Readiness::every().filter(Readiness::ready).collect();
        assert_eq!(ready.len(), 3, "{ready:?}");
        assert!(ready.iter().all(|r| r.email_verified));
        assert!(ready.iter().all(|r| r.recovery_codes || r.spare_factor));
        assert_eq!(Readiness::every().count(), 8);
    }

    #[test]
    fn what_is_missing_is_empty_exactly_when_ready() {
        for r in Readiness::every() {
            let missing = r.missing();
            assert_eq!(missing.is_empty(), r.ready(), "{r:?}");
            assert_eq!(
                missing.contains(&Missing::VerifiedAddress),
                !r.email_verified,
                "{r:?}"
            );
            // codes or a spare factor: either would do, so both are named
            // only together
            assert_eq!(
                missing.contains(&Missing::RecoveryCodes),
                missing.contains(&Missing::SpareFactor),
                "{r:?}"
            );
        }
    }
}
