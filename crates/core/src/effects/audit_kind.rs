//! The kinds of audit event: every name an event is stored under. Writers
//! name a kind, never a string, so the list below is the whole vocabulary
//! of the trail, and the audit log's filter offers exactly it. The text is
//! the stored word (unchanged from before the enum), so old rows read back
//! as they were written.

crate::platform::text_enum!(
    /// What happened, as the audit trail stores it (dotted, stable).
    AuditKind, "event", {
        // signing in and out
        SigninSucceeded => "signin.succeeded",
        SigninPasswordAccepted => "signin.password_accepted",
        SigninFailedPassword => "signin.failed.password",
        SigninFailedUnknown => "signin.failed.unknown",
        SigninFailedDisabled => "signin.failed.disabled",
        SigninFailedLimited => "signin.failed.limited",
        SigninSucceededPasskey => "signin.succeeded.passkey",
        SigninPasskeyFailed => "signin.passkey.failed",
        SigninSucceededRecovery => "signin.succeeded.recovery",
        SecondStepOtpSucceeded => "signin.second_factor.otp.succeeded",
        SecondStepOtpFailed => "signin.second_factor.otp.failed",
        SecondStepPasskeySucceeded => "signin.second_factor.passkey.succeeded",
        SecondStepPasskeyFailed => "signin.second_factor.passkey.failed",
        SecondStepRecoveryCodeSucceeded => "signin.second_factor.rc.succeeded",
        SecondStepRecoveryCodeFailed => "signin.second_factor.rc.failed",
        SecondFactorLimitReached => "second_factor.limit_reached",
        Signout => "signout",
        SignoutOther => "signout.other",
        SignoutEverywhereElse => "signout.everywhere_else",
        ReauthSucceeded => "reauth.succeeded",
        ReauthFailedPassword => "reauth.failed.password",
        ReauthFailedCode => "reauth.failed.code",
        ReauthSucceededPasskey => "reauth.succeeded.passkey",
        ReauthFailedPasskey => "reauth.failed.passkey",
        // accounts
        UserCreated => "user.created",
        UserInvited => "user.invited",
        UserInvitationAccepted => "user.invitation.accepted",
        UserInvitationWithdrawn => "user.invitation.withdrawn",
        UserDisabled => "user.disabled",
        UserEnabled => "user.enabled",
        UserRoleChanged => "user.role.changed",
        UserReadinessReminded => "user.readiness.reminded",
        UserSignedOut => "user.signed_out",
        EmailVerificationSent => "email.verification_sent",
        EmailVerified => "email.verified",
        EmailChangeRequested => "email.change.requested",
        EmailChangeCancelled => "email.change.cancelled",
        EmailChanged => "email.changed",
        PasswordChanged => "password.changed",
        PasswordResetRequested => "password.reset.requested",
        PasswordResetCompleted => "password.reset.completed",
        PasswordResetSent => "password.reset.sent",
        // second factors
        TotpAdded => "factor.totp.added",
        TotpRemoved => "factor.totp.removed",
        RecoveryCodesRegenerated => "factor.recovery_codes.regenerated",
        PasskeyAdded => "factor.passkey.added",
        PasskeyRenamed => "factor.passkey.renamed",
        PasskeyRemoved => "factor.passkey.removed",
        PasskeyCloneSuspected => "factor.passkey.clone_suspected",
        FactorsReset => "factors.reset",
        // self-recovery
        RecoveryCaseStarted => "recovery.case.started",
        RecoveryCaseProven => "recovery.case.proven",
        RecoveryCaseWaiting => "recovery.case.waiting",
        RecoveryCaseReady => "recovery.case.ready",
        RecoveryCaseCompleted => "recovery.case.completed",
        RecoveryCaseCancelled => "recovery.case.cancelled",
        RecoveryCaseExpired => "recovery.case.expired",
        RecoveryCaseLocked => "recovery.case.locked",
        RecoveryDecoyStarted => "recovery.decoy.started",
        RecoveryCaseCodeResent => "recovery.case.code-resent",
        RecoveryDecoyCodeResent => "recovery.decoy.code-resent",
        RecoveryRefusedAdmin => "recovery.refused.admin",
        RecoverySurge => "recovery.surge",
        // the organisation
        TenantSettingsChanged => "tenant.settings.changed",
        TenantSignedOut => "tenant.signed_out",
        TenantOnboardingUpgraded => "tenant.onboarding.upgraded",
        TenantRecoveryRequested => "tenant.recovery.requested",
        TenantRecoveryRequestApproved => "tenant.recovery.request_approved",
        TenantRecoveryRequestDeclined => "tenant.recovery.request_declined",
        TenantRecoveryEnabled => "tenant.recovery.enabled",
        TenantRecoveryDisabled => "tenant.recovery.disabled",
        TenantCreated => "tenant.created",
        TenantAdminInvited => "tenant.admin.invited",
        TenantAdminInvitationAccepted => "tenant.admin.invitation_accepted",
        // the operator console
        OperatorAccountAdded => "operator.account.added",
        OperatorAccountDisabled => "operator.account.disabled",
        OperatorSignin => "operator.signin",
        OperatorSigninFailed => "operator.signin.failed",
        OperatorSignout => "operator.signout",
        TenantSetupStepSaved => "tenant.setup.step_saved",
        TenantSetupPostponed => "tenant.setup.postponed",
        TenantSetupResumed => "tenant.setup.resumed",
        TenantSetupFinished => "tenant.setup.finished",
        // applications
        ClientCreated => "client.created",
        ClientUpdated => "client.updated",
        ClientSecretRotated => "client.secret_rotated",
        ClientDeleted => "client.deleted",
        ApplicationAccessRemoved => "application.access_removed",
    }
);

impl AuditKind {
    /// The group the kind belongs to (the audit log's event list is
    /// grouped by it): `signin`, `accounts`, `factors`, `recovery`,
    /// `organisation` or `applications`.
    pub fn group(self) -> &'static str {
        let word = self.as_str();
        let first = word.split('.').next().unwrap_or(word);
        match first {
            "signin" | "signout" | "reauth" | "second_factor" => "signin",
            "user" | "email" | "password" => "accounts",
            "factor" | "factors" => "factors",
            "recovery" => "recovery",
            "tenant" | "operator" => "organisation",
            _ => "applications",
        }
    }

    /// The key of the kind's name in the catalogues (`audit.ftl`):
    /// `audit-kind-` and the stored word with dots and underscores as dashes.
    pub fn label_key(self) -> String {
        self.key("audit-kind")
    }

    /// The catalogue key `{prefix}-{word}`, the word's dots and underscores
    /// as hyphens (`activity-factor-totp-added`).
    pub fn key(self, prefix: &str) -> String {
        format!("{prefix}-{}", self.as_str().replace(['.', '_'], "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_and_have_distinct_words_and_keys() {
        let mut words = std::collections::HashSet::new();
        let mut keys = std::collections::HashSet::new();
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()), Ok(*kind));
            assert!(words.insert(kind.as_str()), "{kind}");
            assert!(keys.insert(kind.label_key()), "{kind}");
        }
        assert_eq!(
            AuditKind::RecoveryCodesRegenerated.label_key(),
            "audit-kind-factor-recovery-codes-regenerated"
        );
        assert!(AuditKind::parse("signin.nothing").is_err());
        assert_eq!(AuditKind::ReauthFailedCode.group(), "signin");
        assert_eq!(AuditKind::FactorsReset.group(), "factors");
        assert_eq!(AuditKind::ClientDeleted.group(), "applications");
        assert_eq!(AuditKind::TenantRecoveryEnabled.group(), "organisation");
    }

    /// Every kind is named in every language.
    #[test]
    fn every_kind_has_a_name_in_every_language() {
        let catalogue = latchkey_i18n::catalogue();
        for kind in AuditKind::ALL {
            for lang in latchkey_i18n::LANGUAGES {
                assert!(
                    catalogue.has(lang, &kind.label_key()),
                    "{lang}: no {} for {kind}",
                    kind.label_key()
                );
            }
        }
    }
}
