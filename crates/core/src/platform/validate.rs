//! Field errors and the text rules shared by every input.

use latchkey_i18n::Arg;
use unicode_normalization::UnicodeNormalization;
use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

/// What was wrong with one field, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    /// In English (the CLI, the API and logs use it).
    pub message: String,
    /// The same message for pages to put in the reader's language; `None`
    /// for messages only operators and integrators see.
    #[serde(skip)]
    pub said: Option<Said>,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            message: message.into(),
            said: None,
        }
    }

    /// A message people see on pages, which the web layer translates.
    pub fn said(field: &str, said: Said) -> Self {
        FieldError {
            field: field.to_owned(),
            message: said.english(),
            said: Some(said),
        }
    }
}

/// What is wrong with a redirect address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriProblem {
    TooLong { max: usize },
    Fragment,
    Spaces,
    NotAbsolute,
    UserInfo,
    NoHost,
    PlainHttp,
    NotHttp,
}

/// Messages that people meet on pages, with their numbers: the key of a
/// message in the catalogues (`latchkey-i18n`) and its arguments, so pages
/// say them in the reader's language; [`Said::english`] is the English text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Required,
    TooLong {
        len: usize,
        max: usize,
    },
    ControlCharacters,
    PasswordTooShort {
        len: usize,
        min: usize,
    },
    PasswordRepeated,
    /// On the list of the passwords people choose most often, or one of
    /// them with a few digits or signs added.
    PasswordCommon,
    /// Mostly a name that goes with the account (the organisation's, the
    /// person's, the product's): `word` is the first one found.
    PasswordContext {
        word: String,
    },
    UsernameCharacters,
    /// Another account of the tenant has this username.
    UsernameTaken,
    /// Another account of the tenant has this address.
    EmailTaken,
    EmailTooLong,
    EmailSpaces,
    EmailShape,
    EmailLocalPart,
    EmailDomain,
    /// The part before the `@` has characters mail cannot be sent to.
    EmailLocalCharacters,
    /// Letters of several writing systems that UTS #39 does not allow
    /// together (such as Latin with Cyrillic): a look-alike of another name.
    MixesScripts,
    /// A letter outside UTS #39's identifier profile (scripts no longer or
    /// rarely written, letter-like symbols).
    NotANameCharacter {
        ch: char,
    },
    PasskeyRequestExpired,
    PasskeyUnreadable,
    PasskeyNotVerified,
    PasskeyLimit {
        max: usize,
    },
    PasskeyOnlyFactor,
    PasskeyAloneNotOffered,
    ConfirmWithPasskey,
    TotpOnlyFactor,
    TotpOfferExpired,
    TotpChangedMeanwhile,
    RecoveryChangedMeanwhile,
    RecoveryEnded,
    RecoveryNeedsProof,
    RecoveryWaiting,
    RecoveryFinishedMeanwhile,
    RecoverySwitchedOff,
    PasswordRecentlyReset,
    AddressRecentlyChanged,
    SameAddress,
    OnlyAdminsAsk,
    RecoveryActiveAlready,
    OnboardingFirst,
    RequestDecidedMeanwhile,
    SettingsChangedMeanwhile,
    RedirectUri {
        uri: String,
        problem: UriProblem,
    },
    RedirectNotPlain {
        uri: String,
        plain: String,
    },
    TooManyAddresses {
        max: usize,
    },
    NeedsRedirect,
    ClientCredentialsNeedsSecret,
    NotBetween {
        value: i64,
        max: i64,
    },
    NeedsGrantType,
    /// An application's scopes without `openid` (decision 0032).
    ScopesNeedOpenId,
    /// `latchkey:admin` for an application that is not first-party.
    AdminScopeFirstPartyOnly,
    /// The server's address cannot have passkeys (plain http on a name
    /// other than localhost, or an IP address).
    PasskeysUnavailable,
    /// A helpdesk reset of someone with no second factor and no recovery
    /// codes.
    NothingToReset,
    /// An administrator changing their own role or state.
    NotYourself,
    /// A password reset link for a disabled account.
    ResetLinkDisabled,
    /// A password reset link for an account whose address is not verified.
    ResetLinkUnverified,
    /// A second password reset link an administrator sends within a minute.
    ResetLinkTooSoon,
    /// A page cursor of the list of people that is no username key.
    PageCursor,
    /// A page size out of range.
    PageSize {
        max: u32,
    },
    /// The audit log's filter (`accounts::audit_log`): not a date.
    AuditDate,
    /// The end of the period is before its start.
    AuditDatesReversed,
    /// Not an event kind latchkey records.
    AuditEvent,
    /// No one of the organisation has this name, address or id.
    AuditPerson,
    /// Not a cursor the audit log gave.
    AuditCursor,
    /// A choice of a form left empty or not one of those offered.
    ChooseOne,
    /// Passwords off and passkeys alone off: nobody could sign in.
    NoWayToSignIn,
    /// Turning passwords off without a passkey of one's own.
    PasskeyBeforePasswordsOff,
    /// A step of the set-up wizard before the steps it follows are done.
    SetupStepNotYet,
    /// The set-up is finished; nothing to put off or resume.
    SetupFinishedAlready,
    /// A password sign-in where the organisation signs in with passkeys only.
    PasswordSignInOff,
    /// An export would hold more events than it may.
    AuditExportTooLarge {
        max: usize,
    },
    /// A reminder sent to nobody: neither people chosen nor everyone in
    /// the list (`factors::readiness`).
    NudgeWhom,
    /// Chosen people who are not the organisation's (or no ids at all).
    UnknownPeople {
        count: usize,
    },
    /// More people chosen than one reminder takes.
    TooManyChosen {
        max: usize,
    },
    /// The list of people's `ready` filter: only "no".
    ReadyFilter,
    /// A time zone name the time zone database does not know.
    UnknownTimeZone {
        value: String,
    },
}

impl Said {
    /// Every message once (with sample numbers), for the translations' tests.
    pub fn all() -> Vec<Said> {
        let uri = || "http://app.example/cb".to_owned();
        let mut all = vec![
            Said::RedirectNotPlain {
                uri: "https://App.example/cb".into(),
                plain: "https://app.example/cb".into(),
            },
            Said::TooManyAddresses { max: 20 },
            Said::PasswordContext {
                word: "acme".into(),
            },
            Said::NeedsRedirect,
            Said::ClientCredentialsNeedsSecret,
            Said::NotBetween {
                value: 0,
                max: 1440,
            },
            Said::NeedsGrantType,
            Said::ScopesNeedOpenId,
            Said::AdminScopeFirstPartyOnly,
            Said::PasskeysUnavailable,
            Said::NothingToReset,
            Said::NotYourself,
            Said::PageCursor,
            Said::PageSize { max: 100 },
            Said::AuditExportTooLarge { max: 50_000 },
            Said::UnknownPeople { count: 2 },
            Said::TooManyChosen { max: 100 },
            Said::UnknownTimeZone {
                value: "Mars/Olympus".into(),
            },
        ];
        for problem in [
            UriProblem::TooLong { max: 2000 },
            UriProblem::Fragment,
            UriProblem::Spaces,
            UriProblem::NotAbsolute,
            UriProblem::UserInfo,
            UriProblem::NoHost,
            UriProblem::PlainHttp,
            UriProblem::NotHttp,
        ] {
            all.push(Said::RedirectUri {
                uri: uri(),
                problem,
            });
        }
        all.extend_from_slice(Self::SIMPLE);
        all
    }

    const SIMPLE: &'static [Said] = &[
        Said::Required,
        Said::TooLong { len: 9, max: 8 },
        Said::ControlCharacters,
        Said::PasswordTooShort { len: 5, min: 12 },
        Said::PasswordRepeated,
        Said::PasswordCommon,
        Said::UsernameCharacters,
        Said::UsernameTaken,
        Said::EmailTaken,
        Said::EmailTooLong,
        Said::EmailSpaces,
        Said::EmailShape,
        Said::EmailLocalPart,
        Said::EmailDomain,
        Said::EmailLocalCharacters,
        Said::MixesScripts,
        Said::NotANameCharacter { ch: '\u{13aa}' },
        Said::PasskeyRequestExpired,
        Said::PasskeyUnreadable,
        Said::PasskeyNotVerified,
        Said::PasskeyLimit { max: 20 },
        Said::PasskeyOnlyFactor,
        Said::PasskeyAloneNotOffered,
        Said::ConfirmWithPasskey,
        Said::TotpOnlyFactor,
        Said::TotpOfferExpired,
        Said::TotpChangedMeanwhile,
        Said::RecoveryChangedMeanwhile,
        Said::RecoveryEnded,
        Said::RecoveryNeedsProof,
        Said::RecoveryWaiting,
        Said::RecoveryFinishedMeanwhile,
        Said::RecoverySwitchedOff,
        Said::PasswordRecentlyReset,
        Said::AddressRecentlyChanged,
        Said::SameAddress,
        Said::OnlyAdminsAsk,
        Said::RecoveryActiveAlready,
        Said::OnboardingFirst,
        Said::RequestDecidedMeanwhile,
        Said::SettingsChangedMeanwhile,
        Said::AuditDate,
        Said::AuditDatesReversed,
        Said::AuditEvent,
        Said::AuditPerson,
        Said::AuditCursor,
        Said::ChooseOne,
        Said::NoWayToSignIn,
        Said::PasskeyBeforePasswordsOff,
        Said::SetupStepNotYet,
        Said::SetupFinishedAlready,
        Said::PasswordSignInOff,
        Said::NudgeWhom,
        Said::ReadyFilter,
        Said::ResetLinkDisabled,
        Said::ResetLinkUnverified,
        Said::ResetLinkTooSoon,
    ];

    /// The message's key in the catalogues (`latchkey-i18n`, `fields.ftl`).
    pub fn key(&self) -> &'static str {
        use Said::*;
        match self {
            Required => "field-required",
            TooLong { .. } => "field-too-long",
            ControlCharacters => "field-control-characters",
            PasswordTooShort { .. } => "field-password-too-short",
            PasswordRepeated => "field-password-repeated",
            PasswordCommon => "field-password-common",
            PasswordContext { .. } => "field-password-context",
            UsernameCharacters => "field-username-characters",
            UsernameTaken => "field-username-taken",
            EmailTaken => "field-email-taken",
            EmailTooLong => "field-email-too-long",
            EmailSpaces => "field-email-spaces",
            EmailShape => "field-email-shape",
            EmailLocalPart => "field-email-local-part",
            EmailDomain => "field-email-domain",
            EmailLocalCharacters => "field-email-local-characters",
            MixesScripts => "field-mixes-scripts",
            NotANameCharacter { .. } => "field-not-a-name-character",
            PasskeyRequestExpired => "field-passkey-request-expired",
            PasskeyUnreadable => "field-passkey-unreadable",
            PasskeyNotVerified => "field-passkey-not-verified",
            PasskeyLimit { .. } => "field-passkey-limit",
            PasskeyOnlyFactor => "field-passkey-only-factor",
            PasskeyAloneNotOffered => "field-passkey-alone-not-offered",
            ConfirmWithPasskey => "field-confirm-with-passkey",
            TotpOnlyFactor => "field-totp-only-factor",
            TotpOfferExpired => "field-totp-offer-expired",
            TotpChangedMeanwhile => "field-totp-changed-meanwhile",
            RecoveryChangedMeanwhile => "field-recovery-changed-meanwhile",
            RecoveryEnded => "field-recovery-ended",
            RecoveryNeedsProof => "field-recovery-needs-proof",
            RecoveryWaiting => "field-recovery-waiting",
            RecoveryFinishedMeanwhile => "field-recovery-finished-meanwhile",
            RecoverySwitchedOff => "field-recovery-switched-off",
            PasswordRecentlyReset => "field-password-recently-reset",
            AddressRecentlyChanged => "field-address-recently-changed",
            SameAddress => "field-same-address",
            OnlyAdminsAsk => "field-only-admins-ask",
            RecoveryActiveAlready => "field-recovery-active-already",
            OnboardingFirst => "field-onboarding-first",
            RequestDecidedMeanwhile => "field-request-decided-meanwhile",
            SettingsChangedMeanwhile => "field-settings-changed-meanwhile",
            RedirectUri { .. } => "field-redirect-uri",
            RedirectNotPlain { .. } => "field-redirect-not-plain",
            TooManyAddresses { .. } => "field-too-many-addresses",
            NeedsRedirect => "field-needs-redirect",
            ClientCredentialsNeedsSecret => "field-client-credentials-needs-secret",
            NotBetween { .. } => "field-not-between",
            NeedsGrantType => "field-needs-grant-type",
            ScopesNeedOpenId => "field-scopes-need-openid",
            AdminScopeFirstPartyOnly => "field-admin-scope-first-party-only",
            PasskeysUnavailable => "field-passkeys-unavailable",
            NothingToReset => "field-nothing-to-reset",
            NotYourself => "field-not-yourself",
            ResetLinkDisabled => "field-reset-link-disabled",
            ResetLinkUnverified => "field-reset-link-unverified",
            ResetLinkTooSoon => "field-reset-link-too-soon",
            PageCursor => "field-page-cursor",
            PageSize { .. } => "field-page-size",
            AuditDate => "field-audit-date",
            AuditDatesReversed => "field-audit-dates-reversed",
            AuditEvent => "field-audit-event",
            AuditPerson => "field-audit-person",
            AuditCursor => "field-audit-cursor",
            ChooseOne => "field-choose-one",
            NoWayToSignIn => "field-no-way-to-sign-in",
            PasskeyBeforePasswordsOff => "field-passkey-before-passwords-off",
            SetupStepNotYet => "field-setup-step-not-yet",
            SetupFinishedAlready => "field-setup-finished-already",
            PasswordSignInOff => "field-password-signin-off",
            AuditExportTooLarge { .. } => "field-audit-export-too-large",
            NudgeWhom => "field-nudge-whom",
            UnknownPeople { .. } => "field-unknown-people",
            TooManyChosen { .. } => "field-too-many-chosen",
            ReadyFilter => "field-ready-filter",
            UnknownTimeZone { .. } => "field-unknown-time-zone",
        }
    }

    /// The message's arguments, by the names the catalogues use.
    pub fn args(&self) -> Vec<(&'static str, Arg<'_>)> {
        use Said::*;
        match self {
            TooLong { len, max } => vec![("len", (*len).into()), ("max", (*max).into())],
            PasswordTooShort { len, min } => vec![("len", (*len).into()), ("min", (*min).into())],
            PasswordContext { word } => vec![("word", word.as_str().into())],
            UnknownTimeZone { value } => vec![("value", value.as_str().into())],
            NotANameCharacter { ch } => vec![
                ("ch", ch.to_string().into()),
                ("code", format!("{:04X}", u32::from(*ch)).into()),
            ],
            PasskeyLimit { max }
            | TooManyAddresses { max }
            | AuditExportTooLarge { max }
            | TooManyChosen { max } => {
                vec![("max", (*max).into())]
            }
            UnknownPeople { count } => vec![("count", (*count).into())],
            PageSize { max } => vec![("max", (*max).into())],
            RedirectUri { uri, problem } => {
                let mut args = vec![
                    ("uri", uri.as_str().into()),
                    ("problem", problem.key().into()),
                ];
                if let UriProblem::TooLong { max } = problem {
                    args.push(("max", (*max).into()));
                }
                args
            }
            RedirectNotPlain { uri, plain } => {
                vec![
                    ("uri", uri.as_str().into()),
                    ("plain", plain.as_str().into()),
                ]
            }
            NotBetween { value, max } => vec![("value", (*value).into()), ("max", (*max).into())],
            _ => vec![],
        }
    }

    /// The message in English (the API, the CLI and logs use it).
    pub fn english(&self) -> String {
        latchkey_i18n::catalogue().format("en", self.key(), &self.args())
    }
}

impl UriProblem {
    /// The variant of `field-redirect-uri` that says it.
    fn key(&self) -> &'static str {
        match self {
            UriProblem::TooLong { .. } => "too-long",
            UriProblem::Fragment => "fragment",
            UriProblem::Spaces => "spaces",
            UriProblem::NotAbsolute => "not-absolute",
            UriProblem::UserInfo => "user-info",
            UriProblem::NoHost => "no-host",
            UriProblem::PlainHttp => "plain-http",
            UriProblem::NotHttp => "not-http",
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Collects the errors of several fields, so a form reports all of them at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.push(err);
                None
            }
        }
    }

    pub fn push(&mut self, err: FieldError) {
        self.0.push(err);
    }

    pub fn into_result(self) -> Result<(), crate::Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Invalid(self.0))
        }
    }
}

/// Unicode NFKC, surrounding whitespace removed.
pub fn nfkc_trim(value: &str) -> String {
    value.nfkc().collect::<String>().trim().to_owned()
}

/// The key under which a name is unique: NFKC, lower-cased, NFKC again
/// (an approximation of Unicode's NFKC_Casefold).
pub fn fold_key(value: &str) -> String {
    nfkc_trim(value).to_lowercase().nfkc().collect()
}

/// The restriction level of Unicode TS #39 (section 5.2) a name must meet:
/// one script, or Latin with Han and Japanese kana, with Han and Bopomofo,
/// or with Han and Hangul. Latin with Cyrillic or Greek — where look-alike
/// letters are many — is refused, as is any mix of other scripts.
pub const NAME_RESTRICTION: RestrictionLevel = RestrictionLevel::HighlyRestrictive;

/// A name's letters (digits included; punctuation belongs to no script)
/// must be in UTS #39's identifier profile and meet [`NAME_RESTRICTION`],
/// so that a name cannot pose as another by a look-alike letter of another
/// script ("аlice" with a Cyrillic "а"). Expects NFKC text.
pub fn one_script(field: &str, value: &str) -> Result<(), FieldError> {
    let letters: String = value.chars().filter(|c| c.is_alphanumeric()).collect();
    if let Some(ch) = letters
        .chars()
        .find(|c| !GeneralSecurityProfile::identifier_allowed(*c))
    {
        return Err(FieldError::said(field, Said::NotANameCharacter { ch }));
    }
    if !letters.as_str().check_restriction_level(NAME_RESTRICTION) {
        return Err(FieldError::said(field, Said::MixesScripts));
    }
    Ok(())
}

/// Free text such as a display name: NFKC, trimmed, 1..=max characters, no
/// control characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = nfkc_trim(value);
    if value.is_empty() {
        return Err(FieldError::said(field, Said::Required));
    }
    let len = value.chars().count();
    if len > max {
        return Err(FieldError::said(field, Said::TooLong { len, max }));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::said(field, Said::ControlCharacters));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_normalised_and_bounded() {
        assert_eq!(text("name", "  Ａｌｉｃｅ  ", 10).unwrap(), "Alice");
        assert_eq!(text("name", "   ", 10).unwrap_err().message, "is required");
        let long = text("name", &"x".repeat(11), 10).unwrap_err();
        assert_eq!(long.field, "name");
        assert!(long.message.contains("at most 10"));
        assert!(text("name", "a\nb", 10).is_err());
    }

    #[test]
    fn names_keep_to_one_script() {
        for good in [
            "alice",
            "Jöhn.Doe_1",
            "иван",
            "ελένη",
            "محمد",
            "tanaka.田中",
            "やまだ太郎",
            "kim김",
            "Ærøskøbing",
            "ﬁnn", // not NFKC here, but every letter is allowed once folded
        ] {
            let nfkc = nfkc_trim(good);
            assert_eq!(one_script("username", &nfkc), Ok(()), "{good}");
        }
        for bad in ["\u{430}lice", "p\u{430}ypal", "alpha\u{3b2}", "ab\u{661}"] {
            assert_eq!(
                one_script("username", bad).unwrap_err().said,
                Some(Said::MixesScripts),
                "{bad}"
            );
        }
        // Cherokee letters look like Latin capitals; they are not in the profile
        let e = one_script("username", "\u{13aa}\u{13de}\u{13a5}").unwrap_err();
        assert_eq!(e.said, Some(Said::NotANameCharacter { ch: '\u{13aa}' }));
        assert!(e.message.contains("U+13AA"), "{}", e.message);
    }

    #[test]
    fn fold_key_is_caseless() {
        assert_eq!(fold_key("ÄLICE"), fold_key("älice"));
        assert_eq!(fold_key("Ａlice"), "alice");
        // composed and decomposed forms fold to the same key
        assert_eq!(fold_key("e\u{301}"), fold_key("\u{e9}"));
    }
}
