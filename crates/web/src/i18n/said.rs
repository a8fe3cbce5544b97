//! Field errors from core, in the page's language.

use latchkey_core::effects::mail::Language;
use latchkey_core::platform::validate::{FieldError, Said, UriProblem};

/// A field error in the page's language (`lang` as in the page texts):
/// messages core marks as [`Said`] are translated, others stay English.
pub fn say(e: &FieldError, lang: Language) -> String {
    match (e.said.clone(), lang) {
        (Some(said), Language::De) => said_de(said),
        (Some(said), Language::Fr) => said_fr(said),
        _ => e.message.clone(),
    }
}

/// The first error, said as a sentence (for forms that show one line).
pub fn say_first(errors: &[FieldError], lang: Language) -> String {
    let text = errors.first().map(|e| say(e, lang)).unwrap_or_default();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// [`say`] after the field's name ("Password: …").
pub fn say_field(e: &FieldError, lang: Language) -> String {
    let lang = lang.as_str();
    let label = match (e.field.as_str(), lang) {
        ("password" | "new_password", "de") => "Passwort",
        ("password" | "new_password", "fr") => "Mot de passe",
        ("password" | "new_password", _) => "Password",
        ("email", "de") => "E-Mail-Adresse",
        ("email", "fr") => "Adresse e-mail",
        ("email", _) => "Email address",
        ("username", "de") => "Benutzername",
        ("username", "fr") => "Nom d'utilisateur",
        ("username", _) => "Username",
        ("name" | "display_name", "de") => "Name",
        ("name" | "display_name", "fr") => "Nom",
        ("name" | "display_name", _) => "Name",
        ("reason", "de") => "Grund",
        ("reason", "fr") => "Motif",
        ("reason", _) => "Reason",
        (other, _) => other,
    };
    let language = Language::parse(lang).unwrap_or(Language::En);
    format!("{label}: {}", say(e, language))
}

/// Every error, each after its field's name, in one line.
pub fn say_all(errors: &[FieldError], lang: Language) -> String {
    errors
        .iter()
        .map(|e| say_field(e, lang))
        .collect::<Vec<_>>()
        .join("; ")
}

fn said_de(said: Said) -> String {
    use Said::*;
    match said {
        Required => "ist erforderlich".into(),
        TooLong { len, max } => format!("ist {len} Zeichen lang; höchstens {max} sind erlaubt"),
        ControlCharacters => "darf keine Steuerzeichen enthalten (etwa Zeilenumbrüche oder Tabulatoren)".into(),
        PasswordTooShort { len, min } => format!(
            "ist {len} Zeichen lang; verwenden Sie mindestens {min} Zeichen (einige Wörter ohne Zusammenhang eignen sich gut)"
        ),
        PasswordRepeated => "darf nicht aus einem einzigen wiederholten Zeichen bestehen".into(),
        UsernameCharacters => "darf nur Buchstaben, Ziffern, '.', '_' und '-' enthalten (keine Leerzeichen, kein '@')".into(),
        EmailTooLong => "ist länger als 254 Zeichen".into(),
        EmailSpaces => "darf keine Leer- oder Steuerzeichen enthalten".into(),
        EmailShape => "muss wie name@example.com aussehen".into(),
        EmailLocalPart => "muss wie name@example.com aussehen (ein '@', davor höchstens 64 Zeichen)".into(),
        EmailDomain => "hat eine ungültige Domain; sie muss wie example.com aussehen".into(),
        EmailLocalCharacters => "ist keine Adresse, an die Mail gehen kann: vor dem '@' Buchstaben, Ziffern und Zeichen wie . _ + - verwenden (keine Anführungszeichen, Klammern, Kommas oder Leerzeichen und keinen Punkt am Anfang, am Ende oder doppelt)".into(),
        MixesScripts => "mischt Buchstaben verschiedener Schriften (etwa lateinische und kyrillische) und kann so mit einem anderen Namen verwechselt werden; verwenden Sie die Buchstaben einer Schrift (lateinische dürfen mit chinesischen, japanischen oder koreanischen Zeichen stehen)".into(),
        NotANameCharacter { ch } => format!(
            "enthält „{ch}“ (U+{:04X}), das in Namen nicht erlaubt ist, weil es leicht mit einem anderen Zeichen verwechselt wird; verwenden Sie die Buchstaben einer verbreiteten Schrift",
            u32::from(ch)
        ),
        PasskeyRequestExpired => "diese Passkey-Anfrage ist abgelaufen oder wurde schon verwendet; beginnen Sie neu".into(),
        PasskeyUnreadable => "die Passkey-Antwort des Browsers war nicht lesbar; versuchen Sie es noch einmal".into(),
        PasskeyNotVerified => "der Passkey konnte nicht geprüft werden; versuchen Sie es noch einmal".into(),
        PasskeyLimit { max } => format!(
            "Sie haben {max} Passkeys, mehr kann ein Konto nicht haben; entfernen Sie zuerst einen"
        ),
        PasskeyOnlyFactor => "Ihre Organisation verlangt einen zweiten Faktor, und dies ist Ihr einziger; fügen Sie zuerst einen weiteren Passkey oder eine Authenticator-App hinzu".into(),
        PasskeyAloneNotOffered => "diese Organisation bietet die Anmeldung nur mit Passkey nicht an; melden Sie sich mit Ihrem Passwort an".into(),
        ConfirmWithPasskey => "Ihr Konto hat einen Passkey: Bestätigen Sie damit statt mit dem Passwort".into(),
        TotpOnlyFactor => "Ihre Organisation verlangt einen zweiten Faktor, und dies ist Ihr einziger; für ein neues Telefon verwenden Sie „Ersetzen“".into(),
        TotpOfferExpired => "dieses Einrichtungsformular ist abgelaufen; beginnen Sie neu".into(),
        TotpChangedMeanwhile => "Ihre Authenticator-App wurde inzwischen geändert (in einem anderen Tab?); laden Sie die Kontoseite neu".into(),
        RecoveryChangedMeanwhile => "diese Wiederherstellung hat sich inzwischen geändert (in einem anderen Tab?); laden Sie die Seite neu".into(),
        RecoveryEnded => "diese Wiederherstellung ist beendet".into(),
        RecoveryNeedsProof => "zuerst sind weitere Nachweise nötig".into(),
        RecoveryWaiting => "die Wartezeit ist noch nicht vorbei".into(),
        RecoveryFinishedMeanwhile => "diese Wiederherstellung wurde inzwischen abgeschlossen oder beendet".into(),
        RecoverySwitchedOff => "die Selbstwiederherstellung wurde für diese Organisation ausgeschaltet".into(),
        PasswordRecentlyReset => "Ihr Passwort wurde kürzlich per E-Mail zurückgesetzt und zählt deshalb hier nicht neben dem gemailten Code; verwenden Sie einen Wiederherstellungscode".into(),
        OnlyAdminsAsk => "nur Administratoren der Organisation können dies beantragen".into(),
        RecoveryActiveAlready => "die Selbstwiederherstellung ist bereits eingeschaltet".into(),
        OnboardingFirst => "Ihre Organisation muss zuerst auf das neue Onboarding (v2) umsteigen; fragen Sie Ihren Betreiber".into(),
        RequestDecidedMeanwhile => "über den Antrag wurde inzwischen entschieden".into(),
        SettingsChangedMeanwhile => "die Einstellungen der Organisation wurden inzwischen geändert; laden Sie neu und versuchen Sie es noch einmal".into(),
        RedirectUri { uri, problem } => {
            let why = match problem {
                UriProblem::TooLong { max } => format!("ist länger als {max} Zeichen"),
                UriProblem::Fragment => "hat ein Fragment (#…), das Weiterleitungen nicht haben dürfen".into(),
                UriProblem::Spaces => "enthält Leerzeichen, Backslashes oder Steuerzeichen".into(),
                UriProblem::NotAbsolute => "ist keine absolute URL mit gültigem Host und Port".into(),
                UriProblem::UserInfo => "enthält einen Benutzernamen".into(),
                UriProblem::NoHost => "hat keinen Host".into(),
                UriProblem::PlainHttp => "verwendet einfaches http auf einem anderen Host als localhost".into(),
                UriProblem::NotHttp => "ist kein http(s)".into(),
            };
            format!("„{uri}“ {why}; verwenden Sie eine absolute https://-Adresse wie https://app.example.com/callback")
        }
        RedirectNotPlain { uri, plain } => {
            format!("„{uri}“ ist nicht in der einfachen Form; tragen Sie {plain} ein")
        }
        TooManyAddresses { max } => format!("höchstens {max} Adressen"),
        NeedsRedirect => "eine Anwendung, die Personen anmeldet, braucht mindestens eine Weiterleitungsadresse".into(),
        ClientCredentialsNeedsSecret => "client_credentials braucht eine vertrauliche Anwendung (mit Geheimnis oder Schlüsseln), keine öffentliche".into(),
        NotBetween { value, max } => format!("{value} liegt nicht zwischen 1 und {max}"),
        NeedsGrantType => "wählen Sie mindestens eines von authorization_code, refresh_token und client_credentials".into(),
    }
}

fn said_fr(said: Said) -> String {
    use Said::*;
    match said {
        Required => "est obligatoire".into(),
        TooLong { len, max } => format!("fait {len} caractères ; {max} au maximum sont autorisés"),
        ControlCharacters => "ne doit pas contenir de caractères de contrôle (comme des retours à la ligne ou des tabulations)".into(),
        PasswordTooShort { len, min } => format!(
            "fait {len} caractères ; utilisez-en au moins {min} (quelques mots sans rapport entre eux conviennent bien)"
        ),
        PasswordRepeated => "ne doit pas être un seul caractère répété".into(),
        UsernameCharacters => "ne peut contenir que des lettres, des chiffres, '.', '_' et '-' (ni espaces ni '@')".into(),
        EmailTooLong => "dépasse 254 caractères".into(),
        EmailSpaces => "ne doit contenir ni espaces ni caractères de contrôle".into(),
        EmailShape => "doit ressembler à nom@example.com".into(),
        EmailLocalPart => "doit ressembler à nom@example.com (un seul '@', au plus 64 caractères avant)".into(),
        EmailDomain => "a un domaine invalide ; il doit ressembler à example.com".into(),
        EmailLocalCharacters => "n'est pas une adresse à laquelle un courriel peut être envoyé : avant le « @ », utilisez des lettres, des chiffres et des signes comme . _ + - (ni guillemets, ni crochets, ni parenthèses, ni virgules, ni espaces, et pas de point au début, à la fin ou deux fois de suite)".into(),
        MixesScripts => "mélange des lettres de plusieurs écritures (par exemple latine et cyrillique) et peut ainsi être confondu avec un autre nom ; utilisez les lettres d'une seule écriture (le latin peut accompagner le chinois, le japonais ou le coréen)".into(),
        NotANameCharacter { ch } => format!(
            "contient « {ch} » (U+{:04X}), un caractère non autorisé dans les noms car il se confond facilement avec un autre ; utilisez les lettres d'une écriture courante",
            u32::from(ch)
        ),
        PasskeyRequestExpired => "cette demande de clé d'accès a expiré ou a déjà servi ; recommencez".into(),
        PasskeyUnreadable => "la réponse du navigateur pour la clé d'accès est illisible ; réessayez".into(),
        PasskeyNotVerified => "la clé d'accès n'a pas pu être vérifiée ; réessayez".into(),
        PasskeyLimit { max } => format!(
            "vous avez {max} clés d'accès, le maximum pour un compte ; supprimez-en une d'abord"
        ),
        PasskeyOnlyFactor => "votre organisation exige un second facteur et c'est votre seul ; ajoutez d'abord une autre clé d'accès ou une application d'authentification".into(),
        PasskeyAloneNotOffered => "cette organisation ne propose pas la connexion avec une clé d'accès seule ; connectez-vous avec votre mot de passe".into(),
        ConfirmWithPasskey => "votre compte a une clé d'accès : confirmez avec elle plutôt qu'avec le mot de passe".into(),
        TotpOnlyFactor => "votre organisation exige un second facteur et c'est votre seul ; pour changer de téléphone, utilisez « Remplacer »".into(),
        TotpOfferExpired => "ce formulaire de configuration a expiré ; recommencez".into(),
        TotpChangedMeanwhile => "votre application d'authentification a changé entre-temps (un autre onglet ?) ; rechargez la page du compte".into(),
        RecoveryChangedMeanwhile => "cette récupération a changé entre-temps (un autre onglet ?) ; rechargez la page".into(),
        RecoveryEnded => "cette récupération est terminée".into(),
        RecoveryNeedsProof => "il faut d'abord d'autres preuves".into(),
        RecoveryWaiting => "le délai d'attente n'est pas écoulé".into(),
        RecoveryFinishedMeanwhile => "cette récupération a été achevée ou arrêtée entre-temps".into(),
        RecoverySwitchedOff => "la récupération autonome a été désactivée pour cette organisation".into(),
        PasswordRecentlyReset => "votre mot de passe a été réinitialisé par e-mail récemment ; il ne compte donc pas ici avec le code envoyé par e-mail ; utilisez un code de récupération".into(),
        OnlyAdminsAsk => "seuls les administrateurs de l'organisation peuvent le demander".into(),
        RecoveryActiveAlready => "la récupération autonome est déjà activée".into(),
        OnboardingFirst => "votre organisation doit d'abord passer au nouvel accueil (v2) ; demandez à votre opérateur".into(),
        RequestDecidedMeanwhile => "la demande a été tranchée entre-temps".into(),
        SettingsChangedMeanwhile => "les réglages de l'organisation ont changé entre-temps ; rechargez et réessayez".into(),
        RedirectUri { uri, problem } => {
            let why = match problem {
                UriProblem::TooLong { max } => format!("dépasse {max} caractères"),
                UriProblem::Fragment => "a un fragment (#…), que les redirections ne doivent pas avoir".into(),
                UriProblem::Spaces => "contient des espaces, des barres obliques inverses ou des caractères de contrôle".into(),
                UriProblem::NotAbsolute => "n'est pas une URL absolue avec un hôte et un port valides".into(),
                UriProblem::UserInfo => "contient un nom d'utilisateur".into(),
                UriProblem::NoHost => "n'a pas d'hôte".into(),
                UriProblem::PlainHttp => "utilise http simple sur un hôte autre que localhost".into(),
                UriProblem::NotHttp => "n'est pas en http(s)".into(),
            };
            format!("« {uri} » {why} ; utilisez une adresse https:// absolue comme https://app.example.com/callback")
        }
        RedirectNotPlain { uri, plain } => {
            format!("« {uri} » n'est pas sous sa forme simple ; enregistrez {plain}")
        }
        TooManyAddresses { max } => format!("{max} adresses au maximum"),
        NeedsRedirect => "une application qui connecte des personnes a besoin d'au moins une adresse de redirection".into(),
        ClientCredentialsNeedsSecret => "client_credentials exige une application confidentielle (avec un secret ou des clés), pas une application publique".into(),
        NotBetween { value, max } => format!("{value} n'est pas entre 1 et {max}"),
        NeedsGrantType => "choisissez au moins l'un de authorization_code, refresh_token et client_credentials".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_from_core_is_said_in_german_and_french() {
        for said in Said::all() {
            let english = said.english();
            let (de, fr) = (said_de(said.clone()), said_fr(said.clone()));
            for text in [&de, &fr] {
                assert_ne!(text, &english, "{said:?} is not translated");
                assert!(!text.contains('{'), "{said:?}: {text}");
            }
            // the numbers carry over
            for n in english
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
            {
                assert!(de.contains(n) && fr.contains(n), "{said:?}: {n}");
            }
        }
        let e = FieldError::said("password", Said::PasswordTooShort { len: 5, min: 12 });
        assert_eq!(
            say_field(&e, Language::De),
            "Passwort: ist 5 Zeichen lang; verwenden Sie mindestens 12 Zeichen (einige Wörter ohne Zusammenhang eignen sich gut)"
        );
        assert!(say_field(&e, Language::En).starts_with("Password: is 5 characters long"));
        assert_eq!(
            say_first(&[FieldError::new("x", "an operator's words")], Language::Fr),
            "An operator's words",
            "messages only operators see stay English"
        );
    }
}
