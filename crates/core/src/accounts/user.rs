//! Users: each belongs to one tenant and is unique there by username and by
//! email address, compared case-insensitively after Unicode normalisation.

use crate::Error;
use crate::accounts::email;
use crate::accounts::held::Held;
use crate::accounts::password::{Password, PasswordWorker};
use crate::accounts::password_blocklist::PasswordContext;
use crate::effects::audit::{Actor, AuditKind};
use crate::effects::audit::{RequestMeta, audit_event};
use crate::env::Env;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{TenantId, UserId};
use crate::platform::lang::Language;
use crate::platform::random::{Random, bytes, new_id};
use crate::platform::secret::b64url;
use crate::platform::text_enum;
use crate::platform::validate::{self, Errors, FieldError, Said, fold_key, nfkc_trim};
use crate::store::{Effects, StoreError, UserStore};
use crate::tenants::Tenant;

/// 1..=64 letters, digits, `.`, `_` or `-`; never an `@`, so a sign-in name
/// with an `@` is always an email address. The letters keep to one script
/// (see [`validate::one_script`]), so "аlice" with a Cyrillic "а" cannot sit
/// beside "alice". Only new names are checked: a stored name signs in by
/// its key whatever rules it was made under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username {
    pub display: String,
    pub key: String,
}

impl Username {
    pub const FIELD: &'static str = "username";
    pub const MAX: usize = 64;

    pub fn parse(value: &str) -> Result<Username, FieldError> {
        let display = nfkc_trim(value);
        let len = display.chars().count();
        if len == 0 {
            return Err(FieldError::said(Self::FIELD, Said::Required));
        }
        if len > Self::MAX {
            return Err(FieldError::said(
                Self::FIELD,
                Said::TooLong {
                    len,
                    max: Self::MAX,
                },
            ));
        }
        if !display
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(FieldError::said(Self::FIELD, Said::UsernameCharacters));
        }
        validate::one_script(Self::FIELD, &display)?;
        let key = fold_key(&display);
        Ok(Username { display, key })
    }
}

/// An email address: `local@domain`, at most 254 characters, the domain with at
/// least one dot, and one the mail sender takes: it is parsed with lettre's
/// `Address`, the type that sends. No quoted local parts (`"a b"@x.com`),
/// and the local part's letters keep to one script, as usernames do. Unique
/// per tenant by its case-folded form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub address: String,
    pub key: String,
}

impl Email {
    pub const FIELD: &'static str = "email";

    pub fn parse(value: &str) -> Result<Email, FieldError> {
        let address = nfkc_trim(value);
        let err = |said: Said| Err(FieldError::said(Self::FIELD, said));
        if address.is_empty() {
            return err(Said::Required);
        }
        if address.chars().count() > 254 {
            return err(Said::EmailTooLong);
        }
        if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return err(Said::EmailSpaces);
        }
        let Some((local, domain)) = address.split_once('@') else {
            return err(Said::EmailShape);
        };
        if local.is_empty() || local.chars().count() > 64 || domain.contains('@') {
            return err(Said::EmailLocalPart);
        }
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
        if !labels_ok || !domain.contains('.') {
            return err(Said::EmailDomain);
        }
        // Quotes and backslashes only ever stand in quoted local parts,
        // which lettre would take but nobody needs.
        if local.contains(['"', '\\']) {
            return err(Said::EmailLocalCharacters);
        }
        match address.parse::<lettre::Address>() {
            Ok(_) => {}
            Err(lettre::address::AddressError::InvalidDomain) => return err(Said::EmailDomain),
            Err(_) => return err(Said::EmailLocalCharacters),
        }
        validate::one_script(Self::FIELD, local)?;
        let key = fold_key(&address);
        Ok(Email { address, key })
    }
}

/// What a person typed into "username or email", reduced to a lookup key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginKey {
    Username(String),
    Email(String),
}

impl LoginKey {
    /// `None` for input that can name no account (empty, overlong).
    pub fn from_input(value: &str) -> Option<LoginKey> {
        // Bound the work of normalising before doing it; no name holds a
        // control character (PostgreSQL refuses NUL in text outright).
        if value.len() > 1024 || value.chars().any(char::is_control) {
            return None;
        }
        let key = fold_key(value);
        if key.is_empty() || key.chars().count() > 254 {
            return None;
        }
        Some(if key.contains('@') {
            LoginKey::Email(key)
        } else {
            LoginKey::Username(key)
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            LoginKey::Username(k) | LoginKey::Email(k) => k,
        }
    }
}

text_enum!(
    /// A disabled user cannot sign in; their sessions are revoked.
    UserStatus, "status", { Active => "active", Disabled => "disabled" }
);

impl UserStatus {
    /// What moving to this status ends: disabling signs every browser out.
    pub fn ends(self) -> &'static [Held] {
        match self {
            UserStatus::Active => &[],
            UserStatus::Disabled => &[Held::Sessions],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: UserId,
    pub tenant_id: TenantId,
    pub username: String,
    #[serde(skip)]
    pub username_key: String,
    pub email: String,
    #[serde(skip)]
    pub email_key: String,
    pub display_name: String,
    pub status: UserStatus,
    pub email_verified: bool,
    /// The language of mail to this user; `None` uses the tenant's default.
    pub language: Option<Language>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    /// Changes whenever everything issued before must stop working.
    #[serde(skip)]
    pub security_stamp: String,
    pub role: Role,
    /// When the password was last set from a forgot-password link.
    #[serde(skip)]
    pub password_reset_at: Option<UnixTime>,
    /// When the address last changed to one its owner confirmed (see
    /// `accounts::email_change`); a fresh address is not yet a recovery
    /// proof (`recovery::case::proof_counts`).
    #[serde(skip)]
    pub email_changed_at: Option<UnixTime>,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

crate::platform::text_enum!(
    /// What a user may do in their tenant: `member` or `admin` (a tenant
    /// administrator).
    Role, "role", { Member => "member", Admin => "admin" }
);

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }

    /// The display name as the list of people searches it: folded like a
    /// username ([`fold_key`]), so "ALICE" finds "Alice".
    pub fn display_name_key(&self) -> String {
        fold_key(&self.display_name)
    }
}

pub fn new_security_stamp(random: &dyn Random) -> String {
    b64url(&bytes::<16>(random))
}

/// An administrator does not change their own role or state: demoting or
/// disabling oneself could leave the organisation without anyone who can
/// undo it. (Another administrator, or the operator, can.)
fn not_yourself(actor: &Actor, user: &User, field: &str) -> Result<(), Error> {
    match actor {
        Actor::Admin(id) if *id == user.id => Err(Error::Invalid(vec![FieldError::said(
            field,
            Said::NotYourself,
        )])),
        _ => Ok(()),
    }
}

/// An administrator (or the operator) signs `user` out of every browser
/// and every application (ASVS 7.4.5): their sessions end and their tokens
/// stop working, in one transaction with the audit event. Their own
/// browsers they sign out on "Where you are signed in".
pub async fn sign_out<S: crate::store::EffectStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn crate::platform::clock::Clock,
    tenant: &Tenant,
    user: &User,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<(), Error> {
    not_yourself(actor, user, "person")?;
    if user.tenant_id != tenant.id {
        return Err(Error::NotFound("user"));
    }
    let mut effects = Effects::audit(audit_event(
        random,
        clock,
        &tenant.id,
        Some(&user.id),
        actor.clone(),
        AuditKind::UserSignedOut,
        meta,
    ));
    effects.sign_out = Some(crate::accounts::session::sign_out_everyone(
        random, &user.id,
    ));
    store.apply(&effects, clock.now()).await?;
    Ok(())
}

/// Makes `user` a `member` or an `admin` of their tenant (audited).
pub async fn set_role<S: UserStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn crate::platform::clock::Clock,
    tenant: &Tenant,
    user: &User,
    role: &str,
    actor: &Actor,
) -> Result<Role, Error> {
    let role = Role::parse(role).map_err(|e| Error::Invalid(vec![e]))?;
    not_yourself(actor, user, "role")?;
    let mut event = audit_event(
        random,
        clock,
        &tenant.id,
        Some(&user.id),
        actor.clone(),
        AuditKind::UserRoleChanged,
        &RequestMeta::default(),
    );
    event.detail = serde_json::json!({ "role": role.as_str() }).to_string();
    if !store
        .set_user_role(
            &tenant.id,
            &user.id,
            role,
            &Effects::audit(event),
            clock.now(),
        )
        .await?
    {
        return Err(Error::NotFound("user"));
    }
    Ok(role)
}

/// Disables an account (it signs in no more, its sessions end, its tokens
/// stop standing for it) or enables it again — audited with who did it.
pub async fn set_status<S: UserStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn crate::platform::clock::Clock,
    tenant: &Tenant,
    user: &User,
    status: UserStatus,
    actor: &Actor,
) -> Result<(), Error> {
    not_yourself(actor, user, "status")?;
    let event = audit_event(
        random,
        clock,
        &tenant.id,
        Some(&user.id),
        actor.clone(),
        match status {
            UserStatus::Active => AuditKind::UserEnabled,
            UserStatus::Disabled => AuditKind::UserDisabled,
        },
        &RequestMeta::default(),
    );
    if !store
        .set_user_status(
            &tenant.id,
            &user.id,
            status,
            &Effects::audit(event),
            clock.now(),
        )
        .await?
    {
        return Err(Error::NotFound("user"));
    }
    Ok(())
}

/// Raw input for a new user.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub username: String,
    pub email: String,
    /// Defaults to the username.
    pub display_name: Option<String>,
    pub password: Option<String>,
    pub email_verified: bool,
    /// `en`, `de`, `fr` or `it`; defaults to the tenant's language.
    pub language: Option<String>,
    /// `member` (default) or `admin`.
    pub role: Option<String>,
}

pub const DISPLAY_NAME_MAX: usize = 100;

/// Creates a user in `tenant`; reports every invalid field at once and a taken
/// username or address as a conflict on that field.
///
/// A user whose address is not marked verified gets a verification link by
/// mail, queued in the same transaction that creates the user.
pub async fn create<S: UserStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    input: UserInput,
    actor: Actor,
    meta: &RequestMeta,
) -> Result<User, Error> {
    let user = prepare(env, tenant, input).await?;
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        actor,
        AuditKind::UserCreated,
        meta,
    ));
    if !user.email_verified {
        let (verification, mail) = email::new_verification(env, tenant, &user);
        effects.email_verifications.push(verification);
        effects.mail.push(mail);
    }
    env.store
        .insert_user(&user, &effects, env.clock.now())
        .await
        .map_err(taken)?;
    Ok(user)
}

/// A new account from `input`, checked the way every new account is (every
/// invalid field at once) and with its password hashed; not yet stored.
pub async fn prepare<S, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    input: UserInput,
) -> Result<User, Error> {
    let random = env.random;
    let mut errors = Errors::default();
    let username = errors.take(Username::parse(&input.username));
    let email = errors.take(Email::parse(&input.email));
    let display_name = match &input.display_name {
        Some(name) => errors.take(validate::text("display_name", name, DISPLAY_NAME_MAX)),
        None => username.as_ref().map(|u| u.display.clone()),
    };
    let password = match &input.password {
        Some(pw) => {
            let context = PasswordContext::of(tenant, &input.username, &input.email);
            errors
                .take(Password::new_checked("password", pw, &context))
                .map(Some)
        }
        None => Some(None),
    };
    let language = match &input.language {
        Some(l) => errors.take(Language::parse(l)).map(Some),
        None => Some(None),
    };
    let role = errors.take(input.role.as_deref().map_or(Ok(Role::Member), Role::parse));
    errors.into_result()?;
    let (
        Some(username),
        Some(email),
        Some(display_name),
        Some(password),
        Some(language),
        Some(role),
    ) = (username, email, display_name, password, language, role)
    else {
        return Err(Error::invalid("user", "is invalid"));
    };
    let password_hash = match password {
        Some(pw) => Some(env.worker.hash(pw).await?),
        None => None,
    };
    let now = env.clock.now();
    Ok(User {
        id: new_id(random),
        tenant_id: tenant.id.clone(),
        username: username.display,
        username_key: username.key,
        email: email.address,
        email_key: email.key,
        display_name,
        status: UserStatus::Active,
        email_verified: input.email_verified,
        language,
        password_hash,
        security_stamp: new_security_stamp(random),
        role,
        password_reset_at: None,
        email_changed_at: None,
        created_at: now,
        updated_at: now,
    })
}

/// A taken username or address, as the error a person can act on; every
/// other store error stays what it is.
pub fn taken(err: StoreError) -> Error {
    match &err {
        StoreError::Unique(c) if c.contains("email") => {
            Error::Conflict(FieldError::said(Email::FIELD, Said::EmailTaken))
        }
        StoreError::Unique(_) => {
            Error::Conflict(FieldError::said(Username::FIELD, Said::UsernameTaken))
        }
        _ => Error::Store(err),
    }
}

/// Finds a user of `tenant` by username or email as typed.
pub async fn by_login<S: UserStore>(
    store: &S,
    tenant: &Tenant,
    login: &str,
) -> Result<User, Error> {
    let Some(key) = LoginKey::from_input(login) else {
        return Err(Error::NotFound("user"));
    };
    store
        .user_by_login(&tenant.id, &key)
        .await?
        .ok_or(Error::NotFound("user"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        let u = Username::parse("  Ｊöhn.Doe_1 ").unwrap();
        assert_eq!(u.display, "Jöhn.Doe_1");
        assert_eq!(u.key, "jöhn.doe_1");
        for bad in ["", "a b", "a@b", "ta\tb", &"x".repeat(65)] {
            assert_eq!(
                Username::parse(bad).unwrap_err().field,
                "username",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn emails() {
        let e = Email::parse(" Alice@Example.COM ").unwrap();
        assert_eq!(e.address, "Alice@Example.COM");
        assert_eq!(e.key, "alice@example.com");
        assert!(Email::parse("bücher@bücher.de").is_ok());
        for bad in [
            "",
            "alice",
            "@example.com",
            "a@b",
            "a@@b.com",
            "a b@c.de",
            "a@-x.com",
            "a@x..com",
        ] {
            assert_eq!(Email::parse(bad).unwrap_err().field, "email", "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@x.com", "a".repeat(65))).is_err());
    }

    /// Every address Email takes, lettre's Address (the sender's type) takes;
    /// what it refuses is said in words.
    #[test]
    fn emails_are_what_the_sender_takes() {
        for good in [
            "carol+news@example.com",
            "o'brien@example.ie",
            "a!#$%&'*+-/=?^_`{|}~z@example.com",
            "dörte@bücher.de",
            "иван@пример.рф",
            "иван@example.com",
        ] {
            let e = Email::parse(good).unwrap_or_else(|e| panic!("{good}: {e}"));
            assert!(e.address.parse::<lettre::Address>().is_ok(), "{good}");
        }
        for bad in [
            "x\"><svg/onload=alert(1)>@example.com",
            "\"john\"@example.com",
            "a\\b@example.com",
            "a(comment)b@example.com",
            "a,b@example.com",
            "a<b@example.com",
            ".alice@example.com",
            "alice.@example.com",
            "al..ice@example.com",
        ] {
            let e = Email::parse(bad).unwrap_err();
            assert_eq!(e.said, Some(Said::EmailLocalCharacters), "{bad}");
            assert!(e.message.contains("before the '@'"), "{}", e.message);
        }
        assert_eq!(
            Email::parse("\u{430}lice@example.com").unwrap_err().said,
            Some(Said::MixesScripts)
        );
    }

    #[test]
    fn look_alike_usernames_are_refused() {
        assert_eq!(
            Username::parse("\u{430}lice").unwrap_err().said,
            Some(Said::MixesScripts)
        );
        assert!(Username::parse("иван").is_ok());
        assert!(Username::parse("tanaka.田中").is_ok());
    }

    #[test]
    fn login_keys() {
        assert_eq!(
            LoginKey::from_input(" ALICE "),
            Some(LoginKey::Username("alice".into()))
        );
        assert_eq!(
            LoginKey::from_input("Alice@Example.com"),
            Some(LoginKey::Email("alice@example.com".into()))
        );
        assert_eq!(LoginKey::from_input("   "), None);
        assert_eq!(LoginKey::from_input(&"a".repeat(1025)), None);
    }
}
