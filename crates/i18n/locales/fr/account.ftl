# The account page.

account-title = Votre compte
account-hello = Bonjour, { $name }
account-signed-in-as = Vous êtes connecté en tant que { $username }.
account-email = E-mail
account-verified = (vérifiée)
account-not-verified = (non vérifiée)
account-resend = Renvoyer le lien de vérification
account-password-heading = Mot de passe
account-password-intro = Choisissez un nouveau mot de passe : au moins 12 caractères ; quelques mots sans rapport entre eux conviennent bien. Tous les autres navigateurs où vous êtes connecté sont déconnectés, et les applications vous demandent de vous reconnecter.
account-change-password = Changer le mot de passe
account-new-password = Nouveau mot de passe
account-repeat-password = Répétez le nouveau mot de passe
account-password-changed = Votre mot de passe a été changé. Les autres navigateurs ont été déconnectés et nous vous avons envoyé un e-mail à ce sujet.
account-done-app = Votre application d'authentification est activée : désormais, la connexion demande son code.
account-done-passkey = Votre clé d'accès est ajoutée : désormais, vous pouvez vous connecter avec elle.
account-passwords-differ-account = Les deux nouveaux mots de passe diffèrent ; tapez deux fois le même.
account-link-sent = Nous avons envoyé un nouveau lien de vérification à votre adresse e-mail. Il est valable 24 heures.
account-email-change = Modifier l'adresse e-mail
account-email-change-title = Modifier votre adresse e-mail
account-email-change-intro = Votre adresse actuelle est { $current }. Nous envoyons un lien à la nouvelle adresse ; votre adresse ne change qu'une fois ce lien ouvert, et nous prévenons votre adresse actuelle.
account-email-change-recovery = Pendant une semaine après une modification, la nouvelle adresse ne compte pas comme preuve lorsque vous récupérez votre compte vous-même ; gardez vos codes de récupération à portée de main.
account-email-change-new = Nouvelle adresse e-mail
account-email-change-send = Envoyer le lien de confirmation
account-email-change-keep = Garder mon adresse
account-email-change-sent = Nous avons envoyé un lien à la nouvelle adresse. Votre adresse change lorsque vous l'ouvrez, dans les 24 heures ; nous avons aussi prévenu votre adresse actuelle.
account-email-change-cancelled = La modification de l'adresse est annulée ; son lien ne fonctionne plus.
account-email-change-open = En attente de confirmation : un lien a été envoyé à { $email } ; il fonctionne jusqu'au { $until }.
account-email-change-cancel = Annuler la modification
account-app = Application d'authentification
account-on-since = Activée depuis { $since }
account-replace = Remplacer (nouveau téléphone)
account-remove = Supprimer
account-off = Désactivée
account-set-up-app = Configurer une application d'authentification
account-passkeys = Clés d'accès et clés de sécurité
account-none-yet = Aucune pour l'instant
account-synced = clé d'accès synchronisée
account-not-synced = non synchronisée
account-suspected-copy = a peut-être été copiée : elle ne permet plus de se connecter ; supprimez-la, puis ajoutez la clé de nouveau
account-added = ajoutée le { $when }
account-last-used = dernière utilisation { $when }
account-new-name = Nouveau nom
account-rename = Renommer
account-passkey-name = Nom de la nouvelle clé d'accès
account-passkey-placeholder = p. ex. Portable, YubiKey
account-passkey-name-hint = Laissez vide pour la nommer d'après ce navigateur ; vous pourrez la renommer plus tard.
account-passkey-default-name = Clé d'accès ({ $device })
account-passkey-default = Clé d'accès
account-add-passkey = Ajouter une clé d'accès
account-passkeys-need-https = Les clés d'accès exigent que ce serveur soit joignable en https.
account-codes = Codes de récupération
account-unused = { $count ->
    [one] { $count } inutilisé
   *[other] { $count } inutilisés
}
account-few-left = – il en reste peu : créez-en de nouveaux avant d'en manquer
account-new-codes = Créer de nouveaux codes
account-ready = Prêt en cas de perte du téléphone ou de la clé ?
account-ready-email = une adresse e-mail vérifiée (une récupération y envoie son code)
account-ready-codes = des codes de récupération enregistrés (ils récupèrent votre compte immédiatement)
account-ready-factors = plus d'un second facteur (par exemple une application et une clé d'accès)
account-removed-factors = Seconds facteurs supprimés
account-removed = supprimé le { $when } { $by }
account-by-admin = par votre administrateur
account-by-recovery = par la récupération de votre compte
account-kind-app = application d'authentification
account-kind-passkey = clé d'accès
account-kind-codes = codes de récupération
account-self-recovery-for = Récupération autonome de compte pour { $tenant }
account-active = Active : les utilisateurs qui perdent leurs seconds facteurs peuvent récupérer leur compte eux-mêmes.
account-not-active = Inactive : les utilisateurs qui perdent leurs seconds facteurs ont besoin de l'assistance.
account-request = La demande de votre organisation :
account-note = Note pour l'opérateur (facultatif)
account-ask-operator = Demander à l'opérateur de l'activer
account-signed-in = Connecté
account-session-ends = Fin de session
account-sign-out = Se déconnecter
account-m-password = mot de passe
account-m-otp = application d'authentification
account-m-hwk = clé de sécurité
account-m-swk = clé d'accès
account-m-pop = clé d'accès ou clé de sécurité
account-m-rc = code de récupération
account-m-recovery = récupération de compte
account-signed-in-with = { $at } avec { $methods }
account-session-ends-at = { $at } au plus tard, ou après { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} d'inactivité
# Where the organisation's request for self-recovery stands.
account-request-pending = en attente
account-request-approved = approuvée
account-request-declined = refusée

## Before a second factor goes (remove_factor.html)
remove-app-title = Supprimer votre application d'authentification ?
remove-passkey-title = Supprimer la clé d'accès « { $name } » ?
remove-intro = Veuillez lire ce qui se passe si vous la supprimez.
remove-factors-left = { $count ->
    [one] Il vous reste un autre second facteur pour vous connecter.
   *[other] Il vous reste { $count } autres seconds facteurs pour vous connecter.
}
remove-last-factor = C'est votre dernier second facteur : ensuite, votre mot de passe seul vous connecte.
remove-codes-go = { $count ->
    [one] Votre code de récupération inutilisé est supprimé avec : un code de récupération ne remplace qu'un second facteur que vous avez.
   *[other] Vos { $count } codes de récupération inutilisés sont supprimés avec : les codes de récupération ne remplacent qu'un second facteur que vous avez.
}
remove-sessions-end = Vous êtes déconnecté partout ailleurs, et les applications que vous y utilisez vous demandent de vous reconnecter.
remove-mail = Nous envoyons un avis à votre adresse e-mail.
remove-refused = Votre organisation exige un second facteur, et c'est votre dernier. Ajoutez-en d'abord un autre ; vous pourrez ensuite supprimer celui-ci.
remove-app-button = Supprimer l'application
remove-passkey-button = Supprimer la clé d'accès
remove-cancel = La garder
account-done-app-removed = Votre application d'authentification est supprimée.
account-done-passkey-removed = La clé d'accès est supprimée.

# Où vous êtes connecté (account/sessions)
sessions-title = Où vous êtes connecté
sessions-intro = Ces navigateurs sont connectés à votre compte. Si vous n’en reconnaissez pas un, déconnectez-le et changez votre mot de passe.
sessions-this-browser = ce navigateur
sessions-device = { $browser } sur { $system }
sessions-unknown-browser = Un navigateur inconnu
sessions-signed-in = connecté le { $at }
sessions-last-active = dernière activité le { $at }
sessions-address = depuis { $address }
sessions-sign-out = Déconnecter
sessions-sign-out-others = Déconnecter partout ailleurs
sessions-others-note = Se déconnecter partout ailleurs met aussi fin aux connexions des applications : elles vous demanderont de vous reconnecter.
sessions-ended-one = Ce navigateur est déconnecté.
sessions-ended-others = Tous les autres navigateurs sont déconnectés.
sessions-gone = Ce navigateur était déjà déconnecté.
account-sessions-link = Où vous êtes connecté
account-request-waiting-upgrade = en attente du passage au nouvel accueil
# Recent security events on the account page (accounts::activity).
activity-heading = Événements de sécurité récents
activity-none = Rien n’a encore changé dans la protection de votre compte.
activity-note = Quelque chose ici ne vient pas de vous ? Changez votre mot de passe et vérifiez où vous êtes connecté ; si vous ne pouvez pas vous connecter, utilisez « Impossible de vous connecter ? » sur la page de connexion ou contactez votre support.
activity-by-admin = par un administrateur
activity-from = { $device }, adresse { $address }
activity-password-changed = Mot de passe changé
activity-password-reset-completed = Mot de passe défini depuis un lien reçu par e-mail
activity-password-reset-sent = Un administrateur a envoyé un lien pour définir un nouveau mot de passe
activity-email-change-requested = Changement d’adresse e-mail demandé
activity-email-changed = Adresse e-mail changée
activity-factor-totp-added = Application d’authentification ajoutée
activity-factor-totp-removed = Application d’authentification supprimée
activity-factor-recovery-codes-regenerated = Nouveaux codes de récupération créés
activity-factor-passkey-added = Clé d’accès ajoutée
activity-factor-passkey-removed = Clé d’accès supprimée
activity-factor-passkey-clone-suspected = Une clé d’accès semblait copiée et a été bloquée
activity-factors-reset = Seconds facteurs supprimés par le support
activity-signout-everywhere-else = Déconnecté partout ailleurs
activity-user-role-changed = Rôle changé
activity-recovery-case-started = Récupération du compte commencée
activity-recovery-case-waiting = Récupération du compte prouvée ; délai d’attente commencé
activity-recovery-case-completed = Compte récupéré
activity-recovery-case-cancelled = Récupération du compte annulée
activity-recovery-case-locked = Récupération du compte bloquée après des codes erronés
activity-recovery-refused-admin = Récupération du compte demandée ; les administrateurs passent par le support
activity-user-signed-out = Déconnecté partout par un administrateur
activity-application-access-removed = Accès d'une application retiré

codes-used-title = Vous avez utilisé un code de récupération
codes-used-gone = Ce code ne fonctionne plus : chaque code ne sert qu'une fois.
codes-used-left = { $count ->
    [one] Il vous reste un code de récupération.
   *[other] Il vous reste { $count } codes de récupération.
}
codes-used-none-left = Il ne vous reste aucun code de récupération.
codes-used-advice = Créez une nouvelle série maintenant, pendant que vous êtes connecté, et conservez-la en lieu sûr. La nouvelle série remplace tous vos codes.
codes-used-new = Créer une nouvelle série
codes-used-later = Plus tard
