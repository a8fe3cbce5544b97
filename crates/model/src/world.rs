//! One tenant, one account, two browsers (the owner's and an attacker's),
//! the mailbox, the clock and the store: the state the checker explores.
//! What each request does to it is in `journey.rs`, the clock and the
//! canonical form of a state in `canonical.rs`.

use std::collections::BTreeSet;

use latchkey_core::accounts::held::Held;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::time::{DAY, MINUTE};
use latchkey_core::recovery::case::{CancelReason, CaseFacts, RecoveryPolicy, Refusal};
use latchkey_core::recovery::journey::View;

use crate::rules::Rules;

/// Adds `item` to a sorted vector without repeats.
pub(crate) fn insert<T: Ord>(set: &mut Vec<T>, item: T) {
    if let Err(at) = set.binary_search(&item) {
        set.insert(at, item);
    }
}

/// When the model starts.
pub const T0: UnixTime = UnixTime(1_000 * DAY);

/// Cases the store holds at most (real and decoy, open and closed): a
/// bound of the model, not of the product.
pub const MAX_CASES: usize = 3;

/// Completions in flight at once (two nodes, two tabs, a double click).
pub const MAX_IN_FLIGHT: usize = 2;

/// How long before a deadline [`crate::Action::Almost`] stops the clock.
pub const ALMOST_SECS: i64 = MINUTE;

/// Who acts in a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Who {
    Owner,
    Attacker,
}

impl Who {
    /// Its browser's index.
    pub fn at(self) -> usize {
        match self {
            Who::Owner => 0,
            Who::Attacker => 1,
        }
    }
}

/// Where a recovery starts (`journey::Origin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Door {
    /// "Can't sign in?" with a name.
    Login,
    /// "I lost my second factor" after the password was checked.
    SecondStep,
}

/// What an attacker holds of the owner's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Secrets {
    /// The mailbox: every code, cancel link and reset link mailed to the
    /// owner.
    pub mailbox: bool,
    /// The owner's password (as it was when the model starts).
    pub password: bool,
    /// One unused recovery code of the owner's.
    pub recovery_code: bool,
    /// A copy of the owner's device cookie (a known device while the owner
    /// has not signed in again and it is younger than the tenant's limit).
    pub device: bool,
}

impl Secrets {
    pub const NONE: Secrets = Secrets {
        mailbox: false,
        password: false,
        recovery_code: false,
        device: false,
    };

    /// Independent secrets: the mailbox, the password, a recovery code (a
    /// device cookie proves nothing; a password set from the mailbox is the
    /// mailbox again).
    pub fn independent(self) -> usize {
        usize::from(self.mailbox) + usize::from(self.password) + usize::from(self.recovery_code)
    }

    /// Every combination of at most two of the four.
    pub fn at_most_two() -> Vec<Secrets> {
        (0u8..16)
            .filter(|bits| bits.count_ones() <= 2)
            .map(|bits| Secrets {
                mailbox: bits & 1 != 0,
                password: bits & 2 != 0,
                recovery_code: bits & 4 != 0,
                device: bits & 8 != 0,
            })
            .collect()
    }
}

impl std::fmt::Display for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = [
            (self.mailbox, "mailbox"),
            (self.password, "password"),
            (self.recovery_code, "recovery code"),
            (self.device, "device cookie"),
        ]
        .into_iter()
        .filter_map(|(held, name)| held.then_some(name))
        .collect();
        if names.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&names.join(" + "))
        }
    }
}

/// A kind of thing a person holds that a change can end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A signed-in browser.
    Session(Who),
    /// A browser remembered as the person's since `since`.
    KnownDevice {
        id: u8,
        since: UnixTime,
    },
    AuthenticatorApp,
    Passkey,
    RecoveryCodes,
    PasskeyCeremony,
    /// An unused "forgot password" link in the mailbox.
    ResetLink {
        expires: UnixTime,
    },
}

impl Kind {
    /// Whether a change that ends `held` removes this — an exhaustive
    /// match on core's list, so that a new kind there must be modelled here.
    pub fn ended_by(&self, held: Held) -> bool {
        match held {
            Held::Sessions => matches!(self, Kind::Session(_)),
            Held::KnownDevices => matches!(self, Kind::KnownDevice { .. }),
            Held::AuthenticatorApp => matches!(self, Kind::AuthenticatorApp),
            Held::Passkeys => matches!(self, Kind::Passkey),
            Held::RecoveryCodes => matches!(self, Kind::RecoveryCodes),
            Held::PasskeyCeremonies => matches!(self, Kind::PasskeyCeremony),
            Held::ResetLinks => matches!(self, Kind::ResetLink { .. }),
        }
    }
}

/// Something a person holds, with the factor reset it was issued after
/// (0: before any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Holding {
    pub kind: Kind,
    pub epoch: u8,
}

/// The account behind the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Account {
    /// Who knows the current password (owner, attacker).
    pub knows_password: [bool; 2],
    /// Set by a mailed reset, cleared by a sign-in with a second factor.
    pub password_reset_at: Option<UnixTime>,
    /// Factor resets so far (completions and the helpdesk's).
    pub epoch: u8,
    /// Sorted, without repeats (a small set: cheaper to clone and hash as
    /// a vector than as a tree).
    pub holdings: Vec<Holding>,
    /// An application's live refresh tokens: (whose, epoch). A refresh
    /// token lives while the security stamp it was issued under is the
    /// account's (`oidc::tokens`), so a new stamp ends them all.
    pub refresh: Vec<(Who, u8)>,
    /// The recovery code the attacker may hold is used.
    pub code_spent: bool,
    /// The owner lost every second factor (phone, security key).
    pub factors_lost: bool,
}

/// A browser: its case cookie and device cookie.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Browser {
    pub case: Option<u8>,
    pub device: Option<u8>,
}

/// A stored case (`RecoveryCase`) and what the model remembers about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Case {
    pub facts: CaseFacts,
    pub version: u8,
    /// `false`: a decoy (no user).
    pub account: bool,
    /// The browser whose cookie names it.
    pub browser: Who,
    /// The mailed code counts until then (`None`: none was mailed).
    pub code_until: Option<UnixTime>,
    /// A cancel link for it is in the mailbox.
    pub cancel_link: bool,
    /// Ghost: when the mailbox was first told of the wait this case stands
    /// on (its own waiting mail, or the one of the case it took over).
    pub told_at: Option<UnixTime>,
    /// Ghost: when the mailbox was told it took another case over.
    pub takeover_told_at: Option<UnixTime>,
    /// Ghost: a cancel of it was committed.
    pub cancelled: bool,
    /// Ghost: completions committed.
    pub completions: u8,
}

/// A completion read by one node and not yet written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Completing {
    pub who: Who,
    pub case: u8,
    pub version: u8,
    pub facts: CaseFacts,
}

/// A wrong proof read by one node and not yet counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Guessing {
    pub case: u8,
    pub version: u8,
    pub facts: CaseFacts,
}

/// What the model saw happen: the properties read these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Ghost {
    /// The attacker's browser completed a recovery.
    pub attacker_completed: bool,
    /// The owner's browser completed one.
    pub owner_completed: bool,
    /// A completion on the standard path from an unknown device came before
    /// the wait the mailbox was told of (or before the takeover's notice).
    pub early: bool,
    /// A case completed twice, or while another proven case of the person
    /// was open.
    pub twice: bool,
    /// A case completed after a cancel of it was committed.
    pub after_cancel: bool,
    /// A case took another over.
    pub took_over: bool,
    /// A completion came on the standard path from an unknown device.
    pub waited: bool,
    /// A completion in flight lost to a cancel written before it.
    pub cancel_won: bool,
}

/// What the browser is answered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Answer {
    /// Nothing said to the attacker (another actor's step, time).
    Nothing,
    /// Self-recovery is off: the helpdesk text.
    HelpdeskPath,
    New,
    Resumed,
    /// The page, as `journey::View::of` shows it.
    Page(View),
    /// A wrong proof (`Error::WrongProof`) with the tries left.
    WrongProof(u32),
    /// A refusal of the state machine (`Refusal`), as `refusal_error`
    /// says it.
    Refused(&'static str),
    /// 409: the case changed meanwhile.
    Conflict,
    /// The browser holds no case.
    NoCase,
    /// A request is being worked on (its answer comes with its second half).
    Working,
    /// The completion was written: a new session.
    Completed,
    /// Another request finished or ended the case first.
    FinishedMeanwhile,
    Done,
}

pub(crate) fn refused(refusal: Refusal) -> Answer {
    Answer::Refused(match refusal {
        Refusal::Closed => "this recovery has ended",
        Refusal::NotProven => "more proof is needed first",
        Refusal::Waiting => "the waiting period is not over",
        Refusal::PasswordRecentlyReset => "the password was reset by email recently",
        Refusal::AddressRecentlyChanged => "the email address changed recently",
    })
}

/// The model's fixed inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ctx {
    pub policy: RecoveryPolicy,
    pub rules: Rules,
    /// Whether the clock also stops just before a deadline
    /// ([`ALMOST_SECS`]), besides at it.
    pub almost: bool,
}

/// The policy the model runs: the product's default (24 h wait, 90-day
/// known devices, an hour to prove, 48 h to finish, an hour's takeover
/// notice), with the lock after 2 wrong proofs instead of 5 so that it is
/// reached within the depth (the rule — the count locks — is the same).
pub fn model_policy() -> RecoveryPolicy {
    RecoveryPolicy {
        max_wrong_codes: 2,
        ..RecoveryPolicy::default()
    }
}

/// The whole world.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct World {
    pub now: UnixTime,
    /// The operator's switch (`Tenant::self_recovery`).
    pub recovery_on: bool,
    pub attacker: Secrets,
    /// The attacker's "Can't sign in?" names nobody who may recover: every
    /// case of theirs is a decoy.
    pub decoy_name: bool,
    pub account: Account,
    pub cases: Vec<Case>,
    pub browsers: [Browser; 2],
    pub completing: Vec<Completing>,
    pub guessing: [Option<Box<Guessing>>; 2],
    /// Cancels that follow a committed change in their own transactions
    /// (`cancel_all` after a password reset, `cancel_on_sign_in` after a
    /// sign-in): other requests can come in between.
    pub after: Vec<CancelReason>,
    pub ghost: Ghost,
}

impl World {
    pub fn new(attacker: Secrets, decoy_name: bool) -> World {
        let held = |kind| Holding { kind, epoch: 0 };
        World {
            now: T0,
            recovery_on: true,
            attacker,
            decoy_name,
            account: Account {
                knows_password: [true, attacker.password],
                password_reset_at: None,
                epoch: 0,
                holdings: [
                    held(Kind::Session(Who::Owner)),
                    held(Kind::KnownDevice {
                        id: 0,
                        since: T0.plus(-DAY),
                    }),
                    held(Kind::AuthenticatorApp),
                    held(Kind::Passkey),
                    held(Kind::RecoveryCodes),
                    held(Kind::PasskeyCeremony),
                ]
                .into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
                refresh: vec![(Who::Owner, 0)],
                code_spent: false,
                factors_lost: false,
            },
            cases: vec![],
            browsers: [
                Browser {
                    case: None,
                    device: Some(0),
                },
                Browser {
                    case: None,
                    device: attacker.device.then_some(0),
                },
            ],
            completing: vec![],
            guessing: [None, None],
            after: vec![],
            ghost: Ghost::default(),
        }
    }

    // ---- what people hold -------------------------------------------------

    pub fn holds_mailbox(&self, who: Who) -> bool {
        match who {
            Who::Owner => true,
            Who::Attacker => self.attacker.mailbox,
        }
    }

    pub fn knows_password(&self, who: Who) -> bool {
        self.account.knows_password[who.at()]
    }

    /// The attacker's recovery code still works.
    pub fn recovery_code_works(&self) -> bool {
        !self.account.code_spent && self.holds(|k| matches!(k, Kind::RecoveryCodes))
    }

    pub(crate) fn holds(&self, kind: impl Fn(&Kind) -> bool) -> bool {
        self.account.holdings.iter().any(|h| kind(&h.kind))
    }

    /// `DeviceStore::device_known`: the browser's device cookie names a
    /// device of the account that signed in within the tenant's limit.
    pub fn known_device(&self, ctx: &Ctx, who: Who) -> bool {
        let since = self.now.plus(-ctx.policy.known_device_secs);
        self.browsers[who.at()].device.is_some_and(|id| {
            self.holds(
                |k| matches!(k, Kind::KnownDevice { id: i, since: at } if *i == id && *at >= since),
            )
        })
    }

    /// The unused, unexpired reset link in the mailbox.
    pub fn reset_link(&self) -> Option<Holding> {
        self.account
            .holdings
            .iter()
            .find(|h| matches!(h.kind, Kind::ResetLink { expires } if self.now < expires))
            .copied()
    }

    /// `after_sign_in`'s `rotate_device`: the presented id is dropped and
    /// the browser gets a fresh one, known from now.
    pub(crate) fn rotate_device(&mut self, who: Who) {
        let presented = self.browsers[who.at()].device;
        self.account
            .holdings
            .retain(|h| !matches!(h.kind, Kind::KnownDevice { id, .. } if Some(id) == presented));
        let taken: Vec<u8> = self
            .account
            .holdings
            .iter()
            .filter_map(|h| match h.kind {
                Kind::KnownDevice { id, .. } => Some(id),
                _ => None,
            })
            .chain(self.browsers.iter().filter_map(|b| b.device))
            .collect();
        let id = (0..=u8::MAX)
            .find(|id| !taken.contains(id))
            .unwrap_or(u8::MAX);
        insert(
            &mut self.account.holdings,
            Holding {
                kind: Kind::KnownDevice {
                    id,
                    since: self.now,
                },
                epoch: self.account.epoch,
            },
        );
        self.browsers[who.at()].device = Some(id);
    }

    pub(crate) fn end(&mut self, ends: &[Held]) {
        self.account
            .holdings
            .retain(|h| !ends.iter().any(|held| h.kind.ended_by(*held)));
    }
}
