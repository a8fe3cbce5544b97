//! Start-up: database, migrations, keys, the HTTP server and background tasks.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use latchkey_core::accounts::password::HashParams;
use latchkey_core::factors::passkey::RelyingParty;
use latchkey_core::platform::clock::{Clock, SystemClock};
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::random::{OsRandom, Random, bytes};
use latchkey_core::store::{PasskeyStore, SessionStore};
use latchkey_mail::render::Links;
use latchkey_mail::sender::Sender;
use latchkey_mail::transport::{Transport, parse_mailbox};
use latchkey_store::{ConnectOptions, Db};
use latchkey_web::hashing::HashPool;
use latchkey_web::{AppState, WebConfig};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::Config;

/// Time and randomness, injectable for tests.
#[derive(Clone)]
pub struct Deps {
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
}

impl Deps {
    /// The dependencies of core services over `db`.
    pub fn env<'a>(
        &'a self,
        db: &'a Db,
        pool: &'a HashPool,
        secrets: &'a SecretBox,
    ) -> latchkey_core::Env<'a, Db, HashPool> {
        latchkey_core::Env {
            store: db,
            worker: pool,
            clock: &*self.clock,
            random: &*self.random,
            secrets,
        }
    }
}

impl Default for Deps {
    fn default() -> Self {
        Deps {
            clock: Arc::new(SystemClock),
            random: Arc::new(OsRandom),
        }
    }
}

/// Connects to the configured database, creating the data directory for SQLite.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    // The data directory holds the default SQLite file; a database URL of its
    // own needs no directory here.
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    let options = ConnectOptions {
        max_connections: config.max_connections,
        ..Default::default()
    };
    Ok(Db::connect(&config.database_url(), &options).await?)
}

/// Connects and, unless disabled, migrates. A database that needs migrations
/// while auto-migration is off is refused with the command to run.
pub async fn open_database(
    config: &Config,
    clock: &dyn Clock,
    migrate: bool,
) -> anyhow::Result<Db> {
    let db = connect(config).await?;
    if migrate {
        let applied = db.migrate(clock.now().0).await?;
        if !applied.is_empty() {
            tracing::info!(?applied, backend = db.backend().name(), "database migrated");
        }
    } else {
        let status = db.migration_status().await?;
        if !status.is_current() {
            bail!(
                "the database needs migrations {:?}; run `latchkey migrate` first (auto-migration is off)",
                status.pending
            );
        }
    }
    Ok(db)
}

/// The secret key from configuration, else from `data_dir/secret.key`,
/// generated there (readable only by its owner) on first start.
pub fn secret_key(config: &Config, random: &dyn Random) -> anyhow::Result<[u8; 32]> {
    if let Some(key) = config.secret_key {
        return Ok(key);
    }
    let path = config.data_dir.join("secret.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let key = hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .with_context(|| {
                format!(
                    "{} does not hold 64 hex characters; restore it from a backup",
                    path.display()
                )
            })?;
        return Ok(key);
    }
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            config.data_dir.display()
        )
    })?;
    let key = bytes::<32>(random);
    write_private(&path, &hex::encode(key))?;
    tracing::warn!(
        path = %path.display(),
        "generated a new secret key; back it up, and give every node of a deployment the same key (security.secret_key)"
    );
    Ok(key)
}

/// The configured key, or the one in `data_dir/secret.key` if that exists.
pub fn existing_secret_key(config: &Config) -> anyhow::Result<Option<[u8; 32]>> {
    if let Some(key) = config.secret_key {
        return Ok(Some(key));
    }
    let path = config.data_dir.join("secret.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(Some)
            .with_context(|| {
                format!(
                    "{} does not hold 64 hex characters; restore it from a backup",
                    path.display()
                )
            }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(anyhow::anyhow!("cannot read {}: {err}", path.display())),
    }
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// A server running in the background.
pub struct Running {
    pub addr: SocketAddr,
    /// Where `/metrics` is served (`metrics.listen`); `None` when off.
    pub metrics_addr: Option<SocketAddr>,
    /// The public URL, without a trailing slash.
    pub url: String,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    /// Housekeeping and the mail sender; they stop with the server.
    background: Vec<JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        for task in &self.background {
            task.abort();
        }
    }
}

impl Running {
    /// Stops accepting, lets running requests finish, and waits.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ignored = tx.send(());
        }
        self.wait().await
    }

    /// Waits until the server stops.
    pub async fn wait(&mut self) -> anyhow::Result<()> {
        (&mut self.task).await.context("server task failed")??;
        Ok(())
    }

    /// Stops on Ctrl-C or SIGTERM.
    pub async fn until_signal(mut self) -> anyhow::Result<()> {
        tokio::select! {
            result = self.wait() => result,
            () = shutdown_signal() => {
                tracing::info!("shutting down");
                self.shutdown().await
            }
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ignored = tokio::signal::ctrl_c().await;
}

/// The site passkeys are bound to. A configured `passkeys.rp_id` that does
/// not fit the public URL stops the start; without one, a public URL that
/// cannot have passkeys (plain http on a name other than localhost, an IP
/// address) only turns them off, with a warning.
fn relying_party(config: &Config, url: &str) -> anyhow::Result<Option<RelyingParty>> {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    match &config.passkey_rp_id {
        Some(id) => RelyingParty::new(id, url)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("passkeys.rp_id: {e}")),
        None => match RelyingParty::new(&host, url) {
            Ok(rp) => Ok(Some(rp)),
            Err(reason) => {
                tracing::warn!(%reason, "passkeys are off; set server.public_url to an https address to offer them");
                Ok(None)
            }
        },
    }
}

/// Binds, builds the application and serves in the background.
pub async fn start(config: &Config, db: Db, deps: Deps) -> anyhow::Result<Running> {
    if config.secret_key.is_none() && db.backend() == latchkey_store::Backend::Postgres {
        bail!(
            "security.secret_key is required with PostgreSQL: every node must use the same key \
             (generate one with `openssl rand -hex 32` and set it in the configuration or LATCHKEY_SECURITY_SECRET_KEY)"
        );
    }
    let secret_key = secret_key(config, &*deps.random)?;
    let db = db.with_sealing(SecretBox::new(&secret_key));
    // Every tenant's signing key must open with the configured secret key:
    // say so at start rather than at the first sign-in. Tenants without a
    // key get their first one here (later tenants on first use).
    for tenant in latchkey_core::store::TenantStore::list_tenants(&db).await? {
        if let Some(key) = latchkey_core::oidc::signing::ensure_key(
            &db,
            &tenant.id,
            &*deps.random,
            &SecretBox::new(&secret_key),
            deps.clock.now(),
        )
        .await?
        {
            tracing::info!(tenant = %tenant.slug, kid = %key.kid, "made the tenant's first token signing key");
        }
    }
    // Recovery codes stored plain by versions before decision 0020 are
    // keyed now (idempotent: only plain ones are touched).
    let secrets = SecretBox::new(&secret_key);
    let keyed = db
        .key_recovery_codes(
            latchkey_core::factors::recovery_codes::KEYED_PREFIX,
            |plain| latchkey_core::factors::recovery_codes::key_stored(&secrets, plain),
        )
        .await?;
    if keyed > 0 {
        tracing::info!(keyed, "recovery codes stored plain are now keyed");
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {} (server.listen)", config.listen))?;
    let addr = listener.local_addr()?;
    let url = config
        .public_url
        .clone()
        .unwrap_or_else(|| crate::config::default_public_url(addr));
    let relying_party = relying_party(config, &url)?;
    let secure_cookies = config.secure_cookies.unwrap_or(url.starts_with("https://"));
    let hasher = HashPool::new(
        HashParams::OWASP,
        config.hash_workers,
        config.hash_queue,
        deps.random.clone(),
    )?;
    let web = WebConfig {
        public_url: url.clone(),
        secure_cookies,
        trust_proxy_headers: config.trust_proxy_headers,
        session: config.session,
        signin_limits: config.signin,
        secret_key,
    };
    let state = AppState::new(
        db.clone(),
        web,
        hasher,
        deps.clock.clone(),
        deps.random.clone(),
        relying_party,
    );
    let app = latchkey_web::router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let metrics = spawn_metrics(config, state.clone()).await?;
    let metrics_addr = metrics.as_ref().map(|(addr, _)| *addr);

    let (mailer, mail_files) = spawn_mail_sender(config, db.clone(), &deps, &url)?;
    let housekeeping = spawn_housekeeping(
        state.clone(),
        deps.clock.clone(),
        config.session.idle_secs,
        mail_files,
    );
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ignored = rx.await;
        })
        .await
    });
    tracing::info!(%url, %addr, secure_cookies, metrics = ?metrics_addr, "latchkey is listening");
    let mut background = vec![housekeeping, mailer];
    background.extend(metrics.map(|(_, task)| task));
    Ok(Running {
        addr,
        metrics_addr,
        url,
        state,
        shutdown: Some(tx),
        task,
        background,
    })
}

/// Serves `/metrics` on `metrics.listen`, in the background (it stops with
/// the server). A configured address that cannot be bound stops the start;
/// the default one, when taken (a second latchkey on the machine), only
/// turns metrics off, with a warning.
async fn spawn_metrics(
    config: &Config,
    state: AppState,
) -> anyhow::Result<Option<(SocketAddr, JoinHandle<()>)>> {
    let Some(at) = config.metrics.listen else {
        tracing::info!("metrics are off (metrics.listen = off)");
        return Ok(None);
    };
    let listener = match tokio::net::TcpListener::bind(at).await {
        Ok(listener) => listener,
        Err(err) if !config.metrics.configured => {
            tracing::warn!(%at, error = %err, "metrics are off: the default metrics address cannot be used; set metrics.listen to a free address, or to off");
            return Ok(None);
        }
        Err(err) => {
            return Err(err).with_context(|| format!("cannot listen on {at} (metrics.listen)"));
        }
    };
    let addr = listener.local_addr()?;
    let app = latchkey_web::metrics_router(state, config.metrics.token.as_deref());
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!(error = %err, "the metrics listener stopped");
        }
    });
    tracing::info!(%addr, token = config.metrics.token.is_some(), "serving /metrics");
    Ok(Some((addr, task)))
}

/// The mail transport of `config`: SMTP, or `.eml` files in `data_dir/mail`.
pub fn mail_transport(config: &Config) -> anyhow::Result<Transport> {
    match &config.mail.smtp {
        Some(smtp) => Transport::smtp(smtp).map_err(|e| anyhow::anyhow!("mail.smtp_host: {e}")),
        None => Ok(Transport::Files(config.data_dir.join("mail"))),
    }
}

/// Drains the outbox in the background; also returns the directory mail is
/// written to when there is no SMTP server.
fn spawn_mail_sender(
    config: &Config,
    db: Db,
    deps: &Deps,
    public_url: &str,
) -> anyhow::Result<(JoinHandle<()>, Option<std::path::PathBuf>)> {
    let transport = mail_transport(config)?;
    let files = match &transport {
        Transport::Files(dir) => {
            tracing::info!(dir = %dir.display(), "no SMTP server configured (mail.smtp_host): mail is written to files");
            Some(dir.clone())
        }
        Transport::Smtp(_) => None,
    };
    let from = parse_mailbox(&config.mail.from).map_err(|e| anyhow::anyhow!("mail.from: {e}"))?;
    let sender = Sender {
        store: db,
        transport,
        from,
        clock: deps.clock.clone(),
        random: deps.random.clone(),
        links: Links {
            public_url: public_url.to_owned(),
            path: latchkey_web::mail_page,
        },
    };
    Ok((
        tokio::spawn(sender.run(Duration::from_secs(config.mail.poll_secs))),
        files,
    ))
}

/// Every ten minutes: recovery cases move on (and closed ones go after 90
/// days), ended sessions, rate-limit counters long over, expired passkey
/// ceremonies, password-reset links a week expired, expired OAuth records,
/// and the development mail sink's old `.eml` files go.
fn spawn_housekeeping(
    state: AppState,
    clock: Arc<dyn Clock>,
    idle_secs: i64,
    mail_files: Option<std::path::PathBuf>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let db = state.db().clone();
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match latchkey_core::recovery::journey::housekeeping(&state.env()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(cases = n, "moved recovery cases on (ready or expired)"),
                Err(err) => tracing::warn!(error = %err, "could not move recovery cases on"),
            }
            let before = clock.now().plus(-idle_secs);
            match db.purge_sessions(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "removed ended sessions"),
                Err(err) => tracing::warn!(error = %err, "could not remove ended sessions"),
            }
            let counters = clock
                .now()
                .plus(-latchkey_core::effects::ratelimit::KEEP_COUNTERS_SECS);
            match latchkey_core::store::RateLimitStore::purge_rate_limits(&db, counters).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(counters = n, "removed rate-limit counters long over"),
                Err(err) => {
                    tracing::warn!(error = %err, "could not remove old rate-limit counters")
                }
            }
            match db.purge_passkey_ceremonies(clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(ceremonies = n, "removed expired passkey ceremonies"),
                Err(err) => tracing::warn!(error = %err, "could not remove passkey ceremonies"),
            }
            let links = clock
                .now()
                .plus(-latchkey_core::recovery::password_reset::KEEP_AFTER_EXPIRY_SECS);
            match latchkey_core::store::PasswordResetStore::purge_password_resets(&db, links).await
            {
                Ok(0) => {}
                Ok(n) => tracing::debug!(links = n, "removed password-reset links a week expired"),
                Err(err) => {
                    tracing::warn!(error = %err, "could not remove old password-reset links")
                }
            }
            match latchkey_core::store::OidcStore::purge_oauth(&db, clock.now()).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::debug!(rows = n, "removed expired codes, refresh tokens and grants")
                }
                Err(err) => tracing::warn!(error = %err, "could not remove expired OAuth records"),
            }
            if let Some(dir) = &mail_files {
                let cutoff = clock.now().0 - latchkey_mail::transport::KEEP_FILES_SECS;
                match latchkey_mail::transport::prune_files(dir, cutoff) {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(files = n, dir = %dir.display(), "removed mail files older than 7 days")
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, dir = %dir.display(), "could not remove old mail files")
                    }
                }
            }
        }
    })
}
