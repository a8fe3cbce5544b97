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

mod build;
mod keys;

use build::Builder;
use keys::{KEYS, Kind, check_type, kind_of, parse_text};
pub use keys::{describe_keys, env_name};

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
    /// The tracing filter set in the configuration; the command's own
    /// default when unset (info when serving, warnings otherwise).
    pub log_level: Option<String>,
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
            // A name of other characters is quoted and escaped, so that it
            // cannot break the message (or a terminal) with what it holds.
            let shown = if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                name.clone()
            } else {
                format!("{name:?}")
            };
            errors.push(format!(
                "{shown}: unknown environment variable; run `latchkey config keys` for the list"
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
