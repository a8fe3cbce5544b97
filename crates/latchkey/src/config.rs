//! Configuration: defaults, then one TOML file (`--config`), then `LATCHKEY_*`
//! environment variables, then command-line flags. Every problem is reported
//! with its key name and where the value came from.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use latchkey_core::accounts::session::SessionPolicy;
use latchkey_core::signin::SignInLimits;
use latchkey_mail::transport::{Security, SmtpSettings, parse_mailbox};
use latchkey_store::Backend;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Bool,
    Int,
}

/// Every key the configuration knows, with its type and what it means.
const KEYS: &[(&str, Kind, &str)] = &[
    (
        "data_dir",
        Kind::Str,
        "directory for the SQLite database and generated keys (default ./latchkey-data)",
    ),
    (
        "server.listen",
        Kind::Str,
        "address to listen on, HOST:PORT (default 127.0.0.1:8080)",
    ),
    (
        "server.public_url",
        Kind::Str,
        "URL users reach latchkey at, e.g. https://id.example.com (default http://LISTEN)",
    ),
    (
        "server.secure_cookies",
        Kind::Bool,
        "Secure, __Host- cookies (default: true when public_url is https)",
    ),
    (
        "server.trust_proxy_headers",
        Kind::Bool,
        "take the client address from X-Forwarded-For (default false)",
    ),
    (
        "metrics.listen",
        Kind::Str,
        "address of the Prometheus /metrics listener, HOST:PORT, or off (default 127.0.0.1:9464)",
    ),
    (
        "metrics.token",
        Kind::Str,
        "bearer token /metrics requires (32+ characters; required off loopback)",
    ),
    (
        "passkeys.rp_id",
        Kind::Str,
        "domain passkeys are bound to: the public URL's host or a parent domain (default: the host)",
    ),
    (
        "database.url",
        Kind::Str,
        "sqlite://PATH or postgres://USER@HOST/DB (default: SQLite in data_dir)",
    ),
    (
        "database.auto_migrate",
        Kind::Bool,
        "apply migrations at start (default true)",
    ),
    (
        "database.max_connections",
        Kind::Int,
        "connection pool size (default 10)",
    ),
    (
        "security.secret_key",
        Kind::Str,
        "64 hex characters; default: generated into data_dir/secret.key",
    ),
    (
        "session.idle_timeout_minutes",
        Kind::Int,
        "end sessions unused this long (default 30)",
    ),
    (
        "session.absolute_timeout_hours",
        Kind::Int,
        "end sessions this long after sign-in (default 10)",
    ),
    (
        "signin.attempts_per_account",
        Kind::Int,
        "sign-in attempts per typed name, per account and per known device, and window (default 10)",
    ),
    (
        "signin.attempts_per_address",
        Kind::Int,
        "sign-in attempts per client address and window (default 100)",
    ),
    (
        "signin.window_minutes",
        Kind::Int,
        "rate-limit window (default 15)",
    ),
    (
        "password.hash_workers",
        Kind::Int,
        "password hashes computed at once (default: number of cores)",
    ),
    (
        "password.hash_queue",
        Kind::Int,
        "password hashes allowed to wait before 503 (default 32 per worker)",
    ),
    (
        "mail.from",
        Kind::Str,
        "sender of latchkey's mail (default latchkey <no-reply@localhost>)",
    ),
    (
        "mail.smtp_host",
        Kind::Str,
        "SMTP server; without it, mail is written to data_dir/mail/*.eml",
    ),
    (
        "mail.smtp_port",
        Kind::Int,
        "SMTP port (default 587 with starttls, 465 with tls, 25 with none)",
    ),
    (
        "mail.smtp_security",
        Kind::Str,
        "starttls, tls or none (default starttls)",
    ),
    ("mail.smtp_username", Kind::Str, "SMTP user name (optional)"),
    (
        "mail.smtp_password",
        Kind::Str,
        "SMTP password (optional; needs smtp_username)",
    ),
    (
        "mail.poll_seconds",
        Kind::Int,
        "how often the outbox is checked for due mail (default 1)",
    ),
    ("log.format", Kind::Str, "text or json (default text)"),
    (
        "log.level",
        Kind::Str,
        "a tracing filter such as info or latchkey=debug,info (default info)",
    ),
];

pub fn env_name(key: &str) -> String {
    format!("LATCHKEY_{}", key.to_uppercase().replace('.', "_"))
}

/// Lines for `latchkey config keys` and the docs.
pub fn describe_keys() -> Vec<String> {
    KEYS.iter()
        .map(|(k, _, help)| format!("{k:<32} {:<40} {help}", env_name(k)))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The configuration in force. `Debug` redacts the secret key and the
/// database password.
#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub auto_migrate: bool,
    pub max_connections: u32,
    pub listen: SocketAddr,
    pub public_url: Option<String>,
    /// `passkeys.rp_id`; `None`: the public URL's host.
    pub passkey_rp_id: Option<String>,
    pub secure_cookies: Option<bool>,
    pub trust_proxy_headers: bool,
    pub secret_key: Option<[u8; 32]>,
    pub session: SessionPolicy,
    pub signin: SignInLimits,
    pub hash_workers: usize,
    pub hash_queue: usize,
    pub log_format: LogFormat,
    pub log_level: String,
    pub mail: MailConfig,
    pub metrics: MetricsConfig,
}

/// Where `/metrics` is served: never on the main listener, since the
/// figures name every tenant.
#[derive(Clone, PartialEq, Eq)]
pub struct MetricsConfig {
    /// `None`: off.
    pub listen: Option<SocketAddr>,
    /// Whether `metrics.listen` was set: a configured address that cannot
    /// be bound stops the start; the default only turns metrics off.
    pub configured: bool,
    /// The bearer token a scrape must send.
    pub token: Option<String>,
}

/// The default metrics address: loopback only, so only the machine's own
/// Prometheus (or an agent beside it) can read it.
pub const DEFAULT_METRICS_LISTEN: &str = "127.0.0.1:9464";

/// Shortest `metrics.token` accepted.
pub const METRICS_TOKEN_MIN: usize = 32;

impl std::fmt::Debug for MetricsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsConfig")
            .field("listen", &self.listen)
            .field("configured", &self.configured)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// A valid mailbox (checked by `config::load`), e.g. `latchkey <id@example.com>`.
    pub from: String,
    /// `None`: `.eml` files in `data_dir/mail`.
    pub smtp: Option<SmtpSettings>,
    pub poll_secs: u64,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &latchkey_store::redact_url(&self.database_url()),
            )
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("secret_key", &self.secret_key.map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The database URL in force: the configured one, else SQLite in the data dir.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("latchkey.db").display()))
    }

    /// Where users reach latchkey: `server.public_url`, else derived from
    /// the address it listens on (see [`default_public_url`]).
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| default_public_url(self.listen))
    }
}

/// `http://localhost:PORT` for 127.0.0.1 and ::1 (browsers allow passkeys
/// there, not on IP addresses), else `http://ADDRESS`.
pub fn default_public_url(addr: SocketAddr) -> String {
    let ip = addr.ip();
    if ip == std::net::Ipv4Addr::LOCALHOST || ip == std::net::Ipv6Addr::LOCALHOST {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// A value and where it came from (for messages).
#[derive(Debug, Clone)]
struct Sourced {
    value: toml::Value,
    origin: String,
}

/// Where configuration comes from, in increasing precedence.
#[derive(Debug, Default)]
pub struct Sources {
    pub file: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    /// (key, value, flag name)
    pub flags: Vec<(&'static str, String, &'static str)>,
}

impl Sources {
    /// Reads the `LATCHKEY_*` variables of the process environment.
    pub fn with_process_env(mut self) -> Self {
        self.env = std::env::vars()
            .filter(|(k, _)| k.starts_with("LATCHKEY_"))
            .collect();
        self
    }
}

fn kind_of(key: &str) -> Option<Kind> {
    KEYS.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, kind, _)| *kind)
}

fn parse_text(kind: Kind, text: &str) -> Result<toml::Value, String> {
    match kind {
        Kind::Str => Ok(toml::Value::String(text.to_owned())),
        Kind::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "off" => Ok(toml::Value::Boolean(false)),
            _ => Err(format!("\"{text}\" is not a boolean; use true or false")),
        },
        Kind::Int => text
            .trim()
            .parse::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| format!("\"{text}\" is not a whole number")),
    }
}

fn check_type(kind: Kind, value: &toml::Value) -> Result<(), &'static str> {
    match (kind, value) {
        (Kind::Str, toml::Value::String(_))
        | (Kind::Bool, toml::Value::Boolean(_))
        | (Kind::Int, toml::Value::Integer(_)) => Ok(()),
        (Kind::Str, _) => Err("expected a string (in quotes)"),
        (Kind::Bool, _) => Err("expected true or false"),
        (Kind::Int, _) => Err("expected a whole number"),
    }
}

fn flatten(
    table: &toml::Table,
    prefix: &str,
    origin: &str,
    out: &mut BTreeMap<String, Sourced>,
    errors: &mut Vec<String>,
) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match (value, kind_of(&key)) {
            (toml::Value::Table(inner), None) if prefix.is_empty() => {
                flatten(inner, &key, origin, out, errors)
            }
            (_, None) => errors.push(format!(
                "{key} (in {origin}): unknown key; run `latchkey config keys` for the list of keys"
            )),
            (value, Some(kind)) => match check_type(kind, value) {
                Ok(()) => {
                    out.insert(
                        key,
                        Sourced {
                            value: value.clone(),
                            origin: origin.to_owned(),
                        },
                    );
                }
                Err(m) => errors.push(format!("{key} (in {origin}): {m}")),
            },
        }
    }
}

fn read_file(path: &Path, out: &mut BTreeMap<String, Sourced>, errors: &mut Vec<String>) {
    let origin = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            errors.push(format!(
                "{origin}: cannot read the configuration file: {err}"
            ));
            return;
        }
    };
    match text.parse::<toml::Table>() {
        Ok(table) => flatten(&table, "", &origin, out, errors),
        Err(err) => errors.push(format!(
            "{origin}: not valid TOML: {}",
            err.to_string().trim()
        )),
    }
}

/// Sets `key` from text (an environment variable or a flag), parsed by the key's type.
fn set_text(
    values: &mut BTreeMap<String, Sourced>,
    errors: &mut Vec<String>,
    key: &str,
    text: &str,
    origin: &str,
) {
    match parse_text(kind_of(key).unwrap_or(Kind::Str), text) {
        Ok(value) => {
            let origin = origin.to_owned();
            values.insert(key.to_owned(), Sourced { value, origin });
        }
        Err(m) => errors.push(format!("{key} (from {origin}): {m}")),
    }
}

/// Loads and validates the configuration; on failure, returns every problem.
pub fn load(sources: &Sources) -> Result<Config, Vec<String>> {
    let mut values = BTreeMap::new();
    let mut errors = vec![];
    if let Some(path) = &sources.file {
        read_file(path, &mut values, &mut errors);
    }
    let known_env: BTreeMap<String, &str> =
        KEYS.iter().map(|(k, _, _)| (env_name(k), *k)).collect();
    for (name, text) in &sources.env {
        if name == "LATCHKEY_CONFIG" || name.starts_with("LATCHKEY_TEST_") {
            continue;
        }
        let Some(key) = known_env.get(name) else {
            errors.push(format!(
                "{name}: unknown environment variable; run `latchkey config keys` for the list"
            ));
            continue;
        };
        set_text(&mut values, &mut errors, key, text, name);
    }
    for (key, text, flag) in &sources.flags {
        set_text(&mut values, &mut errors, key, text, flag);
    }
    let mut b = Builder { values, errors };
    let config = b.build();
    if b.errors.is_empty() {
        Ok(config)
    } else {
        Err(b.errors)
    }
}

struct Builder {
    values: BTreeMap<String, Sourced>,
    errors: Vec<String>,
}

impl Builder {
    fn mail(&mut self) -> MailConfig {
        let from_text = self
            .string("mail.from")
            .unwrap_or_else(|| "latchkey <no-reply@localhost>".into());
        if let Err(m) = parse_mailbox(&from_text) {
            self.fail("mail.from", m);
        }
        let from = from_text;
        let security = match self.string("mail.smtp_security").as_deref() {
            None => Security::StartTls,
            Some(text) => Security::parse(text).unwrap_or_else(|| {
                self.fail(
                    "mail.smtp_security",
                    format!("\"{text}\" is not one of: starttls, tls, none"),
                );
                Security::StartTls
            }),
        };
        let port = self.int(
            "mail.smtp_port",
            i64::from(security.default_port()),
            1,
            65535,
        ) as u16;
        let username = self.string("mail.smtp_username");
        let password = self.string("mail.smtp_password");
        if password.is_some() && username.is_none() {
            self.fail(
                "mail.smtp_password",
                "is set but mail.smtp_username is not; set both or neither",
            );
        }
        let poll_secs = self.int("mail.poll_seconds", 1, 1, 3600) as u64;
        let smtp = self
            .string("mail.smtp_host")
            .filter(|h| !h.is_empty())
            .map(|host| SmtpSettings {
                host,
                port,
                security,
                username,
                password,
                timeout: std::time::Duration::from_secs(20),
            });
        MailConfig {
            from,
            smtp,
            poll_secs,
        }
    }

    fn metrics(&mut self, listen: SocketAddr) -> MetricsConfig {
        let text = self.string("metrics.listen");
        let configured = text.is_some();
        let text = text.unwrap_or_else(|| DEFAULT_METRICS_LISTEN.into());
        let addr = match text.trim() {
            "off" => None,
            other => match other.parse::<SocketAddr>() {
                Ok(addr) => Some(addr),
                Err(_) => {
                    self.fail(
                        "metrics.listen",
                        format!("\"{text}\" is not an address; use IP:PORT such as {DEFAULT_METRICS_LISTEN}, or off"),
                    );
                    None
                }
            },
        };
        let token = self.string("metrics.token");
        if let Some(token) = &token {
            let len = token.chars().count();
            if len < METRICS_TOKEN_MIN || !token.chars().all(|c| c.is_ascii_graphic()) {
                self.fail(
                    "metrics.token",
                    format!("must be at least {METRICS_TOKEN_MIN} letters, digits or punctuation marks, without spaces (it is sent in an HTTP header); generate one with `openssl rand -hex 32`"),
                );
            }
        }
        if let Some(addr) = addr {
            if !addr.ip().is_loopback() && token.is_none() {
                self.fail(
                    "metrics.listen",
                    format!("{addr} can be reached from other machines, and /metrics names every tenant; set metrics.token (Prometheus sends it as a bearer token) or listen on 127.0.0.1"),
                );
            }
            if addr.port() != 0 && addr == listen {
                self.fail(
                    "metrics.listen",
                    format!(
                        "{addr} is server.listen's address; metrics need an address of their own"
                    ),
                );
            }
        }
        MetricsConfig {
            listen: addr,
            configured,
            token,
        }
    }

    fn fail(&mut self, key: &str, message: impl std::fmt::Display) {
        let origin = self
            .values
            .get(key)
            .map(|s| s.origin.clone())
            .unwrap_or_else(|| "default".into());
        self.errors
            .push(format!("{key} (from {origin}): {message}"));
    }

    fn string(&self, key: &str) -> Option<String> {
        self.values
            .get(key)
            .and_then(|s| s.value.as_str().map(str::to_owned))
    }

    fn boolean(&self, key: &str) -> Option<bool> {
        self.values.get(key).and_then(|s| s.value.as_bool())
    }

    fn int(&mut self, key: &str, default: i64, min: i64, max: i64) -> i64 {
        match self.values.get(key).and_then(|s| s.value.as_integer()) {
            None => default,
            Some(v) if (min..=max).contains(&v) => v,
            Some(v) => {
                self.fail(key, format!("{v} is out of range; use {min} to {max}"));
                default
            }
        }
    }

    fn build(&mut self) -> Config {
        let data_dir = PathBuf::from(
            self.string("data_dir")
                .unwrap_or_else(|| "./latchkey-data".into()),
        );
        if data_dir.as_os_str().is_empty() {
            self.fail("data_dir", "must not be empty");
        }

        let listen_text = self
            .string("server.listen")
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen = listen_text.parse::<SocketAddr>().unwrap_or_else(|_| {
            self.fail(
                "server.listen",
                format!("\"{listen_text}\" is not an address; use IP:PORT such as 127.0.0.1:8080 or 0.0.0.0:8080"),
            );
            SocketAddr::from(([127, 0, 0, 1], 8080))
        });

        let public_url = self
            .string("server.public_url")
            .map(|u| u.trim_end_matches('/').to_owned());
        if let Some(url) = &public_url {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains('/') && !host.contains('?') && !host.contains('#') => {}
                _ => self.fail(
                    "server.public_url",
                    format!("\"{url}\" must be http(s)://HOST[:PORT] without a path, e.g. https://id.example.com"),
                ),
            }
        }

        let database_url = self.string("database.url").filter(|u| !u.is_empty());
        if let Some(Err(m)) = database_url.as_deref().map(Backend::from_url) {
            self.fail("database.url", m);
        }

        let secret_key = self.string("security.secret_key").and_then(|text| {
            match hex::decode(text.trim()).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) {
                Some(key) => Some(key),
                None => {
                    self.fail(
                        "security.secret_key",
                        "must be 64 hexadecimal characters (32 bytes); generate one with `openssl rand -hex 32`",
                    );
                    None
                }
            }
        });

        let idle = self.int("session.idle_timeout_minutes", 30, 1, 24 * 60);
        let absolute = self.int("session.absolute_timeout_hours", 10, 1, 30 * 24);
        if idle > absolute * 60 {
            self.fail(
                "session.idle_timeout_minutes",
                "must not be longer than session.absolute_timeout_hours",
            );
        }
        let window = self.int("signin.window_minutes", 15, 1, 24 * 60) * 60;
        let per_account = self.int("signin.attempts_per_account", 10, 1, 100_000) as u32;
        let per_address = self.int("signin.attempts_per_address", 100, 1, 1_000_000) as u32;

        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as i64;
        let hash_workers = self.int("password.hash_workers", cores, 1, 256);
        let hash_queue = self.int("password.hash_queue", 32 * hash_workers, 0, 1_000_000);

        let log_format = match self.string("log.format").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                self.fail(
                    "log.format",
                    format!("\"{other}\" is not one of: text, json"),
                );
                LogFormat::Text
            }
        };
        let log_level = self.string("log.level").unwrap_or_else(|| "info".into());
        if let Err(err) = tracing_subscriber::EnvFilter::try_new(&log_level) {
            self.fail(
                "log.level",
                format!("\"{log_level}\" is not a valid filter ({err}); use e.g. info or debug"),
            );
        }

        let mail = self.mail();
        let metrics = self.metrics(listen);
        Config {
            mail,
            metrics,
            data_dir,
            database_url,
            auto_migrate: self.boolean("database.auto_migrate").unwrap_or(true),
            max_connections: self.int("database.max_connections", 10, 1, 1000) as u32,
            listen,
            public_url,
            passkey_rp_id: self.string("passkeys.rp_id"),
            secure_cookies: self.boolean("server.secure_cookies"),
            trust_proxy_headers: self.boolean("server.trust_proxy_headers").unwrap_or(false),
            secret_key,
            session: SessionPolicy {
                idle_secs: idle * 60,
                absolute_secs: absolute * 3600,
            },
            signin: SignInLimits::new(per_account, per_address, window),
            hash_workers: hash_workers as usize,
            hash_queue: hash_queue as usize,
            log_format,
            log_level,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (PathBuf, Sources) {
        let path = std::env::temp_dir().join(format!(
            "latchkey-config-{}.toml",
            latchkey_core::platform::random::new_id::<String>(
                &latchkey_core::platform::random::OsRandom
            )
        ));
        std::fs::write(&path, text).unwrap();
        (
            path.clone(),
            Sources {
                file: Some(path),
                ..Default::default()
            },
        )
    }

    #[test]
    fn defaults() {
        let c = load(&Sources::default()).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.data_dir, PathBuf::from("./latchkey-data"));
        assert!(c.database_url().starts_with("sqlite://"));
        assert!(c.auto_migrate);
        assert_eq!(c.session, SessionPolicy::default());
        assert_eq!(c.signin, SignInLimits::default());
    }

    #[test]
    fn file_env_and_flags_layer_in_order() {
        let (path, mut sources) = file(
            "data_dir = \"/tmp/x\"\n[server]\nlisten = \"0.0.0.0:9000\"\npublic_url = \"https://id.example.com/\"\n[session]\nidle_timeout_minutes = 5\n",
        );
        sources.env = vec![("LATCHKEY_SERVER_LISTEN".into(), "127.0.0.1:9100".into())];
        sources.flags = vec![("data_dir", "/tmp/y".into(), "--data-dir")];
        let c = load(&sources).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:9100");
        assert_eq!(c.data_dir, PathBuf::from("/tmp/y"));
        assert_eq!(c.public_url.as_deref(), Some("https://id.example.com"));
        assert_eq!(c.session.idle_secs, 300);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let (path, mut sources) = file(
            "[server]\nlisten = \"nowhere\"\nlisen = 1\npublic_url = \"ftp://x\"\n[database]\nurl = \"mysql://x\"\nmax_connections = \"ten\"\n[security]\nsecret_key = \"abc\"\n[log]\nformat = \"xml\"\n",
        );
        sources.env = vec![
            ("LATCHKEY_SIGNIN_WINDOW_MINUTES".into(), "soon".into()),
            ("LATCHKEY_BOGUS".into(), "1".into()),
        ];
        let errors = load(&sources).unwrap_err();
        let text = errors.join("\n");
        for expected in [
            "server.listen (from ",
            "server.lisen (in ",
            "server.public_url",
            "database.url",
            "database.max_connections (in ",
            "security.secret_key",
            "log.format",
            "signin.window_minutes (from LATCHKEY_SIGNIN_WINDOW_MINUTES)",
            "LATCHKEY_BOGUS",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert_eq!(errors.len(), 9, "{text}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn malformed_toml_is_a_clear_error() {
        let (path, sources) = file("[server\nlisten = ");
        let errors = load(&sources).unwrap_err();
        assert!(errors[0].contains("not valid TOML"), "{errors:?}");
        std::fs::remove_file(path).unwrap();
        let missing = Sources {
            file: Some("/nonexistent/latchkey.toml".into()),
            ..Default::default()
        };
        assert!(load(&missing).unwrap_err()[0].contains("cannot read"));
    }

    #[test]
    fn metrics_have_their_own_listener() {
        let c = load(&Sources::default()).unwrap();
        assert_eq!(
            c.metrics,
            MetricsConfig {
                listen: Some(DEFAULT_METRICS_LISTEN.parse().unwrap()),
                configured: false,
                token: None,
            }
        );
        let with = |pairs: &[(&'static str, &str)]| {
            load(&Sources {
                flags: pairs
                    .iter()
                    .map(|(k, v)| (*k, (*v).to_owned(), "--x"))
                    .collect(),
                ..Default::default()
            })
        };
        let off = with(&[("metrics.listen", "off")]).unwrap();
        assert_eq!((off.metrics.listen, off.metrics.configured), (None, true));
        let token = "0123456789abcdef0123456789abcdef";
        let open = with(&[("metrics.listen", "0.0.0.0:9464"), ("metrics.token", token)]).unwrap();
        assert_eq!(open.metrics.token.as_deref(), Some(token));
        assert!(!format!("{:?}", open.metrics).contains(token), "redacted");

        for (pairs, says) in [
            (vec![("metrics.listen", "nowhere")], "is not an address"),
            (
                vec![("metrics.listen", "0.0.0.0:9464")],
                "set metrics.token",
            ),
            (vec![("metrics.listen", "[::]:9464")], "set metrics.token"),
            (vec![("metrics.token", "short")], "at least 32"),
            (
                vec![("metrics.token", "a token with spaces in it, long enough")],
                "without spaces",
            ),
            (
                vec![
                    ("server.listen", "127.0.0.1:9000"),
                    ("metrics.listen", "127.0.0.1:9000"),
                ],
                "an address of their own",
            ),
        ] {
            let errors = with(&pairs).unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].contains(says), "{pairs:?}: {errors:?}");
            assert!(errors[0].starts_with("metrics."), "{errors:?}");
        }
    }

    #[test]
    fn ranges_are_checked() {
        let sources = Sources {
            flags: vec![
                ("session.idle_timeout_minutes", "0".into(), "--x"),
                ("password.hash_workers", "1000".into(), "--y"),
            ],
            ..Default::default()
        };
        let errors = load(&sources).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("out of range"));
    }
}
