# The administration console: the people and a person's page.

people-console-intro = Cerchi le persone della sua organizzazione, veda i loro secondi fattori e quanto sono preparate, disattivi un account, cambi un ruolo o reimposti i secondi fattori di qualcuno.
people-console-link = Aprire le persone
people-title = Persone
people-search-label = Ricerca
people-search-hint = L'inizio di un nome utente, di un nome o di un indirizzo e-mail; maiuscole e minuscole non contano.
people-search-button = Cercare
people-everyone = Tutti
people-results = Che iniziano con «{ $search }»
people-none-found = Nessuno trovato.
people-col-person = Persona
people-col-email = Indirizzo e-mail
people-col-factors = Secondi fattori
people-col-readiness = Preparazione
people-col-last-sign-in = Ultimo accesso
people-col-state = Stato
people-pages = Pagine
people-first-page = Prima pagina
people-previous-page = Pagina precedente
people-next-page = Pagina successiva
people-factor-app = app di autenticazione
people-factor-passkeys = { $count ->
    [one] { $count } passkey
   *[other] { $count } passkey
}
people-factor-none = nessuno
people-ready = preparata
people-missing-address = un indirizzo verificato
people-missing-spare = codici di recupero o un fattore di riserva
people-not-ready = manca: { $missing }
people-never = mai
people-done-disabled = L'account è disattivato e ogni sua sessione è terminata.
people-done-enabled = L'account è di nuovo attivo.
people-done-role = Il ruolo è stato cambiato.
people-back = Tornare alle persone
people-account-heading = Account
people-verified = verificato
people-not-verified = non verificato
people-role = Ruolo
people-role-admin = amministratore
people-role-member = membro
people-created = Creato il
people-sessions = Sessioni aperte
people-last-active = ultima attività { $when }
people-factors-heading = Secondi fattori
people-factor-app-label = App di autenticazione
people-since = aggiunta il { $when }
people-passkeys-label = Passkey
people-last-used = ultimo uso { $when }
people-codes-label = Codici di recupero non usati
people-events-heading = Eventi recenti
people-event-when = Quando
people-event-what = Evento
people-event-who = Da parte di
people-yourself = Questo è il suo account: un altro amministratore può cambiarne il ruolo o disattivarlo.
people-role-label = Ruolo nell'organizzazione
people-role-save = Cambiare ruolo
people-disable-heading = Disattivare l'account
people-enable-heading = Riattivare l'account
people-disable-intro = Con un account disattivato non si può accedere; le sue sessioni terminano subito e i token delle sue applicazioni smettono di funzionare.
people-enable-intro = L'account è disattivato. Riattivato, può accedere come prima.
people-disable-button = Disattivare l'account
people-enable-button = Riattivare l'account
people-reset-nothing = Questa persona non ha né un secondo fattore né codici di recupero: non c'è nulla da reimpostare.
people-reset-intro = Per chi ha perso ogni secondo fattore e non può recuperare l'account da sé: verifichi prima chi è, poi indichi il motivo. Vedrà cosa viene tolto prima che qualcosa sia rimosso.
people-reset-continue = Continuare
people-confirm-title = Confermare la reimpostazione
people-confirm-heading = Reimpostare i secondi fattori di { $name } ({ $username })?
people-confirm-intro = Questo rimuove, subito e per sempre:
people-confirm-app = la sua app di autenticazione
people-confirm-passkeys = { $count ->
    [one] { $count } passkey
   *[other] { $count } passkey
}
people-confirm-codes = { $count ->
    [one] { $count } codice di recupero non usato
   *[other] { $count } codici di recupero non usati
}
people-confirm-sessions = { $count ->
    [one] { $count } sessione aperta (disconnessa)
   *[other] { $count } sessioni aperte (disconnesse)
}
people-confirm-devices = i browser ricordati per questa persona e i link non usati per reimpostare la password
people-confirm-mail = La persona viene informata per e-mail. La password resta; alla prossima connessione configura di nuovo un secondo fattore.
people-confirm-button = Reimpostare i secondi fattori di { $name }
people-confirm-cancel = Annullare
