# Messages about one field of a form (core's `Said`). A page puts the
# field's label first ("Password: …"); the API and the CLI use English.

label-password = Password
label-email = Indirizzo e-mail
label-username = Nome utente
label-name = Nome
label-reason = Motivo

field-required = è un campo obbligatorio
field-too-long = contiene { $len } caratteri; ne sono ammessi al massimo { $max }
field-control-characters = non può contenere caratteri di controllo (come interruzioni di riga o tabulazioni)
field-password-too-short = contiene { $len } caratteri; ne usi almeno { $min } (alcune parole senza legame tra loro vanno bene)
field-password-repeated = non può essere un solo carattere ripetuto
field-password-common = è una delle password scelte più spesso (o una di esse con qualche cifra o segno in più), quindi è la prima che gli aggressori provano; scelga tre o quattro parole senza legame tra loro, oppure lasci che il suo gestore di password ne crei una
field-password-context = è composta soprattutto da «{ $word }», un nome legato a questo account o a questa organizzazione, e gli aggressori provano per primi questi nomi; aggiunga tre o quattro parole senza legame tra loro, oppure lasci che il suo gestore di password ne crei una
field-username-characters = può contenere solo lettere, cifre, '.', '_' e '-' (niente spazi né '@')
field-username-taken = è già in uso in questa organizzazione; scelga un altro nome utente
field-email-taken = è già usato da un'altra persona di questa organizzazione
field-email-too-long = supera i 254 caratteri
field-email-spaces = non può contenere spazi o caratteri di controllo
field-email-shape = deve avere la forma nome@example.com
field-email-local-part = deve avere la forma nome@example.com (una sola '@', preceduta da al massimo 64 caratteri)
field-email-domain = contiene un dominio non valido; deve avere la forma example.com
field-email-local-characters = non è un indirizzo a cui si possa inviare posta: prima della '@' usi lettere, cifre e segni come . _ + - (niente virgolette, parentesi, virgole o spazi, e nessun punto all'inizio, alla fine o due volte di seguito)
field-mixes-scripts = mescola lettere di sistemi di scrittura diversi (come il latino e il cirillico) e può quindi essere scambiato per un altro nome; usi le lettere di un solo sistema di scrittura (il latino può essere combinato con il cinese, il giapponese o il coreano)
field-not-a-name-character = contiene «{ $ch }» (U+{ $code }), un carattere non ammesso nei nomi perché si confonde facilmente con un altro; usi le lettere di un sistema di scrittura diffuso
field-passkey-request-expired = questa richiesta di passkey è scaduta o è già stata usata; ricominci da capo
field-passkey-unreadable = non è stato possibile leggere la risposta del browser per la passkey; riprovi
field-passkey-not-verified = non è stato possibile verificare la passkey; riprovi
field-passkey-limit = ha già { $max } passkey, il numero massimo per un account; ne rimuova prima una
field-passkey-only-factor = la sua organizzazione richiede un secondo fattore e questo è l'unico che ha; aggiunga prima un'altra passkey o un'app di autenticazione
field-passkey-alone-not-offered = questa organizzazione non offre l'accesso con la sola passkey; acceda con la sua password
field-confirm-with-passkey = il suo account ha una passkey: confermi con quella invece che con la password
field-totp-only-factor = la sua organizzazione richiede un secondo fattore e questo è l'unico che ha; per cambiare telefono usi invece «Sostituire»
field-totp-offer-expired = questo modulo di configurazione è scaduto; ricominci da capo
field-totp-changed-meanwhile = nel frattempo la sua app di autenticazione è cambiata (forse in un'altra scheda?); ricarichi la pagina dell'account
field-recovery-changed-meanwhile = nel frattempo questo recupero è cambiato (forse in un'altra scheda?); ricarichi la pagina
field-recovery-ended = questo recupero è terminato
field-recovery-needs-proof = servono prima altre prove
field-recovery-waiting = il periodo di attesa non è ancora trascorso
field-recovery-finished-meanwhile = nel frattempo questo recupero è stato concluso o è terminato
field-recovery-switched-off = il recupero autonomo dell'account è stato disattivato per questa organizzazione
field-password-recently-reset = la sua password è stata reimpostata di recente via e-mail, quindi qui non vale insieme al codice ricevuto per e-mail; usi un codice di recupero
field-address-recently-changed = il suo indirizzo e-mail è cambiato di recente, quindi il suo codice non vale ancora; usi la password e un codice di recupero, oppure si rivolga al suo helpdesk
field-same-address = è già il suo indirizzo
field-only-admins-ask = solo gli amministratori dell'organizzazione possono farne richiesta
field-recovery-active-already = il recupero autonomo dell'account è già attivo
field-onboarding-first = la sua organizzazione deve prima passare al nuovo onboarding (v2); si rivolga al suo operatore
field-request-decided-meanwhile = nel frattempo sulla richiesta è già stata presa una decisione
field-settings-changed-meanwhile = nel frattempo le impostazioni dell'organizzazione sono state modificate; ricarichi la pagina e riprovi
field-redirect-not-plain = «{ $uri }» non è nella sua forma semplice; lo registri come { $plain }
field-too-many-addresses = al massimo { $max } indirizzi
field-needs-redirect = un'applicazione che fa accedere le persone richiede almeno un indirizzo di reindirizzamento
field-client-credentials-needs-secret = client_credentials richiede un'applicazione confidenziale (con un segreto o con chiavi), non un'applicazione pubblica
field-not-between = { $value } non è compreso tra 1 e { $max }
field-passkeys-unavailable = le passkey non sono disponibili su questo server: deve essere raggiungibile tramite https (o http://localhost); si rivolga al suo amministratore
field-needs-grant-type = scelga almeno uno tra authorization_code, refresh_token e client_credentials
field-scopes-need-openid = gli scope di un'applicazione devono comprendere openid: è ciò che significa far accedere qualcuno
field-admin-scope-first-party-only = solo le applicazioni proprie (first-party) possono avere latchkey:admin: la contrassegni come applicazione propria, oppure tolga latchkey:admin
field-redirect-uri = «{ $uri }» { $problem ->
    [too-long] supera la lunghezza massima di { $max } caratteri
    [fragment] contiene un frammento (#…), che gli indirizzi di reindirizzamento non possono avere
    [spaces] contiene spazi, barre rovesciate o caratteri di controllo
    [not-absolute] non è un URL assoluto con un host e una porta validi
    [user-info] contiene un nome utente
    [no-host] non ha un host
    [plain-http] usa http non cifrato su un host diverso da localhost
   *[not-http] non è un indirizzo http(s)
}; usi un indirizzo https:// assoluto come https://app.example.com/callback
label-person = Persona
label-role = Ruolo
label-status = Stato
label-search = Ricerca
label-page = Pagina
label-page-size = Dimensione della pagina
field-nothing-to-reset = non ha né un secondo fattore né codici di recupero: non c'è nulla da reimpostare
field-not-yourself = non si può cambiare sul proprio account; lo chieda a un altro amministratore
field-reset-link-disabled = è disattivato: riattivi l'account prima di inviare un link per reimpostare la password
field-reset-link-unverified = non ha un indirizzo e-mail verificato, e un link di reimpostazione va solo a un indirizzo confermato dalla persona; le chieda prima di confermare il proprio indirizzo
field-reset-link-too-soon = ha ricevuto un link di reimpostazione meno di un minuto fa; attenda un minuto prima di inviarne un altro
field-page-cursor = non è una pagina di questo elenco; ricominci dalla prima pagina
field-page-size = deve essere un numero intero da 1 a { $max }
field-choose-one = scelga una delle possibilità proposte
field-no-way-to-sign-in = non lascerebbe alcun modo di accedere: mantenga le password oppure permetta l'accesso con la sola passkey
field-passkey-before-passwords-off = aggiunga prima una passkey al suo account (pagina dell'account), così potrà ancora accedere senza password
field-setup-step-not-yet = questo passo della configurazione viene dopo; completi prima i passi precedenti
field-setup-finished-already = la configurazione è già conclusa
field-password-signin-off = questa organizzazione accede solo con le passkey: scelga «Accedere con una passkey»
label-organisation-name = Nome dell'organizzazione
label-language = Lingua
label-signin-methods = Metodi di accesso
label-second-factor = Secondi fattori
label-recovery-wait = Periodo di attesa
label-redirect-uris = Indirizzi di reindirizzamento
label-post-logout-uris = Indirizzi dopo l'uscita
label-access-minutes = Durata del token di accesso
label-refresh-days = Durata del token di rinnovo
label-signing-alg = Firma dei token
label-grant-types = Che cosa può fare
label-app-kind = Tipo
label-note = Nota
label-step = Configurazione
label-request = Richiesta
label-people = Persone
label-readiness = Preparazione
field-nudge-whom = scelga le persone a cui inviare un promemoria, oppure lo invii a tutto l'elenco
field-unknown-people = { $count ->
    [one] una delle persone scelte non appartiene a questa organizzazione
   *[other] { $count } delle persone scelte non appartengono a questa organizzazione
}; ricarichi l'elenco e scelga di nuovo
field-too-many-chosen = si possono scegliere al massimo { $max } persone alla volta; invii invece il promemoria a tutto l'elenco
field-ready-filter = può mostrare solo le persone non pronte; apra l'elenco delle persone senza questo filtro

field-unknown-time-zone = «{ $value }» non è un fuso orario noto a questo server: inserisca il suo nome IANA, per esempio Europe/Zurich o Asia/Tokyo, oppure lasci il campo vuoto per UTC
