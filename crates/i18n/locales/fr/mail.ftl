# Mails: a greeting, paragraphs, an optional action link and a footer.

mail-greeting = Bonjour { $name },
mail-footer = Envoyé par latchkey pour { $tenant }. Ce message est automatique ; les réponses ne sont pas lues.
mail-verify-email-subject = Confirmez votre adresse e-mail pour { $tenant_name }
mail-verify-email-ask = veuillez confirmer qu'il s'agit bien de votre adresse e-mail pour votre compte { $tenant_name } en ouvrant ce lien :
mail-verify-email-action = Confirmer l'adresse e-mail
mail-verify-email-expiry = Le lien ne fonctionne qu'une fois et expire dans { $expires_hours ->
    [one] { $expires_hours } heure
   *[other] { $expires_hours } heures
}.
mail-verify-email-ignore = Si vous n'attendiez pas ce message, vous pouvez l'ignorer ; rien ne changera.
mail-recovery-code-subject = Votre code de récupération de compte pour { $tenant_name }
mail-recovery-code-intro = quelqu'un – vous, espérons-le – récupère votre compte { $tenant_name } après la perte de ses seconds facteurs. Le code est :
mail-recovery-code-expiry = Il est valable { $expires_minutes ->
    [one] { $expires_minutes } minute
   *[other] { $expires_minutes } minutes
}. Ne le communiquez à personne, pas même à votre organisation.
mail-recovery-code-warning = Si ce n'était pas vous, ne faites rien et prévenez votre administrateur : sans ce code, personne ne peut récupérer votre compte depuis cette adresse.
mail-recovery-waiting-subject = Votre compte { $tenant_name } sera récupéré le { $when }
mail-recovery-waiting-intro = une récupération de votre compte { $tenant_name } a été prouvée. À partir du { $when }, elle pourra être terminée : tous les seconds facteurs du compte seront alors supprimés et de nouveaux configurés. Si ce n'est pas vous, annulez-la maintenant :
mail-recovery-waiting-action = Annuler cette récupération
mail-recovery-waiting-mine = Si c'est vous, il n'y a rien à faire d'ici là ; continuez dans le navigateur où vous avez commencé.
mail-recovery-ready-subject = Vous pouvez terminer la récupération de votre compte { $tenant_name }
mail-recovery-ready-intro = le délai d'attente de la récupération de votre compte { $tenant_name } est écoulé. Terminez-la dans le navigateur où vous l'avez commencée :
mail-recovery-ready-action = Terminer la récupération
mail-recovery-ready-note = Le lien ne fonctionne que dans ce navigateur. Si vous n'avez pas commencé cette récupération, prévenez immédiatement votre administrateur.
mail-password-reset-subject = Définir un nouveau mot de passe pour { $tenant_name }
mail-password-reset-intro = quelqu'un a demandé un nouveau mot de passe pour votre compte { $tenant_name }. Pour le définir, ouvrez ce lien :
mail-password-reset-action = Définir un nouveau mot de passe
mail-password-reset-expiry = Il ne fonctionne qu'une fois, pendant { $expires_minutes ->
    [one] { $expires_minutes } minute
   *[other] { $expires_minutes } minutes
}.
mail-password-reset-note = Un nouveau mot de passe ne change pas vos seconds facteurs : la connexion les demande toujours. Si vous n'avez rien demandé, ignorez ce message.
mail-security-totp-added-subject = Une application d'authentification a été ajoutée à votre compte
mail-security-totp-added-what = une application d'authentification a été ajoutée comme second facteur
mail-security-totp-removed-subject = Une application d'authentification a été retirée de votre compte
mail-security-totp-removed-what = une application d'authentification a été retirée de vos seconds facteurs
mail-security-passkey-added-subject = Une clé d'accès a été ajoutée à votre compte
mail-security-passkey-added-what = une clé d'accès ou clé de sécurité a été ajoutée comme second facteur
mail-security-passkey-removed-subject = Une clé d'accès a été retirée de votre compte
mail-security-passkey-removed-what = une clé d'accès ou clé de sécurité a été retirée de vos seconds facteurs
mail-security-passkey-clone-suspected-subject = Une clé d'accès de votre compte a peut-être été copiée
mail-security-passkey-clone-suspected-what = une de vos clés d'accès ou clés de sécurité a répondu avec un compteur de signatures déjà utilisé, signe qu'elle a été copiée ; elle ne permet plus de se connecter
mail-security-recovery-cancelled-subject = La récupération de votre compte a été annulée
mail-security-recovery-cancelled-what = une récupération de compte en cours a été annulée ; vos seconds facteurs sont inchangés
mail-security-recovery-completed-subject = Votre compte a été récupéré
mail-security-recovery-completed-what = votre compte a été récupéré : tous les seconds facteurs ont été supprimés et tous les appareils déconnectés
mail-security-recovery-locked-subject = La récupération de votre compte a été bloquée
mail-security-recovery-locked-what = une récupération de compte a été bloquée après trop de codes erronés ; rien n'a changé
mail-security-factors-reset-subject = Vos seconds facteurs ont été réinitialisés
mail-security-factors-reset-what = un administrateur a supprimé tous les seconds facteurs de votre compte et déconnecté tous les appareils
mail-security-recovery-not-for-admins-subject = La récupération n'est pas disponible pour votre compte
mail-security-recovery-not-for-admins-what = une récupération de compte a été demandée ; les comptes administrateurs ne sont pas récupérés ainsi — demandez à un autre administrateur ou à votre opérateur de réinitialiser vos seconds facteurs
mail-security-recovery-codes-regenerated-subject = De nouveaux codes de récupération ont été créés
mail-security-recovery-codes-regenerated-what = de nouveaux codes de récupération ont été créés ; les anciens ne fonctionnent plus
mail-security-password-changed-subject = Votre mot de passe a été modifié
mail-security-password-changed-what = votre mot de passe a été modifié
mail-security-second-factor-guessing-subject = Quelqu'un essaie de se connecter à votre compte
mail-security-second-factor-guessing-what = votre mot de passe a été saisi correctement, suivi de nombreux codes erronés
mail-security-happened = le { $when }, sur votre compte { $tenant } : { $what }.
mail-security-from = Cela a été fait avec { $device }.
mail-security-address = La demande venait de l'adresse { $address } (sa dernière partie est masquée).
mail-security-totp-removed-with-codes-subject = Une application d'authentification a été retirée de votre compte
mail-security-totp-removed-with-codes-what = une application d'authentification a été retirée de vos seconds facteurs ; c'était le dernier, donc vos codes de récupération ont aussi été supprimés
mail-security-passkey-removed-with-codes-subject = Une clé d'accès a été retirée de votre compte
mail-security-passkey-removed-with-codes-what = une clé d'accès ou clé de sécurité a été retirée de vos seconds facteurs ; c'était le dernier, donc vos codes de récupération ont aussi été supprimés
mail-security-advice-own = Si c'était vous, il n'y a rien à faire. Sinon, quelqu'un qui connaît votre mot de passe est connecté à votre compte : changez votre mot de passe immédiatement, ce qui déconnecte tous les autres navigateurs, et prévenez votre administrateur.
mail-security-advice-password = Si c'était vous, il n'y a rien à faire. Sinon, votre ancien mot de passe ne fonctionne plus : choisissez « Mot de passe oublié ? » sur la page de connexion pour en définir un nouveau (vos seconds facteurs protègent toujours votre compte), et prévenez votre administrateur.
mail-security-advice-guessing = Votre second facteur a bloqué l'accès, mais votre mot de passe est connu. Changez-le immédiatement, ce qui déconnecte tous les autres navigateurs, et prévenez votre administrateur.
mail-security-advice-attempt = Rien n'a changé sur votre compte. Si vous n'avez pas lancé cette récupération, quelqu'un essaie peut-être d'y entrer : changez votre mot de passe et prévenez votre administrateur.
mail-security-advice-recovered = Si c'était vous, il n'y a rien à faire. Sinon, quelqu'un a pris le contrôle de votre compte et vos anciens seconds facteurs ne vous connectent plus : contactez immédiatement votre support, afin qu'il bloque le compte et vous le rende.
mail-security-advice-reset = C'est un administrateur qui l'a fait, pas vous. Si vous ne l'avez pas demandé à votre support, contactez-le immédiatement : quelqu'un l'a peut-être convaincu de le faire.
mail-security-email-change-requested-subject = Une nouvelle adresse e-mail a été indiquée pour votre compte
mail-security-email-change-requested-what = une nouvelle adresse e-mail a été indiquée pour votre compte ; elle ne remplace celle-ci qu'une fois le lien qui lui a été envoyé ouvert
mail-security-email-changed-subject = L'adresse e-mail de votre compte a été modifiée
mail-security-email-changed-what = l'adresse e-mail de votre compte a été modifiée ; les e-mails du compte n'arrivent plus à cette adresse
mail-security-advice-email-requested = Si c'était vous, ouvrez le lien de l'e-mail envoyé à la nouvelle adresse. Sinon, quelqu'un qui connaît votre mot de passe et votre second facteur est connecté : connectez-vous, annulez la modification sur la page de votre compte et changez votre mot de passe, ce qui déconnecte tous les autres navigateurs. Si vous ne pouvez pas vous connecter, choisissez « Mot de passe oublié ? » sur la page de connexion ou contactez votre support.
mail-security-advice-email-changed = Si c'était vous, il n'y a rien à faire. Sinon, quelqu'un a pris le contrôle de votre compte et cette adresse ne reçoit plus ses e-mails : contactez immédiatement votre support, afin qu'il bloque le compte et vous le rende.
mail-security-helpdesk-action = Contacter le support
mail-security-clone-advice = Connectez-vous autrement (une autre clé d'accès, votre application d'authentification ou un code de récupération), supprimez cette clé d'accès sur la page de votre compte, ce qui déconnecte tous les autres navigateurs, puis ajoutez la clé de nouveau si vous lui faites encore confiance. Si vous ne l'avez pas copiée vous-même, changez aussi votre mot de passe et prévenez votre administrateur.

mail-new-sign-in-subject = Nouvelle connexion à votre compte { $tenant }
mail-new-sign-in-happened = Le { $when }, quelqu'un s'est connecté à votre compte { $tenant } avec { $device }, un navigateur qui ne s'y était encore jamais connecté.
mail-new-sign-in-device = { $browser } sur { $system }
mail-new-sign-in-unknown-browser = un navigateur qui ne s'est pas identifié
mail-new-sign-in-address = La connexion venait de l'adresse { $address } (sa dernière partie est masquée).
mail-new-sign-in-advice = Si c'était vous, il n'y a rien à faire. Sinon, connectez-vous immédiatement, changez votre mot de passe, déconnectez-vous partout ailleurs (Compte → Où vous êtes connecté) et prévenez votre administrateur.
mail-greeting-plain = Bonjour,
mail-invitation-subject = Vous êtes invité à administrer { $tenant_name }
mail-invitation-intro = vous êtes invité à devenir l'administrateur de { $tenant_name }. Ouvrez ce lien pour choisir votre nom d'utilisateur et votre mot de passe :
mail-invitation-action = Accepter l'invitation
mail-invitation-expiry = Le lien ne fonctionne qu'une fois, pendant { $expires_days ->
    [one] { $expires_days } jour
   *[other] { $expires_days } jours
}. S'il a expiré, demandez une nouvelle invitation à votre opérateur.
mail-invitation-ignore = Si vous n'attendiez pas ce message, vous pouvez l'ignorer ; aucun compte n'est créé sans vous.
mail-person-invitation-subject = Votre compte chez { $tenant_name } vous attend
mail-person-invitation-intro = un administrateur de { $tenant_name } vous a créé un compte avec le nom d'utilisateur { $username }. Ouvrez ce lien pour choisir votre mot de passe :
mail-person-invitation-action = Choisir mon mot de passe
mail-person-invitation-expiry = Le lien ne fonctionne qu'une fois, pendant { $expires_days ->
    [one] { $expires_days } jour
   *[other] { $expires_days } jours
}. S'il a expiré, demandez à votre administrateur de l'envoyer à nouveau.
mail-person-invitation-ignore = Si vous n'attendiez pas ce message, vous pouvez l'ignorer ; personne ne peut utiliser le compte sans ce lien.
mail-activation-approved-subject = La récupération autonome est désormais active pour { $tenant_name }
mail-activation-approved-intro = l'opérateur a approuvé votre demande : la récupération autonome de compte est désormais active pour { $tenant_name }. Les personnes qui perdent tous leurs seconds facteurs peuvent maintenant récupérer leur compte elles-mêmes.
mail-activation-declined-subject = Votre demande de récupération autonome pour { $tenant_name } a été refusée
mail-activation-declined-intro = l'opérateur a refusé votre demande d'activer la récupération autonome de compte pour { $tenant_name }.
mail-activation-reason = Motif de l'opérateur : { $reason }
mail-activation-action = Ouvrir la console d'administration
mail-activation-declined-next = Vous pourrez redemander depuis la console une fois le motif réglé.
mail-readiness-subject = Préparez votre compte { $tenant_name } à la perte d'un second facteur
mail-readiness-intro = votre administration chez { $tenant_name } vous demande de préparer votre compte au jour où vous perdrez un téléphone, une application d'authentification ou une clé de sécurité. Ainsi préparé, vous retrouvez l'accès vous-même en quelques minutes, sans attendre le support.
mail-readiness-lacking = Ce qui manque encore à votre compte :
mail-readiness-missing-verified-address = – une adresse e-mail confirmée : confirmez-la depuis la page de votre compte
mail-readiness-missing-recovery-codes = – des codes de récupération, imprimés ou conservés en lieu sûr
mail-readiness-missing-spare-factor = – ou un second facteur de réserve : deux, par exemple une application d'authentification et une clé d'accès
mail-readiness-action = Ouvrir votre compte
mail-readiness-note = Cela ne prend que quelques minutes. Connectez-vous comme d'habitude ; la page du compte indique ce qui manque.
