//! Fuzz targets for every parser of latchkey that meets the network (and
//! the configuration file): each `run` takes arbitrary bytes, feeds them
//! to the function the product calls, and asserts the property that
//! function must keep — no panic, an error that is the client's (never a
//! server error), and a round trip where the parser has a writer.
//!
//! Two drivers call the same functions: cargo-fuzz (libFuzzer) from
//! `fuzz/`, coverage-guided, run by `scripts/fuzz`; and `cargo test` in
//! this crate (`tests/corpus.rs`), which replays the committed corpus in
//! `fuzz/corpus/<target>/` so that every input ever found interesting —
//! and every crash, once fixed — is checked on each CI run.
//! docs/security/fuzzing.md lists the targets and their results.

// A fuzz target reports a broken property by panicking: that is how
// libFuzzer and the test runner see a failure.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

pub mod accept_language;
pub mod authorize;
pub mod client_assertion;
pub mod codes;
pub mod config;
pub mod cookies;
pub mod jwt;
pub mod redirect_uri;
pub mod token_request;
pub mod webauthn;

/// A target: takes any bytes, panics when its parser breaks a property.
pub type Target = fn(&[u8]);

/// Every target by name: the names of `fuzz/fuzz_targets/*.rs` and of the
/// corpus folders.
pub const TARGETS: &[(&str, Target)] = &[
    ("accept_language", accept_language::run),
    ("authorize", authorize::run),
    ("client_assertion", client_assertion::run),
    ("codes", codes::run),
    ("config", config::run),
    ("cookies", cookies::run),
    ("jwt", jwt::run),
    ("redirect_uri", redirect_uri::run),
    ("token_request", token_request::run),
    ("webauthn", webauthn::run),
];

/// Splits the input into `N` text fields at NUL bytes (missing fields are
/// empty); invalid UTF-8 is replaced, as a header or form decoder would
/// refuse it before any parser here sees it.
pub fn fields<const N: usize>(data: &[u8]) -> [String; N] {
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (i, part) in data.splitn(N, |b| *b == 0).enumerate() {
        out[i] = String::from_utf8_lossy(part).into_owned();
    }
    out
}

/// Runs a future that never waits (the targets' stores answer at once).
pub fn now_or_never<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => {
            panic!("a target's future waited; its store must answer at once")
        }
    }
}
