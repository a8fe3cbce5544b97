//! Reading the `Cookie` header and writing `Set-Cookie`, with the flags every
//! latchkey cookie carries: HttpOnly, SameSite=Lax, Path=/, and Secure with the
//! `__Host-` prefix unless secure cookies are switched off for plain-HTTP
//! development.

use axum::http::header::{self, COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use latchkey_core::tenants::Tenant;

/// The value of cookie `name` in the request, if present.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        // Split the bytes, not text: another cookie of the site may hold
        // bytes beyond ASCII (browsers send them raw), which must not hide
        // latchkey's cookies in the same header (found by fuzzing).
        .flat_map(|v| v.as_bytes().split(|b| *b == b';'))
        .filter_map(|pair| std::str::from_utf8(pair).ok())
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
}

/// The full cookie name: `__Host-latchkey-{base}` or `latchkey-{base}`.
pub fn name(secure: bool, base: &str) -> String {
    if secure {
        format!("__Host-latchkey-{base}")
    } else {
        format!("latchkey-{base}")
    }
}

/// A `Set-Cookie` value. `max_age` None makes a browser-session cookie.
pub fn set(secure: bool, name: &str, value: &str, max_age: Option<i64>) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    cookie
}

pub fn clear(secure: bool, name: &str) -> String {
    set(secure, name, "", Some(0))
}

/// The cookies latchkey sets per tenant, by their full names.
pub struct Names<'a> {
    secure: bool,
    slug: &'a str,
}

impl<'a> Names<'a> {
    pub fn of(state: &crate::AppState, tenant: &'a Tenant) -> Names<'a> {
        Names {
            secure: state.config().secure_cookies,
            slug: tenant.slug.as_str(),
        }
    }

    /// The browser's session in the tenant.
    pub fn session(&self) -> String {
        name(self.secure, &format!("session-{}", self.slug))
    }

    /// The id of this browser as a device of the user last signed in here
    /// (a recovery started on a known device skips the waiting period).
    pub fn device(&self) -> String {
        name(self.secure, &format!("device-{}", self.slug))
    }

    /// The browser's recovery case.
    pub fn recovery_case(&self) -> String {
        name(self.secure, &format!("recovery-{}", self.slug))
    }

    /// The authorization request remembered while a required second
    /// factor is set up.
    pub fn resume(&self) -> String {
        name(self.secure, &format!("resume-{}", self.slug))
    }
}

/// Appends `cookie` (a `Set-Cookie` value) to the response, if any.
pub fn append(response: &mut Response, cookie: Option<String>) {
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_and_writes() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("a=1; latchkey-csrf=xyz"));
        h.append(COOKIE, HeaderValue::from_static("b=\"2\""));
        assert_eq!(get(&h, "latchkey-csrf").as_deref(), Some("xyz"));
        assert_eq!(get(&h, "b").as_deref(), Some("2"));
        assert_eq!(get(&h, "c"), None);
        assert_eq!(name(true, "csrf"), "__Host-latchkey-csrf");
        let c = set(true, "__Host-latchkey-csrf", "v", Some(10));
        assert_eq!(
            c,
            "__Host-latchkey-csrf=v; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=10"
        );
        assert!(!set(false, "x", "v", None).contains("Secure"));
    }

    /// fuzz/corpus/cookies/crash-non-ascii-cookie: a cookie holding
    /// non-ASCII bytes made the whole header unreadable, and so signed the
    /// person out.
    #[test]
    fn a_cookie_with_non_ascii_bytes_does_not_hide_the_others() {
        let mut h = HeaderMap::new();
        h.append(
            COOKIE,
            HeaderValue::from_bytes("theme=gr\u{fc}n; latchkey-acme-session=abc".as_bytes())
                .unwrap(),
        );
        h.append(COOKIE, HeaderValue::from_bytes(b"x=\xff\xfe; y=2").unwrap());
        assert_eq!(get(&h, "latchkey-acme-session").as_deref(), Some("abc"));
        assert_eq!(get(&h, "y").as_deref(), Some("2"));
        assert_eq!(get(&h, "theme").as_deref(), Some("gr\u{fc}n"));
        assert_eq!(get(&h, "x"), None);
    }
}
