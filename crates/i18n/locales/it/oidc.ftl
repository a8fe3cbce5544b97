# The OpenID Connect pages: consent, request errors, sign-out, continuing to an application.

oidc-consent-title = Consentire l'accesso?
oidc-consent-intro = desidera usare il suo account. Chiede di:
oidc-scope-openid = Conoscere la sua identità
oidc-scope-profile = Vedere il suo nome e il suo nome utente
oidc-scope-email = Vedere il suo indirizzo e-mail
oidc-scope-offline = Mantenere l'accesso anche quando non usa l'applicazione
oidc-scope-admin = Gestire questa organizzazione per suo conto
oidc-signed-in-as = Accesso effettuato come { $username }.
oidc-allow = Consentire
oidc-deny = Rifiutare
oidc-consent-note = Può revocare questo consenso in qualsiasi momento nella pagina del suo account.
oidc-consent-lasts-days = Questo accesso resta valido fino a { $days ->
    [one] un giorno
   *[other] { $days } giorni
} dopo ogni accesso, a meno che lei non lo revochi.
oidc-consent-lasts-minutes = Questo accesso vale per { $minutes ->
    [one] un minuto
   *[other] { $minutes } minuti
} dopo ogni accesso.
oidc-request-title = Questa richiesta di accesso non può essere usata
oidc-request-text = L'applicazione da cui proviene ha inviato una richiesta che non può essere accettata. Torni all'applicazione e riprovi. Per gli sviluppatori dell'applicazione:
oidc-logout-title = Uscire?
oidc-logout-text = Un'applicazione le chiede di uscire da { $tenant }.
oidc-logout-button = Uscire
oidc-signed-out-title = Disconnessione effettuata
oidc-signed-out-text = Può chiudere questa finestra.
oidc-apps-heading = Applicazioni
oidc-apps-none = Nessuna applicazione ha accesso al suo account.
oidc-apps-note = Le applicazioni a cui ha effettuato l’accesso con questo account e quelle che ha autorizzato. Revocare l'accesso chiude subito il loro accesso e i loro token; la prossima volta l’applicazione le chiederà di accedere di nuovo.
oidc-apps-own = applicazione della sua organizzazione
oidc-apps-allowed = autorizzata il { $when }
oidc-apps-last-used = ultimo utilizzo { $when }
oidc-apps-removed = L’applicazione non ha più accesso al suo account.
oidc-apps-gone = Questa applicazione non aveva già più accesso al suo account.
oidc-apps-remove = Revocare l'accesso
oidc-continue-title = Proseguimento in corso…
oidc-continue-link = Continuare
