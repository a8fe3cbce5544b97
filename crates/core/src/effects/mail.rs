//! Mail that latchkey sends: what each message says (its parameters), in
//! which language, to whom. The text itself is rendered by the mail crate
//! when the message is sent, from the parameters stored in the outbox.

use crate::platform::clock::UnixTime;
use crate::platform::ids::{MailId, TenantId, UserId};
use crate::platform::lang::Language;

/// One message and its parameters. Stored in the outbox as JSON; the tag is
/// the template name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MailMessage {
    /// A link that proves the recipient can read mail at this address.
    VerifyEmail {
        tenant_name: String,
        display_name: String,
        link: Link,
        expires_hours: i64,
    },
    /// The one-time code that proves the recipient reads this address, for
    /// an account recovery.
    RecoveryCode {
        tenant_name: String,
        display_name: String,
        code: String,
        expires_minutes: i64,
    },
    /// A recovery is proven and completes after the waiting period unless
    /// the owner cancels it.
    RecoveryWaiting {
        tenant_name: String,
        display_name: String,
        /// When it may complete (Unix seconds).
        ready_at: i64,
        /// The organisation's time zone (IANA name) the time is shown in;
        /// none: UTC (also for messages written before it was added).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        cancel_link: Link,
    },
    /// A waiting period is over: the recovery can be finished, in the
    /// browser that started it.
    RecoveryReady {
        tenant_name: String,
        display_name: String,
        link: Link,
    },
    /// A link to set a new password.
    PasswordReset {
        tenant_name: String,
        display_name: String,
        link: Link,
        expires_minutes: i64,
    },
    /// A complete sign-in from a browser that is not one of the person's
    /// known devices: what, when, which browser, from roughly where.
    NewSignIn {
        tenant_name: String,
        display_name: String,
        /// When it happened (Unix seconds).
        at: i64,
        /// The organisation's time zone (IANA name) the time is shown in;
        /// none: UTC (also for messages written before it was added).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        /// The browser and system its `User-Agent` names, if known.
        browser: Option<String>,
        system: Option<String>,
        /// The address with its last part hidden.
        address: Option<String>,
    },
    /// The operator invites the recipient to become the first
    /// administrator of an organisation.
    AdminInvitation {
        tenant_name: String,
        link: Link,
        expires_days: i64,
    },
    /// An administrator made the recipient an account and invites them
    /// to choose its password.
    PersonInvitation {
        tenant_name: String,
        display_name: String,
        username: String,
        link: Link,
        expires_days: i64,
    },
    /// The operator approved or declined the administrator's request to
    /// activate self-recovery.
    ActivationDecided {
        tenant_name: String,
        display_name: String,
        approved: bool,
        /// The operator's reason (required to decline).
        reason: Option<String>,
        /// The administration console.
        link: Link,
    },
    /// An administrator reminds the recipient to prepare for losing a
    /// second factor: what they lack (`factors::enrolment::Readiness`),
    /// and their account page, where they add it.
    ReadinessReminder {
        tenant_name: String,
        display_name: String,
        missing: Vec<Missing>,
        link: Link,
    },
    /// A second factor or the password changed.
    SecurityNotice {
        tenant_name: String,
        display_name: String,
        event: SecurityEvent,
        /// When it happened (Unix seconds).
        at: i64,
        /// The organisation's time zone (IANA name) the time is shown in;
        /// none: UTC (also for messages written before it was added).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        /// The tenant's helpdesk address, for the events whose advice is
        /// "contact your helpdesk" (messages written before it was added
        /// have none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        helpdesk_url: Option<String>,
        /// Where the request that did it came from, when a person's request
        /// did (not an administrator's or latchkey's own): the browser and
        /// system its `User-Agent` names, and its address made coarse.
        #[serde(default, skip_serializing_if = "Origin::is_unknown")]
        origin: Origin,
    },
}

/// Where a request came from, as a notice tells it: the browser and system
/// its `User-Agent` names ([`crate::platform::client::device`]) and its
/// address with the last part hidden
/// ([`crate::platform::client::coarse_address`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Origin {
    pub fn is_unknown(&self) -> bool {
        self.browser.is_none() && self.system.is_none() && self.address.is_none()
    }
}

/// Where a mail's button leads. Core names the page and what it carries;
/// the web layer owns the paths, and the mail crate joins them with the
/// public address when it renders the message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Link {
    Page(Page),
    /// An absolute address, as messages written before pages were named
    /// held it (still waiting in an outbox after an upgrade).
    Url(String),
}

/// A page of a tenant (`tenant`: its slug) that a mail links to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "page", rename_all = "snake_case")]
pub enum Page {
    /// Confirms the address with the mailed token.
    VerifyEmail { tenant: String, token: String },
    /// Sets a new password with the mailed token.
    ResetPassword { tenant: String, token: String },
    /// The open recovery case of the browser that started it.
    RecoveryCase { tenant: String },
    /// Cancels a recovery with the mailed token.
    CancelRecovery { tenant: String, token: String },
    /// Accepts an invitation to become the tenant's administrator.
    AcceptInvitation { tenant: String, token: String },
    /// Confirms a change of address with the token mailed to the new one.
    ConfirmEmailChange { tenant: String, token: String },
    /// The tenant's administration console.
    Admin { tenant: String },
    /// The person's account page.
    Account { tenant: String },
}

impl Link {
    /// The absolute address: `path` gives a page's path (with its query),
    /// `public_url` the server's public address.
    pub fn url(&self, public_url: &str, path: impl Fn(&Page) -> String) -> String {
        match self {
            Link::Page(page) => format!("{}{}", public_url.trim_end_matches('/'), path(page)),
            Link::Url(url) => url.clone(),
        }
    }
}

/// A change to how an account is protected, told to its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityEvent {
    TotpAdded,
    TotpRemoved,
    /// The authenticator app was the last second factor: the recovery
    /// codes went with it.
    TotpRemovedWithCodes,
    PasskeyAdded,
    PasskeyRemoved,
    /// The passkey was the last second factor: the recovery codes went
    /// with it.
    PasskeyRemovedWithCodes,
    /// A passkey answered with a signature counter it had used before: a
    /// sign that it was copied. It signs in no more until removed.
    PasskeyCloneSuspected,
    /// A self-recovery in progress was cancelled.
    RecoveryCancelled,
    /// A self-recovery completed: every old second factor is gone.
    RecoveryCompleted,
    /// A self-recovery locked after too many wrong codes.
    RecoveryLocked,
    /// A helpdesk reset removed every second factor.
    FactorsReset,
    /// A recovery was asked for an administrator, who must use the helpdesk.
    RecoveryNotForAdmins,
    RecoveryCodesRegenerated,
    PasswordChanged,
    /// Many wrong second-factor codes after a correct password.
    SecondFactorGuessing,
    /// A new address was named; it changes once a link mailed there is
    /// followed (told to the old address).
    EmailChangeRequested,
    /// The address changed (told to the old address).
    EmailChanged,
}

impl SecurityEvent {
    /// Every event, for tests that render each.
    pub const ALL: [SecurityEvent; 17] = {
        use SecurityEvent::*;
        [
            TotpAdded,
            TotpRemoved,
            TotpRemovedWithCodes,
            PasskeyAdded,
            PasskeyRemoved,
            PasskeyRemovedWithCodes,
            PasskeyCloneSuspected,
            RecoveryCancelled,
            RecoveryCompleted,
            RecoveryLocked,
            FactorsReset,
            RecoveryNotForAdmins,
            RecoveryCodesRegenerated,
            PasswordChanged,
            SecondFactorGuessing,
            EmailChangeRequested,
            EmailChanged,
        ]
    };
}

impl MailMessage {
    pub fn kind(&self) -> &'static str {
        match self {
            MailMessage::VerifyEmail { .. } => "verify_email",
            MailMessage::RecoveryCode { .. } => "recovery_code",
            MailMessage::RecoveryWaiting { .. } => "recovery_waiting",
            MailMessage::PasswordReset { .. } => "password_reset",
            MailMessage::RecoveryReady { .. } => "recovery_ready",
            MailMessage::SecurityNotice { .. } => "security_notice",
            MailMessage::NewSignIn { .. } => "new_sign_in",
            MailMessage::AdminInvitation { .. } => "admin_invitation",
            MailMessage::PersonInvitation { .. } => "person_invitation",
            MailMessage::ActivationDecided { .. } => "activation_decided",
            MailMessage::ReadinessReminder { .. } => "readiness_reminder",
        }
    }
}

/// A part of a person's readiness for losing a factor that they lack
/// (`factors::enrolment::Readiness::missing`), as the unready list and the
/// reminder mail name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// No verified email address.
    VerifiedAddress,
    /// No unused recovery codes.
    RecoveryCodes,
    /// No second factor beyond the first.
    SpareFactor,
}

impl Missing {
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::VerifiedAddress => "verified_address",
            Missing::RecoveryCodes => "recovery_codes",
            Missing::SpareFactor => "spare_factor",
        }
    }
}

/// A message waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: MailId,
    pub tenant_id: Option<TenantId>,
    pub recipient: String,
    pub language: Language,
    pub message: MailMessage,
    pub created_at: UnixTime,
}

/// A message a sender has claimed for one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    pub mail: OutboxMail,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// What one delivery attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// A temporary failure (server down, 4xx); try again at `retry_at`.
    Retry {
        error: String,
        retry_at: UnixTime,
    },
    /// A permanent failure (5xx, or too many attempts); never tried again.
    Failed {
        error: String,
    },
}

/// Attempts after which a message is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// Backoff after `attempts` failed attempts: 30 s doubling, at most an hour
/// (12 attempts span about six hours).
pub fn retry_delay_secs(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 8) - 1;
    (30_i64 << exp).min(3600)
}

/// The outcome of a failed attempt, given whether the error is permanent.
pub fn after_failure(
    attempts_before: i64,
    error: String,
    permanent: bool,
    now: UnixTime,
) -> Delivery {
    let attempts = attempts_before + 1;
    if permanent || attempts >= MAX_ATTEMPTS {
        Delivery::Failed { error }
    } else {
        Delivery::Retry {
            error,
            retry_at: now.plus(retry_delay_secs(attempts)),
        }
    }
}

/// The record of a verification link mailed with a change: written in its
/// transaction (see [`crate::store::Effects`]), used once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailVerification {
    pub id: String,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    /// The address (its key) the link was sent to.
    pub email_key: String,
    pub token_hash: String,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    pub used_at: Option<UnixTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let delays: Vec<_> = (1..=9).map(retry_delay_secs).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(
            after_failure(0, "down".into(), false, UnixTime(100)),
            Delivery::Retry {
                error: "down".into(),
                retry_at: UnixTime(130)
            }
        );
        assert!(matches!(
            after_failure(0, "no".into(), true, UnixTime(0)),
            Delivery::Failed { .. }
        ));
        assert!(matches!(
            after_failure(MAX_ATTEMPTS - 1, "x".into(), false, UnixTime(0)),
            Delivery::Failed { .. }
        ));
    }

    #[test]
    fn messages_roundtrip_as_tagged_json() {
        let m = MailMessage::VerifyEmail {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            link: Link::Page(Page::VerifyEmail {
                tenant: "acme".into(),
                token: "x".into(),
            }),
            expires_hours: 24,
        };
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.starts_with("{\"kind\":\"verify_email\""), "{json}");
        assert_eq!(serde_json::from_str::<MailMessage>(&json).unwrap(), m);
        assert_eq!(Language::parse("de").unwrap(), Language::De);
    }
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn links_are_stored_as_named_pages_and_old_addresses_still_read() {
        let typed = MailMessage::RecoveryReady {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            link: Link::Page(Page::RecoveryCase {
                tenant: "acme".into(),
            }),
        };
        let json = serde_json::to_value(&typed).unwrap();
        assert_eq!(json["link"]["page"], "recovery_case");
        assert_eq!(serde_json::from_value::<MailMessage>(json).unwrap(), typed);
        let old = serde_json::json!({
            "kind": "recovery_ready",
            "tenant_name": "Acme",
            "display_name": "Alice",
            "link": "https://id.example/t/acme/recover/case",
        });
        let MailMessage::RecoveryReady { link, .. } = serde_json::from_value(old).unwrap() else {
            panic!("kind")
        };
        assert_eq!(
            link.url("https://elsewhere", |_| unreachable!()),
            "https://id.example/t/acme/recover/case"
        );
        let page = Link::Page(Page::CancelRecovery {
            tenant: "acme".into(),
            token: "t".into(),
        });
        assert_eq!(
            page.url("https://id.example/", |_| "/p?token=t".into()),
            "https://id.example/p?token=t"
        );
    }
}
