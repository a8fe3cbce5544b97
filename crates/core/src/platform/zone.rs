//! Time zones by IANA name (`Europe/Zurich`), with the time zone database
//! built into latchkey (decision 0028): pages show a time on the reader's
//! clock — the zone their browser reports, else the organisation's — and
//! mails on the organisation's. A zone knows its offset at every instant,
//! so a time across a change to summer time reads right.

use crate::platform::clock::UnixTime;
use crate::platform::validate::{FieldError, Said};

/// The longest name accepted (the longest IANA name has 32 characters).
const NAME_MAX: usize = 64;

/// A time zone: UTC, or one the database knows by name.
#[derive(Clone)]
pub struct Zone {
    /// The IANA name as the database spells it; `None`: UTC.
    name: Option<String>,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    /// Coordinated Universal Time: where no zone is known.
    pub fn utc() -> Zone {
        Zone {
            name: None,
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    /// The zone named `name`, spelt as the database spells it; `None` for a
    /// name the database does not know. `UTC` (and `Etc/UTC`) is UTC.
    pub fn named(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.is_empty() || name.len() > NAME_MAX || !name.is_ascii() {
            return None;
        }
        let tz = jiff::tz::db().get(name).ok()?;
        let spelt = tz.iana_name()?.to_owned();
        if matches!(
            spelt.as_str(),
            "UTC" | "Etc/UTC" | "Etc/UCT" | "UCT" | "Zulu"
        ) {
            return Some(Zone::utc());
        }
        Some(Zone {
            name: Some(spelt),
            tz,
        })
    }

    /// A zone typed into a form, the CLI or the API: empty is UTC.
    pub fn parse(field: &str, value: &str) -> Result<Zone, FieldError> {
        if value.trim().is_empty() {
            return Ok(Zone::utc());
        }
        Zone::named(value).ok_or_else(|| {
            let shown: String = value.trim().chars().take(NAME_MAX).collect();
            FieldError::said(field, Said::UnknownTimeZone { value: shown })
        })
    }

    /// The IANA name, or `UTC`: what is stored and shown in settings.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("UTC")
    }

    pub fn is_utc(&self) -> bool {
        self.name.is_none()
    }

    /// The offset from UTC in force at `t`, in seconds.
    fn offset_secs(&self, t: UnixTime) -> i64 {
        jiff::Timestamp::from_second(t.0)
            .map(|ts| i64::from(self.tz.to_offset(ts).seconds()))
            .unwrap_or(0)
    }

    /// `t` on this zone's clock: `2026-12-06 14:05`.
    pub fn local(&self, t: UnixTime) -> String {
        civil(t.0 + self.offset_secs(t))
    }

    /// `t` on this zone's clock with the zone's abbreviation in force then:
    /// `2026-12-06 14:05 CET`, `2026-07-01 09:30 +0530` where the database
    /// has no letters for it, `2026-12-06 13:05 UTC`.
    pub fn at(&self, t: UnixTime) -> String {
        let abbreviation = jiff::Timestamp::from_second(t.0)
            .ok()
            .map(|ts| self.tz.to_offset_info(ts).abbreviation().to_owned())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "UTC".to_owned());
        format!("{} {abbreviation}", self.local(t))
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl std::fmt::Debug for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::utc()
    }
}

/// Unix seconds as a UTC date and clock time, `2026-11-27 04:10`
/// (civil-from-days, Howard Hinnant's algorithm; any `i64` works).
pub fn civil(at: i64) -> String {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let days = at.div_euclid(DAY);
    let secs = at.rem_euclid(DAY);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        secs / HOUR,
        secs % HOUR / MINUTE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_shows_the_clock_in_force_at_each_instant() {
        // Zurich changes to summer time at 2026-03-29 01:00 UTC
        let zurich = Zone::named("Europe/Zurich").unwrap();
        assert_eq!(zurich.name(), "Europe/Zurich");
        assert_eq!(zurich.local(UnixTime(1_774_745_940)), "2026-03-29 01:59");
        assert_eq!(zurich.at(UnixTime(1_774_746_000)), "2026-03-29 03:00 CEST");
        assert_eq!(zurich.at(UnixTime(1_764_943_500)), "2025-12-05 15:05 CET");
        let kolkata = Zone::named("Asia/Kolkata").unwrap();
        assert_eq!(kolkata.at(UnixTime(0)), "1970-01-01 05:30 IST");
        // a zone the database writes with numbers
        let sao_paulo = Zone::named("America/Sao_Paulo").unwrap();
        assert_eq!(
            sao_paulo.at(UnixTime(1_764_943_500)),
            "2025-12-05 11:05 -03"
        );
        assert_eq!(Zone::utc().at(UnixTime(0)), "1970-01-01 00:00 UTC");
    }

    #[test]
    fn names_are_spelt_as_the_database_spells_them() {
        assert_eq!(
            Zone::named("europe/zurich").unwrap().name(),
            "Europe/Zurich"
        );
        assert_eq!(
            Zone::named(" Asia/Kolkata ").unwrap().name(),
            "Asia/Kolkata"
        );
        assert!(Zone::named("UTC").unwrap().is_utc());
        assert!(Zone::named("Etc/UTC").unwrap().is_utc());
        assert_eq!(Zone::parse("time_zone", "").unwrap(), Zone::utc());
    }

    #[test]
    fn anything_else_is_refused_with_what_to_type() {
        for bad in [
            "Mars/Olympus",
            "Europe/Zurich|60",
            "../../etc/passwd",
            "/etc/localtime",
            "Europe/Zürich",
            "+01:00",
            &"A".repeat(200),
        ] {
            assert!(Zone::named(bad).is_none(), "{bad}");
            let err = Zone::parse("time_zone", bad).unwrap_err();
            assert_eq!(err.field, "time_zone");
            assert!(err.message.contains("Europe/Zurich"), "{}", err.message);
        }
    }

    #[test]
    fn civil_time_is_right_across_eras() {
        assert_eq!(civil(0), "1970-01-01 00:00");
        assert_eq!(civil(951_782_400), "2000-02-29 00:00");
        assert_eq!(civil(-1), "1969-12-31 23:59");
        assert_eq!(civil(4_102_444_800), "2100-01-01 00:00");
    }
}
