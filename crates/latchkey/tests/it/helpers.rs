use std::sync::Arc;

use latchkey::config::{self, Config, Sources};
use latchkey::server::{self, Deps, Running};
use latchkey_core::accounts::user::{self, User, UserInput};
use latchkey_core::platform::clock::{ManualClock, UnixTime};
use latchkey_core::platform::random::OsRandom;
use latchkey_core::tenants::{self, Tenant, TenantInput};
use latchkey_store::Backend;
use latchkey_store::testing::TestDb;
use reqwest::redirect::Policy;

/// Runs each named test function (taking a [`Backend`]) once on SQLite and
/// once on PostgreSQL; the store's conformance suite uses the same macro.
pub(crate) use latchkey_store::on_both_backends;

pub const PASSWORD: &str = "correct horse battery staple";
pub const SECRET_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

pub fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "latchkey-it-{}",
        latchkey_core::platform::random::new_id::<String>(&OsRandom)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn test_config(db_url: &str, extra: &[(&'static str, &str)]) -> Config {
    let data_dir = temp_dir();
    let mut flags = vec![
        ("server.listen", "127.0.0.1:0".to_owned(), "test"),
        ("database.url", db_url.to_owned(), "test"),
        ("data_dir", data_dir.display().to_string(), "test"),
        ("security.secret_key", SECRET_KEY.to_owned(), "test"),
        ("server.secure_cookies", "false".to_owned(), "test"),
        ("metrics.listen", "127.0.0.1:0".to_owned(), "test"),
    ];
    for (k, v) in extra {
        flags.push((*k, (*v).to_owned(), "test"));
    }
    config::load(&Sources {
        flags,
        ..Default::default()
    })
    .unwrap()
}

pub struct TestServer {
    pub running: Running,
    pub tdb: TestDb,
    pub clock: Arc<ManualClock>,
    pub tenant: Tenant,
    pub alice: User,
}

impl TestServer {
    pub async fn start(backend: Backend) -> TestServer {
        Self::start_with(backend, &[]).await
    }

    /// A server with tenant `acme` and user `alice` (password [`PASSWORD`]).
    pub async fn start_with(backend: Backend, extra: &[(&'static str, &str)]) -> TestServer {
        let tdb = TestDb::new(backend).await.unwrap();
        let clock = Arc::new(ManualClock::new(UnixTime(1_800_000_000)));
        let (tenant, alice) = seed(&tdb, &clock).await;
        let running = start_on(&tdb, clock.clone(), extra).await;
        TestServer {
            running,
            tdb,
            clock,
            tenant,
            alice,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.running.url, path)
    }

    /// The Prometheus text of the metrics listener (`metrics.listen`).
    pub async fn metrics(&self) -> String {
        let addr = self.running.metrics_addr.expect("metrics are on in tests");
        let (status, text) = get_text(&browser(), &format!("http://{addr}/metrics")).await;
        assert_eq!(status, 200, "{text}");
        text
    }
}

pub async fn start_on(
    tdb: &TestDb,
    clock: Arc<ManualClock>,
    extra: &[(&'static str, &str)],
) -> Running {
    let config = test_config(&tdb.url, extra);
    let db = server::open_database(&config, &*clock, true).await.unwrap();
    server::start(
        &config,
        db,
        Deps {
            clock,
            random: Arc::new(OsRandom),
        },
    )
    .await
    .unwrap()
}

pub async fn seed(tdb: &TestDb, clock: &ManualClock) -> (Tenant, User) {
    let tenant = tenants::create(
        &tdb.db,
        clock,
        &OsRandom,
        &TenantInput {
            slug: "acme".into(),
            display_name: "Acme Corp".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let tenant = set_up(tdb, clock, tenant).await;
    let alice = add_user(tdb, clock, &tenant, "alice", "Alice@Example.com").await;
    (tenant, alice)
}

/// `tenant` with its set-up finished, as an organisation that has been in
/// use for a while (a new one opens its console on the set-up wizard).
pub async fn set_up(tdb: &TestDb, clock: &ManualClock, tenant: Tenant) -> Tenant {
    use latchkey_core::platform::clock::Clock;
    use latchkey_core::store::{Effects, TenantStore};
    use latchkey_core::tenants::setup::{Setup, SetupStep};
    let done = Tenant {
        setup: Setup {
            step: SetupStep::Done,
            postponed: false,
        },
        ..tenant
    };
    assert!(
        tdb.db
            .update_tenant(&done, &[], &Effects::default(), clock.now())
            .await
            .unwrap()
    );
    Tenant {
        version: done.version + 1,
        ..done
    }
}

pub async fn add_user(
    tdb: &TestDb,
    clock: &ManualClock,
    tenant: &Tenant,
    name: &str,
    email: &str,
) -> User {
    add_user_with(tdb, clock, tenant, name, email, true, None).await
}

/// A user with a chosen verification state and language.
#[allow(clippy::too_many_arguments)]
pub async fn add_user_with(
    tdb: &TestDb,
    clock: &ManualClock,
    tenant: &Tenant,
    name: &str,
    email: &str,
    email_verified: bool,
    language: Option<&str>,
) -> User {
    let input = UserInput {
        username: name.into(),
        email: email.into(),
        display_name: None,
        password: Some(PASSWORD.into()),
        email_verified,
        language: language.map(str::to_owned),
        role: None,
    };
    create_user(tdb, clock, tenant, input).await
}

/// A tenant administrator (verified address, password [`PASSWORD`]).
pub async fn add_admin(
    tdb: &TestDb,
    clock: &ManualClock,
    tenant: &Tenant,
    name: &str,
    email: &str,
) -> User {
    let input = UserInput {
        username: name.into(),
        email: email.into(),
        display_name: None,
        password: Some(PASSWORD.into()),
        email_verified: true,
        language: None,
        role: Some("admin".into()),
    };
    create_user(tdb, clock, tenant, input).await
}

async fn create_user(tdb: &TestDb, clock: &ManualClock, tenant: &Tenant, input: UserInput) -> User {
    let pool = latchkey_web::hashing::HashPool::new(
        latchkey_core::accounts::password::HashParams::OWASP,
        1,
        1,
        Arc::new(OsRandom),
    )
    .unwrap();
    let env = latchkey_core::Env {
        store: &tdb.db,
        worker: &pool,
        clock,
        random: &OsRandom,
        secrets: &latchkey_core::platform::crypto::SecretBox::new(&[0; 32]),
    };
    let meta = latchkey_core::effects::audit::RequestMeta::default();
    user::create(
        &env,
        tenant,
        input,
        latchkey_core::effects::audit::Actor::OperatorCli,
        &meta,
    )
    .await
    .unwrap()
}

/// A browser: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// A browser whose language is `lang` (its `Accept-Language`).
pub fn browser_in(lang: &'static str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(
            [(
                reqwest::header::ACCEPT_LANGUAGE,
                reqwest::header::HeaderValue::from_static(lang),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap()
}

/// The value of the hidden `csrf` field of a page's content (the header's
/// sign-out form aside: its token is bound to the session, a content form's
/// may be bound to more).
pub fn csrf_of(html: &str) -> String {
    let html = html
        .split_once("</header>")
        .filter(|(_, content)| content.contains("name=\"csrf\""))
        .map_or(html, |(_, content)| content);
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a csrf field");
    html[start..].split('"').next().unwrap().to_owned()
}

pub async fn get_text(client: &reqwest::Client, url: &str) -> (u16, String) {
    let r = client.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Loads the sign-in page and submits it.
pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    tenant: &str,
    login: &str,
    password: &str,
) -> reqwest::Response {
    let (_, page) = get_text(client, &format!("{base}/t/{tenant}/signin")).await;
    let csrf = csrf_of(&page);
    client
        .post(format!("{base}/t/{tenant}/signin"))
        .form(&[("login", login), ("password", password), ("csrf", &csrf)])
        .send()
        .await
        .unwrap()
}

/// The `name=value` of the session cookie `r` sets, if it sets one.
pub fn session_cookie_set(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.split('=').next().unwrap().ends_with("session-acme"))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

/// A client that sends only `cookie` (a copied cookie).
pub async fn with_cookie(s: &TestServer, path: &str, cookie: &str) -> u16 {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(s.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// One sign-in to tenant `acme` from a fresh browser; the status code.
pub async fn attempt(base: &str, login: &str, password: &str) -> u16 {
    sign_in(&browser(), base, "acme", login, password)
        .await
        .status()
        .as_u16()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Asserts that `page` speaks `lang` and has no English left (see
/// [`english_left`]).
pub fn assert_no_english(page: &str, lang: &str) {
    assert!(
        page.contains(&format!("<html lang=\"{lang}\"")),
        "not a page in {lang}:\n{page}"
    );
    let (messages, words) = english_left(page, lang);
    assert!(
        messages.is_empty() && words.is_empty(),
        "English in a page in {lang}: {messages:?} {words:?}\n{}",
        readable_text(page)
    );
}

/// The English a page meant to be in `lang` still shows: English texts of
/// the catalogue that the catalogue says in other words in `lang`
/// (`latchkey_i18n`'s `english_in`), and the commonest English words in
/// what a person reads — text, placeholders, labels, titles and the
/// messages the passkey script shows — for English written into a template
/// or a handler instead of the catalogue.
pub fn english_left(page: &str, lang: &str) -> (Vec<String>, Vec<String>) {
    // Words Italian, German and French do not use ("password", "account",
    // "passkey" and "code" they do).
    const ENGLISH: &[&str] = &[
        "the", "you", "your", "and", "with", "this", "that", "to", "is", "are", "not", "of", "for",
        "please", "sign", "try", "again", "here", "was", "has", "have", "will", "new", "back",
        "codes", "email", "key", "remove", "cancel", "continue", "save",
    ];
    let messages = latchkey_i18n::catalogue().english_in(lang, page);
    let words = readable_text(page)
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
        // words of the language itself: "Was passiert", "codes de
        // récupération", "ich will"
        .filter(|w| {
            let own: &[&str] = match lang {
                "de" => &["was", "will", "codes"],
                "fr" => &["codes"],
                _ => &[],
            };
            !own.contains(&w.to_lowercase().as_str())
        })
        .map(str::to_owned)
        .collect();
    (messages, words)
}

/// What a person reads on a page: the text outside tags (scripts, styles
/// and `<code>` aside) and the attributes a browser shows or the passkey script
/// says (`placeholder`, `aria-label`, `title`, `alt`, `data-msg-…`).
pub fn readable_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        rest = &rest[start..];
        for (open, close) in [
            ("<script", "</script>"),
            ("<style", "</style>"),
            ("<!--", "-->"),
            // secrets and codes are random letters, not language ("IS" in
            // a TOTP secret is no English)
            ("<code", "</code>"),
        ] {
            if rest.starts_with(open)
                && let Some(end) = rest.find(close)
            {
                rest = &rest[end..];
            }
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        for attribute in tag.split('"').collect::<Vec<_>>().chunks(2) {
            if let [name, value] = attribute {
                let name = name
                    .trim_end()
                    .trim_end_matches('=')
                    .rsplit(' ')
                    .next()
                    .unwrap_or("");
                if ["placeholder", "aria-label", "title", "alt"].contains(&name)
                    || name.starts_with("data-msg-")
                {
                    out.push_str(value);
                    out.push(' ');
                }
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The answer that shows a new set of recovery codes — right after a first
/// second factor, or on asking for a new set: shown once, never cached.
/// Its codes and the page.
pub async fn shown_codes(r: reqwest::Response) -> (Vec<String>, String) {
    assert_eq!(r.status(), 200, "a set of recovery codes is shown");
    assert_eq!(
        r.headers().get("cache-control").unwrap(),
        "no-store",
        "codes shown once are never cached"
    );
    let page = r.text().await.unwrap();
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{page}");
    (codes, page)
}

/// Changes `slug`'s settings as the operator's CLI does, from the stored
/// tenant (so earlier changes in the test do not make it stale).
pub async fn set_tenant(s: &TestServer, slug: &str, input: tenants::SettingsInput) -> Tenant {
    let tenant = tenants::by_slug(&s.tdb.db, slug).await.unwrap();
    tenants::update_settings(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &tenant,
        &input,
        &latchkey_core::effects::audit::Actor::OperatorCli,
    )
    .await
    .unwrap()
}
