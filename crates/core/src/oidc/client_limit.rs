//! Failed client authentication at the token, introspection and revocation
//! endpoints (decision 0003): limited per (client, address) and per client,
//! with counters in the database (every node sees the same counts), so that
//! a flood of wrong secrets is answered 429 — while the client's correct use
//! from an address it authenticated from recently is never held back by
//! strangers, and from any address for at most a minute.
//!
//! The success path costs no database round trip: a node remembers what
//! the database told it (a refusal until the window ends, an address that
//! authenticated) and checks that memory before the credentials. Only
//! failures are counted, and a success is written down at most once per
//! (client, address) every ten minutes per node.
//!
//! A node that has not yet seen a client's failure go over a limit does
//! not refuse before checking; its first failure there reads the shared
//! count and refuses from then on. So a limit holds across nodes up to one
//! extra checked attempt per node and window.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::Error;
use crate::effects::ratelimit::{self, Hit, RateLimit};
use crate::oidc::{ClientAuth, OAuthError, TokenError};
use crate::platform::clock::UnixTime;
use crate::platform::ids::{ClientId, TenantId};
use crate::platform::time::{DAY, MINUTE};
use crate::store::{ClientStore, OidcStore, RateLimitStore};
use crate::tenants::Tenant;

/// Failed authentications of one client from one address.
pub const PER_ADDRESS: RateLimit = RateLimit {
    max: 10,
    window_secs: 60,
};

/// Failed authentications of one client from everywhere; over it, only
/// addresses that authenticated the client recently may still try.
pub const PER_CLIENT: RateLimit = RateLimit {
    max: 30,
    window_secs: 60,
};

/// How long an address that authenticated a client stays its own.
pub const KNOWN_ADDRESS_SECS: i64 = DAY;

/// How often a node writes down again that an address authenticated.
const KNOWN_REFRESH_SECS: i64 = 10 * MINUTE;

/// Entries a node remembers per kind; beyond it, it forgets the expired
/// ones, then everything (which costs reads and writes, never safety:
/// the counts are in the database).
const MEMORY_MAX: usize = 50_000;

const SCOPE: &str = "client-auth";

/// What one node remembers of the database's answers. Part of the
/// application state; cheap to share.
#[derive(Debug, Default)]
pub struct ClientLimiter {
    memory: Mutex<Memory>,
}

#[derive(Debug, Default)]
struct Memory {
    /// (client, address) → refused until.
    pairs: HashMap<String, UnixTime>,
    /// Client → addresses not known are refused until.
    clients: HashMap<String, UnixTime>,
    /// (client, address) → when this node last knew it authenticated.
    known: HashMap<String, UnixTime>,
}

/// Inserts into a bounded map; `live` says which entries still matter.
fn remember(
    map: &mut HashMap<String, UnixTime>,
    key: &str,
    value: UnixTime,
    live: impl Fn(UnixTime) -> bool,
) {
    if map.len() >= MEMORY_MAX && !map.contains_key(key) {
        map.retain(|_, v| live(*v));
        if map.len() >= MEMORY_MAX {
            map.clear();
        }
    }
    map.insert(key.to_owned(), value);
}

/// One client at one address: the keys of this node's memory (plain, cheap
/// to make on every request) and of the database's counters (hashed, made
/// only when the database is asked).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Keys {
    tenant_id: TenantId,
    /// tenant id NUL client id
    client: String,
    /// tenant id NUL client id NUL normalised address
    pair: String,
}

impl Keys {
    fn new(tenant_id: &TenantId, client_id: &ClientId, address: Option<&str>) -> Keys {
        // normalised like every address counter (IPv6 by its /64)
        let address = ratelimit::address_key(SCOPE, address.unwrap_or(""));
        Keys {
            tenant_id: tenant_id.clone(),
            client: format!("{tenant_id}\0{client_id}"),
            pair: format!("{tenant_id}\0{client_id}\0{address}"),
        }
    }

    fn db(&self, what: &str, subject: &str) -> String {
        ratelimit::account_key(SCOPE, &self.tenant_id, &format!("{what}:{subject}"))
    }

    /// Failures of the client at the address.
    fn db_pair(&self) -> String {
        self.db("pair", &self.pair)
    }

    /// Failures of the client.
    fn db_client(&self) -> String {
        self.db("client", &self.client)
    }

    /// Successes of the client at the address.
    fn db_known(&self) -> String {
        self.db("known", &self.pair)
    }
}

/// When a counter's window ends.
fn window_end(limit: &RateLimit, hit: &Hit) -> UnixTime {
    hit.window_start.plus(limit.window_secs)
}

fn refused(until: UnixTime, now: UnixTime) -> Error {
    Error::RateLimited {
        retry_after_secs: until.since(now).max(1),
    }
}

impl ClientLimiter {
    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether this node knows the address authenticated the client.
    fn known_here(&self, keys: &Keys, now: UnixTime) -> bool {
        self.memory()
            .known
            .get(&keys.pair)
            .is_some_and(|at| at.plus(KNOWN_ADDRESS_SECS) > now)
    }

    /// Whether the address authenticated the client recently: this node's
    /// memory, else the database (remembered either way).
    async fn known<S: RateLimitStore>(
        &self,
        store: &S,
        keys: &Keys,
        now: UnixTime,
    ) -> Result<bool, Error> {
        if self.known_here(keys, now) {
            return Ok(true);
        }
        let hit = store
            .rate_limit_add(&keys.db_known(), 0, now, KNOWN_ADDRESS_SECS)
            .await?;
        if hit.count > 0 {
            remember(&mut self.memory().known, &keys.pair, now, |at| {
                at.plus(KNOWN_ADDRESS_SECS) > now
            });
        }
        Ok(hit.count > 0)
    }

    /// Before the credentials are checked: refused while this node knows
    /// the (client, address) is over its limit, or the client is over its
    /// own and the address is not one of its own.
    async fn before<S: RateLimitStore>(
        &self,
        store: &S,
        keys: &Keys,
        now: UnixTime,
    ) -> Result<(), Error> {
        let client_until = {
            let memory = self.memory();
            if memory.pairs.is_empty() && memory.clients.is_empty() {
                // nothing refused on this node: the usual case
                return Ok(());
            }
            if let Some(until) = memory.pairs.get(&keys.pair).filter(|u| **u > now) {
                return Err(refused(*until, now));
            }
            memory
                .clients
                .get(&keys.client)
                .copied()
                .filter(|u| *u > now)
        };
        let Some(until) = client_until else {
            return Ok(());
        };
        if self.known(store, keys, now).await? {
            return Ok(());
        }
        remember(&mut self.memory().pairs, &keys.pair, until, |u| u > now);
        Err(refused(until, now))
    }

    /// After a success: the address becomes (stays) the client's own.
    async fn succeeded<S: RateLimitStore>(
        &self,
        store: &S,
        keys: &Keys,
        now: UnixTime,
    ) -> Result<(), Error> {
        let fresh = self
            .memory()
            .known
            .get(&keys.pair)
            .is_some_and(|at| at.plus(KNOWN_REFRESH_SECS) > now);
        if !fresh {
            store
                .rate_limit_add(&keys.db_known(), 1, now, KNOWN_ADDRESS_SECS)
                .await?;
            remember(&mut self.memory().known, &keys.pair, now, |at| {
                at.plus(KNOWN_ADDRESS_SECS) > now
            });
        }
        Ok(())
    }

    /// After a failure: counted; refused (429 instead of 401) when it goes
    /// over a limit that applies to this address.
    async fn failed<S: RateLimitStore>(
        &self,
        store: &S,
        keys: &Keys,
        now: UnixTime,
    ) -> Result<(), Error> {
        let pair = store
            .rate_limit_add(&keys.db_pair(), 1, now, PER_ADDRESS.window_secs)
            .await?;
        let client = store
            .rate_limit_add(&keys.db_client(), 1, now, PER_CLIENT.window_secs)
            .await?;
        let mut until = None;
        if PER_ADDRESS.exceeded(&pair) {
            until = Some(window_end(&PER_ADDRESS, &pair));
        }
        if PER_CLIENT.exceeded(&client) {
            let end = window_end(&PER_CLIENT, &client);
            remember(&mut self.memory().clients, &keys.client, end, |u| u > now);
            if !self.known(store, keys, now).await? {
                until = until.max(Some(end));
            }
        }
        match until {
            Some(until) => {
                remember(&mut self.memory().pairs, &keys.pair, until, |u| u > now);
                Err(refused(until, now))
            }
            None => Ok(()),
        }
    }
}

/// Authenticates the client of a token, introspection or revocation
/// request (see [`crate::oidc::authenticate_client`]) within the limits on
/// failures. `address` is the caller's address. A refusal is
/// `temporarily_unavailable` with 429 and `Retry-After` (see
/// [`TokenError::limited`]).
///
/// Public clients have no secret to guess and are used from everyone's
/// address, so their failures are not counted and they are never refused:
/// strangers could otherwise stop a single-page application. Client ids
/// that do not exist are counted like confidential clients, so the answers
/// do not tell which exist.
pub async fn authenticate<S: ClientStore + OidcStore + RateLimitStore>(
    store: &S,
    limiter: &ClientLimiter,
    tenant: &Tenant,
    auth: &ClientAuth,
    audiences: &[&str],
    address: Option<&str>,
    now: UnixTime,
) -> Result<crate::oidc::client::Client, TokenError> {
    let Some(client_id) = auth.named_client().filter(|id| id.as_str().len() <= 200) else {
        return crate::oidc::authenticate_client(store, tenant, auth, audiences, now).await;
    };
    let keys = Keys::new(&tenant.id, &client_id, address);
    limiter.before(store, &keys, now).await?;
    match crate::oidc::authenticate_client(store, tenant, auth, audiences, now).await {
        Ok(client) => {
            if !client.is_public() {
                limiter.succeeded(store, &keys, now).await?;
            }
            Ok(client)
        }
        Err(err) if err.error == OAuthError::InvalidClient => {
            // the client was just read, so this comes from the node's cache
            let public = store
                .client_by_client_id(&tenant.id, &client_id)
                .await?
                .is_some_and(|c| c.is_public());
            if !public {
                limiter.failed(store, &keys, now).await?;
            }
            Err(err)
        }
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::time::HOUR;
    use crate::store::StoreResult;

    /// The database's counters, in memory (the same fixed windows).
    #[derive(Default)]
    struct Counters(Mutex<HashMap<String, Hit>>);

    impl RateLimitStore for Counters {
        async fn rate_limit_add(
            &self,
            key: &str,
            delta: i64,
            now: UnixTime,
            window_secs: i64,
        ) -> StoreResult<Hit> {
            let mut map = self.0.lock().unwrap();
            let hit = map.entry(key.to_owned()).or_insert(Hit {
                count: 0,
                window_start: now,
            });
            if hit.window_start.plus(window_secs) <= now {
                *hit = Hit {
                    count: 0,
                    window_start: now,
                };
            }
            hit.count = (hit.count + delta).max(0);
            Ok(*hit)
        }

        async fn rate_limit_clear(&self, key: &str) -> StoreResult<()> {
            self.0.lock().unwrap().remove(key);
            Ok(())
        }

        async fn purge_rate_limits(&self, before: UnixTime) -> StoreResult<u64> {
            let mut map = self.0.lock().unwrap();
            let n = map.len();
            map.retain(|_, hit| hit.window_start >= before);
            Ok((n - map.len()) as u64)
        }
    }

    fn keys(address: &str) -> Keys {
        Keys::new(&"t1".into(), &"machine".into(), Some(address))
    }

    fn retry(result: Result<(), Error>) -> Option<i64> {
        match result {
            Ok(()) => None,
            Err(Error::RateLimited { retry_after_secs }) => Some(retry_after_secs),
            Err(other) => panic!("{other}"),
        }
    }

    #[tokio::test]
    async fn failures_from_one_address_are_limited_there() {
        let db = Counters::default();
        let node = ClientLimiter::default();
        let now = UnixTime(1000);
        for _ in 0..PER_ADDRESS.max {
            assert_eq!(retry(node.before(&db, &keys("a"), now).await), None);
            assert_eq!(retry(node.failed(&db, &keys("a"), now).await), None);
        }
        assert_eq!(retry(node.failed(&db, &keys("a"), now).await), Some(60));
        // refused before checking, from memory, until the window ends
        let later = UnixTime(1030);
        assert_eq!(retry(node.before(&db, &keys("a"), later).await), Some(30));
        assert_eq!(retry(node.before(&db, &keys("b"), later).await), None);
        assert_eq!(
            retry(node.before(&db, &keys("a"), UnixTime(1060)).await),
            None
        );
    }

    #[tokio::test]
    async fn a_second_node_refuses_after_its_first_failure() {
        let db = Counters::default();
        let (one, two) = (ClientLimiter::default(), ClientLimiter::default());
        let now = UnixTime(1000);
        for _ in 0..=PER_ADDRESS.max {
            let _ = one.failed(&db, &keys("a"), now).await;
        }
        assert_eq!(retry(two.before(&db, &keys("a"), now).await), None);
        assert_eq!(retry(two.failed(&db, &keys("a"), now).await), Some(60));
        assert_eq!(retry(two.before(&db, &keys("a"), now).await), Some(60));
    }

    #[tokio::test]
    async fn over_the_client_limit_only_known_addresses_may_try() {
        let db = Counters::default();
        let (one, two) = (ClientLimiter::default(), ClientLimiter::default());
        let now = UnixTime(1000);
        // "home" authenticated on node one an hour ago
        one.succeeded(&db, &keys("home"), UnixTime(1000 - HOUR))
            .await
            .unwrap();
        for i in 0..PER_CLIENT.max {
            let k = keys(&format!("stranger{i}"));
            assert_eq!(retry(two.failed(&db, &k, now).await), None);
        }
        assert_eq!(retry(two.failed(&db, &keys("x"), now).await), Some(60));
        assert_eq!(retry(two.before(&db, &keys("y"), now).await), Some(60));
        // node two learns from the database that home is the client's own
        assert_eq!(retry(two.before(&db, &keys("home"), now).await), None);
        // and a failure from home is not refused for the client's count
        assert_eq!(retry(two.failed(&db, &keys("home"), now).await), None);
        // a day after its last success, home is a stranger again
        let next_day = UnixTime(1000 - HOUR + KNOWN_ADDRESS_SECS + 1);
        let fresh = ClientLimiter::default();
        for i in 0..=PER_CLIENT.max {
            let _ = fresh.failed(&db, &keys(&format!("s{i}")), next_day).await;
        }
        assert_eq!(
            retry(fresh.before(&db, &keys("home"), next_day).await),
            Some(60)
        );
    }

    #[tokio::test]
    async fn successes_are_written_down_once_per_ten_minutes() {
        let db = Counters::default();
        let node = ClientLimiter::default();
        for t in [0, 1, 599] {
            node.succeeded(&db, &keys("home"), UnixTime(1000 + t))
                .await
                .unwrap();
        }
        let count = |db: &Counters| db.0.lock().unwrap()[&keys("home").db_known()].count;
        assert_eq!(count(&db), 1);
        node.succeeded(&db, &keys("home"), UnixTime(1600))
            .await
            .unwrap();
        assert_eq!(count(&db), 2);
    }

    #[test]
    fn memory_is_bounded() {
        let mut map = HashMap::new();
        for i in 0..MEMORY_MAX + 10 {
            remember(&mut map, &i.to_string(), UnixTime(5), |_| true);
        }
        assert!(map.len() <= MEMORY_MAX);
        let mut map: HashMap<String, UnixTime> = (0..MEMORY_MAX)
            .map(|i| (i.to_string(), UnixTime(i as i64 % 2)))
            .collect();
        remember(&mut map, "new", UnixTime(1), |v| v.0 == 1);
        assert_eq!(map.len(), MEMORY_MAX / 2 + 1);
    }

    #[test]
    fn keys_are_per_tenant_client_and_network() {
        let k = Keys::new(&"t1".into(), &"c".into(), Some("2001:db8::1"));
        assert_eq!(
            k,
            Keys::new(&"t1".into(), &"c".into(), Some("2001:db8::ffff"))
        );
        assert_ne!(k, Keys::new(&"t2".into(), &"c".into(), Some("2001:db8::1")));
        assert_ne!(
            k.db_pair(),
            Keys::new(&"t2".into(), &"c".into(), Some("2001:db8::1")).db_pair()
        );
        assert_ne!(
            k.db_pair(),
            Keys::new(&"t1".into(), &"d".into(), Some("2001:db8::1")).db_pair()
        );
        assert_ne!(k.db_pair(), k.db_known());
        assert_eq!(
            k.db_client(),
            Keys::new(&"t1".into(), &"c".into(), Some("192.0.2.1")).db_client()
        );
    }
}
