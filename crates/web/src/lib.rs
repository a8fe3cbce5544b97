//! latchkey's HTTP surface. Handlers parse input (through the extractors of
//! [`app::extract`]), call one core service and map the result to a
//! response; they hold no business rules.
//!
//! Layout: `app/` holds what every feature shares (state, the one error
//! mapping, extractors, route paths, cookies, CSRF, layers); then one
//! folder per feature — `signin/`, `account/`, `factors/`, `recovery/`,
//! `oidc/`, `admin/`, `api/` — each mounting its own routes. Features use
//! `app/`, never each other.
//!
//! Errors: handlers return [`app::error::WebError`] (a page),
//! [`app::error::ApiError`] (JSON under `/api`) or
//! [`app::error::OAuthRefusal`] (the token endpoints), which log internal
//! detail without ever returning it.

mod account;
mod admin;
mod api;
mod app;
mod factors;
pub mod hashing;
mod health;
mod i18n;
pub mod metrics;
mod oidc;
mod operator;
mod recovery;
mod signin;
mod site;

pub use app::paths::mail_page;

/// The JSON API's calls as routed, and its OpenAPI document (for the tests
/// that hold one to the other).
pub mod api_description {
    pub use super::api::{OPENAPI, served};
}
pub use app::state::{AppState, WebConfig};

/// What the web layer parses from requests itself, before core sees any of
/// it: the `Cookie` and `Accept-Language` headers, and the token-style
/// endpoints' form with its `Authorization: Basic` header. Public for the
/// fuzz targets (crates/fuzz, docs/security/fuzzing.md), which call exactly
/// the functions the handlers call.
pub mod parsers {
    pub use super::oidc::token::{TokenForm, read_basic, read_token_form};
    pub use crate::app::bearer::bearer;
    pub use crate::app::cookies::{get as cookie, set as set_cookie};
    pub use crate::app::extract::lang::accepted as accept_language;
}

use axum::Router;
use axum::routing::get;

/// The metrics listener (`metrics.listen`): `GET /metrics` and nothing
/// else. The figures name every tenant, so they are never on the main
/// listener; with `token`, a scrape must also send
/// `Authorization: Bearer <token>`.
pub fn metrics_router(state: AppState, token: Option<&str>) -> Router {
    let expected = token.map(|t| latchkey_core::platform::secret::sha256_hex(t.as_bytes()));
    Router::new()
        .route(
            app::paths::METRICS,
            get(
                move |state: axum::extract::State<AppState>, headers: axum::http::HeaderMap| {
                    health::metrics(state, headers, expected.clone())
                },
            ),
        )
        .fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "not found\n") })
        .with_state(state)
}

/// All routes, with middleware.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(site::routes())
        .merge(health::routes())
        .merge(signin::routes())
        .merge(account::routes())
        .merge(factors::routes())
        .merge(recovery::routes())
        .merge(oidc::routes())
        .merge(admin::routes())
        .merge(api::routes())
        .merge(operator::routes())
        .fallback(site::not_found)
        .with_state(state.clone());
    app::layers::wrap(routes, state)
}

#[cfg(test)]
mod layout_tests {
    //! The shape of this crate: features use `app/` (and the shared text in
    //! `i18n/`), never each other; `app/` and `i18n/` use no feature; no
    //! file grows past ~600 lines.

    const FEATURES: &[&str] = &[
        "signin", "account", "factors", "recovery", "oidc", "admin", "api", "site", "health",
        "operator",
    ];

    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn features_share_app_not_each_other() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![];
        sources(&root, &mut files);
        let mut problems = vec![];
        for file in files {
            let relative = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let owner = relative
                .split(['/', '.'])
                .next()
                .unwrap_or_default()
                .to_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            if text.lines().count() > 600 {
                problems.push(format!("{relative}: more than 600 lines"));
            }
            for feature in FEATURES {
                let used = format!("crate::{feature}::");
                if owner != *feature
                    && (text.contains(&used) || text.contains(&format!("crate::{feature};")))
                {
                    problems.push(format!("{relative} uses {feature}"));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[cfg(test)]
mod password_field_tests {
    //! ASVS 6.2.6 and 6.2.7: every field that takes a password is
    //! `type="password"` and tells password managers what it holds
    //! (`current-password` to fill, `new-password` to generate), and nothing
    //! on any page gets in the way of pasting.

    fn files(dir: &std::path::Path) -> Vec<(String, String)> {
        let mut out = vec![];
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
        out.sort();
        out
    }

    /// The value of `attribute` in the tag `tag`, if it has one.
    fn attribute<'a>(tag: &'a str, attribute: &str) -> Option<&'a str> {
        let start = tag.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
        tag[start..].split('"').next()
    }

    #[test]
    fn password_fields_are_masked_and_open_to_password_managers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        let mut problems = vec![];
        for (file, text) in files(&root.join("templates")) {
            for tag in text.split("<input").skip(1) {
                let tag = tag.split('>').next().unwrap_or_default();
                let name = attribute(tag, "name").unwrap_or_default();
                let id = attribute(tag, "id").unwrap_or_default();
                let kind = attribute(tag, "type").unwrap_or("text");
                let secret = ["password", "repeat"].contains(&id)
                    || ["password", "repeat", "new_password"].contains(&name)
                    || kind == "password";
                if !secret || kind == "hidden" {
                    continue;
                }
                seen += 1;
                if kind != "password" {
                    problems.push(format!("{file}: #{id} is type=\"{kind}\""));
                }
                match attribute(tag, "autocomplete") {
                    Some("current-password" | "new-password") => {}
                    other => problems.push(format!("{file}: #{id} has autocomplete {other:?}")),
                }
                if tag.contains("readonly") || tag.contains(" on") {
                    problems.push(format!("{file}: #{id} has a handler or is read-only"));
                }
            }
        }
        assert!(seen >= 11, "found only {seen} password fields");
        for (file, text) in files(&root.join("templates"))
            .into_iter()
            .chain(files(&root.join("static")))
        {
            for blocker in ["onpaste", "oncopy", "\"paste\"", "'paste'"] {
                if text.contains(blocker) {
                    problems.push(format!("{file} handles pasting ({blocker})"));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
