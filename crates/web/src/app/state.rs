use latchkey_core::platform::ids::TenantId;
use std::sync::Arc;

use latchkey_core::accounts::session::SessionPolicy;
use latchkey_core::factors::passkey::RelyingParty;
use latchkey_core::oidc::signing::Alg;
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::random::Random;
use latchkey_core::signin::{Env, SignInLimits};
use latchkey_store::Db;

use crate::hashing::HashPool;
use crate::metrics::Metrics;

/// What the web layer needs from configuration. `Debug` leaves the key out.
#[derive(Clone)]
pub struct WebConfig {
    /// Where users reach latchkey, e.g. `https://id.example.com`; no trailing slash.
    pub public_url: String,
    /// Cookies with `Secure` and the `__Host-` prefix; off only for plain-HTTP
    /// development on localhost.
    pub secure_cookies: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (set
    /// only behind a reverse proxy that writes it).
    pub trust_proxy_headers: bool,
    pub session: SessionPolicy,
    pub signin_limits: SignInLimits,
    /// Key for CSRF tokens and other server-side MACs (32 bytes).
    pub secret_key: [u8; 32],
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("public_url", &self.public_url)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy_headers", &self.trust_proxy_headers)
            .field("session", &self.session)
            .field("signin_limits", &self.signin_limits)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

struct Inner {
    secrets: SecretBox,
    db: Db,
    config: WebConfig,
    hasher: HashPool,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    metrics: Metrics,
    relying_party: Option<RelyingParty>,
    keys: latchkey_core::oidc::signing::KeyCache,
    /// What this node knows of the limits on failed client authentication.
    client_limiter: latchkey_core::oidc::client_limit::ClientLimiter,
    /// Tenants by slug for the token-style endpoints (see `issuer_tenant`).
    issuers: std::sync::Mutex<
        std::collections::HashMap<String, (latchkey_core::tenants::Tenant, std::time::Instant)>,
    >,
}

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(
        db: Db,
        config: WebConfig,
        hasher: HashPool,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
        relying_party: Option<RelyingParty>,
    ) -> AppState {
        AppState(Arc::new(Inner {
            secrets: SecretBox::new(&config.secret_key),
            db,
            config,
            hasher,
            clock,
            random,
            metrics: Metrics::default(),
            relying_party,
            keys: Default::default(),
            client_limiter: Default::default(),
            issuers: Default::default(),
        }))
    }

    pub fn db(&self) -> &Db {
        &self.0.db
    }

    pub fn config(&self) -> &WebConfig {
        &self.0.config
    }

    pub fn hasher(&self) -> &HashPool {
        &self.0.hasher
    }

    pub fn clock(&self) -> &dyn Clock {
        &*self.0.clock
    }

    pub fn random(&self) -> &dyn Random {
        &*self.0.random
    }

    /// The site passkeys are bound to; `None` when the public URL cannot
    /// have passkeys (plain http on a name other than localhost, an IP).
    pub fn relying_party(&self) -> Option<&RelyingParty> {
        self.0.relying_party.as_ref()
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn client_limiter(&self) -> &latchkey_core::oidc::client_limit::ClientLimiter {
        &self.0.client_limiter
    }

    /// The tenant's token signing keys (made on first use). `fresh` skips
    /// this node's short-lived copy.
    pub async fn tenant_keys(
        &self,
        tenant_id: &TenantId,
        fresh: bool,
    ) -> Result<Arc<latchkey_core::oidc::signing::TenantKeys>, latchkey_core::Error> {
        self.0
            .keys
            .get(
                &self.0.db,
                tenant_id,
                &*self.0.random,
                &self.0.secrets,
                self.0.clock.now(),
                fresh,
            )
            .await
    }

    /// The tenant behind `/t/{slug}/token` and its siblings, which need only
    /// its id and slug (neither ever changes): kept for a minute, so a token
    /// request does not read the tenant every time.
    pub async fn issuer_tenant(
        &self,
        slug: &str,
    ) -> Result<latchkey_core::tenants::Tenant, crate::app::error::WebError> {
        {
            let map = self
                .0
                .issuers
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some((tenant, at)) = map.get(slug)
                && at.elapsed().as_secs() < 60
            {
                return Ok(tenant.clone());
            }
        }
        let tenant = crate::app::extract::tenant::load(self, slug).await?;
        let mut map = self
            .0
            .issuers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= 10_000 {
            map.clear();
        }
        map.insert(slug.to_owned(), (tenant.clone(), std::time::Instant::now()));
        Ok(tenant)
    }

    /// The tenant's keys, with one for `alg` (an RS256 key is made the first
    /// time an application of the tenant needs one).
    pub async fn tenant_keys_for(
        &self,
        tenant_id: &TenantId,
        alg: Alg,
    ) -> Result<Arc<latchkey_core::oidc::signing::TenantKeys>, latchkey_core::Error> {
        if alg != Alg::Rs256 {
            return self.tenant_keys(tenant_id, false).await;
        }
        self.0
            .keys
            .with_rs256(
                &self.0.db,
                tenant_id,
                &*self.0.random,
                &self.0.secrets,
                self.0.clock.now(),
            )
            .await
    }

    pub fn secrets(&self) -> &SecretBox {
        &self.0.secrets
    }

    /// The dependencies of core services.
    pub fn env(&self) -> Env<'_, Db, HashPool> {
        Env {
            store: &self.0.db,
            worker: &self.0.hasher,
            clock: &*self.0.clock,
            random: &*self.0.random,
            secrets: &self.0.secrets,
        }
    }
}
