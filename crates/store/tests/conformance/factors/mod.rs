//! Second factors: authenticator apps, recovery codes, passkeys.

mod passkeys;
mod totp_and_codes;
