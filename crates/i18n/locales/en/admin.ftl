# The administration console.

admin-title = Administration
admin-not-admin = Only administrators of this organisation can open this page.
admin-recovery-heading = Account self-recovery
admin-active = Switched on.
admin-not-active = Not switched on; ask the operator (see your account page).
admin-started = started
admin-open = open
admin-completed = completed
admin-cancelled = cancelled
admin-expired = expired
admin-locked = locked
admin-median = median time to complete
admin-self-recoveries = people who recovered themselves
admin-helpdesk-resets = resets by the helpdesk
admin-chart-title = Recovery cases by outcome, last 90 days
admin-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
admin-users-heading = People
admin-reason = Reason (required, kept in the audit log)
admin-reset-button = Reset second factors
admin-reset-done = The second factors were reset and the person was told by mail.
admin-apps-heading = Applications
admin-app-name = Name
admin-app-redirects = Redirect addresses, one per line
admin-app-kind = Kind
admin-confidential = Web application with a secret
admin-public = Single-page or native application (PKCE, no secret)
admin-first-party = Our own application (no consent question)
admin-create-app = Register application
admin-created-title = Application registered
admin-created-secret-note = Copy the secret now: it is shown only this once.
admin-client-id = Client ID
admin-client-secret = Client secret
admin-back = Back to administration
admin-none-yet = none yet
admin-setup-heading = Second factors
admin-setup-intro = Set up your organisation: should people who sign in with a password add a second factor (an authenticator app or a passkey)? A passkey alone is already two factors.
admin-policy-off = Off: not offered
admin-policy-optional = Optional: people may add one
admin-policy-required = Required: everyone sets one up at the next sign-in (recommended)
admin-setup-save = Save
admin-setup-done = Saved.
admin-settings = Settings
admin-app-title = Application
admin-app-post-logout = Addresses after sign-out, one per line
admin-app-grants = What it may do
admin-grant-code = Sign people in (authorization code)
admin-grant-refresh = Keep people signed in (refresh tokens)
admin-grant-cc = Call APIs as itself (client credentials; not for single-page or native applications)
admin-access-minutes = Access token lifetime in minutes (1–1440)
admin-refresh-days = Refresh token lifetime in days (1–365)
admin-signing-alg = Token signature (RS256 only for libraries that cannot check ES256)
admin-save-app = Save changes
admin-app-saved = The application was changed.
admin-rotate-heading = New secret
admin-rotate-intro = A new secret replaces the current one at once: the application must use the new one from then on.
admin-rotate-button = Make a new secret
admin-rotated-title = New client secret
admin-rotated-note = Copy the secret now: it is shown only this once. The old secret no longer works.
admin-delete-heading = Remove application
admin-delete-intro = Removing the application ends the sign-ins of everyone who uses it, at once. This cannot be undone.
admin-delete-button = Remove application
admin-delete-confirm-title = Remove the application “{ $name }”?
admin-delete-confirm-intro = Please read what happens when you remove it.
admin-delete-confirm-sign-ins = Everyone signed in to it through this organisation is signed out of it at once: its access and refresh tokens stop working.
admin-delete-confirm-credentials = Its client id and secret stop working: the application cannot sign anyone in until it is registered again, with a new id.
admin-delete-confirm-final = This cannot be undone.
admin-delete-cancel = Keep it
admin-app-deleted = The application was removed.
admin-whole-number = "{ $value }" is not a whole number
# A person's state in the list of people.
admin-status-active = active
admin-status-disabled = disabled

# The weekly chart of the console.
admin-weekly-title = Closed recovery cases per week by outcome, last 12 weeks
admin-weekly-table = The weeks as a table
admin-week-starting = Week starting
admin-week-total = total
