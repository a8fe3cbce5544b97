//! Rate limits: fixed windows whose counters live in the database, so every
//! node of a deployment sees the same counts.

use crate::Error;
use crate::platform::clock::UnixTime;
use crate::platform::ids::TenantId;
use crate::platform::secret::sha256_hex;
use crate::platform::time::DAY;
use crate::store::RateLimitStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RateLimit {
    /// Attempts allowed per window.
    pub max: u32,
    pub window_secs: i64,
}

/// Counters whose window began this long ago are over whatever their
/// limit (no window is longer than a day), and housekeeping deletes them —
/// the table holds one row per name anyone typed, unknown ones included.
pub const KEEP_COUNTERS_SECS: i64 = 2 * DAY;

/// A counter after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub count: i64,
    pub window_start: UnixTime,
}

impl RateLimit {
    pub fn exceeded(&self, hit: &Hit) -> bool {
        hit.count > i64::from(self.max)
    }

    /// Seconds until the window of `hit` ends (at least 1).
    pub fn retry_after(&self, hit: &Hit, now: UnixTime) -> i64 {
        hit.window_start.plus(self.window_secs).since(now).max(1)
    }

    /// Counts one attempt on the counter `key` (in the database, at once)
    /// and refuses it with [`Error::RateLimited`] when it is one too many.
    pub async fn count<S: RateLimitStore>(
        &self,
        store: &S,
        key: &str,
        now: UnixTime,
    ) -> Result<(), Error> {
        let hit = store.rate_limit_add(key, 1, now, self.window_secs).await?;
        if self.exceeded(&hit) {
            return Err(Error::RateLimited {
                retry_after_secs: self.retry_after(&hit, now),
            });
        }
        Ok(())
    }
}

/// The counter key for one account of a tenant. The login is hashed, so the
/// table holds no usernames or addresses, and unknown accounts are counted
/// exactly like known ones.
pub fn account_key(scope: &str, tenant_id: &TenantId, login_key: &str) -> String {
    format!(
        "{scope}:account:{}",
        sha256_hex(format!("{tenant_id}\0{login_key}").as_bytes())
    )
}

/// The counter key for one client address. IPv6 clients are counted by their
/// /64 network, since one client usually holds a whole /64.
pub fn address_key(scope: &str, address: &str) -> String {
    let normalised = match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
        Ok(v4) => v4.to_string(),
        Err(_) => address.to_owned(),
    };
    format!("{scope}:address:{normalised}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        let limit = RateLimit {
            max: 3,
            window_secs: 60,
        };
        let hit = |count| Hit {
            count,
            window_start: UnixTime(100),
        };
        assert!(!limit.exceeded(&hit(3)));
        assert!(limit.exceeded(&hit(4)));
        assert_eq!(limit.retry_after(&hit(4), UnixTime(130)), 30);
        assert_eq!(limit.retry_after(&hit(4), UnixTime(200)), 1);
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let a = address_key("s", "2001:db8:1:2:aaaa::1");
        assert_eq!(a, "s:address:2001:db8:1:2::/64");
        assert_eq!(a, address_key("s", "2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assert_ne!(a, address_key("s", "2001:db8:1:3::1"));
        assert_eq!(address_key("s", "::ffff:192.0.2.7"), "s:address:192.0.2.7");
        assert_eq!(address_key("s", "192.0.2.7"), "s:address:192.0.2.7");
    }

    #[test]
    fn keys_hide_the_login() {
        let key = account_key("signin", &"t1".into(), "alice@example.com");
        assert!(!key.contains("alice"));
        assert_ne!(
            key,
            account_key("signin", &"t2".into(), "alice@example.com")
        );
    }
}
