# The account page.

account-title = Your account
account-hello = Hello, { $name }
account-signed-in-as = You are signed in as { $username }.
account-email = Email
account-verified = (verified)
account-not-verified = (not verified)
account-resend = Send the verification link again
account-password-heading = Password
account-password-intro = Choose a new password: at least 12 characters; a few unrelated words work well. Every other browser where you are signed in is signed out, and applications ask you to sign in again.
account-change-password = Change password
account-new-password = New password
account-repeat-password = Repeat the new password
account-password-changed = Your password was changed. Other browsers were signed out, and we sent you a mail about it.
account-done-app = Your authenticator app is on: from now on, signing in asks for its code.
account-done-passkey = Your passkey is added: from now on, you can sign in with it.
account-passwords-differ-account = The two new passwords differ; type the same one twice.
account-link-sent = We sent a new verification link to your email address. It works for 24 hours.
account-email-change = Change email address
account-email-change-title = Change your email address
account-email-change-intro = Your address now is { $current }. We send a link to the new address; your address changes only when that link is followed, and we tell your current address.
account-email-change-recovery = For a week after a change, the new address does not count as a proof when you recover your account by yourself; keep your recovery codes at hand.
account-email-change-new = New email address
account-email-change-send = Send the confirmation link
account-email-change-keep = Keep my address
account-email-change-sent = We sent a link to the new address. Your address changes when you follow it, within 24 hours; we told your current address too.
account-email-change-cancelled = The change of address is cancelled; its link no longer works.
account-email-change-open = Waiting for confirmation: a link was sent to { $email }; it works until { $until }.
account-email-change-cancel = Cancel the change
account-app = Authenticator app
account-on-since = On since { $since }
account-replace = Replace (new phone)
account-remove = Remove
account-off = Off
account-set-up-app = Set up an authenticator app
account-passkeys = Passkeys and security keys
account-none-yet = None yet
account-synced = synced passkey
account-not-synced = not synced
account-suspected-copy = may have been copied: it no longer signs in; remove it, then add the key again
account-added = added { $when }
account-last-used = last used { $when }
account-new-name = New name
account-rename = Rename
account-passkey-name = Name of the new passkey
account-passkey-placeholder = e.g. Laptop, YubiKey
account-passkey-name-hint = Leave it empty to name it after this browser; you can rename it later.
account-passkey-default-name = Passkey ({ $device })
account-passkey-default = Passkey
account-add-passkey = Add a passkey
account-passkeys-need-https = Passkeys need this server to be reached over https.
account-codes = Recovery codes
account-unused = { $count } unused
account-few-left = — few left: create new ones before you run out
account-new-codes = Create new codes
account-ready = Ready for a lost phone or key?
account-ready-email = a verified email address (a recovery sends its code there)
account-ready-codes = saved recovery codes (they recover your account at once)
account-ready-factors = more than one second factor (for example an app and a passkey)
account-removed-factors = Removed second factors
account-removed = removed { $when } { $by }
account-by-admin = by your administrator
account-by-recovery = by your account recovery
account-kind-app = authenticator app
account-kind-passkey = passkey
account-kind-codes = recovery codes
account-self-recovery-for = Account Self-Recovery for { $tenant }
account-active = Active: users who lose their second factors can recover themselves.
account-not-active = Not active: users who lose their second factors need the helpdesk.
account-request = Your organisation's request:
account-note = Note for the operator (optional)
account-ask-operator = Ask the operator to activate it
account-signed-in = Signed in
account-session-ends = Session ends
account-sign-out = Sign out
account-m-password = password
account-m-otp = authenticator app
account-m-hwk = security key
account-m-swk = passkey
account-m-pop = passkey or security key
account-m-rc = recovery code
account-m-recovery = account recovery
account-signed-in-with = { $at } with { $methods }
account-session-ends-at = { $at } at the latest, or after { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} without activity
# Where the organisation's request for self-recovery stands.
account-request-pending = pending
account-request-approved = approved
account-request-declined = declined

## Before a second factor goes (remove_factor.html)
remove-app-title = Remove your authenticator app?
remove-passkey-title = Remove the passkey “{ $name }”?
remove-intro = Please read what happens when you remove it.
remove-factors-left = { $count ->
    [one] You keep one other second factor to sign in with.
   *[other] You keep { $count } other second factors to sign in with.
}
remove-last-factor = It is your last second factor: from then on, your password alone signs you in.
remove-codes-go = { $count ->
    [one] Your unused recovery code goes with it: a recovery code only stands in for a second factor you have.
   *[other] Your { $count } unused recovery codes go with it: recovery codes only stand in for a second factor you have.
}
remove-sessions-end = You are signed out everywhere else, and applications you use there ask you to sign in again.
remove-mail = We send a notice to your email address.
remove-refused = Your organisation requires a second factor, and this is your last one. Add another one first; then you can remove this one.
remove-app-button = Remove the app
remove-passkey-button = Remove the passkey
remove-cancel = Keep it
account-done-app-removed = Your authenticator app is removed.
account-done-passkey-removed = The passkey is removed.

# Where you are signed in (account/sessions)
sessions-title = Where you are signed in
sessions-intro = These browsers are signed in to your account. If you do not recognise one, sign it out and change your password.
sessions-this-browser = this browser
sessions-device = { $browser } on { $system }
sessions-unknown-browser = An unknown browser
sessions-signed-in = signed in { $at }
sessions-last-active = last active { $at }
sessions-address = from { $address }
sessions-sign-out = Sign out
sessions-sign-out-others = Sign out everywhere else
sessions-others-note = Signing out everywhere else also ends the sign-ins of applications: they will ask you to sign in again.
sessions-ended-one = That browser is signed out.
sessions-ended-others = Every other browser is signed out.
sessions-gone = That browser was signed out already.
account-sessions-link = Where you are signed in
account-request-waiting-upgrade = waiting for the upgrade to the new onboarding
# Recent security events on the account page (accounts::activity).
activity-heading = Recent security events
activity-none = Nothing has changed in how your account is protected yet.
activity-note = Something here you did not do? Change your password and look at where you are signed in; if you cannot sign in, use “Can't sign in?” on the sign-in page or ask your helpdesk.
activity-by-admin = by an administrator
activity-from = { $device }, address { $address }
activity-password-changed = Password changed
activity-password-reset-completed = Password set from an emailed link
activity-password-reset-sent = An administrator sent a link to set a new password
activity-email-change-requested = Change of email address asked for
activity-email-changed = Email address changed
activity-factor-totp-added = Authenticator app added
activity-factor-totp-removed = Authenticator app removed
activity-factor-recovery-codes-regenerated = New recovery codes created
activity-factor-passkey-added = Passkey added
activity-factor-passkey-removed = Passkey removed
activity-factor-passkey-clone-suspected = A passkey looked copied and was stopped
activity-factors-reset = Second factors removed by the helpdesk
activity-signout-everywhere-else = Signed out everywhere else
activity-user-role-changed = Role changed
activity-recovery-case-started = Account recovery started
activity-recovery-case-waiting = Account recovery proven; waiting period begun
activity-recovery-case-completed = Account recovered
activity-recovery-case-cancelled = Account recovery cancelled
activity-recovery-case-locked = Account recovery locked after wrong codes
activity-recovery-refused-admin = Account recovery asked for; administrators go to the helpdesk
activity-user-signed-out = Signed out everywhere by an administrator
activity-application-access-removed = Access of an application removed

codes-used-title = You used a recovery code
codes-used-gone = That code no longer works: each code works once.
codes-used-left = { $count ->
    [one] You have one recovery code left.
   *[other] You have { $count } recovery codes left.
}
codes-used-none-left = You have no recovery codes left.
codes-used-advice = Make a new set now, while you are signed in, and keep it somewhere safe. The new set replaces all your codes.
codes-used-new = Make a new set
codes-used-later = Later
