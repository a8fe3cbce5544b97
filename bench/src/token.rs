//! Token endpoint throughput: the refresh grant (with rotation) and client
//! credentials, against baselines measured in the same run.
//!
//! 1. Baseline: ES256 signatures per second with ring, one thread per core
//!    (a refresh signs two tokens, client credentials one): the ceiling of
//!    any token endpoint that signs with this key type on these cores.
//! 2. The real `latchkey serve` (a child process; SQLite in a temporary data
//!    directory, or `--database-url`) gets a tenant, a user and two
//!    applications through the CLI. This process signs in once per
//!    connection, obtains a refresh token through the authorization code
//!    flow, then drives `POST /t/{tenant}/token` over `--concurrency`
//!    keep-alive loopback connections: first `grant_type=refresh_token`,
//!    each connection rotating its own token, then `client_credentials`.
//! 3. Optionally (`--rate N`) a fixed request rate instead of as fast as
//!    possible, to read p99 at a share of the peak.
//!
//! Run with `bench/token.sh`.

#![allow(clippy::print_stdout)]

#[path = "common.rs"]
#[allow(dead_code)] // the page helpers are the recovery and people benches'
mod common;
use common::cpu_seconds;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use latchkey_core::platform::random::{OsRandom, new_id};

const PASSWORD: &str = "benchmark password 2026";
const REDIRECT: &str = "https://bench.example/cb";

struct Args {
    seconds: u64,
    concurrency: usize,
    latchkey: PathBuf,
    database_url: Option<String>,
    /// Requests per second in total; 0 = as fast as possible.
    rate: f64,
}

fn args() -> anyhow::Result<Args> {
    let mut args = Args {
        seconds: 10,
        concurrency: 16,
        latchkey: std::env::current_exe()?
            .parent()
            .and_then(|deps| deps.parent())
            .map_or_else(|| PathBuf::from("latchkey"), |dir| dir.join("latchkey")),
        database_url: None,
        rate: 0.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--seconds" => args.seconds = value()?.parse().context("--seconds: a whole number")?,
            "--concurrency" => {
                args.concurrency = value()?.parse().context("--concurrency: a whole number")?
            }
            "--rate" => args.rate = value()?.parse().context("--rate: requests per second")?,
            "--latchkey" => args.latchkey = PathBuf::from(value()?),
            "--database-url" => args.database_url = Some(value()?),
            "--bench" => {}
            other => bail!(
                "unknown argument {other}; use --seconds N --concurrency N --rate N --latchkey PATH --database-url URL"
            ),
        }
    }
    Ok(args)
}

/// ES256 signatures per second, one thread per core.
fn raw_es256_rate(seconds: u64) -> anyhow::Result<f64> {
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .map_err(|_| anyhow::anyhow!("key generation failed"))?;
    let pkcs8 = Arc::new(pkcs8.as_ref().to_vec());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let pkcs8 = pkcs8.clone();
            std::thread::spawn(move || -> anyhow::Result<u64> {
                let rng = SystemRandom::new();
                let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
                    .map_err(|_| anyhow::anyhow!("key did not load"))?;
                let message = [7u8; 400];
                let mut n = 0u64;
                while Instant::now() < deadline {
                    pair.sign(&rng, &message)
                        .map_err(|_| anyhow::anyhow!("signing failed"))?;
                    n += 1;
                }
                Ok(n)
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        total += h
            .join()
            .map_err(|_| anyhow::anyhow!("signing thread panicked"))??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

fn cli(
    args: &Args,
    data_dir: &std::path::Path,
    extra: &[&str],
    stdin: Option<&str>,
) -> anyhow::Result<String> {
    common::cli(
        &args.latchkey,
        args.database_url.as_deref(),
        data_dir,
        extra,
        stdin,
    )
}

fn client_of(json: &str) -> anyhow::Result<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).context("client create --json")?;
    Ok((
        v["client_id"].as_str().context("client_id")?.to_owned(),
        v["client_secret"]
            .as_str()
            .context("client_secret")?
            .to_owned(),
    ))
}

/// A refresh token for `client`: sign in, authorize, redeem.
async fn first_refresh_token(
    base: &str,
    slug: &str,
    client: &(String, String),
) -> anyhow::Result<String> {
    let b = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = b
        .get(format!("{base}/t/{slug}/signin"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).context("no CSRF field")? + marker.len();
    let csrf = page[start..]
        .split('"')
        .next()
        .context("no CSRF value")?
        .to_owned();
    let r = b
        .post(format!("{base}/t/{slug}/signin"))
        .form(&[("login", "bench"), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await?;
    if r.status() != 303 {
        bail!("sign-in answered {}", r.status());
    }
    let r = b
        .get(format!("{base}/t/{slug}/authorize"))
        .query(&[
            ("client_id", client.0.as_str()),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid email"),
        ])
        .send()
        .await?;
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .context("authorize did not redirect")?
        .to_owned();
    let code = location
        .split("code=")
        .nth(1)
        .and_then(|c| c.split('&').next())
        .context("no code")?
        .to_owned();
    let tokens: serde_json::Value = b
        .post(format!("{base}/t/{slug}/token"))
        .basic_auth(&client.0, Some(&client.1))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await?
        .json()
        .await?;
    Ok(tokens["refresh_token"]
        .as_str()
        .context("no refresh token")?
        .to_owned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!(
        "cores: {cores}; duration per phase: {} s; concurrency: {}; rate: {}",
        args.seconds,
        args.concurrency,
        if args.rate > 0.0 {
            format!("{}/s", args.rate)
        } else {
            "as fast as possible".into()
        }
    );
    let s = args.seconds;
    let es256 = tokio::task::spawn_blocking(move || raw_es256_rate(s)).await??;
    println!("baseline  ES256 signatures (ring), {cores} threads: {es256:.0}/s");

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
    cli(
        &args,
        &data_dir,
        &[
            "user",
            "create",
            "--tenant",
            &slug,
            "--username",
            "bench",
            "--email",
            "bench@example.com",
            "--password-stdin",
            "--email-verified",
        ],
        Some(PASSWORD),
    )?;
    let web = client_of(&cli(
        &args,
        &data_dir,
        &[
            "client",
            "create",
            "--tenant",
            &slug,
            "--name",
            "Web",
            "--redirect-uri",
            REDIRECT,
            "--first-party",
            "--json",
        ],
        None,
    )?)?;
    let machine = client_of(&cli(
        &args,
        &data_dir,
        &[
            "client",
            "create",
            "--tenant",
            &slug,
            "--name",
            "Machine",
            "--grant",
            "client_credentials",
            "--json",
        ],
        None,
    )?)?;

    let (mut server, base) =
        common::serve(&args.latchkey, args.database_url.as_deref(), &data_dir)?;

    let result = async {
        let mut tokens = vec![];
        for _ in 0..args.concurrency {
            tokens.push(first_refresh_token(&base, &slug, &web).await?);
        }
        let url = format!("{base}/t/{slug}/token");
        let cpu = cpu_seconds(server.id());
        let refresh = drive(
            &url,
            &args,
            Grant::Refresh {
                client: web.clone(),
                tokens,
            },
        )
        .await?;
        let refresh_cpu = cpu_seconds(server.id()) - cpu;
        report(
            "latchkey  refresh_token (rotating)",
            &refresh,
            refresh_cpu,
            cores,
            es256 / 2.0,
        );
        let cpu = cpu_seconds(server.id());
        let cc = drive(
            &url,
            &args,
            Grant::ClientCredentials {
                client: machine.clone(),
            },
        )
        .await?;
        let cc_cpu = cpu_seconds(server.id()) - cpu;
        report("latchkey  client_credentials", &cc, cc_cpu, cores, es256);
        Ok::<_, anyhow::Error>((refresh.0 as f64 / refresh.2, cc.0 as f64 / cc.2))
    }
    .await;
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
    let (refresh, cc) = result?;
    node_baseline(&args, refresh, cc).await
}

/// The same load against node's oidc-provider (bench/node), when it is
/// installed (`npm ci --prefix bench/node`), and the ratios.
async fn node_baseline(args: &Args, refresh: f64, cc: f64) -> anyhow::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node");
    if !dir.join("node_modules/oidc-provider").exists() {
        println!(
            "baseline  node oidc-provider: not installed (npm ci --prefix bench/node); skipped"
        );
        return Ok(());
    }
    let log = std::env::temp_dir().join("latchkey-bench-oidc-provider.log");
    let mut child = std::process::Command::new("node")
        .arg("provider.mjs")
        .arg(args.concurrency.to_string())
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log)?)
        .spawn()
        .context("node is needed for the oidc-provider baseline")?;
    let stdout = child.stdout.take().context("node stdout")?;
    // its notices come first on the same output; the JSON line is ours
    let line = std::io::BufRead::lines(std::io::BufReader::new(stdout))
        .map_while(Result::ok)
        .find(|l| l.starts_with('{'))
        .context("oidc-provider did not start")?;
    let info: serde_json::Value =
        serde_json::from_str(&line).context("oidc-provider did not start")?;
    let pair = |v: &serde_json::Value| -> anyhow::Result<(String, String)> {
        Ok((
            v["id"].as_str().context("client id")?.to_owned(),
            v["secret"].as_str().context("client secret")?.to_owned(),
        ))
    };
    let url = info["token_endpoint"]
        .as_str()
        .context("token endpoint")?
        .to_owned();
    let tokens: Vec<String> = info["tokens"]
        .as_array()
        .context("refresh tokens")?
        .iter()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let result = async {
        let cpu = cpu_seconds(child.id());
        let r = drive(
            &url,
            args,
            Grant::Refresh {
                client: pair(&info["web"])?,
                tokens,
            },
        )
        .await?;
        report(
            "node oidc-provider  refresh_token (rotating)",
            &r,
            cpu_seconds(child.id()) - cpu,
            cores,
            f64::MAX,
        );
        let cpu = cpu_seconds(child.id());
        let c = drive(
            &url,
            args,
            Grant::ClientCredentials {
                client: pair(&info["machine"])?,
            },
        )
        .await?;
        report(
            "node oidc-provider  client_credentials",
            &c,
            cpu_seconds(child.id()) - cpu,
            cores,
            f64::MAX,
        );
        Ok::<_, anyhow::Error>((r.0 as f64 / r.2, c.0 as f64 / c.2))
    }
    .await;
    let _ = child.kill();
    let _ = child.wait();
    let (node_refresh, node_cc) =
        result.with_context(|| format!("oidc-provider's log: {}", log.display()))?;
    println!(
        "ratio     latchkey / oidc-provider: refresh {:.2}, client credentials {:.2}",
        refresh / node_refresh,
        cc / node_cc
    );
    Ok(())
}

fn report(what: &str, outcome: &Outcome, server_cpu: f64, cores: usize, ceiling: f64) {
    let (ok, mut latencies, elapsed) = (outcome.0, outcome.1.clone(), outcome.2);
    let rate = ok as f64 / elapsed;
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1000.0
    };
    println!(
        "{what}: {rate:.0}/s ({:.0}/s per core of the machine, {:.0}/s per core the server used)  p50 {:.2} ms  p99 {:.2} ms; server CPU {server_cpu:.1} s of {:.1} s",
        rate / cores as f64,
        if server_cpu > 0.0 {
            ok as f64 / server_cpu
        } else {
            0.0
        },
        pct(0.5),
        pct(0.99),
        cores as f64 * elapsed
    );
    if ceiling < f64::MAX {
        println!(
            "ratio     {} / signing ceiling = {:.2}",
            what.trim_start_matches("latchkey  "),
            rate / ceiling
        );
    }
}

enum Grant {
    Refresh {
        client: (String, String),
        tokens: Vec<String>,
    },
    ClientCredentials {
        client: (String, String),
    },
}

type Outcome = (u64, Vec<Duration>, f64);

async fn drive(url: &str, args: &Args, grant: Grant) -> anyhow::Result<Outcome> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let interval =
        (args.rate > 0.0).then(|| Duration::from_secs_f64(args.concurrency as f64 / args.rate));
    let mut tasks = vec![];
    let connections = args.concurrency as f64;
    for i in 0..args.concurrency {
        let http = http.clone();
        let url = url.to_owned();
        let (client, mut refresh) = match &grant {
            Grant::Refresh { client, tokens } => (client.clone(), Some(tokens[i].clone())),
            Grant::ClientCredentials { client } => (client.clone(), None),
        };
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut lat) = (0u64, vec![]);
            // connections start spread over one interval, not in step
            let mut next = Instant::now()
                + interval.map_or(Duration::ZERO, |step| step.mul_f64(i as f64 / connections));
            while Instant::now() < deadline {
                if let Some(step) = interval {
                    next += step;
                    tokio::time::sleep_until(next.into()).await;
                }
                let t = Instant::now();
                let form: Vec<(&str, &str)> = match &refresh {
                    Some(token) => vec![
                        ("grant_type", "refresh_token"),
                        ("refresh_token", token.as_str()),
                    ],
                    None => vec![("grant_type", "client_credentials")],
                };
                let r = http
                    .post(&url)
                    .basic_auth(&client.0, Some(&client.1))
                    .form(&form)
                    .send()
                    .await?;
                if r.status() != 200 {
                    bail!(
                        "the token endpoint answered {}: {}",
                        r.status(),
                        r.text().await?
                    );
                }
                let body: serde_json::Value = r.json().await?;
                if refresh.is_some() {
                    refresh = Some(
                        body["refresh_token"]
                            .as_str()
                            .context("no new refresh token")?
                            .to_owned(),
                    );
                }
                lat.push(t.elapsed());
                ok += 1;
            }
            Ok::<_, anyhow::Error>((ok, lat))
        }));
    }
    let (mut ok, mut lat) = (0, vec![]);
    for t in tasks {
        let (o, l) = t.await??;
        ok += o;
        lat.extend(l);
    }
    Ok((ok, lat, started.elapsed().as_secs_f64()))
}
