# Account Self-Recovery pages. They speak the browser's language, never the account's.

recovery-title = Récupérer votre compte
recovery-start-heading = Téléphone ou clé de sécurité perdu ?
recovery-start-intro = Vous pouvez récupérer votre compte vous-même. Vous prouvez votre identité avec ce qu'il vous reste – un code envoyé à votre adresse vérifiée, votre mot de passe ou l'un de vos codes de récupération – puis vous configurez un nouveau second facteur. Les anciens cessent de fonctionner.
recovery-login-label = Nom d'utilisateur ou e-mail
recovery-start-button = Commencer la récupération
recovery-not-active = Cette organisation vous aide elle-même lorsque vous ne pouvez pas vous connecter.
recovery-help-link = Obtenir de l'aide de { $tenant }
recovery-ask-admin = Contactez votre administrateur ou votre service d'assistance : ils peuvent réinitialiser vos seconds facteurs.
recovery-back-to-signin = Retour à la connexion
recovery-enter-login = Saisissez le nom d'utilisateur ou l'adresse e-mail de votre compte.
recovery-too-many-starts = Trop de récupérations ont été commencées. Réessayez dans { $wait }.
recovery-two-proofs = Fournissez deux de ces preuves. Un code reçu par e-mail ne compte qu'avec votre mot de passe ou un code de récupération.
recovery-email-heading = Code reçu par e-mail
recovery-email-intro = Si le compte a une adresse e-mail vérifiée, nous y avons envoyé un code à 8 chiffres. Il est valable 10 minutes.
recovery-code-withheld = La récupération a été lancée trop souvent aujourd'hui pour ce nom : nous n'avons pas envoyé d'autre code. Vous pouvez tout de même terminer avec votre mot de passe et un code de récupération, ou réessayer demain.
recovery-email-label = Code de l'e-mail
recovery-email-button = Vérifier le code
recovery-password-heading = Votre mot de passe
recovery-password-label = Mot de passe
recovery-password-button = Vérifier le mot de passe
recovery-code-heading = Un code de récupération
recovery-code-intro = Avec votre mot de passe, un code de récupération termine la récupération immédiatement.
recovery-code-label = Code de récupération
recovery-code-button = Vérifier le code de récupération
recovery-stop = Arrêter cette récupération
recovery-waiting-more = Nous avons écrit à l'adresse vérifiée du compte : si ce n'était pas vous, cet e-mail l'annule en un clic. Revenez ensuite dans ce navigateur pour terminer. Une connexion avec un second facteur entre-temps annule la récupération.
recovery-ready-intro = Vous pouvez terminer maintenant. Tous les seconds facteurs du compte seront alors supprimés (applications d'authentification, clés d'accès, codes de récupération), tous les appareils déconnectés, et vous configurerez un nouveau second facteur.
recovery-password-again = Votre mot de passe, encore une fois
recovery-finish = Terminer la récupération
recovery-start-again = Recommencer
recovery-ended-completed = Cette récupération est terminée.
recovery-ended-cancelled = Cette récupération a été annulée. Vos seconds facteurs sont inchangés.
recovery-ended-expired = Cette récupération a expiré avant d'être terminée.
recovery-ended-locked = Cette récupération est bloquée après trop de codes erronés. Rien n'a changé ; nous avons prévenu le titulaire du compte par e-mail.
recovery-ended-other = Cette récupération est terminée.
recovery-wrong-email-code = Le code reçu par e-mail n'est pas correct ou a expiré. { $count ->
    [one] Encore une erreur et cette récupération sera bloquée.
   *[other] Encore { $count } essais avant que cette récupération soit bloquée.
}
recovery-wrong-password-proof = Le mot de passe n'est pas correct. { $count ->
    [one] Encore une erreur et cette récupération sera bloquée.
   *[other] Encore { $count } essais avant que cette récupération soit bloquée.
}
recovery-wrong-recovery-code = Le code de récupération n'est pas correct ou a déjà été utilisé. { $count ->
    [one] Encore une erreur et cette récupération sera bloquée.
   *[other] Encore { $count } essais avant que cette récupération soit bloquée.
}
recovery-fill-one = Remplissez l'un des champs et envoyez-le avec son propre bouton.
recovery-too-many-attempts = Trop de tentatives. Réessayez dans { $wait }.
recovery-busy = Le serveur est occupé. Réessayez dans un instant.
recovery-wrong-password = Le mot de passe n'est pas correct.
recovery-cancel-heading = Annuler la récupération du compte
recovery-cancel-intro = Quelqu'un a fourni assez de preuves pour récupérer votre compte ; elle se terminerait après le délai d'attente. Si ce n'était pas vous, annulez-la : vos seconds facteurs restent tels quels.
recovery-cancel-button = Annuler la récupération
recovery-cancelled-title = Récupération annulée
recovery-cancelled-text = La récupération du compte est annulée et vos seconds facteurs sont inchangés. Si vous ne l'avez pas commencée, prévenez votre administrateur et pensez à changer votre mot de passe.
recovery-done-heading = Vous êtes de retour
recovery-done-intro = Votre compte est récupéré. Ce qui s'est passé :
recovery-done-factors = tous vos seconds facteurs ont été supprimés – applications d'authentification, clés d'accès et codes de récupération ;
recovery-done-devices = tous les autres appareils ont été déconnectés ;
recovery-done-mail = nous vous l'avons écrit par e-mail.
recovery-done-required = Votre organisation exige un second facteur : configurez-en un nouveau maintenant.
recovery-done-optional = Configurez maintenant un nouveau second facteur pour être de nouveau protégé.
recovery-continue-link = Continuer
