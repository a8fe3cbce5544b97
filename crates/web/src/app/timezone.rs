//! Times in the person's time zone, as their browser reports it
//! (decision 0017).
//!
//! `/static/timezone.js` writes the cookie `latchkey-tz`: the IANA zone
//! name from `Intl.DateTimeFormat().resolvedOptions().timeZone`, the UTC
//! offset now, and where the offset changes within the next 100 hours
//! (`Europe/Zurich|60|1774746000:120`). The server keeps no time zone
//! database: it checks the name against the list of IANA names
//! (`zones.txt`) and the offsets for sense, and shows a time with the
//! offset in force at that instant — so a wait across a change to summer
//! time shows the right clock time. Without the script (or with a cookie
//! that does not check out) times are in UTC, and the page says so.

use axum::http::HeaderMap;
use latchkey_core::platform::clock::UnixTime;

use crate::app::cookies;

/// The cookie the script writes.
pub const COOKIE: &str = "latchkey-tz";

/// The IANA time zone names (zones and links), one a line.
const ZONES: &str = include_str!("zones.txt");

/// Offsets from UTC in minutes span −12:00 to +14:00.
const OFFSETS: std::ops::RangeInclusive<i32> = -12 * 60..=14 * 60;

/// At most this many changes of offset are read (the script reports the
/// next 100 hours: two at most, anywhere on Earth).
const MAX_CHANGES: usize = 4;

/// A time zone as the browser reported it, or UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// The IANA name; `None`: UTC, because the browser reported none.
    name: Option<String>,
    /// The offset (minutes east of UTC) now.
    offset: i32,
    /// From when on (unix seconds) another offset holds, in order.
    changes: Vec<(i64, i32)>,
}

impl Zone {
    /// UTC: no zone reported.
    pub fn utc() -> Zone {
        Zone {
            name: None,
            offset: 0,
            changes: vec![],
        }
    }

    /// The zone the browser reported in its cookie, or UTC.
    pub fn of(headers: &HeaderMap) -> Zone {
        cookies::get(headers, COOKIE)
            .and_then(|value| Zone::parse(&value))
            .unwrap_or_else(Zone::utc)
    }

    /// Reads `Name|offset|at:offset…`; `None` unless every part checks out.
    pub fn parse(value: &str) -> Option<Zone> {
        if value.len() > 200 {
            return None;
        }
        let mut parts = value.split('|');
        let name = parts.next()?;
        if !known(name) {
            return None;
        }
        let offset = minutes(parts.next()?)?;
        let mut changes: Vec<(i64, i32)> = vec![];
        for part in parts {
            let (at, offset) = part.split_once(':')?;
            let at: i64 = at.parse().ok()?;
            if changes.len() == MAX_CHANGES || changes.last().is_some_and(|(last, _)| at <= *last) {
                return None;
            }
            changes.push((at, minutes(offset)?));
        }
        Some(Zone {
            name: Some(name.to_owned()),
            offset,
            changes,
        })
    }

    /// The zone's name as pages show it: the IANA name, or `None` for UTC.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The offset in force at `t`.
    fn offset_at(&self, t: UnixTime) -> i32 {
        self.changes
            .iter()
            .rev()
            .find(|(at, _)| t.0 >= *at)
            .map_or(self.offset, |(_, offset)| *offset)
    }

    /// `t` on the zone's clock: `2026-12-06 14:05`.
    pub fn local(&self, t: UnixTime) -> String {
        let shifted = t.0 + i64::from(self.offset_at(t)) * 60;
        crate::app::respond::utc(UnixTime(shifted))
    }
}

/// Whether `name` is an IANA time zone name.
fn known(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 40
        && ZONES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .any(|l| l == name)
}

fn minutes(text: &str) -> Option<i32> {
    text.parse().ok().filter(|m| OFFSETS.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reported_zone_shows_the_clock_in_force_at_each_instant() {
        // Zurich, reported in March before the change to summer time
        // (2026-03-29 01:00 UTC)
        let zone = Zone::parse("Europe/Zurich|60|1774746000:120").unwrap();
        assert_eq!(zone.name(), Some("Europe/Zurich"));
        assert_eq!(zone.local(UnixTime(1_774_742_400)), "2026-03-29 01:00");
        assert_eq!(zone.local(UnixTime(1_774_746_000)), "2026-03-29 03:00");
        let kolkata = Zone::parse("Asia/Kolkata|330").unwrap();
        assert_eq!(kolkata.local(UnixTime(0)), "1970-01-01 05:30");
    }

    #[test]
    fn anything_else_is_utc() {
        for bad in [
            "",
            "Mars/Olympus|60",
            "Europe/Zurich",
            "Europe/Zurich|61x",
            "Europe/Zurich|900",
            "Europe/Zurich|60|5:120|4:60",
            "Europe/Zurich|60|nope",
            "# IANA time zone names|0",
            &format!("Europe/Zurich|60{}", "|1:60".repeat(60)),
        ] {
            assert_eq!(Zone::parse(bad), None, "{bad}");
        }
        let mut headers = HeaderMap::new();
        headers.insert("cookie", "latchkey-tz=Mars/Olympus|60".parse().unwrap());
        assert_eq!(Zone::of(&headers), Zone::utc());
        assert_eq!(Zone::utc().local(UnixTime(0)), "1970-01-01 00:00");
    }
}
