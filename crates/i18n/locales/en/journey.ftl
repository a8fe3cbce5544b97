# Self-recovery as a journey a person can leave and come back to: the status
# of a case, the time it completes on the person's clock, a new code, the
# warning that finishing needs this browser, and the next step after it.

journey-status-heading = Where your recovery stands
journey-status-intro = You need two proofs: the code from your email together with your password or a recovery code — or your password together with a recovery code.
journey-proven = proven
journey-missing = still needed
journey-next-heading = What happens next
journey-next-proving = As soon as two proofs are in, this page tells you when the recovery completes. From a device this account has not signed in from, there is a waiting period first, and we email the account's address so that its owner can stop it.
journey-waiting = Proven. For your safety, the recovery completes on { $when } ({ $zone }), { $relative }, because it started on a device this account has not signed in from.
journey-zone-utc = UTC — your browser did not tell us its time zone
journey-zone-organisation = { $zone } — { $tenant }’s time zone; your browser did not tell us its own
journey-in-hours = { $n ->
    [one] in one hour
   *[other] in { $n } hours
}
journey-in-minutes = { $n ->
    [one] in one minute
   *[other] in { $n } minutes
}
journey-next-waiting-mail = We emailed the account's verified address the time the recovery completes and a link that cancels it. If it was not you, that link stops it.
journey-next-waiting-back = When the wait is over, we email you again. Come back to this page in this browser, confirm, and set up a new second factor.
journey-next-waiting-signin = Signing in with a second factor meanwhile cancels the recovery.
journey-browser-heading = Finish in this browser
journey-browser-warning = This browser holds your recovery: you can close it and come back to this page later, but do not use a private window for it, and do not clear its cookies until you are done.
journey-browser-lost = If it is lost anyway (cookies cleared, another device): start again there and give both proofs again. The new recovery takes this one over, and it never completes sooner than this one would have.
journey-resend-intro = No email? Look in your spam folder, or ask for a new code: it replaces the old one. At most 3 codes an hour and 5 a day go out for one name.
journey-resend-button = Send a new code
journey-resent = If the account has a verified email address, a new code is on its way. The earlier code no longer works.
journey-resend-limit = No new code now: enough codes went out for this name. Try again in { $wait } — or finish with your password and a recovery code.
journey-done-next-heading = Protect your account again
journey-done-next-intro = Your account has no second factor now. Set one up — afterwards you can save new recovery codes.
journey-done-app = Set up an authenticator app
journey-done-passkey = Add a passkey
journey-done-later = Not now, continue
