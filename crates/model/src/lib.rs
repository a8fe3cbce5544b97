//! An exhaustive model check of Account Self-Recovery (issue 15).
//!
//! [stateright] explores, breadth first, every order in which the actors
//! below can act, up to a depth, and checks five properties in every state
//! it reaches. The rules of a case are **not copied**: every decision about
//! a case is made by the product's own pure state machine —
//! `latchkey_core::recovery::case::CaseFacts::open`, `CaseFacts::apply`
//! (which asks `proof_counts`), `CaseFacts::take_over`,
//! `CaseFacts::asks_password_again` and `CaseState::is_proven_open` — and
//! what the pages show is `journey::View::of`. A change to those rules is a
//! change to what is checked. What the journey and the store do around the
//! machine is modelled explicitly in [`world`], each function naming the
//! product function it stands for:
//!
//! | model | product |
//! |---|---|
//! | `World::start` | `journey::start` / `resume`: back to the browser's open case; else `CaseFacts::open` (real, or a decoy for a name that may not recover; a decoy never on a known device), the code mailed |
//! | `World::prove` | `journey::prove`: a proof is right only if the person holds it (the mailed code while fresh, the current password, the unused recovery code) and the case has an account — on a decoy no proof counts |
//! | `World::wrong_proof`, `begin_guess`/`commit_guess` | `journey::wrong_proof`: `count_wrong_proof` (atomic, no version), then time and the count through the machine |
//! | `World::transition` | `journey::transition`: time first, the event, a takeover of the person's other proven case (`take_over`, the original cancelled in the same write), the waiting mail with its cancel link, the version moved on |
//! | `begin_complete` / `commit_complete` | `journey::complete` read on one node, `reset_second_factors` written later: only if the case is still `ready` at the version read; then everything in `FactorReset::ENDS` goes, the security stamp changes, a fresh session and device |
//! | `World::cancel_link`, `stop` | `journey::cancel_by_link`, `cancel_own` |
//! | `request_reset_link`, `use_reset_link` | `password_reset::request`, `password_reset::complete` (`password_reset_at` set, `password_reset::ENDS` gone, stamp changed), then `cancel_all` in its own transactions |
//! | `owner_signs_in` | the second sign-in step (clears `password_reset_at`), `after_sign_in` (fresh device id) and, after, `cancel_on_sign_in` |
//! | `helpdesk` | `journey::helpdesk_reset`: proven cases cancelled, then the factor reset without a case |
//! | `operator_off` | `activation::disable` + the store's `update_tenant`: every open case (decoys too) closed as cancelled |
//! | `World::known_device` | `DeviceStore::device_known` (signed in within the tenant's limit); `rotate_device` on every sign-in |
//! | `advance` | the clock, and `journey::housekeeping` applying time to every case |
//!
//! # The model
//!
//! One tenant with self-recovery switched on, one account, and:
//!
//! - **the owner's browser**, a known device (signed in a day before the
//!   model starts); the owner holds the mailbox and the password, and has
//!   an authenticator app and a passkey until they lose them
//!   ([`Action::OwnerLosesFactors`]). The owner starts from either door,
//!   proves, finishes, clicks any cancel link, resets the password from the
//!   mailbox, signs in with a second factor, loses the cookies (and with
//!   them the known device) — or does nothing;
//! - **an attacker's browser**, holding any combination of at most two of
//!   the mailbox, the password, one unused recovery code and a copy of the
//!   owner's device cookie ([`Secrets::at_most_two`]: one initial state
//!   each). With the mailbox they read every code, cancel link and reset
//!   link, so they can set a password of their own; with the password they
//!   can start from the second sign-in step;
//! - **the mailbox**: codes (10 minutes), cancel links (mailed with a wait
//!   or a takeover), reset links (30 minutes; anyone can have one sent);
//! - **a helpdesk reset** (refused, by core's `Holdings::nothing_to_reset`,
//!   when the person holds nothing it is for) and **the operator**
//!   switching self-recovery off and on;
//! - **the clock**, which jumps to the next moment something runs out (a
//!   code, a reset link, the hour to prove, the wait, the 48 hours to
//!   finish, a known device's 90 days, the old rule's 7 days) or to a
//!   minute before it ([`Action::Almost`]); housekeeping applies time to
//!   every case;
//! - **two server nodes**: a completion is read (and checked by the
//!   machine) on one node and written later, only if the case is still
//!   `ready` at the version read — a cancel, a takeover, an expiry, the
//!   operator or another completion may come in between; two completions
//!   may be in flight at once (two tabs, a double click). For property 4,
//!   two wrong proofs may be in flight at once, read on two nodes and
//!   counted later. Other writes are retried by the product on the case as
//!   it is now (`transition`'s retries), so they are one step here.
//!
//! The policy is the product's default ([`world::model_policy`]) with the
//! lock at 2 wrong proofs instead of 5, to reach it within the depth. The
//! store holds at most [`world::MAX_CASES`] cases. Not modelled: surges
//! (they only lengthen waits), rate limits, e-mail address changes, the
//! owner's own case in the decoy model (only proven cases are ever ended by
//! someone else, and an attacker without the secrets never proves one).
//!
//! # The properties
//!
//! [`takeover::Takeover`] (every attacker at once) checks:
//!
//! 1. an attacker holding fewer than two independent secrets (the mailbox,
//!    the password, a recovery code; a device cookie proves nothing, and a
//!    password set from the mailbox is the mailbox again) never completes a
//!    recovery in their browser;
//! 2. a completion on the standard path from an unknown device comes at
//!    least the waiting period after the mailbox was told of the wait (the
//!    case's own waiting mail, or that of the case it took over) and at
//!    least the takeover notice after the mail telling of a takeover;
//!    only a known device or password + recovery code finish sooner;
//! 3. a case completes at most once, never while another proven case of
//!    the person is open, and never after a cancel of it was written; at
//!    most one proven case of the person is open at any time;
//! 5. after a completion (or a helpdesk reset), nothing the person held
//!    before survives: every kind in `FactorReset::ENDS` is matched against
//!    core's `Held` list (an exhaustive match, [`world::Kind::ended_by`]) —
//!    sessions, known devices, the authenticator app, passkeys, recovery
//!    codes, passkey ceremonies, unused reset links — and refresh tokens
//!    die with the security stamp.
//!
//! [`decoy::Decoy`] checks:
//!
//! 4. a decoy and a real case give an attacker who holds none of the
//!    account's secrets (or only a stolen device cookie) the same answer to
//!    every step — start, each wrong proof (two at once, on two nodes), the
//!    page, finish, stop — whatever the owner, the helpdesk, the operator
//!    and the clock do meanwhile.
//!
//! And "sometimes" properties show the model is not vacuous: the owner
//! recovers, an attacker with two independent secrets can recover (the
//! owner did not cancel), a takeover happens, a completion comes after the
//! wait from an unknown device, a completion in flight loses to a cancel;
//! a case locks, a case expires, two wrong proofs are in flight at once.
//!
//! # Depth
//!
//! [`check`] explores breadth first on one thread, so "depth n" means every
//! path of at most n steps of any actor. States are kept in a canonical
//! form (`World::normalize`: times shifted so that now is fixed, expired
//! codes and links dropped, versions kept only against the versions
//! requests read, closed cases nobody points at forgotten) so that the
//! depth buys orders of events rather than clock readings. `cargo test`
//! checks depth 7 (takeover) and 9 (decoy); `scripts/model-check` 8 and 9
//! (takeover, the second with the clock stopping only at deadlines) and 11
//! (decoy).
//!
//! # The old bugs
//!
//! [`rules`] swaps in the rules the security-holes issue removed —
//! [`rules::PasswordRule::ProofsPageOnly`] (the mailbox-only takeover),
//! [`rules::PasswordRule::AlwaysCounts`], [`rules::PasswordRule::CountsAfter`]
//! (the 7-day rule), [`rules::DecoyRule::Unstored`] (decoys answering
//! differently) — and the tests show the checker finds a counterexample to
//! property 1 resp. 4 for each.
//!
//! Results (depth, states, time) are in docs/security/model-checking.md;
//! `scripts/model-check` runs the full depth.

pub mod action;
mod canonical;
pub mod decoy;
mod journey;
pub mod rules;
pub mod takeover;
pub mod world;

pub use action::Action;
pub use world::Secrets;

use std::fmt::Debug;
use std::hash::Hash;
use std::time::{Duration, Instant};

use stateright::{Checker, Expectation, HasDiscoveries, Model};

/// What a run of the checker found.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every path of at most this many steps was checked.
    pub depth: usize,
    /// Distinct states generated (those at `depth + 1` steps are generated
    /// but not checked).
    pub unique_states: usize,
    /// States generated, repeats included.
    pub states: usize,
    pub elapsed: Duration,
    /// Properties that failed, with the steps that break them.
    pub counterexamples: Vec<(&'static str, Vec<String>)>,
    /// "Sometimes" properties no path showed.
    pub missing_examples: Vec<&'static str>,
}

impl Report {
    /// The counterexample to `property`, if any.
    pub fn counterexample(&self, property: &str) -> Option<&[String]> {
        self.counterexamples
            .iter()
            .find(|(name, _)| *name == property)
            .map(|(_, steps)| steps.as_slice())
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "depth {} · {} distinct states ({} generated) · {:.1} s",
            self.depth,
            self.unique_states,
            self.states,
            self.elapsed.as_secs_f64()
        )?;
        for (name, steps) in &self.counterexamples {
            writeln!(f, "COUNTEREXAMPLE to \"{name}\":")?;
            for (n, step) in steps.iter().enumerate() {
                writeln!(f, "  {n:>2}. {step}")?;
            }
        }
        // a run that stopped at a counterexample did not look for examples
        for name in self
            .missing_examples
            .iter()
            .filter(|_| self.counterexamples.is_empty())
        {
            writeln!(f, "no example of \"{name}\" within the depth")?;
        }
        Ok(())
    }
}

/// Checks `model` breadth first, every path of at most `depth` steps, on
/// one thread (so that the breadth-first order, and with it the bound, is
/// exact), stopping at the first counterexample (the shortest, then).
pub fn check<M>(model: M, depth: usize, describe: fn(&M::State) -> String) -> Report
where
    M: Model + Send + Sync + 'static,
    M::State: Hash + Send + Sync + Clone + Debug + PartialEq + 'static,
    M::Action: Clone + Debug + PartialEq + Send + Sync + 'static,
{
    let started = Instant::now();
    // stateright counts the initial state as depth 1 and skips states at
    // the target: depth + 2 checks every state within `depth` steps.
    let checker = model
        .checker()
        .threads(1)
        .finish_when(HasDiscoveries::AnyFailures)
        .target_max_depth(depth + 2)
        .spawn_bfs()
        .join();
    let elapsed = started.elapsed();
    let mut counterexamples = vec![];
    let mut missing_examples = vec![];
    for property in checker.model().properties() {
        let found = checker.discovery(property.name);
        match (property.expectation, found) {
            (Expectation::Always | Expectation::Eventually, Some(path)) => {
                let model = checker.model();
                let condition = property.condition;
                let fails = |state: &M::State| !condition(model, state);
                let states = path.clone().into_states();
                let (init, actions) = (states[0].clone(), path.into_actions());
                let actions = shortest(model, &init, actions, &fails);
                let mut steps = vec![format!("start: {}", describe(&init))];
                steps.extend(actions.iter().map(|action| format!("{action:?}")));
                if let Some(last) = replay(model, &init, &actions, &fails) {
                    steps.push(format!("end: {}", describe(&last)));
                }
                counterexamples.push((property.name, steps));
            }
            (Expectation::Sometimes, None) => missing_examples.push(property.name),
            _ => {}
        }
    }
    Report {
        depth,
        unique_states: checker.unique_state_count(),
        states: checker.state_count(),
        elapsed,
        counterexamples,
        missing_examples,
    }
}

/// The state where `actions` from `init` first fail, if they are a path of
/// `model` that does.
fn replay<M: Model>(
    model: &M,
    init: &M::State,
    actions: &[M::Action],
    fails: &dyn Fn(&M::State) -> bool,
) -> Option<M::State>
where
    M::State: Clone,
    M::Action: Clone + PartialEq,
{
    let mut state = init.clone();
    for action in actions {
        if fails(&state) {
            return Some(state);
        }
        let mut offered = vec![];
        model.actions(&state, &mut offered);
        if !offered.contains(action) {
            return None;
        }
        state = model.next_state(&state, action.clone())?;
    }
    fails(&state).then_some(state)
}

/// A counterexample with every step left out that it does not need (the
/// checker reports the last failing state of a block, not the first).
fn shortest<M: Model>(
    model: &M,
    init: &M::State,
    mut actions: Vec<M::Action>,
    fails: &dyn Fn(&M::State) -> bool,
) -> Vec<M::Action>
where
    M::State: Clone,
    M::Action: Clone + PartialEq,
{
    let mut i = 0;
    while i < actions.len() {
        let mut fewer = actions.clone();
        fewer.remove(i);
        if replay(model, init, &fewer, fails).is_some() {
            actions = fewer;
            i = 0;
        } else {
            i += 1;
        }
    }
    actions
}

/// Checks each model in turn (one per attacker: the same states in all,
/// a fraction of the memory at a time) and adds up what they found. A
/// "sometimes" property is missing only if no run showed it.
pub fn check_each<M>(models: Vec<M>, depth: usize, describe: fn(&M::State) -> String) -> Report
where
    M: Model + Send + Sync + 'static,
    M::State: Hash + Send + Sync + Clone + Debug + PartialEq + 'static,
    M::Action: Clone + Debug + PartialEq + Send + Sync + 'static,
{
    let mut total = Report {
        depth,
        unique_states: 0,
        states: 0,
        elapsed: Duration::ZERO,
        counterexamples: vec![],
        missing_examples: vec![],
    };
    let mut missing: Option<Vec<&'static str>> = None;
    for model in models {
        let report = check(model, depth, describe);
        total.unique_states += report.unique_states;
        total.states += report.states;
        total.elapsed += report.elapsed;
        total.counterexamples.extend(report.counterexamples);
        missing = Some(match missing {
            None => report.missing_examples,
            Some(before) => before
                .into_iter()
                .filter(|name| report.missing_examples.contains(name))
                .collect(),
        });
    }
    total.missing_examples = missing.unwrap_or_default();
    total
}

/// The attacker of a takeover state, for reports.
pub fn describe_world(world: &world::World) -> String {
    format!(
        "attacker holds {}; cases {:?}; ghost {:?}; survivors {:?}",
        world.attacker,
        world
            .cases
            .iter()
            .map(|c| (c.browser, c.facts.state, c.facts.proofs))
            .collect::<Vec<_>>(),
        world.ghost,
        takeover::survivors(world),
    )
}

/// A decoy pair, for reports.
pub fn describe_pair(pair: &decoy::Pair) -> String {
    format!(
        "attacker holds {}; told apart: {:?}",
        pair.real.attacker, pair.diverged,
    )
}
