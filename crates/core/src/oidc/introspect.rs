//! Checking tokens others present: access tokens (signature, issuer,
//! expiry, the grant still standing), refresh tokens, and revocation.

use super::*;

/// What an access token stands for, when it still does.
#[derive(Debug, Clone)]
pub struct ActiveToken {
    pub claims: serde_json::Value,
    /// The user, for a user's token.
    pub user: Option<User>,
    pub grant: Option<Grant>,
}

/// Checks an access token of `tenant` (signature, issuer, expiry) and that
/// its grant still stands. A client-credentials token's grant is stored
/// only once the token is revoked (see [`revoke`]): until then the token
/// stands while its client may still use the grant type.
pub async fn check_access_token<S: OidcStore + UserStore + ClientStore>(
    store: &S,
    keys: &[crate::oidc::signing::SigningKey],
    tenant: &Tenant,
    issuer: &str,
    token: &str,
    now: UnixTime,
) -> StoreResult<Option<ActiveToken>> {
    let Some(claims) = crate::oidc::signing::verify(keys, token, "at+jwt", now) else {
        return Ok(None);
    };
    if claims["iss"] != issuer || claims["exp"].as_i64().is_none_or(|exp| now.0 >= exp) {
        return Ok(None);
    }
    if claims.get("auth_time").is_none() {
        // Client credentials: no stored grant, but the client must still
        // exist and may still use the grant type.
        let Some(client_id) = claims["client_id"].as_str().map(ClientId::from) else {
            return Ok(None);
        };
        let client = store.client_by_client_id(&tenant.id, &client_id).await?;
        if !client.is_some_and(|c| {
            !c.is_public() && c.grant_types.contains(&GrantType::ClientCredentials)
        }) {
            return Ok(None);
        }
        let Some(grant_id) = grant_id_of(&claims) else {
            return Ok(None);
        };
        if store.grant_by_id(&grant_id).await?.is_some() {
            // stored only as a revocation
            return Ok(None);
        }
        return Ok(Some(ActiveToken {
            claims,
            user: None,
            grant: None,
        }));
    }
    let Some(grant_id) = grant_id_of(&claims) else {
        return Ok(None);
    };
    let Some(grant) = store.grant_by_id(&grant_id).await? else {
        return Ok(None);
    };
    if grant.revoked_at.is_some() {
        return Ok(None);
    }
    let Some(user) = grant_user(store, &grant).await? else {
        return Ok(None);
    };
    Ok(Some(ActiveToken {
        claims,
        user: Some(user),
        grant: Some(grant),
    }))
}

/// The grant an access token names: the first part of its `jti`.
pub(super) fn grant_id_of(claims: &serde_json::Value) -> Option<GrantId> {
    claims["jti"]
        .as_str()
        .and_then(|j| j.split('.').next())
        .filter(|id| !id.is_empty())
        .map(GrantId::from)
}

/// RFC 7009: revokes the grant behind a refresh or access token of
/// `client`. Unknown tokens and other clients' tokens are ignored, as the
/// RFC asks (the answer is the same either way). A client-credentials
/// access token has no stored grant: its revocation is stored as a revoked
/// grant of its own, kept until the token expires, which
/// [`check_access_token`] then finds.
#[allow(clippy::too_many_arguments)]
pub async fn revoke<S: OidcStore + UserStore + ClientStore>(
    store: &S,
    secrets: &SecretBox,
    keys: &[crate::oidc::signing::SigningKey],
    tenant: &Tenant,
    issuer: &str,
    client: &Client,
    token: &str,
    now: UnixTime,
) -> StoreResult<()> {
    if let Some((grant_id, _)) = parse_refresh_token(secrets, token)
        && let Some(grant) = store.grant_by_id(&grant_id).await?
    {
        if grant.client_id == client.id {
            store.revoke_grant(&grant.id, now).await?;
        }
        return Ok(());
    }
    let Some(active) = check_access_token(store, keys, tenant, issuer, token, now).await? else {
        return Ok(());
    };
    match active.grant {
        Some(grant) if grant.client_id == client.id => {
            store.revoke_grant(&grant.id, now).await?;
        }
        Some(_) => {}
        None if active.claims["client_id"] == client.client_id.as_str() => {
            let (Some(grant_id), Some(iat), Some(exp)) = (
                grant_id_of(&active.claims),
                active.claims["iat"].as_i64(),
                active.claims["exp"].as_i64(),
            ) else {
                return Ok(());
            };
            store
                .insert_revoked_grant(&Grant {
                    id: grant_id,
                    tenant_id: tenant.id.clone(),
                    client_id: client.id.clone(),
                    user_id: None,
                    session_hash: None,
                    scope: String::new(),
                    amr: vec![],
                    auth_time: UnixTime(iat),
                    security_stamp: None,
                    code_hash: None,
                    created_at: UnixTime(iat),
                    expires_at: UnixTime(exp),
                    revoked_at: Some(now),
                    refresh_generation: 0,
                })
                .await?;
        }
        None => {}
    }
    Ok(())
}
