//! What a request says about the browser it came from, in words a person
//! recognises: the browser and system named by its `User-Agent` (a guess,
//! as every site's is: the header is the browser's own claim), and its
//! address made coarse (the last part hidden), enough to tell "at home"
//! from "somewhere else" without showing more than the person needs.

use std::net::IpAddr;

/// A browser and its system as `User-Agent` names them; `None` when it
/// names none we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub browser: Option<&'static str>,
    pub system: Option<&'static str>,
}

/// The browser and system a `User-Agent` header names. Order matters:
/// Edge and Opera say "Chrome" too, Chrome says "Safari".
pub fn device(user_agent: &str) -> Device {
    const BROWSERS: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("EdgA/", "Edge"),
        ("EdgiOS/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    const SYSTEMS: &[(&str, &str)] = &[
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    Device {
        browser: find(BROWSERS),
        system: find(SYSTEMS),
    }
}

/// The address with its last part hidden: `192.0.2.x` for IPv4 (also when
/// mapped into IPv6), the first three groups of IPv6 (`2001:db8:1:…`, a
/// site's prefix). `None` for what is no address.
pub fn coarse_address(address: &str) -> Option<String> {
    let ip: IpAddr = address.trim().parse().ok()?;
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    Some(match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.x")
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:…", s[0], s[1], s[2])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_and_systems_are_named() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                (Some("Firefox"), Some("Linux")),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
                (Some("Edge"), Some("Windows")),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                (Some("Safari"), Some("macOS")),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1",
                (Some("Chrome"), Some("iOS")),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
                (Some("Chrome"), Some("Android")),
            ),
            ("something else", (None, None)),
        ];
        for (ua, (browser, system)) in cases {
            assert_eq!(device(ua), Device { browser, system }, "{ua}");
        }
    }

    #[test]
    fn addresses_are_shown_coarsely() {
        assert_eq!(coarse_address("192.0.2.77").as_deref(), Some("192.0.2.x"));
        assert_eq!(
            coarse_address("::ffff:192.0.2.7").as_deref(),
            Some("192.0.2.x")
        );
        assert_eq!(
            coarse_address("2001:db8:1:2:3:4:5:6").as_deref(),
            Some("2001:db8:1:…")
        );
        assert_eq!(coarse_address("not an address"), None);
    }
}
