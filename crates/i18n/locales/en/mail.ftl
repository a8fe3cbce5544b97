# Mails: a greeting, paragraphs, an optional action link and a footer.

mail-greeting = Hello { $name },
mail-footer = Sent by latchkey for { $tenant }. This is an automatic message; replies are not read.
mail-verify-email-subject = Confirm your email address for { $tenant_name }
mail-verify-email-ask = please confirm that this is your email address for your { $tenant_name } account by opening this link:
mail-verify-email-action = Confirm email address
mail-verify-email-expiry = The link works once and expires in { $expires_hours ->
    [one] { $expires_hours } hour
   *[other] { $expires_hours } hours
}.
mail-verify-email-ignore = If you did not expect this message, you can ignore it; nothing will change.
mail-recovery-code-subject = Your account recovery code for { $tenant_name }
mail-recovery-code-intro = someone — hopefully you — is recovering your { $tenant_name } account after losing its second factors. The code is:
mail-recovery-code-expiry = It works for { $expires_minutes ->
    [one] { $expires_minutes } minute
   *[other] { $expires_minutes } minutes
}. Never tell it to anyone, not even someone from your organisation.
mail-recovery-code-warning = If this was not you, do nothing and tell your administrator: without this code nobody can recover your account from this address.
mail-recovery-waiting-subject = Your { $tenant_name } account will be recovered on { $when }
mail-recovery-waiting-intro = an account recovery for your { $tenant_name } account was proven. On { $when } it can be completed: every second factor of the account will then be removed and new ones set up. If this is not you, cancel it now:
mail-recovery-waiting-action = Cancel this recovery
mail-recovery-waiting-mine = If it is you, there is nothing to do until then; continue in the browser where you started.
mail-recovery-ready-subject = You can finish recovering your { $tenant_name } account
mail-recovery-ready-intro = the waiting period of your { $tenant_name } account recovery is over. Finish it in the browser where you started:
mail-recovery-ready-action = Finish the recovery
mail-recovery-ready-note = The link works only in that browser. If you did not start this recovery, tell your administrator now.
mail-password-reset-subject = Set a new password for { $tenant_name }
mail-password-reset-intro = someone asked to set a new password for your { $tenant_name } account. To do so, open this link:
mail-password-reset-action = Set a new password
mail-password-reset-expiry = It works once, for { $expires_minutes ->
    [one] { $expires_minutes } minute
   *[other] { $expires_minutes } minutes
}.
mail-password-reset-note = A new password does not change your second factors: signing in still asks for them. If you did not ask for this, ignore this message.
mail-security-totp-added-subject = An authenticator app was added to your account
mail-security-totp-added-what = an authenticator app was added as a second factor
mail-security-totp-removed-subject = An authenticator app was removed from your account
mail-security-totp-removed-what = an authenticator app was removed from your second factors
mail-security-passkey-added-subject = A passkey was added to your account
mail-security-passkey-added-what = a passkey or security key was added as a second factor
mail-security-passkey-removed-subject = A passkey was removed from your account
mail-security-passkey-removed-what = a passkey or security key was removed from your second factors
mail-security-passkey-clone-suspected-subject = A passkey on your account may have been copied
mail-security-passkey-clone-suspected-what = one of your passkeys or security keys answered with a signature counter it had already used, a sign that it was copied; it no longer signs in
mail-security-recovery-cancelled-subject = Your account recovery was cancelled
mail-security-recovery-cancelled-what = an account recovery that was in progress was cancelled; your second factors are unchanged
mail-security-recovery-completed-subject = Your account was recovered
mail-security-recovery-completed-what = your account was recovered: every second factor was removed and all devices were signed out
mail-security-recovery-locked-subject = Your account recovery was locked
mail-security-recovery-locked-what = an account recovery was locked after too many wrong codes; nothing changed
mail-security-factors-reset-subject = Your second factors were reset
mail-security-factors-reset-what = an administrator removed every second factor of your account and signed out all devices
mail-security-recovery-not-for-admins-subject = Account recovery is not available for your account
mail-security-recovery-not-for-admins-what = an account recovery was asked for; administrators are not recovered this way — ask another administrator or your operator to reset your second factors
mail-security-recovery-codes-regenerated-subject = New recovery codes were created for your account
mail-security-recovery-codes-regenerated-what = new recovery codes were created; the old ones no longer work
mail-security-password-changed-subject = Your password was changed
mail-security-password-changed-what = your password was changed
mail-security-second-factor-guessing-subject = Someone is trying to sign in to your account
mail-security-second-factor-guessing-what = your password was entered correctly, followed by many wrong codes
mail-security-happened = on { $when }, { $what } on your { $tenant } account.
mail-security-from = It was done with { $device }.
mail-security-address = The request came from the address { $address } (its last part hidden).
mail-security-totp-removed-with-codes-subject = An authenticator app was removed from your account
mail-security-totp-removed-with-codes-what = an authenticator app was removed from your second factors; it was the last one, so your recovery codes were removed too
mail-security-passkey-removed-with-codes-subject = A passkey was removed from your account
mail-security-passkey-removed-with-codes-what = a passkey or security key was removed from your second factors; it was the last one, so your recovery codes were removed too
mail-security-advice-own = If this was you, there is nothing to do. If it was not, someone who knows your password is signed in to your account: change your password at once, which signs out every other browser, and tell your administrator.
mail-security-advice-password = If this was you, there is nothing to do. If it was not, your old password no longer works: choose “Forgot password?” on the sign-in page to set a new one (your second factors still protect your account), and tell your administrator.
mail-security-advice-guessing = Your second factor kept them out, but they know your password. Change it at once, which signs out every other browser, and tell your administrator.
mail-security-advice-attempt = Nothing changed on your account. If you did not start this recovery, someone may be trying to get in: change your password and tell your administrator.
mail-security-advice-recovered = If this was you, there is nothing to do. If it was not, someone has taken over your account and you cannot sign in with your old second factors: contact your helpdesk at once, so that they can lock the account and give it back to you.
mail-security-advice-reset = An administrator did this, not you. If you did not ask your helpdesk for it, contact them at once: someone may have talked them into it.
mail-security-email-change-requested-subject = A new email address was named for your account
mail-security-email-change-requested-what = a new email address was named for your account; it replaces this one only once the link mailed to it is followed
mail-security-email-changed-subject = Your account's email address was changed
mail-security-email-changed-what = your account's email address was changed; mail for the account no longer comes to this address
mail-security-advice-email-requested = If this was you, follow the link in the mail sent to the new address. If it was not, someone who knows your password and second factor is signed in: sign in, cancel the change on your account page and change your password, which signs out every other browser. If you cannot sign in, choose “Forgot password?” on the sign-in page or contact your helpdesk.
mail-security-advice-email-changed = If this was you, there is nothing to do. If it was not, someone has taken over your account and this address no longer receives its mail: contact your helpdesk at once, so that they can lock the account and give it back to you.
mail-security-helpdesk-action = Contact your helpdesk
mail-security-clone-advice = Sign in another way (another passkey, your authenticator app or a recovery code), remove this passkey on your account page, which signs out every other browser, and add the key again if you still trust it. If you did not copy it yourself, change your password too and tell your administrator.

mail-new-sign-in-subject = New sign-in to your { $tenant } account
mail-new-sign-in-happened = On { $when }, someone signed in to your { $tenant } account with { $device }, a browser that had not signed in to it before.
mail-new-sign-in-device = { $browser } on { $system }
mail-new-sign-in-unknown-browser = a browser that did not name itself
mail-new-sign-in-address = The sign-in came from the address { $address } (its last part hidden).
mail-new-sign-in-advice = If this was you, there is nothing to do. If it was not, sign in at once, change your password, sign out everywhere else (Account → Where you are signed in) and tell your administrator.
mail-greeting-plain = Hello,
mail-invitation-subject = You are invited to administer { $tenant_name }
mail-invitation-intro = you are invited to become the administrator of { $tenant_name }. Open this link to choose your username and password:
mail-invitation-action = Accept the invitation
mail-invitation-expiry = The link works once, for { $expires_days ->
    [one] { $expires_days } day
   *[other] { $expires_days } days
}. If it has expired, ask your operator for a new invitation.
mail-invitation-ignore = If you did not expect this message, you can ignore it; no account is made without you.
mail-person-invitation-subject = Your account at { $tenant_name } is waiting for you
mail-person-invitation-intro = an administrator of { $tenant_name } made you an account with the username { $username }. Open this link to choose your password:
mail-person-invitation-action = Choose my password
mail-person-invitation-expiry = The link works once, for { $expires_days ->
    [one] { $expires_days } day
   *[other] { $expires_days } days
}. If it has expired, ask your administrator to send it again.
mail-person-invitation-ignore = If you did not expect this message, you can ignore it; nobody can use the account without this link.
mail-activation-approved-subject = Self-recovery is now active for { $tenant_name }
mail-activation-approved-intro = the operator approved your request: Account Self-Recovery is now active for { $tenant_name }. People who lose every second factor can now get back into their accounts by themselves.
mail-activation-declined-subject = Your request for self-recovery at { $tenant_name } was declined
mail-activation-declined-intro = the operator declined your request to activate Account Self-Recovery for { $tenant_name }.
mail-activation-reason = The operator's reason: { $reason }
mail-activation-action = Open the administration console
mail-activation-declined-next = You can ask again from the console once the reason is dealt with.
mail-readiness-subject = Prepare your { $tenant_name } account for losing a second factor
mail-readiness-intro = your administrator at { $tenant_name } asks you to prepare your account for the day you lose a phone, an authenticator app or a security key. Prepared, you get back in by yourself in a few minutes, without waiting for the helpdesk.
mail-readiness-lacking = What your account still lacks:
mail-readiness-missing-verified-address = – a confirmed email address: confirm it from your account page
mail-readiness-missing-recovery-codes = – recovery codes, printed or saved somewhere safe
mail-readiness-missing-spare-factor = – or a spare second factor: two of them, such as an authenticator app and a passkey
mail-readiness-action = Open your account
mail-readiness-note = It takes a couple of minutes. Sign in as usual; the account page shows what is missing.
