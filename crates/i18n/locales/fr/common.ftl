# Shared by several pages and mails.

# How long to wait, as "Try again in { $wait }." says it.
duration-seconds = { $n ->
    [one] { $n } seconde
   *[other] { $n } secondes
}
duration-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}

# The front page of a deployment (no tenant in the address).
site-intro = Ceci est un fournisseur d'identité latchkey. Connectez-vous à l'adresse que votre organisation vous a donnée (elle ressemble à
# The name of an organisation in the example address on the front page (a tenant slug: lower case, hyphens).
site-example-tenant = votre-organisation

# The header's language switcher: its label, and each language's own name
# for itself (the switcher shows every language in its own words).
site-language = Langue
site-language-name = Français
