# The OpenID Connect pages: consent, request errors, sign-out, continuing to an application.

oidc-consent-title = Allow access?
oidc-consent-intro = wants to use your account. It asks to:
oidc-scope-openid = Know who you are
oidc-scope-profile = See your name and username
oidc-scope-email = See your email address
oidc-scope-offline = Keep access while you are not using it
oidc-scope-admin = Manage this organisation for you
oidc-signed-in-as = Signed in as { $username }.
oidc-allow = Allow
oidc-deny = Deny
oidc-consent-note = You can take this back at any time on your account page.
oidc-consent-lasts-days = It keeps this access for up to { $days ->
    [one] one day
   *[other] { $days } days
} after each sign-in, unless you take it back.
oidc-consent-lasts-minutes = It gets this access for { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
} after each sign-in.
oidc-request-title = This sign-in request cannot be used
oidc-request-text = The application that sent you here made a request that cannot be accepted. Go back to the application and try again. For its developers:
oidc-logout-title = Sign out?
oidc-logout-text = An application asks you to sign out of { $tenant }.
oidc-logout-button = Sign out
oidc-signed-out-title = You are signed out
oidc-signed-out-text = You can close this window.
oidc-apps-heading = Applications
oidc-apps-none = No application has access to your account.
oidc-apps-note = The applications you signed in to with this account, and those you allowed. Removing access ends their sign-in and their tokens at once; the next time, the application asks you to sign in again.
oidc-apps-own = your organisation's application
oidc-apps-allowed = allowed on { $when }
oidc-apps-last-used = last used { $when }
oidc-apps-removed = The application no longer has access to your account.
oidc-apps-gone = That application had no access to your account any more.
oidc-apps-remove = Remove access
oidc-continue-title = Continuing…
oidc-continue-link = Continue
