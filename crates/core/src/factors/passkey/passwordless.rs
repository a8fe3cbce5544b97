//! Signing in with a passkey alone, where the tenant allows it.

use super::*;
use crate::effects::audit::{Actor, AuditKind};
use crate::platform::time::MINUTE;

/// Passwordless sign-ins started from one address.
pub const PASSWORDLESS_LIMIT: RateLimit = RateLimit {
    max: 30,
    window_secs: 5 * MINUTE,
};

/// Autofill requests started from one address: one per view of a
/// passwordless tenant's sign-in page in a browser that can offer passkeys
/// in the username field, so more than button presses; counted apart, so
/// that page views never use up the button's allowance.
pub const AUTOFILL_LIMIT: RateLimit = RateLimit {
    max: 120,
    window_secs: 5 * MINUTE,
};

pub(super) const PASSWORDLESS_SCOPE: &str = "passwordless";
const AUTOFILL_SCOPE: &str = "passwordless-autofill";

/// How the browser asks the person for a passkey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mediation {
    /// "Sign in with a passkey" was pressed: a dialog.
    Modal,
    /// Offered in the username field's autofill as the sign-in page opens
    /// (WebAuthn conditional mediation); nothing shows until the person
    /// picks a passkey there.
    Autofill,
}

/// Starts a sign-in with a passkey alone, where the tenant allows it. The
/// browser offers the passkeys it has for this site; nobody is named yet.
/// Both mediations finish the same way ([`finish_passwordless`]).
pub async fn start_passwordless<S: RateLimitStore + PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    meta: &RequestMeta,
    mediation: Mediation,
) -> Result<Started, Error> {
    if !tenant.passwordless {
        return Err(Error::said("passkey", Said::PasskeyAloneNotOffered));
    }
    let now = env.clock.now();
    let (scope, limit) = match mediation {
        Mediation::Modal => (PASSWORDLESS_SCOPE, PASSWORDLESS_LIMIT),
        Mediation::Autofill => (AUTOFILL_SCOPE, AUTOFILL_LIMIT),
    };
    if let Some(ip) = &meta.ip {
        let key = ratelimit::address_key(scope, ip);
        let hit = env
            .store
            .rate_limit_add(&key, 1, now, limit.window_secs)
            .await?;
        if limit.exceeded(&hit) {
            return Err(Error::RateLimited {
                retry_after_secs: limit.retry_after(&hit, now),
            });
        }
    }
    let (mut options, state) = rp
        .webauthn
        .start_discoverable_authentication()
        .map_err(|e| Error::Store(StoreError::Database(format!("webauthn: {e}"))))?;
    options.mediation = match mediation {
        Mediation::Modal => None,
        Mediation::Autofill => Some(webauthn_rs_proto::Mediation::Conditional),
    };
    let (token, ceremony) = new_ceremony(env, tenant, CeremonyKind::Passwordless);
    begin::<S, W>(env, ceremony, &state, &options, token).await
}

/// A passwordless sign-in that succeeded.
pub struct PasswordlessSignIn {
    pub token: SecretToken,
    pub session: Session,
    pub user: User,
}

/// Finishes a passwordless sign-in: the passkey names its user; the user
/// must be active in this tenant and the passkey theirs. Every failure looks
/// the same.
pub async fn finish_passwordless<S: PasskeyStore + UserStore + SessionStore + EffectStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    answer: Answer<'_>,
    meta: &RequestMeta,
    policy: &SessionPolicy,
) -> Result<PasswordlessSignIn, Error> {
    let ceremony = take(
        env,
        tenant,
        CeremonyKind::Passwordless,
        answer.ceremony,
        None,
    )
    .await?;
    // The tenant may have turned it off since the ceremony started.
    if !tenant.passwordless {
        return Err(expired_ceremony());
    }
    let state: DiscoverableAuthentication = open_state(env, &ceremony)?;
    let response: PublicKeyCredential =
        serde_json::from_str(answer.response).map_err(|_| unreadable_response())?;
    let now = env.clock.now();
    let handle = rp
        .webauthn
        .identify_discoverable_authentication(&response)
        .map(|(handle, _)| UserId::new(handle.hyphenated().to_string()))
        .unwrap_or_default();
    let user = env.store.user_by_id(&tenant.id, &handle).await?;
    // Looked up for every handle, known or not, active or not: the same
    // queries whoever the handle names.
    let passkeys = env.store.passkeys_for_user(&handle).await?;
    let verified = match &user {
        Some(user) if user.is_active() => {
            let who = Claimant { tenant, user, meta };
            verify_assertion(env, rp, &who, &passkeys, &response, state).await?
        }
        _ => None,
    };
    let (Some(user), Some(method)) = (user, verified) else {
        let audit = audit_event(
            env.random,
            env.clock,
            &tenant.id,
            None,
            Actor::Anonymous,
            AuditKind::SigninPasskeyFailed,
            meta,
        );
        env.store.apply(&Effects::audit(audit), now).await?;
        return Err(Error::InvalidCredentials);
    };
    let token = SecretToken::generate(env.random);
    let session = Session::new(&token, &user, vec![method], now, policy, meta);
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::SigninSucceededPasskey,
        meta,
    ));
    let address_key = meta
        .ip
        .as_ref()
        .map(|ip| ratelimit::address_key(PASSWORDLESS_SCOPE, ip));
    if let Some(key) = &address_key {
        effects.counters.push(CounterChange::Add {
            key,
            delta: -1,
            window_secs: PASSWORDLESS_LIMIT.window_secs,
        });
    }
    env.store.start_session(&session, &effects, now).await?;
    Ok(PasswordlessSignIn {
        token,
        session,
        user,
    })
}
