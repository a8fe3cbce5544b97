# Account Self-Recovery pages. They speak the browser's language, never the account's.

recovery-title = Konto wiederherstellen
recovery-start-heading = Telefon oder Sicherheitsschlüssel verloren?
recovery-start-intro = Sie können selbst wieder in Ihr Konto gelangen. Sie weisen sich mit dem aus, was Sie noch haben – einem Code, den wir an Ihre bestätigte Adresse senden, Ihrem Passwort oder einem Ihrer Wiederherstellungscodes – und richten danach einen neuen zweiten Faktor ein. Die alten funktionieren dann nicht mehr.
recovery-login-label = Benutzername oder E-Mail
recovery-start-button = Wiederherstellung beginnen
recovery-not-active = Diese Organisation hilft Ihnen selbst, wenn Sie sich nicht anmelden können.
recovery-help-link = Hilfe erhalten von { $tenant }
recovery-ask-admin = Wenden Sie sich an Ihre Administration oder Ihren Service-Desk: Dort können Ihre zweiten Faktoren zurückgesetzt werden.
recovery-back-to-signin = Zurück zur Anmeldung
recovery-enter-login = Geben Sie den Benutzernamen oder die E-Mail-Adresse Ihres Kontos ein.
recovery-too-many-starts = Zu viele Wiederherstellungen wurden begonnen. Versuchen Sie es erneut in { $wait }.
recovery-two-proofs = Erbringen Sie zwei dieser Nachweise. Ein Code aus Ihrer E-Mail zählt nur zusammen mit Ihrem Passwort oder einem Wiederherstellungscode.
recovery-email-heading = Code aus Ihrer E-Mail
recovery-email-intro = Wenn das Konto eine bestätigte E-Mail-Adresse hat, haben wir einen 8-stelligen Code dorthin gesendet. Er gilt 10 Minuten.
recovery-code-withheld = Für diesen Namen wurde heute zu oft eine Wiederherstellung begonnen, darum haben wir keinen weiteren Code gesendet. Sie können trotzdem mit Ihrem Passwort und einem Wiederherstellungscode abschließen oder es morgen erneut versuchen.
recovery-email-label = Code aus der E-Mail
recovery-email-button = Code prüfen
recovery-password-heading = Ihr Passwort
recovery-password-label = Passwort
recovery-password-button = Passwort prüfen
recovery-code-heading = Ein Wiederherstellungscode
recovery-code-intro = Zusammen mit Ihrem Passwort schließt ein Wiederherstellungscode die Wiederherstellung sofort ab.
recovery-code-label = Wiederherstellungscode
recovery-code-button = Wiederherstellungscode prüfen
recovery-stop = Diese Wiederherstellung abbrechen
recovery-waiting-more = Wir haben der bestätigten Adresse des Kontos geschrieben: Wenn Sie es nicht waren, bricht diese E-Mail die Wiederherstellung mit einem Klick ab. Kommen Sie dann in diesem Browser zurück, um sie abzuschließen. Eine Anmeldung mit einem zweiten Faktor bricht die Wiederherstellung ab.
recovery-ready-intro = Sie können jetzt abschließen. Dann werden alle zweiten Faktoren des Kontos entfernt (Authenticator-Apps, Passkeys, Wiederherstellungscodes), alle Geräte abgemeldet, und Sie richten einen neuen zweiten Faktor ein.
recovery-password-again = Noch einmal Ihr Passwort
recovery-finish = Wiederherstellung abschließen
recovery-start-again = Neu beginnen
recovery-ended-completed = Diese Wiederherstellung ist abgeschlossen.
recovery-ended-cancelled = Diese Wiederherstellung wurde abgebrochen. Ihre zweiten Faktoren sind unverändert.
recovery-ended-expired = Diese Wiederherstellung ist abgelaufen, bevor sie abgeschlossen wurde.
recovery-ended-locked = Diese Wiederherstellung ist nach zu vielen falschen Codes gesperrt. Nichts wurde geändert; wir haben die Inhaberin oder den Inhaber des Kontos per E-Mail informiert.
recovery-ended-other = Diese Wiederherstellung ist beendet.
recovery-wrong-email-code = Der Code aus der E-Mail stimmt nicht oder ist abgelaufen. { $count ->
    [one] Ein weiterer Fehlversuch sperrt diese Wiederherstellung.
   *[other] Noch { $count } Versuche, bevor diese Wiederherstellung gesperrt wird.
}
recovery-wrong-password-proof = Das Passwort stimmt nicht. { $count ->
    [one] Ein weiterer Fehlversuch sperrt diese Wiederherstellung.
   *[other] Noch { $count } Versuche, bevor diese Wiederherstellung gesperrt wird.
}
recovery-wrong-recovery-code = Der Wiederherstellungscode stimmt nicht oder wurde schon verwendet. { $count ->
    [one] Ein weiterer Fehlversuch sperrt diese Wiederherstellung.
   *[other] Noch { $count } Versuche, bevor diese Wiederherstellung gesperrt wird.
}
recovery-fill-one = Füllen Sie eines der Felder aus und senden Sie es mit seiner eigenen Schaltfläche.
recovery-too-many-attempts = Zu viele Versuche. Versuchen Sie es erneut in { $wait }.
recovery-busy = Der Server ist gerade ausgelastet. Versuchen Sie es gleich noch einmal.
recovery-wrong-password = Das Passwort ist nicht korrekt.
recovery-cancel-heading = Kontowiederherstellung abbrechen
recovery-cancel-intro = Jemand hat genug nachgewiesen, um Ihr Konto wiederherzustellen; nach der Wartezeit würde sie abgeschlossen. Wenn Sie das nicht waren, brechen Sie sie ab: Ihre zweiten Faktoren bleiben, wie sie sind.
recovery-cancel-button = Wiederherstellung abbrechen
recovery-cancelled-title = Wiederherstellung abgebrochen
recovery-cancelled-text = Die Kontowiederherstellung ist abgebrochen, Ihre zweiten Faktoren sind unverändert. Wenn Sie sie nicht begonnen haben, informieren Sie Ihre Administration und ändern Sie am besten Ihr Passwort.
recovery-done-heading = Sie sind wieder drin
recovery-done-intro = Ihr Konto ist wiederhergestellt. Was geschehen ist:
recovery-done-factors = alle zweiten Faktoren wurden entfernt – Authenticator-Apps, Passkeys und Wiederherstellungscodes;
recovery-done-devices = alle anderen Geräte wurden abgemeldet;
recovery-done-mail = wir haben Ihrer Adresse darüber geschrieben.
recovery-done-required = Ihre Organisation verlangt einen zweiten Faktor: Richten Sie jetzt einen neuen ein.
recovery-done-optional = Richten Sie jetzt einen neuen zweiten Faktor ein, damit Sie wieder geschützt sind.
recovery-continue-link = Weiter
