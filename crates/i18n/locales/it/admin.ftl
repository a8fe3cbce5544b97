# The administration console.

admin-title = Amministrazione
admin-not-admin = Solo gli amministratori di questa organizzazione possono aprire questa pagina.
admin-recovery-heading = Recupero autonomo dell'account
admin-active = Attivato.
admin-not-active = Non attivato; lo chieda all'operatore (si veda la pagina del suo account).
admin-started = avviati
admin-open = aperti
admin-completed = conclusi
admin-cancelled = annullati
admin-expired = scaduti
admin-locked = bloccati
admin-median = tempo mediano fino alla conclusione
admin-self-recoveries = persone che hanno recuperato l'account in autonomia
admin-helpdesk-resets = reimpostazioni da parte dell'helpdesk
admin-chart-title = Casi di recupero per esito, ultimi 90 giorni
admin-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minuti
}
admin-users-heading = Persone
admin-reason = Motivo (obbligatorio, conservato nel registro di audit)
admin-reset-button = Reimpostare i secondi fattori
admin-reset-done = I secondi fattori sono stati reimpostati e la persona è stata informata per e-mail.
admin-apps-heading = Applicazioni
admin-app-name = Nome
admin-app-redirects = Indirizzi di reindirizzamento, uno per riga
admin-app-kind = Tipo
admin-confidential = Applicazione web con segreto
admin-public = Applicazione a pagina singola o nativa (PKCE, senza segreto)
admin-first-party = Applicazione propria (senza richiesta di consenso)
admin-create-app = Registrare l'applicazione
admin-created-title = Applicazione registrata
admin-created-secret-note = Copi subito il segreto: viene mostrato solo questa volta.
admin-client-id = ID client
admin-client-secret = Segreto client
admin-back = Tornare all'amministrazione
admin-none-yet = ancora nessuna
admin-setup-heading = Secondi fattori
admin-setup-intro = Configuri la sua organizzazione: le persone che accedono con una password devono aggiungere un secondo fattore (un'app di autenticazione o una passkey)? Una passkey da sola vale già come due fattori.
admin-policy-off = Disattivato: non viene offerto
admin-policy-optional = Facoltativo: le persone possono aggiungerne uno
admin-policy-required = Obbligatorio: tutti ne configurano uno al prossimo accesso (consigliato)
admin-setup-save = Salvare
admin-setup-done = Salvato.
admin-settings = Impostazioni
admin-app-title = Applicazione
admin-app-post-logout = Indirizzi dopo l'uscita, uno per riga
admin-app-grants = Che cosa può fare
admin-grant-code = Far accedere le persone (authorization code)
admin-grant-refresh = Mantenere l'accesso delle persone (refresh token)
admin-grant-cc = Chiamare API a proprio nome (client credentials; non per applicazioni a pagina singola o native)
admin-access-minutes = Durata dell'access token in minuti (1–1440)
admin-refresh-days = Durata del refresh token in giorni (1–365)
admin-signing-alg = Firma dei token (RS256 solo per le librerie che non sanno verificare ES256)
admin-save-app = Salvare le modifiche
admin-app-saved = L'applicazione è stata modificata.
admin-rotate-heading = Nuovo segreto
admin-rotate-intro = Un nuovo segreto sostituisce subito quello attuale: da quel momento l'applicazione deve usare quello nuovo.
admin-rotate-button = Generare un nuovo segreto
admin-rotated-title = Nuovo segreto client
admin-rotated-note = Copi subito il segreto: viene mostrato solo questa volta. Il segreto precedente non funziona più.
admin-delete-heading = Rimuovere l'applicazione
admin-delete-intro = La rimozione dell'applicazione termina subito gli accessi di tutte le persone che la usano. L'operazione è irreversibile.
admin-delete-button = Rimuovere l'applicazione
admin-delete-confirm-title = Rimuovere l'applicazione «{ $name }»?
admin-delete-confirm-intro = Legga che cosa succede se la rimuove.
admin-delete-confirm-sign-ins = Chi vi ha effettuato l'accesso tramite questa organizzazione viene disconnesso subito: i suoi token di accesso e di aggiornamento non funzionano più.
admin-delete-confirm-credentials = Il suo ID client e il suo segreto non funzionano più: l'applicazione non può più far accedere nessuno finché non viene registrata di nuovo, con un nuovo ID.
admin-delete-confirm-final = Non si può annullare.
admin-delete-cancel = Tenerla
admin-app-deleted = L'applicazione è stata rimossa.
admin-whole-number = «{ $value }» non è un numero intero
# A person's state in the list of people.
admin-status-active = attivo
admin-status-disabled = disattivato

# The weekly chart of the console.
admin-weekly-title = Recuperi chiusi per settimana ed esito, ultime 12 settimane
admin-weekly-table = Le settimane in tabella
admin-week-starting = Settimana dal
admin-week-total = totale
