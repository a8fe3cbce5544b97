//! Rate limits: fixed windows whose counters live in the database, so every
//! node of a deployment sees the same counts.

use crate::clock::UnixTime;
use crate::secret::sha256_hex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RateLimit {
    /// Attempts allowed per window.
    pub max: u32,
    pub window_secs: i64,
}

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
}

/// The counter key for one account of a tenant. The login is hashed, so the
/// table holds no usernames or addresses, and unknown accounts are counted
/// exactly like known ones.
pub fn account_key(scope: &str, tenant_id: &str, login_key: &str) -> String {
    format!(
        "{scope}:account:{}",
        sha256_hex(format!("{tenant_id}\0{login_key}").as_bytes())
    )
}

/// The counter key for one client address.
pub fn address_key(scope: &str, address: &str) -> String {
    format!("{scope}:address:{address}")
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
    fn keys_hide_the_login() {
        let key = account_key("signin", "t1", "alice@example.com");
        assert!(!key.contains("alice"));
        assert_ne!(key, account_key("signin", "t2", "alice@example.com"));
    }
}
