# The OpenID Connect pages: consent, request errors, sign-out, continuing to an application.

oidc-consent-title = Autoriser l'accès ?
oidc-consent-intro = souhaite utiliser votre compte. L'application demande à :
oidc-scope-openid = Savoir qui vous êtes
oidc-scope-profile = Voir votre nom et votre nom d'utilisateur
oidc-scope-email = Voir votre adresse e-mail
oidc-scope-offline = Garder l'accès lorsque vous ne l'utilisez pas
oidc-scope-admin = Gérer cette organisation en votre nom
oidc-signed-in-as = Connecté en tant que { $username }.
oidc-allow = Autoriser
oidc-deny = Refuser
oidc-consent-note = Vous pouvez revenir sur ce choix à tout moment depuis la page de votre compte.
oidc-consent-lasts-days = Cet accès est conservé jusqu’à { $days ->
    [one] un jour
   *[other] { $days } jours
} après chaque connexion, sauf si vous le retirez.
oidc-consent-lasts-minutes = Cet accès est accordé pendant { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
} après chaque connexion.
oidc-request-title = Cette demande de connexion ne peut pas être utilisée
oidc-request-text = L'application qui vous a envoyé ici a fait une demande qui ne peut pas être acceptée. Revenez à l'application et réessayez. Pour ses développeurs :
oidc-logout-title = Se déconnecter ?
oidc-logout-text = Une application vous demande de vous déconnecter de { $tenant }.
oidc-logout-button = Se déconnecter
oidc-signed-out-title = Vous êtes déconnecté
oidc-signed-out-text = Vous pouvez fermer cette fenêtre.
oidc-apps-heading = Applications
oidc-apps-none = Aucune application n'a accès à votre compte.
oidc-apps-note = Les applications auxquelles vous vous êtes connecté avec ce compte, et celles que vous avez autorisées. Retirer l'accès met fin à leur connexion et à leurs jetons aussitôt ; la prochaine fois, l'application vous demande de vous reconnecter.
oidc-apps-own = application de votre organisation
oidc-apps-allowed = autorisée le { $when }
oidc-apps-last-used = dernière utilisation le { $when }
oidc-apps-removed = L'application n'a plus accès à votre compte.
oidc-apps-gone = Cette application n'avait déjà plus accès à votre compte.
oidc-apps-remove = Retirer l'accès
oidc-continue-title = Suite…
oidc-continue-link = Continuer
