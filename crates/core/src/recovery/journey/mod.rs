//! The recovery journey over the store: start a case, give proofs, wait,
//! complete — or cancel. The rules themselves are in [`crate::recovery::case`].
//!
//! A case belongs to the browser that started it: a random case cookie,
//! stored as a hash, is needed for every step. A case id in a URL grants
//! nothing. A browser that holds an open case is taken back to it,
//! whichever way it comes in; starting again never destroys it.
//!
//! **Decoys.** For a name that is no account that may recover (unknown,
//! disabled, an excluded administrator) a case is stored all the same,
//! without a user: the same pages, the same writes, the same counting of
//! wrong proofs (atomic, so that parallel ones are never lost), the same
//! expiry — every step below runs one code path for both, and no proof ever
//! counts on a decoy. What differs is only what the mailbox of the account
//! sees (the code, the notices), which whoever lacks that mailbox cannot.

use crate::Error;
use crate::accounts::notice::security_notice;
use crate::accounts::password::{Password, PasswordWorker};
use crate::accounts::session::{AuthMethod, Session, SessionPolicy};
use crate::accounts::user::{LoginKey, User, new_security_stamp};
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::effects::mail::{Link, MailMessage, OutboxMail, Page, SecurityEvent};
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{CaseId, UserId};
use crate::platform::random::{Random, new_id};
use crate::platform::secret::{SecretToken, ct_eq};
use crate::platform::validate::Said;
use crate::recovery::case::{
    AccountFacts, CancelReason, CaseFacts, CaseState, Event, FactorReset, Proof, RecoveryCase,
    RecoveryPolicy, Refusal, RemovedBy, proof_counts,
};
use crate::store::{
    DeviceStore, Effects, RateLimitStore, RecoveryCodeStore, RecoveryStore, SessionStore,
    TenantStore, UserStore,
};
use crate::tenants::Tenant;

mod cancel;
mod complete;
mod helpdesk;
mod housekeeping;
mod limits;
mod proofs;
mod resend;
mod start;
mod transition;

pub use cancel::*;
pub use complete::*;
pub use helpdesk::*;
pub use housekeeping::*;
pub use limits::*;
pub use proofs::*;
pub use resend::*;
pub use start::*;
use transition::*;

#[cfg(test)]
mod tests;
