//! What each request of the journey does to the [`World`]: every decision
//! about a case is core's `CaseFacts::open`, `CaseFacts::apply` and
//! `CaseFacts::take_over`; what the journey and the store do around them
//! is modelled here, each function naming the product function it models.

use latchkey_core::accounts::held::Held;
use latchkey_core::recovery::case::{
    CancelReason, CaseFacts, CaseState, Event, FactorReset, Proof, Refusal,
};
use latchkey_core::recovery::journey::{CODE_SECS, View};
use latchkey_core::recovery::password_reset;

use crate::rules::{DecoyRule, Path};
use crate::world::{
    Answer, Case, Completing, Ctx, Door, Guessing, Holding, Kind, MAX_CASES, MAX_IN_FLIGHT, Who,
    World, insert, refused,
};

impl World {
    // ---- the case machine, as the journey drives it ------------------------

    pub(crate) fn case_at(&self, i: usize) -> Case {
        self.cases[i]
    }

    /// What the machine is told about the account behind case `i`:
    /// `user.map(AccountFacts::of).unwrap_or_default()` in the product.
    pub(crate) fn account_facts(
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

    pub(crate) fn unstored_decoy(&self, ctx: &Ctx, i: usize) -> bool {
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
    pub(crate) fn transition(
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
    pub(crate) fn load(&mut self, ctx: &Ctx, who: Who) -> Option<usize> {
        let i = usize::from(self.browsers[who.at()].case?);
        // time never refuses
        let _ = self.transition(ctx, i, Event::Tick, Path::Other, false);
        Some(i)
    }

    pub(crate) fn page(&self, i: usize) -> Answer {
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
            Answer::WrongProof(self.cases[i].facts.tries_left(&ctx.policy))
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
        self.guessing[node] = Some(Box::new(Guessing {
            case: u8::try_from(i).unwrap_or(u8::MAX),
            version: self.cases[i].version,
            facts: self.cases[i].facts,
        }));
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
                Answer::WrongProof(self.cases[i].facts.tries_left(&ctx.policy))
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
            self.ghost.cancel_won |= case.cancelled;
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
            self.ghost.waited = true;
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
        insert(
            &mut self.account.holdings,
            Holding {
                kind: Kind::Session(done.who),
                epoch: self.account.epoch,
            },
        );
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
        insert(
            &mut self.account.holdings,
            Holding {
                kind: Kind::ResetLink {
                    expires: self.now.plus(password_reset::LIFETIME_SECS),
                },
                epoch: self.account.epoch,
            },
        );
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
        self.account.holdings.retain(|h| *h != link);
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
        insert(
            &mut self.account.holdings,
            Holding {
                kind: Kind::Session(Who::Owner),
                epoch,
            },
        );
        insert(&mut self.account.refresh, (Who::Owner, epoch));
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

    /// Models `journey::helpdesk_reset`: refused when there is nothing to
    /// remove; else proven cases end, then the same reset as a completion,
    /// without a case.
    pub fn helpdesk(&mut self, ctx: &Ctx) -> Answer {
        // `helpdesk_preview`: refused when the person holds no second
        // factor and no recovery codes — core's own rule on what they hold
        let holds = |kind: Kind| {
            self.account
                .holdings
                .iter()
                .filter(|h| h.kind == kind)
                .count()
        };
        let held = latchkey_core::factors::directory::Holdings {
            authenticator_app: holds(Kind::AuthenticatorApp) > 0,
            passkeys: holds(Kind::Passkey),
            unused_recovery_codes: i64::from(holds(Kind::RecoveryCodes) > 0),
            sessions: 0,
        };
        if held.nothing_to_reset() {
            // the refusal is the administrator's to read, not the attacker's
            return Answer::Nothing;
        }
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
}
