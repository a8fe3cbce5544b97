//! Properties 1, 2, 3 and 5: the owner, an attacker holding at most two of
//! the owner's secrets, the mailbox, the helpdesk, the operator and the
//! clock, all at once, in every order.

use latchkey_core::recovery::case::Proof;
use stateright::{Model, Property};

use crate::action::Action;
use crate::rules::Rules;
use crate::world::{Ctx, Door, Secrets, T0, Who, World, model_policy};

/// The model of one account under attack.
#[derive(Debug, Clone)]
pub struct Takeover {
    pub ctx: Ctx,
    /// One initial state per attacker.
    pub attackers: Vec<Secrets>,
}

impl Takeover {
    /// Every attacker holding at most two secrets, under `rules`.
    pub fn new(rules: Rules) -> Takeover {
        Takeover {
            ctx: Ctx {
                policy: model_policy(),
                rules,
                almost: true,
            },
            attackers: Secrets::at_most_two(),
        }
    }

    /// Only these attackers.
    pub fn attackers(mut self, attackers: Vec<Secrets>) -> Takeover {
        self.attackers = attackers;
        self
    }
}

/// Property names, as the checker reports them.
pub const FEWER_THAN_TWO_SECRETS_NEVER_COMPLETE: &str =
    "1. an attacker with fewer than two independent secrets never completes";
pub const NO_COMPLETION_BEFORE_THE_WAIT: &str =
    "2. nothing completes before the wait, unless on a known device or the instant path";
pub const ONE_COMPLETION_AND_CANCEL_WINS: &str =
    "3. one completion per case and person at a time; a cancel wins over a later completion";
pub const NOTHING_FROM_BEFORE_SURVIVES: &str = "5. after a completion nothing from before survives (sessions, refresh tokens, factors, devices, reset links)";

/// What survives from before the last factor reset (empty: property 5
/// holds).
pub fn survivors(world: &World) -> Vec<String> {
    let account = &world.account;
    let mut found: Vec<String> = account
        .holdings
        .iter()
        .filter(|h| h.epoch < account.epoch)
        .map(|h| format!("{:?}", h.kind))
        .collect();
    found.extend(
        account
            .refresh
            .iter()
            .filter(|(_, epoch)| *epoch < account.epoch)
            .map(|(who, _)| format!("refresh token of {who:?}")),
    );
    found
}

impl Takeover {
    /// One model per attacker, to be checked one after the other.
    pub fn each(rules: Rules) -> Vec<Takeover> {
        let all = Takeover::new(rules);
        all.attackers
            .iter()
            .map(|secrets| Takeover {
                attackers: vec![*secrets],
                ..all.clone()
            })
            .collect()
    }
}

impl Model for Takeover {
    type State = World;
    type Action = Action;

    fn init_states(&self) -> Vec<World> {
        self.attackers
            .iter()
            .map(|secrets| World::new(*secrets, false))
            .collect()
    }

    fn actions(&self, w: &World, actions: &mut Vec<Action>) {
        let ctx = &self.ctx;
        for who in [Who::Owner, Who::Attacker] {
            let has_case = w.browsers[who.at()].case.is_some();
            actions.push(Action::Start(who, Door::Login));
            if w.knows_password(who) {
                actions.push(Action::Start(who, Door::SecondStep));
            }
            if has_case {
                if w.holds_mailbox(who) {
                    actions.push(Action::Prove(who, Proof::EmailCode));
                }
                if w.knows_password(who) {
                    actions.push(Action::Prove(who, Proof::Password));
                }
                actions.push(Action::BeginComplete(who));
            }
            if w.holds_mailbox(who) && w.reset_link().is_some() {
                actions.push(Action::UseResetLink(who));
            }
        }
        // a cancel link does the same whoever clicks it: the owner's click
        // stands for the attacker's too
        for (i, case) in w.cases.iter().enumerate() {
            if case.cancel_link && case.facts.state.is_open() {
                actions.push(Action::CancelLink(Who::Owner, i as u8));
            }
        }
        let attacker_case = w.browsers[Who::Attacker.at()].case.is_some();
        if attacker_case && w.attacker.recovery_code {
            actions.push(Action::Prove(Who::Attacker, Proof::RecoveryCode));
        }
        if w.browsers[Who::Owner.at()] != Default::default() {
            actions.push(Action::ClearCookies(Who::Owner));
        }
        if w.owner_can_sign_in() {
            actions.push(Action::OwnerSignsIn);
        }
        if w.reset_link().is_none() {
            actions.push(Action::RequestResetLink);
        }
        for k in 0..w.completing.len() {
            actions.push(Action::CommitComplete(k as u8));
        }
        if !w.after.is_empty() {
            actions.push(Action::EndProvenCases);
        }
        actions.push(Action::Helpdesk);
        actions.push(if w.recovery_on {
            Action::OperatorOff
        } else {
            Action::OperatorOn
        });
        if !w.deadlines(ctx).is_empty() {
            actions.push(Action::Wait);
        }
        if ctx.almost {
            actions.push(Action::Almost);
        }
    }

    fn next_state(&self, last: &World, action: Action) -> Option<World> {
        let mut next = last.clone();
        next.act(&self.ctx, action);
        let shift = next.now.since(T0);
        next.normalize(&self.ctx, shift);
        (next != *last).then_some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always(FEWER_THAN_TWO_SECRETS_NEVER_COMPLETE, |_, w: &World| {
                !(w.ghost.attacker_completed && w.attacker.independent() < 2)
            }),
            Property::always(NO_COMPLETION_BEFORE_THE_WAIT, |_, w: &World| !w.ghost.early),
            Property::always(ONE_COMPLETION_AND_CANCEL_WINS, |_, w: &World| {
                !w.ghost.twice
                    && !w.ghost.after_cancel
                    && w.cases
                        .iter()
                        .filter(|c| c.account && c.facts.state.is_proven_open())
                        .count()
                        <= 1
            }),
            Property::always(NOTHING_FROM_BEFORE_SURVIVES, |_, w: &World| {
                survivors(w).is_empty()
            }),
            Property::sometimes("the owner recovers", |_, w: &World| w.ghost.owner_completed),
            Property::sometimes(
                "an attacker with two independent secrets can complete",
                |_, w: &World| w.ghost.attacker_completed && w.attacker.independent() >= 2,
            ),
            Property::sometimes("a proven case takes another over", |_, w: &World| {
                w.ghost.took_over
            }),
            Property::sometimes(
                "a completion comes after the wait, from an unknown device",
                |_, w: &World| w.ghost.waited,
            ),
            Property::sometimes(
                "a completion in flight loses to a cancel",
                |_, w: &World| w.ghost.cancel_won,
            ),
        ]
    }
}
