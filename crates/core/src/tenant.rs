//! Tenants: the organisations whose users latchkey signs in, addressed by slug
//! under `/t/{slug}/`.

use crate::Error;
use crate::clock::{Clock, UnixTime};
use crate::mail::Language;
use crate::random::{Random, new_id};
use crate::store::TenantStore;
use crate::validate::{self, Errors, FieldError};

/// A tenant's address: 2..=63 characters of lowercase ASCII letters, digits and
/// hyphens, starting with a letter and not ending with a hyphen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub const FIELD: &'static str = "slug";

    pub fn parse(value: &str) -> Result<TenantSlug, FieldError> {
        let err = |m: &str| Err(FieldError::new(Self::FIELD, m));
        let len = value.chars().count();
        if !(2..=63).contains(&len) {
            return err(&format!(
                "is {len} characters long; use 2 to 63 characters (lowercase letters, digits, hyphens)"
            ));
        }
        if !value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return err(
                "may contain only lowercase letters a-z, digits 0-9 and hyphens, e.g. \"acme-corp\"",
            );
        }
        if !value.as_bytes()[0].is_ascii_lowercase() {
            return err("must start with a lowercase letter");
        }
        if value.ends_with('-') {
            return err("must not end with a hyphen");
        }
        Ok(TenantSlug(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const FIELD: &'static str = $field;
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Result<$name, $crate::validate::FieldError> {
                match value.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::validate::FieldError::new(
                        $field,
                        format!(
                            "\"{}\" is not one of: {}",
                            other,
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// Which onboarding a tenant went through: `v1` (legacy) or `v2` (the
    /// wizard). Self-recovery requires `v2`.
    Onboarding, "onboarding", { V1 => "v1", V2 => "v2" }
);

text_enum!(
    /// Whether users of the tenant use a second factor.
    SecondFactorPolicy, "second_factor", { Off => "off", Optional => "optional", Required => "required" }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tenant {
    pub id: String,
    pub slug: TenantSlug,
    pub display_name: String,
    pub onboarding: Onboarding,
    pub second_factor: SecondFactorPolicy,
    /// Account Self-Recovery; off until the operator activates it.
    pub self_recovery: bool,
    /// Whether users may sign in with a passkey alone (no password).
    pub passwordless: bool,
    /// The language of mail to users who have not chosen one.
    pub default_language: Language,
    pub created_at: UnixTime,
}

/// Raw input for a new tenant, as typed into a form, the CLI or the API.
#[derive(Debug, Clone, Default)]
pub struct TenantInput {
    pub slug: String,
    pub display_name: String,
    /// Defaults to `v2`: every new tenant goes through the new onboarding.
    pub onboarding: Option<String>,
    /// Defaults to `optional`.
    pub second_factor: Option<String>,
    /// Defaults to `en`.
    pub default_language: Option<String>,
    /// Sign-in with a passkey alone; defaults to off.
    pub passwordless: bool,
}

pub const DISPLAY_NAME_MAX: usize = 100;

impl TenantInput {
    /// Parses every field, reporting all problems at once.
    pub fn parse(&self, id: String, now: UnixTime) -> Result<Tenant, Error> {
        let mut errors = Errors::default();
        let slug = errors.take(TenantSlug::parse(&self.slug));
        let display_name = errors.take(validate::text(
            "display_name",
            &self.display_name,
            DISPLAY_NAME_MAX,
        ));
        let onboarding = errors.take(
            self.onboarding
                .as_deref()
                .map_or(Ok(Onboarding::V2), Onboarding::parse),
        );
        let second_factor = errors.take(
            self.second_factor
                .as_deref()
                .map_or(Ok(SecondFactorPolicy::Optional), SecondFactorPolicy::parse),
        );
        let default_language = errors.take(
            self.default_language
                .as_deref()
                .map_or(Ok(Language::En), Language::parse)
                .map_err(|e| FieldError::new("default_language", e.message)),
        );
        errors.into_result()?;
        match (
            slug,
            display_name,
            onboarding,
            second_factor,
            default_language,
        ) {
            (
                Some(slug),
                Some(display_name),
                Some(onboarding),
                Some(second_factor),
                Some(default_language),
            ) => Ok(Tenant {
                id,
                slug,
                display_name,
                onboarding,
                second_factor,
                self_recovery: false,
                passwordless: self.passwordless,
                default_language,
                created_at: now,
            }),
            _ => Err(Error::invalid("tenant", "is invalid")),
        }
    }
}

/// Creates a tenant; a taken slug is reported as a conflict on `slug`.
pub async fn create<S: TenantStore>(
    store: &S,
    clock: &dyn Clock,
    random: &dyn Random,
    input: &TenantInput,
) -> Result<Tenant, Error> {
    let tenant = input.parse(new_id(random), clock.now())?;
    store.insert_tenant(&tenant).await.map_err(|err| {
        err.into_conflict(
            TenantSlug::FIELD,
            format!(
                "a tenant with slug \"{}\" already exists; choose another slug",
                tenant.slug
            ),
        )
    })?;
    Ok(tenant)
}

/// Looks a tenant up by the slug in a URL or argument.
pub async fn by_slug<S: TenantStore>(store: &S, slug: &str) -> Result<Tenant, Error> {
    let Ok(slug) = TenantSlug::parse(slug) else {
        return Err(Error::NotFound("tenant"));
    };
    store
        .tenant_by_slug(&slug)
        .await?
        .ok_or(Error::NotFound("tenant"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["demo", "acme-corp", "a1", "x-9-y"] {
            assert!(TenantSlug::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "Acme",
            "1abc",
            "abc-",
            "a_b",
            "a b",
            "dämo",
            &"a".repeat(64),
        ] {
            let err = TenantSlug::parse(bad).unwrap_err();
            assert_eq!(err.field, "slug", "{bad}");
        }
    }

    #[test]
    fn enums_parse_and_name_choices() {
        assert_eq!(Onboarding::parse("v1").unwrap(), Onboarding::V1);
        assert_eq!(
            SecondFactorPolicy::parse(" required ").unwrap(),
            SecondFactorPolicy::Required
        );
        let err = SecondFactorPolicy::parse("always").unwrap_err();
        assert_eq!(err.field, "second_factor");
        assert!(
            err.message.contains("off, optional, required"),
            "{}",
            err.message
        );
    }

    #[test]
    fn input_reports_every_problem_and_defaults() {
        let input = TenantInput {
            slug: "Bad Slug".into(),
            display_name: "".into(),
            onboarding: Some("v3".into()),
            second_factor: None,
            default_language: Some("es".into()),
            passwordless: false,
        };
        let Error::Invalid(errors) = input.parse("id".into(), UnixTime(0)).unwrap_err() else {
            panic!("expected Invalid")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["slug", "display_name", "onboarding", "default_language"]
        );

        let tenant = TenantInput {
            slug: "acme".into(),
            display_name: " Acme ".into(),
            ..Default::default()
        }
        .parse("id".into(), UnixTime(5))
        .unwrap();
        assert_eq!(tenant.onboarding, Onboarding::V2);
        assert_eq!(tenant.second_factor, SecondFactorPolicy::Optional);
        assert!(!tenant.self_recovery);
        assert_eq!(tenant.display_name, "Acme");
    }
}
