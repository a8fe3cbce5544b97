//! The model check in `cargo test`: the product keeps the five properties
//! at a bounded depth (`scripts/model-check` runs the full depth), and the
//! checker finds each bug of the security-holes issue again when its old
//! rule is swapped in.

use latchkey_core::platform::time::DAY;
use latchkey_model::decoy::{DECOYS_LOOK_REAL, Decoy};
use latchkey_model::rules::{DecoyRule, PasswordRule, Rules};
use latchkey_model::takeover::{FEWER_THAN_TWO_SECRETS_NEVER_COMPLETE, Takeover};
use latchkey_model::{Report, Secrets, check, check_each, describe_pair, describe_world};

/// The depths `cargo test` checks (debug build; docs/security/model-checking.md
/// has the full ones). The takeover depth is the depth at which the first
/// version's mailbox-only takeover shows (below); the decoy depth is three
/// steps beyond the old decoys' (6), and a tenth step would triple its time
/// in every CI run for what `scripts/model-check` covers at 11.
const TAKEOVER_DEPTH: usize = 7;
const DECOY_DEPTH: usize = 9;

fn holds(report: &Report) {
    println!("{report}");
    assert!(
        report.counterexamples.is_empty(),
        "a property fails:\n{report}"
    );
    assert!(
        report.missing_examples.is_empty(),
        "the model shows less than it should:\n{report}"
    );
}

const MAILBOX: Secrets = Secrets {
    mailbox: true,
    ..Secrets::NONE
};

/// What the checker finds against property 1 for a mailbox holder under
/// `password` (the mailbox alone: an attacker with a second secret cannot
/// break property 1, so exploring one would only double the time).
fn mailbox_attack(password: PasswordRule, depth: usize) -> Report {
    let rules = Rules {
        password,
        ..Rules::PRODUCT
    };
    let model = Takeover::new(rules).attackers(vec![MAILBOX]);
    let report = check(model, depth, describe_world);
    println!("{report}");
    report
}

fn found_with_the_mailbox_alone(report: &Report) {
    let steps = report.counterexample(FEWER_THAN_TWO_SECRETS_NEVER_COMPLETE);
    assert!(steps.is_some(), "the old rule was not caught:\n{report}");
    let steps = steps.unwrap_or_default();
    // the attacker reset the password from the mailbox and finished
    assert!(
        steps.iter().any(|s| s == "UseResetLink(Attacker)"),
        "{steps:?}"
    );
    assert!(steps.iter().any(|s| s == "CommitComplete(0)"), "{steps:?}");
}

#[test]
fn recovery_keeps_properties_1_2_3_and_5_for_every_attacker() {
    holds(&check_each(
        Takeover::each(Rules::PRODUCT),
        TAKEOVER_DEPTH,
        describe_world,
    ));
}

#[test]
fn decoys_and_real_cases_answer_alike() {
    holds(&check_each(
        Decoy::each(Rules::PRODUCT),
        DECOY_DEPTH,
        describe_pair,
    ));
}

/// The security-holes issue, item 1, as it was: only the proofs page looked
/// at a reset password — the start from "I lost my second factor" carried
/// it in and the completion did not ask again.
#[test]
fn the_checker_finds_the_mailbox_only_takeover_of_the_first_version() {
    found_with_the_mailbox_alone(&mailbox_attack(PasswordRule::ProofsPageOnly, 7));
}

/// `proof_counts` returning true.
#[test]
fn the_checker_finds_a_reset_password_counting_beside_the_mailbox() {
    found_with_the_mailbox_alone(&mailbox_attack(PasswordRule::AlwaysCounts, 7));
}

/// The first fix: the reset password counted again after 7 days.
#[test]
fn the_checker_finds_the_seven_day_rule() {
    found_with_the_mailbox_alone(&mailbox_attack(PasswordRule::CountsAfter(7 * DAY), 8));
}

/// The security-holes issue, item 3, as it was: a decoy stored nothing,
/// counted its wrong proofs on its own and never expired; a real case's
/// wrong proofs could lose a version race.
#[test]
fn the_checker_finds_decoys_that_answer_differently() {
    let rules = Rules {
        decoy: DecoyRule::Unstored,
        ..Rules::PRODUCT
    };
    let report = check(Decoy::new(rules), 6, describe_pair);
    println!("{report}");
    assert!(
        report.counterexample(DECOYS_LOOK_REAL).is_some(),
        "the old decoys were not caught:\n{report}"
    );
}
