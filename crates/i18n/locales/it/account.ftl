# The account page.

account-title = Il suo account
account-hello = Buongiorno, { $name }
account-signed-in-as = Accesso effettuato come { $username }.
account-email = Indirizzo e-mail
account-verified = (verificato)
account-not-verified = (non verificato)
account-resend = Inviare di nuovo il link di verifica
account-password-heading = Password
account-password-intro = Scelga una nuova password: almeno 12 caratteri; alcune parole senza legame tra loro vanno bene. Tutti gli altri browser in cui ha effettuato l'accesso vengono disconnessi e le applicazioni le chiederanno di accedere di nuovo.
account-change-password = Cambiare la password
account-new-password = Nuova password
account-repeat-password = Ripeta la nuova password
account-password-changed = La sua password è stata cambiata. Gli altri browser sono stati disconnessi e le abbiamo inviato un'e-mail al riguardo.
account-passwords-differ-account = Le due nuove password non coincidono; digiti due volte la stessa.
account-link-sent = Abbiamo inviato un nuovo link di verifica al suo indirizzo e-mail. È valido per 24 ore.
account-email-change = Cambia indirizzo e-mail
account-email-change-title = Cambi il suo indirizzo e-mail
account-email-change-intro = Il suo indirizzo attuale è { $current }. Inviamo un link al nuovo indirizzo; il suo indirizzo cambia solo quando quel link viene aperto, e informiamo il suo indirizzo attuale.
account-email-change-recovery = Per una settimana dopo una modifica, il nuovo indirizzo non vale come prova quando recupera l'account da solo; tenga a portata di mano i suoi codici di recupero.
account-email-change-new = Nuovo indirizzo e-mail
account-email-change-send = Invia il link di conferma
account-email-change-keep = Mantieni il mio indirizzo
account-email-change-sent = Abbiamo inviato un link al nuovo indirizzo. Il suo indirizzo cambia quando lo apre, entro 24 ore; abbiamo informato anche il suo indirizzo attuale.
account-email-change-cancelled = La modifica dell'indirizzo è annullata; il suo link non funziona più.
account-email-change-open = In attesa di conferma: è stato inviato un link a { $email }; funziona fino al { $until }.
account-email-change-cancel = Annulla la modifica
account-app = App di autenticazione
account-on-since = Attiva dal { $since }
account-replace = Sostituire (nuovo telefono)
account-remove = Rimuovere
account-off = Non attiva
account-set-up-app = Configurare un'app di autenticazione
account-passkeys = Passkey e chiavi di sicurezza
account-none-yet = Ancora nessuna
account-synced = passkey sincronizzata
account-not-synced = non sincronizzata
account-suspected-copy = potrebbe essere stata copiata: non consente più di accedere; la rimuova e poi aggiunga di nuovo la chiave
account-added = aggiunta il { $when }
account-last-used = ultimo utilizzo il { $when }
account-new-name = Nuovo nome
account-rename = Rinominare
account-passkey-name = Nome della nuova passkey
account-passkey-placeholder = p. es. Portatile, YubiKey
account-passkey-name-hint = Lasci vuoto per darle il nome di questo browser; potrà rinominarla più tardi.
account-passkey-default-name = Passkey ({ $device })
account-passkey-default = Passkey
account-add-passkey = Aggiungere una passkey
account-passkeys-need-https = Le passkey richiedono che questo server sia raggiungibile tramite https.
account-codes = Codici di recupero
account-unused = { $count ->
    [one] { $count } non utilizzato
   *[other] { $count } non utilizzati
}
account-few-left = — ne restano pochi: ne crei di nuovi prima di esaurirli
account-new-codes = Creare nuovi codici
account-ready = Tutto pronto in caso di smarrimento del telefono o della chiave?
account-ready-email = un indirizzo e-mail verificato (un recupero invia lì il suo codice)
account-ready-codes = codici di recupero salvati (permettono di recuperare subito il suo account)
account-ready-factors = più di un secondo fattore (per esempio un'app e una passkey)
account-removed-factors = Secondi fattori rimossi
account-removed = rimozione del { $when } { $by }
account-by-admin = da parte del suo amministratore
account-by-recovery = tramite il recupero del suo account
account-kind-app = app di autenticazione
account-kind-passkey = passkey
account-kind-codes = codici di recupero
account-self-recovery-for = Recupero autonomo dell'account per { $tenant }
account-active = Attivo: chi perde i propri secondi fattori può recuperare l'account in autonomia.
account-not-active = Non attivo: chi perde i propri secondi fattori deve rivolgersi all'helpdesk.
account-request = La richiesta della sua organizzazione:
account-note = Nota per l'operatore (facoltativa)
account-ask-operator = Chiedere all'operatore di attivarlo
account-signed-in = Accesso effettuato
account-session-ends = Fine della sessione
account-sign-out = Uscire
account-m-password = password
account-m-otp = app di autenticazione
account-m-hwk = chiave di sicurezza
account-m-swk = passkey
account-m-pop = passkey o chiave di sicurezza
account-m-rc = codice di recupero
account-m-recovery = recupero dell'account
account-signed-in-with = { $at } con { $methods }
account-session-ends-at = { $at } al più tardi, oppure dopo { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minuti
} di inattività
# Where the organisation's request for self-recovery stands.
account-request-pending = in sospeso
account-request-approved = approvata
account-request-declined = rifiutata

# Confirmations after a new factor.
account-done-app = La sua app di autenticazione è attiva: d'ora in poi l'accesso le chiederà il suo codice.
account-done-passkey = La sua passkey è stata aggiunta: d'ora in poi può accedere con essa.

## Before a second factor goes (remove_factor.html)
remove-app-title = Rimuovere la sua app di autenticazione?
remove-passkey-title = Rimuovere la passkey «{ $name }»?
remove-intro = Legga che cosa succede se la rimuove.
remove-factors-left = { $count ->
    [one] Le resta un altro secondo fattore per accedere.
   *[other] Le restano altri { $count } secondi fattori per accedere.
}
remove-last-factor = È il suo ultimo secondo fattore: da quel momento basta la sua password per accedere.
remove-codes-go = { $count ->
    [one] Il suo codice di recupero non usato viene rimosso insieme: un codice di recupero sostituisce solo un secondo fattore che lei possiede.
   *[other] I suoi { $count } codici di recupero non usati vengono rimossi insieme: i codici di recupero sostituiscono solo un secondo fattore che lei possiede.
}
remove-sessions-end = Viene disconnesso ovunque altrove, e le applicazioni che usa lì le chiedono di accedere di nuovo.
remove-mail = Inviamo un avviso al suo indirizzo e-mail.
remove-refused = La sua organizzazione richiede un secondo fattore, e questo è l'ultimo. Ne aggiunga prima un altro; poi potrà rimuovere questo.
remove-app-button = Rimuovere l'app
remove-passkey-button = Rimuovere la passkey
remove-cancel = Tenerla
account-done-app-removed = La sua app di autenticazione è stata rimossa.
account-done-passkey-removed = La passkey è stata rimossa.

# Dove ha effettuato l'accesso (account/sessions)
sessions-title = Dove ha effettuato l’accesso
sessions-intro = Questi browser hanno effettuato l’accesso al suo account. Se non ne riconosce uno, lo disconnetta e cambi la password.
sessions-this-browser = questo browser
sessions-device = { $browser } su { $system }
sessions-unknown-browser = Un browser sconosciuto
sessions-signed-in = accesso { $at }
sessions-last-active = ultima attività { $at }
sessions-address = da { $address }
sessions-sign-out = Disconnetti
sessions-sign-out-others = Disconnetti ovunque altrove
sessions-others-note = Disconnettersi ovunque altrove termina anche gli accessi delle applicazioni: le chiederanno di accedere di nuovo.
sessions-ended-one = Quel browser è disconnesso.
sessions-ended-others = Tutti gli altri browser sono disconnessi.
sessions-gone = Quel browser era già disconnesso.
account-sessions-link = Dove ha effettuato l’accesso
account-request-waiting-upgrade = in attesa del passaggio al nuovo onboarding
# Recent security events on the account page (accounts::activity).
activity-heading = Eventi di sicurezza recenti
activity-none = Nella protezione del suo account non è ancora cambiato nulla.
activity-note = Qualcosa qui non l’ha fatto lei? Cambi la password e controlli dove ha effettuato l’accesso; se non riesce ad accedere, usi «Non riesce ad accedere?» nella pagina di accesso o si rivolga al suo helpdesk.
activity-by-admin = da un amministratore
activity-from = { $device }, indirizzo { $address }
activity-password-changed = Password cambiata
activity-password-reset-completed = Password impostata da un link ricevuto per e-mail
activity-password-reset-sent = Un amministratore ha inviato un link per impostare una nuova password
activity-email-change-requested = Richiesto il cambio dell’indirizzo e-mail
activity-email-changed = Indirizzo e-mail cambiato
activity-factor-totp-added = App di autenticazione aggiunta
activity-factor-totp-removed = App di autenticazione rimossa
activity-factor-recovery-codes-regenerated = Nuovi codici di recupero creati
activity-factor-passkey-added = Passkey aggiunta
activity-factor-passkey-removed = Passkey rimossa
activity-factor-passkey-clone-suspected = Una passkey sembrava copiata ed è stata bloccata
activity-factors-reset = Secondi fattori rimossi dall’helpdesk
activity-signout-everywhere-else = Disconnessione ovunque altrove
activity-user-role-changed = Ruolo cambiato
activity-recovery-case-started = Recupero dell’account avviato
activity-recovery-case-waiting = Recupero dell’account provato; periodo di attesa iniziato
activity-recovery-case-completed = Account recuperato
activity-recovery-case-cancelled = Recupero dell’account annullato
activity-recovery-case-locked = Recupero dell’account bloccato dopo codici errati
activity-recovery-refused-admin = Richiesto il recupero dell’account; gli amministratori si rivolgono all’helpdesk
activity-user-signed-out = Disconnessione ovunque da parte di un amministratore
activity-application-access-removed = Accesso di un’applicazione revocato

codes-used-title = Ha usato un codice di recupero
codes-used-gone = Quel codice non funziona più: ogni codice vale una sola volta.
codes-used-left = { $count ->
    [one] Le resta un codice di recupero.
   *[other] Le restano { $count } codici di recupero.
}
codes-used-none-left = Non le resta nessun codice di recupero.
codes-used-advice = Crei ora una nuova serie, mentre ha effettuato l’accesso, e la conservi in un luogo sicuro. La nuova serie sostituisce tutti i suoi codici.
codes-used-new = Crea una nuova serie
codes-used-later = Più tardi
