//! The configuration file and `LATCHKEY_*` variables:
//! `latchkey::config::load`, which `latchkey serve` and every CLI command
//! run first. Not from the network, but from whoever writes the file: an
//! operator's typo must be reported, never crash the start.
//!
//! Input: the file's text, a NUL, a variable's name, a NUL, its value.
//!
//! Properties:
//! - no panic;
//! - a refusal lists problems, none empty, and one about a key set in the
//!   file names the file;
//! - a loaded configuration's `Debug` (what a log may print) holds neither
//!   the secret key nor the metrics token.

use latchkey::config::{Sources, load};
use std::path::PathBuf;

fn path() -> PathBuf {
    std::env::temp_dir().join(format!("latchkey-fuzz-config-{}.toml", std::process::id()))
}

pub fn run(data: &[u8]) {
    let [file, name, value] = crate::fields::<3>(data);
    let path = path();
    std::fs::write(&path, file.as_bytes()).expect("the temporary directory is writable");
    let mut env = vec![];
    if !name.is_empty() {
        env.push((
            format!("LATCHKEY_{}", name.trim_start_matches("LATCHKEY_")),
            value,
        ));
    }
    let sources = Sources {
        file: Some(path.clone()),
        env,
        flags: vec![],
    };
    let origin = path.display().to_string();
    match load(&sources) {
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in &problems {
                assert!(!p.trim().is_empty());
                // A problem of a key set in the file says it is the file
                // (the name of an unknown variable may hold anything, and
                // is shown quoted on one line).
                if p.contains("unknown environment variable") {
                    assert!(!p.contains('\n'), "{p}");
                } else if p.contains(" (in ") {
                    assert!(p.contains(&origin), "{p}");
                }
            }
        }
        Ok(config) => {
            let shown = format!("{config:?}");
            if let Some(key) = config.secret_key {
                let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
                assert!(
                    !shown.to_lowercase().contains(&hex),
                    "the secret key is shown"
                );
            }
            if let Some(token) = &config.metrics.token {
                assert!(
                    !shown.contains(token.as_str()),
                    "the metrics token is shown"
                );
            }
        }
    }
}
