# Die Wiederherstellung als Weg, den man verlassen und wieder aufnehmen kann:
# der Stand, die Uhrzeit auf der eigenen Uhr, ein neuer Code, der Hinweis auf
# diesen Browser und der nächste Schritt danach.

journey-status-heading = Stand Ihrer Wiederherstellung
journey-status-intro = Sie brauchen zwei Nachweise: den Code aus Ihrer E-Mail zusammen mit Ihrem Passwort oder einem Wiederherstellungscode — oder Ihr Passwort zusammen mit einem Wiederherstellungscode.
journey-proven = erbracht
journey-missing = fehlt noch
journey-next-heading = Wie es weitergeht
journey-next-proving = Sobald zwei Nachweise erbracht sind, zeigt diese Seite, wann die Wiederherstellung abgeschlossen ist. Von einem Gerät, mit dem sich dieses Konto noch nie angemeldet hat, gilt zuerst eine Wartezeit, und wir schreiben an die Adresse des Kontos, damit sein Inhaber sie stoppen kann.
journey-waiting = Nachgewiesen. Zu Ihrer Sicherheit wird die Wiederherstellung am { $when } ({ $zone }) abgeschlossen, { $relative }, weil sie auf einem Gerät begonnen wurde, mit dem sich dieses Konto noch nie angemeldet hat.
journey-zone-utc = UTC — Ihr Browser hat uns seine Zeitzone nicht mitgeteilt
journey-zone-organisation = { $zone } — die Zeitzone von { $tenant }; Ihr Browser hat uns seine eigene nicht mitgeteilt
journey-in-hours = { $n ->
    [one] in einer Stunde
   *[other] in { $n } Stunden
}
journey-in-minutes = { $n ->
    [one] in einer Minute
   *[other] in { $n } Minuten
}
journey-next-waiting-mail = Wir haben der bestätigten Adresse des Kontos geschrieben, wann die Wiederherstellung abgeschlossen ist, mit einem Link, der sie abbricht. Waren Sie es nicht, stoppt dieser Link sie.
journey-next-waiting-back = Ist die Wartezeit vorbei, schreiben wir Ihnen wieder. Kommen Sie dann in diesem Browser auf diese Seite zurück, bestätigen Sie, und richten Sie einen neuen zweiten Faktor ein.
journey-next-waiting-signin = Melden Sie sich in der Zwischenzeit mit einem zweiten Faktor an, wird die Wiederherstellung abgebrochen.
journey-browser-heading = In diesem Browser abschließen
journey-browser-warning = Dieser Browser hält Ihre Wiederherstellung: Sie können ihn schließen und später auf diese Seite zurückkehren, aber verwenden Sie dafür kein privates Fenster, und löschen Sie seine Cookies nicht, bevor Sie fertig sind.
journey-browser-lost = Gehen sie trotzdem verloren (Cookies gelöscht, ein anderes Gerät): Beginnen Sie dort neu und erbringen Sie beide Nachweise noch einmal. Die neue Wiederherstellung übernimmt diese und wird nie früher abgeschlossen, als diese es worden wäre.
journey-resend-intro = Keine E-Mail? Sehen Sie im Spam-Ordner nach, oder fordern Sie einen neuen Code an: Er ersetzt den alten. Für einen Namen gehen höchstens 3 E-Mails mit Code pro Stunde und 5 pro Tag hinaus.
journey-resend-button = Neuen Code senden
journey-resent = Hat das Konto eine bestätigte E-Mail-Adresse, ist ein neuer Code unterwegs. Der frühere Code gilt nicht mehr.
journey-resend-limit = Jetzt kein neuer Code: Für diesen Namen gingen genug E-Mails mit Code hinaus. Versuchen Sie es in { $wait } wieder — oder schließen Sie mit Ihrem Passwort und einem Wiederherstellungscode ab.
journey-done-next-heading = Schützen Sie Ihr Konto wieder
journey-done-next-intro = Ihr Konto hat jetzt keinen zweiten Faktor. Richten Sie einen ein — danach können Sie neue Wiederherstellungscodes speichern.
journey-done-app = Authenticator-App einrichten
journey-done-passkey = Passkey hinzufügen
journey-done-later = Nicht jetzt, weiter
