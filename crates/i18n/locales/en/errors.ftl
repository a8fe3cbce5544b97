# Error pages.

error-csrf-title = This form has expired
error-csrf-text = The form was not sent from this page or is too old. Go back, reload the page and try again.
error-invalid-title = Please check your input
error-invalid-text = Some fields are not valid:
error-conflict-title = Already exists
error-not-found-title = Not found
error-not-found-text = There is nothing here at this address. Check the address.
error-reauth-title = Please sign in again
error-reauth-text = For your security, second factors can only be changed within 10 minutes of signing in. Sign out, sign in again, and try once more.
error-code-title = The code is not correct
error-code-text = Enter the current code from your authenticator app.
error-link-title = This link cannot be used
error-link-text = It was used already, has expired, or a newer link replaced it. Sign in to ask for a new one.
error-signin-title = Sign-in failed
error-signin-text = The username, email or password is not correct.
error-limit-title = Too many attempts
error-limit-text = Too many attempts. Try again in { $wait }.
error-busy-title = Busy
error-busy-text = The server is busy right now. Try again in a moment.
error-down-title = Temporarily unavailable
error-down-text = latchkey cannot reach its database right now. Try again in a moment.
error-internal-title = Something went wrong
error-internal-text = Something went wrong on our side. Please try again; if it keeps happening, tell your administrator the time it happened.

# A password-reset link is for someone who cannot sign in: offer a new link.
error-reset-link-text = It was used already, has expired, or a newer link replaced it. You can ask for a new one now.

# The way forward from an error page.
error-forward-signin = Go to the sign-in of { $tenant }
error-forward-account = Go to your account
error-forward-home = Go to the start page
error-forward-back = Back to the form
error-forward-new-link = Ask for a new link
