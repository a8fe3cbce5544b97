# Mails: a greeting, paragraphs, an optional action link and a footer.

mail-greeting = Gentile { $name },
mail-footer = Inviato da latchkey per { $tenant }. Questo è un messaggio automatico; le risposte non vengono lette.
mail-verify-email-subject = Confermi il suo indirizzo e-mail per { $tenant_name }
mail-verify-email-ask = la preghiamo di confermare che questo è il suo indirizzo e-mail per l'account { $tenant_name } aprendo questo link:
mail-verify-email-action = Confermare l'indirizzo e-mail
mail-verify-email-expiry = Il link funziona una sola volta e scade tra { $expires_hours ->
    [one] { $expires_hours } ora
   *[other] { $expires_hours } ore
}.
mail-verify-email-ignore = Se non si aspettava questo messaggio, può ignorarlo; non cambierà nulla.
mail-recovery-code-subject = Il suo codice per il recupero dell'account { $tenant_name }
mail-recovery-code-intro = qualcuno — auspicabilmente lei — sta recuperando il suo account { $tenant_name } dopo averne perso i secondi fattori. Il codice è:
mail-recovery-code-expiry = È valido per { $expires_minutes ->
    [one] { $expires_minutes } minuto
   *[other] { $expires_minutes } minuti
}. Non lo comunichi mai a nessuno, nemmeno a una persona della sua organizzazione.
mail-recovery-code-warning = Se non è stato lei, non faccia nulla e informi il suo amministratore: senza questo codice nessuno può recuperare il suo account tramite questo indirizzo.
mail-recovery-waiting-subject = Il suo account { $tenant_name } sarà recuperato il { $when }
mail-recovery-waiting-intro = le prove per il recupero del suo account { $tenant_name } sono state fornite. Il { $when } il recupero potrà essere concluso: tutti i secondi fattori dell'account verranno allora rimossi e ne verranno configurati di nuovi. Se non è stato lei, lo annulli subito:
mail-recovery-waiting-action = Annullare questo recupero
mail-recovery-waiting-mine = Se è stato lei, fino ad allora non deve fare nulla; prosegua nel browser in cui ha iniziato.
mail-recovery-ready-subject = Può concludere il recupero del suo account { $tenant_name }
mail-recovery-ready-intro = il periodo di attesa per il recupero del suo account { $tenant_name } è terminato. Lo concluda nel browser in cui l'ha avviato:
mail-recovery-ready-action = Concludere il recupero
mail-recovery-ready-note = Il link funziona solo in quel browser. Se non ha avviato lei questo recupero, informi subito il suo amministratore.
mail-password-reset-subject = Nuova password per { $tenant_name }
mail-password-reset-intro = qualcuno ha chiesto di impostare una nuova password per il suo account { $tenant_name }. Per farlo, apra questo link:
mail-password-reset-action = Impostare una nuova password
mail-password-reset-expiry = Il link funziona una sola volta, per { $expires_minutes ->
    [one] { $expires_minutes } minuto
   *[other] { $expires_minutes } minuti
}.
mail-password-reset-note = Una nuova password non cambia i suoi secondi fattori: all'accesso le verranno comunque chiesti. Se non ha fatto lei questa richiesta, ignori questo messaggio.
mail-security-totp-added-subject = Un'app di autenticazione è stata aggiunta al suo account
mail-security-totp-added-what = è stata aggiunta un'app di autenticazione come secondo fattore
mail-security-totp-removed-subject = Un'app di autenticazione è stata rimossa dal suo account
mail-security-totp-removed-what = è stata rimossa un'app di autenticazione dai suoi secondi fattori
mail-security-passkey-added-subject = Una passkey è stata aggiunta al suo account
mail-security-passkey-added-what = è stata aggiunta una passkey o una chiave di sicurezza come secondo fattore
mail-security-passkey-removed-subject = Una passkey è stata rimossa dal suo account
mail-security-passkey-removed-what = è stata rimossa una passkey o una chiave di sicurezza dai suoi secondi fattori
mail-security-passkey-clone-suspected-subject = Una passkey del suo account potrebbe essere stata copiata
mail-security-passkey-clone-suspected-what = una delle sue passkey o chiavi di sicurezza ha risposto con un contatore di firma già usato, segno che è stata copiata; non consente più di accedere
mail-security-recovery-cancelled-subject = Il recupero del suo account è stato annullato
mail-security-recovery-cancelled-what = un recupero dell'account in corso è stato annullato; i suoi secondi fattori sono invariati
mail-security-recovery-completed-subject = Il suo account è stato recuperato
mail-security-recovery-completed-what = il suo account è stato recuperato: tutti i secondi fattori sono stati rimossi e tutti i dispositivi sono stati disconnessi
mail-security-recovery-locked-subject = Il recupero del suo account è stato bloccato
mail-security-recovery-locked-what = un recupero dell'account è stato bloccato dopo troppi codici errati; non è cambiato nulla
mail-security-factors-reset-subject = I suoi secondi fattori sono stati reimpostati
mail-security-factors-reset-what = un amministratore ha rimosso tutti i secondi fattori del suo account e ha disconnesso tutti i dispositivi
mail-security-recovery-not-for-admins-subject = Il recupero dell'account non è disponibile per il suo account
mail-security-recovery-not-for-admins-what = è stato chiesto un recupero dell'account; gli account degli amministratori non vengono recuperati in questo modo — chieda a un altro amministratore o al suo operatore di reimpostare i suoi secondi fattori
mail-security-recovery-codes-regenerated-subject = Sono stati creati nuovi codici di recupero per il suo account
mail-security-recovery-codes-regenerated-what = sono stati creati nuovi codici di recupero; quelli vecchi non funzionano più
mail-security-password-changed-subject = La sua password è stata cambiata
mail-security-password-changed-what = la sua password è stata cambiata
mail-security-second-factor-guessing-subject = Qualcuno sta cercando di accedere al suo account
mail-security-second-factor-guessing-what = la sua password è stata inserita correttamente, seguita da molti codici errati
mail-security-happened = il { $when }, { $what } nel suo account { $tenant }.
mail-security-from = È stato fatto con { $device }.
mail-security-address = La richiesta proveniva dall'indirizzo { $address } (l'ultima parte è nascosta).
mail-security-totp-removed-with-codes-subject = Un'app di autenticazione è stata rimossa dal suo account
mail-security-totp-removed-with-codes-what = è stata rimossa un'app di autenticazione dai suoi secondi fattori; era l'ultimo, perciò sono stati rimossi anche i suoi codici di recupero
mail-security-passkey-removed-with-codes-subject = Una passkey è stata rimossa dal suo account
mail-security-passkey-removed-with-codes-what = è stata rimossa una passkey o una chiave di sicurezza dai suoi secondi fattori; era l'ultimo, perciò sono stati rimossi anche i suoi codici di recupero
mail-security-advice-own = Se è stato lei, non deve fare nulla. In caso contrario, qualcuno che conosce la sua password ha effettuato l'accesso al suo account: cambi subito la password, così tutti gli altri browser vengono disconnessi, e informi il suo amministratore.
mail-security-advice-password = Se è stato lei, non deve fare nulla. In caso contrario, la sua vecchia password non funziona più: scelga «Password dimenticata?» nella pagina di accesso per impostarne una nuova (i suoi secondi fattori proteggono ancora il suo account) e informi il suo amministratore.
mail-security-advice-guessing = Il suo secondo fattore ha impedito l'accesso, ma la sua password è nota. La cambi subito, così tutti gli altri browser vengono disconnessi, e informi il suo amministratore.
mail-security-advice-attempt = Nel suo account non è cambiato nulla. Se non ha avviato lei questo recupero, forse qualcuno sta cercando di entrare: cambi la password e informi il suo amministratore.
mail-security-advice-recovered = Se è stato lei, non deve fare nulla. In caso contrario, qualcuno ha preso il controllo del suo account e i suoi vecchi secondi fattori non le permettono più di accedere: contatti subito il suo helpdesk, affinché blocchi l'account e glielo restituisca.
mail-security-advice-reset = Lo ha fatto un amministratore, non lei. Se non lo ha chiesto al suo helpdesk, lo contatti subito: qualcuno potrebbe averlo convinto a farlo.
mail-security-email-change-requested-subject = Per il suo account è stato indicato un nuovo indirizzo e-mail
mail-security-email-change-requested-what = per il suo account è stato indicato un nuovo indirizzo e-mail; sostituisce questo solo quando viene aperto il link inviato al nuovo indirizzo
mail-security-email-changed-subject = L'indirizzo e-mail del suo account è stato cambiato
mail-security-email-changed-what = l'indirizzo e-mail del suo account è stato cambiato; le e-mail dell'account non arrivano più a questo indirizzo
mail-security-advice-email-requested = Se è stato lei, apra il link nell'e-mail inviata al nuovo indirizzo. In caso contrario, qualcuno che conosce la sua password e il suo secondo fattore ha effettuato l'accesso: acceda, annulli la modifica nella pagina del suo account e cambi la password, così tutti gli altri browser vengono disconnessi. Se non riesce ad accedere, scelga «Password dimenticata?» nella pagina di accesso o contatti il suo helpdesk.
mail-security-advice-email-changed = Se è stato lei, non deve fare nulla. In caso contrario, qualcuno ha preso il controllo del suo account e questo indirizzo non riceve più le sue e-mail: contatti subito il suo helpdesk, affinché blocchi l'account e glielo restituisca.
mail-security-helpdesk-action = Contattare l'helpdesk
mail-security-clone-advice = Acceda in un altro modo (un'altra passkey, la sua app di autenticazione o un codice di recupero), rimuova questa passkey nella pagina del suo account (così tutti gli altri browser vengono disconnessi) e aggiunga di nuovo la chiave se ne ha ancora fiducia. Se non l'ha copiata lei, cambi anche la password e informi il suo amministratore.

mail-new-sign-in-subject = Nuovo accesso al suo account { $tenant }
mail-new-sign-in-happened = Il { $when } qualcuno ha effettuato l'accesso al suo account { $tenant } con { $device }, un browser che non vi aveva mai effettuato l'accesso.
mail-new-sign-in-device = { $browser } su { $system }
mail-new-sign-in-unknown-browser = un browser che non si è identificato
mail-new-sign-in-address = L'accesso proveniva dall'indirizzo { $address } (l'ultima parte è nascosta).
mail-new-sign-in-advice = Se è stato lei, non deve fare nulla. In caso contrario, acceda subito, cambi la password, si disconnetta ovunque altrove (Account → Dove ha effettuato l'accesso) e informi il suo amministratore.
mail-greeting-plain = Buongiorno,
mail-invitation-subject = È invitato ad amministrare { $tenant_name }
mail-invitation-intro = è invitato a diventare l'amministratore di { $tenant_name }. Apra questo link per scegliere il suo nome utente e la sua password:
mail-invitation-action = Accettare l'invito
mail-invitation-expiry = Il link funziona una sola volta, per { $expires_days ->
    [one] { $expires_days } giorno
   *[other] { $expires_days } giorni
}. Se è scaduto, chieda un nuovo invito al suo operatore.
mail-invitation-ignore = Se non si aspettava questo messaggio, può ignorarlo; nessun account viene creato senza di lei.
mail-person-invitation-subject = Il suo account presso { $tenant_name } la aspetta
mail-person-invitation-intro = un amministratore di { $tenant_name } le ha creato un account con il nome utente { $username }. Apra questo link per scegliere la sua password:
mail-person-invitation-action = Scegliere la mia password
mail-person-invitation-expiry = Il link funziona una sola volta, per { $expires_days ->
    [one] { $expires_days } giorno
   *[other] { $expires_days } giorni
}. Se è scaduto, chieda al suo amministratore di inviarlo di nuovo.
mail-person-invitation-ignore = Se non si aspettava questo messaggio, può ignorarlo; senza questo link nessuno può usare l'account.
mail-activation-approved-subject = Il recupero autonomo è ora attivo per { $tenant_name }
mail-activation-approved-intro = l'operatore ha approvato la sua richiesta: il recupero autonomo dell'account è ora attivo per { $tenant_name }. Chi perde tutti i secondi fattori può ora rientrare da solo nel proprio account.
mail-activation-declined-subject = La sua richiesta di recupero autonomo per { $tenant_name } è stata rifiutata
mail-activation-declined-intro = l'operatore ha rifiutato la sua richiesta di attivare il recupero autonomo dell'account per { $tenant_name }.
mail-activation-reason = Motivo dell'operatore: { $reason }
mail-activation-action = Aprire la console di amministrazione
mail-activation-declined-next = Potrà chiedere di nuovo dalla console una volta risolto il motivo.
mail-readiness-subject = Prepari il suo account { $tenant_name } alla perdita di un secondo fattore
mail-readiness-intro = l'amministrazione di { $tenant_name } le chiede di preparare il suo account al giorno in cui perderà un telefono, un'app di autenticazione o una chiave di sicurezza. Così preparato, rientra da solo in pochi minuti, senza attendere l'assistenza.
mail-readiness-lacking = Ciò che manca ancora al suo account:
mail-readiness-missing-verified-address = – un indirizzo e-mail confermato: lo confermi dalla pagina del suo account
mail-readiness-missing-recovery-codes = – codici di recupero, stampati o conservati in un luogo sicuro
mail-readiness-missing-spare-factor = – oppure un secondo fattore di riserva: due, ad esempio un'app di autenticazione e una passkey
mail-readiness-action = Apra il suo account
mail-readiness-note = Bastano pochi minuti. Acceda come di consueto; la pagina dell'account mostra ciò che manca.
