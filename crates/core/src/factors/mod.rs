//! Second factors: authenticator apps ([`totp`], RFC 6238, secrets sealed at
//! rest, each step used once), printed [`recovery_codes`] (hashed, single
//! use), passkeys and security keys ([`passkey`], WebAuthn: as the second
//! step, alone where the tenant allows, for re-authentication; clones
//! detected by the stored counter). [`directory`]: the administrators' list
//! of people and a person's page (what they hold, readiness, last sign-in).
//! [`enrolment`]: what the tenant's policy
//! asks of a user who has not set up a factor yet, and the rule that the
//! last factor of a required tenant cannot go. [`removal`]: what removing
//! a factor takes with it, said before the person confirms. [`readiness`]:
//! the share of a tenant's people who are ready for losing a factor, and
//! reminders by mail to those who are not.

pub mod directory;
pub mod enrolment;
pub mod passkey;
pub mod readiness;
pub mod recovery_codes;
pub mod removal;
pub mod store;
pub mod totp;
