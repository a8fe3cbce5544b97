//! Changing one's address of record from the account page (decision 0025).
//!
//! The person names a new address after a recent sign-in (the same re-check
//! that guards a password change). Nothing changes yet: a single-use link
//! (256 random bits, only its SHA-256 stored, [`LIFETIME_SECS`]) goes to
//! the **new** address, and the **old** address is told that a change was
//! asked for. Only when the link is followed does the address change —
//! verified, since the click proved the mailbox — and the old address is
//! told again. A newer request replaces an open one; the person can cancel
//! an open one from the account page.
//!
//! Whether the new address belongs to someone else in the tenant is not
//! said when it is named (that would tell anyone signed in which addresses
//! have accounts): the link goes out either way, and the confirmation —
//! seen only by whoever reads that mailbox — says that the address is
//! taken and changes nothing.
//!
//! A fresh address is not a recovery proof for a week: see
//! [`crate::recovery::case::proof_counts`].

use crate::Error;
use crate::accounts::notice::security_notice;
use crate::accounts::session::{Session, require_recent_auth_time};
use crate::accounts::user::{self, Email, User};
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::effects::mail::{Link, MailMessage, OutboxMail, Page, SecurityEvent};
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::platform::clock::UnixTime;
use crate::platform::ids::{TenantId, UserId};
use crate::platform::random::new_id;
use crate::platform::secret::SecretToken;
use crate::platform::time::{DAY, HOUR};
use crate::platform::validate::{FieldError, Said};
use crate::store::{Effects, EmailChangeStore, RateLimitStore, UserStore};
use crate::tenants::Tenant;

/// How long the link to the new address works.
pub const LIFETIME_SECS: i64 = DAY;

/// Requests per person and hour (each mails two addresses).
pub const REQUEST_LIMIT: RateLimit = RateLimit {
    max: 5,
    window_secs: HOUR,
};

/// A change of address waiting for its link to be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailChange {
    pub id: String,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    /// The new address, as typed (normalised).
    pub new_email: String,
    pub new_email_key: String,
    /// The address it replaces (its key): once the account has another,
    /// the link stops working.
    pub old_email_key: String,
    pub token_hash: String,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    pub used_at: Option<UnixTime>,
}

/// Whether the change's link may still be followed in `tenant` at `now`.
pub fn usable(change: &EmailChange, tenant: &Tenant, now: UnixTime) -> bool {
    change.tenant_id == tenant.id && change.used_at.is_none() && now < change.expires_at
}

/// Names a new address for `user`: the link to it and the notice to the
/// old one are written with the request, in one transaction, audited.
/// Needs a recent sign-in ([`Error::ReauthRequired`]); at most
/// [`REQUEST_LIMIT`] per person.
pub async fn request<S: EmailChangeStore + RateLimitStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    new_email: &str,
    meta: &RequestMeta,
) -> Result<EmailChange, Error> {
    let now = env.clock.now();
    require_recent_auth_time(session.auth_time, now)?;
    let email = Email::parse(new_email).map_err(|e| Error::Invalid(vec![e]))?;
    if email.key == user.email_key {
        return Err(Error::Invalid(vec![FieldError::said(
            Email::FIELD,
            Said::SameAddress,
        )]));
    }
    let key = ratelimit::account_key("email-change", &tenant.id, user.id.as_str());
    REQUEST_LIMIT.count(env.store, &key, now).await?;
    let token = SecretToken::generate(env.random);
    let change = EmailChange {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        new_email: email.address,
        new_email_key: email.key,
        old_email_key: user.email_key.clone(),
        token_hash: token.hash(),
        created_at: now,
        expires_at: now.plus(LIFETIME_SECS),
        used_at: None,
    };
    let mut event = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::EmailChangeRequested,
        meta,
    );
    event.detail = serde_json::json!({ "to": change.new_email }).to_string();
    let mut effects = Effects::audit(event);
    effects.mail.push(OutboxMail {
        id: new_id(env.random),
        tenant_id: Some(tenant.id.clone()),
        recipient: change.new_email.clone(),
        language: user.language.unwrap_or(tenant.default_language),
        message: MailMessage::VerifyEmail {
            tenant_name: tenant.display_name.clone(),
            display_name: user.display_name.clone(),
            link: Link::Page(Page::ConfirmEmailChange {
                tenant: tenant.slug.to_string(),
                token: token.expose().to_owned(),
            }),
            expires_hours: LIFETIME_SECS / HOUR,
        },
        created_at: now,
    });
    effects.mail.push(
        security_notice(
            env.random,
            tenant,
            user,
            SecurityEvent::EmailChangeRequested,
            now,
        )
        .from_request(meta),
    );
    env.store
        .insert_email_change(&change, &effects, now)
        .await?;
    Ok(change)
}

/// The person's open change of address, if any.
pub async fn open<S: EmailChangeStore, W>(
    env: &Env<'_, S, W>,
    user: &User,
) -> Result<Option<EmailChange>, Error> {
    let now = env.clock.now();
    Ok(env
        .store
        .open_email_change(&user.id, now)
        .await?
        .filter(|c| c.old_email_key == user.email_key))
}

/// Cancels the person's open change (its link stops working), audited;
/// `false` when there was none.
pub async fn cancel<S: EmailChangeStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    meta: &RequestMeta,
) -> Result<bool, Error> {
    let effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::EmailChangeCancelled,
        meta,
    ));
    Ok(env
        .store
        .cancel_email_change(&user.id, &effects, env.clock.now())
        .await?)
}

/// Follows the link mailed to the new address: the account takes it,
/// verified, and the old address is told. Every way a link can be unusable
/// (unknown, used, expired, replaced, cancelled, another tenant's, an
/// account whose address changed meanwhile or that is disabled) is
/// [`Error::InvalidLink`]; an address another account of the tenant took
/// meanwhile is a conflict on the address field (only the mailbox's reader
/// sees it).
pub async fn confirm<S: EmailChangeStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    presented: &str,
    meta: &RequestMeta,
) -> Result<User, Error> {
    let token = SecretToken::from_presented(presented).ok_or(Error::InvalidLink)?;
    let now = env.clock.now();
    let change = env
        .store
        .email_change_by_hash(&token.hash())
        .await?
        .filter(|c| usable(c, tenant, now))
        .ok_or(Error::InvalidLink)?;
    let user = env
        .store
        .user_by_id(&tenant.id, &change.user_id)
        .await?
        .filter(|u| u.email_key == change.old_email_key && u.is_active())
        .ok_or(Error::InvalidLink)?;
    let mut event = audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::EmailChanged,
        meta,
    );
    event.detail = serde_json::json!({ "from": user.email, "to": change.new_email }).to_string();
    let mut effects = Effects::audit(event);
    // to the address that was the account's until now
    effects.mail.push(
        security_notice(env.random, tenant, &user, SecurityEvent::EmailChanged, now)
            .from_request(meta),
    );
    if !env
        .store
        .apply_email_change(&change, &effects, now)
        .await
        .map_err(user::taken)?
    {
        return Err(Error::InvalidLink);
    }
    Ok(User {
        email: change.new_email,
        email_key: change.new_email_key,
        email_verified: true,
        email_changed_at: Some(now),
        updated_at: now,
        ..user
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::session::{AuthMethod, SessionPolicy};
    use crate::accounts::user::UserInput;
    use crate::testing::Fixture;

    const T0: UnixTime = UnixTime(1_800_000_000);

    async fn world() -> (Fixture, Tenant, User, Session) {
        let f = Fixture::new(T0);
        let tenant = crate::tenants::TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t1".into(), T0)
        .unwrap();
        f.store.add_tenant(tenant.clone());
        let mut users = vec![];
        for name in ["alice", "bob"] {
            let input = UserInput {
                username: name.into(),
                email: format!("{name}@example.com"),
                password: Some("correct horse battery staple".into()),
                email_verified: true,
                ..Default::default()
            };
            let meta = RequestMeta::default();
            users.push(
                user::create(&f.env(), &tenant, input, Actor::OperatorCli, &meta)
                    .await
                    .unwrap(),
            );
        }
        let alice = users.remove(0);
        let session = Session::new(
            &SecretToken::generate(&f.random),
            &alice,
            vec![AuthMethod::Password],
            T0,
            &SessionPolicy::default(),
            &RequestMeta::default(),
        );
        (f, tenant, alice, session)
    }

    fn token_of(mail: &OutboxMail) -> String {
        match &mail.message {
            MailMessage::VerifyEmail {
                link: Link::Page(Page::ConfirmEmailChange { token, .. }),
                ..
            } => token.clone(),
            other => panic!("not a change link: {other:?}"),
        }
    }

    /// The link goes to the new address, the notice to the old; the
    /// address changes, verified, only when the link is followed, and the
    /// old one is told again.
    #[tokio::test]
    async fn the_new_address_is_the_accounts_only_once_its_link_is_followed() {
        let (f, tenant, alice, session) = world().await;
        let meta = RequestMeta::default();
        request(
            &f.env(),
            &tenant,
            &alice,
            &session,
            "Alice@New.example",
            &meta,
        )
        .await
        .unwrap();
        let asked = f.store.writes().last().cloned().unwrap();
        assert_eq!(asked.mail.len(), 2);
        assert_eq!(asked.mail[0].recipient, "Alice@New.example");
        assert_eq!(asked.mail[1].recipient, "alice@example.com");
        assert!(matches!(
            asked.mail[1].message,
            MailMessage::SecurityNotice {
                event: SecurityEvent::EmailChangeRequested,
                ..
            }
        ));
        assert_eq!(f.store.user(&alice.id).unwrap().email, "alice@example.com");

        let changed = confirm(&f.env(), &tenant, &token_of(&asked.mail[0]), &meta)
            .await
            .unwrap();
        assert_eq!(changed.email, "Alice@New.example");
        let stored = f.store.user(&alice.id).unwrap();
        assert_eq!(stored.email_key, "alice@new.example");
        assert!(stored.email_verified);
        assert_eq!(stored.email_changed_at, Some(T0));
        let done = f.store.writes().last().cloned().unwrap();
        assert_eq!(done.mail.len(), 1);
        assert_eq!(
            done.mail[0].recipient, "alice@example.com",
            "the old address"
        );
        assert!(matches!(
            done.mail[0].message,
            MailMessage::SecurityNotice {
                event: SecurityEvent::EmailChanged,
                ..
            }
        ));
        assert!(matches!(
            confirm(&f.env(), &tenant, &token_of(&asked.mail[0]), &meta).await,
            Err(Error::InvalidLink)
        ));
    }

    #[tokio::test]
    async fn asking_needs_a_recent_sign_in_a_new_address_and_stays_within_its_limit() {
        let (f, tenant, alice, session) = world().await;
        let meta = RequestMeta::default();
        let said = |r: Result<EmailChange, Error>| match r {
            Err(Error::Invalid(e)) => e[0].said.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            said(
                request(
                    &f.env(),
                    &tenant,
                    &alice,
                    &session,
                    "ALICE@example.com",
                    &meta
                )
                .await
            ),
            Some(Said::SameAddress)
        );
        assert_eq!(
            said(request(&f.env(), &tenant, &alice, &session, "alice", &meta).await),
            Some(Said::EmailShape)
        );
        for i in 0..REQUEST_LIMIT.max {
            let to = format!("a{i}@example.org");
            request(&f.env(), &tenant, &alice, &session, &to, &meta)
                .await
                .unwrap();
        }
        assert!(matches!(
            request(&f.env(), &tenant, &alice, &session, "z@example.org", &meta).await,
            Err(Error::RateLimited { .. })
        ));
        // only the newest link is open
        let open = open(&f.env(), &alice).await.unwrap().unwrap();
        assert_eq!(
            open.new_email,
            format!("a{}@example.org", REQUEST_LIMIT.max - 1)
        );
        assert!(cancel(&f.env(), &tenant, &alice, &meta).await.unwrap());
        assert!(!cancel(&f.env(), &tenant, &alice, &meta).await.unwrap());

        f.clock.advance(HOUR);
        assert!(matches!(
            request(&f.env(), &tenant, &alice, &session, "z@example.org", &meta).await,
            Err(Error::ReauthRequired)
        ));
    }

    /// Another person's address: asked like any other, refused at the link.
    #[tokio::test]
    async fn a_taken_address_is_refused_only_when_its_link_is_followed() {
        let (f, tenant, alice, session) = world().await;
        let meta = RequestMeta::default();
        request(
            &f.env(),
            &tenant,
            &alice,
            &session,
            "bob@example.com",
            &meta,
        )
        .await
        .unwrap();
        let link = f.store.writes().last().cloned().unwrap().mail[0].clone();
        let refused = confirm(&f.env(), &tenant, &token_of(&link), &meta).await;
        assert!(
            matches!(&refused, Err(Error::Conflict(e)) if e.said == Some(Said::EmailTaken)),
            "{refused:?}"
        );
        assert_eq!(f.store.user(&alice.id).unwrap().email, "alice@example.com");
    }

    #[test]
    fn links_are_usable_once_in_their_tenant_for_a_day() {
        let tenant = crate::tenants::TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t1".into(), UnixTime(0))
        .unwrap_or_else(|e| panic!("{e:?}"));
        let mut change = EmailChange {
            id: "c1".into(),
            tenant_id: "t1".into(),
            user_id: "u1".into(),
            new_email: "new@example.com".into(),
            new_email_key: "new@example.com".into(),
            old_email_key: "old@example.com".into(),
            token_hash: "h".into(),
            created_at: UnixTime(0),
            expires_at: UnixTime(LIFETIME_SECS),
            used_at: None,
        };
        assert!(usable(&change, &tenant, UnixTime(LIFETIME_SECS - 1)));
        assert!(!usable(&change, &tenant, UnixTime(LIFETIME_SECS)));
        let other = Tenant {
            id: "t2".into(),
            ..tenant.clone()
        };
        assert!(!usable(&change, &other, UnixTime(1)));
        change.used_at = Some(UnixTime(1));
        assert!(!usable(&change, &tenant, UnixTime(2)));
    }
}
