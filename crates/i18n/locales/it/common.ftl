# Shared by several pages and mails.

# How long to wait, as "Try again in { $wait }." says it.
duration-seconds = { $n ->
    [one] { $n } secondo
   *[other] { $n } secondi
}
duration-minutes = { $n ->
    [one] { $n } minuto
   *[other] { $n } minuti
}

# The front page of a deployment (no tenant in the address).
site-intro = Questo è un fornitore di identità latchkey. Acceda tramite l'indirizzo che le ha comunicato la sua organizzazione (ha questa forma:
# The name of an organisation in the example address on the front page (a tenant slug: lower case, hyphens).
site-example-tenant = sua-organizzazione

# The header's language switcher: its label, and each language's own name
# for itself (the switcher shows every language in its own words).
site-language = Lingua
site-language-name = Italiano
