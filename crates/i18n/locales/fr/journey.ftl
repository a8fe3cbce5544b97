# La récupération comme un parcours que l'on peut quitter et reprendre :
# l'état du dossier, l'heure sur l'horloge de la personne, un nouveau code,
# l'avertissement sur ce navigateur et l'étape suivante.

journey-status-heading = Où en est votre récupération
journey-status-intro = Il vous faut deux preuves : le code reçu par e-mail avec votre mot de passe ou un code de récupération — ou votre mot de passe avec un code de récupération.
journey-proven = apportée
journey-missing = encore nécessaire
journey-next-heading = La suite
journey-next-proving = Dès que deux preuves sont apportées, cette page indique quand la récupération aboutit. Depuis un appareil où ce compte ne s'est jamais connecté, il y a d'abord un délai d'attente, et nous écrivons à l'adresse du compte pour que son titulaire puisse l'arrêter.
journey-waiting = Preuves acceptées. Pour votre sécurité, la récupération aboutit le { $when } ({ $zone }), { $relative }, car elle a commencé sur un appareil où ce compte ne s'est jamais connecté.
journey-zone-utc = UTC — votre navigateur ne nous a pas indiqué son fuseau horaire
journey-zone-organisation = { $zone } — le fuseau horaire de { $tenant } ; votre navigateur ne nous a pas indiqué le sien
journey-in-hours = { $n ->
    [one] dans une heure
   *[other] dans { $n } heures
}
journey-in-minutes = { $n ->
    [one] dans une minute
   *[other] dans { $n } minutes
}
journey-next-waiting-mail = Nous avons écrit à l'adresse vérifiée du compte quand la récupération aboutit, avec un lien qui l'annule. Si ce n'était pas vous, ce lien l'arrête.
journey-next-waiting-back = Une fois le délai écoulé, nous vous écrivons à nouveau. Revenez alors sur cette page dans ce navigateur, confirmez et configurez un nouveau second facteur.
journey-next-waiting-signin = Une connexion avec un second facteur entre-temps annule la récupération.
journey-browser-heading = Terminer dans ce navigateur
journey-browser-warning = Ce navigateur détient votre récupération : vous pouvez le fermer et revenir plus tard sur cette page, mais n'utilisez pas de fenêtre privée et n'effacez pas ses cookies avant d'avoir terminé.
journey-browser-lost = S'ils sont perdus malgré tout (cookies effacés, autre appareil) : recommencez là-bas et apportez à nouveau les deux preuves. La nouvelle récupération remplace celle-ci et n'aboutit jamais plus tôt que celle-ci ne l'aurait fait.
journey-resend-intro = Pas d'e-mail ? Regardez dans vos indésirables, ou demandez un nouveau code : il remplace l'ancien. Au plus 3 envois par heure et 5 par jour partent pour un même nom.
journey-resend-button = Envoyer un nouveau code
journey-resent = Si le compte a une adresse e-mail vérifiée, un nouveau code est en route. Le code précédent ne fonctionne plus.
journey-resend-limit = Pas de nouveau code pour l'instant : assez d'envois sont partis pour ce nom. Réessayez dans { $wait } — ou terminez avec votre mot de passe et un code de récupération.
journey-done-next-heading = Protégez à nouveau votre compte
journey-done-next-intro = Votre compte n'a plus de second facteur. Configurez-en un — vous pourrez ensuite enregistrer de nouveaux codes de récupération.
journey-done-app = Configurer une application d'authentification
journey-done-passkey = Ajouter une clé d'accès
journey-done-later = Pas maintenant, continuer
