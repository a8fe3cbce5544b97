//! The pages in a real browser: Chromium, driven by playwright-core from
//! `e2e/`, with a virtual authenticator, runs webauthn.js against the real
//! server (the person's journeys walked page by page: `walk`). Needs Debian's `chromium` and `npm ci --prefix e2e`, which
//! `.ci/run` and `scripts/test` take care of.

use latchkey_core::effects::audit::Actor;
use std::path::Path;

use latchkey_core::platform::clock::Clock;

use crate::helpers::*;

/// The operator console and an invitation (issue 13): the operator signs
/// in with password and app code, creates an organisation (a wrong address
/// first), invites its administrator; the mailed link, opened in Chromium,
/// makes the account and lands on the organisation's console.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_invites_an_administrator_in_chromium() {
    let sink = crate::smtp::SmtpSink::start().await;
    let s = crate::operator::start_with_smtp(latchkey_store::Backend::Sqlite, &sink).await;
    let secret = crate::operator::add_account(&s, "ops").await;
    let now = s.clock.now().0.to_string();
    run_script(
        "operator.mjs",
        &["console", &s.running.url, "ops", PASSWORD, &secret, &now],
    )
    .await;
    let link = sink.wait_for(1).await[0].link("/t/gamma/invitation?token=");
    run_script("operator.mjs", &["accept", &link, "boss", PASSWORD]).await;
}

/// Changing the email address (issue 13): the form, its error beside the
/// field, the open change on the account page and the mailed link's page,
/// through axe-core in light and dark mode at two widths.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_email_address_passes_axe_in_chromium() {
    let sink = crate::smtp::SmtpSink::start().await;
    let s = crate::mail::start_with_smtp(latchkey_store::Backend::Sqlite, sink.addr.port()).await;
    run_script(
        "email.mjs",
        &[
            "ask",
            &s.running.url,
            "acme",
            "alice",
            PASSWORD,
            "alice@new.example",
        ],
    )
    .await;
    let link = sink
        .wait_for_text(0, "/t/acme/confirm-email?token=")
        .await
        .link("/t/acme/confirm-email?token=");
    run_script("email.mjs", &["confirm", &link, &s.tenant.display_name]).await;
}

/// The design system (issue 14): the main pages, error pages and form
/// errors in Chromium at 1280 px and 390 px, light and dark, with axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_pass_axe_in_light_and_dark_at_two_widths() {
    let s = TestServer::start(latchkey_store::Backend::Sqlite).await;
    latchkey_core::recovery::activation::enable(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    add_admin(&s.tdb, &s.clock, &s.tenant, "ada", "ada@acme.example").await;
    let (cookie, token) = waiting_case(&s).await;
    let now = s.clock.now().0.to_string();
    run_script(
        "design.mjs",
        &[
            &s.running.url,
            "acme",
            "Acme Corp",
            "alice",
            "ada",
            PASSWORD,
            &now,
            &cookie,
            &token,
        ],
    )
    .await;
}

/// A recovery case of a user of its own (who never signs in during the
/// walk) that was proven now and waits the tenant's 24 hours: its cookie's
/// name and value, for the browser.
async fn waiting_case(s: &TestServer) -> (String, String) {
    use latchkey_core::platform::secret::SecretToken;
    use latchkey_core::recovery::case::{
        CaseFacts, CaseState, Proofs, RecoveryCase, RecoveryPolicy,
    };
    use latchkey_core::store::RecoveryStore;
    let wes = add_user(&s.tdb, &s.clock, &s.tenant, "wes", "wes@acme.example").await;
    let now = s.clock.now();
    let token = SecretToken::generate(&latchkey_core::platform::random::OsRandom);
    let policy = RecoveryPolicy::of(&s.tenant);
    let ready = now.plus(policy.waiting_secs);
    let case = RecoveryCase {
        id: "waiting-case".into(),
        tenant_id: s.tenant.id.clone(),
        user_id: Some(wes.id.clone()),
        facts: CaseFacts {
            state: CaseState::Waiting,
            proofs: Proofs {
                email_code: true,
                password: true,
                recovery_code: false,
            },
            proven_at: Some(now),
            ready_at: Some(ready),
            expires_at: ready.plus(policy.ready_secs),
            ..CaseFacts::start(now, false, &policy)
        },
        email_key: Some(wes.email_key.clone()),
        code_withheld: false,
        code_name: None,
        email_code_hash: None,
        email_code_expires_at: None,
        browser_hash: token.hash(),
        cancel_token_hash: None,
        return_to: None,
        updated_at: now,
        version: 1,
        closed_at: None,
    };
    s.tdb
        .db
        .insert_case(&case, &Default::default(), now)
        .await
        .unwrap();
    (
        "latchkey-recovery-acme".to_owned(),
        token.expose().to_owned(),
    )
}

/// Runs `script` from e2e/ with `args`; its standard output. Fails with
/// its output unless it succeeds and says so.
pub(crate) async fn run_script(script: &str, args: &[&str]) -> String {
    run_talking(script, args, |question| async move {
        panic!("nothing to answer {question}")
    })
    .await
}

/// [`run_script`] for a script that asks (lib.mjs `ask`): each line
/// `ask: QUESTION` it prints gets the line `answer(QUESTION)` returns on
/// its standard input.
pub(crate) async fn run_talking<F, A>(script: &str, args: &[&str], mut answer: A) -> String
where
    A: FnMut(String) -> F,
    F: std::future::Future<Output = String>,
{
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists(),
        "run `npm ci --prefix e2e` first (scripts/test does)"
    );
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(&e2e)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node is installed");
    let mut stdin = child.stdin.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let errors = tokio::spawn(async move {
        let mut text = String::new();
        stderr.read_to_string(&mut text).await.unwrap();
        text
    });
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stdout = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(question) = line.strip_prefix("ask: ") {
            let reply = answer(question.to_owned()).await;
            stdin
                .write_all(format!("{reply}\n").as_bytes())
                .await
                .unwrap();
        }
        stdout.push_str(&line);
        stdout.push('\n');
    }
    let status = child.wait().await.unwrap();
    let stderr = errors.await.unwrap();
    assert!(status.success(), "{script} failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("ok:"), "{stdout}");
    stdout
}

/// "Recovery in a few clicks" (issue 14, docs/recovery.md): on a known
/// device, an application's sign-in → "I lost my second factor" → a new
/// authenticator app → back at the application, in at most 6 form
/// submissions (the script counts them and prints the path of each).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_on_a_known_device_takes_at_most_six_submissions() {
    let s = TestServer::start(latchkey_store::Backend::Sqlite).await;
    latchkey_core::recovery::activation::enable(
        &s.tdb.db,
        &latchkey_core::platform::random::OsRandom,
        &*s.clock,
        &s.tenant,
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let redirect = format!("http://127.0.0.1:{port}/cb");
    let mut input = crate::oidc::app("Shop", false, true);
    input.redirect_uris = vec![redirect.clone()];
    let (client_id, _) = crate::oidc::register(&s, input).await;
    let challenge = crate::oidc::challenge(crate::oidc::VERIFIER);
    let authorize = crate::oidc::authorize_url(
        &s,
        &[
            ("client_id", client_id.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("state", "st"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    );
    let now = s.clock.now().0.to_string();
    let out = run_script(
        "journey.mjs",
        &[
            &s.running.url,
            "acme",
            "alice",
            PASSWORD,
            &now,
            &authorize,
            &redirect,
        ],
    )
    .await;
    println!("{out}");
}
