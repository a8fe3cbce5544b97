//! Self-recovery's timing class: what a start and a wrong proof cost for a
//! real account, an unknown name, a disabled account and an excluded
//! administrator, measured in one run on the real binary.
//!
//! The decoy answers for unknown, disabled and excluded names must not be
//! faster or slower than a real case in a way someone can measure: they run
//! the same code path and the same writes (the security-holes issue, item
//! 3). The real account's start also writes its code mail to the outbox, in
//! the same transaction.
//!
//! 1. The real `latchkey serve` (a child process, SQLite in a temporary data
//!    directory, or `--database-url`) gets a tenant with self-recovery on,
//!    `--rounds` real users, as many disabled ones and administrators (the
//!    tenant sends administrators to the helpdesk), through the CLI.
//! 2. Each round starts a recovery for one name of each kind, interleaved so
//!    the machine's noise falls on all alike, each from a fresh browser and a
//!    client address of its own (behind a trusted proxy header, so the
//!    per-address limit does not refuse the bench), then gives one wrong
//!    emailed code.
//!
//! Prints the median and 90th percentile of each kind and their ratio to the
//! real account's. Run with `bench/recovery.sh`.

#![allow(clippy::print_stdout)]

#[path = "common.rs"]
#[allow(dead_code)] // the CPU readings are the throughput benches'
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use latchkey_core::platform::random::{OsRandom, new_id};

const PASSWORD: &str = "benchmark password 2026";
const KINDS: [&str; 4] = ["real", "unknown", "disabled", "excluded admin"];

struct Args {
    rounds: usize,
    latchkey: PathBuf,
    database_url: Option<String>,
}

fn args() -> anyhow::Result<Args> {
    let mut args = Args {
        rounds: 100,
        latchkey: std::env::current_exe()?
            .parent()
            .and_then(|deps| deps.parent())
            .map_or_else(|| PathBuf::from("latchkey"), |dir| dir.join("latchkey")),
        database_url: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--rounds" => {
                args.rounds = value()?.parse().context("--rounds: a whole number")?;
                if args.rounds == 0 || args.rounds > 120 {
                    // four starts a round; past 500 an hour the tenant surges
                    bail!("--rounds: 1 to 120");
                }
            }
            "--latchkey" => args.latchkey = PathBuf::from(value()?),
            "--database-url" => args.database_url = Some(value()?),
            "--bench" => {}
            other => {
                bail!("unknown argument {other}; use --rounds N --latchkey PATH --database-url URL")
            }
        }
    }
    Ok(args)
}

/// One start and one wrong proof from a fresh browser at `address`: how
/// long each POST took.
async fn journey(
    base: &str,
    slug: &str,
    login: &str,
    address: &str,
) -> anyhow::Result<(Duration, Duration)> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("{base}/t/{slug}/recover"))
        .header("x-forwarded-for", address)
        .send()
        .await?
        .text()
        .await?;
    let csrf = common::csrf_of(&page)?;
    let started = Instant::now();
    let r = client
        .post(format!("{base}/t/{slug}/recover"))
        .header("x-forwarded-for", address)
        .form(&[("csrf", csrf.as_str()), ("login", login)])
        .send()
        .await?;
    let start = started.elapsed();
    if r.status().as_u16() != 303 {
        bail!("start for {login} answered {}", r.status());
    }
    let page = client
        .get(format!("{base}/t/{slug}/recover/case"))
        .header("x-forwarded-for", address)
        .send()
        .await?
        .text()
        .await?;
    let csrf = common::csrf_of(&page)?;
    let started = Instant::now();
    let r = client
        .post(format!("{base}/t/{slug}/recover/proof"))
        .header("x-forwarded-for", address)
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "email_code"),
            ("value", "12345678"),
        ])
        .send()
        .await?;
    let proof = started.elapsed();
    if r.status().as_u16() != 401 {
        bail!("a wrong code for {login} answered {}", r.status());
    }
    Ok((start, proof))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p) as usize)
        .copied()
        .unwrap_or_default()
        .as_secs_f64()
        * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let data_dir =
        std::env::temp_dir().join(format!("latchkey-bench-{}", new_id::<String>(&OsRandom)));
    std::fs::create_dir_all(&data_dir)?;
    let slug = format!("bench-{}", &new_id::<String>(&OsRandom)[..8]);
    let cli = |extra: &[&str], stdin: Option<&str>| {
        common::cli(
            &args.latchkey,
            args.database_url.as_deref(),
            &data_dir,
            extra,
            stdin,
        )
    };
    cli(&["tenant", "create", &slug, "--name", "Bench"], None)?;
    cli(&["tenant", "recovery", "enable", &slug], None)?;
    println!("creating {} accounts of each kind …", args.rounds);
    for i in 0..args.rounds {
        for (prefix, role) in [("real", "member"), ("off", "member"), ("admin", "admin")] {
            let (name, email) = (format!("{prefix}{i}"), format!("{prefix}{i}@example.com"));
            cli(
                &[
                    "user",
                    "create",
                    "--tenant",
                    &slug,
                    "--username",
                    &name,
                    "--email",
                    &email,
                    "--email-verified",
                    "--role",
                    role,
                    "--password-stdin",
                ],
                Some(PASSWORD),
            )?;
        }
        cli(
            &["user", "disable", "--tenant", &slug, &format!("off{i}")],
            None,
        )?;
    }

    let (mut server, base) = common::serve_with(
        &args.latchkey,
        args.database_url.as_deref(),
        &data_dir,
        &[("LATCHKEY_SERVER_TRUST_PROXY_HEADERS", "true")],
    )?;
    let mut starts: Vec<Vec<Duration>> = vec![vec![]; KINDS.len()];
    let mut proofs: Vec<Vec<Duration>> = vec![vec![]; KINDS.len()];
    let mut result = Ok(());
    'rounds: for i in 0..args.rounds {
        let logins = [
            format!("real{i}"),
            format!("nobody{i}@example.com"),
            format!("off{i}"),
            format!("admin{i}"),
        ];
        // a different kind goes first each round
        for k in (0..KINDS.len()).map(|k| (k + i) % KINDS.len()) {
            let address = format!("10.{}.{}.{}", i / 250, i % 250, k + 1);
            match journey(&base, &slug, &logins[k], &address).await {
                Ok((start, proof)) => {
                    starts[k].push(start);
                    proofs[k].push(proof);
                }
                Err(err) => {
                    result = Err(err);
                    break 'rounds;
                }
            }
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
    result?;

    for (what, samples) in [("start", &mut starts), ("wrong code", &mut proofs)] {
        for s in samples.iter_mut() {
            s.sort();
        }
        let real = percentile(&samples[0], 0.5);
        for (k, kind) in KINDS.iter().enumerate() {
            let (p50, p90) = (percentile(&samples[k], 0.5), percentile(&samples[k], 0.9));
            println!(
                "{what:<10} {kind:<15} p50 {p50:6.2} ms  p90 {p90:6.2} ms  median / real's = {:.2}",
                p50 / real
            );
        }
    }
    Ok(())
}
