//! What the load generators share: running the real binary and reading
//! CPU time.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};

/// Runs `latchkey EXTRA --data-dir DIR [--database-url URL]` with `stdin`;
/// its standard output.
pub fn cli(
    latchkey: &Path,
    database_url: Option<&str>,
    data_dir: &Path,
    extra: &[&str],
    stdin: Option<&str>,
) -> anyhow::Result<String> {
    let mut cmd = Command::new(latchkey);
    cmd.args(extra).arg("--data-dir").arg(data_dir);
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| {
            format!(
                "cannot run {}; build it with cargo build --release",
                latchkey.display()
            )
        })?;
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        input.write_all(text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("latchkey {extra:?} failed");
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The hidden `csrf` field of a page's content (after the header, whose
/// sign-out form carries a token of its own on signed-in pages).
pub fn csrf_of(html: &str) -> anyhow::Result<String> {
    let content = html
        .split_once("</header>")
        .filter(|(_, content)| content.contains("name=\"csrf\""))
        .map_or(html, |(_, content)| content);
    let marker = "name=\"csrf\" value=\"";
    let start = content.find(marker).context("no csrf field")? + marker.len();
    Ok(content[start..]
        .split('"')
        .next()
        .context("no csrf value")?
        .to_owned())
}

/// Starts `latchkey serve` on a free loopback port: the child and its URL.
pub fn serve(
    latchkey: &Path,
    database_url: Option<&str>,
    data_dir: &Path,
) -> anyhow::Result<(Child, String)> {
    serve_with(latchkey, database_url, data_dir, &[])
}

/// [`serve`] with more `LATCHKEY_*` settings in its environment.
pub fn serve_with(
    latchkey: &Path,
    database_url: Option<&str>,
    data_dir: &Path,
    env: &[(&str, &str)],
) -> anyhow::Result<(Child, String)> {
    let mut server = Command::new(latchkey);
    server
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env("LATCHKEY_LOG_LEVEL", "warn")
        .envs(env.iter().copied());
    if let Some(url) = database_url {
        server.args(["--database-url", url]);
    }
    let mut server = server.stdout(Stdio::piped()).spawn()?;
    let stdout = server.stdout.take().context("server stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let base = line
        .trim()
        .strip_prefix("latchkey is listening on ")
        .context("server did not start")?
        .to_owned();
    Ok((server, base))
}

/// User + system CPU seconds of a process so far (Linux /proc; 0 elsewhere).
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // fields after the parenthesised command name; utime and stime are 14 and 15
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i)?.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}
