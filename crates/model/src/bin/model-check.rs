//! Runs the model checker and prints what it found:
//! `model-check [takeover|decoy|all|old-bugs] [DEPTH] [--no-almost]`
//! (defaults: both, at the depths of docs/security/model-checking.md;
//! `old-bugs` swaps in each old rule of the security-holes issue and prints
//! the counterexample the checker finds).

use latchkey_core::platform::time::DAY;
use latchkey_model::decoy::Decoy;
use latchkey_model::rules::{DecoyRule, PasswordRule, Rules};
use latchkey_model::takeover::Takeover;
use latchkey_model::{Report, check_each, describe_pair, describe_world};
use latchkey_model::{Secrets, check};

/// The full depths (docs/security/model-checking.md): the takeover model
/// with the clock stopping at and just before deadlines, and once more one
/// step deeper with the clock stopping only at them; the decoy model.
const TAKEOVER_DEPTH: usize = 8;
const TAKEOVER_DEADLINES_ONLY_DEPTH: usize = 9;
const DECOY_DEPTH: usize = 11;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args
        .iter()
        .find(|a| matches!(a.as_str(), "takeover" | "decoy" | "all" | "old-bugs"))
        .map_or("all", String::as_str);
    if which == "old-bugs" {
        old_bugs();
        return;
    }
    let depth = args.iter().find_map(|a| a.parse::<usize>().ok());
    let no_almost = args.iter().any(|a| a == "--no-almost");
    let mut failed = false;
    let mut show = |name: String, report: Report| {
        println!("{name}: {report}");
        failed |= !report.counterexamples.is_empty() || !report.missing_examples.is_empty();
    };
    if matches!(which, "takeover" | "all") {
        let mut runs = vec![(depth.unwrap_or(TAKEOVER_DEPTH), !no_almost)];
        if depth.is_none() && !no_almost {
            runs.push((TAKEOVER_DEADLINES_ONLY_DEPTH, false));
        }
        for (depth, almost) in runs {
            let mut models = Takeover::each(Rules::PRODUCT);
            models.iter_mut().for_each(|m| m.ctx.almost = almost);
            let clock = if almost {
                "at and just before deadlines"
            } else {
                "at deadlines"
            };
            show(
                format!("takeover (properties 1, 2, 3, 5; 11 attackers; clock {clock})"),
                check_each(models, depth, describe_world),
            );
        }
    }
    if matches!(which, "decoy" | "all") {
        let mut models = Decoy::each(Rules::PRODUCT);
        models.iter_mut().for_each(|m| m.ctx.almost = !no_almost);
        show(
            "decoy (property 4; 2 attackers)".to_owned(),
            check_each(models, depth.unwrap_or(DECOY_DEPTH), describe_pair),
        );
    }
    if failed {
        std::process::exit(1);
    }
}

/// Each old rule of the security-holes issue, and what the checker finds.
fn old_bugs() {
    let mailbox = vec![
        Secrets {
            mailbox: true,
            ..Secrets::NONE
        },
        Secrets {
            mailbox: true,
            device: true,
            ..Secrets::NONE
        },
    ];
    for (name, password, depth) in [
        (
            "only the proofs page checks a reset password",
            PasswordRule::ProofsPageOnly,
            8,
        ),
        ("proof_counts returns true", PasswordRule::AlwaysCounts, 8),
        (
            "a reset password counts after 7 days",
            PasswordRule::CountsAfter(7 * DAY),
            9,
        ),
    ] {
        let rules = Rules {
            password,
            ..Rules::PRODUCT
        };
        for attacker in &mailbox {
            let model = Takeover::new(rules).attackers(vec![*attacker]);
            println!(
                "{name}, {attacker}: {}",
                check(model, depth, describe_world)
            );
        }
    }
    let rules = Rules {
        decoy: DecoyRule::Unstored,
        ..Rules::PRODUCT
    };
    println!(
        "decoys stored nothing: {}",
        check(Decoy::new(rules), 8, describe_pair)
    );
}
