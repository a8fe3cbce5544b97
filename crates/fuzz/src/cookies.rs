//! The `Cookie` header: `latchkey_web::parsers::cookie`, which every
//! extractor uses to find the session, device, recovery-case and resume
//! cookies.
//!
//! Input: a `Cookie` header value, a NUL, a second one (browsers may send
//! several), a NUL, a cookie value.
//!
//! Properties:
//! - no panic, with any headers;
//! - a value found is one the header holds, without quotes, and never
//!   holds `;`;
//! - set → get round-trips: a value latchkey sets (its tokens are
//!   base64url) is read back exactly, whatever other cookies surround it.

use axum::http::{HeaderMap, HeaderValue, header};
use latchkey_web::parsers::{cookie, set_cookie};

const NAMES: [&str; 4] = [
    "__Host-latchkey-acme-session",
    "__Host-latchkey-acme-device",
    "latchkey-acme-recovery",
    "latchkey-acme-resume",
];

pub fn run(data: &[u8]) {
    let [first, second, value] = crate::fields::<3>(data);
    let mut headers = HeaderMap::new();
    for text in [&first, &second] {
        if let Ok(v) = HeaderValue::from_bytes(text.as_bytes()) {
            headers.append(header::COOKIE, v);
        }
    }
    for name in NAMES
        .iter()
        .copied()
        .chain([first.split('=').next().unwrap_or("")])
    {
        if let Some(found) = cookie(&headers, name) {
            assert!(!found.contains(';'));
            assert!(!found.starts_with('"') && !found.ends_with('"'));
            assert!(first.contains(&found) || second.contains(&found));
        }
    }
    round_trip(&first, &value);
}

/// A cookie latchkey sets with `value` (base64url, as its tokens are),
/// sent back among the `others` a browser holds, is read as set.
pub fn round_trip(others: &str, value: &str) {
    let value: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let name = NAMES[value.len() % NAMES.len()];
    let set = set_cookie(true, name, &value, Some(60));
    // A browser sends back `name=value`, the part before the attributes.
    let pair = set.split(';').next().unwrap();
    // Other cookies whose names differ (a browser sends one per name).
    let others: Vec<&str> = others
        .split(';')
        .filter(|p| {
            let n = p.trim().split('=').next().unwrap_or("");
            !n.is_empty() && n != name && p.contains('=')
        })
        .collect();
    let header_text = others
        .iter()
        .copied()
        .chain([pair])
        .collect::<Vec<_>>()
        .join("; ");
    let Ok(v) = HeaderValue::from_str(&header_text) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, v);
    assert_eq!(cookie(&headers, name), Some(value));
}
