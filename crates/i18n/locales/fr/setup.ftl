# The set-up pages after sign-in or recovery: authenticator app and recovery codes.

setup-app-title = Application d'authentification
setup-app-setup = Configurer une application d'authentification
setup-app-replace = Remplacer votre application d'authentification
setup-replace-intro = Configurez ci-dessous la nouvelle application (ou le nouveau téléphone). L'application actuelle cesse de fonctionner dès que la nouvelle est activée.
setup-required = { $tenant } exige un second facteur. Configurez-en un pour continuer.
setup-step-open = Ouvrez une application d'authentification sur votre téléphone (par exemple FreeOTP, Aegis, Google ou Microsoft Authenticator) et ajoutez un compte.
setup-step-scan = Scannez ce code ou saisissez la clé ci-dessous.
setup-step-enter = Saisissez le code à 6 chiffres que l'application affiche alors.
setup-key = Clé :
setup-code-label = Code de l'application
setup-turn-on = Activer
setup-passkey-instead = Utiliser plutôt une clé d'accès ou une clé de sécurité
setup-passkey-name = Nom de la clé d'accès
setup-passkey-placeholder = p. ex. Portable, YubiKey
setup-add-passkey = Ajouter une clé d'accès
setup-sign-out = Se déconnecter
setup-cancel = Annuler
setup-codes-title = Codes de récupération
setup-codes-intro = Si vous perdez votre téléphone, un code de récupération vous permet de vous connecter à la place d'un code de votre application. Chaque code ne fonctionne qu'une fois.
setup-codes-keep = Conservez-les en lieu sûr, loin de votre téléphone : imprimés ou dans un gestionnaire de mots de passe.
setup-codes-unused = Il vous reste { $count ->
    [one] { $count } code inutilisé
   *[other] { $count } codes inutilisés
}. En créer de nouveaux met fin aux anciens.
setup-codes-create = Créer { $count } codes de récupération
setup-back-to-account = Retour à votre compte
setup-codes-save-now = Enregistrez ces codes maintenant. Ils ne sont affichés qu'une fois ; latchkey ne garde qu'une empreinte de chacun.
setup-codes-download = Télécharger en fichier texte
setup-codes-print = Imprimer
setup-codes-copy = Copier
setup-codes-copied = Copiés. Collez-les dans votre gestionnaire de mots de passe.
setup-codes-copy-failed = Votre navigateur n'a pas permis la copie. Sélectionnez les codes et copiez-les, ou téléchargez le fichier.
setup-codes-saved = Je les ai enregistrés
# The downloaded file of new recovery codes.
setup-codes-file = Codes de récupération pour { $tenant } ({ $url }). Chacun ne fonctionne qu'une fois.
setup-wrong-code = Le code n'est pas correct ; saisissez le code actuel de votre application d'authentification
setup-too-many-attempts = Trop de tentatives. Réessayez dans { $wait }.

# The QR code's name for screen readers.
setup-qr-label = code QR
