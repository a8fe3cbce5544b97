# Error pages.

error-csrf-title = Ce formulaire a expiré
error-csrf-text = Le formulaire n'a pas été envoyé depuis cette page ou est trop ancien. Revenez en arrière, rechargez la page et réessayez.
error-invalid-title = Veuillez vérifier votre saisie
error-invalid-text = Certains champs ne sont pas valides :
error-conflict-title = Existe déjà
error-not-found-title = Introuvable
error-not-found-text = Il n'y a rien à cette adresse. Vérifiez l'adresse.
error-reauth-title = Veuillez vous reconnecter
error-reauth-text = Pour votre sécurité, les seconds facteurs ne peuvent être modifiés que dans les 10 minutes suivant la connexion. Déconnectez-vous, reconnectez-vous et réessayez.
error-code-title = Le code n'est pas correct
error-code-text = Saisissez le code actuel de votre application d'authentification.
error-link-title = Ce lien ne peut pas être utilisé
error-link-text = Il a déjà été utilisé, a expiré ou a été remplacé par un lien plus récent. Connectez-vous pour en demander un nouveau.
error-signin-title = Échec de la connexion
error-signin-text = Le nom d'utilisateur, l'e-mail ou le mot de passe n'est pas correct.
error-limit-title = Trop de tentatives
error-limit-text = Trop de tentatives. Réessayez dans { $wait }.
error-busy-title = Occupé
error-busy-text = Le serveur est occupé. Réessayez dans un instant.
error-down-title = Temporairement indisponible
error-down-text = latchkey ne peut pas joindre sa base de données pour le moment. Réessayez dans un instant.
error-internal-title = Une erreur s'est produite
error-internal-text = Une erreur s'est produite de notre côté. Réessayez ; si cela se reproduit, indiquez l'heure à votre administrateur.

# A password-reset link is for someone who cannot sign in: offer a new link.
error-reset-link-text = Il a déjà été utilisé, a expiré ou a été remplacé par un lien plus récent. Vous pouvez en demander un nouveau dès maintenant.

# The way forward from an error page.
error-forward-signin = Aller à la connexion de { $tenant }
error-forward-account = Aller à votre compte
error-forward-home = Aller à la page d'accueil
error-forward-back = Retour au formulaire
error-forward-new-link = Demander un nouveau lien
