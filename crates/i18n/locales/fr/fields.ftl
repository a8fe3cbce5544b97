# Messages about one field of a form (core's `Said`). A page puts the
# field's label first ("Password: …"); the API and the CLI use English.

label-password = Mot de passe
label-email = Adresse e-mail
label-username = Nom d'utilisateur
label-name = Nom
label-reason = Motif

field-required = est obligatoire
field-too-long = fait { $len } caractères ; { $max } au maximum sont autorisés
field-control-characters = ne doit pas contenir de caractères de contrôle (comme des retours à la ligne ou des tabulations)
field-password-too-short = fait { $len } caractères ; utilisez-en au moins { $min } (quelques mots sans rapport entre eux conviennent bien)
field-password-repeated = ne doit pas être un seul caractère répété
field-password-common = fait partie des mots de passe les plus souvent choisis (ou en est un avec quelques chiffres ou signes ajoutés) : c’est le premier que les attaquants essaient ; choisissez trois ou quatre mots sans rapport entre eux, ou laissez votre gestionnaire de mots de passe en créer un
field-password-context = se compose surtout de « { $word } », un nom lié à ce compte ou à cette organisation, et les attaquants essaient ces noms en premier ; ajoutez trois ou quatre mots sans rapport entre eux, ou laissez votre gestionnaire de mots de passe en créer un
field-username-characters = ne peut contenir que des lettres, des chiffres, '.', '_' et '-' (ni espaces ni '@')
field-username-taken = est déjà pris dans cette organisation ; choisissez un autre nom d'utilisateur
field-email-taken = est déjà utilisée par une autre personne de cette organisation
field-email-too-long = dépasse 254 caractères
field-email-spaces = ne doit contenir ni espaces ni caractères de contrôle
field-email-shape = doit ressembler à nom@example.com
field-email-local-part = doit ressembler à nom@example.com (un seul '@', au plus 64 caractères avant)
field-email-domain = a un domaine invalide ; il doit ressembler à example.com
field-email-local-characters = n'est pas une adresse à laquelle un courriel peut être envoyé : avant le « @ », utilisez des lettres, des chiffres et des signes comme . _ + - (ni guillemets, ni crochets, ni parenthèses, ni virgules, ni espaces, et pas de point au début, à la fin ou deux fois de suite)
field-mixes-scripts = mélange des lettres de plusieurs écritures (par exemple latine et cyrillique) et peut ainsi être confondu avec un autre nom ; utilisez les lettres d'une seule écriture (le latin peut accompagner le chinois, le japonais ou le coréen)
field-not-a-name-character = contient « { $ch } » (U+{ $code }), un caractère non autorisé dans les noms car il se confond facilement avec un autre ; utilisez les lettres d'une écriture courante
field-passkey-request-expired = cette demande de clé d'accès a expiré ou a déjà servi ; recommencez
field-passkey-unreadable = la réponse du navigateur pour la clé d'accès est illisible ; réessayez
field-passkey-not-verified = la clé d'accès n'a pas pu être vérifiée ; réessayez
field-passkey-limit = vous avez { $max } clés d'accès, le maximum pour un compte ; supprimez-en une d'abord
field-passkey-only-factor = votre organisation exige un second facteur et c'est votre seul ; ajoutez d'abord une autre clé d'accès ou une application d'authentification
field-passkey-alone-not-offered = cette organisation ne propose pas la connexion avec une clé d'accès seule ; connectez-vous avec votre mot de passe
field-confirm-with-passkey = votre compte a une clé d'accès : confirmez avec elle plutôt qu'avec le mot de passe
field-totp-only-factor = votre organisation exige un second facteur et c'est votre seul ; pour changer de téléphone, utilisez « Remplacer »
field-totp-offer-expired = ce formulaire de configuration a expiré ; recommencez
field-totp-changed-meanwhile = votre application d'authentification a changé entre-temps (un autre onglet ?) ; rechargez la page du compte
field-recovery-changed-meanwhile = cette récupération a changé entre-temps (un autre onglet ?) ; rechargez la page
field-recovery-ended = cette récupération est terminée
field-recovery-needs-proof = il faut d'abord d'autres preuves
field-recovery-waiting = le délai d'attente n'est pas écoulé
field-recovery-finished-meanwhile = cette récupération a été achevée ou arrêtée entre-temps
field-recovery-switched-off = la récupération autonome a été désactivée pour cette organisation
field-password-recently-reset = votre mot de passe a été réinitialisé par e-mail récemment ; il ne compte donc pas ici avec le code envoyé par e-mail ; utilisez un code de récupération
field-address-recently-changed = votre adresse e-mail a changé récemment ; son code ne compte donc pas encore ; utilisez votre mot de passe et un code de récupération, ou adressez-vous à votre support
field-same-address = est déjà votre adresse
field-only-admins-ask = seuls les administrateurs de l'organisation peuvent le demander
field-recovery-active-already = la récupération autonome est déjà activée
field-onboarding-first = votre organisation doit d'abord passer au nouvel accueil (v2) ; demandez à votre opérateur
field-request-decided-meanwhile = la demande a été tranchée entre-temps
field-settings-changed-meanwhile = les réglages de l'organisation ont changé entre-temps ; rechargez et réessayez
field-redirect-not-plain = « { $uri } » n'est pas sous sa forme simple ; enregistrez { $plain }
field-too-many-addresses = { $max } adresses au maximum
field-needs-redirect = une application qui connecte des personnes a besoin d'au moins une adresse de redirection
field-client-credentials-needs-secret = client_credentials exige une application confidentielle (avec un secret ou des clés), pas une application publique
field-not-between = { $value } n'est pas entre 1 et { $max }
field-passkeys-unavailable = les clés d'accès ne sont pas disponibles sur ce serveur : il doit être joint en https (ou http://localhost) ; demandez à votre administrateur
field-needs-grant-type = choisissez au moins l'un de authorization_code, refresh_token et client_credentials
field-scopes-need-openid = les scopes d'une application doivent comprendre openid : c'est ce que veut dire connecter quelqu'un
field-admin-scope-first-party-only = seules vos propres applications (first-party) peuvent avoir latchkey:admin : marquez-la comme votre propre application, ou retirez latchkey:admin
field-redirect-uri = « { $uri } » { $problem ->
    [too-long] dépasse { $max } caractères
    [fragment] a un fragment (#…), que les redirections ne doivent pas avoir
    [spaces] contient des espaces, des barres obliques inverses ou des caractères de contrôle
    [not-absolute] n'est pas une URL absolue avec un hôte et un port valides
    [user-info] contient un nom d'utilisateur
    [no-host] n'a pas d'hôte
    [plain-http] utilise http simple sur un hôte autre que localhost
   *[not-http] n'est pas en http(s)
} ; utilisez une adresse https:// absolue comme https://app.example.com/callback
label-person = Personne
label-role = Rôle
label-status = État
label-search = Recherche
label-page = Page
label-page-size = Taille de page
field-nothing-to-reset = n'a ni second facteur ni codes de récupération : il n'y a rien à réinitialiser
field-not-yourself = ne peut pas être changé sur votre propre compte ; demandez à un autre administrateur
field-reset-link-disabled = est désactivé : réactivez le compte avant d'envoyer un lien de réinitialisation du mot de passe
field-reset-link-unverified = n'a pas d'adresse e-mail vérifiée, et un lien de réinitialisation ne part que vers une adresse confirmée par la personne ; demandez-lui d'abord de confirmer son adresse
field-reset-link-too-soon = a reçu un lien de réinitialisation il y a moins d'une minute ; attendez une minute avant d'en envoyer un autre
field-page-cursor = n'est pas une page de cette liste ; recommencez à la première page
field-page-size = doit être un nombre entier de 1 à { $max }
field-choose-one = choisissez l'une des possibilités proposées
field-no-way-to-sign-in = ne laisserait plus aucun moyen de se connecter : gardez les mots de passe ou permettez la connexion avec une clé d'accès seule
field-passkey-before-passwords-off = ajoutez d'abord une clé d'accès à votre propre compte (page du compte), afin de pouvoir encore vous connecter sans mot de passe
field-setup-step-not-yet = cette étape de la configuration vient plus tard ; terminez d'abord les étapes précédentes
field-setup-finished-already = la configuration est déjà terminée
field-password-signin-off = cette organisation se connecte uniquement avec des clés d'accès : choisissez « Se connecter avec une clé d'accès »
label-organisation-name = Nom de l'organisation
label-language = Langue
label-signin-methods = Méthodes de connexion
label-second-factor = Seconds facteurs
label-recovery-wait = Délai d'attente
label-redirect-uris = Adresses de redirection
label-post-logout-uris = Adresses après la déconnexion
label-access-minutes = Durée du jeton d'accès
label-refresh-days = Durée du jeton de renouvellement
label-signing-alg = Signature des jetons
label-grant-types = Ce qu'elle peut faire
label-app-kind = Type
label-note = Remarque
label-step = Configuration
label-request = Demande
label-people = Personnes
label-readiness = Préparation
field-nudge-whom = choisissez les personnes à qui envoyer un rappel, ou envoyez-le à toute la liste
field-unknown-people = { $count ->
    [one] une des personnes choisies n'appartient pas à cette organisation
   *[other] { $count } des personnes choisies n'appartiennent pas à cette organisation
} ; rechargez la liste et choisissez à nouveau
field-too-many-chosen = au plus { $max } personnes peuvent être choisies à la fois ; envoyez plutôt le rappel à toute la liste
field-ready-filter = ne peut montrer que les personnes qui ne sont pas prêtes ; ouvrez la liste des personnes sans ce filtre

field-unknown-time-zone = « { $value } » n’est pas un fuseau horaire connu de ce serveur : saisissez son nom IANA, par exemple Europe/Zurich ou Asia/Tokyo, ou laissez le champ vide pour UTC
