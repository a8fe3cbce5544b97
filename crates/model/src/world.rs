//! One tenant, one account, two browsers (the owner's and an attacker's),
//! the mailbox, the clock and the store — and what each request of the
//! journey does to them. Every decision about a case is core's
//! `CaseFacts::open`, `CaseFacts::apply` and `CaseFacts::take_over`; this
//! file models what the journey (`core::recovery::journey`) and the store
//! do around them, each function naming the product function it models.

use std::collections::BTreeSet;

use latchkey_core::accounts::held::Held;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::time::{DAY, MINUTE};
use latchkey_core::recovery::case::{
    CancelReason, CaseFacts, CaseState, Event, FactorReset, Proof, RecoveryPolicy, Refusal,
};
use latchkey_core::recovery::journey::{CODE_SECS, View};
use latchkey_core::recovery::password_reset;

use crate::rules::{DecoyRule, Path, Rules};

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
    pub holdings: BTreeSet<Holding>,
    /// An application's live refresh tokens: (whose, epoch). A refresh
    /// token lives while the security stamp it was issued under is the
    /// account's (`oidc::tokens`), so a new stamp ends them all.
    pub refresh: BTreeSet<(Who, u8)>,
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
    /// A wrong proof (`Error::InvalidCode`).
    WrongProof,
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

fn refused(refusal: Refusal) -> Answer {
    Answer::Refused(match refusal {
        Refusal::Closed => "this recovery has ended",
        Refusal::NotProven => "more proof is needed first",
        Refusal::Waiting => "the waiting period is not over",
        Refusal::PasswordRecentlyReset => "the password was reset by email recently",
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
    pub guessing: [Option<Guessing>; 2],
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
                .collect(),
                refresh: [(Who::Owner, 0)].into_iter().collect(),
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

    fn holds(&self, kind: impl Fn(&Kind) -> bool) -> bool {
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
    fn rotate_device(&mut self, who: Who) {
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
        self.account.holdings.insert(Holding {
            kind: Kind::KnownDevice {
                id,
                since: self.now,
            },
            epoch: self.account.epoch,
        });
        self.browsers[who.at()].device = Some(id);
    }

    fn end(&mut self, ends: &[Held]) {
        self.account
            .holdings
            .retain(|h| !ends.iter().any(|held| h.kind.ended_by(*held)));
    }

    // ---- the case machine, as the journey drives it ------------------------

    fn case_at(&self, i: usize) -> Case {
        self.cases[i]
    }

    /// What the machine is told about the account behind case `i`:
    /// `user.map(AccountFacts::of).unwrap_or_default()` in the product.
    fn account_facts(
        &self,
        ctx: &Ctx,
        i: usize,
        at: Path,
    ) -> latchkey_core::recovery::case::AccountFacts {
        if self.cases[i].account {
            ctx.rules
                .account_facts(self.account.password_reset_at, self.now, at)
        } else {
            Default::default()
        }
    }

    fn unstored_decoy(&self, ctx: &Ctx, i: usize) -> bool {
        ctx.rules.decoy == DecoyRule::Unstored && !self.cases[i].account
    }

    /// Models `journey::transition` (with `try_transition`): time first,
    /// then the event — through `CaseFacts::apply` —; a case proven while
    /// another proven case of the person is open takes it over
    /// (`CaseFacts::take_over`) and cancels it in the same write; the
    /// mails that go (a waiting mail carries a cancel link); stored with
    /// its version moved on. Lost races are retried in the product, so a
    /// transition is one step here. `spend`: the recovery code is used in
    /// the same write.
    fn transition(
        &mut self,
        ctx: &Ctx,
        i: usize,
        event: Event,
        at: Path,
        spend: bool,
    ) -> Result<(), Refusal> {
        if self.unstored_decoy(ctx, i) {
            return self.unstored_transition(i, event);
        }
        let now = self.now;
        let case = self.case_at(i);
        let account = self.account_facts(ctx, i, at);
        let (ticked, mut passed) = case.facts.apply(Event::Tick, now, &ctx.policy, &account)?;
        let mut facts = if event == Event::Tick
            || (!ticked.state.is_open() && matches!(event, Event::Cancel(_) | Event::SignedIn))
        {
            ticked
        } else {
            let (facts, more) = ticked.apply(event, now, &ctx.policy, &account)?;
            passed.extend(more);
            facts
        };
        let mut supersede = None;
        if case.account && passed.contains(&CaseState::Proven) {
            // `open_cases_for_user` … `is_proven_open`, as stored
            if let Some(j) = (0..self.cases.len()).find(|&j| {
                j != i && self.cases[j].account && self.cases[j].facts.state.is_proven_open()
            }) {
                let (moved, more) = facts.take_over(&self.cases[j].facts, now, &ctx.policy);
                facts = moved;
                passed.extend(more);
                supersede = Some(j);
            }
        }
        if facts == case.facts {
            return Ok(());
        }
        let mut next = case;
        // the waiting mail (with its cancel link) goes where the case
        // waits, or where it took another over without waiting
        let told = case.account
            && (passed.contains(&CaseState::Waiting)
                || (supersede.is_some() && passed.contains(&CaseState::Ready)));
        if told {
            next.cancel_link = true;
            let inherited = supersede.and_then(|j| self.cases[j].told_at);
            next.told_at = next.told_at.or(inherited).or(Some(now));
        }
        if let Some(j) = supersede {
            self.ghost.took_over = true;
            next.takeover_told_at = Some(now);
            let original = &mut self.cases[j];
            original.facts.state = CaseState::Cancelled;
            original.version = original.version.wrapping_add(1);
            original.cancelled = true;
        }
        if passed.contains(&CaseState::Cancelled) {
            next.cancelled = true;
        }
        if spend {
            self.account.code_spent = true;
        }
        next.facts = facts;
        next.version = next.version.wrapping_add(1);
        self.cases[i] = next;
        Ok(())
    }

    /// The first version's decoy: nothing stored but a counter; time never
    /// moves it.
    fn unstored_transition(&mut self, i: usize, event: Event) -> Result<(), Refusal> {
        let case = &mut self.cases[i];
        if !case.facts.state.is_open() {
            return match event {
                Event::Tick | Event::Cancel(_) | Event::SignedIn => Ok(()),
                _ => Err(Refusal::Closed),
            };
        }
        match event {
            Event::Cancel(_) | Event::SignedIn => {
                case.facts.state = CaseState::Cancelled;
                case.cancelled = true;
                Ok(())
            }
            Event::Complete => Err(Refusal::NotProven),
            _ => Ok(()),
        }
    }

    /// Models `journey::load`: the browser's case with time applied (and
    /// stored).
    fn load(&mut self, ctx: &Ctx, who: Who) -> Option<usize> {
        let i = usize::from(self.browsers[who.at()].case?);
        // time never refuses
        let _ = self.transition(ctx, i, Event::Tick, Path::Other, false);
        Some(i)
    }

    fn page(&self, i: usize) -> Answer {
        Answer::Page(View::of(&self.cases[i].facts, false))
    }

    /// Models `journey::start` (with `resume`): back to the browser's open
    /// case, or a new case — real, or a decoy for a name that may not
    /// recover — opened by `CaseFacts::open`, its code mailed to the
    /// mailbox. A decoy never starts on a known device
    /// (`known_device && user.is_some()`).
    pub fn start(&mut self, ctx: &Ctx, who: Who, door: Door) -> Answer {
        if !self.recovery_on {
            return Answer::HelpdeskPath;
        }
        if let Some(i) = self.load(ctx, who)
            && self.cases[i].facts.state.is_open()
        {
            if door == Door::Login {
                return Answer::Resumed;
            }
            if self.cases[i].account {
                if self.cases[i].facts.state == CaseState::Started
                    && !self.cases[i].facts.proofs.password
                {
                    // a password that does not count is not carried over
                    let _ =
                        self.transition(ctx, i, Event::Proved(Proof::Password), Path::Start, false);
                }
                return Answer::Resumed;
            }
        }
        if self.cases.len() >= MAX_CASES {
            return Answer::Nothing;
        }
        let account = match door {
            Door::Login => !(who == Who::Attacker && self.decoy_name),
            Door::SecondStep => true,
        };
        let known = self.known_device(ctx, who) && account;
        let facts_of = if account {
            ctx.rules
                .account_facts(self.account.password_reset_at, self.now, Path::Start)
        } else {
            Default::default()
        };
        let facts = CaseFacts::open(
            self.now,
            known,
            door == Door::SecondStep,
            &ctx.policy,
            &facts_of,
        );
        let index = u8::try_from(self.cases.len()).unwrap_or(u8::MAX);
        self.cases.push(Case {
            facts,
            version: 1,
            account,
            browser: who,
            code_until: account.then(|| self.now.plus(CODE_SECS)),
            cancel_link: false,
            told_at: None,
            takeover_told_at: None,
            cancelled: false,
            completions: 0,
        });
        self.browsers[who.at()].case = Some(index);
        Answer::New
    }

    /// Models `journey::prove`: a proof is right only if the person holds
    /// it (the mailed code, while fresh; the current password; the unused
    /// recovery code) and the case has an account — on a decoy every proof
    /// is wrong. A right one goes to the machine; a wrong one is counted.
    pub fn prove(&mut self, ctx: &Ctx, who: Who, proof: Proof) -> Answer {
        let Some(i) = self.load(ctx, who) else {
            return Answer::NoCase;
        };
        if self.cases[i].facts.state != CaseState::Started {
            return self.page(i);
        }
        let case = self.case_at(i);
        let right = case.account
            && match proof {
                Proof::EmailCode => {
                    self.holds_mailbox(who) && case.code_until.is_some_and(|at| self.now < at)
                }
                Proof::Password => self.knows_password(who),
                Proof::RecoveryCode => {
                    who == Who::Attacker
                        && self.attacker.recovery_code
                        && self.recovery_code_works()
                }
            };
        if !right {
            return self.wrong_proof(ctx, i);
        }
        match self.transition(
            ctx,
            i,
            Event::Proved(proof),
            Path::Proof,
            proof == Proof::RecoveryCode,
        ) {
            Ok(()) => self.page(i),
            Err(refusal) => refused(refusal),
        }
    }

    /// Models `journey::wrong_proof`: `count_wrong_proof` (an atomic
    /// `wrong_codes + 1` on an open case, no version check), then time and
    /// the count through the machine.
    fn wrong_proof(&mut self, ctx: &Ctx, i: usize) -> Answer {
        if !self.cases[i].facts.state.is_open() {
            return self.page(i);
        }
        self.count(ctx, i);
        let _ = self.transition(ctx, i, Event::Tick, Path::Other, false);
        if self.cases[i].facts.state == CaseState::Started {
            Answer::WrongProof
        } else {
            self.page(i)
        }
    }

    fn count(&mut self, ctx: &Ctx, i: usize) {
        let case = &mut self.cases[i];
        case.facts.wrong_codes = case.facts.wrong_codes.saturating_add(1);
        case.version = case.version.wrapping_add(1);
        if ctx.rules.decoy == DecoyRule::Unstored
            && !case.account
            && case.facts.wrong_codes >= ctx.policy.max_wrong_codes
        {
            case.facts.state = CaseState::Locked;
        }
    }

    /// The first half of a wrong proof on one node: the case read (and
    /// time applied). `None` when the answer is already given.
    pub fn begin_guess(&mut self, ctx: &Ctx, node: usize) -> Answer {
        let Some(i) = self.load(ctx, Who::Attacker) else {
            return Answer::NoCase;
        };
        if self.cases[i].facts.state != CaseState::Started {
            return self.page(i);
        }
        self.guessing[node] = Some(Guessing {
            case: u8::try_from(i).unwrap_or(u8::MAX),
            version: self.cases[i].version,
            facts: self.cases[i].facts,
        });
        Answer::Working
    }

    /// The second half: counted atomically (the product, real cases and
    /// decoys alike) — or, under the old rule, a real case's count is an
    /// update that names the version read and loses to any write between.
    pub fn commit_guess(&mut self, ctx: &Ctx, node: usize) -> Answer {
        let Some(guess) = self.guessing[node].take() else {
            return Answer::Nothing;
        };
        let i = usize::from(guess.case);
        if ctx.rules.decoy == DecoyRule::Unstored && self.cases[i].account {
            if self.cases[i].version != guess.version {
                return Answer::Conflict;
            }
            let mut facts = guess.facts;
            facts.wrong_codes = facts.wrong_codes.saturating_add(1);
            self.cases[i].facts = facts;
            self.cases[i].version = self.cases[i].version.wrapping_add(1);
            let _ = self.transition(ctx, i, Event::Tick, Path::Other, false);
            return if self.cases[i].facts.state == CaseState::Started {
                Answer::WrongProof
            } else {
                self.page(i)
            };
        }
        self.wrong_proof(ctx, i)
    }

    /// Models `journey::view`.
    pub fn view(&mut self, ctx: &Ctx, who: Who) -> Answer {
        match self.load(ctx, who) {
            Some(i) => self.page(i),
            None => Answer::NoCase,
        }
    }

    /// Models `journey::cancel_own` ("Stop this recovery").
    pub fn stop(&mut self, ctx: &Ctx, who: Who) -> Answer {
        if let Some(i) = self.load(ctx, who)
            && self.cases[i].facts.state.is_open()
        {
            let _ = self.transition(
                ctx,
                i,
                Event::Cancel(CancelReason::ByTheUser),
                Path::Other,
                false,
            );
        }
        Answer::Done
    }

    /// Models `journey::cancel_by_link`: whoever holds the mailbox holds
    /// the link of every case that was mailed one.
    pub fn cancel_link(&mut self, ctx: &Ctx, i: usize) -> Answer {
        let _ = self.transition(
            ctx,
            i,
            Event::Cancel(CancelReason::CancelLink),
            Path::Other,
            false,
        );
        Answer::Done
    }

    /// The first half of `journey::complete` on one node: self-recovery
    /// on, the case loaded, the machine asked (`Event::Complete`), a
    /// decoy refused, the password asked again where the case says so (a
    /// wrong one counted on the case). What it read waits for the write.
    pub fn begin_complete(&mut self, ctx: &Ctx, who: Who) -> Answer {
        if !self.recovery_on {
            return Answer::HelpdeskPath;
        }
        let Some(i) = self.load(ctx, who) else {
            return refused(Refusal::NotProven);
        };
        let account = self.account_facts(ctx, i, Path::Complete);
        let case = self.case_at(i);
        let completed = match case
            .facts
            .apply(Event::Complete, self.now, &ctx.policy, &account)
        {
            Ok((facts, _)) => facts,
            Err(refusal) => return refused(refusal),
        };
        if !case.account {
            return refused(Refusal::NotProven);
        }
        if case.facts.asks_password_again() && !self.knows_password(who) {
            return self.wrong_proof(ctx, i);
        }
        if self.completing.len() >= MAX_IN_FLIGHT {
            return Answer::Nothing;
        }
        self.completing.push(Completing {
            who,
            case: u8::try_from(i).unwrap_or(u8::MAX),
            version: case.version,
            facts: completed,
        });
        Answer::Working
    }

    /// The second half: `reset_second_factors` — the case becomes
    /// `completed` only if it is still `ready` at the version read; then
    /// everything `FactorReset::ENDS` names goes, the security stamp
    /// changes, and the browser gets a fresh session (and device).
    pub fn commit_complete(&mut self, ctx: &Ctx, k: usize) -> Answer {
        if k >= self.completing.len() {
            return Answer::Nothing;
        }
        let done = self.completing.remove(k);
        let i = usize::from(done.case);
        let case = self.case_at(i);
        if !(case.account && case.facts.state == CaseState::Ready && case.version == done.version) {
            return Answer::FinishedMeanwhile;
        }
        // what the properties look at
        if case.completions > 0 {
            self.ghost.twice = true;
        }
        if case.cancelled {
            self.ghost.after_cancel = true;
        }
        if (0..self.cases.len())
            .any(|j| j != i && self.cases[j].account && self.cases[j].facts.state.is_proven_open())
        {
            self.ghost.twice = true;
        }
        let standard =
            done.facts.proofs.path() == Some(latchkey_core::recovery::case::RecoveryPath::Standard);
        if standard && !done.facts.known_device {
            let waited = case
                .told_at
                .is_some_and(|at| self.now >= at.plus(ctx.policy.waiting_secs));
            let noticed = case
                .takeover_told_at
                .is_none_or(|at| self.now >= at.plus(ctx.policy.takeover_notice_secs));
            if !(waited && noticed) {
                self.ghost.early = true;
            }
        }
        match done.who {
            Who::Owner => self.ghost.owner_completed = true,
            Who::Attacker => self.ghost.attacker_completed = true,
        }
        let stored = &mut self.cases[i];
        stored.facts = done.facts;
        stored.version = stored.version.wrapping_add(1);
        stored.completions = stored.completions.saturating_add(1);
        self.factor_reset(FactorReset::ENDS);
        self.account.holdings.insert(Holding {
            kind: Kind::Session(done.who),
            epoch: self.account.epoch,
        });
        self.browsers[done.who.at()].case = None;
        self.rotate_device(done.who);
        Answer::Completed
    }

    /// A new security stamp (`new_security_stamp`): every session and
    /// refresh token issued under the old one is dead.
    fn new_stamp(&mut self) {
        self.account.refresh.clear();
    }

    /// `reset_second_factors` without the case: what `ends` names goes, the
    /// stamp changes.
    fn factor_reset(&mut self, ends: &[Held]) {
        self.end(ends);
        self.new_stamp();
        self.account.epoch = self.account.epoch.saturating_add(1);
    }

    /// `password_reset::request`: a link to the mailbox (anyone can ask; it
    /// replaces an unused one).
    pub fn request_reset_link(&mut self) -> Answer {
        self.account
            .holdings
            .retain(|h| !matches!(h.kind, Kind::ResetLink { .. }));
        self.account.holdings.insert(Holding {
            kind: Kind::ResetLink {
                expires: self.now.plus(password_reset::LIFETIME_SECS),
            },
            epoch: self.account.epoch,
        });
        Answer::Nothing
    }

    /// `password_reset::complete` from the mailbox: a new password only
    /// `who` knows, `password_reset_at` set, what `password_reset::ENDS`
    /// names goes, the stamp changes; then (`cancel_all`, its own
    /// transactions) the person's proven cases end.
    pub fn use_reset_link(&mut self, who: Who) -> Answer {
        let Some(link) = self.reset_link() else {
            return Answer::Nothing;
        };
        self.account.holdings.remove(&link);
        self.account.knows_password = [who == Who::Owner, who == Who::Attacker];
        self.account.password_reset_at = Some(self.now);
        self.end(password_reset::ENDS);
        self.new_stamp();
        self.after.push(CancelReason::PasswordReset);
        Answer::Nothing
    }

    /// A sign-in of the owner with the password and a second factor: the
    /// second step clears `password_reset_at` in its transaction, the
    /// browser gets a session (an application a refresh token) and a fresh
    /// device id; then `cancel_on_sign_in` ends proven cases (after).
    pub fn owner_signs_in(&mut self) -> Answer {
        self.account.password_reset_at = None;
        let epoch = self.account.epoch;
        self.account.holdings.insert(Holding {
            kind: Kind::Session(Who::Owner),
            epoch,
        });
        self.account.refresh.insert((Who::Owner, epoch));
        self.rotate_device(Who::Owner);
        self.after.push(CancelReason::SignedIn);
        Answer::Nothing
    }

    /// The owner knows the password and still has a second factor (an app
    /// or a passkey) of the account.
    pub fn owner_can_sign_in(&self) -> bool {
        self.knows_password(Who::Owner)
            && !self.account.factors_lost
            && self.holds(|k| matches!(k, Kind::AuthenticatorApp | Kind::Passkey))
    }

    /// Models `cancel_all` / `cancel_on_sign_in`: every proven open case of
    /// the person ends (unproven ones are left alone).
    pub fn end_proven_cases(&mut self, ctx: &Ctx) -> Answer {
        if self.after.is_empty() {
            return Answer::Nothing;
        }
        let reason = self.after.remove(0);
        let event = match reason {
            CancelReason::SignedIn => Event::SignedIn,
            other => Event::Cancel(other),
        };
        for i in 0..self.cases.len() {
            if self.cases[i].account && self.cases[i].facts.state.is_proven_open() {
                let _ = self.transition(ctx, i, event, Path::Other, false);
            }
        }
        Answer::Nothing
    }

    /// Models `journey::helpdesk_reset`: proven cases end, then the same
    /// reset as a completion, without a case.
    pub fn helpdesk(&mut self, ctx: &Ctx) -> Answer {
        for i in 0..self.cases.len() {
            if self.cases[i].account && self.cases[i].facts.state.is_proven_open() {
                let _ = self.transition(
                    ctx,
                    i,
                    Event::Cancel(CancelReason::HelpdeskReset),
                    Path::Other,
                    false,
                );
            }
        }
        self.factor_reset(FactorReset::ENDS);
        Answer::Nothing
    }

    /// Models `activation::disable` (and the store's `update_tenant`):
    /// every open case of the tenant, decoys too, is closed as cancelled in
    /// the tenant's write — not through the machine.
    pub fn operator_off(&mut self) -> Answer {
        self.recovery_on = false;
        for case in &mut self.cases {
            if case.facts.state.is_open() {
                case.facts.state = CaseState::Cancelled;
                case.version = case.version.wrapping_add(1);
                case.cancelled = true;
            }
        }
        Answer::Nothing
    }

    pub fn operator_on(&mut self) -> Answer {
        self.recovery_on = true;
        Answer::Nothing
    }

    // ---- one state for many ----------------------------------------------

    /// Puts the world in a canonical form that behaves exactly alike from
    /// here on, so that the checker counts states that differ only in what
    /// can no longer matter once: the rules compare times only with each
    /// other, so every time is shifted by `now - T0`; past moments that
    /// only matter as "long enough ago" are clamped; expired codes and
    /// links, closed cases no browser or request points at, versions no
    /// request read, and the names of device ids are forgotten.
    pub fn normalize(&mut self, ctx: &Ctx, shift: i64) {
        let now = self.now.plus(-shift);
        let at = |t: UnixTime| t.plus(-shift);
        let facts_at = |f: &mut CaseFacts| {
            f.started_at = UnixTime(0);
            f.proven_at = match (f.proven_at, f.ready_at) {
                // only `waited()` reads it: whether the wait was longer than 0
                (Some(p), Some(r)) => Some(if r > p { at(r).plus(-1) } else { at(r) }),
                (p, _) => p.map(at),
            };
            f.ready_at = f.ready_at.map(at);
            f.expires_at = at(f.expires_at);
        };
        self.now = now;
        // closed cases that nothing points at are gone
        let pointed = |w: &World, i: usize| {
            w.browsers
                .iter()
                .any(|b| b.case.map(usize::from) == Some(i))
                || w.completing.iter().any(|c| usize::from(c.case) == i)
                || w.guessing
                    .iter()
                    .flatten()
                    .any(|g| usize::from(g.case) == i)
        };
        let mut i = 0;
        while i < self.cases.len() {
            if !self.cases[i].facts.state.is_open() && !pointed(self, i) {
                self.cases.remove(i);
                let renumber = |c: &mut u8| {
                    if usize::from(*c) > i {
                        *c -= 1;
                    }
                };
                for b in &mut self.browsers {
                    if let Some(c) = &mut b.case {
                        renumber(c);
                    }
                }
                self.completing
                    .iter_mut()
                    .for_each(|c| renumber(&mut c.case));
                self.guessing
                    .iter_mut()
                    .flatten()
                    .for_each(|g| renumber(&mut g.case));
            } else {
                i += 1;
            }
        }
        // a completion of a closed case cannot be written
        let cases = self.cases.clone();
        self.completing
            .retain(|c| cases[usize::from(c.case)].facts.state.is_open());
        for (i, case) in self.cases.iter_mut().enumerate() {
            if case.facts.state.is_open() {
                facts_at(&mut case.facts);
                // a code only proves a case that is being proven
                case.code_until = case
                    .code_until
                    .map(at)
                    .filter(|t| *t > now && case.facts.state == CaseState::Started);
                // the wait is looked at only where it applies
                let waits = case.facts.proofs.path()
                    == Some(latchkey_core::recovery::case::RecoveryPath::Standard)
                    && !case.facts.known_device;
                if !waits {
                    case.told_at = None;
                    case.takeover_told_at = None;
                }
                case.told_at = case
                    .told_at
                    .map(|t| at(t).max(now.plus(-ctx.policy.waiting_secs)));
                case.takeover_told_at = case
                    .takeover_told_at
                    .map(|t| at(t).max(now.plus(-ctx.policy.takeover_notice_secs)));
            } else {
                // a closed case shows only its state
                case.facts = CaseFacts {
                    state: case.facts.state,
                    ..CaseFacts::start(UnixTime(0), false, &ctx.policy)
                };
                case.code_until = None;
                case.cancel_link = false;
                case.told_at = None;
                case.takeover_told_at = None;
                case.cancelled = false;
                case.completions = 0;
            }
            // versions matter only against the versions requests read
            let reads: Vec<u8> = self
                .completing
                .iter()
                .filter(|c| usize::from(c.case) == i)
                .map(|c| c.version)
                .chain(
                    self.guessing
                        .iter()
                        .flatten()
                        .filter(|g| usize::from(g.case) == i)
                        .map(|g| g.version),
                )
                .collect();
            let current = case.version;
            let canonical = |v: u8| u8::from(v == current);
            for c in self
                .completing
                .iter_mut()
                .filter(|c| usize::from(c.case) == i)
            {
                c.version = canonical(c.version);
            }
            for g in self
                .guessing
                .iter_mut()
                .flatten()
                .filter(|g| usize::from(g.case) == i)
            {
                g.version = canonical(g.version);
            }
            case.version = if reads.is_empty() { 0 } else { 1 };
        }
        for c in &mut self.completing {
            facts_at(&mut c.facts);
        }
        for g in self.guessing.iter_mut().flatten() {
            facts_at(&mut g.facts);
        }
        // the account
        let account = &mut self.account;
        account.password_reset_at = match ctx.rules.deadline(account.password_reset_at) {
            // the old 7-day rule: over is as good as never reset
            Some(end) if at(end) <= now => None,
            Some(_) => account.password_reset_at.map(at),
            // otherwise only whether it is set matters
            None => account.password_reset_at.map(|_| UnixTime(0)),
        };
        let stale = now.plus(-ctx.policy.known_device_secs - 1);
        let mut devices: Vec<(UnixTime, u8, u8)> = vec![];
        let mut kept = BTreeSet::new();
        for h in &account.holdings {
            match h.kind {
                Kind::ResetLink { expires } if at(expires) <= now => {}
                Kind::ResetLink { expires } => {
                    kept.insert(Holding {
                        kind: Kind::ResetLink {
                            expires: at(expires),
                        },
                        epoch: h.epoch,
                    });
                }
                Kind::KnownDevice { id, since } => {
                    devices.push((at(since).max(stale), id, h.epoch));
                }
                _ => {
                    kept.insert(*h);
                }
            }
        }
        // device ids named in the order of their age
        devices.sort();
        let mut renamed = [None; 2];
        for (new, (since, id, epoch)) in devices.iter().enumerate() {
            let new = u8::try_from(new).unwrap_or(u8::MAX);
            for (b, browser) in self.browsers.iter().enumerate() {
                if browser.device == Some(*id) {
                    renamed[b] = Some(new);
                }
            }
            kept.insert(Holding {
                kind: Kind::KnownDevice {
                    id: new,
                    since: *since,
                },
                epoch: *epoch,
            });
        }
        for (b, browser) in self.browsers.iter_mut().enumerate() {
            // a cookie that names no device is as good as none
            browser.device = renamed[b];
        }
        account.holdings = kept;
        // only "before the last reset" or "since" matters
        let current = account.epoch;
        let epoch = |e: u8| u8::from(e == current && current > 0);
        account.holdings = account
            .holdings
            .iter()
            .map(|h| Holding {
                kind: h.kind,
                epoch: epoch(h.epoch),
            })
            .collect();
        account.refresh = account
            .refresh
            .iter()
            .map(|(who, e)| (*who, epoch(*e)))
            .collect();
        account.epoch = u8::from(current > 0);
    }

    // ---- time --------------------------------------------------------------

    /// Every future moment at which something changes by itself: a code, a
    /// link, a wait, a case or a known device runs out.
    pub fn deadlines(&self, ctx: &Ctx) -> Vec<UnixTime> {
        let mut found = vec![];
        for c in self.cases.iter().filter(|c| c.facts.state.is_open()) {
            found.push(c.facts.expires_at);
            found.extend(c.facts.ready_at);
            found.extend(c.code_until);
        }
        for h in &self.account.holdings {
            match h.kind {
                Kind::ResetLink { expires } => found.push(expires),
                Kind::KnownDevice { since, .. } => {
                    found.push(since.plus(ctx.policy.known_device_secs + 1));
                }
                _ => {}
            }
        }
        found.extend(ctx.rules.deadline(self.account.password_reset_at));
        found.retain(|at| *at > self.now);
        found
    }

    /// The clock moves to `to`; housekeeping applies time to every stored
    /// case (`journey::housekeeping`).
    pub fn advance(&mut self, ctx: &Ctx, to: UnixTime) {
        self.now = to;
        for i in 0..self.cases.len() {
            let _ = self.transition(ctx, i, Event::Tick, Path::Other, false);
        }
    }
}
