# Mails: a greeting, paragraphs, an optional action link and a footer.

mail-greeting = Hallo { $name },
mail-footer = Gesendet von latchkey für { $tenant }. Dies ist eine automatische Nachricht; Antworten werden nicht gelesen.
mail-verify-email-subject = Bestätigen Sie Ihre E-Mail-Adresse für { $tenant_name }
mail-verify-email-ask = bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse für Ihr Konto bei { $tenant_name } ist, indem Sie diesen Link öffnen:
mail-verify-email-action = E-Mail-Adresse bestätigen
mail-verify-email-expiry = Der Link funktioniert einmal und läuft in { $expires_hours ->
    [one] { $expires_hours } Stunde
   *[other] { $expires_hours } Stunden
} ab.
mail-verify-email-ignore = Falls Sie diese Nachricht nicht erwartet haben, können Sie sie ignorieren; es ändert sich nichts.
mail-recovery-code-subject = Ihr Code zur Kontowiederherstellung bei { $tenant_name }
mail-recovery-code-intro = jemand – hoffentlich Sie – stellt Ihr Konto bei { $tenant_name } wieder her, nachdem die zweiten Faktoren verloren gingen. Der Code lautet:
mail-recovery-code-expiry = Er gilt { $expires_minutes ->
    [one] { $expires_minutes } Minute
   *[other] { $expires_minutes } Minuten
}. Geben Sie ihn niemandem weiter, auch nicht Ihrer Organisation.
mail-recovery-code-warning = Wenn Sie das nicht waren, tun Sie nichts und informieren Sie Ihre Administration: Ohne diesen Code kann niemand Ihr Konto über diese Adresse wiederherstellen.
mail-recovery-waiting-subject = Ihr Konto bei { $tenant_name } wird am { $when } wiederhergestellt
mail-recovery-waiting-intro = eine Kontowiederherstellung für Ihr Konto bei { $tenant_name } wurde nachgewiesen. Ab { $when } kann sie abgeschlossen werden: Dann werden alle zweiten Faktoren des Kontos entfernt und neue eingerichtet. Wenn Sie das nicht sind, brechen Sie sie jetzt ab:
mail-recovery-waiting-action = Wiederherstellung abbrechen
mail-recovery-waiting-mine = Wenn Sie es sind, ist bis dahin nichts zu tun; machen Sie im Browser weiter, in dem Sie begonnen haben.
mail-recovery-ready-subject = Sie können die Wiederherstellung Ihres Kontos bei { $tenant_name } abschließen
mail-recovery-ready-intro = die Wartezeit der Wiederherstellung Ihres Kontos bei { $tenant_name } ist vorbei. Schließen Sie sie in dem Browser ab, in dem Sie begonnen haben:
mail-recovery-ready-action = Wiederherstellung abschließen
mail-recovery-ready-note = Der Link funktioniert nur in diesem Browser. Wenn Sie diese Wiederherstellung nicht begonnen haben, informieren Sie sofort Ihre Administration.
mail-password-reset-subject = Neues Passwort für { $tenant_name }
mail-password-reset-intro = jemand möchte ein neues Passwort für Ihr Konto bei { $tenant_name } festlegen. Öffnen Sie dazu diesen Link:
mail-password-reset-action = Neues Passwort festlegen
mail-password-reset-expiry = Er funktioniert einmal, { $expires_minutes ->
    [one] { $expires_minutes } Minute
   *[other] { $expires_minutes } Minuten
} lang.
mail-password-reset-note = Ein neues Passwort ändert Ihre zweiten Faktoren nicht: Die Anmeldung fragt weiterhin danach. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.
mail-security-totp-added-subject = Eine Authenticator-App wurde zu Ihrem Konto hinzugefügt
mail-security-totp-added-what = eine Authenticator-App wurde als zweiter Faktor hinzugefügt
mail-security-totp-removed-subject = Eine Authenticator-App wurde von Ihrem Konto entfernt
mail-security-totp-removed-what = eine Authenticator-App wurde aus Ihren zweiten Faktoren entfernt
mail-security-passkey-added-subject = Ein Passkey wurde zu Ihrem Konto hinzugefügt
mail-security-passkey-added-what = ein Passkey oder Sicherheitsschlüssel wurde als zweiter Faktor hinzugefügt
mail-security-passkey-removed-subject = Ein Passkey wurde von Ihrem Konto entfernt
mail-security-passkey-removed-what = ein Passkey oder Sicherheitsschlüssel wurde aus Ihren zweiten Faktoren entfernt
mail-security-passkey-clone-suspected-subject = Ein Passkey Ihres Kontos wurde möglicherweise kopiert
mail-security-passkey-clone-suspected-what = einer Ihrer Passkeys oder Sicherheitsschlüssel antwortete mit einem Signaturzähler, den er schon verwendet hatte – ein Zeichen, dass er kopiert wurde; er meldet nicht mehr an
mail-security-recovery-cancelled-subject = Ihre Kontowiederherstellung wurde abgebrochen
mail-security-recovery-cancelled-what = eine laufende Kontowiederherstellung wurde abgebrochen; Ihre zweiten Faktoren sind unverändert
mail-security-recovery-completed-subject = Ihr Konto wurde wiederhergestellt
mail-security-recovery-completed-what = Ihr Konto wurde wiederhergestellt: Alle zweiten Faktoren wurden entfernt und alle Geräte abgemeldet
mail-security-recovery-locked-subject = Ihre Kontowiederherstellung wurde gesperrt
mail-security-recovery-locked-what = eine Kontowiederherstellung wurde nach zu vielen falschen Codes gesperrt; nichts wurde geändert
mail-security-factors-reset-subject = Ihre zweiten Faktoren wurden zurückgesetzt
mail-security-factors-reset-what = die Administration hat alle zweiten Faktoren Ihres Kontos entfernt und alle Geräte abgemeldet
mail-security-recovery-not-for-admins-subject = Kontowiederherstellung ist für Ihr Konto nicht verfügbar
mail-security-recovery-not-for-admins-what = eine Kontowiederherstellung wurde angefordert; Administratorkonten werden so nicht wiederhergestellt — bitten Sie eine andere Administration oder Ihren Betreiber, Ihre zweiten Faktoren zurückzusetzen
mail-security-recovery-codes-regenerated-subject = Neue Wiederherstellungscodes für Ihr Konto
mail-security-recovery-codes-regenerated-what = neue Wiederherstellungscodes wurden erstellt; die alten gelten nicht mehr
mail-security-password-changed-subject = Ihr Passwort wurde geändert
mail-security-password-changed-what = Ihr Passwort wurde geändert
mail-security-second-factor-guessing-subject = Jemand versucht, sich bei Ihrem Konto anzumelden
mail-security-second-factor-guessing-what = Ihr Passwort wurde richtig eingegeben, danach viele falsche Codes
mail-security-happened = am { $when } wurde in Ihrem Konto bei { $tenant } Folgendes geändert: { $what }.
mail-security-from = Es geschah mit { $device }.
mail-security-address = Die Anfrage kam von der Adresse { $address } (der letzte Teil ist verborgen).
mail-security-totp-removed-with-codes-subject = Eine Authenticator-App wurde von Ihrem Konto entfernt
mail-security-totp-removed-with-codes-what = eine Authenticator-App wurde aus Ihren zweiten Faktoren entfernt; es war der letzte, deshalb wurden auch Ihre Wiederherstellungscodes entfernt
mail-security-passkey-removed-with-codes-subject = Ein Passkey wurde von Ihrem Konto entfernt
mail-security-passkey-removed-with-codes-what = ein Passkey oder Sicherheitsschlüssel wurde aus Ihren zweiten Faktoren entfernt; es war der letzte, deshalb wurden auch Ihre Wiederherstellungscodes entfernt
mail-security-advice-own = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, ist jemand mit Ihrem Passwort in Ihrem Konto angemeldet: Ändern Sie sofort Ihr Passwort, das meldet jeden anderen Browser ab, und informieren Sie Ihre Administration.
mail-security-advice-password = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, gilt Ihr altes Passwort nicht mehr: Wählen Sie auf der Anmeldeseite „Passwort vergessen?“, um ein neues festzulegen (Ihre zweiten Faktoren schützen Ihr Konto weiterhin), und informieren Sie Ihre Administration.
mail-security-advice-guessing = Ihr zweiter Faktor hat den Zugang verhindert, aber Ihr Passwort ist bekannt. Ändern Sie es sofort, das meldet jeden anderen Browser ab, und informieren Sie Ihre Administration.
mail-security-advice-attempt = An Ihrem Konto hat sich nichts geändert. Wenn Sie diese Wiederherstellung nicht gestartet haben, versucht vielleicht jemand hineinzukommen: Ändern Sie Ihr Passwort und informieren Sie Ihre Administration.
mail-security-advice-recovered = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, hat jemand Ihr Konto übernommen, und Ihre alten zweiten Faktoren melden Sie nicht mehr an: Wenden Sie sich sofort an Ihren Helpdesk, damit er das Konto sperrt und Ihnen zurückgibt.
mail-security-advice-reset = Das hat eine Administratorin oder ein Administrator getan, nicht Sie. Wenn Sie Ihren Helpdesk nicht darum gebeten haben, wenden Sie sich sofort an ihn: Vielleicht wurde er dazu überredet.
mail-security-email-change-requested-subject = Für Ihr Konto wurde eine neue E-Mail-Adresse angegeben
mail-security-email-change-requested-what = für Ihr Konto wurde eine neue E-Mail-Adresse angegeben; sie ersetzt diese erst, wenn der an sie gesendete Link geöffnet wird
mail-security-email-changed-subject = Die E-Mail-Adresse Ihres Kontos wurde geändert
mail-security-email-changed-what = die E-Mail-Adresse Ihres Kontos wurde geändert; E-Mails zum Konto gehen nicht mehr an diese Adresse
mail-security-advice-email-requested = Wenn Sie das waren, öffnen Sie den Link in der E-Mail an die neue Adresse. Wenn nicht, ist jemand mit Ihrem Passwort und Ihrem zweiten Faktor angemeldet: Melden Sie sich an, brechen Sie die Änderung auf Ihrer Kontoseite ab und ändern Sie Ihr Passwort, das meldet jeden anderen Browser ab. Wenn Sie sich nicht anmelden können, wählen Sie auf der Anmeldeseite „Passwort vergessen?“ oder wenden Sie sich an Ihren Helpdesk.
mail-security-advice-email-changed = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, hat jemand Ihr Konto übernommen, und diese Adresse erhält seine E-Mails nicht mehr: Wenden Sie sich sofort an Ihren Helpdesk, damit er das Konto sperrt und Ihnen zurückgibt.
mail-security-helpdesk-action = Helpdesk kontaktieren
mail-security-clone-advice = Melden Sie sich auf anderem Weg an (mit einem anderen Passkey, Ihrer Authenticator-App oder einem Wiederherstellungscode), entfernen Sie diesen Passkey auf Ihrer Kontoseite – das meldet alle anderen Browser ab – und fügen Sie den Schlüssel neu hinzu, wenn Sie ihm noch vertrauen. Wenn Sie ihn nicht selbst kopiert haben, ändern Sie auch Ihr Passwort und informieren Sie Ihre Administration.

mail-new-sign-in-subject = Neue Anmeldung bei Ihrem Konto bei { $tenant }
mail-new-sign-in-happened = Am { $when } hat sich jemand mit { $device } bei Ihrem Konto bei { $tenant } angemeldet, einem Browser, der sich dort noch nicht angemeldet hatte.
mail-new-sign-in-device = { $browser } auf { $system }
mail-new-sign-in-unknown-browser = einem Browser, der sich nicht zu erkennen gab
mail-new-sign-in-address = Die Anmeldung kam von der Adresse { $address } (der letzte Teil ist verborgen).
mail-new-sign-in-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, melden Sie sich sofort an, ändern Sie Ihr Passwort, melden Sie sich überall sonst ab (Konto → Wo Sie angemeldet sind) und informieren Sie Ihre Administration.
mail-greeting-plain = Guten Tag,
mail-invitation-subject = Sie sind eingeladen, { $tenant_name } zu verwalten
mail-invitation-intro = Sie sind eingeladen, Administrator von { $tenant_name } zu werden. Öffnen Sie diesen Link, um Ihren Benutzernamen und Ihr Passwort zu wählen:
mail-invitation-action = Einladung annehmen
mail-invitation-expiry = Der Link funktioniert einmal, { $expires_days ->
    [one] { $expires_days } Tag
   *[other] { $expires_days } Tage
} lang. Ist er abgelaufen, bitten Sie Ihren Betreiber um eine neue Einladung.
mail-invitation-ignore = Falls Sie diese Nachricht nicht erwartet haben, können Sie sie ignorieren; ohne Sie wird kein Konto angelegt.
mail-person-invitation-subject = Ihr Konto bei { $tenant_name } wartet auf Sie
mail-person-invitation-intro = eine Administratorin oder ein Administrator von { $tenant_name } hat für Sie ein Konto mit dem Benutzernamen { $username } angelegt. Öffnen Sie diesen Link, um Ihr Passwort zu wählen:
mail-person-invitation-action = Mein Passwort wählen
mail-person-invitation-expiry = Der Link funktioniert einmal, { $expires_days ->
    [one] { $expires_days } Tag lang
   *[other] { $expires_days } Tage lang
}. Ist er abgelaufen, bitten Sie Ihre Administration, ihn erneut zu senden.
mail-person-invitation-ignore = Falls Sie diese Nachricht nicht erwartet haben, können Sie sie ignorieren; ohne diesen Link kann niemand das Konto verwenden.
mail-activation-approved-subject = Die Selbstwiederherstellung ist für { $tenant_name } jetzt aktiv
mail-activation-approved-intro = der Betreiber hat Ihre Anfrage genehmigt: Die Konto-Selbstwiederherstellung ist für { $tenant_name } jetzt aktiv. Wer alle zweiten Faktoren verliert, kommt nun selbst wieder in sein Konto.
mail-activation-declined-subject = Ihre Anfrage zur Selbstwiederherstellung bei { $tenant_name } wurde abgelehnt
mail-activation-declined-intro = der Betreiber hat Ihre Anfrage abgelehnt, die Konto-Selbstwiederherstellung für { $tenant_name } zu aktivieren.
mail-activation-reason = Begründung des Betreibers: { $reason }
mail-activation-action = Verwaltungskonsole öffnen
mail-activation-declined-next = Sobald der Grund behoben ist, können Sie in der Konsole erneut anfragen.
mail-readiness-subject = Bereiten Sie Ihr Konto bei { $tenant_name } auf den Verlust eines zweiten Faktors vor
mail-readiness-intro = Ihre Administration bei { $tenant_name } bittet Sie, Ihr Konto auf den Tag vorzubereiten, an dem Sie ein Telefon, eine Authenticator-App oder einen Sicherheitsschlüssel verlieren. Gut vorbereitet kommen Sie in wenigen Minuten selbst wieder hinein, ohne auf den Helpdesk zu warten.
mail-readiness-lacking = Was Ihrem Konto noch fehlt:
mail-readiness-missing-verified-address = – eine bestätigte E-Mail-Adresse: bestätigen Sie sie auf Ihrer Kontoseite
mail-readiness-missing-recovery-codes = – Wiederherstellungscodes, ausgedruckt oder sicher aufbewahrt
mail-readiness-missing-spare-factor = – oder ein zweiter Faktor in Reserve: zwei davon, etwa eine Authenticator-App und ein Passkey
mail-readiness-action = Ihr Konto öffnen
mail-readiness-note = Das dauert nur wenige Minuten. Melden Sie sich wie gewohnt an; die Kontoseite zeigt, was fehlt.
