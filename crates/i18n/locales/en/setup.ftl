# The set-up pages after sign-in or recovery: authenticator app and recovery codes.

setup-app-title = Authenticator app
setup-app-setup = Set up an authenticator app
setup-app-replace = Replace your authenticator app
setup-replace-intro = Set up the new app (or new phone) below. Your current app stops working as soon as the new one is on.
setup-required = { $tenant } requires a second factor. Set one up to continue.
setup-step-open = Open an authenticator app on your phone (for example FreeOTP, Aegis, Google or Microsoft Authenticator) and add an account.
setup-step-scan = Scan this code, or type the key below.
setup-step-enter = Enter the 6-digit code the app then shows.
setup-key = Key:
setup-code-label = Code from the app
setup-turn-on = Turn on
setup-passkey-instead = Use a passkey or security key instead
setup-passkey-name = Name of the passkey
setup-passkey-placeholder = e.g. Laptop, YubiKey
setup-add-passkey = Add a passkey
setup-sign-out = Sign out
setup-cancel = Cancel
setup-codes-title = Recovery codes
setup-codes-intro = If you lose your phone, a recovery code lets you sign in instead of a code from your app. Each code works once.
setup-codes-keep = Keep them somewhere safe, away from your phone: printed, or in a password manager.
setup-codes-unused = You have { $count ->
    [one] { $count } unused code
   *[other] { $count } unused codes
}. Creating new codes ends the old ones.
setup-codes-create = Create { $count } recovery codes
setup-back-to-account = Back to your account
setup-codes-save-now = Save these codes now. They are shown only once; latchkey keeps only a fingerprint of each.
setup-codes-download = Download as a text file
setup-codes-print = Print
setup-codes-copy = Copy
setup-codes-copied = Copied. Paste them into your password manager.
setup-codes-copy-failed = Your browser did not allow copying. Select the codes and copy them, or download the file.
setup-codes-saved = I have saved them
# The downloaded file of new recovery codes.
setup-codes-file = Recovery codes for { $tenant } ({ $url }). Each works once.
setup-wrong-code = the code is not correct; enter the current code from your authenticator app
setup-too-many-attempts = Too many attempts. Try again in { $wait }.

# The QR code's name for screen readers.
setup-qr-label = QR code
