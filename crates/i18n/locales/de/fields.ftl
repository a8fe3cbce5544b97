# Messages about one field of a form (core's `Said`). A page puts the
# field's label first ("Password: …"); the API and the CLI use English.

label-password = Passwort
label-email = E-Mail-Adresse
label-username = Benutzername
label-name = Name
label-reason = Grund

field-required = ist erforderlich
field-too-long = ist { $len } Zeichen lang; höchstens { $max } sind erlaubt
field-control-characters = darf keine Steuerzeichen enthalten (etwa Zeilenumbrüche oder Tabulatoren)
field-password-too-short = ist { $len } Zeichen lang; verwenden Sie mindestens { $min } Zeichen (einige Wörter ohne Zusammenhang eignen sich gut)
field-password-repeated = darf nicht aus einem einzigen wiederholten Zeichen bestehen
field-password-common = gehört zu den Passwörtern, die am häufigsten gewählt werden (oder ist eines davon mit ein paar Ziffern oder Zeichen dazu), und wird daher von Angreifern zuerst ausprobiert; wählen Sie drei oder vier Wörter ohne Zusammenhang oder lassen Sie Ihren Passwort-Manager eines erzeugen
field-password-context = besteht zum größten Teil aus „{ $word }“, einem Namen, der zu diesem Konto oder dieser Organisation gehört, und solche Namen probieren Angreifer zuerst; fügen Sie drei oder vier Wörter ohne Zusammenhang hinzu oder lassen Sie Ihren Passwort-Manager eines erzeugen
field-username-characters = darf nur Buchstaben, Ziffern, '.', '_' und '-' enthalten (keine Leerzeichen, kein '@')
field-username-taken = ist in dieser Organisation bereits vergeben; wählen Sie einen anderen Benutzernamen
field-email-taken = wird bereits von einer anderen Person dieser Organisation verwendet
field-email-too-long = ist länger als 254 Zeichen
field-email-spaces = darf keine Leer- oder Steuerzeichen enthalten
field-email-shape = muss wie name@example.com aussehen
field-email-local-part = muss wie name@example.com aussehen (ein '@', davor höchstens 64 Zeichen)
field-email-domain = hat eine ungültige Domain; sie muss wie example.com aussehen
field-email-local-characters = ist keine Adresse, an die Mail gehen kann: vor dem '@' Buchstaben, Ziffern und Zeichen wie . _ + - verwenden (keine Anführungszeichen, Klammern, Kommas oder Leerzeichen und keinen Punkt am Anfang, am Ende oder doppelt)
field-mixes-scripts = mischt Buchstaben verschiedener Schriften (etwa lateinische und kyrillische) und kann so mit einem anderen Namen verwechselt werden; verwenden Sie die Buchstaben einer Schrift (lateinische dürfen mit chinesischen, japanischen oder koreanischen Zeichen stehen)
field-not-a-name-character = enthält „{ $ch }“ (U+{ $code }), das in Namen nicht erlaubt ist, weil es leicht mit einem anderen Zeichen verwechselt wird; verwenden Sie die Buchstaben einer verbreiteten Schrift
field-passkey-request-expired = diese Passkey-Anfrage ist abgelaufen oder wurde schon verwendet; beginnen Sie neu
field-passkey-unreadable = die Passkey-Antwort des Browsers war nicht lesbar; versuchen Sie es noch einmal
field-passkey-not-verified = der Passkey konnte nicht geprüft werden; versuchen Sie es noch einmal
field-passkey-limit = Sie haben { $max } Passkeys, mehr kann ein Konto nicht haben; entfernen Sie zuerst einen
field-passkey-only-factor = Ihre Organisation verlangt einen zweiten Faktor, und dies ist Ihr einziger; fügen Sie zuerst einen weiteren Passkey oder eine Authenticator-App hinzu
field-passkey-alone-not-offered = diese Organisation bietet die Anmeldung nur mit Passkey nicht an; melden Sie sich mit Ihrem Passwort an
field-confirm-with-passkey = Ihr Konto hat einen Passkey: Bestätigen Sie damit statt mit dem Passwort
field-totp-only-factor = Ihre Organisation verlangt einen zweiten Faktor, und dies ist Ihr einziger; für ein neues Telefon verwenden Sie „Ersetzen“
field-totp-offer-expired = dieses Einrichtungsformular ist abgelaufen; beginnen Sie neu
field-totp-changed-meanwhile = Ihre Authenticator-App wurde inzwischen geändert (in einem anderen Tab?); laden Sie die Kontoseite neu
field-recovery-changed-meanwhile = diese Wiederherstellung hat sich inzwischen geändert (in einem anderen Tab?); laden Sie die Seite neu
field-recovery-ended = diese Wiederherstellung ist beendet
field-recovery-needs-proof = zuerst sind weitere Nachweise nötig
field-recovery-waiting = die Wartezeit ist noch nicht vorbei
field-recovery-finished-meanwhile = diese Wiederherstellung wurde inzwischen abgeschlossen oder beendet
field-recovery-switched-off = die Selbstwiederherstellung wurde für diese Organisation ausgeschaltet
field-password-recently-reset = Ihr Passwort wurde kürzlich per E-Mail zurückgesetzt und zählt deshalb hier nicht neben dem gemailten Code; verwenden Sie einen Wiederherstellungscode
field-address-recently-changed = Ihre E-Mail-Adresse wurde kürzlich geändert, deshalb zählt ihr Code noch nicht; verwenden Sie Ihr Passwort und einen Wiederherstellungscode oder wenden Sie sich an Ihren Helpdesk
field-same-address = ist bereits Ihre Adresse
field-only-admins-ask = nur Administratoren der Organisation können dies beantragen
field-recovery-active-already = die Selbstwiederherstellung ist bereits eingeschaltet
field-onboarding-first = Ihre Organisation muss zuerst auf das neue Onboarding (v2) umsteigen; fragen Sie Ihren Betreiber
field-request-decided-meanwhile = über den Antrag wurde inzwischen entschieden
field-settings-changed-meanwhile = die Einstellungen der Organisation wurden inzwischen geändert; laden Sie neu und versuchen Sie es noch einmal
field-redirect-not-plain = „{ $uri }“ ist nicht in der einfachen Form; tragen Sie { $plain } ein
field-too-many-addresses = höchstens { $max } Adressen
field-needs-redirect = eine Anwendung, die Personen anmeldet, braucht mindestens eine Weiterleitungsadresse
field-client-credentials-needs-secret = client_credentials braucht eine vertrauliche Anwendung (mit Geheimnis oder Schlüsseln), keine öffentliche
field-not-between = { $value } liegt nicht zwischen 1 und { $max }
field-passkeys-unavailable = Passkeys sind auf diesem Server nicht verfügbar: Er muss über https (oder http://localhost) erreicht werden; fragen Sie Ihre Administration
field-needs-grant-type = wählen Sie mindestens eines von authorization_code, refresh_token und client_credentials
field-scopes-need-openid = die Scopes einer Anwendung müssen openid enthalten: das heißt, jemanden anzumelden
field-admin-scope-first-party-only = nur eine eigene Anwendung (first-party) darf latchkey:admin haben: markieren Sie sie als eigene Anwendung oder lassen Sie latchkey:admin weg
field-redirect-uri = „{ $uri }“ { $problem ->
    [too-long] ist länger als { $max } Zeichen
    [fragment] hat ein Fragment (#…), das Weiterleitungen nicht haben dürfen
    [spaces] enthält Leerzeichen, Backslashes oder Steuerzeichen
    [not-absolute] ist keine absolute URL mit gültigem Host und Port
    [user-info] enthält einen Benutzernamen
    [no-host] hat keinen Host
    [plain-http] verwendet einfaches http auf einem anderen Host als localhost
   *[not-http] ist kein http(s)
}; verwenden Sie eine absolute https://-Adresse wie https://app.example.com/callback
label-person = Person
label-role = Rolle
label-status = Zustand
label-search = Suche
label-page = Seite
label-page-size = Seitengröße
field-nothing-to-reset = hat keinen zweiten Faktor und keine Wiederherstellungscodes: Es gibt nichts zurückzusetzen
field-not-yourself = lässt sich am eigenen Konto nicht ändern; bitten Sie eine andere Administratorin oder einen anderen Administrator
field-reset-link-disabled = ist deaktiviert: Aktivieren Sie das Konto, bevor Sie einen Link zum Zurücksetzen des Passworts senden
field-reset-link-unverified = hat keine bestätigte E-Mail-Adresse, und ein Link zum Zurücksetzen geht nur an eine Adresse, die die Person bestätigt hat; bitten Sie sie, zuerst ihre Adresse zu bestätigen
field-reset-link-too-soon = hat vor weniger als einer Minute einen Link zum Zurücksetzen erhalten; warten Sie eine Minute, bevor Sie einen weiteren senden
field-page-cursor = ist keine Seite dieser Liste; beginnen Sie wieder bei der ersten Seite
field-page-size = muss eine ganze Zahl von 1 bis { $max } sein
field-choose-one = wählen Sie eine der angebotenen Möglichkeiten
field-no-way-to-sign-in = ließe keine Anmeldung mehr zu: Lassen Sie Passwörter eingeschaltet oder erlauben Sie die Anmeldung allein mit einem Passkey
field-passkey-before-passwords-off = fügen Sie zuerst Ihrem eigenen Konto einen Passkey hinzu (Kontoseite), damit Sie sich ohne Passwörter weiter anmelden können
field-setup-step-not-yet = dieser Schritt der Einrichtung kommt später; erledigen Sie zuerst die Schritte davor
field-setup-finished-already = die Einrichtung ist bereits abgeschlossen
field-password-signin-off = diese Organisation meldet sich nur mit Passkeys an: Wählen Sie „Mit einem Passkey anmelden“
label-organisation-name = Name der Organisation
label-language = Sprache
label-signin-methods = Anmeldemethoden
label-second-factor = Zweite Faktoren
label-recovery-wait = Wartezeit
label-redirect-uris = Weiterleitungsadressen
label-post-logout-uris = Adressen nach der Abmeldung
label-access-minutes = Gültigkeit des Zugriffstokens
label-refresh-days = Gültigkeit des Aktualisierungstokens
label-signing-alg = Tokensignatur
label-grant-types = Erlaubte Vorgänge
label-app-kind = Art
label-note = Bemerkung
label-step = Einrichtung
label-request = Anfrage
label-people = Personen
label-readiness = Bereitschaft
field-nudge-whom = wählen Sie die Personen aus, die erinnert werden sollen, oder erinnern Sie alle in der Liste
field-unknown-people = { $count ->
    [one] eine der gewählten Personen gehört nicht zu dieser Organisation
   *[other] { $count } der gewählten Personen gehören nicht zu dieser Organisation
}; laden Sie die Liste neu und wählen Sie erneut
field-too-many-chosen = höchstens { $max } Personen können auf einmal gewählt werden; erinnern Sie stattdessen alle in der Liste
field-ready-filter = kann nur die Personen zeigen, die nicht bereit sind; öffnen Sie die Liste der Personen ohne diesen Filter

field-unknown-time-zone = „{ $value }“ ist keine Zeitzone, die dieser Server kennt: Geben Sie ihren IANA-Namen ein, etwa Europe/Zurich oder Asia/Tokyo, oder lassen Sie das Feld für UTC leer
