# Account Self-Recovery pages. They speak the browser's language, never the account's.

recovery-title = Recupero dell'account
recovery-start-heading = Ha perso il telefono o la chiave di sicurezza?
recovery-start-intro = Può riottenere l'accesso al suo account in autonomia. Dimostra la sua identità con ciò che ha ancora — un codice che inviamo al suo indirizzo e-mail verificato, la sua password o uno dei suoi codici di recupero — e poi configura un nuovo secondo fattore. Quelli vecchi smettono di funzionare.
recovery-login-label = Nome utente o e-mail
recovery-start-button = Avviare il recupero
recovery-not-active = Se non riesce ad accedere, questa organizzazione la assiste direttamente.
recovery-help-link = Chiedere aiuto a { $tenant }
recovery-ask-admin = Si rivolga al suo amministratore o al servizio di assistenza: possono reimpostare i suoi secondi fattori.
recovery-back-to-signin = Tornare all'accesso
recovery-enter-login = Inserisca il nome utente o l'indirizzo e-mail del suo account.
recovery-too-many-starts = Sono stati avviati troppi recuperi. Riprovi tra { $wait }.
recovery-two-proofs = Fornisca due di queste prove. Un codice ricevuto per e-mail vale solo insieme alla password o a un codice di recupero.
recovery-email-heading = Codice ricevuto per e-mail
recovery-email-intro = Se l'account ha un indirizzo e-mail verificato, vi abbiamo inviato un codice a 8 cifre. È valido per 10 minuti.
recovery-code-withheld = Oggi il recupero è stato avviato troppe volte per questo nome, quindi non abbiamo inviato un altro codice. Può comunque concluderlo con la password e un codice di recupero, oppure riprovare domani.
recovery-email-label = Codice dell'e-mail
recovery-email-button = Verificare il codice
recovery-password-heading = La sua password
recovery-password-label = Password
recovery-password-button = Verificare la password
recovery-code-heading = Un codice di recupero
recovery-code-intro = Insieme alla password, un codice di recupero conclude subito il recupero.
recovery-code-label = Codice di recupero
recovery-code-button = Verificare il codice di recupero
recovery-stop = Interrompere questo recupero
recovery-waiting-more = Abbiamo scritto all'indirizzo e-mail verificato dell'account: se non è stato lei, basta un clic in quell'e-mail per annullare il recupero. Torni poi in questo browser per concluderlo. Se nel frattempo accede con un secondo fattore, il recupero viene annullato.
recovery-ready-intro = Ora può concludere. Così facendo, tutti i secondi fattori dell'account vengono rimossi (app di autenticazione, passkey, codici di recupero), tutti i dispositivi vengono disconnessi e lei configura un nuovo secondo fattore.
recovery-password-again = La sua password, ancora una volta
recovery-finish = Concludere il recupero
recovery-start-again = Ricominciare
recovery-ended-completed = Questo recupero è concluso.
recovery-ended-cancelled = Questo recupero è stato annullato. I suoi secondi fattori sono invariati.
recovery-ended-expired = Questo recupero è scaduto prima di essere concluso.
recovery-ended-locked = Questo recupero è stato bloccato dopo troppi codici errati. Non è cambiato nulla; abbiamo informato per e-mail il titolare dell'account.
recovery-ended-other = Questo recupero è terminato.
recovery-wrong-email-code = Il codice ricevuto per e-mail non è corretto o è scaduto. { $count ->
    [one] Un altro tentativo errato blocca questo recupero.
   *[other] Ancora { $count } tentativi prima che questo recupero venga bloccato.
}
recovery-wrong-password-proof = La password non è corretta. { $count ->
    [one] Un altro tentativo errato blocca questo recupero.
   *[other] Ancora { $count } tentativi prima che questo recupero venga bloccato.
}
recovery-wrong-recovery-code = Il codice di recupero non è corretto o è già stato usato. { $count ->
    [one] Un altro tentativo errato blocca questo recupero.
   *[other] Ancora { $count } tentativi prima che questo recupero venga bloccato.
}
recovery-fill-one = Compili uno dei campi e lo invii con il relativo pulsante.
recovery-too-many-attempts = Troppi tentativi. Riprovi tra { $wait }.
recovery-busy = Il server è momentaneamente sovraccarico. Riprovi tra qualche istante.
recovery-wrong-password = La password non è corretta.
recovery-cancel-heading = Annullare il recupero dell'account
recovery-cancel-intro = Qualcuno ha fornito prove sufficienti per recuperare il suo account, e il recupero si concluderebbe dopo il periodo di attesa. Se non è stato lei, lo annulli: i suoi secondi fattori restano invariati.
recovery-cancel-button = Annullare il recupero
recovery-cancelled-title = Recupero annullato
recovery-cancelled-text = Il recupero dell'account è annullato e i suoi secondi fattori sono invariati. Se non l'ha avviato lei, informi il suo amministratore e valuti di cambiare la password.
recovery-done-heading = Ha di nuovo accesso
recovery-done-intro = Il suo account è stato recuperato. Ecco che cosa è successo:
recovery-done-factors = tutti i suoi secondi fattori sono stati rimossi — app di autenticazione, passkey e codici di recupero;
recovery-done-devices = tutti gli altri dispositivi sono stati disconnessi;
recovery-done-mail = le abbiamo inviato un'e-mail al riguardo.
recovery-done-required = La sua organizzazione richiede un secondo fattore: ne configuri subito uno nuovo.
recovery-done-optional = Configuri subito un nuovo secondo fattore, così il suo account è di nuovo protetto.
recovery-continue-link = Continuare
