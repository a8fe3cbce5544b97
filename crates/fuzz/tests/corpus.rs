//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through
//! every target: each input ever found interesting by `scripts/fuzz`, and
//! each crash once fixed, is checked on every test run, without the
//! fuzzing toolchain. One test per target.

#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::PathBuf;

fn replay(target: &str) {
    let run = latchkey_fuzz::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .unwrap_or_else(|| panic!("no target {target}"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{} holds no seeds", dir.display());
    for path in inputs {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target} fails on {}", path.display());
    }
}

#[test]
fn every_target_has_a_corpus_test() {
    let source = include_str!("corpus.rs");
    for (name, _) in latchkey_fuzz::TARGETS {
        assert!(
            source.contains(&format!("fn {name}() {{")),
            "no test replays {name}"
        );
    }
}

#[test]
fn accept_language() {
    replay("accept_language");
}

#[test]
fn authorize() {
    replay("authorize");
}

#[test]
fn client_assertion() {
    replay("client_assertion");
}

#[test]
fn codes() {
    replay("codes");
}

#[test]
fn config() {
    replay("config");
}

#[test]
fn cookies() {
    replay("cookies");
}

#[test]
fn jwt() {
    replay("jwt");
}

#[test]
fn redirect_uri() {
    replay("redirect_uri");
}

#[test]
fn token_request() {
    replay("token_request");
}

#[test]
fn webauthn() {
    replay("webauthn");
}
