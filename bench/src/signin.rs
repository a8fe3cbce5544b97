//! Sign-in throughput against the raw argon2id rate of the same machine.
//!
//! 1. Baseline: one thread per core verifies an argon2id hash (OWASP
//!    parameters) in a loop; hashes per second is the ceiling any sign-in
//!    endpoint can reach.
//! 2. The real `latchkey serve` (a child process, SQLite in a temporary data
//!    directory, or `--database-url`) gets a tenant and a user through the CLI,
//!    then this process drives successful sign-ins over loopback HTTP with
//!    `--concurrency` keep-alive connections.
//!
//! Prints both rates, their ratio, latency percentiles and how many requests
//! were refused with 503. Run with `bench/signin.sh`.
//! (A bench target, so `cargo run -- demo` has one binary to pick.)

#![allow(clippy::print_stdout)]

#[path = "common.rs"]
#[allow(dead_code)] // the page helpers are the recovery and people benches'
mod common;
use common::cpu_seconds;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use latchkey_core::accounts::password::{self, HashParams, Password, Scratch};
use latchkey_core::platform::random::{OsRandom, bytes, new_id};

const PASSWORD: &str = "benchmark password 2026";

struct Args {
    seconds: u64,
    concurrency: usize,
    latchkey: PathBuf,
    database_url: Option<String>,
}

fn args() -> anyhow::Result<Args> {
    let mut args = Args {
        seconds: 10,
        concurrency: 8,
        // target/release/deps/signin-HASH -> target/release/latchkey
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
            "--seconds" => args.seconds = value()?.parse().context("--seconds: a whole number")?,
            "--concurrency" => {
                args.concurrency = value()?.parse().context("--concurrency: a whole number")?
            }
            "--latchkey" => args.latchkey = PathBuf::from(value()?),
            "--database-url" => args.database_url = Some(value()?),
            // cargo bench passes this to every harness-less bench
            "--bench" => {}
            other => bail!(
                "unknown argument {other}; use --seconds N --concurrency N --latchkey PATH --database-url URL"
            ),
        }
    }
    Ok(args)
}

/// Verifications per second with one thread per core, for `seconds`; with
/// `reuse`, each thread keeps its working memory (as latchkey's pool does),
/// else every verification allocates it afresh (as the argon2 crate's
/// `PasswordVerifier` does).
fn raw_argon2_rate(seconds: u64, reuse: bool) -> anyhow::Result<f64> {
    let phc = password::hash(
        HashParams::OWASP,
        &Password::presented(PASSWORD),
        bytes::<16>(&OsRandom),
    )?;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let phc = phc.clone();
            std::thread::spawn(move || {
                let pw = Password::presented(PASSWORD);
                let mut scratch = Scratch::default();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let v = if reuse {
                        password::verify_with(&mut scratch, &phc, &pw, HashParams::OWASP)
                    } else {
                        password::verify(&phc, &pw, HashParams::OWASP)
                    };
                    if v.is_match() {
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        total += h
            .join()
            .map_err(|_| anyhow::anyhow!("hash thread panicked"))?;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

fn cli(
    args: &Args,
    data_dir: &std::path::Path,
    extra: &[&str],
    stdin: Option<&str>,
) -> anyhow::Result<()> {
    common::cli(
        &args.latchkey,
        args.database_url.as_deref(),
        data_dir,
        extra,
        stdin,
    )
    .map(drop)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!(
        "cores: {cores}; duration per phase: {} s; concurrency: {}",
        args.seconds, args.concurrency
    );

    let s = args.seconds;
    let fresh = tokio::task::spawn_blocking(move || raw_argon2_rate(s, false)).await??;
    println!(
        "baseline  argon2id verify (m=19456 KiB, t=2, p=1), {cores} threads, fresh memory each: {fresh:.1}/s"
    );
    let raw = tokio::task::spawn_blocking(move || raw_argon2_rate(s, true)).await??;
    println!(
        "baseline  argon2id verify (m=19456 KiB, t=2, p=1), {cores} threads, memory reused:     {raw:.1}/s"
    );

    let data_dir =
        std::env::temp_dir().join(format!("latchkey-bench-{}", new_id::<String>(&OsRandom)));
    std::fs::create_dir_all(&data_dir)?;
    let slug = format!("bench-{}", &new_id::<String>(&OsRandom)[..8]);
    cli(
        &args,
        &data_dir,
        &["tenant", "create", &slug, "--name", "Bench"],
        None,
    )?;
    // One user per connection: the per-account limit counts concurrent attempts.
    for i in 0..args.concurrency {
        let (name, email) = (format!("bench{i}"), format!("bench{i}@example.com"));
        let create = [
            "user",
            "create",
            "--tenant",
            &slug,
            "--username",
            &name,
            "--email",
            &email,
            "--password-stdin",
        ];
        cli(&args, &data_dir, &create, Some(PASSWORD))?;
    }

    let (mut server, base) =
        common::serve(&args.latchkey, args.database_url.as_deref(), &data_dir)?;

    let server_cpu_before = cpu_seconds(server.id());
    let own_cpu_before = cpu_seconds(std::process::id());
    let result = drive(&base, &slug, &args).await;
    let server_cpu = cpu_seconds(server.id()) - server_cpu_before;
    let own_cpu = cpu_seconds(std::process::id()) - own_cpu_before;
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
    let (ok, busy, mut latencies, elapsed) = result?;

    let rate = ok as f64 / elapsed;
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "latchkey  POST /t/{{tenant}}/signin (success, new session): {rate:.1}/s  p50 {:.1} ms  p99 {:.1} ms  503s: {busy}",
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
    println!(
        "ratio     sign-in / raw argon2id (memory reused) = {:.2}; / raw argon2id (fresh memory) = {:.2}",
        rate / raw,
        rate / fresh
    );
    println!(
        "cpu       server {:.1} s, load generator {:.1} s of {:.1} s available ({cores} cores x {elapsed:.1} s)",
        server_cpu,
        own_cpu,
        cores as f64 * elapsed
    );
    Ok(())
}

type Outcome = (u64, u64, Vec<Duration>, f64);

async fn drive(base: &str, slug: &str, args: &Args) -> anyhow::Result<Outcome> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client.get(format!("{base}/t/{slug}/signin")).send().await?;
    let cookie = page
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("no CSRF cookie")?
        .to_owned();
    let body = page.text().await?;
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).context("no CSRF field")? + marker.len();
    let csrf = body[start..]
        .split('"')
        .next()
        .context("no CSRF value")?
        .to_owned();
    let url = Arc::new(format!("{base}/t/{slug}/signin"));

    // warm-up
    let r = client
        .post(url.as_str())
        .header("cookie", &cookie)
        .form(&[("login", "bench0"), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await?;
    if r.status() != 303 {
        bail!("warm-up sign-in answered {}", r.status());
    }

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = vec![];
    for i in 0..args.concurrency {
        let (client, url, cookie, csrf) =
            (client.clone(), url.clone(), cookie.clone(), csrf.clone());
        let login = format!("bench{i}");
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut busy, mut lat) = (0u64, 0u64, vec![]);
            while Instant::now() < deadline {
                let t = Instant::now();
                let r = client
                    .post(url.as_str())
                    .header("cookie", &cookie)
                    .form(&[
                        ("login", login.as_str()),
                        ("password", PASSWORD),
                        ("csrf", &csrf),
                    ])
                    .send()
                    .await?;
                match r.status().as_u16() {
                    303 => {
                        ok += 1;
                        lat.push(t.elapsed());
                    }
                    503 => busy += 1,
                    other => bail!("sign-in answered {other}"),
                }
            }
            Ok::<_, anyhow::Error>((ok, busy, lat))
        }));
    }
    let (mut ok, mut busy, mut lat) = (0, 0, vec![]);
    for t in tasks {
        let (o, b, l) = t.await??;
        ok += o;
        busy += b;
        lat.extend(l);
    }
    Ok((ok, busy, lat, started.elapsed().as_secs_f64()))
}
