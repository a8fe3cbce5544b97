//! How a client proves who it is at the token, introspection and
//! revocation endpoints: a secret (Basic or form), `private_key_jwt`, or
//! none for a public client.

use super::*;

/// How a client presented itself at the token, revocation or introspection
/// endpoint.
#[derive(Debug, Clone, Default)]
pub struct ClientAuth {
    /// From HTTP Basic (`client_secret_basic`).
    pub basic: Option<(String, String)>,
    /// From the form.
    pub client_id: Option<ClientId>,
    pub client_secret: Option<String>,
    pub assertion_type: Option<String>,
    pub assertion: Option<String>,
}

impl ClientAuth {
    /// The client this request names (not yet authenticated): HTTP Basic's
    /// id, else the form's `client_id`, else the `sub` of a client
    /// assertion (read before verifying only to know whose keys to use).
    pub fn named_client(&self) -> Option<ClientId> {
        if let Some((id, _)) = &self.basic {
            return Some(ClientId::new(id.as_str()));
        }
        if let Some(id) = &self.client_id {
            return Some(id.clone());
        }
        self.assertion
            .as_deref()?
            .split('.')
            .nth(1)
            .and_then(|c| {
                base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, c).ok()
            })
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|c| c["sub"].as_str().map(ClientId::from))
    }
}

/// Authenticates the client of a token request. A public client names
/// itself and has no secret; a confidential one must prove its secret with
/// exactly one method.
pub async fn authenticate_client<S: ClientStore + OidcStore>(
    store: &S,
    tenant: &Tenant,
    auth: &ClientAuth,
    audiences: &[&str],
    now: UnixTime,
) -> Result<Client, TokenError> {
    let invalid = || TokenError::new(OAuthError::InvalidClient, "client authentication failed");
    if auth.assertion.is_some() || auth.assertion_type.is_some() {
        return assertion_client(store, tenant, auth, audiences, now).await;
    }
    let (client_id, secret) = match (&auth.basic, &auth.client_secret) {
        (Some(_), Some(_)) => {
            return Err(TokenError::new(
                OAuthError::InvalidRequest,
                "use one client authentication method, not several",
            ));
        }
        (Some((id, secret)), None) => {
            if auth.client_id.as_ref().is_some_and(|c| c != id) {
                return Err(TokenError::new(
                    OAuthError::InvalidRequest,
                    "client_id in the form differs from the authenticated client",
                ));
            }
            (ClientId::new(id.as_str()), Some(secret.clone()))
        }
        (None, secret) => match &auth.client_id {
            Some(id) => (id.clone(), secret.clone()),
            None => {
                return Err(TokenError::new(
                    OAuthError::InvalidClient,
                    "client authentication is missing",
                ));
            }
        },
    };
    if client_id.as_str().len() > 200 || secret.as_ref().is_some_and(|s| s.len() > 200) {
        return Err(invalid());
    }
    let client = store.client_by_client_id(&tenant.id, &client_id).await?;
    // A hash is computed even for an unknown client, so timing does not say
    // which client ids exist.
    let presented = sha256_hex(secret.as_deref().unwrap_or("").as_bytes());
    match (client, secret) {
        // A client with keys must use them: no secret, no plain client_id.
        (Some(client), _) if client.jwks.is_some() => Err(invalid()),
        (Some(client), None) if client.is_public() => Ok(client),
        (Some(client), Some(_)) => match &client.secret_hash {
            Some(hash) if ct_eq(hash.as_bytes(), presented.as_bytes()) => Ok(client),
            _ => Err(invalid()),
        },
        _ => Err(invalid()),
    }
}

/// `private_key_jwt`: the client named by the assertion, when it signed it
/// with a registered key and its `jti` is new.
pub(super) async fn assertion_client<S: ClientStore + OidcStore>(
    store: &S,
    tenant: &Tenant,
    auth: &ClientAuth,
    audiences: &[&str],
    now: UnixTime,
) -> Result<Client, TokenError> {
    let invalid = |why: &str| TokenError::new(OAuthError::InvalidClient, why);
    if auth.basic.is_some() || auth.client_secret.is_some() {
        return Err(TokenError::new(
            OAuthError::InvalidRequest,
            "use one client authentication method, not several",
        ));
    }
    if auth.assertion_type.as_deref() != Some(crate::oidc::assertion::JWT_BEARER) {
        return Err(invalid(
            "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ));
    }
    let Some(assertion) = auth.assertion.as_deref() else {
        return Err(invalid("client_assertion is missing"));
    };
    // The client is named by client_id, or else by the assertion's `sub`.
    let Some(client_id) = auth.named_client().filter(|id| id.as_str().len() <= 200) else {
        return Err(invalid("client authentication failed"));
    };
    let Some(client) = store.client_by_client_id(&tenant.id, &client_id).await? else {
        return Err(invalid("client authentication failed"));
    };
    let Some(jwks) = &client.jwks else {
        return Err(invalid(
            "this client has no registered keys; use its secret",
        ));
    };
    let checked =
        crate::oidc::assertion::verify(jwks, assertion, client.client_id.as_str(), audiences, now)
            .map_err(invalid)?;
    let jti_hash = sha256_hex(format!("{}:{}", client.id, checked.jti).as_bytes());
    if !store
        .use_assertion(&jti_hash, &client.id, checked.expires_at)
        .await?
    {
        return Err(invalid("this client assertion was used before"));
    }
    Ok(client)
}
