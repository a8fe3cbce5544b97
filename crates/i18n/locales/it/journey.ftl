# Il recupero come un percorso che si può lasciare e riprendere: lo stato
# della pratica, l'ora sull'orologio della persona, un nuovo codice, l'avviso
# su questo browser e il passo successivo.

journey-status-heading = A che punto è il suo recupero
journey-status-intro = Servono due prove: il codice ricevuto per e-mail insieme alla password o a un codice di recupero — oppure la password insieme a un codice di recupero.
journey-proven = fornita
journey-missing = ancora necessaria
journey-next-heading = Che cosa succede ora
journey-next-proving = Non appena le due prove sono fornite, questa pagina indica quando il recupero si conclude. Da un dispositivo da cui questo account non ha mai effettuato l'accesso c'è prima un periodo di attesa, e scriviamo all'indirizzo dell'account perché il titolare possa fermarlo.
journey-waiting = Prove accettate. Per la sua sicurezza, il recupero si conclude il { $when } ({ $zone }), { $relative }, perché è stato avviato su un dispositivo da cui questo account non ha mai effettuato l'accesso.
journey-zone-utc = UTC — il suo browser non ci ha indicato il suo fuso orario
journey-zone-organisation = { $zone } — il fuso orario di { $tenant }; il suo browser non ci ha indicato il proprio
journey-in-hours = { $n ->
    [one] tra un'ora
   *[other] tra { $n } ore
}
journey-in-minutes = { $n ->
    [one] tra un minuto
   *[other] tra { $n } minuti
}
journey-next-waiting-mail = Abbiamo scritto all'indirizzo verificato dell'account quando il recupero si conclude, con un link che lo annulla. Se non è stato lei, quel link lo ferma.
journey-next-waiting-back = Finita l'attesa, le scriviamo di nuovo. Torni allora su questa pagina in questo browser, confermi e configuri un nuovo secondo fattore.
journey-next-waiting-signin = Se nel frattempo accede con un secondo fattore, il recupero viene annullato.
journey-browser-heading = Concludere in questo browser
journey-browser-warning = Questo browser custodisce il suo recupero: può chiuderlo e tornare più tardi su questa pagina, ma non usi una finestra privata e non cancelli i suoi cookie prima di aver concluso.
journey-browser-lost = Se vanno persi comunque (cookie cancellati, un altro dispositivo): ricominci lì e fornisca di nuovo entrambe le prove. Il nuovo recupero subentra a questo e non si conclude mai prima di quanto si sarebbe concluso questo.
journey-resend-intro = Nessuna e-mail? Controlli la cartella della posta indesiderata, oppure chieda un nuovo codice: sostituisce quello vecchio. Per uno stesso nome partono al massimo 3 codici all'ora e 5 al giorno.
journey-resend-button = Inviare un nuovo codice
journey-resent = Se l'account ha un indirizzo e-mail verificato, un nuovo codice è in arrivo. Il codice precedente non è più valido.
journey-resend-limit = Per ora nessun nuovo codice: per questo nome sono già partiti abbastanza codici. Riprovi tra { $wait } — oppure concluda con la password e un codice di recupero.
journey-done-next-heading = Protegga di nuovo il suo account
journey-done-next-intro = Il suo account ora non ha alcun secondo fattore. Ne configuri uno — dopo potrà salvare nuovi codici di recupero.
journey-done-app = Configurare un'app di autenticazione
journey-done-passkey = Aggiungere una passkey
journey-done-later = Non ora, continuare
