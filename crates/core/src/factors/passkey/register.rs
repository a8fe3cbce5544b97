//! Adding, naming and removing passkeys (behind a recent sign-in; the
//! last factor of a required tenant stays; removing one signs the other
//! sessions out).

use super::*;
use crate::effects::audit::{Actor, AuditKind};
use crate::factors::removal::{self, Removing};
use crate::store::{RecoveryCodeStore, TotpStore};

/// Passkeys one user may register.
pub const MAX_PER_USER: usize = 10;

pub const NAME_MAX: usize = 64;

/// Validates a passkey's name as the user typed it.
pub fn parse_name(value: &str) -> Result<String, FieldError> {
    validate::text("name", value, NAME_MAX)
}

/// Starts adding a passkey named `name` (needs a recent sign-in).
pub async fn start_registration<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    name: &str,
) -> Result<Started, Error> {
    require_recent_auth(session, env.clock.now())?;
    let name = parse_name(name).map_err(|e| Error::Invalid(vec![e]))?;
    let existing = env.store.passkeys_for_user(&user.id).await?;
    if existing.len() >= MAX_PER_USER {
        return Err(Error::said(
            "name",
            Said::PasskeyLimit { max: MAX_PER_USER },
        ));
    }
    let exclude = existing
        .iter()
        .map(|c| c.passkey().map(|p| p.cred_id().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let (mut options, state) = rp
        .webauthn
        .start_passkey_registration(
            user_handle(user)?,
            // One relying party serves every tenant: the browser's list of
            // passkeys tells them apart by the tenant's name.
            &format!("{} ({})", user.username, tenant.display_name),
            &user.display_name,
            Some(exclude),
        )
        .map_err(|e| Error::Store(StoreError::Database(format!("webauthn: {e}"))))?;
    options.public_key.rp.name = tenant.display_name.clone();
    // Ask for a discoverable credential where the authenticator can make one,
    // so the same passkey also works for passwordless sign-in.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Preferred);
    }
    let (token, mut ceremony) = new_ceremony(env, tenant, CeremonyKind::Register);
    ceremony.user_id = Some(user.id.clone());
    ceremony.session_hash = Some(session.id_hash.clone());
    ceremony.name = Some(name);
    begin::<S, W>(env, ceremony, &state, &options, token).await
}

/// Finishes adding a passkey: verifies the authenticator's answer to the
/// challenge of the ceremony and stores the credential.
pub async fn finish_registration<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    rp: &RelyingParty,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    answer: Answer<'_>,
    meta: &RequestMeta,
) -> Result<PasskeyCredential, Error> {
    // Recency was checked when the ceremony started (it lives 5 minutes, in
    // this session only): checking again here would strand a credential the
    // authenticator has just made.
    let now = env.clock.now();
    let ceremony = take(
        env,
        tenant,
        CeremonyKind::Register,
        answer.ceremony,
        Some((user, session)),
    )
    .await?;
    let state: PasskeyRegistration = open_state(env, &ceremony)?;
    let response: RegisterPublicKeyCredential =
        serde_json::from_str(answer.response).map_err(|_| unreadable_response())?;
    let passkey = rp
        .webauthn
        .finish_passkey_registration(&response, &state)
        .map_err(|e| {
            // The library's words are for the log; people get plain ones.
            tracing::info!(user_id = %user.id, error = %e, "passkey registration not verified");
            Error::said("response", Said::PasskeyNotVerified)
        })?;
    if env.store.passkeys_for_user(&user.id).await?.len() >= MAX_PER_USER {
        return Err(Error::said(
            "name",
            Said::PasskeyLimit { max: MAX_PER_USER },
        ));
    }
    let backup_eligible = passkey_backup_eligible(&passkey);
    let credential = PasskeyCredential {
        id: new_id(env.random),
        tenant_id: tenant.id.clone(),
        user_id: user.id.clone(),
        name: ceremony.name.clone().unwrap_or_default(),
        credential_id: b64url(passkey.cred_id()),
        passkey: serde_json::to_string(&passkey).unwrap_or_default(),
        backup_eligible,
        created_at: now,
        last_used_at: None,
        suspected_clone_at: None,
    };
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::PasskeyAdded,
        meta,
    ));
    effects.mail.push(security_notice(
        env.random,
        tenant,
        user,
        SecurityEvent::PasskeyAdded,
        now,
    ));
    env.store
        .insert_passkey(&credential, &effects, now)
        .await
        .map_err(|e| e.into_conflict("response", "this passkey is registered already"))?;
    Ok(credential)
}

/// Whether the authenticator said the credential may be backed up (synced).
pub(super) fn passkey_backup_eligible(passkey: &Passkey) -> bool {
    Credential::from(passkey.clone()).backup_eligible
}

/// Renames one of the user's passkeys.
pub async fn rename<S: PasskeyStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    id: &PasskeyId,
    name: &str,
    meta: &RequestMeta,
) -> Result<(), Error> {
    let name = parse_name(name).map_err(|e| Error::Invalid(vec![e]))?;
    let effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::PasskeyRenamed,
        meta,
    ));
    if !env
        .store
        .rename_passkey(&user.id, id, &name, &effects, env.clock.now())
        .await?
    {
        return Err(Error::NotFound("passkey"));
    }
    Ok(())
}

/// Removes one of the user's passkeys (needs a recent sign-in). Under a
/// `required` policy the last second factor stays.
///
/// The sessions the passkey may have opened end with it, and so do the
/// applications' tokens, as with a password change: every other session of
/// the user ends, and the security stamp changes. The session that removed
/// it stays under a new id, returned for the cookie.
pub async fn remove<S: PasskeyStore + TotpStore + RecoveryCodeStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: &User,
    session: &Session,
    id: &PasskeyId,
    meta: &RequestMeta,
) -> Result<SecretToken, Error> {
    let now = env.clock.now();
    require_recent_auth(session, now)?;
    let mut effects = Effects::audit(audit_event(
        env.random,
        env.clock,
        &tenant.id,
        Some(&user.id),
        Actor::User(user.id.clone()),
        AuditKind::PasskeyRemoved,
        meta,
    ));
    effects.mail.push(security_notice(
        env.random,
        tenant,
        user,
        if removal::takes_codes(env.store, tenant, user, &Removing::Passkey(id.clone())).await? {
            SecurityEvent::PasskeyRemovedWithCodes
        } else {
            SecurityEvent::PasskeyRemoved
        },
        now,
    ));
    let keep_last = tenant.second_factor == crate::tenants::SecondFactorPolicy::Required;
    let (sign_out, token) = sign_out_others(env.random, session);
    match env
        .store
        .delete_passkey(&user.id, id, keep_last, &(&sign_out).into(), &effects, now)
        .await?
    {
        FactorRemoval::Removed => Ok(token),
        FactorRemoval::NotFound => Err(Error::NotFound("passkey")),
        FactorRemoval::LastFactor => Err(Error::said("passkey", Said::PasskeyOnlyFactor)),
    }
}
