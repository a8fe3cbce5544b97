//! The keys the configuration knows: their types, what they mean, their
//! environment variable names, and how text becomes a value of a key's type.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Str,
    Bool,
    Int,
}

/// Every key the configuration knows, with its type and what it means.
pub(super) const KEYS: &[(&str, Kind, &str)] = &[
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
        "a tracing filter such as info or latchkey=debug,info (default info for serve, warn otherwise)",
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

pub(super) fn kind_of(key: &str) -> Option<Kind> {
    KEYS.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, kind, _)| *kind)
}

pub(super) fn parse_text(kind: Kind, text: &str) -> Result<toml::Value, String> {
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

pub(super) fn check_type(kind: Kind, value: &toml::Value) -> Result<(), &'static str> {
    match (kind, value) {
        (Kind::Str, toml::Value::String(_))
        | (Kind::Bool, toml::Value::Boolean(_))
        | (Kind::Int, toml::Value::Integer(_)) => Ok(()),
        (Kind::Str, _) => Err("expected a string (in quotes)"),
        (Kind::Bool, _) => Err("expected true or false"),
        (Kind::Int, _) => Err("expected a whole number"),
    }
}
