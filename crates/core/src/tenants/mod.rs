//! Tenants: the organisations whose users latchkey signs in, addressed by slug
//! under `/t/{slug}/`.

pub mod operator;
pub mod setup;
pub mod store;

use crate::Error;
use crate::effects::audit::{Actor, AuditKind};
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::ids::TenantId;
use crate::platform::lang::Language;
use crate::platform::random::{Random, new_id};
use crate::platform::time::{DAY, HOUR};
use crate::platform::validate::{self, Errors, FieldError, Said};
use crate::platform::zone::Zone;
use crate::store::TenantStore;

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

use crate::platform::text_enum;

text_enum!(
    /// Which onboarding a tenant went through: `v1` (legacy) or `v2` (the
    /// wizard). Self-recovery requires `v2`.
    Onboarding, "onboarding", { V1 => "v1", V2 => "v2" }
);

text_enum!(
    /// Whether users of the tenant use a second factor.
    SecondFactorPolicy, "second_factor", { Off => "off", Optional => "optional", Required => "required" }
);

text_enum!(
    /// How the people of a tenant sign in: with a password (passkeys and
    /// authenticator apps as second factors), with a password or a passkey
    /// alone, or with passkeys only (no passwords at all).
    SignInMethods, "signin_methods", {
        Password => "password",
        PasswordOrPasskey => "password_or_passkey",
        Passkey => "passkey"
    }
);

/// A new tenant's waiting period for self-recovery from an unknown device.
pub const DEFAULT_RECOVERY_WAITING_SECS: i64 = DAY;
/// How long a device counts as known after a sign-in from it, by default.
pub const DEFAULT_KNOWN_DEVICE_SECS: i64 = 90 * DAY;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: TenantSlug,
    pub display_name: String,
    pub onboarding: Onboarding,
    pub second_factor: SecondFactorPolicy,
    /// Account Self-Recovery; off until the operator activates it.
    pub self_recovery: bool,
    /// Whether users may sign in with a passkey alone (no password).
    pub passwordless: bool,
    /// Whether users may sign in with a password; off only together with
    /// `passwordless` on (a passkey-only tenant).
    pub password_signin: bool,
    /// How far the tenant's set-up wizard got (see [`setup`]).
    pub setup: setup::Setup,
    /// Self-recovery's waiting period on an unknown device (0 allowed).
    pub recovery_waiting_secs: i64,
    /// How long a device counts as known after a sign-in from it.
    pub recovery_known_device_secs: i64,
    /// Tenant admins go to the helpdesk path instead of recovering
    /// themselves (default: yes).
    pub recovery_excludes_admins: bool,
    /// What users who cannot recover themselves are told to do.
    pub helpdesk_text: Option<String>,
    /// Where they can get help (https URL).
    pub helpdesk_url: Option<String>,
    /// The language of mail to users who have not chosen one.
    pub default_language: Language,
    /// The organisation's time zone: mails show times on its clock, and
    /// pages do when the reader's browser reports no zone of its own.
    #[serde(serialize_with = "zone_name")]
    pub time_zone: Zone,
    pub created_at: UnixTime,
    /// Moves on with every settings change: a change written from an older
    /// read is refused, so it cannot undo one that came first.
    #[serde(skip)]
    pub version: i64,
}

impl Tenant {
    /// The time zone mails name (an IANA name); `None` for UTC.
    pub fn mail_time_zone(&self) -> Option<String> {
        (!self.time_zone.is_utc()).then(|| self.time_zone.name().to_owned())
    }

    /// How its people sign in, from its two switches.
    pub fn signin_methods(&self) -> SignInMethods {
        match (self.password_signin, self.passwordless) {
            (true, false) => SignInMethods::Password,
            (true, true) => SignInMethods::PasswordOrPasskey,
            (false, _) => SignInMethods::Passkey,
        }
    }

    /// No passwords: a passkey alone (already two factors) signs people in.
    pub fn passkey_only(&self) -> bool {
        !self.password_signin
    }
}

fn zone_name<S: serde::Serializer>(zone: &Zone, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(zone.name())
}

/// Raw changes to a tenant's settings, as typed into the CLI or a form;
/// `None` leaves a setting as it is, an empty text clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    /// The organisation's name as people see it.
    pub display_name: Option<String>,
    /// The language of mail to people who have not chosen one.
    pub default_language: Option<String>,
    /// The organisation's time zone by IANA name (`Europe/Zurich`); empty
    /// is UTC.
    pub time_zone: Option<String>,
    /// `password`, `password_or_passkey` or `passkey` (sets `passwordless`
    /// and password sign-in together).
    pub signin_methods: Option<String>,
    pub second_factor: Option<String>,
    /// `on` or `off`.
    pub passwordless: Option<String>,
    /// Self-recovery's waiting period on unknown devices, in hours (0–720).
    pub recovery_wait_hours: Option<String>,
    /// How long a device stays known, in days (0–365).
    pub known_device_days: Option<String>,
    pub helpdesk_text: Option<String>,
    pub helpdesk_url: Option<String>,
    /// Whether tenant admins may recover themselves: `on` or `off`.
    pub admins_may_recover: Option<String>,
}

pub const HELPDESK_TEXT_MAX: usize = 2000;
pub const HELPDESK_URL_MAX: usize = 500;

fn on_off(field: &str, value: &str) -> Result<bool, FieldError> {
    match value.trim() {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        other => Err(FieldError::new(
            field,
            format!("\"{other}\" is not one of: on, off"),
        )),
    }
}

fn display_name(value: &str) -> Result<String, FieldError> {
    validate::text("display_name", value, DISPLAY_NAME_MAX)
}

fn default_language(value: &str) -> Result<Language, FieldError> {
    Language::parse(value).map_err(|e| FieldError::new("default_language", e.message))
}

fn whole_number(field: &str, value: &str, max: i64, unit: &str) -> Result<i64, FieldError> {
    match value.trim().parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            field,
            format!(
                "\"{}\" must be a whole number of {unit} from 0 to {max}",
                value.trim()
            ),
        )),
    }
}

impl SettingsInput {
    /// The tenant with these changes, every problem reported at once.
    pub fn apply(&self, tenant: &Tenant) -> Result<Tenant, Error> {
        let mut errors = Errors::default();
        let mut t = tenant.clone();
        if let Some(v) = &self.display_name
            && let Some(name) = errors.take(display_name(v))
        {
            t.display_name = name;
        }
        if let Some(v) = &self.default_language
            && let Some(lang) = errors.take(default_language(v))
        {
            t.default_language = lang;
        }
        if let Some(v) = &self.time_zone
            && let Some(zone) = errors.take(Zone::parse("time_zone", v))
        {
            t.time_zone = zone;
        }
        if let Some(v) = &self.signin_methods
            && let Some(m) = errors.take(SignInMethods::parse(v))
        {
            t.password_signin = m != SignInMethods::Passkey;
            t.passwordless = m != SignInMethods::Password;
        }
        if let Some(v) = &self.second_factor
            && let Some(p) = errors.take(SecondFactorPolicy::parse(v))
        {
            t.second_factor = p;
        }
        if let Some(v) = &self.passwordless
            && let Some(p) = errors.take(on_off("passwordless", v))
        {
            t.passwordless = p;
        }
        if let Some(v) = &self.admins_may_recover
            && let Some(on) = errors.take(on_off("admins_may_recover", v))
        {
            t.recovery_excludes_admins = !on;
        }
        if let Some(v) = &self.recovery_wait_hours
            && let Some(h) = errors.take(whole_number("recovery_wait_hours", v, 720, "hours"))
        {
            t.recovery_waiting_secs = h * HOUR;
        }
        if let Some(v) = &self.known_device_days
            && let Some(d) = errors.take(whole_number("known_device_days", v, 365, "days"))
        {
            t.recovery_known_device_secs = d * DAY;
        }
        if let Some(v) = &self.helpdesk_text {
            t.helpdesk_text = if v.trim().is_empty() {
                None
            } else {
                errors.take(validate::text("helpdesk_text", v, HELPDESK_TEXT_MAX))
            };
        }
        if let Some(v) = &self.helpdesk_url {
            let v = v.trim();
            t.helpdesk_url = if v.is_empty() {
                None
            } else if v.len() <= HELPDESK_URL_MAX
                && v.starts_with("https://")
                && v.len() > "https://".len()
                && !v.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>'
                })
            {
                Some(v.to_owned())
            } else {
                errors.push(FieldError::new(
                    "helpdesk_url",
                    format!("must be an https:// address of at most {HELPDESK_URL_MAX} characters, e.g. https://help.example.com/account"),
                ));
                None
            };
        }
        if !t.password_signin && !t.passwordless {
            // passwords off and passkeys alone off: nobody could sign in
            errors.push(FieldError::said("passwordless", Said::NoWayToSignIn));
        }
        errors.into_result()?;
        Ok(t)
    }
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
    pub fn parse(&self, id: TenantId, now: UnixTime) -> Result<Tenant, Error> {
        let mut errors = Errors::default();
        let slug = errors.take(TenantSlug::parse(&self.slug));
        let display_name = errors.take(display_name(&self.display_name));
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
                .map_or(Ok(Language::En), default_language),
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
                password_signin: true,
                setup: setup::Setup::new(onboarding),
                recovery_waiting_secs: DEFAULT_RECOVERY_WAITING_SECS,
                recovery_known_device_secs: DEFAULT_KNOWN_DEVICE_SECS,
                recovery_excludes_admins: true,
                helpdesk_text: None,
                helpdesk_url: None,
                default_language,
                time_zone: Zone::utc(),
                created_at: now,
                version: 0,
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

/// Creates a tenant for `actor` (the operator) and records it in the
/// audit trail.
pub async fn create_audited<S: TenantStore + crate::store::EffectStore>(
    store: &S,
    clock: &dyn Clock,
    random: &dyn Random,
    input: &TenantInput,
    actor: &Actor,
    meta: &crate::effects::audit::RequestMeta,
) -> Result<Tenant, Error> {
    let tenant = create(store, clock, random, input).await?;
    let mut event = crate::effects::audit::audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        AuditKind::TenantCreated,
        meta,
    );
    event.detail = serde_json::json!({ "slug": tenant.slug }).to_string();
    store
        .apply(&crate::store::Effects::audit(event), clock.now())
        .await?;
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

/// Changes a tenant's settings (operator or tenant admin), audited.
pub async fn update_settings<S: TenantStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    input: &SettingsInput,
    actor: &Actor,
) -> Result<Tenant, Error> {
    let updated = input.apply(tenant)?;
    let effects = crate::store::Effects::audit(crate::effects::audit::audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor.clone(),
        AuditKind::TenantSettingsChanged,
        &crate::effects::audit::RequestMeta::default(),
    ));
    write(store, clock, &updated, &effects).await
}

/// Writes `tenant` (read at its `version`) with `effects`; the tenant as
/// stored after it.
pub(crate) async fn write<S: TenantStore>(
    store: &S,
    clock: &dyn Clock,
    tenant: &Tenant,
    effects: &crate::store::Effects<'_>,
) -> Result<Tenant, Error> {
    if !store
        .update_tenant(tenant, &[], effects, clock.now())
        .await?
    {
        return Err(changed_meanwhile());
    }
    Ok(Tenant {
        version: tenant.version + 1,
        ..tenant.clone()
    })
}

/// A settings change written from an older read of the tenant.
pub(crate) fn changed_meanwhile() -> Error {
    Error::Conflict(crate::platform::validate::FieldError::said(
        "tenant",
        crate::platform::validate::Said::SettingsChangedMeanwhile,
    ))
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
    fn settings_are_validated_all_at_once() {
        let tenant = TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("id".into(), UnixTime(0))
        .unwrap();
        let changed = SettingsInput {
            passwordless: Some("on".into()),
            recovery_wait_hours: Some("0".into()),
            known_device_days: Some(" 30 ".into()),
            helpdesk_text: Some("Call 555-0100.".into()),
            helpdesk_url: Some("https://help.example.com/".into()),
            ..Default::default()
        }
        .apply(&tenant)
        .unwrap();
        assert!(changed.passwordless);
        assert_eq!(changed.recovery_waiting_secs, 0);
        assert_eq!(changed.recovery_known_device_secs, 30 * DAY);
        assert_eq!(changed.helpdesk_text.as_deref(), Some("Call 555-0100."));
        let cleared = SettingsInput {
            helpdesk_url: Some("".into()),
            ..Default::default()
        }
        .apply(&changed)
        .unwrap();
        assert_eq!(cleared.helpdesk_url, None);
        let Error::Invalid(errors) = SettingsInput {
            passwordless: Some("maybe".into()),
            recovery_wait_hours: Some("-1".into()),
            known_device_days: Some("999".into()),
            helpdesk_url: Some("javascript:alert(1)".into()),
            second_factor: Some("always".into()),
            ..Default::default()
        }
        .apply(&tenant)
        .unwrap_err() else {
            panic!("expected Invalid")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "second_factor",
                "passwordless",
                "recovery_wait_hours",
                "known_device_days",
                "helpdesk_url"
            ]
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
