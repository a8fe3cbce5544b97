//! Turns the collected values into a [`Config`], checking each and
//! collecting every problem with its key and source.

use super::*;

pub(super) struct Builder {
    pub(super) values: BTreeMap<String, Sourced>,
    pub(super) errors: Vec<String>,
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

    pub(super) fn build(&mut self) -> Config {
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
        let log_level = self.string("log.level");
        if let Some(level) = &log_level {
            // Filters are ASCII (levels, targets, spans, fields); the
            // tracing parser panics on some other text instead of saying
            // what is wrong, so it never sees any.
            let problem = if !level.is_ascii() || level.chars().any(|c| c.is_ascii_control()) {
                Some("it holds characters no filter has".to_owned())
            } else {
                tracing_subscriber::EnvFilter::try_new(level)
                    .err()
                    .map(|e| e.to_string())
            };
            if let Some(problem) = problem {
                self.fail(
                    "log.level",
                    format!("{level:?} is not a valid filter ({problem}); use e.g. info or debug"),
                );
            }
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
