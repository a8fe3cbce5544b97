//! Second factors: authenticator apps, recovery codes, passkeys; how
//! ready people are for losing one, and reminders.

mod passkeys;
mod readiness;
mod totp_and_codes;
