//! The person's journeys walked in Chromium (issue 14): an authenticator
//! app with recovery codes, passkeys, and self-recovery — each once in
//! English, where every page passes the design checks (axe-core at 1280
//! and 390 px, light and dark; errors linked to their fields; a way on from
//! every page), and once in German, French and Italian by a person of its
//! own, whose pages must show no English (`helpers::english_left`: the
//! catalogue's English texts and the commonest English words). The scripts
//! are e2e/totp.mjs, passkey.mjs and recovery.mjs (lib.mjs `walker`); with
//! `SCREENSHOTS=DIR` the English walks save the pages docs/ shows.

use latchkey_core::effects::audit::Actor;
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::tenants::{self, Tenant, TenantInput};

use crate::browser::{run_script, run_talking};
use crate::helpers::*;

const LANGUAGES: [&str; 4] = ["en", "de", "fr", "it"];

/// The person who walks in `lang`: `name` in English, `name-de` in German…
fn person(name: &str, lang: &str) -> String {
    match lang {
        "en" => name.to_owned(),
        _ => format!("{name}-{lang}"),
    }
}

/// The script's last two arguments: the language and a folder for the
/// pages it keeps.
fn walking_in(lang: &str) -> (String, String) {
    (lang.to_owned(), temp_dir().display().to_string())
}

/// Fails with every page in `dir` (kept by a walk in `lang`) that is not in
/// `lang` or shows English; how many pages there are.
fn no_english_on(dir: &str, lang: &str) -> usize {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut found = vec![];
    for file in &files {
        let page = std::fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy();
        if !page.contains(&format!("<html lang=\"{lang}\"")) {
            found.push(format!("{name}: not a page in {lang}"));
        }
        let (messages, words) = english_left(&page, lang);
        if !messages.is_empty() || !words.is_empty() {
            found.push(format!("{name}: {messages:?} {words:?}"));
        }
    }
    assert!(
        found.is_empty(),
        "English left in {lang}:\n{}",
        found.join("\n")
    );
    assert!(!files.is_empty(), "no pages kept in {dir}");
    files.len()
}

/// Runs `walk(lang, person, args)` in every language, one after the other
/// (a new hour each: the limits per address start again), then checks the
/// pages kept in German, French and Italian.
async fn in_every_language<F, W>(s: &TestServer, tenant: &Tenant, name: &str, mut walk: W)
where
    W: FnMut(Vec<String>) -> F,
    F: std::future::Future<Output = String>,
{
    for lang in LANGUAGES {
        let who = person(name, lang);
        if lang != "en" {
            let email = format!("{who}@{}.example", tenant.slug);
            add_user(&s.tdb, &s.clock, tenant, &who, &email).await;
        }
        let (lang, pages) = walking_in(lang);
        let out = walk(vec![
            s.running.url.clone(),
            tenant.slug.to_string(),
            who,
            PASSWORD.to_owned(),
            s.clock.now().0.to_string(),
            lang.clone(),
            pages.clone(),
        ])
        .await;
        println!("{lang}: {out}");
        if lang != "en" {
            let kept = no_english_on(&pages, &lang);
            assert!(out.contains(&format!("walked {kept} pages")), "{out}");
        }
        s.clock.advance(3601);
    }
}

/// A tenant of its own: `slug`, `name`, and what `set` changes.
async fn tenant(
    s: &TestServer,
    slug: &str,
    name: &str,
    set: impl FnOnce(&mut TenantInput),
) -> Tenant {
    let mut input = TenantInput {
        slug: slug.into(),
        display_name: name.into(),
        ..Default::default()
    };
    set(&mut input);
    tenants::create(&s.tdb.db, &*s.clock, &OsRandom, &input)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_and_recovery_codes_walk_in_chromium_in_every_language() {
    let s = TestServer::start(latchkey_store::Backend::Sqlite).await;
    let acme = s.tenant.clone();
    in_every_language(&s, &acme, "alice", |args| async move {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_script("totp.mjs", &args).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkeys_walk_in_chromium_in_every_language() {
    let s = TestServer::start(latchkey_store::Backend::Sqlite).await;
    let keys = tenant(&s, "keys", "Keys Ltd", |t| t.passwordless = true).await;
    add_user(&s.tdb, &s.clock, &keys, "erin", "erin@keys.example").await;
    in_every_language(&s, &keys, "erin", |mut args| async move {
        // no server time: passkeys need none
        args.remove(4);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_script("passkey.mjs", &args).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_recovery_walks_in_chromium_in_every_language() {
    let crate::recovery::World { s, sink } =
        crate::recovery::world(latchkey_store::Backend::Sqlite).await;
    let strict = tenant(&s, "strict", "Strict Inc", |t| {
        t.second_factor = Some("required".into());
    })
    .await;
    latchkey_core::recovery::activation::enable(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &strict,
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    add_user(&s.tdb, &s.clock, &strict, "fay", "fay@strict.example").await;
    let sink = &sink;
    in_every_language(&s, &strict, "fay", |args| async move {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_talking("recovery.mjs", &args, |question| async move {
            // "codes ADDRESS N": the codes mailed to ADDRESS, once N came
            let mut words = question.split(' ');
            assert_eq!(words.next(), Some("codes"), "{question}");
            let (to, n) = (words.next().unwrap(), words.next().unwrap());
            codes_mailed_to(sink, to, n.parse().unwrap())
                .await
                .join(" ")
        })
        .await
    })
    .await;
}

/// The codes of the code mails to `to`, in the order they came, once at
/// least `n` came and the outbox settled (as `recovery::journey::code_mails`
/// counts them).
async fn codes_mailed_to(sink: &crate::smtp::SmtpSink, to: &str, n: usize) -> Vec<String> {
    let codes = || -> Vec<String> {
        sink.messages()
            .iter()
            .filter(|m| m.to.iter().any(|t| t == to))
            .filter(|m| {
                m.text()
                    .split_whitespace()
                    .any(|w| w.len() == 8 && w.chars().all(|c| c.is_ascii_digit()))
            })
            .map(crate::recovery::code_in)
            .collect()
    };
    // (up to 30 s: the outbox is slow on a loaded machine)
    for _ in 0..600 {
        if codes().len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    codes()
}
