//! The one language negotiation.
//!
//! A page speaks the language chosen in this browser with the header's
//! switcher where there is one (see [`crate::app::context`]), else the
//! signed-in person's language (their own choice on the account), else the
//! browser's (`Accept-Language`), else the tenant's default. Pages for visitors not (yet) known — sign-in,
//! password reset, and above all recovery, whose pages must look the same
//! whoever the visitor names — never look at an account: they take [`Lang`].
//! Pages for signed-in people take the language their [`SignedIn`] or
//! [`PendingStep`] carries.
//!
//! [`SignedIn`]: super::SignedIn
//! [`PendingStep`]: super::PendingStep

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use latchkey_core::accounts::user::User;
use latchkey_core::platform::lang::Language;
use latchkey_core::tenants::Tenant;

use crate::AppState;

/// The language of a page for a visitor: the browser's choice, else the
/// tenant's (English on pages of no tenant). Never an account's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(pub Language);

impl FromRequestParts<AppState> for Lang {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let names_tenant = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .is_ok_and(|params| params.iter().any(|(name, _)| name == "tenant"));
        if !names_tenant {
            return Ok(Lang(negotiate(&parts.headers, Language::En)));
        }
        let tenant = super::Tenant::from_request_parts(parts, state).await?;
        Ok(Lang(of_visitor(&parts.headers, &tenant)))
    }
}

/// A visitor's language in `tenant`: the one chosen in this browser, else
/// the browser's preference, else the tenant's.
pub fn of_visitor(headers: &HeaderMap, tenant: &Tenant) -> Language {
    crate::app::context::chosen().unwrap_or_else(|| negotiate(headers, tenant.default_language))
}

/// A signed-in person's language: the one chosen in this browser, else
/// their own, else as for a visitor.
pub fn of_user(headers: &HeaderMap, tenant: &Tenant, user: &User) -> Language {
    crate::app::context::note_user_language(user.language);
    crate::app::context::chosen()
        .or(user.language)
        .unwrap_or_else(|| of_visitor(headers, tenant))
}

/// The best of the languages latchkey speaks by the `Accept-Language`
/// header (quality values honoured, regional variants matched by prefix),
/// else `fallback`.
pub fn negotiate(headers: &HeaderMap, fallback: Language) -> Language {
    accepted(headers).unwrap_or(fallback)
}

/// The best of the languages latchkey speaks by `Accept-Language`, if it
/// names one.
pub fn accepted(headers: &HeaderMap) -> Option<Language> {
    let value = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())?;
    let mut best: Option<(f32, Language)> = None;
    for item in value.split(',').take(20) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        // A weight that is not a number from 0 to 1 makes the entry void.
        let q = match parts.find_map(|p| {
            let p = p.trim();
            p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
        }) {
            None => 1.0,
            Some(text) => match text.trim().parse::<f32>() {
                Ok(q) if (0.0..=1.0).contains(&q) => q,
                _ => continue,
            },
        };
        let primary = tag.split('-').next().unwrap_or("");
        let Ok(language) = Language::parse(primary) else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, language));
        }
    }
    best.map(|(_, l)| l)
}

/// The current request's language for pages made far from their handler
/// (errors): see [`crate::app::context::language`]; English outside a
/// request.
pub fn current() -> Language {
    crate::app::context::language()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn accept_language_picks_the_best_known_language() {
        assert_eq!(negotiate(&HeaderMap::new(), Language::Fr), Language::Fr);
        assert_eq!(
            negotiate(&with("de-CH, en;q=0.8"), Language::En),
            Language::De
        );
        assert_eq!(
            negotiate(&with("es, fr;q=0.5, en;q=0.9"), Language::De),
            Language::En
        );
        assert_eq!(negotiate(&with("es, pt"), Language::De), Language::De);
        assert_eq!(
            negotiate(&with("it-CH, de-CH;q=0.8, en;q=0.5"), Language::De),
            Language::It
        );
        assert_eq!(
            negotiate(&with("rm-CH, it;q=0.9, fr;q=0.8"), Language::De),
            Language::It
        );
        assert_eq!(
            negotiate(&with("fr;q=0, de;q=0.1"), Language::En),
            Language::De
        );
        assert_eq!(
            negotiate(&with("fr;q=inf, de;q=0.2"), Language::En),
            Language::De
        );
        assert_eq!(negotiate(&with("fr;q=abc"), Language::En), Language::En);
        assert_eq!(negotiate(&with("fr;Q=0.5"), Language::En), Language::Fr);
    }
}
