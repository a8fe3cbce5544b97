# The administration console: the people and a person's page.

people-console-intro = Search the people of your organisation, see their second factors and how ready they are, disable an account, change a role, or reset someone's second factors.
people-console-link = Open the people
people-title = People
people-search-label = Search
people-search-hint = The start of a username, a name or an email address; capitals do not matter.
people-search-button = Search
people-everyone = Everyone
people-results = Starting with “{ $search }”
people-none-found = Nobody found.
people-col-person = Person
people-col-email = Email address
people-col-factors = Second factors
people-col-readiness = Readiness
people-col-last-sign-in = Last sign-in
people-col-state = State
people-pages = Pages
people-first-page = First page
people-previous-page = Previous page
people-next-page = Next page
people-factor-app = authenticator app
people-factor-passkeys = { $count ->
    [one] { $count } passkey
   *[other] { $count } passkeys
}
people-factor-none = none
people-ready = ready
people-missing-address = a verified address
people-missing-spare = recovery codes or a spare factor
people-not-ready = missing: { $missing }
people-never = never
people-done-disabled = The account is disabled and every session of it has ended.
people-done-enabled = The account is enabled again.
people-done-role = The role was changed.
people-back = Back to the people
people-account-heading = Account
people-verified = verified
people-not-verified = not verified
people-role = Role
people-role-admin = administrator
people-role-member = member
people-created = Created
people-sessions = Open sessions
people-last-active = last active { $when }
people-factors-heading = Second factors
people-factor-app-label = Authenticator app
people-since = added { $when }
people-passkeys-label = Passkeys
people-last-used = last used { $when }
people-codes-label = Unused recovery codes
people-events-heading = Recent events
people-event-when = When
people-event-what = Event
people-event-who = By
people-yourself = This is your own account: another administrator can change its role or disable it.
people-role-label = Role in the organisation
people-role-save = Change role
people-disable-heading = Disable the account
people-enable-heading = Enable the account
people-disable-intro = A disabled account cannot sign in; its sessions end at once and its applications' tokens stop working.
people-enable-intro = The account is disabled. Enabled again, it can sign in as before.
people-disable-button = Disable the account
people-enable-button = Enable the account
people-reset-nothing = This person has no second factor and no recovery codes: there is nothing to reset.
people-reset-intro = For someone who lost every second factor and cannot recover by themselves: check who they are first, then give the reason. You will see what goes before anything is removed.
people-reset-continue = Continue
people-confirm-title = Confirm the reset
people-confirm-heading = Reset the second factors of { $name } ({ $username })?
people-confirm-intro = This removes, at once and for good:
people-confirm-app = their authenticator app
people-confirm-passkeys = { $count ->
    [one] { $count } passkey
   *[other] { $count } passkeys
}
people-confirm-codes = { $count ->
    [one] { $count } unused recovery code
   *[other] { $count } unused recovery codes
}
people-confirm-sessions = { $count ->
    [one] { $count } open session (signed out)
   *[other] { $count } open sessions (signed out)
}
people-confirm-devices = the browsers remembered for them, and unused password-reset links
people-confirm-mail = They are told by mail. Their password stays; they set up a second factor again at their next sign-in.
people-confirm-button = Reset the second factors of { $name }
people-confirm-cancel = Cancel
readiness-heading = Ready for a lost factor
readiness-share = { $ready } of { $people } people are ready — { $percent } %
readiness-share-none = Nobody is here yet: the share shows once people have accounts.
readiness-share-hint = Ready means a verified email address, and recovery codes or a spare second factor: whoever loses a phone or key then gets back in by themselves.
readiness-see-unready = { $count ->
    [one] See the person who is not ready
   *[other] See the { $count } people who are not ready
}
readiness-filter-label = Which people
readiness-unready = Not ready
readiness-unready-results = Not ready, starting with “{ $search }”
readiness-unready-intro = Active people without a verified address, or without recovery codes and a spare second factor. Each row says what is missing; a reminder by mail leads them to their account page.
readiness-none-unready = Everyone here is ready.
readiness-col-choose = Choose
readiness-choose = Choose { $name } for the reminder
readiness-reminded-at = reminded { $when }
readiness-remind-hint = Each person is reminded at most once a week; those reminded in the last seven days are skipped.
readiness-remind-chosen = Remind the chosen people
readiness-remind-all = Remind everyone in this list
readiness-confirm-title = Send reminders
readiness-confirm-heading = { $count ->
    [one] Remind one person by mail?
   *[other] Remind { $count } people by mail?
}
readiness-confirm-intro = Each gets a mail in their language saying what their account lacks, with a link to their account page.
readiness-confirm-button = { $count ->
    [one] Send one reminder
   *[other] Send { $count } reminders
}
readiness-nobody = Nobody to remind now
readiness-back = Back to the people who are not ready
readiness-sent = { $count ->
    [one] One reminder sent.
   *[other] { $count } reminders sent.
}
readiness-skipped-recent = { $count ->
    [one] One person was skipped: reminded in the last seven days.
   *[other] { $count } people were skipped: reminded in the last seven days.
}
readiness-skipped-needless = { $count ->
    [one] One person chosen is ready already or disabled: nothing to remind them of.
   *[other] { $count } people chosen are ready already or disabled: nothing to remind them of.
}
readiness-left = { $count ->
    [one] One more person is not ready: send again to remind them.
   *[other] { $count } more people are not ready: send again to remind them.
}
readiness-later = { $count ->
    [one] One more person is not ready: at most { $batch } are reminded at once, so send again afterwards.
   *[other] { $count } more people are not ready: at most { $batch } are reminded at once, so send again afterwards.
}
people-sign-out-heading = Sign out everywhere
people-sign-out-intro = { $count ->
    [one] One browser is signed in to this account. Signing out ends it and every application's access
   *[other] { $count } browsers are signed in to this account. Signing out ends them and every application's access
}; the person can sign in again (to keep them out, disable the account).
people-sign-out-button = Sign out of every browser and application
people-done-signed-out = The person was signed out of every browser and application.
invite-title = Add a person
invite-intro = Their account is made at once, without a password. We mail them a single-use link, valid for 7 days, in the organisation's language; opening it lets them choose their password (and confirms their address).
invite-name-label = Name (optional)
invite-button = Add and send the invitation
invite-done = The account is made and the invitation is on its way by mail.
invite-done-again = A new link is on its way; the previous one no longer works.
invite-done-withdrawn = The invitation is withdrawn; its link no longer works. The account stays, without a password.
invite-too-soon = A link went out less than a minute ago. Wait a moment before sending another.
invite-gone = There is no open invitation any more: it was accepted or withdrawn meanwhile.
invite-pending-heading = Invitation waiting
invite-pending-intro = They have not chosen a password yet. Send the invitation again (the previous link stops working) or withdraw it.
invite-sent = Sent
invite-until = Valid until
invite-expired = expired on { $when }
invite-again-button = Send again
invite-withdraw-button = Withdraw
reset-link-heading = Send a password reset link
reset-link-intro = Mails { $email } the same single-use link as "Forgot password": the person chooses a new password, and you never see it. You confirm on the next page.
reset-link-continue = Send a password reset link…
reset-link-not-active = The account is disabled: enable it before sending a password reset link.
reset-link-not-verified = The email address is not verified, and a reset link goes only to an address the person confirmed. Ask them to confirm it first.
reset-link-confirm-heading = Send { $name } ({ $username }) a password reset link?
reset-link-confirm-to = The link goes to { $email }, in the person's language.
reset-link-confirm-lifetime = { $count ->
    [one] It works once, for one minute; a newer link replaces it.
   *[other] It works once, for { $count } minutes; a newer link replaces it.
}
reset-link-confirm-secret = Only the person chooses the new password; nobody else sees it.
reset-link-confirm-sessions = Nothing changes until the link is used: the person stays signed in and their password still works. Setting a new password signs them out everywhere.
reset-link-confirm-factors = Their second factors stay: the next sign-in still asks for one.
reset-link-button = Send the link
reset-link-done = The password reset link is on its way by mail.
everyone-title = Sign everyone out
everyone-card-intro = For an emergency, such as a leaked device or a suspected break-in: end every session in the organisation and make every application ask people to sign in again. You confirm on the next page.
everyone-continue = Sign everyone out…
everyone-confirm-intro = Everyone in { $organisation } will be signed out at once.
everyone-confirm-sessions = Every browser signed in to any account ends its session, disabled accounts included.
everyone-confirm-applications = Every application stops accepting the tokens it holds; people sign in to each again.
everyone-confirm-you = You stay signed in on this browser only; your other browsers and applications are signed out too.
everyone-confirm-stays = Passwords, second factors, invitations and links already mailed stay as they are. Everyone can sign in again; to keep someone out, disable their account.
everyone-button = Sign everyone out
everyone-cancel = Cancel
everyone-done = { $count ->
    [one] Everyone was signed out; one session ended. This browser stays signed in.
   *[other] Everyone was signed out; { $count } sessions ended. This browser stays signed in.
}
