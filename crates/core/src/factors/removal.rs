//! What removing a second factor takes with it, said before the person
//! confirms (issue 14, "Dangerous actions and confirmations").
//!
//! The removal itself is [`crate::factors::totp::remove`] or
//! [`crate::factors::passkey::remove`]; this module only reads what they
//! would do, with the same rules: the last factor of a tenant that requires
//! one stays, and the last factor takes the recovery codes with it (the
//! store's `after_removal`: codes without a factor would be a second
//! password, not a spare second factor).

use crate::Error;
use crate::accounts::session::Session;
use crate::accounts::user::User;
use crate::factors::totp::require_recent_auth;
use crate::platform::clock::UnixTime;
use crate::platform::ids::PasskeyId;
use crate::store::{PasskeyStore, RecoveryCodeStore, TotpStore};
use crate::tenants::{SecondFactorPolicy, Tenant};

/// The factor a person is about to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removing {
    AuthenticatorApp,
    Passkey(PasskeyId),
}

/// What goes, and what stays, if the person confirms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalPreview {
    /// The passkey's name; `None` for the authenticator app.
    pub passkey_name: Option<String>,
    /// Second factors (app and passkeys) left afterwards.
    pub factors_left: usize,
    /// Unused recovery codes that go with it: all of them when it is the
    /// last factor, none otherwise.
    pub codes_removed: i64,
    /// The person's other sessions end (and the applications' tokens they
    /// opened), as after every change of factors (decision 0020).
    pub ends_other_sessions: bool,
    /// It is the last factor and the tenant requires one: removing it is
    /// refused; the page says to add another first.
    pub refused: bool,
}

impl RemovalPreview {
    /// The rule, given what the person holds: `factors` second factors
    /// (this one included) and `unused_codes` recovery codes.
    pub fn of(
        policy: SecondFactorPolicy,
        passkey_name: Option<String>,
        factors: usize,
        unused_codes: i64,
    ) -> RemovalPreview {
        let factors_left = factors.saturating_sub(1);
        let last = factors_left == 0;
        let refused = last && policy == SecondFactorPolicy::Required;
        RemovalPreview {
            passkey_name,
            factors_left,
            codes_removed: if last && !refused { unused_codes } else { 0 },
            ends_other_sessions: true,
            refused,
        }
    }
}

/// What removing `removing` would do for `user`. Asks for a recent sign-in
/// first ([`Error::ReauthRequired`]), as the removal does, so the person
/// confirms once and is not sent to the password prompt afterwards. A
/// passkey or an app the person does not hold is not found.
pub async fn preview<S: TotpStore + PasskeyStore + RecoveryCodeStore>(
    store: &S,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    removing: &Removing,
    now: UnixTime,
) -> Result<RemovalPreview, Error> {
    require_recent_auth(session, now)?;
    read(store, tenant, user, removing).await
}

/// Whether removing `removing` now takes the recovery codes with it: the
/// removal's notice says so ([`crate::effects::mail::SecurityEvent`]'s
/// `…WithCodes`). Read just before the removal's own transaction, which
/// applies the same rule (a factor added in between keeps the codes, and
/// the notice says one thing too many — never one too few: codes never go
/// unannounced).
pub async fn takes_codes<S: TotpStore + PasskeyStore + RecoveryCodeStore>(
    store: &S,
    tenant: &Tenant,
    user: &User,
    removing: &Removing,
) -> Result<bool, Error> {
    match read(store, tenant, user, removing).await {
        Ok(preview) => Ok(preview.codes_removed > 0),
        // not found: the removal says so itself
        Err(Error::NotFound(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

async fn read<S: TotpStore + PasskeyStore + RecoveryCodeStore>(
    store: &S,
    tenant: &Tenant,
    user: &User,
    removing: &Removing,
) -> Result<RemovalPreview, Error> {
    let app = store.totp_for_user(&user.id).await?.is_some();
    let passkeys = store.passkeys_for_user(&user.id).await?;
    let passkey_name = match removing {
        Removing::AuthenticatorApp if !app => return Err(Error::NotFound("authenticator app")),
        Removing::AuthenticatorApp => None,
        Removing::Passkey(id) => Some(
            passkeys
                .iter()
                .find(|p| p.id == *id)
                .ok_or(Error::NotFound("passkey"))?
                .name
                .clone(),
        ),
    };
    let codes = store.unused_recovery_codes(&user.id).await?;
    Ok(RemovalPreview::of(
        tenant.second_factor,
        passkey_name,
        usize::from(app) + passkeys.len(),
        codes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(policy: SecondFactorPolicy, factors: usize, codes: i64) -> RemovalPreview {
        RemovalPreview::of(policy, None, factors, codes)
    }

    #[test]
    fn the_last_factor_takes_the_codes_unless_it_must_stay() {
        let optional = app(SecondFactorPolicy::Optional, 1, 7);
        assert_eq!(
            (
                optional.factors_left,
                optional.codes_removed,
                optional.refused
            ),
            (0, 7, false)
        );
        let required = app(SecondFactorPolicy::Required, 1, 7);
        assert_eq!((required.codes_removed, required.refused), (0, true));
        // a spare factor keeps the codes, whatever the policy
        for policy in [SecondFactorPolicy::Optional, SecondFactorPolicy::Required] {
            let spare = app(policy, 2, 7);
            assert_eq!(
                (spare.factors_left, spare.codes_removed, spare.refused),
                (1, 0, false)
            );
        }
    }

    #[test]
    fn every_removal_names_itself_and_ends_other_sessions() {
        let p = RemovalPreview::of(SecondFactorPolicy::Optional, Some("Laptop".into()), 3, 0);
        assert_eq!(p.passkey_name.as_deref(), Some("Laptop"));
        assert!(p.ends_other_sessions);
        assert!(app(SecondFactorPolicy::Optional, 3, 0).ends_other_sessions);
    }
}
