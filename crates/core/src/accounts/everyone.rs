//! Signing everyone in an organisation out at once (ASVS 7.4.5), for an
//! incident: a leaked session store, a stolen laptop of unknown reach, a
//! change the administrators want everyone to sign in again for.
//!
//! Every account of the tenant gets a new security stamp (so every
//! application's tokens — access and refresh — stop working, as after
//! [`crate::accounts::user::sign_out`]) and every session of the tenant
//! ends; disabled accounts are included, pending invitations and mailed
//! links are not sessions and stay. The administrator who asks from the
//! console keeps the browser they asked from, under a new id (as "sign out
//! everywhere else" does): they have just proven who they are, and the
//! incident is theirs to go on handling. Their other browsers and their
//! applications are signed out like everyone's. The operator's command
//! line and the JSON API keep nobody. Decision 0030.
//!
//! It is a handful of set-based statements per backend whatever the number
//! of people, in one transaction with the one audit event, whose detail
//! says how many people and sessions it reached.

use crate::Error;
use crate::accounts::session::{Session, require_recent_auth_time};
use crate::accounts::user::new_security_stamp;
use crate::effects::audit::{Actor, AuditEvent, AuditKind, RequestMeta, audit_event};
use crate::platform::clock::Clock;
use crate::platform::ids::{SessionHash, TenantId, UserId};
use crate::platform::random::Random;
use crate::platform::secret::SecretToken;
use crate::store::{SessionStore, SignOutOthers};
use crate::tenants::Tenant;

/// What one tenant-wide sign-out reached: the tenant's accounts (each a
/// new security stamp) and the sessions that were signed in (complete and
/// not yet ended; ended ones and half sign-ins go too, uncounted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignedOutCount {
    pub people: u64,
    pub sessions: u64,
}

/// The store's half of a tenant-wide sign-out: one stamp for every account
/// of `tenant_id` (a stamp is only ever compared with the same account's
/// own, so one fresh value serves them all), every session of the tenant
/// ends but `keep`'s, which goes on under its new id with the new stamp;
/// `event` is written with the detail `detail` makes from the counts, in
/// the same transaction.
#[derive(Debug, Clone)]
pub struct TenantSignOut<'a> {
    pub tenant_id: &'a TenantId,
    pub security_stamp: &'a str,
    pub keep: Option<(&'a UserId, SignOutOthers<'a>)>,
    pub event: &'a AuditEvent,
    pub detail: fn(&SignedOutCount) -> String,
}

/// The audit event's detail: `{"people": n, "sessions": n}`.
pub fn detail(count: &SignedOutCount) -> String {
    serde_json::json!({ "people": count.people, "sessions": count.sessions }).to_string()
}

/// Who asks, and from where.
#[derive(Debug, Clone, Copy)]
pub enum AskedBy<'a> {
    /// An administrator in the console: their sign-in must be recent, and
    /// this browser's session is kept under a new id.
    Admin(&'a Session),
    /// An administrator through the JSON API, whose token's recent sign-in
    /// the API checked (`require_recent_auth_time`, the same rule): nothing
    /// is kept — that token stops working too, like every application's.
    AdminToken(&'a UserId),
    /// The operator: nothing kept.
    Operator(&'a Actor),
}

/// Signs everyone in `tenant` out, audited as `tenant.signed_out` with
/// the counts. For an administrator: their sign-in must be recent
/// ([`Error::ReauthRequired`]) and the session must be one of the tenant's
/// administrator's; it goes on under the id returned (for the cookie).
pub async fn sign_out_everyone<S: SessionStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    asked_by: AskedBy<'_>,
    meta: &RequestMeta,
) -> Result<(SignedOutCount, Option<SecretToken>), Error> {
    let now = clock.now();
    let actor = match asked_by {
        AskedBy::Admin(session) => {
            if session.tenant_id != tenant.id {
                return Err(Error::NotFound("session"));
            }
            require_recent_auth_time(session.auth_time, now)?;
            Actor::Admin(session.user_id.clone())
        }
        AskedBy::AdminToken(admin) => Actor::Admin(admin.clone()),
        AskedBy::Operator(actor) => actor.clone(),
    };
    let event = audit_event(
        random,
        clock,
        &tenant.id,
        None,
        actor,
        AuditKind::TenantSignedOut,
        meta,
    );
    let stamp = new_security_stamp(random);
    let token = matches!(asked_by, AskedBy::Admin(_)).then(|| SecretToken::generate(random));
    let new_session: Option<SessionHash> = token.as_ref().map(|t| t.hash().into());
    let keep = match (asked_by, &new_session) {
        (AskedBy::Admin(session), Some(new_session)) => Some((
            &session.user_id,
            SignOutOthers {
                security_stamp: &stamp,
                keep_session: &session.id_hash,
                new_session,
            },
        )),
        _ => None,
    };
    let count = store
        .sign_out_tenant(
            &TenantSignOut {
                tenant_id: &tenant.id,
                security_stamp: &stamp,
                keep,
                event: &event,
                detail,
            },
            now,
        )
        .await?;
    Ok((count, token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::session::{AuthMethod, RECENT_AUTH_SECS, SessionPolicy};
    use crate::accounts::user::{User, UserInput};
    use crate::platform::clock::UnixTime;
    use crate::store::UserStore;
    use crate::tenants::TenantInput;
    use crate::testing::Fixture;

    const T0: UnixTime = UnixTime(1_700_000_000);

    fn acme() -> Tenant {
        TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t1".into(), T0)
        .unwrap()
    }

    async fn person(f: &Fixture, t: &Tenant, name: &str) -> User {
        crate::accounts::user::create(
            &f.env(),
            t,
            UserInput {
                username: name.into(),
                email: format!("{name}@example.com"),
                display_name: None,
                password: None,
                email_verified: true,
                language: None,
                role: None,
            },
            Actor::OperatorCli,
            &RequestMeta::default(),
        )
        .await
        .unwrap()
    }

    async fn signed_in(f: &Fixture, u: &User, at: UnixTime) -> Session {
        let token = SecretToken::generate(&f.random);
        let s = Session::new(
            &token,
            u,
            vec![AuthMethod::Password],
            at,
            &SessionPolicy::default(),
            &RequestMeta::default(),
        );
        f.store
            .start_session(&s, &Default::default(), at)
            .await
            .unwrap();
        s
    }

    async fn stamp(f: &Fixture, u: &User) -> String {
        f.store
            .user_by_id(&u.tenant_id, &u.id)
            .await
            .unwrap()
            .unwrap()
            .security_stamp
    }

    #[tokio::test]
    async fn everyone_is_signed_out_but_the_asking_browser() {
        let f = Fixture::new(T0);
        let t = acme();
        let root = person(&f, &t, "root").await;
        let alice = person(&f, &t, "alice").await;
        let mine = signed_in(&f, &root, T0).await;
        signed_in(&f, &root, T0).await;
        signed_in(&f, &alice, T0).await;
        let (count, token) = sign_out_everyone(
            &f.store,
            &f.random,
            &f.clock,
            &t,
            AskedBy::Admin(&mine),
            &RequestMeta::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            count,
            SignedOutCount {
                people: 2,
                sessions: 2
            }
        );
        let kept: SessionHash = token.unwrap().hash().into();
        let left = f.store.sessions_of_user(&root.id).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id_hash, kept);
        let new = stamp(&f, &root).await;
        assert_ne!(new, root.security_stamp);
        assert_eq!(left[0].security_stamp, new);
        assert_ne!(stamp(&f, &alice).await, alice.security_stamp);
        assert!(
            f.store
                .sessions_of_user(&alice.id)
                .await
                .unwrap()
                .is_empty()
        );
        let writes = f.store.writes();
        let audit = &writes.last().unwrap().audit;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].event, "tenant.signed_out");
        assert_eq!(audit[0].user_id, None);
        assert_eq!(audit[0].actor, Actor::Admin(root.id.clone()));
        assert_eq!(audit[0].detail, r#"{"people":2,"sessions":2}"#);
    }

    #[tokio::test]
    async fn an_old_sign_in_is_asked_to_confirm_and_nothing_happens() {
        let f = Fixture::new(T0);
        let t = acme();
        let root = person(&f, &t, "root").await;
        let mine = signed_in(&f, &root, T0).await;
        f.clock.advance(RECENT_AUTH_SECS + 1);
        let writes = f.store.writes().len();
        let asked = sign_out_everyone(
            &f.store,
            &f.random,
            &f.clock,
            &t,
            AskedBy::Admin(&mine),
            &RequestMeta::default(),
        )
        .await;
        assert!(matches!(asked, Err(Error::ReauthRequired)), "{asked:?}");
        assert_eq!(
            f.store.sessions_of_user(&root.id).await.unwrap(),
            vec![mine]
        );
        assert_eq!(stamp(&f, &root).await, root.security_stamp);
        assert_eq!(f.store.writes().len(), writes);
    }

    #[tokio::test]
    async fn the_operator_keeps_nobody() {
        let f = Fixture::new(T0);
        let t = acme();
        let root = person(&f, &t, "root").await;
        signed_in(&f, &root, T0).await;
        let (count, token) = sign_out_everyone(
            &f.store,
            &f.random,
            &f.clock,
            &t,
            AskedBy::Operator(&Actor::OperatorCli),
            &RequestMeta::default(),
        )
        .await
        .unwrap();
        assert!(token.is_none());
        assert_eq!(count.sessions, 1);
        assert!(f.store.sessions_of_user(&root.id).await.unwrap().is_empty());
        let writes = f.store.writes();
        assert_eq!(writes.last().unwrap().audit[0].actor, Actor::OperatorCli);
    }
}
