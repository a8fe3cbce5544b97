//! Mails from the message catalogues (`latchkey-i18n`, `mail.ftl`). Every
//! message is a greeting, paragraphs, an optional action link and a footer,
//! rendered as plain text and as HTML (escaped by askama).

use askama::Template;
use latchkey_core::effects::mail::{Link, MailMessage, Page, SecurityEvent};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::lang::Language;
use latchkey_core::platform::zone::Zone;
use latchkey_i18n::{Arg, catalogue};

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

/// The messages of one language, from the catalogues.
struct Say(&'static str);

impl Say {
    fn msg(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        catalogue().format(self.0, key, args)
    }

    /// The parts every message has: greeting and footer.
    /// "Firefox on Linux": a browser as its `User-Agent` named it.
    fn device(&self, browser: Option<&str>, system: Option<&str>) -> String {
        let browser = browser.map_or_else(
            || self.msg("mail-new-sign-in-unknown-browser", &[]),
            str::to_owned,
        );
        match system {
            Some(system) => self.msg(
                "mail-new-sign-in-device",
                &[
                    ("browser", browser.as_str().into()),
                    ("system", system.into()),
                ],
            ),
            None => browser,
        }
    }

    fn body(
        &self,
        tenant_name: &str,
        display_name: &str,
        subject: String,
        paragraphs: (Vec<String>, Option<(String, String)>, Vec<String>),
    ) -> Body {
        let (before, action, after) = paragraphs;
        Body {
            subject,
            greeting: self.msg("mail-greeting", &[("name", display_name.into())]),
            before,
            action,
            after,
            footer: self.msg("mail-footer", &[("tenant", tenant_name.into())]),
        }
    }
}

fn body(message: &MailMessage, language: Language, links: &Links) -> Body {
    let say = Say(language.as_str());
    let url = |link: &Link| link.url(&links.public_url, links.path);
    match message {
        MailMessage::VerifyEmail {
            tenant_name,
            display_name,
            link,
            expires_hours,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            let paragraphs = (
                vec![say.msg("mail-verify-email-ask", &t)],
                Some((say.msg("mail-verify-email-action", &[]), url(link))),
                vec![
                    say.msg(
                        "mail-verify-email-expiry",
                        &[("expires_hours", (*expires_hours).into())],
                    ),
                    say.msg("mail-verify-email-ignore", &[]),
                ],
            );
            let subject = say.msg("mail-verify-email-subject", &t);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::RecoveryCode {
            tenant_name,
            display_name,
            code,
            expires_minutes,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            let paragraphs = (
                vec![say.msg("mail-recovery-code-intro", &t), code.clone()],
                None,
                vec![
                    say.msg(
                        "mail-recovery-code-expiry",
                        &[("expires_minutes", (*expires_minutes).into())],
                    ),
                    say.msg("mail-recovery-code-warning", &[]),
                ],
            );
            let subject = say.msg("mail-recovery-code-subject", &t);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::RecoveryWaiting {
            tenant_name,
            display_name,
            ready_at,
            time_zone,
            cancel_link,
        } => {
            let t = [
                ("tenant_name", Arg::from(tenant_name.as_str())),
                ("when", Arg::from(when(*ready_at, time_zone.as_deref()))),
            ];
            let paragraphs = (
                vec![say.msg("mail-recovery-waiting-intro", &t)],
                Some((
                    say.msg("mail-recovery-waiting-action", &[]),
                    url(cancel_link),
                )),
                vec![say.msg("mail-recovery-waiting-mine", &[])],
            );
            let subject = say.msg("mail-recovery-waiting-subject", &t);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::RecoveryReady {
            tenant_name,
            display_name,
            link,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            let paragraphs = (
                vec![say.msg("mail-recovery-ready-intro", &t)],
                Some((say.msg("mail-recovery-ready-action", &[]), url(link))),
                vec![say.msg("mail-recovery-ready-note", &[])],
            );
            let subject = say.msg("mail-recovery-ready-subject", &t);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::PasswordReset {
            tenant_name,
            display_name,
            link,
            expires_minutes,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            let paragraphs = (
                vec![say.msg("mail-password-reset-intro", &t)],
                Some((say.msg("mail-password-reset-action", &[]), url(link))),
                vec![
                    say.msg(
                        "mail-password-reset-expiry",
                        &[("expires_minutes", (*expires_minutes).into())],
                    ),
                    say.msg("mail-password-reset-note", &[]),
                ],
            );
            let subject = say.msg("mail-password-reset-subject", &t);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::NewSignIn {
            tenant_name,
            display_name,
            at,
            time_zone,
            browser,
            system,
            address,
        } => {
            let device = say.device(browser.as_deref(), system.as_deref());
            let mut facts = vec![say.msg(
                "mail-new-sign-in-happened",
                &[
                    ("when", when(*at, time_zone.as_deref()).into()),
                    ("tenant", tenant_name.as_str().into()),
                    ("device", device.as_str().into()),
                ],
            )];
            if let Some(address) = address {
                facts.push(say.msg(
                    "mail-new-sign-in-address",
                    &[("address", address.as_str().into())],
                ));
            }
            let paragraphs = (facts, None, vec![say.msg("mail-new-sign-in-advice", &[])]);
            let subject = say.msg(
                "mail-new-sign-in-subject",
                &[("tenant", tenant_name.as_str().into())],
            );
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::PersonInvitation {
            tenant_name,
            display_name,
            username,
            link,
            expires_days,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            Body {
                subject: say.msg("mail-person-invitation-subject", &t),
                greeting: say.msg("mail-greeting", &[("name", display_name.as_str().into())]),
                before: vec![say.msg(
                    "mail-person-invitation-intro",
                    &[
                        ("tenant_name", Arg::from(tenant_name.as_str())),
                        ("username", Arg::from(username.as_str())),
                    ],
                )],
                action: Some((say.msg("mail-person-invitation-action", &[]), url(link))),
                after: vec![
                    say.msg(
                        "mail-person-invitation-expiry",
                        &[("expires_days", (*expires_days).into())],
                    ),
                    say.msg("mail-person-invitation-ignore", &[]),
                ],
                footer: say.msg("mail-footer", &[("tenant", tenant_name.as_str().into())]),
            }
        }
        MailMessage::AdminInvitation {
            tenant_name,
            link,
            expires_days,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            Body {
                subject: say.msg("mail-invitation-subject", &t),
                greeting: say.msg("mail-greeting-plain", &[]),
                before: vec![say.msg("mail-invitation-intro", &t)],
                action: Some((say.msg("mail-invitation-action", &[]), url(link))),
                after: vec![
                    say.msg(
                        "mail-invitation-expiry",
                        &[("expires_days", (*expires_days).into())],
                    ),
                    say.msg("mail-invitation-ignore", &[]),
                ],
                footer: say.msg("mail-footer", &[("tenant", tenant_name.as_str().into())]),
            }
        }
        MailMessage::ActivationDecided {
            tenant_name,
            display_name,
            approved,
            reason,
            link,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            let word = if *approved { "approved" } else { "declined" };
            let mut before = vec![say.msg(&format!("mail-activation-{word}-intro"), &t)];
            if let Some(reason) = reason {
                before.push(say.msg(
                    "mail-activation-reason",
                    &[("reason", reason.as_str().into())],
                ));
            }
            let after = if *approved {
                vec![]
            } else {
                vec![say.msg("mail-activation-declined-next", &[])]
            };
            let paragraphs = (
                before,
                Some((say.msg("mail-activation-action", &[]), url(link))),
                after,
            );
            let subject = say.msg(&format!("mail-activation-{word}-subject"), &t);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::ReadinessReminder {
            tenant_name,
            display_name,
            missing,
            link,
        } => {
            let t = [("tenant_name", Arg::from(tenant_name.as_str()))];
            let mut before = vec![
                say.msg("mail-readiness-intro", &t),
                say.msg("mail-readiness-lacking", &[]),
            ];
            before.extend(missing.iter().map(|m| {
                say.msg(
                    &format!("mail-readiness-missing-{}", m.as_str().replace('_', "-")),
                    &[],
                )
            }));
            let paragraphs = (
                before,
                Some((say.msg("mail-readiness-action", &[]), url(link))),
                vec![say.msg("mail-readiness-note", &[])],
            );
            let subject = say.msg("mail-readiness-subject", &t);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
        MailMessage::SecurityNotice {
            tenant_name,
            display_name,
            event,
            at,
            time_zone,
            helpdesk_url,
            origin,
        } => {
            let key = event_key(*event);
            let what = say.msg(&format!("mail-security-{key}-what"), &[]);
            let happened = say.msg(
                "mail-security-happened",
                &[
                    ("when", when(*at, time_zone.as_deref()).into()),
                    ("what", what.into()),
                    ("tenant", tenant_name.as_str().into()),
                ],
            );
            let advice = advice(*event);
            // Where the advice is "contact your helpdesk", its address is
            // the mail's button.
            let action = helpdesk_url
                .as_ref()
                .filter(|_| advice.contact_helpdesk)
                .map(|url| (say.msg("mail-security-helpdesk-action", &[]), url.clone()));
            let mut facts = vec![happened];
            // where the person's request came from (the victim of a
            // takeover learns which browser did it)
            if origin.browser.is_some() || origin.system.is_some() {
                let device = say.device(origin.browser.as_deref(), origin.system.as_deref());
                facts.push(say.msg("mail-security-from", &[("device", device.into())]));
            }
            if let Some(address) = &origin.address {
                facts.push(say.msg(
                    "mail-security-address",
                    &[("address", address.as_str().into())],
                ));
            }
            facts.push(say.msg(advice.key, &[]));
            let paragraphs = (facts, action, vec![]);
            let subject = say.msg(&format!("mail-security-{key}-subject"), &[]);
            say.body(tenant_name, display_name, subject, paragraphs)
        }
    }
}

/// What a security notice advises.
struct Advice {
    key: &'static str,
    /// The advice is to contact the helpdesk (its address becomes the
    /// mail's button where the tenant has one).
    contact_helpdesk: bool,
}

/// The advice that fits `event`. "If this was you, there is nothing to do"
/// is said only where the person could have done it themselves; never to
/// someone an administrator acted on, nor to someone who may no longer be
/// able to sign in ("sign in and change your password" would be no way
/// forward after a takeover).
fn advice(event: SecurityEvent) -> Advice {
    use SecurityEvent::*;
    let (key, contact_helpdesk) = match event {
        // done while signed in: whoever did it knows the password
        TotpAdded
        | TotpRemoved
        | TotpRemovedWithCodes
        | PasskeyAdded
        | PasskeyRemoved
        | PasskeyRemovedWithCodes
        | RecoveryCodesRegenerated => ("mail-security-advice-own", false),
        // the old password no longer signs in
        PasswordChanged => ("mail-security-advice-password", false),
        SecondFactorGuessing => ("mail-security-advice-guessing", false),
        // nothing changed, but someone may be trying
        RecoveryCancelled | RecoveryLocked | RecoveryNotForAdmins => {
            ("mail-security-advice-attempt", false)
        }
        // every factor is gone and every device signed out
        RecoveryCompleted => ("mail-security-advice-recovered", true),
        FactorsReset => ("mail-security-advice-reset", true),
        // the old address: cancel while signed in, or the ways back in
        EmailChangeRequested => ("mail-security-advice-email-requested", false),
        // the old address no longer hears from the account
        EmailChanged => ("mail-security-advice-email-changed", true),
        // the owner's own use may be what revealed the copy
        PasskeyCloneSuspected => ("mail-security-clone-advice", false),
    };
    Advice {
        key,
        contact_helpdesk,
    }
}

/// The part of the catalogue keys that names `event`.
fn event_key(event: SecurityEvent) -> &'static str {
    use SecurityEvent::*;
    match event {
        TotpAdded => "totp-added",
        TotpRemoved => "totp-removed",
        TotpRemovedWithCodes => "totp-removed-with-codes",
        PasskeyAdded => "passkey-added",
        PasskeyRemoved => "passkey-removed",
        PasskeyRemovedWithCodes => "passkey-removed-with-codes",
        PasskeyCloneSuspected => "passkey-clone-suspected",
        RecoveryCancelled => "recovery-cancelled",
        RecoveryCompleted => "recovery-completed",
        RecoveryLocked => "recovery-locked",
        FactorsReset => "factors-reset",
        RecoveryNotForAdmins => "recovery-not-for-admins",
        RecoveryCodesRegenerated => "recovery-codes-regenerated",
        PasswordChanged => "password-changed",
        SecondFactorGuessing => "second-factor-guessing",
        EmailChangeRequested => "email-change-requested",
        EmailChanged => "email-changed",
    }
}

/// When something happened or will, on the organisation's clock:
/// "2027-01-15 09:00 CET (Europe/Zurich)", or "2027-01-15 08:00 UTC".
fn when(at: i64, time_zone: Option<&str>) -> String {
    let zone = time_zone.and_then(Zone::named).unwrap_or_else(Zone::utc);
    let shown = zone.at(UnixTime(at));
    if zone.is_utc() {
        shown
    } else {
        format!("{shown} ({})", zone.name())
    }
}

/// How a message's links become addresses: the server's public address and
/// the path of each page (the web layer's routes).
#[derive(Clone)]
pub struct Links {
    pub public_url: String,
    pub path: fn(&Page) -> String,
}

/// Renders `message` in `language`.
pub fn render(
    message: &MailMessage,
    language: Language,
    links: &Links,
) -> Result<Rendered, askama::Error> {
    let b = body(message, language, links);
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
    use latchkey_core::effects::mail::Origin;
    use latchkey_core::factors::enrolment::{Missing, Readiness};

    fn links() -> Links {
        Links {
            public_url: "https://id.example/".into(),
            path: |page| match page {
                Page::VerifyEmail { tenant, token } => {
                    format!("/t/{tenant}/verify-email?token={token}&x=1")
                }
                Page::CancelRecovery { tenant, token } => {
                    format!("/t/{tenant}/recover/cancel?token={token}")
                }
                _ => unreachable!(),
            },
        }
    }

    fn verify(name: &str) -> MailMessage {
        MailMessage::VerifyEmail {
            tenant_name: "Acme".into(),
            display_name: name.into(),
            link: Link::Page(Page::VerifyEmail {
                tenant: "acme".into(),
                token: "abc".into(),
            }),
            expires_hours: 24,
        }
    }

    #[test]
    fn every_language_renders_text_and_html() {
        for (lang, subject) in [
            (Language::En, "Confirm your email address for Acme"),
            (Language::De, "Bestätigen Sie Ihre E-Mail-Adresse für Acme"),
            (Language::Fr, "Confirmez votre adresse e-mail pour Acme"),
            (Language::It, "Confermi il suo indirizzo e-mail per Acme"),
        ] {
            let r = render(&verify("Alice"), lang, &links()).unwrap();
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
    fn security_notices_in_every_language() {
        for lang in Language::ALL {
            for event in SecurityEvent::ALL {
                let m = MailMessage::SecurityNotice {
                    tenant_name: "Acme".into(),
                    display_name: "Alice".into(),
                    event,
                    at: 1_800_000_000,
                    time_zone: None,
                    helpdesk_url: None,
                    origin: Origin::default(),
                };
                let r = render(&m, *lang, &links()).unwrap();
                assert!(
                    r.text.contains("2027-01-15 08:00 UTC"),
                    "{lang} {event:?}: {}",
                    r.text
                );
                assert!(r.text.contains("Acme"));
                assert!(!r.subject.is_empty());
            }
        }
        assert_eq!(when(0, None), "1970-01-01 00:00 UTC");
        assert_eq!(
            when(951_782_400, Some("Mars/Olympus")),
            "2000-02-29 00:00 UTC"
        );
    }

    /// Mails show times on the organisation's clock and name its zone; a
    /// message queued before the zone was part of it shows UTC.
    #[test]
    fn times_are_on_the_organisations_clock() {
        let m = MailMessage::SecurityNotice {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            event: SecurityEvent::PasswordChanged,
            at: 1_800_000_000,
            time_zone: Some("Europe/Zurich".into()),
            helpdesk_url: None,
            origin: Origin::default(),
        };
        let r = render(&m, Language::De, &links()).unwrap();
        assert!(
            r.text.contains("2027-01-15 09:00 CET (Europe/Zurich)"),
            "{}",
            r.text
        );
        let waiting = MailMessage::RecoveryWaiting {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            // 2027-07-02 08:00 UTC: summer time in Zurich
            ready_at: 1_814_515_200,
            time_zone: Some("Europe/Zurich".into()),
            cancel_link: Link::Page(Page::CancelRecovery {
                tenant: "acme".into(),
                token: "abc".into(),
            }),
        };
        let r = render(&waiting, Language::En, &links()).unwrap();
        assert!(
            r.text.contains("2027-07-02 10:00 CEST (Europe/Zurich)"),
            "{}",
            r.text
        );
        let stored =
            r#"{"kind":"new_sign_in","tenant_name":"Acme","display_name":"Alice","at":1800000000}"#;
        let old: MailMessage = serde_json::from_str(stored).unwrap();
        let r = render(&old, Language::En, &links()).unwrap();
        assert!(r.text.contains("2027-01-15 08:00 UTC"), "{}", r.text);
    }

    /// Every kind of mail, each security notice among them.
    fn every_mail() -> Vec<MailMessage> {
        let page = || {
            Link::Page(Page::VerifyEmail {
                tenant: "acme".into(),
                token: "abc".into(),
            })
        };
        let (tenant_name, display_name) = (String::from("Acme"), String::from("Alice"));
        let mut all = vec![
            verify("Alice"),
            MailMessage::RecoveryCode {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                code: "12345678".into(),
                expires_minutes: 10,
            },
            MailMessage::RecoveryWaiting {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                ready_at: 1_800_000_000,
                time_zone: Some("Europe/Zurich".into()),
                cancel_link: page(),
            },
            MailMessage::RecoveryReady {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                link: page(),
            },
            MailMessage::PasswordReset {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                link: page(),
                expires_minutes: 1,
            },
            MailMessage::NewSignIn {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                at: 1_800_000_000,
                time_zone: None,
                browser: Some("Firefox".into()),
                system: Some("Linux".into()),
                address: Some("192.0.2.x".into()),
            },
            MailMessage::NewSignIn {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                at: 1_800_000_000,
                time_zone: None,
                browser: None,
                system: None,
                address: None,
            },
            MailMessage::AdminInvitation {
                tenant_name: tenant_name.clone(),
                link: page(),
                expires_days: 7,
            },
            MailMessage::PersonInvitation {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                username: "ada".into(),
                link: page(),
                expires_days: 7,
            },
            MailMessage::ActivationDecided {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                approved: true,
                reason: None,
                link: page(),
            },
            MailMessage::ActivationDecided {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                approved: false,
                reason: Some("X-42".into()),
                link: page(),
            },
        ];
        for readiness in Readiness::every().filter(|r| !r.ready()) {
            all.push(MailMessage::ReadinessReminder {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                missing: readiness.missing(),
                link: page(),
            });
        }
        for event in SecurityEvent::ALL {
            all.push(MailMessage::SecurityNotice {
                tenant_name: tenant_name.clone(),
                display_name: display_name.clone(),
                event,
                at: 1_800_000_000,
                time_zone: None,
                helpdesk_url: Some("https://help.acme.example/it".into()),
                origin: Origin {
                    browser: Some("Firefox".into()),
                    system: Some("Linux".into()),
                    address: Some("192.0.2.x".into()),
                },
            });
        }
        all
    }

    fn notice(event: SecurityEvent, helpdesk_url: Option<&str>) -> Rendered {
        let m = MailMessage::SecurityNotice {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            event,
            at: 1_800_000_000,
            time_zone: None,
            helpdesk_url: helpdesk_url.map(str::to_owned),
            origin: Origin::default(),
        };
        render(&m, Language::En, &links()).unwrap()
    }

    /// Advice that fits the event (issue 14, "Mails"): "If this was you"
    /// only where the person could have done it; after a takeover or an
    /// administrator's reset, the helpdesk and its address, not "sign in
    /// and change your password".
    #[test]
    fn security_advice_fits_the_event() {
        use SecurityEvent::*;
        let help = Some("https://help.acme.example/");
        // never "If this was you" to the person an administrator acted on
        assert!(!notice(FactorsReset, help).text.contains("If this was you"));
        for event in [FactorsReset, RecoveryCompleted] {
            let r = notice(event, help);
            assert!(!r.text.contains("sign in and change"), "{}", r.text);
            assert!(r.text.contains("helpdesk"), "{}", r.text);
            assert!(r.text.contains("https://help.acme.example/"), "{}", r.text);
            assert!(r.html.contains("href=\"https://help.acme.example/\""));
            // without an address, the advice stands alone
            let r = notice(event, None);
            assert!(r.text.contains("helpdesk") && !r.text.contains("https://"));
        }
        assert!(notice(FactorsReset, None).text.contains("An administrator"));
        let r = notice(PasswordChanged, help);
        assert!(r.text.contains("Forgot password"), "{}", r.text);
        assert!(!r.text.contains("https://help"), "no helpdesk button");
        assert!(notice(TotpAdded, None).text.contains("If this was you"));
        for event in [RecoveryLocked, RecoveryCancelled] {
            assert!(notice(event, None).text.contains("Nothing changed"));
        }
        // the last factor took the codes: the mail says so
        for event in [TotpRemovedWithCodes, PasskeyRemovedWithCodes] {
            let r = notice(event, None);
            assert!(
                r.text.contains("recovery codes were removed too"),
                "{}",
                r.text
            );
        }
        assert!(!notice(TotpRemoved, None).text.contains("recovery codes"));
    }

    /// A notice caused by a person's request says which browser and roughly
    /// where from; one without (an administrator's) says nothing of it.
    #[test]
    fn notices_say_where_the_request_came_from() {
        let m = MailMessage::SecurityNotice {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            event: SecurityEvent::RecoveryCompleted,
            at: 1_800_000_000,
            time_zone: None,
            helpdesk_url: None,
            origin: Origin {
                browser: Some("Chrome".into()),
                system: Some("Android".into()),
                address: Some("198.51.100.x".into()),
            },
        };
        let en = render(&m, Language::En, &links()).unwrap();
        assert!(en.text.contains("Chrome on Android"), "{}", en.text);
        assert!(en.text.contains("198.51.100.x"), "{}", en.text);
        let de = render(&m, Language::De, &links()).unwrap();
        assert!(de.text.contains("Chrome auf Android"), "{}", de.text);
        let quiet = notice(SecurityEvent::FactorsReset, None);
        assert!(!quiet.text.contains(" with ") && !quiet.text.contains("address"));
    }

    /// A notice written to the outbox before the helpdesk address was part
    /// of it still renders.
    #[test]
    fn notices_queued_before_the_helpdesk_address_still_render() {
        let stored = r#"{"kind":"security_notice","tenant_name":"Acme","display_name":"Alice","event":"factors_reset","at":1800000000}"#;
        let m: MailMessage = serde_json::from_str(stored).unwrap();
        assert!(render(&m, Language::De, &links()).is_ok());
    }

    #[test]
    fn mails_in_other_languages_have_no_english_left() {
        let italian = render(&every_mail()[1], Language::It, &links()).unwrap();
        assert_eq!(
            italian.subject,
            "Il suo codice per il recupero dell'account Acme"
        );
        assert!(
            italian.text.starts_with("Gentile Alice,")
                && italian.text.contains("È valido per 10 minuti.")
                && italian.html.contains("lang=\"it\""),
            "{}",
            italian.text
        );
        let reset = render(&every_mail()[4], Language::It, &links()).unwrap();
        assert!(reset.text.contains("per 1 minuto."), "{}", reset.text);
        for lang in Language::ALL.iter().filter(|l| **l != Language::En) {
            for mail in every_mail() {
                let r = render(&mail, *lang, &links()).unwrap();
                for part in [&r.subject, &r.text, &r.html] {
                    let english = catalogue().english_in(lang.as_str(), part);
                    assert!(english.is_empty(), "{lang}: {english:?} in {part}");
                }
            }
        }
    }

    /// The reminder names what the person lacks, each on its own line, and
    /// leads to their account page.
    #[test]
    fn the_readiness_reminder_names_what_is_missing() {
        let m = MailMessage::ReadinessReminder {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            missing: vec![Missing::VerifiedAddress],
            link: Link::Page(Page::VerifyEmail {
                tenant: "acme".into(),
                token: "abc".into(),
            }),
        };
        let r = render(&m, Language::En, &links()).unwrap();
        assert_eq!(
            r.subject,
            "Prepare your Acme account for losing a second factor"
        );
        assert!(r.text.contains("a confirmed email address"), "{}", r.text);
        assert!(!r.text.contains("recovery codes,"), "{}", r.text);
        assert!(r.html.contains("Open your account"), "{}", r.html);
        let m = MailMessage::ReadinessReminder {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            missing: vec![Missing::RecoveryCodes, Missing::SpareFactor],
            link: Link::Page(Page::VerifyEmail {
                tenant: "acme".into(),
                token: "abc".into(),
            }),
        };
        let r = render(&m, Language::De, &links()).unwrap();
        assert!(r.text.contains("Wiederherstellungscodes"), "{}", r.text);
        assert!(r.text.contains("zweiter Faktor in Reserve"), "{}", r.text);
        assert!(!r.text.contains("bestätigte E-Mail-Adresse"), "{}", r.text);
    }

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let r = render(&verify("<b>Mallory</b> & co"), Language::En, &links()).unwrap();
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
