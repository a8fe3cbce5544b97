//! Records and set-ups the conformance tests share.

use latchkey_core::accounts::session::{AuthMethod, Session, SessionPolicy};
use latchkey_core::accounts::user::{User, UserStatus, new_security_stamp};
use latchkey_core::effects::audit::{Actor, AuditEvent, RequestMeta};
use latchkey_core::effects::mail::{Link, MailMessage, OutboxMail, Page};
use latchkey_core::factors::passkey::PasskeyCredential;
use latchkey_core::factors::recovery_codes::RecoveryCode;
use latchkey_core::factors::totp::TotpCredential;
use latchkey_core::oidc::client::{Client, ClientInput};
use latchkey_core::oidc::{AuthCode, Grant};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{SessionHash, TenantId};
use latchkey_core::platform::lang::Language;
use latchkey_core::platform::random::{OsRandom, new_id};
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::recovery::case::{
    CaseFacts, CaseState, FactorReset, RecoveryCase, RecoveryPolicy, RemovedBy,
};
use latchkey_core::store::*;
use latchkey_core::tenants::{Tenant, TenantInput};
use latchkey_store::Db;
use std::sync::LazyLock;

pub(crate) fn mail(id: &str, at: i64) -> OutboxMail {
    OutboxMail {
        id: id.into(),
        tenant_id: None,
        recipient: "alice@example.com".into(),
        language: Language::De,
        message: MailMessage::VerifyEmail {
            tenant_name: "Acme".into(),
            display_name: "Alice".into(),
            link: Link::Page(Page::VerifyEmail {
                tenant: "acme".into(),
                token: id.into(),
            }),
            expires_hours: 24,
        },
        created_at: UnixTime(at),
    }
}

pub(crate) fn audit_for(s: &Session, event: &str) -> AuditEvent {
    AuditEvent {
        id: new_id(&OsRandom),
        tenant_id: Some(s.tenant_id.clone()),
        user_id: Some(s.user_id.clone()),
        actor: Actor::User(s.user_id.clone()),
        event: event.into(),
        ip: None,
        user_agent: None,
        detail: "{}".into(),
        at: s.created_at,
    }
}

/// Starts a session with an audit event and no counter changes.
pub(crate) async fn start(db: &Db, s: &Session) -> Result<(), StoreError> {
    db.start_session(
        s,
        &Effects::audit(audit_for(s, "signin.succeeded")),
        s.created_at,
    )
    .await
}

pub(crate) fn tenant(slug: &str) -> Tenant {
    TenantInput {
        slug: slug.into(),
        display_name: format!("Tenant {slug}"),
        ..Default::default()
    }
    .parse(new_id(&OsRandom), UnixTime(1_000))
    .unwrap()
}

pub(crate) fn user(tenant: &Tenant, name: &str, email: &str) -> User {
    User {
        id: new_id(&OsRandom),
        tenant_id: tenant.id.clone(),
        username: name.into(),
        username_key: name.to_lowercase(),
        email: email.into(),
        email_key: email.to_lowercase(),
        display_name: name.into(),
        status: UserStatus::Active,
        email_verified: true,
        language: None,
        password_hash: Some("$argon2id$stub".into()),
        security_stamp: new_security_stamp(&OsRandom),
        role: latchkey_core::accounts::user::Role::Member,
        password_reset_at: None,
        email_changed_at: None,
        created_at: UnixTime(1_000),
        updated_at: UnixTime(1_000),
    }
}

pub(crate) async fn setup(db: &Db) -> (Tenant, User) {
    let t = tenant("acme");
    db.insert_tenant(&t).await.unwrap();
    let u = user(&t, "alice", "alice@example.com");
    db.insert_user(&u, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    (t, u)
}

pub(crate) fn session_for(user: &User, now: i64) -> (SecretToken, Session) {
    let token = SecretToken::generate(&OsRandom);
    let meta = RequestMeta::new(Some("127.0.0.1".into()), Some("test"));
    let s = Session::new(
        &token,
        user,
        vec![AuthMethod::Password],
        UnixTime(now),
        &SessionPolicy::default(),
        &meta,
    );
    (token, s)
}

static NO_SESSION: LazyLock<SessionHash> = LazyLock::new(|| "no-session".into());
static NO_NEW_SESSION: LazyLock<SessionHash> = LazyLock::new(|| "no-new-session".into());

/// A removal in tests that keep no session.
pub(crate) static NOBODY_KEPT: LazyLock<SignOutOthers<'static>> = LazyLock::new(|| SignOutOthers {
    security_stamp: "stamp-after-removal",
    keep_session: &NO_SESSION,
    new_session: &NO_NEW_SESSION,
});

pub(crate) fn passkey_of(user: &User, id: &str, state: &str) -> PasskeyCredential {
    PasskeyCredential {
        id: id.into(),
        tenant_id: user.tenant_id.clone(),
        user_id: user.id.clone(),
        name: format!("key {id}"),
        credential_id: format!("cred-{id}"),
        passkey: state.into(),
        backup_eligible: false,
        created_at: UnixTime(1_100),
        last_used_at: None,
        suspected_clone_at: None,
    }
}

pub(crate) fn case_for(user: &User, id: &str, state: CaseState) -> RecoveryCase {
    let mut facts = CaseFacts::start(UnixTime(2_000), false, &RecoveryPolicy::default());
    facts.state = state;
    RecoveryCase {
        id: id.into(),
        tenant_id: user.tenant_id.clone(),
        user_id: Some(user.id.clone()),
        facts,
        email_key: Some(user.email_key.clone()),
        code_withheld: false,
        code_name: None,
        email_code_hash: None,
        email_code_expires_at: None,
        browser_hash: format!("browser-{id}"),
        cancel_token_hash: None,
        return_to: None,
        updated_at: UnixTime(2_000),
        version: 1,
        closed_at: None,
    }
}

/// Alice with an app, a passkey, recovery codes and two sessions.
pub(crate) async fn fully_equipped(db: &Db) -> (Tenant, User) {
    let (acme, alice) = setup(db).await;
    let totp = TotpCredential {
        id: "t1".into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        secret_sealed: "v1.sealed".into(),
        last_used_step: None,
        created_at: UnixTime(1_100),
    };
    db.insert_totp(&totp, &Effects::default(), UnixTime(1_100))
        .await
        .unwrap();
    let key = PasskeyCredential {
        id: "k1".into(),
        tenant_id: acme.id.clone(),
        user_id: alice.id.clone(),
        name: "Blue key".into(),
        credential_id: "cred".into(),
        passkey: "{}".into(),
        backup_eligible: false,
        created_at: UnixTime(1_200),
        last_used_at: None,
        suspected_clone_at: None,
    };
    db.insert_passkey(&key, &Effects::default(), UnixTime(1_200))
        .await
        .unwrap();
    let codes: Vec<RecoveryCode> = (0..3)
        .map(|i| RecoveryCode {
            id: format!("rc{i}"),
            tenant_id: acme.id.clone(),
            user_id: alice.id.clone(),
            code_hash: format!("h{i}"),
            created_at: UnixTime(1_300),
            used_at: None,
        })
        .collect();
    db.replace_recovery_codes(&alice.id, &codes, &Effects::default(), UnixTime(1_300))
        .await
        .unwrap();
    for at in [1_400, 1_500] {
        start(db, &session_for(&alice, at).1).await.unwrap();
    }
    (acme, alice)
}

pub(crate) fn reset_of(alice: &User, case: &str) -> FactorReset {
    FactorReset {
        id: new_id(&OsRandom),
        tenant_id: alice.tenant_id.clone(),
        user_id: alice.id.clone(),
        case: Some((case.into(), 1)),
        security_stamp: "new-stamp".into(),
        removed_by: RemovedBy::Recovery(case.into()),
        session: None,
        ends: FactorReset::ENDS,
    }
}

/// An audit event of the user's, with an id of its own.
pub(crate) fn event_of(user: &User, event: &str, at: i64) -> AuditEvent {
    AuditEvent {
        id: new_id(&OsRandom),
        tenant_id: Some(user.tenant_id.clone()),
        user_id: Some(user.id.clone()),
        actor: Actor::User(user.id.clone()),
        event: event.into(),
        ip: None,
        user_agent: None,
        detail: "{}".into(),
        at: UnixTime(at),
    }
}

/// Effects whose last write fails (an audit event whose id is stored
/// already): the transaction they are part of must leave nothing behind.
pub(crate) async fn failing_effects(db: &Db, user: &User) -> Effects<'static> {
    let event = event_of(user, "test.stored_already", 1);
    db.insert_audit(&event).await.unwrap();
    Effects::audit(event)
}

/// The names of a tenant's audit events, newest first.
pub(crate) async fn events(db: &Db, tenant_id: &TenantId) -> Vec<String> {
    db.list_audit(tenant_id, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}

/// Another user of the tenant.
pub(crate) async fn add_user(db: &Db, tenant: &Tenant, name: &str) -> User {
    let u = user(tenant, name, &format!("{name}@example.com"));
    db.insert_user(&u, &Effects::default(), UnixTime(1_000))
        .await
        .unwrap();
    u
}

/// A confidential application of the tenant, registered at `at`.
pub(crate) async fn add_client(db: &Db, tenant: &Tenant, name: &str, at: i64) -> Client {
    let (client, _) = ClientInput {
        name: name.into(),
        redirect_uris: vec!["https://app.example/cb".into()],
        ..Default::default()
    }
    .parse(tenant, &OsRandom, UnixTime(at))
    .unwrap();
    db.insert_client(&client, &Effects::default(), UnixTime(at))
        .await
        .unwrap();
    client
}

/// A code for the client, made for the user in browser session `session`,
/// redeemed at once for the grant `grant_id`.
pub(crate) async fn redeemed_grant(
    db: &Db,
    client: &Client,
    user: &User,
    grant_id: &str,
    session: &str,
) -> Grant {
    let code_hash = format!("code-{grant_id}");
    db.insert_code(&AuthCode {
        code_hash: code_hash.clone(),
        tenant_id: client.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: user.id.clone(),
        session_hash: session.into(),
        redirect_uri: "https://app.example/cb".into(),
        scope: "openid".into(),
        nonce: None,
        code_challenge: None,
        auth_time: UnixTime(1),
        amr: vec![AuthMethod::Password],
        created_at: UnixTime(1),
        expires_at: UnixTime(100),
        used_at: None,
        security_stamp: Some(user.security_stamp.clone()),
    })
    .await
    .unwrap();
    let grant = Grant {
        id: grant_id.into(),
        tenant_id: client.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: Some(user.id.clone()),
        session_hash: Some(session.into()),
        scope: "openid".into(),
        amr: vec![AuthMethod::Password],
        auth_time: UnixTime(1),
        security_stamp: Some(user.security_stamp.clone()),
        code_hash: Some(code_hash.clone()),
        created_at: UnixTime(2),
        expires_at: UnixTime(10_000),
        revoked_at: None,
        refresh_generation: 1,
    };
    assert!(
        db.redeem_code(&code_hash, &grant, UnixTime(2))
            .await
            .unwrap()
    );
    grant
}
