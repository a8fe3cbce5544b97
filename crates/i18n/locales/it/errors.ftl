# Error pages.

error-csrf-title = Questo modulo è scaduto
error-csrf-text = Il modulo non è stato inviato da questa pagina o è troppo vecchio. Torni indietro, ricarichi la pagina e riprovi.
error-invalid-title = Controlli i dati inseriti
error-invalid-text = Alcuni campi non sono validi:
error-conflict-title = Esiste già
error-not-found-title = Pagina non trovata
error-not-found-text = A questo indirizzo non c'è nulla. Controlli l'indirizzo.
error-reauth-title = Acceda di nuovo
error-reauth-text = Per la sua sicurezza, i secondi fattori possono essere modificati solo entro 10 minuti dall'accesso. Esca, acceda di nuovo e riprovi.
error-code-title = Il codice non è corretto
error-code-text = Inserisca il codice attuale della sua app di autenticazione.
error-link-title = Questo link non può essere usato
error-link-text = È già stato usato, è scaduto o è stato sostituito da un link più recente. Acceda per chiederne uno nuovo.
error-signin-title = Accesso non riuscito
error-signin-text = Il nome utente, l'indirizzo e-mail o la password non sono corretti.
error-limit-title = Troppi tentativi
error-limit-text = Troppi tentativi. Riprovi tra { $wait }.
error-busy-title = Server sovraccarico
error-busy-text = Il server è momentaneamente sovraccarico. Riprovi tra qualche istante.
error-down-title = Temporaneamente non disponibile
error-down-text = Al momento latchkey non riesce a raggiungere il proprio database. Riprovi tra qualche istante.
error-internal-title = Si è verificato un errore
error-internal-text = Si è verificato un errore da parte nostra. Riprovi; se il problema persiste, comunichi al suo amministratore l'ora in cui si è verificato.

# A password-reset link is for someone who cannot sign in: offer a new link.
error-reset-link-text = È già stato utilizzato, è scaduto oppure è stato sostituito da un link più recente. Può richiederne uno nuovo adesso.

# The way forward from an error page.
error-forward-signin = Andare all'accesso di { $tenant }
error-forward-account = Andare al suo account
error-forward-home = Andare alla pagina iniziale
error-forward-back = Tornare al modulo
error-forward-new-link = Richiedere un nuovo link
