//! Times on the reader's clock (decisions 0017 and 0028): the zone their
//! browser reports, else the organisation's, else UTC.
//!
//! `/static/timezone.js` writes the cookie `latchkey-tz` with the IANA zone
//! name from `Intl.DateTimeFormat().resolvedOptions().timeZone`. The server
//! checks the name against its own time zone database
//! ([`latchkey_core::platform::zone`]) and works out the offset in force at
//! each instant itself, so a wait across a change to summer time shows the
//! right clock time. (Earlier versions of the script appended offsets,
//! `Europe/Zurich|60|…`; only the name is read.)

use axum::http::HeaderMap;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::zone::Zone;
use latchkey_core::tenants::Tenant;

use crate::app::cookies;
use crate::i18n::Texts;

/// The cookie the script writes.
pub const COOKIE: &str = "latchkey-tz";

/// Where a page's zone came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    Browser,
    Organisation,
    Nowhere,
}

/// The zone a page shows times in, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageZone {
    zone: Zone,
    from: From,
}

impl PageZone {
    /// The zone the browser reported in its cookie, else `tenant`'s (when
    /// it has one), else UTC.
    pub fn of(headers: &HeaderMap, tenant: &Tenant) -> PageZone {
        match reported(headers) {
            Some(zone) => PageZone {
                zone,
                from: From::Browser,
            },
            None if !tenant.time_zone.is_utc() => PageZone {
                zone: tenant.time_zone.clone(),
                from: From::Organisation,
            },
            None => PageZone {
                zone: Zone::utc(),
                from: From::Nowhere,
            },
        }
    }

    /// `t` on the zone's clock: `2026-12-06 14:05`.
    pub fn local(&self, t: UnixTime) -> String {
        self.zone.local(t)
    }

    /// `t` on the zone's clock with its abbreviation: `2026-12-06 14:05 CET`.
    pub fn at(&self, t: UnixTime) -> String {
        self.zone.at(t)
    }

    /// The zone as a page names it: "Europe/Zurich", "Europe/Zurich — Acme's
    /// time zone; your browser did not tell us its own", "UTC — your
    /// browser did not tell us its time zone".
    pub fn label(&self, t: &Texts, tenant_name: &str) -> String {
        match self.from {
            From::Browser => self.zone.name().to_owned(),
            From::Organisation => t.with(
                "journey-zone-organisation",
                &[
                    ("zone", self.zone.name().into()),
                    ("tenant", tenant_name.into()),
                ],
            ),
            From::Nowhere => t.get("journey-zone-utc"),
        }
    }
}

/// The zone the browser reported, if the database knows it.
pub fn reported(headers: &HeaderMap) -> Option<Zone> {
    let value = cookies::get(headers, COOKIE)?;
    if value.len() > 200 {
        return None;
    }
    let name = value.split('|').next()?;
    Zone::named(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_core::platform::ids::TenantId;
    use latchkey_core::tenants::TenantInput;

    fn tenant(zone: &str) -> Tenant {
        let mut t = TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse(TenantId::from("t1"), UnixTime(0))
        .unwrap();
        t.time_zone = Zone::named(zone).unwrap();
        t
    }

    fn cookie(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("cookie", format!("{COOKIE}={value}").parse().unwrap());
        headers
    }

    #[test]
    fn the_browser_first_then_the_organisation_then_utc() {
        let zurich = tenant("Europe/Zurich");
        let utc = tenant("UTC");
        // the browser's zone wins, in the old cookie format too
        for value in ["Asia/Kolkata", "Asia/Kolkata|330", "Asia/Kolkata|330|5:60"] {
            let z = PageZone::of(&cookie(value), &zurich);
            assert_eq!(z.zone.name(), "Asia/Kolkata", "{value}");
            assert_eq!(z.from, From::Browser);
        }
        // 2026-03-29 01:00 UTC: Zurich changes to summer time
        let z = PageZone::of(&HeaderMap::new(), &zurich);
        assert_eq!(z.from, From::Organisation);
        assert_eq!(z.local(UnixTime(1_774_742_400)), "2026-03-29 01:00");
        assert_eq!(z.at(UnixTime(1_774_746_000)), "2026-03-29 03:00 CEST");
        // a name the database does not know is no zone at all
        for bad in ["Mars/Olympus|60", "", &"x".repeat(300)] {
            assert_eq!(PageZone::of(&cookie(bad), &zurich).from, From::Organisation);
            assert_eq!(PageZone::of(&cookie(bad), &utc).from, From::Nowhere);
        }
        assert_eq!(
            PageZone::of(&HeaderMap::new(), &utc).at(UnixTime(0)),
            "1970-01-01 00:00 UTC"
        );
    }
}
