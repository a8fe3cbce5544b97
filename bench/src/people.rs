//! The administrators' list of people with 100,000 people in a tenant: the
//! first page, a page deep in the list, searches, the console's home (with
//! the share of people ready, counted over everyone) and the first page of
//! the unready, each against a
//! signed-in page that lists nothing (the account page) in the same run on
//! the same server.
//!
//! 1. The real `latchkey serve` (a child process, SQLite in a temporary
//!    data directory) gets a tenant and an administrator through the CLI,
//!    and `--people` people (100,000 unless told) written straight into
//!    its database in one statement (the CLI would hash a password for
//!    each; the list reads no password).
//! 2. The administrator signs in; each request is made `--rounds` times,
//!    interleaved, over one keep-alive connection.
//!
//! Prints each request's median and 90th percentile and the ratio of its
//! median to the account page's. Run with `bench/people.sh`.

#![allow(clippy::print_stdout)]

#[path = "common.rs"]
#[allow(dead_code)] // the CPU readings are the throughput benches'
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use latchkey_core::platform::random::{OsRandom, new_id};
use sqlx::Connection;

const PASSWORD: &str = "benchmark password 2026";

struct Args {
    people: u32,
    rounds: usize,
    latchkey: PathBuf,
}

fn args() -> anyhow::Result<Args> {
    let mut args = Args {
        people: 100_000,
        rounds: 50,
        latchkey: std::env::current_exe()?
            .parent()
            .and_then(|deps| deps.parent())
            .map_or_else(|| PathBuf::from("latchkey"), |dir| dir.join("latchkey")),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--people" => {
                args.people = value()?.parse().context("--people: a whole number")?;
                if !(1..=1_000_000).contains(&args.people) {
                    bail!("--people: from 1 to 1000000");
                }
            }
            "--rounds" => {
                args.rounds = value()?.parse().context("--rounds: a whole number")?;
                if args.rounds == 0 || args.rounds > 1000 {
                    bail!("--rounds: from 1 to 1000");
                }
            }
            "--latchkey" => args.latchkey = PathBuf::from(value()?),
            "--bench" => {}
            other => bail!("unknown argument {other}; use --people N, --rounds N, --latchkey PATH"),
        }
    }
    Ok(args)
}

/// `people` people in the tenant `slug`: usernames `u000000`… in a
/// scrambled order, display names "Person N", addresses `pN@example.com`.
async fn seed(db: &std::path::Path, slug: &str, people: u32) -> anyhow::Result<()> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&format!("sqlite://{}", db.display())).await?;
    let sql = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1)
        INSERT INTO users (id, tenant_id, username, username_key, email, email_key, display_name,
                           display_name_key, status, email_verified, password_hash, security_stamp,
                           created_at, updated_at, role)
        SELECT 'bench-' || i, (SELECT id FROM tenants WHERE slug = $2),
               'u' || printf('%06d', (i * 7919) % $1), 'u' || printf('%06d', (i * 7919) % $1),
               'p' || i || '@example.com', 'p' || i || '@example.com',
               'Person ' || i, 'person ' || i, 'active', 1, NULL, 'stamp', 0, 0, 'member'
        FROM n";
    sqlx::query(sql)
        .bind(i64::from(people))
        .bind(slug)
        .execute(&mut conn)
        .await?;
    // what people hold, for the readiness count (decision 0024): every
    // other person an authenticator app, three in five an unused recovery
    // code — so three in five are ready
    for holding in [
        "INSERT INTO totp_credentials (id, tenant_id, user_id, secret_sealed, last_used_step, created_at)
         SELECT 'bt-' || id, tenant_id, id, 'sealed', NULL, 0 FROM users
         WHERE id LIKE 'bench-%' AND CAST(substr(id, 7) AS INTEGER) % 2 = 0",
        "INSERT INTO recovery_codes (id, tenant_id, user_id, code_hash, created_at, used_at)
         SELECT 'bc-' || id, tenant_id, id, 'h-' || id, 0, NULL FROM users
         WHERE id LIKE 'bench-%' AND CAST(substr(id, 7) AS INTEGER) % 5 < 3",
    ] {
        sqlx::query(holding).execute(&mut conn).await?;
    }
    // the console's home, not its set-up wizard
    sqlx::query("UPDATE tenants SET setup_step = 'done' WHERE slug = $1")
        .bind(slug)
        .execute(&mut conn)
        .await?;
    sqlx::query("ANALYZE").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
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
    let slug = "bench";
    let cli = |extra: &[&str], stdin: Option<&str>| {
        common::cli(&args.latchkey, None, &data_dir, extra, stdin)
    };
    cli(&["tenant", "create", slug, "--name", "Bench"], None)?;
    cli(
        &[
            "user",
            "create",
            "--tenant",
            slug,
            "--username",
            "zz-admin",
            "--email",
            "admin@example.com",
            "--email-verified",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some(PASSWORD),
    )?;
    println!("writing {} people …", args.people);
    let started = Instant::now();
    seed(&data_dir.join("latchkey.db"), slug, args.people).await?;
    println!("written in {:.1} s", started.elapsed().as_secs_f64());

    let (mut server, base) = common::serve(&args.latchkey, None, &data_dir)?;
    let result = measure(&args, &base, slug).await;
    server.kill()?;
    server.wait()?;
    std::fs::remove_dir_all(&data_dir)?;
    result
}

async fn measure(args: &Args, base: &str, slug: &str) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("{base}/t/{slug}/signin"))
        .send()
        .await?
        .text()
        .await?;
    let r = client
        .post(format!("{base}/t/{slug}/signin"))
        .form(&[
            ("csrf", common::csrf_of(&page)?.as_str()),
            ("login", "zz-admin"),
            ("password", PASSWORD),
        ])
        .send()
        .await?;
    if r.status().as_u16() != 303 {
        bail!("the administrator's sign-in answered {}", r.status());
    }
    let requests = [
        ("account page (baseline)", "/account".to_owned(), None),
        ("people, first page", "/admin/people".to_owned(), Some(50)),
        (
            "people, page after u050000",
            "/admin/people?after=u050000".to_owned(),
            Some(50),
        ),
        (
            "search: username start 'u01234'",
            "/admin/people?q=u01234".to_owned(),
            Some(10),
        ),
        (
            "search: address start 'p4242'",
            "/admin/people?q=p4242".to_owned(),
            Some(11),
        ),
        (
            "search: name start 'Person 7777'",
            "/admin/people?q=Person%207777".to_owned(),
            Some(11),
        ),
        (
            "search: no one ('zzz')",
            "/admin/people?q=zzz".to_owned(),
            Some(0),
        ),
        (
            "search: everyone ('u'), first page",
            "/admin/people?q=u".to_owned(),
            Some(50),
        ),
        ("console home (readiness share)", "/admin".to_owned(), None),
        (
            "unready, first page",
            "/admin/people?ready=no".to_owned(),
            Some(50),
        ),
    ];
    let mut times: Vec<Vec<Duration>> = vec![vec![]; requests.len()];
    for round in 0..=args.rounds {
        for (i, (name, path, rows)) in requests.iter().enumerate() {
            let started = Instant::now();
            let r = client.get(format!("{base}/t/{slug}{path}")).send().await?;
            let status = r.status().as_u16();
            let body = r.text().await?;
            let took = started.elapsed();
            if status != 200 {
                bail!("{name} answered {status}");
            }
            if let Some(rows) = rows {
                let listed = body.matches("<br><span class=\"muted\">").count();
                if listed != *rows {
                    bail!("{name}: {listed} rows, expected {rows}");
                }
            }
            // the first round warms the caches
            if round > 0 {
                times[i].push(took);
            }
        }
    }
    println!("{} people, {} rounds each", args.people, args.rounds);
    println!(
        "{:<38} {:>10} {:>10} {:>8}",
        "request", "p50 ms", "p90 ms", "÷ base"
    );
    let base_median = {
        let mut t = times[0].clone();
        t.sort();
        percentile(&t, 0.5)
    };
    for ((name, _, _), mut t) in requests.iter().zip(times) {
        t.sort();
        let (p50, p90) = (percentile(&t, 0.5), percentile(&t, 0.9));
        println!(
            "{name:<38} {p50:>10.2} {p90:>10.2} {:>8.2}",
            p50 / base_median
        );
    }
    Ok(())
}
