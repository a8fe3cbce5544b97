//! Page text in English, German and French.
//!
//! Recovery pages must look the same whoever the visitor names, so their
//! language never comes from the account: it is the browser's choice
//! (`Accept-Language`), else the tenant's default.

use axum::http::{HeaderMap, header};
use latchkey_core::mail::Language;

/// The best of en/de/fr by the `Accept-Language` header (quality values
/// honoured, regional variants matched by prefix), else `fallback`.
pub fn negotiate(headers: &HeaderMap, fallback: Language) -> Language {
    let Some(value) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return fallback;
    };
    let mut best: Option<(f32, Language)> = None;
    for item in value.split(',').take(20) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let Ok(language) = Language::parse(primary) else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, language));
        }
    }
    best.map_or(fallback, |(_, l)| l)
}

/// The text of the recovery pages.
pub struct RecoveryText {
    pub lang: &'static str,
    pub title: &'static str,
    pub start_heading: &'static str,
    pub start_intro: &'static str,
    pub login_label: &'static str,
    pub start_button: &'static str,
    pub not_active: &'static str,
    pub help_link: &'static str,
    pub ask_admin: &'static str,
    pub back_to_signin: &'static str,
    pub enter_login: &'static str,
    pub too_many_starts: &'static str,
    pub two_proofs: &'static str,
    pub email_heading: &'static str,
    pub email_intro: &'static str,
    pub email_label: &'static str,
    pub email_button: &'static str,
    pub password_heading: &'static str,
    pub password_label: &'static str,
    pub password_button: &'static str,
    pub code_heading: &'static str,
    pub code_intro: &'static str,
    pub code_label: &'static str,
    pub code_button: &'static str,
    pub stop: &'static str,
    pub waiting_before: &'static str,
    pub waiting_after: &'static str,
    pub waiting_more: &'static str,
    pub ready_intro: &'static str,
    pub password_again: &'static str,
    pub finish: &'static str,
    pub start_again: &'static str,
    pub ended_completed: &'static str,
    pub ended_cancelled: &'static str,
    pub ended_expired: &'static str,
    pub ended_locked: &'static str,
    pub ended_other: &'static str,
    pub wrong_proof: &'static str,
    pub fill_one: &'static str,
    pub too_many_attempts: &'static str,
    pub busy: &'static str,
    pub wrong_password: &'static str,
    pub cancel_heading: &'static str,
    pub cancel_intro: &'static str,
    pub cancel_button: &'static str,
    pub cancelled_title: &'static str,
    pub cancelled_text: &'static str,
    pub done_heading: &'static str,
    pub done_intro: &'static str,
    pub done_factors: &'static str,
    pub done_devices: &'static str,
    pub done_mail: &'static str,
    pub done_required: &'static str,
    pub done_optional: &'static str,
    pub continue_link: &'static str,
}

const EN: RecoveryText = RecoveryText {
    lang: "en",
    title: "Recover your account",
    start_heading: "Lost your phone or security key?",
    start_intro: "You can get back into your account yourself. You prove who you are with what you still have — a code we email to your verified address, your password, or one of your recovery codes — and then set up a new second factor. Your old ones stop working.",
    login_label: "Username or email",
    start_button: "Start recovery",
    not_active: "This organisation helps you itself when you cannot sign in.",
    help_link: "Get help from",
    ask_admin: "Contact your administrator or service desk: they can reset your second factors.",
    back_to_signin: "Back to sign-in",
    enter_login: "Enter the username or email address of your account.",
    too_many_starts: "Too many recoveries were started. Try again in",
    two_proofs: "Give two of these proofs. A code from your email counts only together with your password or a recovery code.",
    email_heading: "Code from your email",
    email_intro: "If the account has a verified email address, we sent an 8-digit code to it. It works for 10 minutes.",
    email_label: "Code from the email",
    email_button: "Check code",
    password_heading: "Your password",
    password_label: "Password",
    password_button: "Check password",
    code_heading: "A recovery code",
    code_intro: "With your password, a recovery code finishes the recovery at once.",
    code_label: "Recovery code",
    code_button: "Check recovery code",
    stop: "Stop this recovery",
    waiting_before: "Proven. For your safety, the recovery completes on",
    waiting_after: "UTC, because it started on a device this account has not signed in from.",
    waiting_more: "We emailed the account's verified address: if it was not you, that email cancels it with one click. Come back to this browser then to finish. Signing in with a second factor meanwhile cancels the recovery.",
    ready_intro: "You can finish now. When you do, every second factor of the account is removed (authenticator apps, passkeys, recovery codes), every device is signed out, and you set up a new second factor.",
    password_again: "Your password, once more",
    finish: "Finish the recovery",
    start_again: "Start again",
    ended_completed: "This recovery is complete.",
    ended_cancelled: "This recovery was cancelled. Your second factors are unchanged.",
    ended_expired: "This recovery expired before it was finished.",
    ended_locked: "This recovery is locked after too many wrong codes. Nothing changed; we told the account's owner by email.",
    ended_other: "This recovery has ended.",
    wrong_proof: "That is not right. Check it and try again; after a few wrong tries the recovery locks.",
    fill_one: "Fill in one of the fields and send it with its own button.",
    too_many_attempts: "Too many attempts. Try again in",
    busy: "The server is busy right now. Try again in a moment.",
    wrong_password: "The password is not correct.",
    cancel_heading: "Cancel the account recovery",
    cancel_intro: "Someone proved enough to recover your account, and it would complete after the waiting period. If that was not you, cancel it: your second factors stay as they are.",
    cancel_button: "Cancel the recovery",
    cancelled_title: "Recovery cancelled",
    cancelled_text: "The account recovery is cancelled and your second factors are unchanged. If you did not start it, tell your administrator, and consider changing your password.",
    done_heading: "You are back in",
    done_intro: "Your account is recovered. What happened:",
    done_factors: "every second factor you had was removed — authenticator apps, passkeys and recovery codes;",
    done_devices: "every other device was signed out;",
    done_mail: "we emailed your address about it.",
    done_required: "Your organisation requires a second factor: set up a new one now.",
    done_optional: "Set up a new second factor now, so you are protected again.",
    continue_link: "Continue",
};

const DE: RecoveryText = RecoveryText {
    lang: "de",
    title: "Konto wiederherstellen",
    start_heading: "Telefon oder Sicherheitsschlüssel verloren?",
    start_intro: "Sie können selbst wieder in Ihr Konto gelangen. Sie weisen sich mit dem aus, was Sie noch haben – einem Code, den wir an Ihre bestätigte Adresse senden, Ihrem Passwort oder einem Ihrer Wiederherstellungscodes – und richten danach einen neuen zweiten Faktor ein. Die alten funktionieren dann nicht mehr.",
    login_label: "Benutzername oder E-Mail",
    start_button: "Wiederherstellung beginnen",
    not_active: "Diese Organisation hilft Ihnen selbst, wenn Sie sich nicht anmelden können.",
    help_link: "Hilfe erhalten von",
    ask_admin: "Wenden Sie sich an Ihre Administration oder Ihren Service-Desk: Dort können Ihre zweiten Faktoren zurückgesetzt werden.",
    back_to_signin: "Zurück zur Anmeldung",
    enter_login: "Geben Sie den Benutzernamen oder die E-Mail-Adresse Ihres Kontos ein.",
    too_many_starts: "Zu viele Wiederherstellungen wurden begonnen. Versuchen Sie es erneut in",
    two_proofs: "Erbringen Sie zwei dieser Nachweise. Ein Code aus Ihrer E-Mail zählt nur zusammen mit Ihrem Passwort oder einem Wiederherstellungscode.",
    email_heading: "Code aus Ihrer E-Mail",
    email_intro: "Wenn das Konto eine bestätigte E-Mail-Adresse hat, haben wir einen 8-stelligen Code dorthin gesendet. Er gilt 10 Minuten.",
    email_label: "Code aus der E-Mail",
    email_button: "Code prüfen",
    password_heading: "Ihr Passwort",
    password_label: "Passwort",
    password_button: "Passwort prüfen",
    code_heading: "Ein Wiederherstellungscode",
    code_intro: "Zusammen mit Ihrem Passwort schließt ein Wiederherstellungscode die Wiederherstellung sofort ab.",
    code_label: "Wiederherstellungscode",
    code_button: "Wiederherstellungscode prüfen",
    stop: "Diese Wiederherstellung abbrechen",
    waiting_before: "Nachgewiesen. Zu Ihrer Sicherheit wird die Wiederherstellung abgeschlossen am",
    waiting_after: "UTC, weil sie auf einem Gerät begonnen wurde, mit dem sich dieses Konto noch nicht angemeldet hat.",
    waiting_more: "Wir haben der bestätigten Adresse des Kontos geschrieben: Wenn Sie es nicht waren, bricht diese E-Mail die Wiederherstellung mit einem Klick ab. Kommen Sie dann in diesem Browser zurück, um sie abzuschließen. Eine Anmeldung mit einem zweiten Faktor bricht die Wiederherstellung ab.",
    ready_intro: "Sie können jetzt abschließen. Dann werden alle zweiten Faktoren des Kontos entfernt (Authenticator-Apps, Passkeys, Wiederherstellungscodes), alle Geräte abgemeldet, und Sie richten einen neuen zweiten Faktor ein.",
    password_again: "Noch einmal Ihr Passwort",
    finish: "Wiederherstellung abschließen",
    start_again: "Neu beginnen",
    ended_completed: "Diese Wiederherstellung ist abgeschlossen.",
    ended_cancelled: "Diese Wiederherstellung wurde abgebrochen. Ihre zweiten Faktoren sind unverändert.",
    ended_expired: "Diese Wiederherstellung ist abgelaufen, bevor sie abgeschlossen wurde.",
    ended_locked: "Diese Wiederherstellung ist nach zu vielen falschen Codes gesperrt. Nichts wurde geändert; wir haben die Inhaberin oder den Inhaber des Kontos per E-Mail informiert.",
    ended_other: "Diese Wiederherstellung ist beendet.",
    wrong_proof: "Das stimmt nicht. Prüfen Sie die Eingabe und versuchen Sie es erneut; nach einigen Fehlversuchen wird die Wiederherstellung gesperrt.",
    fill_one: "Füllen Sie eines der Felder aus und senden Sie es mit seiner eigenen Schaltfläche.",
    too_many_attempts: "Zu viele Versuche. Versuchen Sie es erneut in",
    busy: "Der Server ist gerade ausgelastet. Versuchen Sie es gleich noch einmal.",
    wrong_password: "Das Passwort ist nicht korrekt.",
    cancel_heading: "Kontowiederherstellung abbrechen",
    cancel_intro: "Jemand hat genug nachgewiesen, um Ihr Konto wiederherzustellen; nach der Wartezeit würde sie abgeschlossen. Wenn Sie das nicht waren, brechen Sie sie ab: Ihre zweiten Faktoren bleiben, wie sie sind.",
    cancel_button: "Wiederherstellung abbrechen",
    cancelled_title: "Wiederherstellung abgebrochen",
    cancelled_text: "Die Kontowiederherstellung ist abgebrochen, Ihre zweiten Faktoren sind unverändert. Wenn Sie sie nicht begonnen haben, informieren Sie Ihre Administration und ändern Sie am besten Ihr Passwort.",
    done_heading: "Sie sind wieder drin",
    done_intro: "Ihr Konto ist wiederhergestellt. Was geschehen ist:",
    done_factors: "alle zweiten Faktoren wurden entfernt – Authenticator-Apps, Passkeys und Wiederherstellungscodes;",
    done_devices: "alle anderen Geräte wurden abgemeldet;",
    done_mail: "wir haben Ihrer Adresse darüber geschrieben.",
    done_required: "Ihre Organisation verlangt einen zweiten Faktor: Richten Sie jetzt einen neuen ein.",
    done_optional: "Richten Sie jetzt einen neuen zweiten Faktor ein, damit Sie wieder geschützt sind.",
    continue_link: "Weiter",
};

const FR: RecoveryText = RecoveryText {
    lang: "fr",
    title: "Récupérer votre compte",
    start_heading: "Téléphone ou clé de sécurité perdu ?",
    start_intro: "Vous pouvez récupérer votre compte vous-même. Vous prouvez votre identité avec ce qu'il vous reste – un code envoyé à votre adresse vérifiée, votre mot de passe ou l'un de vos codes de récupération – puis vous configurez un nouveau second facteur. Les anciens cessent de fonctionner.",
    login_label: "Nom d'utilisateur ou e-mail",
    start_button: "Commencer la récupération",
    not_active: "Cette organisation vous aide elle-même lorsque vous ne pouvez pas vous connecter.",
    help_link: "Obtenir de l'aide de",
    ask_admin: "Contactez votre administrateur ou votre service d'assistance : ils peuvent réinitialiser vos seconds facteurs.",
    back_to_signin: "Retour à la connexion",
    enter_login: "Saisissez le nom d'utilisateur ou l'adresse e-mail de votre compte.",
    too_many_starts: "Trop de récupérations ont été commencées. Réessayez dans",
    two_proofs: "Fournissez deux de ces preuves. Un code reçu par e-mail ne compte qu'avec votre mot de passe ou un code de récupération.",
    email_heading: "Code reçu par e-mail",
    email_intro: "Si le compte a une adresse e-mail vérifiée, nous y avons envoyé un code à 8 chiffres. Il est valable 10 minutes.",
    email_label: "Code de l'e-mail",
    email_button: "Vérifier le code",
    password_heading: "Votre mot de passe",
    password_label: "Mot de passe",
    password_button: "Vérifier le mot de passe",
    code_heading: "Un code de récupération",
    code_intro: "Avec votre mot de passe, un code de récupération termine la récupération immédiatement.",
    code_label: "Code de récupération",
    code_button: "Vérifier le code de récupération",
    stop: "Arrêter cette récupération",
    waiting_before: "Prouvé. Pour votre sécurité, la récupération se termine le",
    waiting_after: "UTC, car elle a commencé sur un appareil depuis lequel ce compte ne s'est pas encore connecté.",
    waiting_more: "Nous avons écrit à l'adresse vérifiée du compte : si ce n'était pas vous, cet e-mail l'annule en un clic. Revenez ensuite dans ce navigateur pour terminer. Une connexion avec un second facteur entre-temps annule la récupération.",
    ready_intro: "Vous pouvez terminer maintenant. Tous les seconds facteurs du compte seront alors supprimés (applications d'authentification, clés d'accès, codes de récupération), tous les appareils déconnectés, et vous configurerez un nouveau second facteur.",
    password_again: "Votre mot de passe, encore une fois",
    finish: "Terminer la récupération",
    start_again: "Recommencer",
    ended_completed: "Cette récupération est terminée.",
    ended_cancelled: "Cette récupération a été annulée. Vos seconds facteurs sont inchangés.",
    ended_expired: "Cette récupération a expiré avant d'être terminée.",
    ended_locked: "Cette récupération est bloquée après trop de codes erronés. Rien n'a changé ; nous avons prévenu le titulaire du compte par e-mail.",
    ended_other: "Cette récupération est terminée.",
    wrong_proof: "Ce n'est pas correct. Vérifiez et réessayez ; après quelques erreurs, la récupération se bloque.",
    fill_one: "Remplissez l'un des champs et envoyez-le avec son propre bouton.",
    too_many_attempts: "Trop de tentatives. Réessayez dans",
    busy: "Le serveur est occupé. Réessayez dans un instant.",
    wrong_password: "Le mot de passe n'est pas correct.",
    cancel_heading: "Annuler la récupération du compte",
    cancel_intro: "Quelqu'un a fourni assez de preuves pour récupérer votre compte ; elle se terminerait après le délai d'attente. Si ce n'était pas vous, annulez-la : vos seconds facteurs restent tels quels.",
    cancel_button: "Annuler la récupération",
    cancelled_title: "Récupération annulée",
    cancelled_text: "La récupération du compte est annulée et vos seconds facteurs sont inchangés. Si vous ne l'avez pas commencée, prévenez votre administrateur et pensez à changer votre mot de passe.",
    done_heading: "Vous êtes de retour",
    done_intro: "Votre compte est récupéré. Ce qui s'est passé :",
    done_factors: "tous vos seconds facteurs ont été supprimés – applications d'authentification, clés d'accès et codes de récupération ;",
    done_devices: "tous les autres appareils ont été déconnectés ;",
    done_mail: "nous vous l'avons écrit par e-mail.",
    done_required: "Votre organisation exige un second facteur : configurez-en un nouveau maintenant.",
    done_optional: "Configurez maintenant un nouveau second facteur pour être de nouveau protégé.",
    continue_link: "Continuer",
};

pub fn recovery(language: Language) -> &'static RecoveryText {
    match language {
        Language::En => &EN,
        Language::De => &DE,
        Language::Fr => &FR,
    }
}

/// "3 minutes", "45 Sekunden", … in `language`.
pub fn wait(language: Language, secs: i64) -> String {
    let (n, minutes) = if secs >= 120 {
        ((secs + 59) / 60, true)
    } else {
        (secs.max(1), false)
    };
    let unit = match (language, minutes) {
        (Language::En, true) | (Language::Fr, true) => "minutes",
        (Language::En, false) => "seconds",
        (Language::De, true) => "Minuten",
        (Language::De, false) => "Sekunden",
        (Language::Fr, false) => "secondes",
    };
    format!("{n} {unit}")
}

/// The text of the sign-in pages: password, second step, forgot password.
pub struct SigninText {
    pub lang: &'static str,
    pub signin_title: &'static str,
    pub login_label: &'static str,
    pub password_label: &'static str,
    pub signin_button: &'static str,
    pub forgot_link: &'static str,
    pub recover_link: &'static str,
    pub passkey_button: &'static str,
    pub signed_out: &'static str,
    pub password_reset_done: &'static str,
    pub enter_both: &'static str,
    pub too_long: &'static str,
    pub wrong_credentials: &'static str,
    pub too_many_signins: &'static str,
    pub busy: &'static str,
    pub second_title: &'static str,
    pub confirm_heading: &'static str,
    pub passkeys_offline: &'static str,
    pub use_passkey_intro: &'static str,
    pub use_passkey: &'static str,
    pub app_intro: &'static str,
    pub app_intro_or: &'static str,
    pub code_label: &'static str,
    pub continue_button: &'static str,
    pub recovery_summary: &'static str,
    pub recovery_label: &'static str,
    pub recovery_button: &'static str,
    pub lost_factor: &'static str,
    pub wrong_code: &'static str,
    pub wrong_recovery_code: &'static str,
    pub too_many_attempts: &'static str,
    pub forgot_heading: &'static str,
    pub forgot_sent: &'static str,
    pub forgot_factors: &'static str,
    pub forgot_recover_link: &'static str,
    pub forgot_button: &'static str,
    pub back_to_signin: &'static str,
    pub enter_login: &'static str,
    pub too_many_requests: &'static str,
    pub reset_heading: &'static str,
    pub reset_intro: &'static str,
    pub new_password: &'static str,
    pub repeat_password: &'static str,
    pub reset_button: &'static str,
    pub passwords_differ: &'static str,
}

const SIGNIN_EN: SigninText = SigninText {
    lang: "en",
    signin_title: "Sign in",
    login_label: "Username or email",
    password_label: "Password",
    signin_button: "Sign in",
    forgot_link: "Forgot your password?",
    recover_link: "Can't sign in? Lost your phone or security key?",
    passkey_button: "Sign in with a passkey",
    signed_out: "You are signed out.",
    password_reset_done: "Your new password is set. Sign in with it; your second factor is asked as before.",
    enter_both: "Enter your username or email and your password.",
    too_long: "The password is too long (at most 1024 bytes).",
    wrong_credentials: "The username, email or password is not correct.",
    too_many_signins: "Too many sign-in attempts. Try again in",
    busy: "The server is busy right now. Try again in a moment.",
    second_title: "Second step",
    confirm_heading: "Confirm it is you",
    passkeys_offline: "Passkeys cannot be used at this address right now. Use another way below, or ask your administrator.",
    use_passkey_intro: "Use your passkey or security key.",
    use_passkey: "Use my passkey",
    app_intro: "Open your authenticator app and enter the 6-digit code it shows for",
    app_intro_or: "Or open your authenticator app and enter the 6-digit code it shows for",
    code_label: "Code",
    continue_button: "Continue",
    recovery_summary: "Lost your phone or key? Use a recovery code",
    recovery_label: "Recovery code",
    recovery_button: "Use recovery code",
    lost_factor: "I lost my second factor",
    wrong_code: "The code is not correct; enter the current code from your authenticator app.",
    wrong_recovery_code: "That recovery code is not correct or was used before.",
    too_many_attempts: "Too many attempts. Try again in",
    forgot_heading: "Forgot your password?",
    forgot_sent: "If an account with a verified email address matches, we sent it a link to set a new password. It works once, for 30 minutes.",
    forgot_factors: "A new password does not change your second factors: signing in will still ask for one. Lost them too?",
    forgot_recover_link: "Recover your account",
    forgot_button: "Send me a link",
    back_to_signin: "Back to sign-in",
    enter_login: "Enter the username or email address of your account.",
    too_many_requests: "Too many requests. Try again in",
    reset_heading: "Set a new password",
    reset_intro: "At least 12 characters. Afterwards every device is signed out; your second factors stay as they are.",
    new_password: "New password",
    repeat_password: "The same password again",
    reset_button: "Set password",
    passwords_differ: "The two passwords differ. Type the same password twice.",
};

const SIGNIN_DE: SigninText = SigninText {
    lang: "de",
    signin_title: "Anmelden",
    login_label: "Benutzername oder E-Mail",
    password_label: "Passwort",
    signin_button: "Anmelden",
    forgot_link: "Passwort vergessen?",
    recover_link: "Anmeldung nicht möglich? Telefon oder Sicherheitsschlüssel verloren?",
    passkey_button: "Mit einem Passkey anmelden",
    signed_out: "Sie sind abgemeldet.",
    password_reset_done: "Ihr neues Passwort ist gesetzt. Melden Sie sich damit an; Ihr zweiter Faktor wird wie bisher abgefragt.",
    enter_both: "Geben Sie Benutzernamen oder E-Mail und Ihr Passwort ein.",
    too_long: "Das Passwort ist zu lang (höchstens 1024 Bytes).",
    wrong_credentials: "Benutzername, E-Mail oder Passwort ist nicht korrekt.",
    too_many_signins: "Zu viele Anmeldeversuche. Versuchen Sie es erneut in",
    busy: "Der Server ist gerade ausgelastet. Versuchen Sie es gleich noch einmal.",
    second_title: "Zweiter Schritt",
    confirm_heading: "Bestätigen Sie, dass Sie es sind",
    passkeys_offline: "Passkeys können unter dieser Adresse gerade nicht verwendet werden. Nutzen Sie einen anderen Weg unten oder fragen Sie Ihre Administration.",
    use_passkey_intro: "Verwenden Sie Ihren Passkey oder Sicherheitsschlüssel.",
    use_passkey: "Meinen Passkey verwenden",
    app_intro: "Öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code ein, den sie anzeigt für",
    app_intro_or: "Oder öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code ein, den sie anzeigt für",
    code_label: "Code",
    continue_button: "Weiter",
    recovery_summary: "Telefon oder Schlüssel verloren? Einen Wiederherstellungscode verwenden",
    recovery_label: "Wiederherstellungscode",
    recovery_button: "Wiederherstellungscode verwenden",
    lost_factor: "Ich habe meinen zweiten Faktor verloren",
    wrong_code: "Der Code ist nicht korrekt; geben Sie den aktuellen Code aus Ihrer Authenticator-App ein.",
    wrong_recovery_code: "Dieser Wiederherstellungscode ist nicht korrekt oder wurde schon verwendet.",
    too_many_attempts: "Zu viele Versuche. Versuchen Sie es erneut in",
    forgot_heading: "Passwort vergessen?",
    forgot_sent: "Wenn ein Konto mit bestätigter E-Mail-Adresse passt, haben wir ihm einen Link zum Festlegen eines neuen Passworts gesendet. Er funktioniert einmal, 30 Minuten lang.",
    forgot_factors: "Ein neues Passwort ändert Ihre zweiten Faktoren nicht: Die Anmeldung fragt weiterhin danach. Auch diese verloren?",
    forgot_recover_link: "Konto wiederherstellen",
    forgot_button: "Link senden",
    back_to_signin: "Zurück zur Anmeldung",
    enter_login: "Geben Sie den Benutzernamen oder die E-Mail-Adresse Ihres Kontos ein.",
    too_many_requests: "Zu viele Anfragen. Versuchen Sie es erneut in",
    reset_heading: "Neues Passwort festlegen",
    reset_intro: "Mindestens 12 Zeichen. Danach werden alle Geräte abgemeldet; Ihre zweiten Faktoren bleiben, wie sie sind.",
    new_password: "Neues Passwort",
    repeat_password: "Dasselbe Passwort noch einmal",
    reset_button: "Passwort festlegen",
    passwords_differ: "Die beiden Passwörter unterscheiden sich. Geben Sie zweimal dasselbe Passwort ein.",
};

const SIGNIN_FR: SigninText = SigninText {
    lang: "fr",
    signin_title: "Se connecter",
    login_label: "Nom d'utilisateur ou e-mail",
    password_label: "Mot de passe",
    signin_button: "Se connecter",
    forgot_link: "Mot de passe oublié ?",
    recover_link: "Impossible de vous connecter ? Téléphone ou clé de sécurité perdu ?",
    passkey_button: "Se connecter avec une clé d'accès",
    signed_out: "Vous êtes déconnecté.",
    password_reset_done: "Votre nouveau mot de passe est défini. Connectez-vous avec ; votre second facteur est demandé comme avant.",
    enter_both: "Saisissez votre nom d'utilisateur ou e-mail et votre mot de passe.",
    too_long: "Le mot de passe est trop long (1024 octets au plus).",
    wrong_credentials: "Le nom d'utilisateur, l'e-mail ou le mot de passe n'est pas correct.",
    too_many_signins: "Trop de tentatives de connexion. Réessayez dans",
    busy: "Le serveur est occupé. Réessayez dans un instant.",
    second_title: "Deuxième étape",
    confirm_heading: "Confirmez que c'est vous",
    passkeys_offline: "Les clés d'accès ne peuvent pas être utilisées à cette adresse pour le moment. Utilisez un autre moyen ci-dessous ou demandez à votre administrateur.",
    use_passkey_intro: "Utilisez votre clé d'accès ou clé de sécurité.",
    use_passkey: "Utiliser ma clé d'accès",
    app_intro: "Ouvrez votre application d'authentification et saisissez le code à 6 chiffres affiché pour",
    app_intro_or: "Ou ouvrez votre application d'authentification et saisissez le code à 6 chiffres affiché pour",
    code_label: "Code",
    continue_button: "Continuer",
    recovery_summary: "Téléphone ou clé perdu ? Utilisez un code de récupération",
    recovery_label: "Code de récupération",
    recovery_button: "Utiliser le code de récupération",
    lost_factor: "J'ai perdu mon second facteur",
    wrong_code: "Le code n'est pas correct ; saisissez le code actuel de votre application d'authentification.",
    wrong_recovery_code: "Ce code de récupération n'est pas correct ou a déjà été utilisé.",
    too_many_attempts: "Trop de tentatives. Réessayez dans",
    forgot_heading: "Mot de passe oublié ?",
    forgot_sent: "Si un compte avec une adresse e-mail vérifiée correspond, nous lui avons envoyé un lien pour définir un nouveau mot de passe. Il ne fonctionne qu'une fois, pendant 30 minutes.",
    forgot_factors: "Un nouveau mot de passe ne change pas vos seconds facteurs : la connexion les demandera toujours. Vous les avez perdus aussi ?",
    forgot_recover_link: "Récupérer votre compte",
    forgot_button: "M'envoyer un lien",
    back_to_signin: "Retour à la connexion",
    enter_login: "Saisissez le nom d'utilisateur ou l'adresse e-mail de votre compte.",
    too_many_requests: "Trop de demandes. Réessayez dans",
    reset_heading: "Définir un nouveau mot de passe",
    reset_intro: "Au moins 12 caractères. Ensuite, tous les appareils sont déconnectés ; vos seconds facteurs restent tels quels.",
    new_password: "Nouveau mot de passe",
    repeat_password: "Le même mot de passe à nouveau",
    reset_button: "Définir le mot de passe",
    passwords_differ: "Les deux mots de passe diffèrent. Saisissez deux fois le même mot de passe.",
};

pub fn signin(language: Language) -> &'static SigninText {
    match language {
        Language::En => &SIGNIN_EN,
        Language::De => &SIGNIN_DE,
        Language::Fr => &SIGNIN_FR,
    }
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
        assert_eq!(negotiate(&with("es, it"), Language::De), Language::De);
        assert_eq!(
            negotiate(&with("fr;q=0, de;q=0.1"), Language::En),
            Language::De
        );
    }
}
