# Shared by several pages and mails.

# How long to wait, as "Try again in { $wait }." says it.
duration-seconds = { $n ->
    [one] { $n } Sekunde
   *[other] { $n } Sekunden
}
duration-minutes = { $n ->
    [one] { $n } Minute
   *[other] { $n } Minuten
}

# The front page of a deployment (no tenant in the address).
site-intro = Dies ist ein latchkey-Identitätsanbieter. Melden Sie sich über die Adresse an, die Ihre Organisation Ihnen gegeben hat (sie sieht so aus:
# The name of an organisation in the example address on the front page (a tenant slug: lower case, hyphens).
site-example-tenant = ihre-organisation

# The header's language switcher: its label, and each language's own name
# for itself (the switcher shows every language in its own words).
site-language = Sprache
site-language-name = Deutsch
