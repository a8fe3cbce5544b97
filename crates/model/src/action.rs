//! Every step an actor can take, and what it does to a [`World`].

use latchkey_core::recovery::case::Proof;

use crate::world::{ALMOST_SECS, Answer, Ctx, Door, Who, World};

/// One step of one actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    // ---- a browser (the owner's or the attacker's) ----
    /// "Can't sign in?" or "I lost my second factor".
    Start(Who, Door),
    /// A proof the person holds (a right one).
    Prove(Who, Proof),
    /// A wrong proof, read and counted in one go.
    Guess(Who),
    /// A wrong proof read by a node (0 or 1) …
    BeginGuess(u8),
    /// … and counted by it.
    CommitGuess(u8),
    /// The page of the browser's case.
    View(Who),
    /// "Stop this recovery".
    Stop(Who),
    /// "Finish": read by a node …
    BeginComplete(Who),
    /// … and written (the completion in flight with this index).
    CommitComplete(u8),
    /// The owner's browser forgets its cookies (a private window).
    ClearCookies(Who),
    // ---- the mailbox ----
    /// The cancel link of a case, by whoever holds the mailbox.
    CancelLink(Who, u8),
    /// "Forgot password": anyone can have a link mailed.
    RequestResetLink,
    /// The link used by whoever holds the mailbox.
    UseResetLink(Who),
    // ---- the owner, the helpdesk, the operator ----
    /// A sign-in with the password and a second factor.
    OwnerSignsIn,
    /// The owner loses every second factor.
    OwnerLosesFactors,
    /// The cancels that follow a password reset or a sign-in, in their own
    /// transactions.
    EndProvenCases,
    /// An administrator resets the owner's second factors.
    Helpdesk,
    OperatorOff,
    OperatorOn,
    // ---- the clock ----
    /// To the next deadline.
    Wait,
    /// To just before the next deadline ([`ALMOST_SECS`]).
    Almost,
}

impl World {
    /// Takes `action`; what the browser is answered.
    pub fn act(&mut self, ctx: &Ctx, action: Action) -> Answer {
        match action {
            Action::Start(who, door) => self.start(ctx, who, door),
            Action::Prove(who, proof) => self.prove(ctx, who, proof),
            Action::Guess(_) => match self.begin_guess(ctx, 0) {
                Answer::Working => self.commit_guess(ctx, 0),
                other => other,
            },
            Action::BeginGuess(node) => self.begin_guess(ctx, usize::from(node)),
            Action::CommitGuess(node) => self.commit_guess(ctx, usize::from(node)),
            Action::View(who) => self.view(ctx, who),
            Action::Stop(who) => self.stop(ctx, who),
            Action::BeginComplete(who) => self.begin_complete(ctx, who),
            Action::CommitComplete(k) => self.commit_complete(ctx, usize::from(k)),
            Action::ClearCookies(who) => {
                self.browsers[who.at()] = Default::default();
                Answer::Nothing
            }
            Action::CancelLink(_, case) => self.cancel_link(ctx, usize::from(case)),
            Action::RequestResetLink => self.request_reset_link(),
            Action::UseResetLink(who) => self.use_reset_link(who),
            Action::OwnerSignsIn => self.owner_signs_in(),
            Action::OwnerLosesFactors => {
                self.account.factors_lost = true;
                Answer::Nothing
            }
            Action::EndProvenCases => self.end_proven_cases(ctx),
            Action::Helpdesk => self.helpdesk(ctx),
            Action::OperatorOff => self.operator_off(),
            Action::OperatorOn => self.operator_on(),
            Action::Wait => {
                if let Some(to) = self.deadlines(ctx).into_iter().min() {
                    self.advance(ctx, to);
                }
                Answer::Nothing
            }
            Action::Almost => {
                if let Some(to) = self.deadlines(ctx).into_iter().min() {
                    let to = to.plus(-ALMOST_SECS);
                    if to > self.now {
                        self.advance(ctx, to);
                    }
                }
                Answer::Nothing
            }
        }
    }
}
