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
readiness-heading = Pronti alla perdita di un fattore
readiness-share = { $ready } persone su { $people } sono pronte — { $percent } %
readiness-share-none = Qui non c'è ancora nessuno: la quota appare quando le persone hanno un account.
readiness-share-hint = Pronto significa: un indirizzo e-mail verificato, e codici di recupero o un secondo fattore di riserva. Chi perde poi un telefono o una chiave rientra da solo.
readiness-see-unready = { $count ->
    [one] Vedere la persona che non è pronta
   *[other] Vedere le { $count } persone che non sono pronte
}
readiness-filter-label = Quali persone
readiness-unready = Non pronte
readiness-unready-results = Non pronte, che iniziano con «{ $search }»
readiness-unready-intro = Persone attive senza indirizzo verificato, oppure senza codici di recupero né secondo fattore di riserva. Ogni riga indica cosa manca; un promemoria per e-mail le porta alla pagina del loro account.
readiness-none-unready = Qui sono tutti pronti.
readiness-col-choose = Scegliere
readiness-choose = Scegliere { $name } per il promemoria
readiness-reminded-at = promemoria inviato il { $when }
readiness-remind-hint = Ogni persona riceve al massimo un promemoria a settimana; chi lo ha ricevuto negli ultimi sette giorni viene saltato.
readiness-remind-chosen = Inviare un promemoria alle persone scelte
readiness-remind-all = Inviare un promemoria a tutto questo elenco
readiness-confirm-title = Inviare promemoria
readiness-confirm-heading = { $count ->
    [one] Inviare un promemoria per e-mail a una persona?
   *[other] Inviare un promemoria per e-mail a { $count } persone?
}
readiness-confirm-intro = Ognuna riceve un'e-mail nella sua lingua che indica cosa manca al suo account, con un link alla pagina del suo account.
readiness-confirm-button = { $count ->
    [one] Inviare un promemoria
   *[other] Inviare { $count } promemoria
}
readiness-nobody = Nessuno a cui inviare un promemoria per ora
readiness-back = Torna alle persone non pronte
readiness-sent = { $count ->
    [one] Un promemoria inviato.
   *[other] { $count } promemoria inviati.
}
readiness-skipped-recent = { $count ->
    [one] Una persona saltata: ha ricevuto un promemoria negli ultimi sette giorni.
   *[other] { $count } persone saltate: hanno ricevuto un promemoria negli ultimi sette giorni.
}
readiness-skipped-needless = { $count ->
    [one] Una persona scelta è già pronta o disattivata: nulla da ricordarle.
   *[other] { $count } persone scelte sono già pronte o disattivate: nulla da ricordare loro.
}
readiness-left = { $count ->
    [one] Un'altra persona non è pronta: invii di nuovo per ricordarglielo.
   *[other] Altre { $count } persone non sono pronte: invii di nuovo per ricordarlo loro.
}
readiness-later = { $count ->
    [one] Un'altra persona non è pronta: si inviano al massimo { $batch } promemoria alla volta, invii di nuovo dopo.
   *[other] Altre { $count } persone non sono pronte: si inviano al massimo { $batch } promemoria alla volta, invii di nuovo dopo.
}
people-sign-out-heading = Disconnetti ovunque
people-sign-out-intro = { $count ->
    [one] Un browser è connesso a questo account. La disconnessione lo termina insieme all’accesso di tutte le applicazioni
   *[other] { $count } browser sono connessi a questo account. La disconnessione li termina insieme all’accesso di tutte le applicazioni
}; la persona può accedere di nuovo (per tenerla fuori, disattivi l’account).
people-sign-out-button = Disconnetti da tutti i browser e le applicazioni
people-done-signed-out = La persona è stata disconnessa da tutti i browser e le applicazioni.
invite-title = Aggiungere una persona
invite-intro = Il suo account viene creato subito, senza password. Le inviamo un link monouso, valido 7 giorni, nella lingua dell'organizzazione; aprendolo sceglie la sua password (e conferma il suo indirizzo).
invite-name-label = Nome (facoltativo)
invite-button = Aggiungere e inviare l'invito
invite-done = L'account è creato e l'invito è in arrivo per e-mail.
invite-done-again = Un nuovo link è in arrivo; il precedente non funziona più.
invite-done-withdrawn = L'invito è ritirato; il suo link non funziona più. L'account resta, senza password.
invite-too-soon = Un link è partito meno di un minuto fa. Attenda un momento prima di inviarne un altro.
invite-gone = Non c'è più alcun invito aperto: nel frattempo è stato accettato o ritirato.
invite-pending-heading = Invito in attesa
invite-pending-intro = Questa persona non ha ancora scelto una password. Invii di nuovo l'invito (il link precedente smette di funzionare) o lo ritiri.
invite-sent = Inviato
invite-until = Valido fino al
invite-expired = scaduto il { $when }
invite-again-button = Inviare di nuovo
invite-withdraw-button = Ritirare
reset-link-heading = Invia un link per reimpostare la password
reset-link-intro = Invia a { $email } lo stesso link monouso di «Password dimenticata»: la persona sceglie una nuova password, e Lei non la vede mai. Conferma alla pagina successiva.
reset-link-continue = Invia un link per reimpostare la password…
reset-link-not-active = L'account è disattivato: lo riattivi prima di inviare un link per reimpostare la password.
reset-link-not-verified = L'indirizzo e-mail non è verificato, e un link di reimpostazione va solo a un indirizzo confermato dalla persona. Le chieda prima di confermarlo.
reset-link-confirm-heading = Inviare a { $name } ({ $username }) un link per reimpostare la password?
reset-link-confirm-to = Il link va a { $email }, nella lingua della persona.
reset-link-confirm-lifetime = { $count ->
    [one] Funziona una volta, per un minuto; un link più recente lo sostituisce.
   *[other] Funziona una volta, per { $count } minuti; un link più recente lo sostituisce.
}
reset-link-confirm-secret = Solo la persona sceglie la nuova password; nessun altro la vede.
reset-link-confirm-sessions = Finché il link non viene usato non cambia nulla: la persona resta connessa e la sua password funziona ancora. Una nuova password la disconnette ovunque.
reset-link-confirm-factors = I suoi secondi fattori restano: il prossimo accesso ne chiede ancora uno.
reset-link-button = Invia il link
reset-link-done = Il link per reimpostare la password è in viaggio per e-mail.
everyone-title = Disconnetti tutti
everyone-card-intro = Per un'emergenza, ad esempio un dispositivo perso o un'intrusione sospetta: termina ogni sessione dell'organizzazione e ogni applicazione chiede di accedere di nuovo. Conferma alla pagina successiva.
everyone-continue = Disconnetti tutti…
everyone-confirm-intro = Tutti in { $organisation } verranno disconnessi in una volta.
everyone-confirm-sessions = Ogni browser connesso a un account termina la sua sessione, account disattivati compresi.
everyone-confirm-applications = Ogni applicazione smette di accettare i token che detiene; ognuno accede di nuovo a ogni applicazione.
everyone-confirm-you = Lei resta connesso solo in questo browser; anche i Suoi altri browser e applicazioni vengono disconnessi.
everyone-confirm-stays = Password, secondi fattori, inviti e link già inviati restano come sono. Tutti possono accedere di nuovo; per tenere fuori qualcuno, disattivi il suo account.
everyone-button = Disconnetti tutti
everyone-cancel = Annulla
everyone-done = { $count ->
    [one] Tutti sono stati disconnessi; una sessione è terminata. Questo browser resta connesso.
   *[other] Tutti sono stati disconnessi; { $count } sessioni sono terminate. Questo browser resta connesso.
}
