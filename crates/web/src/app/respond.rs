//! The shapes of answers every feature uses: redirects, the page that
//! continues to an application, JSON, a file to save (the audit log's
//! exports), and the small formatting helpers (times, query escaping, the
//! `return_to` check).

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::accounts::audit_export::ExportFormat;
use latchkey_core::accounts::audit_log::AuditEntry;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::tenants::Tenant;

use crate::app::error::html;
use crate::app::paths;
use crate::i18n::Texts;

/// An export of the audit log as a file to save,
/// `audit-{tenant}-{YYYY-MM-DD}.{csv|jsonl}`; never cached.
pub fn download(
    tenant: &Tenant,
    now: UnixTime,
    format: ExportFormat,
    entries: &[AuditEntry],
) -> Response {
    let day: String = utc(now).chars().take(10).collect();
    let name = format!("audit-{}-{day}.{}", tenant.slug, format.as_str());
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        format.write(entries),
    )
        .into_response()
}

/// 303 to `location` (after a form, or to send a browser elsewhere).
pub fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// The redirect to an application: 302 (RFC 6749 examples), never cached.
pub fn found(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location.to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}

/// JSON that is never cached (the OAuth endpoints' answers).
pub fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Whether `location` leaves latchkey's own pages: for another site, or
/// for an authorization request, which answers with a redirect to an
/// application.
pub fn leaves(location: &str) -> bool {
    location.starts_with("https://")
        || location.starts_with("http://")
        || (location.starts_with("/t/") && location.contains("/authorize?"))
}

/// After a form: to `location`. Browsers apply the page's CSP
/// `form-action 'self'` to every redirect that follows a form submission,
/// so a way that ends at an application (the authorization endpoint, or
/// the application itself) continues from a small page instead, which
/// starts a navigation of its own.
pub fn continue_to(location: &str) -> Response {
    if !leaves(location) {
        return see_other(location);
    }
    #[derive(Template)]
    #[template(path = "continue.html")]
    struct ContinuePage<'a> {
        t: Texts,
        location: &'a str,
    }
    html(
        StatusCode::OK,
        &ContinuePage {
            t: crate::i18n::texts(crate::app::extract::lang::current()),
            location,
        },
    )
}

/// A redirect answered to a form, as a page that continues (see
/// [`continue_to`]), keeping the redirect's cookies.
pub fn leave_form(redirect: Response) -> Response {
    let Some(location) = redirect
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return redirect;
    };
    let mut page = continue_to(&location);
    for cookie in redirect.headers().get_all(header::SET_COOKIE) {
        page.headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    page
}

/// Percent-encodes a query value (keeping `/`, which paths are full of).
pub fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Only paths inside this tenant are followed after sign-in; anything else
/// (other hosts, `//evil`, backslashes) falls back to the account page.
pub fn safe_return_to(tenant: &Tenant, value: Option<&str>) -> String {
    let prefix = paths::tenant_prefix(tenant);
    match value {
        Some(v)
            if v.starts_with(&prefix)
                && v.len() <= 4096
                && !v.contains("//")
                && !v.contains('\\')
                && !v.chars().any(char::is_control) =>
        {
            v.to_owned()
        }
        _ => paths::account(tenant),
    }
}

/// A time as pages show it: `2025-01-31 14:05` (UTC).
pub fn utc(t: UnixTime) -> String {
    latchkey_core::platform::zone::civil(t.0)
}
