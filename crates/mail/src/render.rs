//! Mail text in English, German and French. Every message is a greeting,
//! paragraphs, an optional action link and a footer, rendered as plain text
//! and as HTML (escaped by askama).

use askama::Template;
use latchkey_core::mail::{Language, MailMessage};

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The parts of a message, in its language.
struct Body {
    subject: String,
    greeting: String,
    before: Vec<String>,
    action: Option<(String, String)>,
    after: Vec<String>,
    footer: String,
}

#[derive(Template)]
#[template(path = "mail.txt")]
struct Text<'a> {
    greeting: &'a str,
    before: &'a [String],
    action: &'a Option<(String, String)>,
    after: &'a [String],
    footer: &'a str,
}

#[derive(Template)]
#[template(path = "mail.html")]
struct Html<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    before: &'a [String],
    action: &'a Option<(String, String)>,
    after: &'a [String],
    footer: &'a str,
}

fn footer(language: Language, tenant: &str) -> String {
    match language {
        Language::En => format!(
            "Sent by latchkey for {tenant}. This is an automatic message; replies are not read."
        ),
        Language::De => format!(
            "Gesendet von latchkey für {tenant}. Dies ist eine automatische Nachricht; Antworten werden nicht gelesen."
        ),
        Language::Fr => format!(
            "Envoyé par latchkey pour {tenant}. Ce message est automatique ; les réponses ne sont pas lues."
        ),
    }
}

fn body(message: &MailMessage, language: Language) -> Body {
    match message {
        MailMessage::VerifyEmail {
            tenant_name,
            display_name,
            link,
            expires_hours,
        } => {
            let (subject, greeting, ask, action, expiry, ignore) = match language {
                Language::En => (
                    format!("Confirm your email address for {tenant_name}"),
                    format!("Hello {display_name},"),
                    format!("please confirm that this is your email address for your {tenant_name} account by opening this link:"),
                    "Confirm email address".to_owned(),
                    format!("The link works once and expires in {expires_hours} hours."),
                    "If you did not expect this message, you can ignore it; nothing will change.".to_owned(),
                ),
                Language::De => (
                    format!("Bestätigen Sie Ihre E-Mail-Adresse für {tenant_name}"),
                    format!("Hallo {display_name},"),
                    format!("bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse für Ihr Konto bei {tenant_name} ist, indem Sie diesen Link öffnen:"),
                    "E-Mail-Adresse bestätigen".to_owned(),
                    format!("Der Link funktioniert einmal und läuft in {expires_hours} Stunden ab."),
                    "Falls Sie diese Nachricht nicht erwartet haben, können Sie sie ignorieren; es ändert sich nichts.".to_owned(),
                ),
                Language::Fr => (
                    format!("Confirmez votre adresse e-mail pour {tenant_name}"),
                    format!("Bonjour {display_name},"),
                    format!("veuillez confirmer qu'il s'agit bien de votre adresse e-mail pour votre compte {tenant_name} en ouvrant ce lien :"),
                    "Confirmer l'adresse e-mail".to_owned(),
                    format!("Le lien ne fonctionne qu'une fois et expire dans {expires_hours} heures."),
                    "Si vous n'attendiez pas ce message, vous pouvez l'ignorer ; rien ne changera.".to_owned(),
                ),
            };
            Body {
                subject,
                greeting,
                before: vec![ask],
                action: Some((action, link.clone())),
                after: vec![expiry, ignore],
                footer: footer(language, tenant_name),
            }
        }
    }
}

/// Renders `message` in `language`.
pub fn render(message: &MailMessage, language: Language) -> Result<Rendered, askama::Error> {
    let b = body(message, language);
    let text = Text {
        greeting: &b.greeting,
        before: &b.before,
        action: &b.action,
        after: &b.after,
        footer: &b.footer,
    }
    .render()?;
    let html = Html {
        lang: language.as_str(),
        subject: &b.subject,
        greeting: &b.greeting,
        before: &b.before,
        action: &b.action,
        after: &b.after,
        footer: &b.footer,
    }
    .render()?;
    Ok(Rendered {
        subject: b.subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verify(name: &str) -> MailMessage {
        MailMessage::VerifyEmail {
            tenant_name: "Acme".into(),
            display_name: name.into(),
            link: "https://id.example/t/acme/verify-email?token=abc&x=1".into(),
            expires_hours: 24,
        }
    }

    #[test]
    fn every_language_renders_text_and_html() {
        for (lang, subject) in [
            (Language::En, "Confirm your email address for Acme"),
            (Language::De, "Bestätigen Sie Ihre E-Mail-Adresse für Acme"),
            (Language::Fr, "Confirmez votre adresse e-mail pour Acme"),
        ] {
            let r = render(&verify("Alice"), lang).unwrap();
            assert_eq!(r.subject, subject);
            assert!(
                r.text
                    .contains("https://id.example/t/acme/verify-email?token=abc&x=1"),
                "{}",
                r.text
            );
            assert!(
                r.html
                    .contains("href=\"https://id.example/t/acme/verify-email?token=abc&#38;x=1\""),
                "{}",
                r.html
            );
            assert!(r.html.contains(&format!("lang=\"{}\"", lang.as_str())));
        }
    }

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let r = render(&verify("<b>Mallory</b> & co"), Language::En).unwrap();
        assert!(
            r.html.contains("&#60;b&#62;Mallory&#60;/b&#62; &#38; co"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<b>Mallory"));
        assert!(
            r.text.starts_with("Hello <b>Mallory</b> & co,"),
            "{}",
            r.text
        );
    }
}
