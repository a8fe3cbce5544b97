//! latchkey's message catalogues: every text a person reads on a page, in a
//! mail or about a form field, per language, in Project Fluent's format
//! (`locales/{language}/{group}.ftl`, see docs/decisions/0011).
//!
//! The catalogues are part of the binary (embedded at compile time) and
//! parsed once, on first use; they are constant data like the templates,
//! not state. A message is named by its key (`signin-title`) and may take
//! arguments (`{ $wait }`), so each language orders a sentence its own way
//! and chooses plural forms by its own rules.
//!
//! This crate knows no other latchkey crate: callers name languages by
//! their codes (`Language::as_str`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The languages there are catalogues for, the fallback first.
pub const LANGUAGES: &[&str] = &["en", "de", "fr", "it"];

/// The fallback language: its catalogue has every key.
pub const FALLBACK: &str = "en";

/// The files of each language's catalogue, by group.
pub const GROUPS: &[&str] = &[
    "common", "fields", "signin", "recovery", "journey", "setup", "account", "step", "errors",
    "oidc", "people", "admin", "mail", "audit", "operator", "wizard",
];

macro_rules! catalogue_sources {
    ($($lang:literal),+ $(,)?) => {
        &[$(($lang, &[
            include_str!(concat!("../locales/", $lang, "/common.ftl")),
            include_str!(concat!("../locales/", $lang, "/fields.ftl")),
            include_str!(concat!("../locales/", $lang, "/signin.ftl")),
            include_str!(concat!("../locales/", $lang, "/recovery.ftl")),
            include_str!(concat!("../locales/", $lang, "/journey.ftl")),
            include_str!(concat!("../locales/", $lang, "/setup.ftl")),
            include_str!(concat!("../locales/", $lang, "/account.ftl")),
            include_str!(concat!("../locales/", $lang, "/step.ftl")),
            include_str!(concat!("../locales/", $lang, "/errors.ftl")),
            include_str!(concat!("../locales/", $lang, "/oidc.ftl")),
            include_str!(concat!("../locales/", $lang, "/people.ftl")),
            include_str!(concat!("../locales/", $lang, "/admin.ftl")),
            include_str!(concat!("../locales/", $lang, "/mail.ftl")),
            include_str!(concat!("../locales/", $lang, "/audit.ftl")),
            include_str!(concat!("../locales/", $lang, "/operator.ftl")),
            include_str!(concat!("../locales/", $lang, "/wizard.ftl")),
        ])),+]
    };
}

/// Each language's files, in the order of [`GROUPS`].
pub const SOURCES: &[(&str, &[&str])] = catalogue_sources!("en", "de", "fr", "it");

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    /// A number: selects plural forms (`[one]`, `*[other]`).
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(value))
    }
}

impl From<String> for Arg<'_> {
    fn from(value: String) -> Self {
        Arg::Text(Cow::Owned(value))
    }
}

impl From<&String> for Arg<'_> {
    fn from(value: &String) -> Self {
        Arg::Text(Cow::Owned(value.clone()))
    }
}

macro_rules! number_arg {
    ($($t:ty),+) => {
        $(impl From<$t> for Arg<'_> {
            fn from(value: $t) -> Self {
                Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
            }
        })+
    };
}
number_arg!(i64, i32, u32, usize, u64);

/// Every language's messages.
pub struct Catalogue {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    /// Every message's key, as English has them.
    keys: Vec<String>,
    /// By language, the English the catalogue says in other words in it
    /// ([`Catalogue::english_in`]), made on first use.
    english_parts: std::sync::OnceLock<HashMap<&'static str, Vec<String>>>,
    /// What did not parse (empty: the tests see to that).
    problems: Vec<String>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::load);

/// The catalogues, parsed on first use.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

impl Catalogue {
    fn load() -> Catalogue {
        let mut bundles = HashMap::new();
        let mut keys = vec![];
        let mut problems = vec![];
        for (lang, files) in SOURCES {
            let id: LanguageIdentifier = lang.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Placeables as they are: no Unicode isolation marks around
            // arguments (pages and mails are left-to-right text).
            bundle.set_use_isolating(false);
            for (group, source) in GROUPS.iter().zip(files.iter()) {
                let resource = match FluentResource::try_new((*source).to_owned()) {
                    Ok(resource) => resource,
                    Err((resource, errors)) => {
                        problems.push(format!("{lang}/{group}.ftl: {errors:?}"));
                        resource
                    }
                };
                if *lang == FALLBACK {
                    keys.extend(resource.entries().filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        _ => None,
                    }));
                }
                if let Err(errors) = bundle.add_resource(resource) {
                    problems.push(format!("{lang}/{group}.ftl: {errors:?}"));
                }
            }
            bundles.insert(*lang, bundle);
        }
        Catalogue {
            bundles,
            keys,
            english_parts: std::sync::OnceLock::new(),
            problems,
        }
    }

    /// Every message's key.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The English of the catalogue that `text` (a page's HTML, a mail)
    /// shows although it is meant to be in `lang`: each English message, or
    /// each part of one between its arguments, of at least two words that
    /// `lang` does not say in the same words. Tests of pages and mails in
    /// German, French or Italian expect none (see docs/decisions/0011).
    pub fn english_in(&self, lang: &str, text: &str) -> Vec<String> {
        let text = unescape_html(text);
        let parts = self.english_parts.get_or_init(|| {
            LANGUAGES
                .iter()
                .map(|lang| (*lang, self.english_said_otherwise(lang)))
                .collect()
        });
        parts
            .get(lang)
            .map(|parts| {
                parts
                    .iter()
                    .filter(|part| text.contains(part.as_str()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Each English message, or part of one between its arguments, of at
    /// least two words that `lang` does not say in the same words.
    fn english_said_otherwise(&self, lang: &str) -> Vec<String> {
        let mut found: Vec<String> = vec![];
        for key in &self.keys {
            let english = self.text(FALLBACK, key);
            let theirs = self.text(lang, key);
            for part in literal_parts(&english) {
                if part.split_whitespace().count() >= 2
                    && !theirs.contains(part)
                    && !found.iter().any(|f| f == part)
                {
                    found.push(part.to_owned());
                }
            }
        }
        found
    }

    /// What did not parse or was defined twice.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Whether `lang` has the message `key`.
    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.bundles.get(lang).is_some_and(|b| b.has_message(key))
    }

    /// The message `key` without arguments.
    pub fn text(&self, lang: &str, key: &str) -> String {
        self.format(lang, key, &[])
    }

    /// The message `key` in `lang` with `args`. A language without the
    /// message falls back to English; a key no catalogue has is returned as
    /// it is (the tests keep every key in every language).
    pub fn format(&self, lang: &str, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.try_format(lang, key, args)
            .or_else(|| self.try_format(FALLBACK, key, args))
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message with the problems formatting met (an argument missing, a
    /// reference to no message); `None` when `lang` lacks the message.
    pub fn format_checked(
        &self,
        lang: &str,
        key: &str,
        args: &[(&str, Arg<'_>)],
    ) -> Option<(String, Vec<String>)> {
        let bundle = self.bundles.get(lang)?;
        let pattern = bundle.get_message(key)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.to_string())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some((
            text.into_owned(),
            errors.iter().map(ToString::to_string).collect(),
        ))
    }

    fn try_format(&self, lang: &str, key: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        self.format_checked(lang, key, args).map(|(text, _)| text)
    }
}

/// The parts of a message rendered without its arguments (Fluent shows a
/// missing one as `{$name}`), trimmed of spaces and punctuation.
fn literal_parts(message: &str) -> Vec<&str> {
    let mut parts = vec![];
    let mut rest = message;
    loop {
        let (part, after) = match rest.find("{$") {
            Some(start) => (
                &rest[..start],
                rest[start..].find('}').map(|end| &rest[start + end + 1..]),
            ),
            None => (rest, None),
        };
        let part = part.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        if !part.is_empty() {
            parts.push(part);
        }
        match after {
            Some(after) => rest = after,
            None => return parts,
        }
    }
}

/// HTML's character references as the characters they stand for (what
/// askama writes: `&#39;`, `&#34;`, `&#38;`, `&#60;`, `&#62;`, and the named
/// ones).
fn unescape_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(';').filter(|end| *end <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
