# The OpenID Connect pages: consent, request errors, sign-out, continuing to an application.

oidc-consent-title = Zugriff erlauben?
oidc-consent-intro = möchte Ihr Konto verwenden. Die Anwendung möchte:
oidc-scope-openid = Wissen, wer Sie sind
oidc-scope-profile = Ihren Namen und Benutzernamen sehen
oidc-scope-email = Ihre E-Mail-Adresse sehen
oidc-scope-offline = Zugriff behalten, während Sie sie nicht verwenden
oidc-scope-admin = Diese Organisation in Ihrem Namen verwalten
oidc-signed-in-as = Angemeldet als { $username }.
oidc-allow = Erlauben
oidc-deny = Ablehnen
oidc-consent-note = Sie können das jederzeit auf Ihrer Kontoseite zurücknehmen.
oidc-consent-lasts-days = Der Zugriff bleibt nach jeder Anmeldung bis zu { $days ->
    [one] einen Tag
   *[other] { $days } Tage
} bestehen, sofern Sie ihn nicht zurücknehmen.
oidc-consent-lasts-minutes = Der Zugriff besteht nach jeder Anmeldung { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} lang.
oidc-request-title = Diese Anmeldeanfrage kann nicht verwendet werden
oidc-request-text = Die Anwendung, die Sie hierher geschickt hat, hat eine Anfrage gestellt, die nicht angenommen werden kann. Gehen Sie zur Anwendung zurück und versuchen Sie es erneut. Für ihre Entwickler:
oidc-logout-title = Abmelden?
oidc-logout-text = Eine Anwendung bittet Sie, sich abzumelden bei { $tenant }.
oidc-logout-button = Abmelden
oidc-signed-out-title = Sie sind abgemeldet
oidc-signed-out-text = Sie können dieses Fenster schließen.
oidc-apps-heading = Anwendungen
oidc-apps-none = Keine Anwendung hat Zugriff auf Ihr Konto.
oidc-apps-note = Die Anwendungen, bei denen Sie sich mit diesem Konto angemeldet haben, und die, denen Sie Zugriff erlaubt haben. Zugriff entfernen beendet deren Anmeldung und Tokens sofort; beim nächsten Mal bittet die Anwendung Sie, sich erneut anzumelden.
oidc-apps-own = Anwendung Ihrer Organisation
oidc-apps-allowed = erlaubt am { $when }
oidc-apps-last-used = zuletzt genutzt { $when }
oidc-apps-removed = Die Anwendung hat keinen Zugriff mehr auf Ihr Konto.
oidc-apps-gone = Diese Anwendung hatte bereits keinen Zugriff mehr auf Ihr Konto.
oidc-apps-remove = Zugriff entfernen
oidc-continue-title = Weiter…
oidc-continue-link = Weiter
