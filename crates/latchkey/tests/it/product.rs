//! The whole product in one journey (issue 13), in Chromium with a virtual
//! authenticator: the operator creates an organisation and invites its
//! administrator; the administrator runs the set-up wizard, registers an
//! application and has self-recovery switched on; a person enrols, loses
//! everything and recovers; the administrator sees it in the statistics and
//! the audit log and exports it; a legacy organisation's administrator
//! upgrades and asks for self-recovery; the operator approves; the
//! administrator is mailed (`e2e/product.mjs`).
//!
//! The script asks this test for what a browser cannot reach: the mail that
//! arrived at the real SMTP server, the operator's CLI, the server's clock
//! moved on, and whether a page in German, French or Italian has English
//! left (the same check as the server-side tests, [`english_left`]). It
//! writes `ask {json}` on its standard output and reads the answer, one
//! line of JSON, on its standard input.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use latchkey_core::platform::clock::{Clock, SystemClock};
use latchkey_store::Backend;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::helpers::*;
use crate::smtp::SmtpSink;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_product_from_the_operator_to_the_statistics_in_chromium() {
    let sink = SmtpSink::start().await;
    let s = crate::operator::start_with_smtp(Backend::Sqlite, &sink).await;
    // The CLI (another process) reads the wall clock: the server starts
    // from it too, so that the links the CLI mails have not expired.
    s.clock.set(SystemClock.now());
    let secret = crate::operator::add_account(&s, "ops").await;
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists(),
        "run `npm ci --prefix e2e` first (scripts/test does)"
    );
    let now = s.clock.now().0.to_string();
    let mut child = tokio::process::Command::new("node")
        .args([
            "product.mjs",
            &s.running.url,
            "ops",
            PASSWORD,
            &secret,
            &now,
        ])
        .current_dir(&e2e)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node is installed");
    let mut answers = child.stdin.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let errors = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut desk = Desk {
        s: &s,
        sink: &sink,
        handed: HashSet::new(),
    };
    let mut said = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        let Some(question) = line.strip_prefix("ask ") else {
            println!("{line}");
            said.push_str(&line);
            said.push('\n');
            continue;
        };
        let answer = desk.answer(serde_json::from_str(question).unwrap()).await;
        answers
            .write_all(format!("{answer}\n").as_bytes())
            .await
            .unwrap();
    }
    let status = child.wait().await.unwrap();
    let errors = errors.await.unwrap();
    assert!(status.success(), "product.mjs failed:\n{said}\n{errors}");
    assert!(said.contains("ok:"), "{said}");
}

/// What the script cannot see from the browser.
struct Desk<'a> {
    s: &'a TestServer,
    sink: &'a SmtpSink,
    /// The mails already handed to the script (their places in the sink).
    handed: HashSet<usize>,
}

impl Desk<'_> {
    async fn answer(&mut self, question: Value) -> Value {
        if let Some(mail) = question.get("mail") {
            let to = mail["to"].as_str().unwrap();
            let needle = mail["contains"].as_str().unwrap_or("");
            return self.mail(to, needle).await;
        }
        if let Some(seconds) = question.get("advance") {
            self.s.clock.advance(seconds.as_i64().unwrap());
            return json!({ "now": self.s.clock.now().0 });
        }
        if let Some(cli) = question.get("cli") {
            let args: Vec<&str> = cli["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            let o = crate::operator::cli(self.s, &args, cli["stdin"].as_str().unwrap_or("")).await;
            // what it wrote is dated by the wall clock: the server's is
            // brought up to it, so that its mail is due
            if SystemClock.now() > self.s.clock.now() {
                self.s.clock.set(SystemClock.now());
            }
            return json!({
                "now": self.s.clock.now().0,
                "status": o.status.code(),
                "stdout": String::from_utf8_lossy(&o.stdout),
                "stderr": String::from_utf8_lossy(&o.stderr),
            });
        }
        if let Some(page) = question.get("english") {
            let lang = page["lang"].as_str().unwrap();
            let html = page["html"].as_str().unwrap();
            let mut left = vec![];
            if !html.contains(&format!("<html lang=\"{lang}\"")) {
                left.push(format!("the page is not in {lang}"));
            }
            let (messages, words) = english_left(html, lang);
            left.extend(messages);
            left.extend(words);
            return json!({ "english": left });
        }
        panic!("the script asked for what is not here: {question}");
    }

    /// The next mail to `to` whose text has `needle`, not handed out before
    /// (waiting at most 30 s: the outbox is polled every second).
    async fn mail(&mut self, to: &str, needle: &str) -> Value {
        for _ in 0..600 {
            let found = self.sink.messages().into_iter().enumerate().find(|(i, m)| {
                !self.handed.contains(i)
                    && m.to.iter().any(|t| t == to)
                    && m.text().contains(needle)
            });
            if let Some((i, m)) = found {
                self.handed.insert(i);
                let subject = latchkey_mail::eml::header(&m.data, "Subject")
                    .map(|s| latchkey_mail::eml::decode_words(&s))
                    .unwrap_or_default();
                return json!({ "subject": subject, "text": m.text() });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let seen: Vec<String> = self
            .sink
            .messages()
            .iter()
            .map(|m| format!("{:?}: {}", m.to, m.text()))
            .collect();
        panic!(
            "no mail to {to} with {needle:?}; the mails so far:\n{}",
            seen.join("\n")
        );
    }
}
