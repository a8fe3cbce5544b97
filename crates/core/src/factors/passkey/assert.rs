//! Proving a passkey: the second sign-in step and re-authentication,
//! checked against the stored credential (its counter catches a copy, which
//! is then marked, audited and told to the owner).

use super::*;
use crate::effects::audit::{Actor, AuditKind};

/// Whether the browser made the assertion for a page embedded in another
/// site's frame (`crossOrigin: true` in the client data). webauthn-rs checks
/// this at registration only; every assertion path refuses it here. Client
/// data that cannot be read counts as cross-origin: nothing is lost, as the
/// library would refuse it anyway.
pub fn cross_origin(response: &PublicKeyCredential) -> bool {
    #[derive(serde::Deserialize)]
    struct ClientData {
        #[serde(rename = "crossOrigin", default)]
        cross_origin: Option<bool>,
    }
    serde_json::from_slice::<ClientData>(response.response.client_data_json.as_ref())
        .map_or(true, |c| c.cross_origin.unwrap_or(false))
}

/// Starts the second step of a sign-in with one of the user's passkeys.
pub async fn start_second_factor<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    step: &SecondStep<'_>,
) -> Result<Started, Error> {
    start_assertion(
        env,
        rp,
        step.tenant,
        step.user,
        step.session,
        CeremonyKind::SecondFactor,
    )
    .await
}

/// Starts confirming a signed-in user again with one of their passkeys.
pub async fn start_reauth<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
) -> Result<Started, Error> {
    start_assertion(env, rp, tenant, user, session, CeremonyKind::Reauth).await
}

/// Confirms a signed-in user again with a passkey: the session's
/// `auth_time` becomes now and the session a new id (returned, for the
/// cookie). Counted against the second-factor limits.
pub async fn finish_reauth<S: EffectStore + PasskeyStore + SessionStore + RateLimitStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    answer: Answer<'_>,
    meta: &RequestMeta,
) -> Result<crate::platform::secret::SecretToken, Error> {
    let counters = crate::factors::totp::count_attempt(env, tenant, user).await?;
    let ceremony = take(
        env,
        tenant,
        CeremonyKind::Reauth,
        answer.ceremony,
        Some((user, session)),
    )
    .await?;
    let state = open_named_state(env, &ceremony)?;
    let verified = match serde_json::from_str::<PublicKeyCredential>(answer.response) {
        Ok(response) => {
            let passkeys = env.store.passkeys_for_user(&user.id).await?;
            let who = Claimant { tenant, user, meta };
            verify_assertion(env, rp, &who, &passkeys, &response, state).await?
        }
        Err(_) => None,
    };
    let now = env.clock.now();
    let event = if verified.is_some() {
        AuditKind::ReauthSucceededPasskey
    } else {
        AuditKind::ReauthFailedPasskey
    };
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        event,
        meta,
    ));
    if verified.is_none() {
        env.store.apply(&effects, now).await?;
        return Err(Error::InvalidCode);
    }
    effects
        .counters
        .extend(counters.iter().map(|k| CounterChange::Clear(k)));
    crate::accounts::session::reauthenticated(env.store, env.random, session, &effects, now).await
}

pub(super) async fn start_assertion<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    kind: CeremonyKind,
) -> Result<Started, Error> {
    // A suspected copy is not offered (and would be refused).
    let passkeys = env
        .store
        .passkeys_for_user(&user.id)
        .await?
        .iter()
        .filter(|p| p.signs_in())
        .map(PasskeyCredential::passkey)
        .collect::<Result<Vec<_>, _>>()?;
    if passkeys.is_empty() {
        return Err(Error::NotFound("passkey"));
    }
    let (options, state) = rp
        .webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|e| Error::Store(StoreError::Database(format!("webauthn: {e}"))))?;
    let (token, mut ceremony) = new_ceremony(env, tenant, kind);
    ceremony.user_id = Some(user.id.clone());
    ceremony.session_hash = Some(session.id_hash.clone());
    begin::<S, W>(env, ceremony, &state, &options, token).await
}

/// Who answers an assertion, once known.
pub(super) struct Claimant<'a> {
    pub(super) tenant: &'a Tenant,
    pub(super) user: &'a User,
    pub(super) meta: &'a RequestMeta,
}

/// Verifies an assertion against the user's credential as stored now (its
/// counter included, not the one the ceremony captured when it started) and
/// records the use; the method it proves, or `None` if it does not verify.
/// Why a passkey failed is not told: it helps an attacker more than a user.
pub(super) async fn verify_assertion<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    who: &Claimant<'_>,
    passkeys: &[PasskeyCredential],
    response: &PublicKeyCredential,
    state: DiscoverableAuthentication,
) -> Result<Option<AuthMethod>, Error> {
    if cross_origin(response) {
        tracing::info!(user_id = %who.user.id, "passkey assertion refused: made for another site's frame");
        return Ok(None);
    }
    let presented = b64url(response.get_credential_id());
    let Some(stored) = passkeys.iter().find(|p| p.credential_id == presented) else {
        return Ok(None);
    };
    if !stored.signs_in() {
        return Ok(None);
    }
    let mut passkey = stored.passkey()?;
    let result = match rp
        .webauthn
        .finish_discoverable_authentication_v2(response, state, &passkey)
    {
        Ok(result) => result,
        // A valid signature whose counter did not go up: two copies of the
        // key are in use.
        Err(WebauthnError::CredentialPossibleCompromise) => {
            suspect_copy(env, who, stored).await?;
            return Ok(None);
        }
        Err(_) => return Ok(None),
    };
    passkey.update_credential(&result);
    let json = serde_json::to_string(&passkey).unwrap_or_default();
    let recorded = env
        .store
        .record_passkey_use(
            &stored.id,
            &stored.passkey,
            &json,
            result.backup_eligible(),
            env.clock.now(),
        )
        .await?;
    // Another use came first: this answer was checked against a counter that
    // is no longer current.
    Ok(recorded.then(|| method(result.backup_eligible())))
}

/// Marks `stored` as a suspected copy: it signs in no more, the owner is
/// mailed and the event audited (once, however often the copy tries).
pub(super) async fn suspect_copy<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    who: &Claimant<'_>,
    stored: &PasskeyCredential,
) -> Result<(), Error> {
    let now = env.clock.now();
    tracing::warn!(
        user_id = %who.user.id,
        passkey = %stored.id,
        "passkey signature counter did not go up: marked as a suspected copy"
    );
    let mut audit = audit_event(
        env.random,
        env.clock,
        &who.tenant.id,
        Some(&who.user.id),
        Actor::User(who.user.id.clone()),
        AuditKind::PasskeyCloneSuspected,
        who.meta,
    );
    audit.detail = serde_json::json!({ "passkey": stored.id, "name": stored.name }).to_string();
    let mut effects = Effects::audit(audit);
    effects.mail.push(
        security_notice(
            env.random,
            who.tenant,
            who.user,
            SecurityEvent::PasskeyCloneSuspected,
            now,
        )
        .from_request(who.meta),
    );
    env.store
        .mark_passkey_cloned(&stored.id, &effects, now)
        .await?;
    Ok(())
}

/// The second step of a sign-in with a passkey. Counted against the same
/// limits as codes.
pub async fn complete_second_factor<
    S: PasskeyStore + EffectStore + SessionStore + RateLimitStore,
    W,
>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    step: &SecondStep<'_>,
    answer: Answer<'_>,
) -> Result<SecretToken, Error> {
    crate::factors::totp::finish_second_step(
        env,
        step,
        (
            AuditKind::SecondStepPasskeyFailed,
            AuditKind::SecondStepPasskeySucceeded,
        ),
        async {
            let ceremony = take(
                env,
                step.tenant,
                CeremonyKind::SecondFactor,
                answer.ceremony,
                Some((step.user, step.session)),
            )
            .await?;
            let state = open_named_state(env, &ceremony)?;
            let Ok(response) = serde_json::from_str::<PublicKeyCredential>(answer.response) else {
                return Ok(None);
            };
            let passkeys = env.store.passkeys_for_user(&step.user.id).await?;
            let who = Claimant {
                tenant: step.tenant,
                user: step.user,
                meta: step.meta,
            };
            verify_assertion(env, rp, &who, &passkeys, &response, state).await
        },
    )
    .await
}
