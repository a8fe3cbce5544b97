//! Runs the model checker and prints what it found:
//! `model-check [takeover|decoy|all] [DEPTH] [--no-almost]`
//! (defaults: both, at the depths of docs/security/model-checking.md).

use latchkey_model::decoy::Decoy;
use latchkey_model::rules::Rules;
use latchkey_model::takeover::Takeover;
use latchkey_model::{Report, check_each, describe_pair, describe_world};

/// The full depths (docs/security/model-checking.md).
const TAKEOVER_DEPTH: usize = 9;
const DECOY_DEPTH: usize = 12;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args
        .iter()
        .find(|a| matches!(a.as_str(), "takeover" | "decoy" | "all"))
        .map_or("all", String::as_str);
    let depth = args.iter().find_map(|a| a.parse::<usize>().ok());
    let almost = !args.iter().any(|a| a == "--no-almost");
    let mut failed = false;
    let mut show = |name: &str, report: Report| {
        println!("{name}: {report}");
        failed |= !report.counterexamples.is_empty() || !report.missing_examples.is_empty();
    };
    if matches!(which, "takeover" | "all") {
        let mut models = Takeover::each(Rules::PRODUCT);
        models.iter_mut().for_each(|m| m.ctx.almost = almost);
        let depth = depth.unwrap_or(TAKEOVER_DEPTH);
        show(
            "takeover (properties 1, 2, 3, 5; 11 attackers)",
            check_each(models, depth, describe_world),
        );
    }
    if matches!(which, "decoy" | "all") {
        let mut models = Decoy::each(Rules::PRODUCT);
        models.iter_mut().for_each(|m| m.ctx.almost = almost);
        let depth = depth.unwrap_or(DECOY_DEPTH);
        show(
            "decoy (property 4; 2 attackers)",
            check_each(models, depth, describe_pair),
        );
    }
    if failed {
        std::process::exit(1);
    }
}
