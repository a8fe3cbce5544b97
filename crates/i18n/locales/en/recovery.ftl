# Account Self-Recovery pages. They speak the browser's language, never the account's.

recovery-title = Recover your account
recovery-start-heading = Lost your phone or security key?
recovery-start-intro = You can get back into your account yourself. You prove who you are with what you still have — a code we email to your verified address, your password, or one of your recovery codes — and then set up a new second factor. Your old ones stop working.
recovery-login-label = Username or email
recovery-start-button = Start recovery
recovery-not-active = This organisation helps you itself when you cannot sign in.
recovery-help-link = Get help from { $tenant }
recovery-ask-admin = Contact your administrator or service desk: they can reset your second factors.
recovery-back-to-signin = Back to sign-in
recovery-enter-login = Enter the username or email address of your account.
recovery-too-many-starts = Too many recoveries were started. Try again in { $wait }.
recovery-two-proofs = Give two of these proofs. A code from your email counts only together with your password or a recovery code.
recovery-email-heading = Code from your email
recovery-email-intro = If the account has a verified email address, we sent an 8-digit code to it. It works for 10 minutes.
recovery-code-withheld = Recovery was started for this name too often today, so we did not send another code. You can still finish with your password and a recovery code, or try again tomorrow.
recovery-email-label = Code from the email
recovery-email-button = Check code
recovery-password-heading = Your password
recovery-password-label = Password
recovery-password-button = Check password
recovery-code-heading = A recovery code
recovery-code-intro = With your password, a recovery code finishes the recovery at once.
recovery-code-label = Recovery code
recovery-code-button = Check recovery code
recovery-stop = Stop this recovery
recovery-waiting-more = We emailed the account's verified address: if it was not you, that email cancels it with one click. Come back to this browser then to finish. Signing in with a second factor meanwhile cancels the recovery.
recovery-ready-intro = You can finish now. When you do, every second factor of the account is removed (authenticator apps, passkeys, recovery codes), every device is signed out, and you set up a new second factor.
recovery-password-again = Your password, once more
recovery-finish = Finish the recovery
recovery-start-again = Start again
recovery-ended-completed = This recovery is complete.
recovery-ended-cancelled = This recovery was cancelled. Your second factors are unchanged.
recovery-ended-expired = This recovery expired before it was finished.
recovery-ended-locked = This recovery is locked after too many wrong codes. Nothing changed; we told the account's owner by email.
recovery-ended-other = This recovery has ended.
recovery-wrong-email-code = That code from the email is not right, or it has expired. { $count ->
    [one] One more wrong try locks this recovery.
   *[other] { $count } tries left before this recovery locks.
}
recovery-wrong-password-proof = That password is not right. { $count ->
    [one] One more wrong try locks this recovery.
   *[other] { $count } tries left before this recovery locks.
}
recovery-wrong-recovery-code = That recovery code is not right, or it was used before. { $count ->
    [one] One more wrong try locks this recovery.
   *[other] { $count } tries left before this recovery locks.
}
recovery-fill-one = Fill in one of the fields and send it with its own button.
recovery-too-many-attempts = Too many attempts. Try again in { $wait }.
recovery-busy = The server is busy right now. Try again in a moment.
recovery-wrong-password = The password is not correct.
recovery-cancel-heading = Cancel the account recovery
recovery-cancel-intro = Someone proved enough to recover your account, and it would complete after the waiting period. If that was not you, cancel it: your second factors stay as they are.
recovery-cancel-button = Cancel the recovery
recovery-cancelled-title = Recovery cancelled
recovery-cancelled-text = The account recovery is cancelled and your second factors are unchanged. If you did not start it, tell your administrator, and consider changing your password.
recovery-done-heading = You are back in
recovery-done-intro = Your account is recovered. What happened:
recovery-done-factors = every second factor you had was removed — authenticator apps, passkeys and recovery codes;
recovery-done-devices = every other device was signed out;
recovery-done-mail = we emailed your address about it.
recovery-done-required = Your organisation requires a second factor: set up a new one now.
recovery-done-optional = Set up a new second factor now, so you are protected again.
recovery-continue-link = Continue
