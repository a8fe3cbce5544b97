# The administration console: the people and a person's page.

people-console-intro = Durchsuchen Sie die Personen Ihrer Organisation, sehen Sie ihre zweiten Faktoren und wie vorbereitet sie sind, sperren Sie ein Konto, ändern Sie eine Rolle oder setzen Sie die zweiten Faktoren einer Person zurück.
people-console-link = Personen öffnen
people-title = Personen
people-search-label = Suche
people-search-hint = Der Anfang eines Benutzernamens, eines Namens oder einer E-Mail-Adresse; Groß- und Kleinschreibung spielt keine Rolle.
people-search-button = Suchen
people-everyone = Alle
people-results = Beginnend mit „{ $search }“
people-none-found = Niemand gefunden.
people-col-person = Person
people-col-email = E-Mail-Adresse
people-col-factors = Zweite Faktoren
people-col-readiness = Vorbereitung
people-col-last-sign-in = Letzte Anmeldung
people-col-state = Zustand
people-pages = Seiten
people-first-page = Erste Seite
people-previous-page = Vorherige Seite
people-next-page = Nächste Seite
people-factor-app = Authenticator-App
people-factor-passkeys = { $count ->
    [one] { $count } Passkey
   *[other] { $count } Passkeys
}
people-factor-none = keine
people-ready = vorbereitet
people-missing-address = eine bestätigte Adresse
people-missing-spare = Wiederherstellungscodes oder ein weiterer Faktor
people-not-ready = es fehlt: { $missing }
people-never = nie
people-done-disabled = Das Konto ist gesperrt, und jede seiner Sitzungen ist beendet.
people-done-enabled = Das Konto ist wieder freigegeben.
people-done-role = Die Rolle wurde geändert.
people-back = Zurück zu den Personen
people-account-heading = Konto
people-verified = bestätigt
people-not-verified = nicht bestätigt
people-role = Rolle
people-role-admin = Administrator
people-role-member = Mitglied
people-created = Angelegt
people-sessions = Offene Sitzungen
people-last-active = zuletzt aktiv { $when }
people-factors-heading = Zweite Faktoren
people-factor-app-label = Authenticator-App
people-since = hinzugefügt { $when }
people-passkeys-label = Passkeys
people-last-used = zuletzt verwendet { $when }
people-codes-label = Unbenutzte Wiederherstellungscodes
people-events-heading = Letzte Ereignisse
people-event-when = Wann
people-event-what = Ereignis
people-event-who = Durch
people-yourself = Das ist Ihr eigenes Konto: Eine andere Administratorin oder ein anderer Administrator kann seine Rolle ändern oder es sperren.
people-role-label = Rolle in der Organisation
people-role-save = Rolle ändern
people-disable-heading = Konto sperren
people-enable-heading = Konto freigeben
people-disable-intro = Mit einem gesperrten Konto kann man sich nicht anmelden; seine Sitzungen enden sofort, und die Tokens seiner Anwendungen gelten nicht mehr.
people-enable-intro = Das Konto ist gesperrt. Wieder freigegeben, kann man sich damit wie zuvor anmelden.
people-disable-button = Konto sperren
people-enable-button = Konto freigeben
people-reset-nothing = Diese Person hat keinen zweiten Faktor und keine Wiederherstellungscodes: Es gibt nichts zurückzusetzen.
people-reset-intro = Für jemanden, der jeden zweiten Faktor verloren hat und sich nicht selbst helfen kann: Prüfen Sie zuerst, wer es ist, und nennen Sie dann den Grund. Bevor etwas entfernt wird, sehen Sie, welche Faktoren wegfallen.
people-reset-continue = Weiter
people-confirm-title = Zurücksetzen bestätigen
people-confirm-heading = Die zweiten Faktoren von { $name } ({ $username }) zurücksetzen?
people-confirm-intro = Damit wird sofort und endgültig entfernt:
people-confirm-app = die Authenticator-App
people-confirm-passkeys = { $count ->
    [one] { $count } Passkey
   *[other] { $count } Passkeys
}
people-confirm-codes = { $count ->
    [one] { $count } unbenutzter Wiederherstellungscode
   *[other] { $count } unbenutzte Wiederherstellungscodes
}
people-confirm-sessions = { $count ->
    [one] { $count } offene Sitzung (abgemeldet)
   *[other] { $count } offene Sitzungen (abgemeldet)
}
people-confirm-devices = die für die Person gemerkten Browser und unbenutzte Links zum Zurücksetzen des Passworts
people-confirm-mail = Die Person wird per E-Mail informiert. Ihr Passwort bleibt; bei der nächsten Anmeldung richtet sie wieder einen zweiten Faktor ein.
people-confirm-button = Die zweiten Faktoren von { $name } zurücksetzen
people-confirm-cancel = Abbrechen
readiness-heading = Bereit für einen verlorenen Faktor
readiness-share = { $ready } von { $people } Personen sind bereit — { $percent } %
readiness-share-none = Noch niemand ist hier: Der Anteil erscheint, sobald Personen Konten haben.
readiness-share-hint = Bereit heisst: eine bestätigte E-Mail-Adresse und Wiederherstellungscodes oder ein zusätzlicher zweiter Faktor. Wer dann ein Telefon oder einen Schlüssel verliert, kommt selbst wieder hinein.
readiness-see-unready = { $count ->
    [one] Die Person ansehen, die nicht bereit ist
   *[other] Die { $count } Personen ansehen, die nicht bereit sind
}
readiness-filter-label = Welche Personen
readiness-unready = Nicht bereit
readiness-unready-results = Nicht bereit, beginnend mit «{ $search }»
readiness-unready-intro = Aktive Personen ohne bestätigte Adresse oder ohne Wiederherstellungscodes und zusätzlichen zweiten Faktor. Jede Zeile nennt, was fehlt; eine Erinnerung per E-Mail führt sie zu ihrer Kontoseite.
readiness-none-unready = Alle hier sind bereit.
readiness-col-choose = Auswählen
readiness-choose = { $name } für die Erinnerung auswählen
readiness-reminded-at = erinnert am { $when }
readiness-remind-hint = Jede Person wird höchstens einmal pro Woche erinnert; wer in den letzten sieben Tagen erinnert wurde, wird übersprungen.
readiness-remind-chosen = Die ausgewählten Personen erinnern
readiness-remind-all = Alle in dieser Liste erinnern
readiness-confirm-title = Erinnerungen senden
readiness-confirm-heading = { $count ->
    [one] Eine Person per E-Mail erinnern?
   *[other] { $count } Personen per E-Mail erinnern?
}
readiness-confirm-intro = Jede erhält eine E-Mail in ihrer Sprache, die nennt, was ihrem Konto fehlt, mit einem Link zu ihrer Kontoseite.
readiness-confirm-button = { $count ->
    [one] Eine Erinnerung senden
   *[other] { $count } Erinnerungen senden
}
readiness-nobody = Zurzeit niemand zu erinnern
readiness-back = Zurück zu den Personen, die nicht bereit sind
readiness-sent = { $count ->
    [one] Eine Erinnerung gesendet.
   *[other] { $count } Erinnerungen gesendet.
}
readiness-skipped-recent = { $count ->
    [one] Eine Person wurde übersprungen: in den letzten sieben Tagen erinnert.
   *[other] { $count } Personen wurden übersprungen: in den letzten sieben Tagen erinnert.
}
readiness-skipped-needless = { $count ->
    [one] Eine ausgewählte Person ist schon bereit oder deaktiviert: Es gibt nichts zu erinnern.
   *[other] { $count } ausgewählte Personen sind schon bereit oder deaktiviert: Es gibt nichts zu erinnern.
}
readiness-left = { $count ->
    [one] Eine weitere Person ist nicht bereit: Senden Sie erneut, um sie zu erinnern.
   *[other] { $count } weitere Personen sind nicht bereit: Senden Sie erneut, um sie zu erinnern.
}
readiness-later = { $count ->
    [one] Eine weitere Person ist nicht bereit: Höchstens { $batch } werden auf einmal erinnert, senden Sie danach erneut.
   *[other] { $count } weitere Personen sind nicht bereit: Höchstens { $batch } werden auf einmal erinnert, senden Sie danach erneut.
}
people-sign-out-heading = Überall abmelden
people-sign-out-intro = { $count ->
    [one] Ein Browser ist bei diesem Konto angemeldet. Das Abmelden beendet ihn und den Zugriff aller Anwendungen
   *[other] { $count } Browser sind bei diesem Konto angemeldet. Das Abmelden beendet sie und den Zugriff aller Anwendungen
}; die Person kann sich wieder anmelden (um sie fernzuhalten, deaktivieren Sie das Konto).
people-sign-out-button = Von allen Browsern und Anwendungen abmelden
people-done-signed-out = Die Person wurde von allen Browsern und Anwendungen abgemeldet.
invite-title = Person hinzufügen
invite-intro = Das Konto wird sofort angelegt, ohne Passwort. Wir senden der Person einen einmal verwendbaren Link, 7 Tage gültig, in der Sprache der Organisation; damit wählt sie ihr Passwort (und bestätigt ihre Adresse).
invite-name-label = Name (optional)
invite-button = Hinzufügen und Einladung senden
invite-done = Das Konto ist angelegt und die Einladung per E-Mail unterwegs.
invite-done-again = Ein neuer Link ist unterwegs; der vorherige funktioniert nicht mehr.
invite-done-withdrawn = Die Einladung ist zurückgezogen; ihr Link funktioniert nicht mehr. Das Konto bleibt bestehen, ohne Passwort.
invite-too-soon = Vor weniger als einer Minute ging ein Link hinaus. Warten Sie einen Moment, bevor Sie einen weiteren senden.
invite-gone = Es gibt keine offene Einladung mehr: Sie wurde inzwischen angenommen oder zurückgezogen.
invite-pending-heading = Einladung ausstehend
invite-pending-intro = Die Person hat noch kein Passwort gewählt. Senden Sie die Einladung erneut (der vorherige Link funktioniert dann nicht mehr) oder ziehen Sie sie zurück.
invite-sent = Gesendet
invite-until = Gültig bis
invite-expired = abgelaufen am { $when }
invite-again-button = Erneut senden
invite-withdraw-button = Zurückziehen
reset-link-heading = Link zum Zurücksetzen des Passworts senden
reset-link-intro = Sendet an { $email } denselben einmal verwendbaren Link wie „Passwort vergessen“: Die Person wählt ein neues Passwort, und Sie sehen es nie. Sie bestätigen auf der nächsten Seite.
reset-link-continue = Link zum Zurücksetzen des Passworts senden…
reset-link-not-active = Das Konto ist deaktiviert: Aktivieren Sie es, bevor Sie einen Link zum Zurücksetzen des Passworts senden.
reset-link-not-verified = Die E-Mail-Adresse ist nicht bestätigt, und ein Link zum Zurücksetzen geht nur an eine Adresse, die die Person bestätigt hat. Bitten Sie sie, die Adresse zuerst zu bestätigen.
reset-link-confirm-heading = { $name } ({ $username }) einen Link zum Zurücksetzen des Passworts senden?
reset-link-confirm-to = Der Link geht an { $email }, in der Sprache der Person.
reset-link-confirm-lifetime = { $count ->
    [one] Er funktioniert einmal, eine Minute lang; ein neuerer Link ersetzt ihn.
   *[other] Er funktioniert einmal, { $count } Minuten lang; ein neuerer Link ersetzt ihn.
}
reset-link-confirm-secret = Nur die Person wählt das neue Passwort; niemand sonst sieht es.
reset-link-confirm-sessions = Bis der Link verwendet wird, ändert sich nichts: Die Person bleibt angemeldet, und ihr Passwort funktioniert weiter. Ein neues Passwort meldet sie überall ab.
reset-link-confirm-factors = Ihre zweiten Faktoren bleiben: Die nächste Anmeldung fragt weiterhin nach einem.
reset-link-button = Link senden
reset-link-done = Der Link zum Zurücksetzen des Passworts ist per E-Mail unterwegs.
everyone-title = Alle abmelden
everyone-card-intro = Für den Notfall, etwa ein verlorenes Gerät oder einen vermuteten Einbruch: Beendet jede Sitzung in der Organisation, und jede Anwendung verlangt eine neue Anmeldung. Sie bestätigen auf der nächsten Seite.
everyone-continue = Alle abmelden…
everyone-confirm-intro = Alle in { $organisation } werden auf einmal abgemeldet.
everyone-confirm-sessions = Jeder Browser, der bei einem Konto angemeldet ist, beendet seine Sitzung, deaktivierte Konten eingeschlossen.
everyone-confirm-applications = Jede Anwendung nimmt ihre Tokens nicht mehr an; alle melden sich bei jeder Anwendung neu an.
everyone-confirm-you = Nur Sie bleiben angemeldet, und nur in diesem Browser; Ihre anderen Browser und Anwendungen werden ebenfalls abgemeldet.
everyone-confirm-stays = Passwörter, zweite Faktoren, Einladungen und bereits gesendete Links bleiben, wie sie sind. Alle können sich wieder anmelden; um jemanden auszuschließen, deaktivieren Sie das Konto.
everyone-button = Alle abmelden
everyone-cancel = Abbrechen
everyone-done = { $count ->
    [one] Alle wurden abgemeldet; eine Sitzung wurde beendet. Dieser Browser bleibt angemeldet.
   *[other] Alle wurden abgemeldet; { $count } Sitzungen wurden beendet. Dieser Browser bleibt angemeldet.
}
