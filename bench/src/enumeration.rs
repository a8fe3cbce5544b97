//! Can an attacker tell from the time an answer takes whether a name is an
//! account? Welch's t-test on the response times of every step that meets
//! a name before anyone is signed in (issue 15, "Supply chain and
//! statistics"; docs/security/timing.md holds a run's result).
//!
//! 1. The real `latchkey serve` (a child process, SQLite in a temporary
//!    data directory, or `--database-url`) gets two tenants with
//!    self-recovery on (two, so that no tenant sees the 500 starts an hour
//!    that make a surge), and in each `--samples / 2` accounts of each kind:
//!    active members, disabled members, and administrators (whom the
//!    tenant sends to the helpdesk instead of recovering them).
//! 2. For every sample, interleaved so that the machine's noise falls on
//!    every kind alike, each from a fresh browser and a client address of
//!    its own (behind a trusted proxy header, so the per-address limits do
//!    not refuse the bench), each name used once per step, it times:
//!    - **sign-in** with a wrong password: an active account, a disabled
//!      one, a name nobody has;
//!    - **forgot password**: an account's address, a disabled account's, an
//!      address nobody has;
//!    - **recovery start** and **a wrong emailed code**: an active account,
//!      a disabled one, an excluded administrator, a name nobody has (the
//!      decoys).
//! 3. Prints, per step and kind: mean, standard deviation, median, and
//!    Welch's t against the active account's times with its degrees of
//!    freedom and two-sided p-value (from the normal distribution, which
//!    Student's t meets closely at the hundreds of degrees of freedom
//!    these samples give). p below 0.01 is reported as DISTINGUISHABLE.
//!
//! Run with `scripts/enumeration-timing` (a release build).

#![allow(clippy::print_stdout)]

#[path = "common.rs"]
#[allow(dead_code)] // the CPU readings are the throughput benches'
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use latchkey_core::platform::random::{OsRandom, new_id};

const PASSWORD: &str = "benchmark password 2026";
const WRONG: &str = "not the benchmark password";

struct Args {
    samples: usize,
    latchkey: PathBuf,
    database_url: Option<String>,
}

fn args() -> anyhow::Result<Args> {
    let mut args = Args {
        samples: 200,
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
            "--samples" => {
                args.samples = value()?.parse().context("--samples: a whole number")?;
                if !(2..=400).contains(&args.samples) || args.samples % 2 == 1 {
                    // half in each tenant; four recovery starts a sample,
                    // and a tenant surges past 500 an hour
                    bail!("--samples: an even number from 2 to 400");
                }
            }
            "--latchkey" => args.latchkey = PathBuf::from(value()?),
            "--database-url" => args.database_url = Some(value()?),
            "--bench" => {}
            other => bail!(
                "unknown argument {other}; use --samples N --latchkey PATH --database-url URL"
            ),
        }
    }
    Ok(args)
}

/// A fresh browser at `address`.
struct Browser {
    client: reqwest::Client,
    address: String,
}

impl Browser {
    fn new(address: String) -> anyhow::Result<Browser> {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Browser { client, address })
    }

    async fn page(&self, url: &str) -> anyhow::Result<String> {
        Ok(self
            .client
            .get(url)
            .header("x-forwarded-for", &self.address)
            .send()
            .await?
            .text()
            .await?)
    }

    /// Posts `form` (with the CSRF token of `page`) to `url`: how long the
    /// answer took, after checking its status is `expect`.
    async fn timed_post(
        &self,
        url: &str,
        page: &str,
        form: &[(&str, &str)],
        expect: u16,
    ) -> anyhow::Result<Duration> {
        let csrf = common::csrf_of(page)?;
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        let started = Instant::now();
        let r = self
            .client
            .post(url)
            .header("x-forwarded-for", &self.address)
            .form(&fields)
            .send()
            .await?;
        let took = started.elapsed();
        if r.status().as_u16() != expect {
            bail!("{url} {form:?} answered {}, not {expect}", r.status());
        }
        Ok(took)
    }
}

/// A step's samples, one list per kind (the first: the active account).
struct Step {
    name: &'static str,
    kinds: &'static [&'static str],
    samples: Vec<Vec<Duration>>,
}

struct Welch {
    t: f64,
    df: f64,
    p: f64,
}

/// The Mann–Whitney rank test's two-sided p (normal approximation with the
/// tie correction): a shift of the *typical* time, which Welch's t on means
/// can miss when a few slow answers (the machine's noise) dominate the
/// variance.
fn mann_whitney_p(a: &[f64], b: &[f64]) -> f64 {
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let n = all.len();
    let (mut rank_sum_a, mut ties) = (0.0, 0.0);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        let t = (j - i + 1) as f64;
        ties += t * t * t - t;
        rank_sum_a += rank * all[i..=j].iter().filter(|x| x.1).count() as f64;
        i = j + 1;
    }
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let u = rank_sum_a - na * (na + 1.0) / 2.0;
    let mean = na * nb / 2.0;
    let nn = na + nb;
    let var = na * nb / 12.0 * ((nn + 1.0) - ties / (nn * (nn - 1.0)));
    let z = (u - mean) / var.sqrt();
    2.0 * (1.0 - normal_cdf(z.abs()))
}

fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

fn welch(a: &[f64], b: &[f64]) -> Welch {
    let ((ma, va), (mb, vb)) = (mean_var(a), mean_var(b));
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let se2 = va / na + vb / nb;
    let t = (mb - ma) / se2.sqrt();
    let df = se2.powi(2) / ((va / na).powi(2) / (na - 1.0) + (vb / nb).powi(2) / (nb - 1.0));
    Welch {
        t,
        df,
        p: 2.0 * (1.0 - normal_cdf(t.abs())),
    }
}

/// Φ(x), from the complementary error function (Numerical Recipes'
/// Chebyshev fit, relative error below 1.2e-7).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let erfc = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        1.0 - erfc / 2.0
    } else {
        erfc / 2.0
    }
}

fn ms(d: &Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(step: &Step) -> bool {
    let base: Vec<f64> = step.samples[0].iter().map(ms).collect();
    let mut distinguishable = false;
    for (kind, samples) in step.kinds.iter().zip(&step.samples) {
        let xs: Vec<f64> = samples.iter().map(ms).collect();
        let (mean, var) = mean_var(&xs);
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let vs = if std::ptr::eq(samples, &step.samples[0]) {
            String::from("(baseline) |")
        } else {
            let w = welch(&base, &xs);
            let verdict = if w.p < 0.01 {
                distinguishable = true;
                "DISTINGUISHABLE"
            } else {
                "indistinguishable"
            };
            let ranks = mann_whitney_p(&base, &xs);
            format!(
                "t {:+6.2}  df {:6.1}  p {:.3}  {verdict} | rank test p {ranks:.3}",
                w.t, w.df, w.p
            )
        };
        println!(
            "| {:<15} | {:<14} | {:>4} | {mean:8.2} | {:7.2} | {median:8.2} | {vs} |",
            step.name,
            kind,
            xs.len(),
            var.sqrt()
        );
    }
    distinguishable
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let data_dir =
        std::env::temp_dir().join(format!("latchkey-timing-{}", new_id::<String>(&OsRandom)));
    std::fs::create_dir_all(&data_dir)?;
    let cli = |extra: &[&str], stdin: Option<&str>| {
        common::cli(
            &args.latchkey,
            args.database_url.as_deref(),
            &data_dir,
            extra,
            stdin,
        )
    };
    let run = new_id::<String>(&OsRandom)[..6].to_lowercase();
    let slugs = [format!("timing-a-{run}"), format!("timing-b-{run}")];
    for slug in &slugs {
        cli(&["tenant", "create", slug, "--name", "Timing"], None)?;
        cli(&["tenant", "recovery", "enable", slug], None)?;
    }
    println!(
        "creating {} accounts of each kind (active, disabled, administrator) …",
        args.samples
    );
    for i in 0..args.samples {
        let slug = &slugs[i % 2];
        for (prefix, role) in [("real", "member"), ("off", "member"), ("admin", "admin")] {
            let (name, email) = (format!("{prefix}{i}"), format!("{prefix}{i}@example.com"));
            cli(
                &[
                    "user",
                    "create",
                    "--tenant",
                    slug,
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
            &["user", "disable", "--tenant", slug, &format!("off{i}")],
            None,
        )?;
    }

    let (mut server, base) = common::serve_with(
        &args.latchkey,
        args.database_url.as_deref(),
        &data_dir,
        &[("LATCHKEY_SERVER_TRUST_PROXY_HEADERS", "true")],
    )?;
    let result = measure(&base, &slugs, args.samples).await;
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
    let steps = result?;

    println!();
    println!(
        "| step | kind | n | mean ms | sd ms | median ms | Welch's t against the active account | Mann–Whitney |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut any = false;
    for step in &steps {
        any |= report(step);
    }
    println!();
    println!(
        "{}",
        if any {
            "some kind is DISTINGUISHABLE from an active account at p < 0.01"
        } else {
            "no kind is distinguishable from an active account at p < 0.01"
        }
    );
    Ok(())
}

async fn measure(base: &str, slugs: &[String; 2], samples: usize) -> anyhow::Result<Vec<Step>> {
    let mut signin = Step {
        name: "sign-in",
        kinds: &["active", "disabled", "unknown"],
        samples: vec![vec![]; 3],
    };
    let mut forgot = Step {
        name: "forgot password",
        kinds: &["active", "disabled", "unknown"],
        samples: vec![vec![]; 3],
    };
    let mut start = Step {
        name: "recovery start",
        kinds: &["active", "disabled", "admin", "unknown"],
        samples: vec![vec![]; 4],
    };
    let mut code = Step {
        name: "wrong code",
        kinds: &["active", "disabled", "admin", "unknown"],
        samples: vec![vec![]; 4],
    };
    for i in 0..samples {
        let slug = &slugs[i % 2];
        let names = [
            format!("real{i}"),
            format!("off{i}"),
            format!("admin{i}"),
            format!("nobody{i}"),
        ];
        // a different kind goes first each sample
        for k in (0..4).map(|k| (k + i) % 4) {
            let address = |step: usize| format!("10.{step}{}.{}.{}", i / 250, i % 250, k + 1);
            // sign-in and forgot password: active, disabled, unknown
            let two_step = [0, 1, 3].iter().position(|&n| n == k);
            if let Some(kind) = two_step {
                let b = Browser::new(address(1))?;
                let page = b.page(&format!("{base}/t/{slug}/signin")).await?;
                signin.samples[kind].push(
                    b.timed_post(
                        &format!("{base}/t/{slug}/signin"),
                        &page,
                        &[("login", &names[k]), ("password", WRONG)],
                        401,
                    )
                    .await?,
                );
                let b = Browser::new(address(2))?;
                let page = b.page(&format!("{base}/t/{slug}/forgot-password")).await?;
                let email = format!("{}@example.com", names[k]);
                forgot.samples[kind].push(
                    b.timed_post(
                        &format!("{base}/t/{slug}/forgot-password"),
                        &page,
                        &[("login", &email)],
                        200,
                    )
                    .await?,
                );
            }
            let b = Browser::new(address(3))?;
            let page = b.page(&format!("{base}/t/{slug}/recover")).await?;
            start.samples[k].push(
                b.timed_post(
                    &format!("{base}/t/{slug}/recover"),
                    &page,
                    &[("login", &names[k])],
                    303,
                )
                .await?,
            );
            let page = b.page(&format!("{base}/t/{slug}/recover/case")).await?;
            code.samples[k].push(
                b.timed_post(
                    &format!("{base}/t/{slug}/recover/proof"),
                    &page,
                    &[("kind", "email_code"), ("value", "12345678")],
                    401,
                )
                .await?,
            );
        }
    }
    Ok(vec![signin, forgot, start, code])
}
