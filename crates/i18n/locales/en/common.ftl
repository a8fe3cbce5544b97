# Shared by several pages and mails.

# How long to wait, as "Try again in { $wait }." says it.
duration-seconds = { $n ->
    [one] { $n } second
   *[other] { $n } seconds
}
duration-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}

# The front page of a deployment (no tenant in the address).
site-intro = This is a latchkey identity provider. Sign in through the address your organisation gave you (it looks like
# The name of an organisation in the example address on the front page (a tenant slug: lower case, hyphens).
site-example-tenant = your-organisation

# The header's language switcher: its label, and each language's own name
# for itself (the switcher shows every language in its own words).
site-language = Language
site-language-name = English
