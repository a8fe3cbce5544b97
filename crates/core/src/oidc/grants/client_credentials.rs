//! The client-credentials grant: a confidential client's own access
//! token, no user, no stored grant (until revoked).

use super::*;

/// `grant_type=client_credentials`: an access token for the client itself.
pub fn client_credentials(
    random: &dyn Random,
    iss: &Issuer<'_>,
    client: &Client,
    scope: Option<&str>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    if client.is_public() || !client.grant_types.contains(&GrantType::ClientCredentials) {
        return Err(TokenError::new(
            OAuthError::UnauthorizedClient,
            "this client may not use client_credentials",
        ));
    }
    if scope.is_some_and(|s| !s.trim().is_empty()) {
        return Err(TokenError::new(
            OAuthError::InvalidScope,
            "no scopes are registered for machine-to-machine use; leave scope out",
        ));
    }
    let grant = Grant {
        id: new_id(random),
        tenant_id: client.tenant_id.clone(),
        client_id: client.id.clone(),
        user_id: None,
        session_hash: None,
        scope: String::new(),
        amr: vec![],
        auth_time: now,
        security_stamp: None,
        code_hash: None,
        created_at: now,
        expires_at: now.plus(client.access_token_secs),
        revoked_at: None,
        refresh_generation: 0,
    };
    mint(iss, random, client, &grant, None, None, None, now)
}
