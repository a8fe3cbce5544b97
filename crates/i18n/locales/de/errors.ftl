# Error pages.

error-csrf-title = Dieses Formular ist abgelaufen
error-csrf-text = Das Formular wurde nicht von dieser Seite gesendet oder ist zu alt. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
error-invalid-title = Bitte prüfen Sie Ihre Eingabe
error-invalid-text = Einige Felder sind nicht gültig:
error-conflict-title = Existiert bereits
error-not-found-title = Nicht gefunden
error-not-found-text = Unter dieser Adresse gibt es nichts. Prüfen Sie die Adresse.
error-reauth-title = Bitte melden Sie sich erneut an
error-reauth-text = Zu Ihrer Sicherheit können zweite Faktoren nur innerhalb von 10 Minuten nach der Anmeldung geändert werden. Melden Sie sich ab und wieder an und versuchen Sie es noch einmal.
error-code-title = Der Code ist nicht korrekt
error-code-text = Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein.
error-link-title = Dieser Link kann nicht verwendet werden
error-link-text = Er wurde schon verwendet, ist abgelaufen oder wurde durch einen neueren ersetzt. Melden Sie sich an, um einen neuen anzufordern.
error-signin-title = Anmeldung fehlgeschlagen
error-signin-text = Benutzername, E-Mail oder Passwort ist nicht korrekt.
error-limit-title = Zu viele Versuche
error-limit-text = Zu viele Versuche. Versuchen Sie es erneut in { $wait }.
error-busy-title = Ausgelastet
error-busy-text = Der Server ist gerade ausgelastet. Versuchen Sie es gleich noch einmal.
error-down-title = Vorübergehend nicht verfügbar
error-down-text = latchkey erreicht seine Datenbank gerade nicht. Versuchen Sie es gleich noch einmal.
error-internal-title = Etwas ist schiefgegangen
error-internal-text = Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut; wenn es wieder passiert, nennen Sie Ihrer Administration die Uhrzeit.

# A password-reset link is for someone who cannot sign in: offer a new link.
error-reset-link-text = Er wurde schon verwendet, ist abgelaufen oder wurde durch einen neueren ersetzt. Sie können jetzt einen neuen anfordern.

# The way forward from an error page.
error-forward-signin = Zur Anmeldung bei { $tenant }
error-forward-account = Zu Ihrem Konto
error-forward-home = Zur Startseite
error-forward-back = Zurück zum Formular
error-forward-new-link = Neuen Link anfordern
