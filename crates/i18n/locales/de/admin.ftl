# The administration console.

admin-title = Verwaltung
admin-not-admin = Nur Administratoren dieser Organisation können diese Seite öffnen.
admin-recovery-heading = Selbstwiederherstellung von Konten
admin-active = Eingeschaltet.
admin-not-active = Nicht eingeschaltet; bitten Sie den Betreiber darum (siehe Ihre Kontoseite).
admin-started = begonnen
admin-open = offen
admin-completed = abgeschlossen
admin-cancelled = abgebrochen
admin-expired = abgelaufen
admin-locked = gesperrt
admin-median = mittlere Dauer bis zum Abschluss
admin-self-recoveries = Personen, die sich selbst geholfen haben
admin-helpdesk-resets = Zurücksetzungen durch den Helpdesk
admin-chart-title = Wiederherstellungen nach Ausgang, letzte 90 Tage
admin-minutes = { $count ->
    [one] { $count } Minute
   *[other] { $count } Minuten
}
admin-users-heading = Personen
admin-reason = Grund (Pflicht, wird im Prüfprotokoll gespeichert)
admin-reset-button = Zweite Faktoren zurücksetzen
admin-reset-done = Die zweiten Faktoren wurden zurückgesetzt und die Person per E-Mail informiert.
admin-apps-heading = Anwendungen
admin-app-name = Name
admin-app-redirects = Weiterleitungsadressen, eine pro Zeile
admin-app-kind = Art
admin-confidential = Webanwendung mit Geheimnis
admin-public = Single-Page- oder native Anwendung (PKCE, kein Geheimnis)
admin-first-party = Eigene Anwendung (keine Einwilligungsfrage)
admin-create-app = Anwendung registrieren
admin-created-title = Anwendung registriert
admin-created-secret-note = Kopieren Sie das Geheimnis jetzt: Es wird nur dieses eine Mal angezeigt.
admin-client-id = Client-ID
admin-client-secret = Client-Geheimnis
admin-back = Zurück zur Verwaltung
admin-none-yet = noch keine
admin-setup-heading = Zweite Faktoren
admin-setup-intro = Richten Sie Ihre Organisation ein: Sollen Personen, die sich mit Passwort anmelden, einen zweiten Faktor hinzufügen (eine Authenticator-App oder einen Passkey)? Ein Passkey allein sind bereits zwei Faktoren.
admin-policy-off = Aus: nicht angeboten
admin-policy-optional = Freiwillig: Personen können einen hinzufügen
admin-policy-required = Pflicht: alle richten bei der nächsten Anmeldung einen ein (empfohlen)
admin-setup-save = Speichern
admin-setup-done = Gespeichert.
admin-settings = Einstellungen
admin-app-title = Anwendung
admin-app-post-logout = Adressen nach der Abmeldung, eine pro Zeile
admin-app-grants = Was sie darf
admin-grant-code = Personen anmelden (Autorisierungscode)
admin-grant-refresh = Personen angemeldet halten (Refresh-Tokens)
admin-grant-cc = APIs im eigenen Namen aufrufen (Client Credentials; nicht für Single-Page- oder native Anwendungen)
admin-access-minutes = Gültigkeit der Zugriffstokens in Minuten (1–1440)
admin-refresh-days = Gültigkeit der Refresh-Tokens in Tagen (1–365)
admin-signing-alg = Signatur der Tokens (RS256 nur für Bibliotheken, die ES256 nicht prüfen können)
admin-save-app = Änderungen speichern
admin-app-saved = Die Anwendung wurde geändert.
admin-rotate-heading = Neues Geheimnis
admin-rotate-intro = Ein neues Geheimnis ersetzt das bisherige sofort: Die Anwendung muss ab dann das neue verwenden.
admin-rotate-button = Neues Geheimnis erzeugen
admin-rotated-title = Neues Client-Geheimnis
admin-rotated-note = Kopieren Sie das Geheimnis jetzt: Es wird nur dieses eine Mal angezeigt. Das alte Geheimnis gilt nicht mehr.
admin-delete-heading = Anwendung entfernen
admin-delete-intro = Das Entfernen beendet sofort die Anmeldungen aller, die die Anwendung nutzen. Es lässt sich nicht rückgängig machen.
admin-delete-button = Anwendung entfernen
admin-delete-confirm-title = Anwendung „{ $name }“ entfernen?
admin-delete-confirm-intro = Bitte lesen Sie, was beim Entfernen geschieht.
admin-delete-confirm-sign-ins = Alle, die über diese Organisation bei ihr angemeldet sind, werden sofort abgemeldet: Ihre Zugriffs- und Aktualisierungstokens gelten nicht mehr.
admin-delete-confirm-credentials = Ihre Client-ID und ihr Geheimnis gelten nicht mehr: Die Anwendung kann niemanden mehr anmelden, bis sie mit einer neuen ID wieder registriert ist.
admin-delete-confirm-final = Das lässt sich nicht rückgängig machen.
admin-delete-cancel = Behalten
admin-app-deleted = Die Anwendung wurde entfernt.
admin-whole-number = "{ $value }" ist keine ganze Zahl
# A person's state in the list of people.
admin-status-active = aktiv
admin-status-disabled = deaktiviert

# The weekly chart of the console.
admin-weekly-title = Abgeschlossene Wiederherstellungen pro Woche nach Ausgang, letzte 12 Wochen
admin-weekly-table = Die Wochen als Tabelle
admin-week-starting = Woche ab
admin-week-total = gesamt
