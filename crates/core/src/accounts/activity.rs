//! "Recent security events" on the account page: the changes to how an
//! account is protected, and the recoveries asked for it, as the person
//! reads them — what, when, from which browser and roughly where, and
//! whether an administrator did it. Read from the audit log; sign-ins are
//! left to "Where you are signed in", failed attempts to the mails that
//! tell of guessing.

use crate::Error;
use crate::accounts::user::User;
use crate::effects::audit::{Actor, AuditEvent, AuditKind};
use crate::platform::client::{Device, coarse_address, device};
use crate::platform::clock::UnixTime;
use crate::store::AuditStore;

/// How many events the page shows.
pub const SHOWN: usize = 10;

/// How many of the newest audit rows are read to find them.
const READ: u32 = 200;

/// The kinds a person is shown about their own account.
pub fn shown(kind: AuditKind) -> bool {
    use AuditKind::*;
    matches!(
        kind,
        PasswordChanged
            | PasswordResetCompleted
            | PasswordResetSent
            | EmailChangeRequested
            | EmailChanged
            | TotpAdded
            | TotpRemoved
            | RecoveryCodesRegenerated
            | PasskeyAdded
            | PasskeyRemoved
            | PasskeyCloneSuspected
            | FactorsReset
            | SignoutEverywhereElse
            | UserSignedOut
            | UserRoleChanged
            | RecoveryCaseStarted
            | RecoveryCaseWaiting
            | RecoveryCaseCompleted
            | RecoveryCaseCancelled
            | RecoveryCaseLocked
            | RecoveryRefusedAdmin
            | ApplicationAccessRemoved
    )
}

/// One event as the account page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub kind: AuditKind,
    pub at: UnixTime,
    /// The browser and system of the request, when the person's own (or an
    /// anonymous one's, as a recovery start is) request did it.
    pub device: Option<Device>,
    /// Its address with the last part hidden.
    pub address: Option<String>,
    /// An administrator (or the operator) did it, not a browser.
    pub by_admin: bool,
}

impl Activity {
    fn of(event: &AuditEvent) -> Option<Activity> {
        let kind = AuditKind::parse(&event.event).ok().filter(|k| shown(*k))?;
        let by_admin = matches!(
            event.actor,
            Actor::Admin(_) | Actor::Operator | Actor::OperatorCli | Actor::OperatorAccount(_)
        );
        Some(Activity {
            kind,
            at: event.at,
            device: event
                .user_agent
                .as_deref()
                .filter(|_| !by_admin)
                .map(device)
                .filter(|d| d.browser.is_some() || d.system.is_some()),
            address: event
                .ip
                .as_deref()
                .filter(|_| !by_admin)
                .and_then(coarse_address),
            by_admin,
        })
    }
}

/// The newest [`SHOWN`] events about `user`'s protection, newest first.
pub async fn recent<S: AuditStore>(store: &S, user: &User) -> Result<Vec<Activity>, Error> {
    Ok(store
        .user_audit(&user.tenant_id, &user.id, READ)
        .await?
        .iter()
        .filter_map(Activity::of)
        .take(SHOWN)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::ids::UserId;

    fn event(kind: &str, actor: Actor, at: i64) -> AuditEvent {
        AuditEvent {
            id: format!("e{at}"),
            tenant_id: Some("t1".into()),
            user_id: Some("u1".into()),
            actor,
            event: kind.into(),
            ip: Some("198.51.100.23".into()),
            user_agent: Some(
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0".into(),
            ),
            detail: "{}".into(),
            at: UnixTime(at),
        }
    }

    #[test]
    fn changes_and_recoveries_are_shown_sign_ins_are_not() {
        let me = Actor::User(UserId::from("u1"));
        let added = Activity::of(&event("factor.totp.added", me.clone(), 10)).unwrap();
        assert_eq!(added.kind, AuditKind::TotpAdded);
        let d = added.device.unwrap();
        assert_eq!((d.browser, d.system), (Some("Firefox"), Some("Linux")));
        assert_eq!(added.address.as_deref(), Some("198.51.100.x"));
        assert!(!added.by_admin);
        for quiet in [
            "signin.succeeded",
            "signin.failed.password",
            "reauth.succeeded",
            "email.verification_sent",
            "recovery.decoy.started",
            "no.such.kind",
        ] {
            assert!(
                Activity::of(&event(quiet, me.clone(), 1)).is_none(),
                "{quiet}"
            );
        }
        // an administrator's reset: said so, and no browser or address of theirs
        let reset = Activity::of(&event("factors.reset", Actor::Admin("a1".into()), 20)).unwrap();
        assert!(reset.by_admin && reset.device.is_none() && reset.address.is_none());
        // a recovery someone started: their browser, roughly where
        let started = Activity::of(&event("recovery.case.started", Actor::Anonymous, 30)).unwrap();
        assert!(!started.by_admin && started.address.is_some());
    }
}
