//! What a person holds that a change to their account can end: signed-in
//! browsers, devices remembered as theirs, second factors. Which of these a
//! change removes is the change's rule, written beside it in core as a
//! list of [`Held`] (a password change, a mailed password reset, a
//! recovery's or a helpdesk's factor reset, disabling the account); the
//! store removes exactly what the list names, in the change's transaction.

/// A kind of record a person holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Held {
    /// Signed-in browsers (complete or half-way through signing in).
    Sessions,
    /// Browsers remembered as the person's (they skip a recovery's wait and
    /// the smart lockout).
    KnownDevices,
    /// The authenticator app (TOTP).
    AuthenticatorApp,
    Passkeys,
    RecoveryCodes,
    /// Passkey ceremonies begun and not finished.
    PasskeyCeremonies,
    /// Unused "forgot password" links mailed to the person: whoever read
    /// the mailbox before may be who the change is about.
    ResetLinks,
}

impl Held {
    /// Everything a person holds.
    pub const ALL: [Held; 7] = [
        Held::Sessions,
        Held::KnownDevices,
        Held::AuthenticatorApp,
        Held::Passkeys,
        Held::RecoveryCodes,
        Held::PasskeyCeremonies,
        Held::ResetLinks,
    ];
}
