# The set-up pages after sign-in or recovery: authenticator app and recovery codes.

setup-app-title = App di autenticazione
setup-app-setup = Configurare un'app di autenticazione
setup-app-replace = Sostituire l'app di autenticazione
setup-replace-intro = Configuri qui sotto la nuova app (o il nuovo telefono). L'app attuale smette di funzionare non appena quella nuova è attiva.
setup-required = { $tenant } richiede un secondo fattore. Ne configuri uno per continuare.
setup-step-open = Apra un'app di autenticazione sul suo telefono (per esempio FreeOTP, Aegis, Google o Microsoft Authenticator) e aggiunga un account.
setup-step-scan = Scansioni questo codice oppure digiti la chiave qui sotto.
setup-step-enter = Inserisca il codice a 6 cifre che l'app mostra a quel punto.
setup-key = Chiave:
setup-code-label = Codice dell'app
setup-turn-on = Attivare
setup-passkey-instead = Usare invece una passkey o una chiave di sicurezza
setup-passkey-name = Nome della passkey
setup-passkey-placeholder = p. es. Portatile, YubiKey
setup-add-passkey = Aggiungere una passkey
setup-sign-out = Uscire
setup-cancel = Annullare
setup-codes-title = Codici di recupero
setup-codes-intro = Se perde il telefono, un codice di recupero le permette di accedere al posto di un codice dell'app. Ogni codice funziona una sola volta.
setup-codes-keep = Li conservi in un luogo sicuro, lontano dal telefono: stampati o in un gestore di password.
setup-codes-unused = Ha { $count ->
    [one] { $count } codice non utilizzato
   *[other] { $count } codici non utilizzati
}. Se crea nuovi codici, quelli vecchi non saranno più validi.
setup-codes-create = Creare { $count } codici di recupero
setup-back-to-account = Tornare al suo account
setup-codes-save-now = Salvi subito questi codici. Vengono mostrati una sola volta; latchkey conserva solo un'impronta di ciascuno.
setup-codes-download = Scaricare come file di testo
setup-codes-print = Stampa
setup-codes-copy = Copia
setup-codes-copied = Copiati. Li incolli nel suo gestore di password.
setup-codes-copy-failed = Il browser non ha permesso la copia. Selezioni i codici e li copi, oppure scarichi il file.
setup-codes-saved = Li ho salvati
# The downloaded file of new recovery codes.
setup-codes-file = Codici di recupero per { $tenant } ({ $url }). Ognuno funziona una sola volta.
setup-wrong-code = il codice non è corretto; inserisca il codice attuale della sua app di autenticazione
setup-too-many-attempts = Troppi tentativi. Riprovi tra { $wait }.

# The QR code's name for screen readers.
setup-qr-label = codice QR
