# Messages about one field of a form (core's `Said`). A page puts the
# field's label first ("Password: …"); the API and the CLI use English.

label-password = Password
label-email = Email address
label-username = Username
label-name = Name
label-reason = Reason

field-required = is required
field-too-long = is { $len } characters long; at most { $max } are allowed
field-control-characters = must not contain control characters (such as line breaks or tabs)
field-password-too-short = is { $len } characters long; use at least { $min } characters (a few unrelated words work well)
field-password-repeated = must not be one character repeated
field-password-common = is one of the passwords people choose most often (or one of them with a few digits or signs added), so it is the first that attackers try; choose three or four unrelated words, or let your password manager make one
field-password-context = is mostly “{ $word }”, a name that goes with this account or organisation, and attackers try those first; add three or four unrelated words, or let your password manager make one
field-username-characters = may contain only letters, digits, '.', '_' and '-' (no spaces or '@')
field-username-taken = is already taken in this organisation; choose another username
field-email-taken = is already used by another user of this organisation
field-email-too-long = is longer than 254 characters
field-email-spaces = must not contain spaces or control characters
field-email-shape = must look like name@example.com
field-email-local-part = must look like name@example.com (one '@', at most 64 characters before it)
field-email-domain = has an invalid domain; it must look like example.com
field-email-local-characters = is not an address mail can be sent to: before the '@' use letters, digits and marks such as . _ + - (no quotes, brackets, parentheses, commas or spaces, and no dot at the start, at the end or twice in a row)
field-mixes-scripts = mixes letters of different writing systems (such as Latin and Cyrillic), so it can be mistaken for another name; use the letters of one writing system (Latin may go with Chinese, Japanese or Korean)
field-not-a-name-character = contains "{ $ch }" (U+{ $code }), which is not among the characters allowed in names because it is easily mistaken for another; use the letters of a widely used writing system
field-passkey-request-expired = this passkey request has expired or was used already; start again
field-passkey-unreadable = the browser's passkey answer could not be read; try again
field-passkey-not-verified = the passkey could not be verified; try again
field-passkey-limit = you have { $max } passkeys, the most an account can have; remove one first
field-passkey-only-factor = your organisation requires a second factor, and this is your only one; add another passkey or an authenticator app first
field-passkey-alone-not-offered = this organisation does not offer sign-in with a passkey alone; sign in with your password
field-confirm-with-passkey = your account has a passkey: confirm with it instead of the password
field-totp-only-factor = your organisation requires a second factor, and this is your only one; to change phones, use Replace instead
field-totp-offer-expired = this set-up form has expired; start again
field-totp-changed-meanwhile = your authenticator app changed meanwhile (another tab?); reload the account page
field-recovery-changed-meanwhile = this recovery changed meanwhile (another tab?); reload the page
field-recovery-ended = this recovery has ended
field-recovery-needs-proof = more proof is needed first
field-recovery-waiting = the waiting period is not over
field-recovery-finished-meanwhile = this recovery was completed or ended meanwhile
field-recovery-switched-off = self-recovery was switched off for this organisation
field-password-recently-reset = your password was reset by email recently, so it does not count beside the emailed code here; use a recovery code
field-address-recently-changed = your email address changed recently, so its code does not count yet; use your password and a recovery code, or ask your helpdesk
field-same-address = is already your address
field-only-admins-ask = only administrators of the organisation can ask for this
field-recovery-active-already = self-recovery is active already
field-onboarding-first = your organisation must first move to the new onboarding (v2); ask your operator
field-request-decided-meanwhile = the request was decided meanwhile
field-settings-changed-meanwhile = the organisation's settings were changed meanwhile; reload and try again
field-redirect-not-plain = "{ $uri }" is not in its plain form; register it as { $plain }
field-too-many-addresses = at most { $max } addresses
field-needs-redirect = an application that signs people in needs at least one redirect address
field-client-credentials-needs-secret = client_credentials needs a confidential application (one with a secret or keys), not a public one
field-not-between = { $value } is not between 1 and { $max }
field-passkeys-unavailable = passkeys are not available on this server: it must be reached over https (or http://localhost); ask your administrator
field-needs-grant-type = choose at least one of authorization_code, refresh_token and client_credentials
field-scopes-need-openid = an application's scopes must include openid: it is what signing someone in means
field-admin-scope-first-party-only = only one of your own applications (first-party) may have latchkey:admin: mark it as your own, or leave latchkey:admin out
field-redirect-uri = "{ $uri }" { $problem ->
    [too-long] is longer than { $max } characters
    [fragment] has a fragment (#…), which redirects must not have
    [spaces] contains spaces, backslashes or control characters
    [not-absolute] is not an absolute URL with a valid host and port
    [user-info] carries a user name
    [no-host] has no host
    [plain-http] uses plain http on a host other than localhost
   *[not-http] is not http(s)
}; use an absolute https:// address such as https://app.example.com/callback
label-person = Person
label-role = Role
label-status = State
label-search = Search
label-page = Page
label-page-size = Page size
field-nothing-to-reset = has no second factor and no recovery codes: there is nothing to reset
field-not-yourself = cannot be changed on your own account; ask another administrator
field-reset-link-disabled = is disabled: enable the account before sending a password reset link
field-reset-link-unverified = has no verified email address, and a reset link goes only to one the person confirmed; ask them to confirm their address first
field-reset-link-too-soon = was sent a reset link less than a minute ago; wait a minute before sending another
field-page-cursor = is not a page of this list; start again from the first page
field-page-size = must be a whole number from 1 to { $max }
field-choose-one = choose one of the options shown
field-no-way-to-sign-in = leaves no way to sign in: keep passwords on, or let people sign in with a passkey alone
field-passkey-before-passwords-off = add a passkey to your own account first (account page), so that you can still sign in once passwords are off
field-setup-step-not-yet = this step of the set-up comes later; finish the steps before it first
field-setup-finished-already = the set-up is finished already
field-password-signin-off = this organisation signs in with passkeys only: choose "Sign in with a passkey"
label-organisation-name = Organisation name
label-language = Language
label-signin-methods = Sign-in methods
label-second-factor = Second factors
label-recovery-wait = Waiting period
label-redirect-uris = Redirect addresses
label-post-logout-uris = Addresses after sign-out
label-access-minutes = Access token lifetime
label-refresh-days = Refresh token lifetime
label-signing-alg = Token signature
label-grant-types = What it may do
label-app-kind = Kind
label-note = Note
label-step = Set-up
label-request = Request
label-people = People
label-readiness = Readiness
field-nudge-whom = choose the people to remind, or remind everyone in the list
field-unknown-people = { $count ->
    [one] one of the people chosen is not in this organisation
   *[other] { $count } of the people chosen are not in this organisation
}; reload the list and choose again
field-too-many-chosen = at most { $max } people can be chosen at once; remind everyone in the list instead
field-ready-filter = can only show the people who are not ready; open the list of people without it

field-unknown-time-zone = “{ $value }” is not a time zone this server knows: type its IANA name, like Europe/Zurich or Asia/Tokyo, or leave the field empty for UTC
