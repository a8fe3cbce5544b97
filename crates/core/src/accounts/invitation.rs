//! Invitations by mail. Two purposes share one link, one page and these
//! rules ([`Purpose`]): the operator invites a tenant's first
//! administrator (the account is made when the link is used), and a
//! tenant's administrator invites a person whose account is made at once,
//! without a password (the link lets them choose it).
//!
//! Inviting a tenant's first administrator: the operator names an address;
//! a single-use link goes there by mail (through the outbox, in the
//! tenant's language), valid for [`LIFETIME_SECS`]. Like password-reset
//! and verification links, the token carries 256 random bits and only its
//! SHA-256 is stored. Opening the link lets the invited person choose a
//! username and password (checked like any new account); the account is
//! created as an administrator with the invited address verified (the
//! click proved the mailbox), in the same transaction that spends the
//! invitation. A newer invitation to the same address replaces an unused
//! older one.

use crate::Error;
use crate::accounts::password::{Password, PasswordWorker};
use crate::accounts::password_blocklist::PasswordContext;
use crate::accounts::session::{AuthMethod, Session, SessionPolicy};
use crate::accounts::user::{self, Email, LoginKey, Role, User, UserInput, UserStatus};
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::effects::mail::{Link, MailMessage, OutboxMail, Page};
use crate::env::Env;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{InvitationId, TenantId, UserId};
use crate::platform::random::new_id;
use crate::platform::secret::SecretToken;
use crate::platform::time::DAY;
use crate::platform::validate::FieldError;
use crate::store::{Effects, InvitationStore, SessionStore, UserStore};
use crate::tenants::Tenant;

/// How long an invitation's link works.
pub const LIFETIME_SECS: i64 = 7 * DAY;

/// What an invitation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// A tenant's administrator: the account is made on acceptance.
    Admin,
    /// A person whose account (without a password) was made with the
    /// invitation: accepting sets its password.
    Person,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Admin => "admin",
            Purpose::Person => "person",
        }
    }

    pub fn parse(word: &str) -> Option<Purpose> {
        match word {
            "admin" => Some(Purpose::Admin),
            "person" => Some(Purpose::Person),
            _ => None,
        }
    }
}

/// The least time between two links to the same person ("Send again").
pub const RESEND_GAP_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub purpose: Purpose,
    pub tenant_id: TenantId,
    /// The invited address, as typed (normalised).
    pub email: String,
    #[serde(skip)]
    pub email_key: String,
    #[serde(skip)]
    pub token_hash: String,
    /// Who invited (the operator, at the CLI, the API or the console).
    pub invited_by: Actor,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    pub used_at: Option<UnixTime>,
    /// The account made from it once used ([`Purpose::Admin`]), or the
    /// invited person's account from the start ([`Purpose::Person`]).
    pub user_id: Option<UserId>,
}

/// A new invitation and the token of its link (the token exists only here
/// and in the mail; the operator may print it where no mail goes out).
pub struct Invited {
    pub invitation: Invitation,
    pub token: SecretToken,
}

impl Invited {
    /// The page the link opens.
    pub fn page(&self, tenant: &Tenant) -> Page {
        Page::AcceptInvitation {
            tenant: tenant.slug.to_string(),
            token: self.token.expose().to_owned(),
        }
    }
}

/// Invites `email` to become an administrator of `tenant`: the invitation
/// and its mail are written in one transaction, audited. An address that
/// already belongs to a user of the tenant is refused (make that user an
/// administrator instead).
pub async fn invite<S: InvitationStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    email: &str,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<Invited, Error> {
    let email = Email::parse(email).map_err(|e| Error::Invalid(vec![e]))?;
    if env
        .store
        .user_by_login(&tenant.id, &LoginKey::Email(email.key.clone()))
        .await?
        .is_some()
    {
        return Err(Error::Conflict(FieldError::new(
            Email::FIELD,
            format!(
                "belongs to a user of {} already; give that user the admin role instead (latchkey user set-role)",
                tenant.slug
            ),
        )));
    }
    let now = env.clock.now();
    let token = SecretToken::generate(env.random);
    let invitation = Invitation {
        id: new_id(env.random),
        purpose: Purpose::Admin,
        tenant_id: tenant.id.clone(),
        email: email.address.clone(),
        email_key: email.key,
        token_hash: token.hash(),
        invited_by: actor.clone(),
        created_at: now,
        expires_at: now.plus(LIFETIME_SECS),
        used_at: None,
        user_id: None,
    };
    let invited = Invited { invitation, token };
    let mut event = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        None,
        actor.clone(),
        AuditKind::TenantAdminInvited,
        meta,
    );
    event.detail = serde_json::json!({
        "invitation": invited.invitation.id,
        "email": invited.invitation.email,
    })
    .to_string();
    let mut effects = Effects::audit(event);
    effects.mail.push(OutboxMail {
        id: new_id(env.random),
        tenant_id: Some(tenant.id.clone()),
        recipient: email.address,
        language: tenant.default_language,
        message: MailMessage::AdminInvitation {
            tenant_name: tenant.display_name.clone(),
            link: Link::Page(invited.page(tenant)),
            expires_days: LIFETIME_SECS / DAY,
        },
        created_at: now,
    });
    env.store
        .insert_invitation(&invited.invitation, &effects, now)
        .await?;
    Ok(invited)
}

/// The invitation behind a link, if it can still be used. Every way it
/// cannot (unknown, used, expired, another tenant's) is the same
/// [`Error::InvalidLink`].
pub async fn check<S: InvitationStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    token: &str,
) -> Result<Invitation, Error> {
    let token = SecretToken::from_presented(token).ok_or(Error::InvalidLink)?;
    env.store
        .invitation_by_hash(&token.hash())
        .await?
        .filter(|i| usable(i, tenant, env.clock.now()))
        .ok_or(Error::InvalidLink)
}

/// Whether an invitation may still be accepted in `tenant` at `now`.
pub fn usable(invitation: &Invitation, tenant: &Tenant, now: UnixTime) -> bool {
    invitation.tenant_id == tenant.id && invitation.used_at.is_none() && now < invitation.expires_at
}

/// An audit event about `user` with `detail`.
fn about<S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &UserId,
    actor: &Actor,
    kind: AuditKind,
    meta: &RequestMeta,
    detail: serde_json::Value,
) -> crate::effects::audit::AuditEvent {
    let mut event = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(user),
        actor.clone(),
        kind,
        meta,
    );
    event.detail = detail.to_string();
    event
}

/// What the invited person chooses.
#[derive(Debug, Clone, Default)]
pub struct Acceptance {
    pub username: String,
    pub display_name: Option<String>,
    pub password: String,
}

/// An accepted invitation: the new administrator, signed in.
pub struct Accepted {
    pub user: User,
    pub token: SecretToken,
    pub session: Session,
}

/// Accepts an invitation: the administrator's account (the invited address,
/// verified), the invitation spent — both at once or neither — and a
/// session for the browser that accepted.
pub async fn accept<S: InvitationStore + UserStore + SessionStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    token: &str,
    choice: Acceptance,
    policy: &SessionPolicy,
    meta: &RequestMeta,
) -> Result<Accepted, Error> {
    let invitation = check(env, tenant, token).await?;
    if invitation.purpose == Purpose::Person {
        return accept_person(env, tenant, &invitation, &choice.password, policy, meta).await;
    }
    let input = UserInput {
        username: choice.username,
        email: invitation.email.clone(),
        display_name: choice.display_name.filter(|n| !n.trim().is_empty()),
        password: Some(choice.password),
        email_verified: true,
        language: None,
        role: Some(Role::Admin.as_str().to_owned()),
    };
    let user = user::prepare(env, tenant, input).await?;
    let now = env.clock.now();
    let me = Actor::User(user.id.clone());
    let detail = serde_json::json!({ "invitation": invitation.id });
    let created = about(
        env,
        tenant,
        &user.id,
        &me,
        AuditKind::UserCreated,
        meta,
        detail,
    );
    let mut effects = Effects::audit(created);
    effects.audit.push(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        me.clone(),
        AuditKind::TenantAdminInvitationAccepted,
        meta,
    ));
    if !env
        .store
        .accept_invitation(&invitation, &user, &effects, now)
        .await
        .map_err(user::taken)?
    {
        return Err(Error::InvalidLink);
    }
    sign_in(env, tenant, user, policy, meta).await
}

/// The session of the browser that accepted an invitation.
async fn sign_in<S: SessionStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: User,
    policy: &SessionPolicy,
    meta: &RequestMeta,
) -> Result<Accepted, Error> {
    let now = env.clock.now();
    let token = SecretToken::generate(env.random);
    let session = Session::new(&token, &user, vec![AuthMethod::Password], now, policy, meta);
    let signed_in = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::SigninSucceeded,
        meta,
    ));
    env.store.start_session(&session, &signed_in, now).await?;
    Ok(Accepted {
        user,
        token,
        session,
    })
}

/// Accepts a person's invitation: their password (checked like any new
/// one), the address verified and the invitation spent, at once.
async fn accept_person<S: InvitationStore + UserStore + SessionStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    invitation: &Invitation,
    password: &str,
    policy: &SessionPolicy,
    meta: &RequestMeta,
) -> Result<Accepted, Error> {
    let Some(user_id) = invitation.user_id.as_ref() else {
        return Err(Error::InvalidLink);
    };
    let Some(mut user) = env.store.user_by_id(&tenant.id, user_id).await? else {
        return Err(Error::InvalidLink);
    };
    if user.status != UserStatus::Active || user.password_hash.is_some() {
        return Err(Error::InvalidLink);
    }
    let context = PasswordContext::of(tenant, &user.username, &user.email);
    let password = Password::new_checked("password", password, &context)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let hash = env.worker.hash(password).await?;
    let now = env.clock.now();
    user.password_hash = Some(hash);
    user.email_verified = true;
    user.security_stamp = user::new_security_stamp(env.random);
    user.updated_at = now;
    let accepted = about(
        env,
        tenant,
        &user.id,
        &Actor::User(user.id.clone()),
        AuditKind::UserInvitationAccepted,
        meta,
        serde_json::json!({ "invitation": invitation.id }),
    );
    if !env
        .store
        .accept_person_invitation(invitation, &user, &Effects::audit(accepted), now)
        .await?
    {
        return Err(Error::InvalidLink);
    }
    sign_in(env, tenant, user, policy, meta).await
}

/// Who an administrator invites: a new account like any other, without a
/// password.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub username: String,
    pub email: String,
    /// Defaults to the username.
    pub display_name: Option<String>,
    /// `member` (default) or `admin`.
    pub role: Option<String>,
}

/// Creates `input`'s account (no password, the address not yet verified)
/// and invites them by mail, in the tenant's language: the account, the
/// invitation, its mail and the audit events in one transaction. A taken
/// username or address is the same conflict as for any new account.
pub async fn invite_person<S: InvitationStore + UserStore, W: PasswordWorker>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    input: PersonInput,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<(User, Invited), Error> {
    let user = user::prepare(
        env,
        tenant,
        UserInput {
            username: input.username,
            email: input.email,
            display_name: input.display_name.filter(|n| !n.trim().is_empty()),
            password: None,
            email_verified: false,
            language: None,
            role: input.role,
        },
    )
    .await?;
    let detail = serde_json::json!({ "invited": true });
    let created = about(
        env,
        tenant,
        &user.id,
        actor,
        AuditKind::UserCreated,
        meta,
        detail,
    );
    let invited = person_invitation(env, tenant, &user, actor, meta, Effects::audit(created));
    env.store
        .insert_person_invitation(&user, &invited.0.invitation, &invited.1, env.clock.now())
        .await
        .map_err(user::taken)?;
    Ok((user, invited.0))
}

/// A new link for `user`'s invitation and what goes with it: the audit
/// event `user.invited` and the mail, added to `effects`.
fn person_invitation<'a, S, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &Actor,
    meta: &RequestMeta,
    mut effects: Effects<'a>,
) -> (Invited, Effects<'a>) {
    let now = env.clock.now();
    let token = SecretToken::generate(env.random);
    let invitation = Invitation {
        id: new_id(env.random),
        purpose: Purpose::Person,
        tenant_id: tenant.id.clone(),
        email: user.email.clone(),
        email_key: user.email_key.clone(),
        token_hash: token.hash(),
        invited_by: actor.clone(),
        created_at: now,
        expires_at: now.plus(LIFETIME_SECS),
        used_at: None,
        user_id: Some(user.id.clone()),
    };
    let invited = Invited { invitation, token };
    let detail = serde_json::json!({
        "invitation": invited.invitation.id,
        "expires_at": invited.invitation.expires_at.0,
    });
    effects.audit.push(about(
        env,
        tenant,
        &user.id,
        actor,
        AuditKind::UserInvited,
        meta,
        detail,
    ));
    effects.mail.push(OutboxMail {
        id: new_id(env.random),
        tenant_id: Some(tenant.id.clone()),
        recipient: user.email.clone(),
        language: tenant.default_language,
        message: MailMessage::PersonInvitation {
            tenant_name: tenant.display_name.clone(),
            display_name: user.display_name.clone(),
            username: user.username.clone(),
            link: Link::Page(invited.page(tenant)),
            expires_days: LIFETIME_SECS / DAY,
        },
        created_at: now,
    });
    (invited, effects)
}

/// `user`'s open invitation (not used, not withdrawn; perhaps expired).
pub async fn pending<S: InvitationStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
) -> Result<Option<Invitation>, Error> {
    Ok(env
        .store
        .open_invitation_of(&tenant.id, &user.id)
        .await?
        .filter(|i| i.purpose == Purpose::Person && i.used_at.is_none()))
}

/// "Send again": a new link for `user`'s open invitation; the old link
/// stops working. At most one link per [`RESEND_GAP_SECS`], enforced by
/// the store in the same statement that retires the old one.
pub async fn send_again<S: InvitationStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<Invited, Error> {
    let old = pending(env, tenant, user)
        .await?
        .ok_or(Error::NotFound("invitation"))?;
    let now = env.clock.now();
    let (invited, effects) = person_invitation(env, tenant, user, actor, meta, Effects::default());
    let not_after = UnixTime(now.0 - RESEND_GAP_SECS);
    if !env
        .store
        .replace_invitation(&old, &invited.invitation, not_after, &effects, now)
        .await?
    {
        return Err(Error::RateLimited {
            retry_after_secs: (old.created_at.0 + RESEND_GAP_SECS - now.0).max(1),
        });
    }
    Ok(invited)
}

/// "Withdraw": `user`'s open invitation ends; its link stops working. The
/// account stays (without a password) until an administrator removes it
/// or invites again.
pub async fn withdraw<S: InvitationStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let Some(open) = pending(env, tenant, user).await? else {
        return Err(Error::NotFound("invitation"));
    };
    let detail = serde_json::json!({ "invitation": open.id });
    let event = about(
        env,
        tenant,
        &user.id,
        actor,
        AuditKind::UserInvitationWithdrawn,
        meta,
        detail,
    );
    if !env
        .store
        .withdraw_invitation(&open, &Effects::audit(event), env.clock.now())
        .await?
    {
        return Err(Error::NotFound("invitation"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_usable_once_in_their_tenant_for_seven_days() {
        let tenant = crate::tenants::TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t1".into(), UnixTime(0))
        .unwrap();
        let mut invitation = Invitation {
            id: "i1".into(),
            purpose: Purpose::Admin,
            tenant_id: "t1".into(),
            email: "a@example.com".into(),
            email_key: "a@example.com".into(),
            token_hash: "h".into(),
            invited_by: Actor::OperatorCli,
            created_at: UnixTime(0),
            expires_at: UnixTime(LIFETIME_SECS),
            used_at: None,
            user_id: None,
        };
        assert!(usable(&invitation, &tenant, UnixTime(LIFETIME_SECS - 1)));
        assert!(!usable(&invitation, &tenant, UnixTime(LIFETIME_SECS)));
        let other = crate::tenants::Tenant {
            id: "t2".into(),
            ..tenant.clone()
        };
        assert!(!usable(&invitation, &other, UnixTime(1)));
        invitation.used_at = Some(UnixTime(1));
        assert!(!usable(&invitation, &tenant, UnixTime(2)));
    }

    #[test]
    fn purposes_read_back_and_unknown_words_are_refused() {
        for p in [Purpose::Admin, Purpose::Person] {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(Purpose::parse("Admin"), None);
        assert_eq!(Purpose::parse(""), None);
    }

    mod person {
        use super::super::*;
        use crate::accounts::session::SessionPolicy;
        use crate::testing::Fixture;

        const T0: UnixTime = UnixTime(1_800_000_000);
        const PASSWORD: &str = "correct horse battery staple";

        fn world() -> (Fixture, Tenant) {
            let f = Fixture::new(T0);
            let tenant = crate::tenants::TenantInput {
                slug: "acme".into(),
                display_name: "Acme".into(),
                ..Default::default()
            }
            .parse("t1".into(), T0)
            .unwrap();
            f.store.add_tenant(tenant.clone());
            (f, tenant)
        }

        fn zoe() -> PersonInput {
            PersonInput {
                username: "zoe".into(),
                email: "Zoe@Example.com".into(),
                display_name: Some("Zoe Zed".into()),
                role: None,
            }
        }

        fn meta() -> RequestMeta {
            RequestMeta::default()
        }

        #[tokio::test]
        async fn an_invited_person_sets_the_password_once_and_is_verified() {
            let (f, tenant) = world();
            let admin = Actor::Admin("a1".into());
            let (user, invited) = invite_person(&f.env(), &tenant, zoe(), &admin, &meta())
                .await
                .unwrap();
            assert_eq!(user.password_hash, None);
            assert!(!user.email_verified);
            assert_eq!(user.role, Role::Member);
            let write = f.store.writes().pop().unwrap();
            let kinds: Vec<&str> = write.audit.iter().map(|e| e.event.as_str()).collect();
            assert_eq!(kinds, ["user.created", "user.invited"]);
            assert_eq!(write.mail.len(), 1);
            assert_eq!(write.mail[0].recipient, "Zoe@Example.com");
            assert!(matches!(
                write.mail[0].message,
                MailMessage::PersonInvitation {
                    expires_days: 7,
                    ..
                }
            ));
            assert_eq!(invited.invitation.token_hash, invited.token.hash());
            assert_ne!(invited.invitation.token_hash, invited.token.expose());

            let token = invited.token.expose().to_owned();
            let policy = SessionPolicy::default();
            // a weak password is refused; the link still works
            let weak = Acceptance {
                password: "zoe".into(),
                ..Default::default()
            };
            let err = accept(&f.env(), &tenant, &token, weak, &policy, &meta()).await;
            assert!(matches!(err, Err(Error::Invalid(_))), "{:?}", err.err());
            let good = Acceptance {
                // the username typed on a person's page counts for nothing
                username: "mallory".into(),
                password: PASSWORD.into(),
                ..Default::default()
            };
            let accepted = accept(&f.env(), &tenant, &token, good.clone(), &policy, &meta())
                .await
                .unwrap();
            assert_eq!(accepted.user.id, user.id);
            let stored = f.store.user(&user.id).unwrap();
            assert_eq!(stored.username, "zoe");
            assert!(stored.email_verified);
            assert_eq!(
                stored.password_hash.as_deref(),
                Some("plain:correct horse battery staple")
            );
            assert_ne!(stored.security_stamp, user.security_stamp);
            let again = accept(&f.env(), &tenant, &token, good, &policy, &meta()).await;
            assert!(matches!(again, Err(Error::InvalidLink)));
            assert_eq!(pending(&f.env(), &tenant, &stored).await.unwrap(), None);
        }

        #[tokio::test]
        async fn sending_again_waits_a_minute_and_ends_the_old_link() {
            let (f, tenant) = world();
            let admin = Actor::Admin("a1".into());
            let (user, first) = invite_person(&f.env(), &tenant, zoe(), &admin, &meta())
                .await
                .unwrap();
            let soon = send_again(&f.env(), &tenant, &user, &admin, &meta()).await;
            assert!(
                matches!(soon, Err(Error::RateLimited { retry_after_secs }) if retry_after_secs == RESEND_GAP_SECS),
                "{:?}",
                soon.err()
            );
            f.clock.advance(RESEND_GAP_SECS);
            let second = send_again(&f.env(), &tenant, &user, &admin, &meta())
                .await
                .unwrap();
            assert!(matches!(
                check(&f.env(), &tenant, first.token.expose()).await,
                Err(Error::InvalidLink)
            ));
            let open = check(&f.env(), &tenant, second.token.expose())
                .await
                .unwrap();
            assert_eq!(open.user_id, Some(user.id.clone()));

            withdraw(&f.env(), &tenant, &user, &admin, &meta())
                .await
                .unwrap();
            assert!(matches!(
                check(&f.env(), &tenant, second.token.expose()).await,
                Err(Error::InvalidLink)
            ));
            assert!(matches!(
                withdraw(&f.env(), &tenant, &user, &admin, &meta()).await,
                Err(Error::NotFound(_))
            ));
            assert!(matches!(
                send_again(&f.env(), &tenant, &user, &admin, &meta()).await,
                Err(Error::NotFound(_))
            ));
            let last = f.store.writes().pop().unwrap();
            assert_eq!(last.audit[0].event, "user.invitation.withdrawn");
        }

        #[tokio::test]
        async fn a_taken_username_or_bad_address_makes_nothing() {
            let (f, tenant) = world();
            let admin = Actor::Admin("a1".into());
            invite_person(&f.env(), &tenant, zoe(), &admin, &meta())
                .await
                .unwrap();
            let writes = f.store.writes().len();
            let taken = invite_person(&f.env(), &tenant, zoe(), &admin, &meta()).await;
            assert!(
                matches!(taken, Err(Error::Conflict(_))),
                "{:?}",
                taken.err()
            );
            let bad = PersonInput {
                username: "yan".into(),
                email: "not an address".into(),
                role: Some("owner".into()),
                ..Default::default()
            };
            let Err(Error::Invalid(errors)) =
                invite_person(&f.env(), &tenant, bad, &admin, &meta()).await
            else {
                panic!("invalid input accepted");
            };
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["email", "role"]);
            assert_eq!(f.store.writes().len(), writes);
        }
    }
}
