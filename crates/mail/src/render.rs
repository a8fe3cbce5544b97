//! Mail text in English, German and French. Every message is a greeting,
//! paragraphs, an optional action link and a footer, rendered as plain text
//! and as HTML (escaped by askama).

use askama::Template;
use latchkey_core::effects::mail::{Language, MailMessage, SecurityEvent};

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
        MailMessage::RecoveryCode {
            tenant_name,
            display_name,
            code,
            expires_minutes,
        } => {
            let (subject, greeting, intro, expiry, warning) = match language {
                Language::En => (
                    format!("Your account recovery code for {tenant_name}"),
                    format!("Hello {display_name},"),
                    format!("someone — hopefully you — is recovering your {tenant_name} account after losing its second factors. The code is:"),
                    format!("It works for {expires_minutes} minutes. Never tell it to anyone, not even someone from your organisation."),
                    "If this was not you, do nothing and tell your administrator: without this code nobody can recover your account from this address.".to_owned(),
                ),
                Language::De => (
                    format!("Ihr Code zur Kontowiederherstellung bei {tenant_name}"),
                    format!("Hallo {display_name},"),
                    format!("jemand – hoffentlich Sie – stellt Ihr Konto bei {tenant_name} wieder her, nachdem die zweiten Faktoren verloren gingen. Der Code lautet:"),
                    format!("Er gilt {expires_minutes} Minuten. Geben Sie ihn niemandem weiter, auch nicht Ihrer Organisation."),
                    "Wenn Sie das nicht waren, tun Sie nichts und informieren Sie Ihre Administration: Ohne diesen Code kann niemand Ihr Konto über diese Adresse wiederherstellen.".to_owned(),
                ),
                Language::Fr => (
                    format!("Votre code de récupération de compte pour {tenant_name}"),
                    format!("Bonjour {display_name},"),
                    format!("quelqu'un – vous, espérons-le – récupère votre compte {tenant_name} après la perte de ses seconds facteurs. Le code est :"),
                    format!("Il est valable {expires_minutes} minutes. Ne le communiquez à personne, pas même à votre organisation."),
                    "Si ce n'était pas vous, ne faites rien et prévenez votre administrateur : sans ce code, personne ne peut récupérer votre compte depuis cette adresse.".to_owned(),
                ),
            };
            Body {
                subject,
                greeting,
                before: vec![intro, code.clone()],
                action: None,
                after: vec![expiry, warning],
                footer: footer(language, tenant_name),
            }
        }
        MailMessage::RecoveryWaiting {
            tenant_name,
            display_name,
            ready_at,
            cancel_link,
        } => {
            let when = utc(*ready_at);
            let (subject, greeting, intro, action, mine) = match language {
                Language::En => (
                    format!("Your {tenant_name} account will be recovered on {when}"),
                    format!("Hello {display_name},"),
                    format!("an account recovery for your {tenant_name} account was proven. On {when} it can be completed: every second factor of the account will then be removed and new ones set up. If this is not you, cancel it now:"),
                    "Cancel this recovery".to_owned(),
                    "If it is you, there is nothing to do until then; continue in the browser where you started.".to_owned(),
                ),
                Language::De => (
                    format!("Ihr Konto bei {tenant_name} wird am {when} wiederhergestellt"),
                    format!("Hallo {display_name},"),
                    format!("eine Kontowiederherstellung für Ihr Konto bei {tenant_name} wurde nachgewiesen. Ab {when} kann sie abgeschlossen werden: Dann werden alle zweiten Faktoren des Kontos entfernt und neue eingerichtet. Wenn Sie das nicht sind, brechen Sie sie jetzt ab:"),
                    "Wiederherstellung abbrechen".to_owned(),
                    "Wenn Sie es sind, ist bis dahin nichts zu tun; machen Sie im Browser weiter, in dem Sie begonnen haben.".to_owned(),
                ),
                Language::Fr => (
                    format!("Votre compte {tenant_name} sera récupéré le {when}"),
                    format!("Bonjour {display_name},"),
                    format!("une récupération de votre compte {tenant_name} a été prouvée. À partir du {when}, elle pourra être terminée : tous les seconds facteurs du compte seront alors supprimés et de nouveaux configurés. Si ce n'est pas vous, annulez-la maintenant :"),
                    "Annuler cette récupération".to_owned(),
                    "Si c'est vous, il n'y a rien à faire d'ici là ; continuez dans le navigateur où vous avez commencé.".to_owned(),
                ),
            };
            Body {
                subject,
                greeting,
                before: vec![intro],
                action: Some((action, cancel_link.clone())),
                after: vec![mine],
                footer: footer(language, tenant_name),
            }
        }
        MailMessage::RecoveryReady {
            tenant_name,
            display_name,
            link,
        } => {
            let (subject, greeting, intro, action, note) = match language {
                Language::En => (
                    format!("You can finish recovering your {tenant_name} account"),
                    format!("Hello {display_name},"),
                    format!("the waiting period of your {tenant_name} account recovery is over. Finish it in the browser where you started:"),
                    "Finish the recovery".to_owned(),
                    "The link works only in that browser. If you did not start this recovery, tell your administrator now.".to_owned(),
                ),
                Language::De => (
                    format!("Sie können die Wiederherstellung Ihres Kontos bei {tenant_name} abschließen"),
                    format!("Hallo {display_name},"),
                    format!("die Wartezeit der Wiederherstellung Ihres Kontos bei {tenant_name} ist vorbei. Schließen Sie sie in dem Browser ab, in dem Sie begonnen haben:"),
                    "Wiederherstellung abschließen".to_owned(),
                    "Der Link funktioniert nur in diesem Browser. Wenn Sie diese Wiederherstellung nicht begonnen haben, informieren Sie sofort Ihre Administration.".to_owned(),
                ),
                Language::Fr => (
                    format!("Vous pouvez terminer la récupération de votre compte {tenant_name}"),
                    format!("Bonjour {display_name},"),
                    format!("le délai d'attente de la récupération de votre compte {tenant_name} est écoulé. Terminez-la dans le navigateur où vous l'avez commencée :"),
                    "Terminer la récupération".to_owned(),
                    "Le lien ne fonctionne que dans ce navigateur. Si vous n'avez pas commencé cette récupération, prévenez immédiatement votre administrateur.".to_owned(),
                ),
            };
            Body {
                subject,
                greeting,
                before: vec![intro],
                action: Some((action, link.clone())),
                after: vec![note],
                footer: footer(language, tenant_name),
            }
        }
        MailMessage::PasswordReset {
            tenant_name,
            display_name,
            link,
            expires_minutes,
        } => {
            let (subject, greeting, intro, action, expiry, note) = match language {
                Language::En => (
                    format!("Set a new password for {tenant_name}"),
                    format!("Hello {display_name},"),
                    format!("someone asked to set a new password for your {tenant_name} account. To do so, open this link:"),
                    "Set a new password".to_owned(),
                    format!("It works once, for {expires_minutes} minutes."),
                    "A new password does not change your second factors: signing in still asks for them. If you did not ask for this, ignore this message.".to_owned(),
                ),
                Language::De => (
                    format!("Neues Passwort für {tenant_name}"),
                    format!("Hallo {display_name},"),
                    format!("jemand möchte ein neues Passwort für Ihr Konto bei {tenant_name} festlegen. Öffnen Sie dazu diesen Link:"),
                    "Neues Passwort festlegen".to_owned(),
                    format!("Er funktioniert einmal, {expires_minutes} Minuten lang."),
                    "Ein neues Passwort ändert Ihre zweiten Faktoren nicht: Die Anmeldung fragt weiterhin danach. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.".to_owned(),
                ),
                Language::Fr => (
                    format!("Définir un nouveau mot de passe pour {tenant_name}"),
                    format!("Bonjour {display_name},"),
                    format!("quelqu'un a demandé un nouveau mot de passe pour votre compte {tenant_name}. Pour le définir, ouvrez ce lien :"),
                    "Définir un nouveau mot de passe".to_owned(),
                    format!("Il ne fonctionne qu'une fois, pendant {expires_minutes} minutes."),
                    "Un nouveau mot de passe ne change pas vos seconds facteurs : la connexion les demande toujours. Si vous n'avez rien demandé, ignorez ce message.".to_owned(),
                ),
            };
            Body {
                subject,
                greeting,
                before: vec![intro],
                action: Some((action, link.clone())),
                after: vec![expiry, note],
                footer: footer(language, tenant_name),
            }
        }
        MailMessage::SecurityNotice {
            tenant_name,
            display_name,
            event,
            at,
        } => security_body(language, tenant_name, display_name, *event, *at),
    }
}

/// "2026-11-27 04:10 UTC".
fn utc(at: i64) -> String {
    let days = at.div_euclid(86_400);
    let secs = at.rem_euclid(86_400);
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

fn security_body(
    language: Language,
    tenant: &str,
    name: &str,
    event: SecurityEvent,
    at: i64,
) -> Body {
    use SecurityEvent::*;
    let when = utc(at);
    let (subject, what) = match (language, event) {
        (Language::En, TotpAdded) => (
            "An authenticator app was added to your account",
            "an authenticator app was added as a second factor",
        ),
        (Language::En, TotpRemoved) => (
            "An authenticator app was removed from your account",
            "an authenticator app was removed from your second factors",
        ),
        (Language::En, PasskeyAdded) => (
            "A passkey was added to your account",
            "a passkey or security key was added as a second factor",
        ),
        (Language::En, PasskeyRemoved) => (
            "A passkey was removed from your account",
            "a passkey or security key was removed from your second factors",
        ),
        (Language::En, PasskeyCloneSuspected) => (
            "A passkey on your account may have been copied",
            "one of your passkeys or security keys answered with a signature counter it had already used, a sign that it was copied; it no longer signs in",
        ),
        (Language::En, RecoveryCancelled) => (
            "Your account recovery was cancelled",
            "an account recovery that was in progress was cancelled; your second factors are unchanged",
        ),
        (Language::En, RecoveryCompleted) => (
            "Your account was recovered",
            "your account was recovered: every second factor was removed and all devices were signed out",
        ),
        (Language::En, RecoveryLocked) => (
            "Your account recovery was locked",
            "an account recovery was locked after too many wrong codes; nothing changed",
        ),
        (Language::En, FactorsReset) => (
            "Your second factors were reset",
            "an administrator removed every second factor of your account and signed out all devices",
        ),
        (Language::En, RecoveryNotForAdmins) => (
            "Account recovery is not available for your account",
            "an account recovery was asked for; administrators are not recovered this way — ask another administrator or your operator to reset your second factors",
        ),
        (Language::En, RecoveryCodesRegenerated) => (
            "New recovery codes were created for your account",
            "new recovery codes were created; the old ones no longer work",
        ),
        (Language::En, PasswordChanged) => {
            ("Your password was changed", "your password was changed")
        }
        (Language::En, SecondFactorGuessing) => (
            "Someone is trying to sign in to your account",
            "your password was entered correctly, followed by many wrong codes",
        ),
        (Language::De, TotpAdded) => (
            "Eine Authenticator-App wurde zu Ihrem Konto hinzugefügt",
            "eine Authenticator-App wurde als zweiter Faktor hinzugefügt",
        ),
        (Language::De, TotpRemoved) => (
            "Eine Authenticator-App wurde von Ihrem Konto entfernt",
            "eine Authenticator-App wurde aus Ihren zweiten Faktoren entfernt",
        ),
        (Language::De, PasskeyAdded) => (
            "Ein Passkey wurde zu Ihrem Konto hinzugefügt",
            "ein Passkey oder Sicherheitsschlüssel wurde als zweiter Faktor hinzugefügt",
        ),
        (Language::De, PasskeyRemoved) => (
            "Ein Passkey wurde von Ihrem Konto entfernt",
            "ein Passkey oder Sicherheitsschlüssel wurde aus Ihren zweiten Faktoren entfernt",
        ),
        (Language::De, PasskeyCloneSuspected) => (
            "Ein Passkey Ihres Kontos wurde möglicherweise kopiert",
            "einer Ihrer Passkeys oder Sicherheitsschlüssel antwortete mit einem Signaturzähler, den er schon verwendet hatte – ein Zeichen, dass er kopiert wurde; er meldet nicht mehr an",
        ),
        (Language::De, RecoveryCancelled) => (
            "Ihre Kontowiederherstellung wurde abgebrochen",
            "eine laufende Kontowiederherstellung wurde abgebrochen; Ihre zweiten Faktoren sind unverändert",
        ),
        (Language::De, RecoveryCompleted) => (
            "Ihr Konto wurde wiederhergestellt",
            "Ihr Konto wurde wiederhergestellt: Alle zweiten Faktoren wurden entfernt und alle Geräte abgemeldet",
        ),
        (Language::De, RecoveryLocked) => (
            "Ihre Kontowiederherstellung wurde gesperrt",
            "eine Kontowiederherstellung wurde nach zu vielen falschen Codes gesperrt; nichts wurde geändert",
        ),
        (Language::De, FactorsReset) => (
            "Ihre zweiten Faktoren wurden zurückgesetzt",
            "die Administration hat alle zweiten Faktoren Ihres Kontos entfernt und alle Geräte abgemeldet",
        ),
        (Language::De, RecoveryNotForAdmins) => (
            "Kontowiederherstellung ist für Ihr Konto nicht verfügbar",
            "eine Kontowiederherstellung wurde angefordert; Administratorkonten werden so nicht wiederhergestellt — bitten Sie eine andere Administration oder Ihren Betreiber, Ihre zweiten Faktoren zurückzusetzen",
        ),
        (Language::De, RecoveryCodesRegenerated) => (
            "Neue Wiederherstellungscodes für Ihr Konto",
            "neue Wiederherstellungscodes wurden erstellt; die alten gelten nicht mehr",
        ),
        (Language::De, PasswordChanged) => {
            ("Ihr Passwort wurde geändert", "Ihr Passwort wurde geändert")
        }
        (Language::De, SecondFactorGuessing) => (
            "Jemand versucht, sich bei Ihrem Konto anzumelden",
            "Ihr Passwort wurde richtig eingegeben, danach viele falsche Codes",
        ),
        (Language::Fr, TotpAdded) => (
            "Une application d'authentification a été ajoutée à votre compte",
            "une application d'authentification a été ajoutée comme second facteur",
        ),
        (Language::Fr, TotpRemoved) => (
            "Une application d'authentification a été retirée de votre compte",
            "une application d'authentification a été retirée de vos seconds facteurs",
        ),
        (Language::Fr, PasskeyAdded) => (
            "Une clé d'accès a été ajoutée à votre compte",
            "une clé d'accès ou clé de sécurité a été ajoutée comme second facteur",
        ),
        (Language::Fr, PasskeyRemoved) => (
            "Une clé d'accès a été retirée de votre compte",
            "une clé d'accès ou clé de sécurité a été retirée de vos seconds facteurs",
        ),
        (Language::Fr, PasskeyCloneSuspected) => (
            "Une clé d'accès de votre compte a peut-être été copiée",
            "une de vos clés d'accès ou clés de sécurité a répondu avec un compteur de signatures déjà utilisé, signe qu'elle a été copiée ; elle ne permet plus de se connecter",
        ),
        (Language::Fr, RecoveryCancelled) => (
            "La récupération de votre compte a été annulée",
            "une récupération de compte en cours a été annulée ; vos seconds facteurs sont inchangés",
        ),
        (Language::Fr, RecoveryCompleted) => (
            "Votre compte a été récupéré",
            "votre compte a été récupéré : tous les seconds facteurs ont été supprimés et tous les appareils déconnectés",
        ),
        (Language::Fr, RecoveryLocked) => (
            "La récupération de votre compte a été bloquée",
            "une récupération de compte a été bloquée après trop de codes erronés ; rien n'a changé",
        ),
        (Language::Fr, FactorsReset) => (
            "Vos seconds facteurs ont été réinitialisés",
            "un administrateur a supprimé tous les seconds facteurs de votre compte et déconnecté tous les appareils",
        ),
        (Language::Fr, RecoveryNotForAdmins) => (
            "La récupération n'est pas disponible pour votre compte",
            "une récupération de compte a été demandée ; les comptes administrateurs ne sont pas récupérés ainsi — demandez à un autre administrateur ou à votre opérateur de réinitialiser vos seconds facteurs",
        ),
        (Language::Fr, RecoveryCodesRegenerated) => (
            "De nouveaux codes de récupération ont été créés",
            "de nouveaux codes de récupération ont été créés ; les anciens ne fonctionnent plus",
        ),
        (Language::Fr, PasswordChanged) => (
            "Votre mot de passe a été modifié",
            "votre mot de passe a été modifié",
        ),
        (Language::Fr, SecondFactorGuessing) => (
            "Quelqu'un essaie de se connecter à votre compte",
            "votre mot de passe a été saisi correctement, suivi de nombreux codes erronés",
        ),
    };
    let (greeting, happened, warning) = match language {
        Language::En => (
            format!("Hello {name},"),
            format!("on {when}, {what} on your {tenant} account."),
            "If this was you, there is nothing to do. If it was not, sign in and change your password at once, and tell your administrator.".to_owned(),
        ),
        Language::De => (
            format!("Hallo {name},"),
            format!("am {when} wurde in Ihrem Konto bei {tenant} Folgendes geändert: {what}."),
            "Wenn Sie das waren, ist nichts zu tun. Wenn nicht, melden Sie sich sofort an, ändern Sie Ihr Passwort und informieren Sie Ihre Administration.".to_owned(),
        ),
        Language::Fr => (
            format!("Bonjour {name},"),
            format!("le {when}, sur votre compte {tenant} : {what}."),
            "Si c'était vous, il n'y a rien à faire. Sinon, connectez-vous immédiatement, changez votre mot de passe et prévenez votre administrateur.".to_owned(),
        ),
    };
    let warning = if event == PasskeyCloneSuspected {
        clone_advice(language).to_owned()
    } else {
        warning
    };
    Body {
        subject: subject.to_owned(),
        greeting,
        before: vec![happened],
        action: None,
        after: vec![warning],
        footer: footer(language, tenant),
    }
}

/// What to do about a passkey that may have been copied: "if this was you"
/// does not fit, since the owner's own use may be what revealed the copy.
fn clone_advice(language: Language) -> &'static str {
    match language {
        Language::En => {
            "Sign in another way (another passkey, your authenticator app or a recovery code), remove this passkey on your account page, which signs out every other browser, and add the key again if you still trust it. If you did not copy it yourself, change your password too and tell your administrator."
        }
        Language::De => {
            "Melden Sie sich auf anderem Weg an (mit einem anderen Passkey, Ihrer Authenticator-App oder einem Wiederherstellungscode), entfernen Sie diesen Passkey auf Ihrer Kontoseite – das meldet alle anderen Browser ab – und fügen Sie den Schlüssel neu hinzu, wenn Sie ihm noch vertrauen. Wenn Sie ihn nicht selbst kopiert haben, ändern Sie auch Ihr Passwort und informieren Sie Ihre Administration."
        }
        Language::Fr => {
            "Connectez-vous autrement (une autre clé d'accès, votre application d'authentification ou un code de récupération), supprimez cette clé d'accès sur la page de votre compte, ce qui déconnecte tous les autres navigateurs, puis ajoutez la clé de nouveau si vous lui faites encore confiance. Si vous ne l'avez pas copiée vous-même, changez aussi votre mot de passe et prévenez votre administrateur."
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
    fn security_notices_in_every_language() {
        use SecurityEvent::*;
        for lang in Language::ALL {
            for event in [
                TotpAdded,
                TotpRemoved,
                RecoveryCodesRegenerated,
                PasswordChanged,
                SecondFactorGuessing,
                PasskeyCloneSuspected,
            ] {
                let m = MailMessage::SecurityNotice {
                    tenant_name: "Acme".into(),
                    display_name: "Alice".into(),
                    event,
                    at: 1_800_000_000,
                };
                let r = render(&m, *lang).unwrap();
                assert!(
                    r.text.contains("2027-01-15 08:00 UTC"),
                    "{lang} {event:?}: {}",
                    r.text
                );
                assert!(r.text.contains("Acme"));
                assert!(!r.subject.is_empty());
            }
        }
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
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
