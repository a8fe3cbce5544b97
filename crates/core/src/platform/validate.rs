//! Field errors and the text rules shared by every input.

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

/// Messages that people meet on pages, with their numbers, so that the web
/// layer can say them in German and French; [`Said::english`] is the
/// English text.
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
    UsernameCharacters,
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
            Said::NeedsRedirect,
            Said::ClientCredentialsNeedsSecret,
            Said::NotBetween {
                value: 0,
                max: 1440,
            },
            Said::NeedsGrantType,
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
        Said::UsernameCharacters,
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
        Said::OnlyAdminsAsk,
        Said::RecoveryActiveAlready,
        Said::OnboardingFirst,
        Said::RequestDecidedMeanwhile,
        Said::SettingsChangedMeanwhile,
    ];

    pub fn english(&self) -> String {
        use Said::*;
        match self.clone() {
            Required => "is required".into(),
            TooLong { len, max } => format!("is {len} characters long; at most {max} are allowed"),
            ControlCharacters => {
                "must not contain control characters (such as line breaks or tabs)".into()
            }
            PasswordTooShort { len, min } => format!(
                "is {len} characters long; use at least {min} characters (a few unrelated words work well)"
            ),
            PasswordRepeated => "must not be one character repeated".into(),
            UsernameCharacters => {
                "may contain only letters, digits, '.', '_' and '-' (no spaces or '@')".into()
            }
            EmailTooLong => "is longer than 254 characters".into(),
            EmailSpaces => "must not contain spaces or control characters".into(),
            EmailShape => "must look like name@example.com".into(),
            EmailLocalPart => {
                "must look like name@example.com (one '@', at most 64 characters before it)".into()
            }
            EmailDomain => "has an invalid domain; it must look like example.com".into(),
            EmailLocalCharacters => "is not an address mail can be sent to: before the '@' use letters, digits and marks such as . _ + - (no quotes, brackets, parentheses, commas or spaces, and no dot at the start, at the end or twice in a row)".into(),
            MixesScripts => "mixes letters of different writing systems (such as Latin and Cyrillic), so it can be mistaken for another name; use the letters of one writing system (Latin may go with Chinese, Japanese or Korean)".into(),
            NotANameCharacter { ch } => format!(
                "contains \"{ch}\" (U+{:04X}), which is not among the characters allowed in names because it is easily mistaken for another; use the letters of a widely used writing system",
                u32::from(ch)
            ),
            PasskeyRequestExpired => {
                "this passkey request has expired or was used already; start again".into()
            }
            PasskeyUnreadable => "the browser's passkey answer could not be read; try again".into(),
            PasskeyNotVerified => "the passkey could not be verified; try again".into(),
            PasskeyLimit { max } => format!(
                "you have {max} passkeys, the most an account can have; remove one first"
            ),
            PasskeyOnlyFactor => "your organisation requires a second factor, and this is your only one; add another passkey or an authenticator app first".into(),
            PasskeyAloneNotOffered => "this organisation does not offer sign-in with a passkey alone; sign in with your password".into(),
            ConfirmWithPasskey => {
                "your account has a passkey: confirm with it instead of the password".into()
            }
            TotpOnlyFactor => "your organisation requires a second factor, and this is your only one; to change phones, use Replace instead".into(),
            TotpOfferExpired => "this set-up form has expired; start again".into(),
            TotpChangedMeanwhile => "your authenticator app changed meanwhile (another tab?); reload the account page".into(),
            RecoveryChangedMeanwhile => {
                "this recovery changed meanwhile (another tab?); reload the page".into()
            }
            RecoveryEnded => "this recovery has ended".into(),
            RecoveryNeedsProof => "more proof is needed first".into(),
            RecoveryWaiting => "the waiting period is not over".into(),
            RecoveryFinishedMeanwhile => "this recovery was completed or ended meanwhile".into(),
            RecoverySwitchedOff => "self-recovery was switched off for this organisation".into(),
            PasswordRecentlyReset => "your password was reset by email recently, so it does not count beside the emailed code here; use a recovery code".into(),
            OnlyAdminsAsk => "only administrators of the organisation can ask for this".into(),
            RecoveryActiveAlready => "self-recovery is active already".into(),
            OnboardingFirst => "your organisation must first move to the new onboarding (v2); ask your operator".into(),
            RequestDecidedMeanwhile => "the request was decided meanwhile".into(),
            SettingsChangedMeanwhile => {
                "the organisation's settings were changed meanwhile; reload and try again".into()
            }
            RedirectUri { uri, problem } => {
                let why = match problem {
                    UriProblem::TooLong { max } => format!("is longer than {max} characters"),
                    UriProblem::Fragment => {
                        "has a fragment (#…), which redirects must not have".into()
                    }
                    UriProblem::Spaces => {
                        "contains spaces, backslashes or control characters".into()
                    }
                    UriProblem::NotAbsolute => {
                        "is not an absolute URL with a valid host and port".into()
                    }
                    UriProblem::UserInfo => "carries a user name".into(),
                    UriProblem::NoHost => "has no host".into(),
                    UriProblem::PlainHttp => {
                        "uses plain http on a host other than localhost".into()
                    }
                    UriProblem::NotHttp => "is not http(s)".into(),
                };
                format!(
                    "\"{uri}\" {why}; use an absolute https:// address such as https://app.example.com/callback"
                )
            }
            RedirectNotPlain { uri, plain } => {
                format!("\"{uri}\" is not in its plain form; register it as {plain}")
            }
            TooManyAddresses { max } => format!("at most {max} addresses"),
            NeedsRedirect => {
                "an application that signs people in needs at least one redirect address".into()
            }
            ClientCredentialsNeedsSecret => "client_credentials needs a confidential application (one with a secret or keys), not a public one".into(),
            NotBetween { value, max } => format!("{value} is not between 1 and {max}"),
            NeedsGrantType => {
                "choose at least one of authorization_code, refresh_token and client_credentials"
                    .into()
            }
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
