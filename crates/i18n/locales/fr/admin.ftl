# The administration console.

admin-title = Administration
admin-not-admin = Seuls les administrateurs de cette organisation peuvent ouvrir cette page.
admin-recovery-heading = Récupération autonome des comptes
admin-active = Activée.
admin-not-active = Non activée ; demandez-la à l'opérateur (voir la page de votre compte).
admin-started = commencées
admin-open = ouvertes
admin-completed = terminées
admin-cancelled = annulées
admin-expired = expirées
admin-locked = bloquées
admin-median = durée médiane jusqu'à la fin
admin-self-recoveries = personnes qui se sont débrouillées seules
admin-helpdesk-resets = réinitialisations par le support
admin-chart-title = Récupérations par issue, 90 derniers jours
admin-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
admin-users-heading = Personnes
admin-reason = Motif (obligatoire, conservé dans le journal d'audit)
admin-reset-button = Réinitialiser les seconds facteurs
admin-reset-done = Les seconds facteurs ont été réinitialisés et la personne a été prévenue par e-mail.
admin-apps-heading = Applications
admin-app-name = Nom
admin-app-redirects = Adresses de redirection, une par ligne
admin-app-kind = Type
admin-confidential = Application web avec un secret
admin-public = Application monopage ou native (PKCE, sans secret)
admin-first-party = Notre propre application (sans demande de consentement)
admin-create-app = Enregistrer l'application
admin-created-title = Application enregistrée
admin-created-secret-note = Copiez le secret maintenant : il n'est affiché qu'une seule fois.
admin-client-id = ID client
admin-client-secret = Secret client
admin-back = Retour à l'administration
admin-none-yet = aucune pour l'instant
admin-setup-heading = Seconds facteurs
admin-setup-intro = Configurez votre organisation : les personnes qui se connectent avec un mot de passe doivent-elles ajouter un second facteur (une application d'authentification ou une clé d'accès) ? Une clé d'accès seule vaut déjà deux facteurs.
admin-policy-off = Désactivés : non proposés
admin-policy-optional = Facultatifs : chacun peut en ajouter un
admin-policy-required = Obligatoires : chacun en configure un à la prochaine connexion (recommandé)
admin-setup-save = Enregistrer
admin-setup-done = Enregistré.
admin-settings = Réglages
admin-app-title = Application
admin-app-post-logout = Adresses après la déconnexion, une par ligne
admin-app-grants = Ce qu'elle peut faire
admin-grant-code = Connecter des personnes (code d'autorisation)
admin-grant-refresh = Garder les personnes connectées (jetons de rafraîchissement)
admin-grant-cc = Appeler des API en son propre nom (client credentials ; pas pour les applications monopages ou natives)
admin-access-minutes = Durée des jetons d'accès en minutes (1–1440)
admin-refresh-days = Durée des jetons de rafraîchissement en jours (1–365)
admin-signing-alg = Signature des jetons (RS256 seulement pour les bibliothèques qui ne vérifient pas ES256)
admin-save-app = Enregistrer les modifications
admin-app-saved = L'application a été modifiée.
admin-rotate-heading = Nouveau secret
admin-rotate-intro = Un nouveau secret remplace l'actuel immédiatement : l'application doit ensuite utiliser le nouveau.
admin-rotate-button = Créer un nouveau secret
admin-rotated-title = Nouveau secret client
admin-rotated-note = Copiez le secret maintenant : il n'est affiché qu'une seule fois. L'ancien secret ne fonctionne plus.
admin-delete-heading = Supprimer l'application
admin-delete-intro = La suppression met fin immédiatement aux connexions de toutes les personnes qui l'utilisent. Elle est irréversible.
admin-delete-button = Supprimer l'application
admin-delete-confirm-title = Supprimer l'application « { $name } » ?
admin-delete-confirm-intro = Veuillez lire ce qui se passe si vous la supprimez.
admin-delete-confirm-sign-ins = Toutes les personnes qui y sont connectées par cette organisation en sont déconnectées aussitôt : leurs jetons d'accès et de rafraîchissement ne fonctionnent plus.
admin-delete-confirm-credentials = Son identifiant client et son secret ne fonctionnent plus : l'application ne peut plus connecter personne avant d'être enregistrée à nouveau, avec un nouvel identifiant.
admin-delete-confirm-final = C'est irréversible.
admin-delete-cancel = La garder
admin-app-deleted = L'application a été supprimée.
admin-whole-number = "{ $value }" n'est pas un nombre entier
# A person's state in the list of people.
admin-status-active = actif
admin-status-disabled = désactivé

# The weekly chart of the console.
admin-weekly-title = Récupérations closes par semaine et par issue, 12 dernières semaines
admin-weekly-table = Les semaines sous forme de tableau
admin-week-starting = Semaine du
admin-week-total = total
