//! Property 4: a decoy and a real case look the same to an attacker who
//! holds none of the account's secrets. Two worlds run side by side — in
//! one the attacker's "Can't sign in?" names the account, in the other a
//! name that may not recover (a decoy) — and every step of the attacker is
//! taken in both, with the same inputs at the same time; the answers must
//! be equal. The owner, the helpdesk and the operator act too (the owner
//! only where there is an account; the operator in both), and the clock
//! moves in both.

use stateright::{Model, Property};

use crate::action::Action;
use crate::rules::Rules;
use latchkey_core::recovery::case::CaseState;
use latchkey_core::recovery::journey::View;

use crate::world::{ALMOST_SECS, Answer, Ctx, Door, Secrets, T0, Who, World, model_policy};

/// The side-by-side model.
#[derive(Debug, Clone)]
pub struct Decoy {
    pub ctx: Ctx,
    /// One initial state per attacker: with nothing, or with a stolen
    /// device cookie of the owner's (which makes the real case start on a
    /// known device).
    pub attackers: Vec<Secrets>,
}

impl Decoy {
    pub fn new(rules: Rules) -> Decoy {
        Decoy {
            ctx: Ctx {
                policy: model_policy(),
                rules,
                almost: true,
            },
            attackers: vec![
                Secrets::NONE,
                Secrets {
                    device: true,
                    ..Secrets::NONE
                },
            ],
        }
    }
}

/// The two worlds, and what the attacker told apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pair {
    pub real: World,
    pub decoy: World,
    /// The first step answered differently: (real, decoy).
    pub diverged: Option<(Answer, Answer)>,
    /// Seen so far: a case locked, a case expired (for the "sometimes"
    /// properties).
    pub locked: bool,
    pub expired: bool,
}

pub const DECOYS_LOOK_REAL: &str =
    "4. a decoy and a real case answer an attacker without the secrets alike";

impl Decoy {
    /// One model per attacker, to be checked one after the other.
    pub fn each(rules: Rules) -> Vec<Decoy> {
        let all = Decoy::new(rules);
        all.attackers
            .iter()
            .map(|secrets| Decoy {
                attackers: vec![*secrets],
                ..all.clone()
            })
            .collect()
    }
}

impl Model for Decoy {
    type State = Pair;
    type Action = Action;

    fn init_states(&self) -> Vec<Pair> {
        self.attackers
            .iter()
            .map(|s| Pair {
                real: World::new(*s, false),
                decoy: World::new(*s, true),
                diverged: None,
                locked: false,
                expired: false,
            })
            .collect()
    }

    fn actions(&self, p: &Pair, actions: &mut Vec<Action>) {
        let ctx = &self.ctx;
        let attacker = Who::Attacker;
        actions.push(Action::Start(attacker, Door::Login));
        // the browser's cookie is the same in both worlds
        if p.real.browsers[attacker.at()].case.is_some() {
            actions.push(Action::View(attacker));
            actions.push(Action::Stop(attacker));
            actions.push(Action::BeginComplete(attacker));
            for node in 0..2u8 {
                if p.real.guessing[usize::from(node)].is_none()
                    && p.decoy.guessing[usize::from(node)].is_none()
                {
                    actions.push(Action::BeginGuess(node));
                }
            }
        }
        for node in 0..2u8 {
            if p.real.guessing[usize::from(node)].is_some()
                || p.decoy.guessing[usize::from(node)].is_some()
            {
                actions.push(Action::CommitGuess(node));
            }
        }
        // the owner, where there is an account
        if p.real.owner_can_sign_in() {
            actions.push(Action::OwnerSignsIn);
        }
        if p.real.reset_link().is_none() {
            actions.push(Action::RequestResetLink);
        } else {
            actions.push(Action::UseResetLink(Who::Owner));
        }
        if !p.real.after.is_empty() {
            actions.push(Action::EndProvenCases);
        }
        actions.push(Action::Helpdesk);
        actions.push(if p.real.recovery_on {
            Action::OperatorOff
        } else {
            Action::OperatorOn
        });
        if !p.real.deadlines(ctx).is_empty() || !p.decoy.deadlines(ctx).is_empty() {
            actions.push(Action::Wait);
        }
        if ctx.almost {
            actions.push(Action::Almost);
        }
    }

    fn next_state(&self, last: &Pair, action: Action) -> Option<Pair> {
        let ctx = &self.ctx;
        let mut next = last.clone();
        let answers = match action {
            // the owner's steps happen where the owner is
            Action::OwnerSignsIn
            | Action::RequestResetLink
            | Action::UseResetLink(_)
            | Action::EndProvenCases
            | Action::Helpdesk => {
                next.real.act(ctx, action);
                (Answer::Nothing, Answer::Nothing)
            }
            // one clock for both
            Action::Wait | Action::Almost => {
                let deadline = next
                    .real
                    .deadlines(ctx)
                    .into_iter()
                    .chain(next.decoy.deadlines(ctx))
                    .min()?;
                let to = match action {
                    Action::Almost => deadline.plus(-ALMOST_SECS),
                    _ => deadline,
                };
                if to <= next.real.now {
                    return None;
                }
                next.real.advance(ctx, to);
                next.decoy.advance(ctx, to);
                (Answer::Nothing, Answer::Nothing)
            }
            _ => (next.real.act(ctx, action), next.decoy.act(ctx, action)),
        };
        let ended = |state| Answer::Page(View::Ended(state));
        next.locked |= answers.0 == ended(CaseState::Locked);
        next.expired |= answers.0 == ended(CaseState::Expired);
        if answers.0 != answers.1 && next.diverged.is_none() {
            next.diverged = Some(answers);
        }
        let shift = next.real.now.since(T0);
        next.real.normalize(ctx, shift);
        next.decoy.normalize(ctx, shift);
        (next != *last).then_some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always(DECOYS_LOOK_REAL, |_, p: &Pair| p.diverged.is_none()),
            Property::sometimes("a case locks", |_, p: &Pair| p.locked),
            Property::sometimes("a case expires", |_, p: &Pair| p.expired),
            Property::sometimes("two wrong proofs are in flight at once", |_, p: &Pair| {
                p.real.guessing.iter().all(Option::is_some)
            }),
        ]
    }
}
