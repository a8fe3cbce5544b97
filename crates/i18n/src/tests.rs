//! The catalogues agree: every key in every language, with the same
//! arguments, and every message renders.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// Each message's arguments (`$name`s), by key, of one language.
fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let files = SOURCES
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, files)| *files)
        .unwrap();
    for (group, source) in GROUPS.iter().zip(files.iter()) {
        let resource = fluent_syntax::parser::parse(*source)
            .unwrap_or_else(|(_, errors)| panic!("{lang}/{group}.ftl: {errors:?}"));
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut variables);
                }
                assert!(
                    !message.attributes.is_empty() || message.value.is_some(),
                    "{lang}: {} is empty",
                    message.id.name
                );
                let previous = out.insert(message.id.name.to_owned(), variables);
                assert!(previous.is_none(), "{lang}: {} twice", message.id.name);
            }
        }
    }
    out
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, out),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

#[test]
fn catalogues_parse() {
    assert!(
        catalogue().problems().is_empty(),
        "{:#?}",
        catalogue().problems()
    );
}

#[test]
fn every_key_is_in_every_language_with_the_same_arguments() {
    let english = messages(FALLBACK);
    assert!(english.len() > 300, "{} messages", english.len());
    for lang in LANGUAGES {
        let other = messages(lang);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
        for (key, variables) in &english {
            assert_eq!(
                &other[key], variables,
                "{lang}: {key} takes other arguments than in English"
            );
        }
    }
}

#[test]
fn every_message_renders_with_sample_arguments() {
    for lang in LANGUAGES {
        for (key, variables) in messages(lang) {
            // Numbers select each plural form; text arguments take them too.
            for n in [0, 1, 2, 5, 21] {
                let args: Vec<(&str, Arg<'_>)> = variables
                    .iter()
                    .map(|v| (v.as_str(), Arg::Number(n)))
                    .collect();
                let (text, errors) = catalogue()
                    .format_checked(lang, &key, &args)
                    .unwrap_or_else(|| panic!("{lang}: {key} does not render"));
                assert!(errors.is_empty(), "{lang}: {key}: {errors:?}");
                assert!(!text.trim().is_empty(), "{lang}: {key} is empty");
                assert!(!text.contains('{'), "{lang}: {key}: {text}");
            }
        }
    }
}

#[test]
fn plurals_follow_each_language() {
    let c = catalogue();
    let wait = |lang: &str, n: i64| c.format(lang, "duration-seconds", &[("n", n.into())]);
    assert_eq!(wait("en", 1), "1 second");
    assert_eq!(wait("en", 0), "0 seconds");
    assert_eq!(wait("de", 1), "1 Sekunde");
    assert_eq!(wait("de", 30), "30 Sekunden");
    // French counts 0 and 1 as one.
    assert_eq!(wait("fr", 0), "0 seconde");
    assert_eq!(wait("fr", 2), "2 secondes");
    assert_eq!(
        c.format(
            "de",
            "signin-too-many-signins",
            &[("wait", "3 Minuten".into())]
        ),
        "Zu viele Anmeldeversuche. Versuchen Sie es erneut in 3 Minuten."
    );
    // Italian counts only 1 as one.
    assert_eq!(wait("it", 1), "1 secondo");
    assert_eq!(wait("it", 0), "0 secondi");
    assert_eq!(wait("it", 2), "2 secondi");
    assert_eq!(
        c.format("it", "account-unused", &[("count", 1.into())]),
        "1 non utilizzato"
    );
    assert_eq!(
        c.format(
            "it",
            "signin-too-many-signins",
            &[("wait", "3 minuti".into())]
        ),
        "Troppi tentativi di accesso. Riprovi tra 3 minuti."
    );
    // An unknown language falls back to English.
    assert_eq!(c.text("xx", "signin-title"), "Sign in");
}

#[test]
fn every_language_is_its_own_words() {
    let c = catalogue();
    assert_eq!(c.keys().len(), messages(FALLBACK).len());
    for lang in LANGUAGES.iter().filter(|l| **l != FALLBACK) {
        for key in c.keys() {
            let text = c.text(lang, key);
            let english = c.english_in(lang, &text);
            assert!(english.is_empty(), "{lang}: {key} says {english:?}");
        }
    }
}

#[test]
fn english_is_found_in_text_and_html() {
    let c = catalogue();
    let page = format!(
        "<p>{}</p><p>{}</p><p>Too many attempts. Try again in 3 minutes.</p>",
        c.text("it", "signin-title"),
        c.text("en", "signin-forgot-link").replace('?', "&#63;"),
    );
    assert_eq!(
        c.english_in("it", &page),
        [
            "Forgot your password",
            "Too many attempts. Try again in",
            "Too many attempts"
        ]
    );
    assert!(
        c.english_in("it", &c.text("it", "recovery-start-intro"))
            .is_empty()
    );
    // Words a language shares with English are not English left over.
    assert!(c.english_in("it", "Password").is_empty());
    assert_eq!(unescape_html("a &#38; b &lt;&#x27;&amp"), "a & b <'&amp");
    assert_eq!(literal_parts("{$at} UTC with {$methods}. "), ["UTC with"]);
}
