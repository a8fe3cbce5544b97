//! The `Accept-Language` header:
//! `latchkey_web::parsers::accept_language`, which picks the language of
//! every page for a visitor who has not chosen one.
//!
//! Properties:
//! - no panic, whatever the weights and tags;
//! - the language chosen is one the header names (its primary subtag: a
//!   tag or a regional variant of it);
//! - a header that names one supported language alone picks it.

use axum::http::{HeaderMap, HeaderValue, header};
use latchkey_core::platform::lang::Language;
use latchkey_web::parsers::accept_language;

pub fn run(data: &[u8]) {
    let Ok(value) = HeaderValue::from_bytes(data) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT_LANGUAGE, value.clone());
    let chosen = accept_language(&headers);
    if let (Some(language), Ok(text)) = (chosen, value.to_str()) {
        let code = language.as_str();
        // The primary subtag, as the parser reads it (lenient about
        // spaces: "en -2" names English).
        let named = text.split(',').take(20).any(|item| {
            let tag = item
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            tag.split('-').next().unwrap_or("").trim() == code
        });
        assert!(named, "{code} chosen from {text:?}");
    }
    for language in Language::ALL {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(&format!("{}-XX;q=0.5", language.as_str())).unwrap(),
        );
        assert_eq!(accept_language(&headers), Some(*language));
    }
}
