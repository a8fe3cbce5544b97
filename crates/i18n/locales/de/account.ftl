# The account page.

account-title = Ihr Konto
account-hello = Hallo, { $name }
account-signed-in-as = Sie sind angemeldet als { $username }.
account-email = E-Mail
account-verified = (bestätigt)
account-not-verified = (nicht bestätigt)
account-resend = Bestätigungslink erneut senden
account-password-heading = Passwort
account-password-intro = Wählen Sie ein neues Passwort: mindestens 12 Zeichen; einige Wörter ohne Zusammenhang eignen sich gut. Alle anderen Browser, in denen Sie angemeldet sind, werden abgemeldet, und Anwendungen bitten Sie erneut um die Anmeldung.
account-change-password = Passwort ändern
account-new-password = Neues Passwort
account-repeat-password = Neues Passwort wiederholen
account-password-changed = Ihr Passwort wurde geändert. Andere Browser wurden abgemeldet, und wir haben Ihnen dazu eine E-Mail geschickt.
account-done-app = Ihre Authenticator-App ist eingerichtet: Ab jetzt fragt die Anmeldung nach ihrem Code.
account-done-passkey = Ihr Passkey ist hinzugefügt: Ab jetzt können Sie sich damit anmelden.
account-passwords-differ-account = Die beiden neuen Passwörter unterscheiden sich; geben Sie zweimal dasselbe ein.
account-link-sent = Wir haben einen neuen Bestätigungslink an Ihre E-Mail-Adresse gesendet. Er gilt 24 Stunden.
account-email-change = E-Mail-Adresse ändern
account-email-change-title = Ihre E-Mail-Adresse ändern
account-email-change-intro = Ihre Adresse ist jetzt { $current }. Wir senden einen Link an die neue Adresse; Ihre Adresse ändert sich erst, wenn dieser Link geöffnet wird, und wir informieren Ihre jetzige Adresse.
account-email-change-recovery = In der ersten Woche nach einer Änderung zählt die neue Adresse nicht als Nachweis, wenn Sie Ihr Konto selbst wiederherstellen; halten Sie Ihre Wiederherstellungscodes bereit.
account-email-change-new = Neue E-Mail-Adresse
account-email-change-send = Bestätigungslink senden
account-email-change-keep = Meine Adresse behalten
account-email-change-sent = Wir haben einen Link an die neue Adresse gesendet. Ihre Adresse ändert sich, wenn Sie ihn innerhalb von 24 Stunden öffnen; Ihre jetzige Adresse haben wir ebenfalls informiert.
account-email-change-cancelled = Die Änderung der Adresse ist abgebrochen; ihr Link funktioniert nicht mehr.
account-email-change-open = Wartet auf Bestätigung: Ein Link wurde an { $email } gesendet; er funktioniert bis { $until }.
account-email-change-cancel = Änderung abbrechen
account-app = Authenticator-App
account-on-since = Eingeschaltet seit { $since }
account-replace = Ersetzen (neues Telefon)
account-remove = Entfernen
account-off = Aus
account-set-up-app = Authenticator-App einrichten
account-passkeys = Passkeys und Sicherheitsschlüssel
account-none-yet = Noch keine
account-synced = synchronisierter Passkey
account-not-synced = nicht synchronisiert
account-suspected-copy = wurde möglicherweise kopiert: Er meldet nicht mehr an; entfernen Sie ihn und fügen Sie den Schlüssel danach neu hinzu
account-added = hinzugefügt { $when }
account-last-used = zuletzt verwendet { $when }
account-new-name = Neuer Name
account-rename = Umbenennen
account-passkey-name = Name des neuen Passkeys
account-passkey-placeholder = z. B. Laptop, YubiKey
account-passkey-name-hint = Leer lassen, um ihn nach diesem Browser zu benennen; Sie können ihn später umbenennen.
account-passkey-default-name = Passkey ({ $device })
account-passkey-default = Passkey
account-add-passkey = Passkey hinzufügen
account-passkeys-need-https = Passkeys setzen voraus, dass dieser Server über https erreichbar ist.
account-codes = Wiederherstellungscodes
account-unused = { $count } unbenutzt
account-few-left = – nur noch wenige: erstellen Sie neue, bevor sie ausgehen
account-new-codes = Neue Codes erstellen
account-ready = Bereit für ein verlorenes Telefon oder einen verlorenen Schlüssel?
account-ready-email = eine bestätigte E-Mail-Adresse (eine Wiederherstellung sendet ihren Code dorthin)
account-ready-codes = gespeicherte Wiederherstellungscodes (sie stellen Ihr Konto sofort wieder her)
account-ready-factors = mehr als ein zweiter Faktor (zum Beispiel eine App und ein Passkey)
account-removed-factors = Entfernte zweite Faktoren
account-removed = entfernt am { $when } { $by }
account-by-admin = durch Ihre Administration
account-by-recovery = durch Ihre Kontowiederherstellung
account-kind-app = Authenticator-App
account-kind-passkey = Passkey
account-kind-codes = Wiederherstellungscodes
account-self-recovery-for = Selbstständige Kontowiederherstellung für { $tenant }
account-active = Aktiv: Wer seine zweiten Faktoren verliert, kann sein Konto selbst wiederherstellen.
account-not-active = Nicht aktiv: Wer seine zweiten Faktoren verliert, braucht den Service-Desk.
account-request = Die Anfrage Ihrer Organisation:
account-note = Hinweis für den Betreiber (optional)
account-ask-operator = Den Betreiber um Aktivierung bitten
account-signed-in = Angemeldet
account-session-ends = Sitzung endet
account-sign-out = Abmelden
account-m-password = Passwort
account-m-otp = Authenticator-App
account-m-hwk = Sicherheitsschlüssel
account-m-swk = Passkey
account-m-pop = Passkey oder Sicherheitsschlüssel
account-m-rc = Wiederherstellungscode
account-m-recovery = Kontowiederherstellung
account-signed-in-with = { $at } mit { $methods }
account-session-ends-at = { $at } spätestens, oder nach { $minutes ->
    [one] { $minutes } Minute
   *[other] { $minutes } Minuten
} ohne Aktivität
# Where the organisation's request for self-recovery stands.
account-request-pending = offen
account-request-approved = genehmigt
account-request-declined = abgelehnt

## Before a second factor goes (remove_factor.html)
remove-app-title = Authenticator-App entfernen?
remove-passkey-title = Passkey „{ $name }“ entfernen?
remove-intro = Bitte lesen Sie, was beim Entfernen geschieht.
remove-factors-left = { $count ->
    [one] Ihnen bleibt ein weiterer zweiter Faktor für die Anmeldung.
   *[other] Ihnen bleiben { $count } weitere zweite Faktoren für die Anmeldung.
}
remove-last-factor = Es ist Ihr letzter zweiter Faktor: Danach meldet Sie Ihr Passwort allein an.
remove-codes-go = { $count ->
    [one] Ihr unbenutzter Wiederherstellungscode wird mit entfernt: Ein Wiederherstellungscode ersetzt nur einen zweiten Faktor, den Sie haben.
   *[other] Ihre { $count } unbenutzten Wiederherstellungscodes werden mit entfernt: Wiederherstellungscodes ersetzen nur einen zweiten Faktor, den Sie haben.
}
remove-sessions-end = Überall sonst werden Sie abgemeldet, und Anwendungen, die Sie dort nutzen, fragen erneut nach Ihrer Anmeldung.
remove-mail = Wir senden einen Hinweis an Ihre E-Mail-Adresse.
remove-refused = Ihre Organisation verlangt einen zweiten Faktor, und dies ist Ihr letzter. Fügen Sie zuerst einen weiteren hinzu; danach können Sie diesen entfernen.
remove-app-button = App entfernen
remove-passkey-button = Passkey entfernen
remove-cancel = Behalten
account-done-app-removed = Ihre Authenticator-App ist entfernt.
account-done-passkey-removed = Der Passkey ist entfernt.

# Wo Sie angemeldet sind (account/sessions)
sessions-title = Wo Sie angemeldet sind
sessions-intro = Mit diesen Browsern sind Sie bei Ihrem Konto angemeldet. Wenn Sie einen nicht kennen, melden Sie ihn ab und ändern Sie Ihr Passwort.
sessions-this-browser = dieser Browser
sessions-device = { $browser } auf { $system }
sessions-unknown-browser = Ein unbekannter Browser
sessions-signed-in = angemeldet { $at }
sessions-last-active = zuletzt aktiv { $at }
sessions-address = von { $address }
sessions-sign-out = Abmelden
sessions-sign-out-others = Überall sonst abmelden
sessions-others-note = Wer sich überall sonst abmeldet, beendet auch die Anmeldungen bei Anwendungen: Sie verlangen eine neue Anmeldung.
sessions-ended-one = Dieser Browser ist abgemeldet.
sessions-ended-others = Alle anderen Browser sind abgemeldet.
sessions-gone = Dieser Browser war bereits abgemeldet.
account-sessions-link = Wo Sie angemeldet sind
account-request-waiting-upgrade = wartet auf den Umstieg auf das neue Onboarding
# Recent security events on the account page (accounts::activity).
activity-heading = Letzte Sicherheitsereignisse
activity-none = Am Schutz Ihres Kontos hat sich noch nichts geändert.
activity-note = Etwas hier stammt nicht von Ihnen? Ändern Sie Ihr Passwort und prüfen Sie, wo Sie angemeldet sind; wenn Sie sich nicht anmelden können, nutzen Sie „Anmeldung nicht möglich?“ auf der Anmeldeseite oder wenden Sie sich an Ihren Helpdesk.
activity-by-admin = durch eine Administratorin oder einen Administrator
activity-from = { $device }, Adresse { $address }
activity-password-changed = Passwort geändert
activity-password-reset-completed = Passwort über einen per E-Mail gesendeten Link gesetzt
activity-password-reset-sent = Eine Administratorin oder ein Administrator hat einen Link zum Festlegen eines neuen Passworts gesendet
activity-email-change-requested = Änderung der E-Mail-Adresse angefordert
activity-email-changed = E-Mail-Adresse geändert
activity-factor-totp-added = Authenticator-App hinzugefügt
activity-factor-totp-removed = Authenticator-App entfernt
activity-factor-recovery-codes-regenerated = Neue Wiederherstellungscodes erstellt
activity-factor-passkey-added = Passkey hinzugefügt
activity-factor-passkey-removed = Passkey entfernt
activity-factor-passkey-clone-suspected = Ein Passkey wirkte kopiert und wurde gesperrt
activity-factors-reset = Zweite Faktoren vom Helpdesk entfernt
activity-signout-everywhere-else = Überall sonst abgemeldet
activity-user-role-changed = Rolle geändert
activity-recovery-case-started = Kontowiederherstellung begonnen
activity-recovery-case-waiting = Kontowiederherstellung nachgewiesen; Wartezeit begonnen
activity-recovery-case-completed = Konto wiederhergestellt
activity-recovery-case-cancelled = Kontowiederherstellung abgebrochen
activity-recovery-case-locked = Kontowiederherstellung nach falschen Codes gesperrt
activity-recovery-refused-admin = Kontowiederherstellung angefragt; Administratoren wenden sich an den Helpdesk
activity-user-signed-out = Von einer Administratorin oder einem Administrator überall abgemeldet
activity-application-access-removed = Zugriff einer Anwendung entfernt

codes-used-title = Sie haben einen Wiederherstellungscode verwendet
codes-used-gone = Dieser Code funktioniert nicht mehr: Jeder Code gilt nur einmal.
codes-used-left = { $count ->
    [one] Sie haben noch einen Wiederherstellungscode.
   *[other] Sie haben noch { $count } Wiederherstellungscodes.
}
codes-used-none-left = Sie haben keine Wiederherstellungscodes mehr.
codes-used-advice = Erstellen Sie jetzt, solange Sie angemeldet sind, einen neuen Satz und bewahren Sie ihn sicher auf. Der neue Satz ersetzt alle Ihre Codes.
codes-used-new = Neuen Satz erstellen
codes-used-later = Später
