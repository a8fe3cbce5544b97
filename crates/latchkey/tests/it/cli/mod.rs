//! The real binary: tenant and user commands, config check, start-up errors
//! and the demo.
//!
//! One module per group of commands; `latchkey`, `out` and `err` run the
//! binary and read what it printed.

mod accounts;
mod audit;
mod operations;
mod startup;

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub(crate) fn latchkey(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(args)
        .args(["--database-url", db_url])
        .env_remove("LATCHKEY_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub(crate) fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
