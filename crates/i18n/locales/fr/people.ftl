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
readiness-heading = Préparés à la perte d'un facteur
readiness-share = { $ready } personnes sur { $people } sont préparées — { $percent } %
readiness-share-none = Personne n'est encore ici : la part s'affiche dès que des personnes ont un compte.
readiness-share-hint = Préparé signifie : une adresse e-mail vérifiée, et des codes de récupération ou un second facteur de réserve. Qui perd alors un téléphone ou une clé retrouve l'accès tout seul.
readiness-see-unready = { $count ->
    [one] Voir la personne qui n'est pas préparée
   *[other] Voir les { $count } personnes qui ne sont pas préparées
}
readiness-filter-label = Quelles personnes
readiness-unready = Pas préparées
readiness-unready-results = Pas préparées, commençant par « { $search } »
readiness-unready-intro = Personnes actives sans adresse vérifiée, ou sans codes de récupération ni second facteur de réserve. Chaque ligne indique ce qui manque ; un rappel par e-mail les mène à la page de leur compte.
readiness-none-unready = Tout le monde ici est préparé.
readiness-col-choose = Choisir
readiness-choose = Choisir { $name } pour le rappel
readiness-reminded-at = rappel envoyé le { $when }
readiness-remind-hint = Chaque personne reçoit au plus un rappel par semaine ; celles qui en ont reçu un ces sept derniers jours sont ignorées.
readiness-remind-chosen = Envoyer un rappel aux personnes choisies
readiness-remind-all = Envoyer un rappel à toute cette liste
readiness-confirm-title = Envoyer des rappels
readiness-confirm-heading = { $count ->
    [one] Envoyer un rappel par e-mail à une personne ?
   *[other] Envoyer un rappel par e-mail à { $count } personnes ?
}
readiness-confirm-intro = Chacune reçoit un e-mail dans sa langue qui indique ce qui manque à son compte, avec un lien vers la page de son compte.
readiness-confirm-button = { $count ->
    [one] Envoyer un rappel
   *[other] Envoyer { $count } rappels
}
readiness-nobody = Personne à qui envoyer un rappel pour l'instant
readiness-back = Retour aux personnes qui ne sont pas préparées
readiness-sent = { $count ->
    [one] Un rappel envoyé.
   *[other] { $count } rappels envoyés.
}
readiness-skipped-recent = { $count ->
    [one] Une personne ignorée : elle a reçu un rappel ces sept derniers jours.
   *[other] { $count } personnes ignorées : elles ont reçu un rappel ces sept derniers jours.
}
readiness-skipped-needless = { $count ->
    [one] Une personne choisie est déjà préparée ou désactivée : rien à lui rappeler.
   *[other] { $count } personnes choisies sont déjà préparées ou désactivées : rien à leur rappeler.
}
readiness-left = { $count ->
    [one] Une autre personne n'est pas préparée : envoyez à nouveau pour lui rappeler.
   *[other] { $count } autres personnes ne sont pas préparées : envoyez à nouveau pour leur rappeler.
}
readiness-later = { $count ->
    [one] Une autre personne n'est pas préparée : au plus { $batch } rappels partent à la fois, envoyez à nouveau ensuite.
   *[other] { $count } autres personnes ne sont pas préparées : au plus { $batch } rappels partent à la fois, envoyez à nouveau ensuite.
}
people-sign-out-heading = Déconnecter partout
people-sign-out-intro = { $count ->
    [one] Un navigateur est connecté à ce compte. La déconnexion y met fin, ainsi qu’à l’accès de toutes les applications
   *[other] { $count } navigateurs sont connectés à ce compte. La déconnexion y met fin, ainsi qu’à l’accès de toutes les applications
} ; la personne peut se reconnecter (pour l’en empêcher, désactivez le compte).
people-sign-out-button = Déconnecter de tous les navigateurs et applications
people-done-signed-out = La personne a été déconnectée de tous les navigateurs et applications.
invite-title = Ajouter une personne
invite-intro = Son compte est créé tout de suite, sans mot de passe. Nous lui envoyons un lien à usage unique, valable 7 jours, dans la langue de l'organisation ; en l'ouvrant, elle choisit son mot de passe (et confirme son adresse).
invite-name-label = Nom (facultatif)
invite-button = Ajouter et envoyer l'invitation
invite-done = Le compte est créé et l'invitation est en route par courriel.
invite-done-again = Un nouveau lien est en route ; le précédent ne fonctionne plus.
invite-done-withdrawn = L'invitation est retirée ; son lien ne fonctionne plus. Le compte reste, sans mot de passe.
invite-too-soon = Un lien est parti il y a moins d'une minute. Attendez un instant avant d'en envoyer un autre.
invite-gone = Il n'y a plus d'invitation ouverte : elle a été acceptée ou retirée entre-temps.
invite-pending-heading = Invitation en attente
invite-pending-intro = Cette personne n'a pas encore choisi de mot de passe. Envoyez l'invitation à nouveau (le lien précédent cesse de fonctionner) ou retirez-la.
invite-sent = Envoyée
invite-until = Valable jusqu'au
invite-expired = expirée le { $when }
invite-again-button = Envoyer à nouveau
invite-withdraw-button = Retirer
reset-link-heading = Envoyer un lien de réinitialisation du mot de passe
reset-link-intro = Envoie à { $email } le même lien à usage unique que « Mot de passe oublié » : la personne choisit un nouveau mot de passe, et vous ne le voyez jamais. Vous confirmez à la page suivante.
reset-link-continue = Envoyer un lien de réinitialisation du mot de passe…
reset-link-not-active = Le compte est désactivé : réactivez-le avant d'envoyer un lien de réinitialisation du mot de passe.
reset-link-not-verified = L'adresse e-mail n'est pas vérifiée, et un lien de réinitialisation ne part que vers une adresse confirmée par la personne. Demandez-lui d'abord de la confirmer.
reset-link-confirm-heading = Envoyer à { $name } ({ $username }) un lien de réinitialisation du mot de passe ?
reset-link-confirm-to = Le lien part à { $email }, dans la langue de la personne.
reset-link-confirm-lifetime = { $count ->
    [one] Il fonctionne une fois, pendant une minute ; un lien plus récent le remplace.
   *[other] Il fonctionne une fois, pendant { $count } minutes ; un lien plus récent le remplace.
}
reset-link-confirm-secret = Seule la personne choisit le nouveau mot de passe ; personne d'autre ne le voit.
reset-link-confirm-sessions = Rien ne change avant l'utilisation du lien : la personne reste connectée et son mot de passe fonctionne toujours. Un nouveau mot de passe la déconnecte partout.
reset-link-confirm-factors = Ses seconds facteurs restent : la prochaine connexion en demande toujours un.
reset-link-button = Envoyer le lien
reset-link-done = Le lien de réinitialisation du mot de passe est parti par e-mail.
everyone-title = Déconnecter tout le monde
everyone-card-intro = En cas d'urgence, par exemple un appareil perdu ou une intrusion soupçonnée : met fin à toutes les sessions de l'organisation et chaque application redemande une connexion. Vous confirmez à la page suivante.
everyone-continue = Déconnecter tout le monde…
everyone-confirm-intro = Tout le monde dans { $organisation } sera déconnecté d'un coup.
everyone-confirm-sessions = Chaque navigateur connecté à un compte perd sa session, comptes désactivés compris.
everyone-confirm-applications = Chaque application cesse d'accepter les jetons qu'elle détient ; chacun se reconnecte à chaque application.
everyone-confirm-you = Vous restez connecté dans ce navigateur seulement ; vos autres navigateurs et applications sont déconnectés aussi.
everyone-confirm-stays = Les mots de passe, seconds facteurs, invitations et liens déjà envoyés restent tels quels. Chacun peut se reconnecter ; pour écarter quelqu'un, désactivez son compte.
everyone-button = Déconnecter tout le monde
everyone-cancel = Annuler
everyone-done = { $count ->
    [one] Tout le monde a été déconnecté ; une session a pris fin. Ce navigateur reste connecté.
   *[other] Tout le monde a été déconnecté ; { $count } sessions ont pris fin. Ce navigateur reste connecté.
}
