# The administration console: the people and a person's page.

people-console-intro = Recherchez les personnes de votre organisation, voyez leurs seconds facteurs et leur degré de préparation, désactivez un compte, changez un rôle ou réinitialisez les seconds facteurs de quelqu'un.
people-console-link = Ouvrir les personnes
people-title = Personnes
people-search-label = Recherche
people-search-hint = Le début d'un nom d'utilisateur, d'un nom ou d'une adresse e-mail ; majuscules et minuscules sont égales.
people-search-button = Rechercher
people-everyone = Tout le monde
people-results = Commençant par « { $search } »
people-none-found = Personne n'a été trouvé.
people-col-person = Personne
people-col-email = Adresse e-mail
people-col-factors = Seconds facteurs
people-col-readiness = Préparation
people-col-last-sign-in = Dernière connexion
people-col-state = État
people-pages = Pages
people-first-page = Première page
people-previous-page = Page précédente
people-next-page = Page suivante
people-factor-app = application d'authentification
people-factor-passkeys = { $count ->
    [one] { $count } clé d'accès
   *[other] { $count } clés d'accès
}
people-factor-none = aucun
people-ready = préparé
people-missing-address = une adresse vérifiée
people-missing-spare = des codes de récupération ou un facteur de réserve
people-not-ready = il manque : { $missing }
people-never = jamais
people-done-disabled = Le compte est désactivé et chacune de ses sessions a pris fin.
people-done-enabled = Le compte est de nouveau activé.
people-done-role = Le rôle a été changé.
people-back = Retour aux personnes
people-account-heading = Compte
people-verified = vérifiée
people-not-verified = non vérifiée
people-role = Rôle
people-role-admin = administrateur
people-role-member = membre
people-created = Créé le
people-sessions = Sessions ouvertes
people-last-active = dernière activité { $when }
people-factors-heading = Seconds facteurs
people-factor-app-label = Application d'authentification
people-since = ajoutée le { $when }
people-passkeys-label = Clés d'accès
people-last-used = dernière utilisation { $when }
people-codes-label = Codes de récupération inutilisés
people-events-heading = Événements récents
people-event-when = Quand
people-event-what = Événement
people-event-who = Par
people-yourself = C'est votre propre compte : un autre administrateur peut changer son rôle ou le désactiver.
people-role-label = Rôle dans l'organisation
people-role-save = Changer le rôle
people-disable-heading = Désactiver le compte
people-enable-heading = Activer le compte
people-disable-intro = Un compte désactivé ne peut plus se connecter ; ses sessions prennent fin aussitôt et les jetons de ses applications cessent de fonctionner.
people-enable-intro = Le compte est désactivé. Activé de nouveau, il peut se connecter comme avant.
people-disable-button = Désactiver le compte
people-enable-button = Activer le compte
people-reset-nothing = Cette personne n'a ni second facteur ni codes de récupération : il n'y a rien à réinitialiser.
people-reset-intro = Pour quelqu'un qui a perdu chaque second facteur et ne peut pas récupérer son compte seul : vérifiez d'abord son identité, puis indiquez le motif. Vous verrez ce qui disparaît avant que rien ne soit supprimé.
people-reset-continue = Continuer
people-confirm-title = Confirmer la réinitialisation
people-confirm-heading = Réinitialiser les seconds facteurs de { $name } ({ $username }) ?
people-confirm-intro = Cela supprime, aussitôt et définitivement :
people-confirm-app = son application d'authentification
people-confirm-passkeys = { $count ->
    [one] { $count } clé d'accès
   *[other] { $count } clés d'accès
}
people-confirm-codes = { $count ->
    [one] { $count } code de récupération inutilisé
   *[other] { $count } codes de récupération inutilisés
}
people-confirm-sessions = { $count ->
    [one] { $count } session ouverte (déconnectée)
   *[other] { $count } sessions ouvertes (déconnectées)
}
people-confirm-devices = les navigateurs mémorisés pour cette personne et les liens de réinitialisation du mot de passe inutilisés
people-confirm-mail = La personne est prévenue par e-mail. Son mot de passe reste ; elle configure de nouveau un second facteur à sa prochaine connexion.
people-confirm-button = Réinitialiser les seconds facteurs de { $name }
people-confirm-cancel = Annuler
