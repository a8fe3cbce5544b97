//! The rules the model can swap: the product's, and the old ones the
//! security-holes issue removed — so that a test can show the checker
//! finds each old bug again.
//!
//! Both are swapped *around* core, never inside it: the state machine
//! (`CaseFacts::apply`) is always the product's. The password rule is
//! swapped through what the machine is told about the account
//! ([`AccountFacts`] — the only thing [`proof_counts`] reads), the decoy
//! rule through how the journey treats a case without an account.
//!
//! [`proof_counts`]: latchkey_core::recovery::case::proof_counts

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::case::AccountFacts;

/// Whether a password set from a mailed reset link counts as a recovery
/// proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PasswordRule {
    /// The product: every path tells the machine the account's
    /// `password_reset_at` (`AccountFacts::of`), and
    /// `core::recovery::case::proof_counts` says no until the account
    /// signed in with that password and a second factor.
    Product,
    /// The first version: only the proofs page looked at the reset; the
    /// start from the second sign-in step carried the password in and the
    /// completion did not ask again — a mailbox-only takeover.
    ProofsPageOnly,
    /// `proof_counts` returned true.
    AlwaysCounts,
    /// The first fix: the password counted again this many seconds after
    /// the reset (7 days).
    CountsAfter(i64),
}

/// How a name that may not recover is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecoyRule {
    /// The product: a stored case without an account, run by the same
    /// journey and the same machine; wrong proofs are counted atomically
    /// (`count_wrong_proof`) on real cases and decoys alike.
    Product,
    /// The first version: nothing stored for a decoy — its wrong proofs
    /// were counted in a counter of its own, it never expired — while a
    /// real case counted a wrong proof as a versioned update that could
    /// lose a race (409, not counted).
    Unstored,
}

/// Which rules the model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rules {
    pub password: PasswordRule,
    pub decoy: DecoyRule,
}

impl Rules {
    /// The product's rules.
    pub const PRODUCT: Rules = Rules {
        password: PasswordRule::Product,
        decoy: DecoyRule::Product,
    };

    /// What the state machine is told about the account behind a real
    /// case, on the path `at`: in the product `AccountFacts::of(user)`
    /// everywhere.
    pub fn account_facts(
        &self,
        password_reset_at: Option<UnixTime>,
        now: UnixTime,
        at: Path,
    ) -> AccountFacts {
        let product = AccountFacts {
            password_reset_at,
            ..AccountFacts::default()
        };
        match self.password {
            PasswordRule::Product => product,
            PasswordRule::AlwaysCounts => AccountFacts::default(),
            PasswordRule::CountsAfter(secs) => AccountFacts {
                password_reset_at: password_reset_at.filter(|at| now < at.plus(secs)),
                ..AccountFacts::default()
            },
            PasswordRule::ProofsPageOnly if at == Path::Proof => product,
            PasswordRule::ProofsPageOnly => AccountFacts::default(),
        }
    }

    /// A moment when the password rule changes its mind by itself (the
    /// end of the old 7-day distrust): time jumps there too.
    pub fn deadline(&self, password_reset_at: Option<UnixTime>) -> Option<UnixTime> {
        match self.password {
            PasswordRule::CountsAfter(secs) => password_reset_at.map(|at| at.plus(secs)),
            _ => None,
        }
    }
}

/// Where in the journey the machine is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Path {
    /// `start`: `CaseFacts::open` (and the resume from the second step).
    Start,
    /// `prove`: the proofs page.
    Proof,
    /// `complete`.
    Complete,
    /// Time, a cancel: anything else.
    Other,
}
