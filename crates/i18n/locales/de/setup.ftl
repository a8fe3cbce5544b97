# The set-up pages after sign-in or recovery: authenticator app and recovery codes.

setup-app-title = Authenticator-App
setup-app-setup = Authenticator-App einrichten
setup-app-replace = Authenticator-App ersetzen
setup-replace-intro = Richten Sie unten die neue App (oder das neue Telefon) ein. Die bisherige App funktioniert nicht mehr, sobald die neue eingeschaltet ist.
setup-required = { $tenant } verlangt einen zweiten Faktor. Richten Sie einen ein, um fortzufahren.
setup-step-open = Öffnen Sie eine Authenticator-App auf Ihrem Telefon (zum Beispiel FreeOTP, Aegis, Google oder Microsoft Authenticator) und fügen Sie ein Konto hinzu.
setup-step-scan = Scannen Sie diesen Code oder geben Sie den Schlüssel unten ein.
setup-step-enter = Geben Sie den 6-stelligen Code ein, den die App dann anzeigt.
setup-key = Schlüssel:
setup-code-label = Code aus der App
setup-turn-on = Einschalten
setup-passkey-instead = Stattdessen einen Passkey oder Sicherheitsschlüssel verwenden
setup-passkey-name = Name des Passkeys
setup-passkey-placeholder = z. B. Laptop, YubiKey
setup-add-passkey = Passkey hinzufügen
setup-sign-out = Abmelden
setup-cancel = Abbrechen
setup-codes-title = Wiederherstellungscodes
setup-codes-intro = Wenn Sie Ihr Telefon verlieren, können Sie sich mit einem Wiederherstellungscode statt mit einem Code aus Ihrer App anmelden. Jeder Code funktioniert einmal.
setup-codes-keep = Bewahren Sie sie sicher und getrennt von Ihrem Telefon auf: ausgedruckt oder in einem Passwortmanager.
setup-codes-unused = Sie haben { $count ->
    [one] { $count } unbenutzten Code
   *[other] { $count } unbenutzte Codes
}. Neue Codes zu erstellen beendet die alten.
setup-codes-create = { $count } Wiederherstellungscodes erstellen
setup-back-to-account = Zurück zu Ihrem Konto
setup-codes-save-now = Speichern Sie diese Codes jetzt. Sie werden nur einmal angezeigt; latchkey behält nur einen Fingerabdruck jedes Codes.
setup-codes-download = Als Textdatei herunterladen
setup-codes-print = Drucken
setup-codes-copy = Kopieren
setup-codes-copied = Kopiert. Fügen Sie sie in Ihren Passwortmanager ein.
setup-codes-copy-failed = Ihr Browser hat das Kopieren nicht erlaubt. Markieren und kopieren Sie die Codes selbst oder laden Sie die Datei herunter.
setup-codes-saved = Ich habe sie gespeichert
# The downloaded file of new recovery codes.
setup-codes-file = Wiederherstellungscodes für { $tenant } ({ $url }). Jeder funktioniert einmal.
setup-wrong-code = Der Code ist nicht korrekt; geben Sie den aktuellen Code aus Ihrer Authenticator-App ein
setup-too-many-attempts = Zu viele Versuche. Versuchen Sie es erneut in { $wait }.

# The QR code's name for screen readers.
setup-qr-label = QR-Code
