//! Page text, from the message catalogues (`latchkey-i18n`, one per
//! language; see docs/decisions/0011-message-catalogues.md).
//!
//! A page holds [`Texts`] in its language (see `app::extract::lang` for
//! which) and asks it for messages by key: `t.get("signin-title")`, or
//! with arguments, so each language orders the sentence its own way and
//! picks its plural forms.

use latchkey_core::platform::lang::Language;
use latchkey_core::platform::validate::FieldError;
use latchkey_i18n::{Arg, catalogue};

/// The messages of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts(pub Language);

/// Texts in `language`.
pub fn texts(language: Language) -> Texts {
    Texts(language)
}

/// The error pages' texts: the current request's language (see
/// [`crate::app::extract::lang::current`]).
pub fn errors() -> Texts {
    Texts(crate::app::extract::lang::current())
}

/// A number as templates hand it over (by value or by reference).
pub trait Count {
    fn value(&self) -> i64;
}

impl Count for i64 {
    fn value(&self) -> i64 {
        *self
    }
}

impl Count for u32 {
    fn value(&self) -> i64 {
        i64::from(*self)
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn value(&self) -> i64 {
        (**self).value()
    }
}

/// An argument of a message shown as HTML: text (escaped), or text in an
/// element (`<strong class="username">…</strong>`).
pub enum Markup<'a> {
    Text(&'a str),
    Element {
        tag: &'static str,
        class: Option<&'static str>,
        text: &'a str,
    },
}

impl Markup<'_> {
    fn render(&self) -> String {
        match self {
            Markup::Text(text) => escape(text),
            Markup::Element { tag, class, text } => match class {
                Some(class) => format!("<{tag} class=\"{class}\">{}</{tag}>", escape(text)),
                None => format!("<{tag}>{}</{tag}>", escape(text)),
            },
        }
    }
}

fn escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html)
        .map(|safe| safe.to_string())
        .unwrap_or_default()
}

impl Texts {
    /// The language's code, for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }

    /// The message `key`.
    pub fn get(&self, key: &str) -> String {
        catalogue().text(self.lang(), key)
    }

    /// The message `key` with its arguments.
    pub fn with(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        catalogue().format(self.lang(), key, args)
    }

    /// The message `key` with one text argument (for templates).
    pub fn with1(&self, key: &str, name: &str, value: &str) -> String {
        self.with(key, &[(name, value.into())])
    }

    /// The message `key` with one number argument `count` (for templates).
    pub fn count(&self, key: &str, count: impl Count) -> String {
        self.with(key, &[("count", count.value().into())])
    }

    /// The message `key` as HTML (for `|safe`): its text escaped, each
    /// argument as its [`Markup`] says.
    pub fn html(&self, key: &str, args: &[(&str, Markup<'_>)]) -> String {
        // Each argument goes in as a marker the text cannot contain, so the
        // message's own text is escaped and the arguments' markup is not.
        let markers: Vec<String> = (0..args.len())
            .map(|i| format!("\u{E000}{i}\u{E001}"))
            .collect();
        let fluent_args: Vec<(&str, Arg<'_>)> = args
            .iter()
            .zip(&markers)
            .map(|((name, _), marker)| (*name, Arg::from(marker.as_str())))
            .collect();
        let mut html = escape(&self.with(key, &fluent_args));
        for ((_, markup), marker) in args.iter().zip(&markers) {
            html = html.replace(marker.as_str(), &markup.render());
        }
        html
    }

    /// How long to wait: "45 seconds", "3 Minuten" (minutes from two on).
    pub fn wait(&self, secs: i64) -> String {
        if secs >= 120 {
            self.with("duration-minutes", &[("n", ((secs + 59) / 60).into())])
        } else {
            self.with("duration-seconds", &[("n", secs.max(1).into())])
        }
    }

    /// A message that ends "Try again in { $wait }."
    pub fn try_again(&self, key: &str, secs: i64) -> String {
        self.with(key, &[("wait", self.wait(secs).into())])
    }

    /// A field error in this language: messages core marks as `Said` come
    /// from the catalogue, others (only operators see them) stay English.
    pub fn say(&self, e: &FieldError) -> String {
        match &e.said {
            Some(said) => self.with(said.key(), &said.args()),
            None => e.message.clone(),
        }
    }

    /// The first error, said as a sentence (for forms that show one line).
    pub fn say_first(&self, errors: &[FieldError]) -> String {
        let text = errors.first().map(|e| self.say(e)).unwrap_or_default();
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => text,
        }
    }

    /// [`Texts::say`] after the field's name ("Password: …").
    pub fn say_field(&self, e: &FieldError) -> String {
        let label = match e.field.as_str() {
            "password" | "new_password" => self.get("label-password"),
            "email" => self.get("label-email"),
            "username" => self.get("label-username"),
            "name" | "display_name" => self.get("label-name"),
            "default_language" => self.get("label-language"),
            "signin_methods" | "passwordless" => self.get("label-signin-methods"),
            "second_factor" => self.get("label-second-factor"),
            "recovery_wait_hours" => self.get("label-recovery-wait"),
            "redirect_uris" => self.get("label-redirect-uris"),
            "post_logout_uris" => self.get("label-post-logout-uris"),
            "access_token_minutes" => self.get("label-access-minutes"),
            "refresh_token_days" => self.get("label-refresh-days"),
            "signing_alg" => self.get("label-signing-alg"),
            "grant_types" => self.get("label-grant-types"),
            "kind" => self.get("label-app-kind"),
            "note" => self.get("label-note"),
            "step" => self.get("label-step"),
            "request" => self.get("label-request"),
            "reason" => self.get("label-reason"),
            "person" => self.get("label-person"),
            "role" => self.get("label-role"),
            "status" => self.get("label-status"),
            "q" => self.get("label-search"),
            "after" | "before" => self.get("label-page"),
            "limit" => self.get("label-page-size"),
            "people" | "all" => self.get("label-people"),
            "ready" => self.get("label-readiness"),
            other => other.to_owned(),
        };
        format!("{label}: {}", self.say(e))
    }

    /// The confirmation after a factor was set up (`?done=app`,
    /// `passkey`), on the account page or the recovery codes that follow a
    /// first factor.
    /// "Firefox on Linux", "An unknown browser on Android": a browser as
    /// its `User-Agent` names it ([`client::device`]).
    ///
    /// [`client::device`]: latchkey_core::platform::client::device
    pub fn device(&self, device: latchkey_core::platform::client::Device) -> String {
        let browser = device
            .browser
            .map_or_else(|| self.get("sessions-unknown-browser"), str::to_owned);
        match device.system {
            Some(system) => self.with(
                "sessions-device",
                &[("browser", browser.into()), ("system", system.into())],
            ),
            None => browser,
        }
    }

    pub fn factor_added(&self, done: Option<&str>) -> Option<String> {
        match done {
            Some("app") => Some(self.get("account-done-app")),
            Some("passkey") => Some(self.get("account-done-passkey")),
            Some("app-removed") => Some(self.get("account-done-app-removed")),
            Some("passkey-removed") => Some(self.get("account-done-passkey-removed")),
            _ => None,
        }
    }

    /// "You have 9 recovery codes left." (or none): the offer of a fresh
    /// set after a code was used (`factors::code_offer`, the account page).
    pub fn codes_left(&self, remaining: i64) -> String {
        if remaining > 0 {
            self.count("codes-used-left", remaining)
        } else {
            self.get("codes-used-none-left")
        }
    }

    /// Every error, each after its field's name, in one line.
    pub fn say_all(&self, errors: &[FieldError]) -> String {
        errors
            .iter()
            .map(|e| self.say_field(e))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_core::platform::validate::Said;

    #[test]
    fn field_errors_are_said_in_the_page_language() {
        let e = FieldError::said("password", Said::PasswordTooShort { len: 5, min: 12 });
        assert_eq!(
            texts(Language::De).say_field(&e),
            "Passwort: ist 5 Zeichen lang; verwenden Sie mindestens 12 Zeichen (einige Wörter ohne Zusammenhang eignen sich gut)"
        );
        assert!(
            texts(Language::En)
                .say_field(&e)
                .starts_with("Password: is 5 characters long")
        );
        assert_eq!(
            texts(Language::It).say_field(&e),
            "Password: contiene 5 caratteri; ne usi almeno 12 (alcune parole senza legame tra loro vanno bene)"
        );
        assert_eq!(
            texts(Language::Fr).say_first(&[FieldError::new("x", "an operator's words")]),
            "An operator's words",
            "messages only operators see stay English"
        );
        for said in Said::all() {
            let english = said.english();
            for lang in Language::ALL.iter().copied().filter(|l| *l != Language::En) {
                let text = texts(lang).say(&FieldError::said("x", said.clone()));
                assert_ne!(text, english, "{said:?} is not translated");
            }
        }
    }

    #[test]
    fn waits_have_plurals_and_markup_is_escaped() {
        let en = texts(Language::En);
        assert_eq!(en.wait(1), "1 second");
        assert_eq!(en.wait(0), "1 second");
        assert_eq!(en.wait(45), "45 seconds");
        assert_eq!(en.wait(150), "3 minutes");
        assert_eq!(texts(Language::De).wait(1), "1 Sekunde");
        assert_eq!(texts(Language::It).wait(1), "1 secondo");
        assert_eq!(texts(Language::It).wait(150), "3 minuti");
        let html = en.html(
            "account-signed-in-as",
            &[(
                "username",
                Markup::Element {
                    tag: "strong",
                    class: Some("username"),
                    text: "<b>o'neil",
                },
            )],
        );
        assert_eq!(
            html,
            "You are signed in as <strong class=\"username\">&#60;b&#62;o&#39;neil</strong>."
        );
    }

    /// Every message a page or handler asks for exists; one asked for
    /// without arguments takes none (else a `{ $name }` would show).
    #[test]
    fn pages_ask_for_messages_that_exist() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![];
        for dir in ["templates", "src"] {
            let mut stack = vec![root.join(dir)];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        stack.push(path);
                    } else {
                        files.push(path);
                    }
                }
            }
        }
        let mut problems = vec![];
        let mut seen = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (call, takes_none) in [
                ("get(\"", true),
                ("with(\"", false),
                ("with1(\"", false),
                ("count(\"", false),
                ("html(\"", false),
                ("try_again(\"", false),
            ] {
                for part in text.split(call).skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    let group = key.split('-').next().unwrap_or_default();
                    if !latchkey_i18n::GROUPS.contains(&group)
                        && !["error", "label", "field", "duration", "site"].contains(&group)
                    {
                        continue;
                    }
                    seen += 1;
                    for lang in latchkey_i18n::LANGUAGES {
                        match catalogue().format_checked(lang, key, &[]) {
                            None => {
                                problems.push(format!("{}: {lang} lacks {key}", file.display()))
                            }
                            Some((_, errors)) if takes_none && !errors.is_empty() => {
                                problems.push(format!("{}: {key} needs arguments", file.display()))
                            }
                            Some(_) => {}
                        }
                    }
                }
            }
        }
        assert!(seen > 300, "{seen} messages found");
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
