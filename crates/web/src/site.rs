//! The pages of no tenant: the front page, the static files (stylesheet and
//! scripts), and "not found".

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::app::error::{ApiError, WebError, html, message};
use crate::app::extract::tenant::load;
use crate::app::extract::{Lang, Tenant};
use crate::app::paths;
use crate::app::respond::see_other;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::INDEX, get(index))
        .route(paths::STYLESHEET, get(|| asset(CSS, STYLESHEET)))
        .route(paths::TIMEZONE_SCRIPT, get(|| asset(JS, TIMEZONE)))
        .route(paths::WEBAUTHN_SCRIPT, get(|| asset(JS, WEBAUTHN)))
        .route(paths::CODES_SCRIPT, get(|| asset(JS, CODES)))
        .route(paths::TENANT, get(tenant_home))
        .route(paths::TENANT_SLASH, get(tenant_home))
}

async fn index(Lang(lang): Lang) -> Response {
    #[derive(Template)]
    #[template(path = "index.html")]
    struct Index {
        t: crate::i18n::Texts,
        text: String,
        example: String,
    }
    let t = crate::i18n::texts(lang);
    html(
        StatusCode::OK,
        &Index {
            t,
            text: t.get("site-intro"),
            example: t.get("site-example-tenant"),
        },
    )
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const STYLESHEET: &str = include_str!("../static/latchkey.css");
/// Reports the browser's time zone in a cookie (see `app::timezone`).
const TIMEZONE: &str = include_str!("../static/timezone.js");
/// Runs a passkey ceremony (see `factors::passkeys`), and offers saved
/// passkeys in the sign-in page's username field.
const WEBAUTHN: &str = include_str!("../static/webauthn.js");
/// The Copy and Print buttons of a new set of recovery codes.
const CODES: &str = include_str!("../static/codes.js");

/// A static file, cached for an hour.
async fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// An unknown address: a page, or JSON in the API's shape under `/api/`.
/// Under `/t/{tenant}/` the page names the tenant and leads to its sign-in;
/// an unknown tenant is "no such organisation".
pub(crate) async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") {
        return ApiError::Core(latchkey_core::Error::NotFound("resource")).into_response();
    }
    if let Some(slug) = path
        .strip_prefix("/t/")
        .and_then(|rest| rest.split('/').next())
        && !slug.is_empty()
        && let Err(err) = load(&state, slug).await
    {
        return err.into_response();
    }
    let t = crate::i18n::errors();
    message(
        StatusCode::NOT_FOUND,
        &t.get("error-not-found-title"),
        &t.get("error-not-found-text"),
    )
}

async fn tenant_home(Tenant(tenant): Tenant) -> Result<Response, WebError> {
    Ok(see_other(&paths::account(&tenant)))
}

#[cfg(test)]
mod tests {
    //! The stylesheet's colours: every pair its comment lists meets WCAG AA
    //! in light and dark mode, and the figures it states are the real ones.

    use std::collections::HashMap;

    const CSS: &str = super::STYLESHEET;

    /// The `--name: #rrggbb` custom properties of the block after `marker`.
    fn palette(marker: &str) -> HashMap<String, String> {
        let start = CSS.find(marker).expect("a colour block");
        let block = &CSS[start..];
        let block = &block[..block.find('}').unwrap()];
        block
            .lines()
            .filter_map(|line| {
                let (name, value) = line.trim().strip_prefix("--")?.split_once(':')?;
                let value = value.trim().trim_end_matches(';');
                value
                    .starts_with('#')
                    .then(|| (name.to_owned(), value.to_owned()))
            })
            .collect()
    }

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn colours_meet_wcag_aa() {
        let light = palette(":root {");
        let dark = palette("@media (prefers-color-scheme: dark)");
        assert!(light.len() >= 25 && dark.len() >= 25, "{light:?} {dark:?}");
        let table = CSS
            .split("colour          on background   need   light   dark")
            .nth(1)
            .and_then(|rest| rest.split("*/").next())
            .expect("the contrast table");
        let mut rows = 0;
        let mut problems = vec![];
        for line in table.lines().filter(|l| !l.trim().is_empty()) {
            let cells: Vec<&str> = line.split_whitespace().collect();
            let [fg, bg, need, stated_light, stated_dark] = cells[..] else {
                panic!("a row of five cells: {line}");
            };
            rows += 1;
            let need: f64 = need.parse().unwrap();
            for (mode, colours, stated) in [
                ("light", &light, stated_light),
                ("dark", &dark, stated_dark),
            ] {
                let ratio = contrast(&colours[fg], &colours[bg]);
                if ratio < need {
                    problems.push(format!(
                        "{mode}: {fg} on {bg} is {ratio:.2}:1, needs {need}"
                    ));
                }
                if format!("{ratio:.2}") != stated {
                    problems.push(format!(
                        "{mode}: {fg} on {bg} is {ratio:.2}:1, the table says {stated}"
                    ));
                }
            }
        }
        assert!(rows >= 25, "{rows} rows");
        assert!(problems.is_empty(), "{problems:#?}");
        // Every variable of one mode is in the other.
        let mut names: Vec<_> = light.keys().collect();
        names.sort();
        let mut dark_names: Vec<_> = dark.keys().collect();
        dark_names.sort();
        assert_eq!(names, dark_names);
    }
}
