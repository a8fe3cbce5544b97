//! The authorization-code grant: a code redeemed once (a replay revokes
//! what it gave), PKCE checked, the grant and its first tokens.

use super::*;

/// `grant_type=authorization_code`. A code presented a second time revokes
/// everything issued from it (RFC 6749 §4.1.2).
#[allow(clippy::too_many_arguments)]
pub async fn exchange_code<S: OidcStore + UserStore + SessionStore>(
    store: &S,
    random: &dyn Random,
    iss: &Issuer<'_>,
    client: &Client,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    let bad = |d: &str| TokenError::new(OAuthError::InvalidGrant, d);
    if !client.grant_types.contains(&GrantType::AuthorizationCode) {
        return Err(TokenError::new(
            OAuthError::UnauthorizedClient,
            "this client may not use authorization codes",
        ));
    }
    let Some(presented) = SecretToken::from_presented(code) else {
        return Err(bad("the code is not valid"));
    };
    let hash = presented.hash();
    // Another tenant's or another client's code is just "not valid": only
    // its own client's replay revokes what it gave.
    let Some(stored) = store
        .code_by_hash(&hash)
        .await?
        .filter(|c| c.tenant_id == client.tenant_id && c.client_id == client.id)
    else {
        return Err(bad("the code is not valid"));
    };
    if stored.used_at.is_some() {
        store.revoke_grants_of_code(&hash, now).await?;
        return Err(bad(
            "the code was used before; tokens issued from it are revoked",
        ));
    }
    if now >= stored.expires_at {
        return Err(bad("the code has expired"));
    }
    if redirect_uri != Some(stored.redirect_uri.as_str()) {
        return Err(bad("redirect_uri differs from the authorization request's"));
    }
    match (&stored.code_challenge, verifier) {
        (Some(challenge), Some(v)) if pkce_matches(challenge, v) => {}
        (Some(_), Some(_)) => return Err(bad("the PKCE code_verifier does not match")),
        (Some(_), None) => return Err(bad("code_verifier is missing")),
        (None, Some(_)) => {
            return Err(bad(
                "code_verifier was sent but the request had no code_challenge",
            ));
        }
        (None, None) if client.is_public() => return Err(bad("PKCE is required")),
        (None, None) => {}
    }
    let user = store.user_by_id(&stored.tenant_id, &stored.user_id).await?;
    // The sign-in the code came from must still stand: not signed out, no
    // password or factor reset since.
    let session_stands = store.session_by_hash(&stored.session_hash).await?.is_some();
    let Some(user) = user.filter(|u| {
        u.is_active()
            && session_stands
            && stored.security_stamp.as_deref() == Some(u.security_stamp.as_str())
    }) else {
        return Err(bad("the sign-in behind this code has ended"));
    };
    let grant = Grant {
        id: new_id(random),
        tenant_id: stored.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: Some(user.id.clone()),
        session_hash: Some(stored.session_hash.clone()),
        scope: stored.scope.clone(),
        amr: stored.amr.clone(),
        auth_time: stored.auth_time,
        security_stamp: Some(user.security_stamp.clone()),
        code_hash: Some(hash.clone()),
        created_at: now,
        expires_at: now.plus(client.refresh_token_secs),
        revoked_at: None,
        refresh_generation: i64::from(client.grant_types.contains(&GrantType::RefreshToken)),
    };
    let refresh = (grant.refresh_generation > 0)
        .then(|| refresh_token(iss.secrets, &grant.id, grant.refresh_generation));
    if !store.redeem_code(&hash, &grant, now).await? {
        // Redeemed by a concurrent request: a replay all the same.
        store.revoke_grants_of_code(&hash, now).await?;
        return Err(bad(
            "the code was used before; tokens issued from it are revoked",
        ));
    }
    mint(
        iss,
        random,
        client,
        &grant,
        Some(&user),
        stored.nonce.as_deref(),
        refresh,
        now,
    )
}
