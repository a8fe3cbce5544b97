//! The refresh-token grant: rotating tokens in one family; a reused one
//! revokes the family; a narrower scope may be asked for.

use super::*;

/// A refresh token: the grant, the generation, and a MAC over both with
/// the deployment key. Nothing secret is stored: the grant keeps only the
/// current generation, so a token of an earlier generation is recognised
/// as genuine but used (reuse), and anything else as not valid.
pub fn refresh_token(secrets: &SecretBox, grant_id: &GrantId, generation: i64) -> String {
    let generation = generation.to_string();
    let mac = secrets.mac(&[
        b"oidc-refresh",
        grant_id.as_str().as_bytes(),
        generation.as_bytes(),
    ]);
    format!("lkr.{grant_id}.{generation}.{mac}")
}

/// The grant and generation of a refresh token latchkey issued.
pub fn parse_refresh_token(secrets: &SecretBox, token: &str) -> Option<(GrantId, i64)> {
    if token.len() > 200 {
        return None;
    }
    let mut parts = token.split('.');
    let (Some("lkr"), Some(grant_id), Some(generation), Some(mac), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let generation: i64 = generation.parse().ok().filter(|g| *g > 0)?;
    let grant_id = GrantId::new(grant_id);
    let expected = refresh_token(secrets, &grant_id, generation);
    ct_eq(expected.as_bytes(), token.as_bytes())
        .then_some((grant_id, generation))
        .filter(|_| !mac.is_empty())
}

/// `grant_type=refresh_token`: the token is rotated. A token presented
/// after it was rotated revokes its whole family (the grant).
pub async fn refresh<S: OidcStore + UserStore>(
    store: &S,
    random: &dyn Random,
    iss: &Issuer<'_>,
    client: &Client,
    token: &str,
    scope: Option<&str>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    let bad = |d: &str| TokenError::new(OAuthError::InvalidGrant, d);
    if !client.grant_types.contains(&GrantType::RefreshToken) {
        return Err(TokenError::new(
            OAuthError::UnauthorizedClient,
            "this client may not use refresh tokens",
        ));
    }
    let Some((grant_id, generation)) = parse_refresh_token(iss.secrets, token) else {
        return Err(bad("the refresh token is not valid"));
    };
    let narrower = scope.filter(|s| !s.trim().is_empty());
    if narrower.is_none() {
        // The usual refresh: move the grant on first (one batched statement
        // with every refresh of the moment), then look at what moved. When
        // nothing moved, the careful way below says why.
        if let Some((grant, user)) = store
            .rotate_refresh(&grant_id, generation, &client.id, now)
            .await?
        {
            if grant.revoked_at.is_some() {
                // revoked between the move and the read
                return Err(bad("the refresh token has expired or was revoked"));
            }
            if !stands_for(&grant, &user) {
                store.revoke_grant(&grant.id, now).await?;
                return Err(bad("the sign-in behind this token has ended"));
            }
            let next = Some(refresh_token(iss.secrets, &grant.id, generation + 1));
            return mint(iss, random, client, &grant, Some(&user), None, next, now);
        }
    }
    let Some((grant, user)) = store
        .grant_with_user(&grant_id)
        .await?
        .filter(|(g, _)| g.client_id == client.id)
    else {
        return Err(bad("the refresh token is not valid"));
    };
    if generation < grant.refresh_generation {
        store.revoke_grant(&grant.id, now).await?;
        return Err(bad(
            "the refresh token was used before; every token of its sign-in is revoked",
        ));
    }
    if generation != grant.refresh_generation
        || grant.revoked_at.is_some()
        || now >= grant.expires_at
    {
        return Err(bad("the refresh token has expired or was revoked"));
    }
    if let Some(asked) = scope {
        let granted: Vec<&str> = grant.scope.split(' ').collect();
        if asked
            .split(' ')
            .any(|s| !s.is_empty() && !granted.contains(&s))
        {
            return Err(TokenError::new(
                OAuthError::InvalidScope,
                "a refresh cannot add scopes the user did not grant",
            ));
        }
    }
    if !stands_for(&grant, &user) {
        store.revoke_grant(&grant.id, now).await?;
        return Err(bad("the sign-in behind this token has ended"));
    }
    // A narrower scope applies to the tokens of this answer; the grant
    // (and so later refreshes) keeps what the user allowed.
    let mut minted = grant.clone();
    if let Some(asked) = narrower {
        minted.scope = asked
            .split(' ')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    if store
        .rotate_refresh(&grant.id, generation, &client.id, now)
        .await?
        .is_none()
    {
        store.revoke_grant(&grant.id, now).await?;
        return Err(bad(
            "the refresh token was used before; every token of its sign-in is revoked",
        ));
    }
    mint(
        iss,
        random,
        client,
        &minted,
        Some(&user),
        None,
        Some(refresh_token(iss.secrets, &grant.id, generation + 1)),
        now,
    )
}

/// The refresh token's grant, when it still stands and belongs to `client`.
pub async fn check_refresh_token<S: OidcStore + UserStore>(
    store: &S,
    secrets: &SecretBox,
    client: &Client,
    token: &str,
    now: UnixTime,
) -> StoreResult<Option<(Grant, User)>> {
    let Some((grant_id, generation)) = parse_refresh_token(secrets, token) else {
        return Ok(None);
    };
    let Some(grant) = store.grant_by_id(&grant_id).await? else {
        return Ok(None);
    };
    if grant.client_id != client.id
        || generation != grant.refresh_generation
        || grant.revoked_at.is_some()
        || now >= grant.expires_at
    {
        return Ok(None);
    }
    let Some(user) = grant_user(store, &grant).await? else {
        return Ok(None);
    };
    Ok(Some((grant, user)))
}
