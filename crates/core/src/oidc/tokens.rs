//! What a token says and how it is made: the issuer, `acr`/`amr`/`sid`,
//! codes and grants as stored, the claims of a user, minting the access and
//! ID tokens of a grant.

use super::*;

/// The issuer of a tenant.
pub fn issuer(public_url: &str, tenant: &Tenant) -> String {
    format!("{}/t/{}", public_url.trim_end_matches('/'), tenant.slug)
}

/// `acr`: "2" when a second factor (app code, security key or passkey,
/// recovery code) was part of the sign-in, else "1".
pub fn acr(methods: &[AuthMethod]) -> &'static str {
    if methods.iter().any(|m| {
        matches!(
            m,
            AuthMethod::Otp
                | AuthMethod::HardwareKey
                | AuthMethod::SoftwareKey
                | AuthMethod::KeyPossession
                | AuthMethod::RecoveryCode
        )
    }) {
        "2"
    } else {
        "1"
    }
}

/// The session id an application sees (`sid`): a keyed hash of the
/// session's own hash, so it identifies the session without revealing it.
pub fn sid(secrets: &SecretBox, session_hash: &SessionHash) -> String {
    secrets.mac(&[b"oidc-sid", session_hash.as_str().as_bytes()])[..32].to_owned()
}

// ---------------------------------------------------------------------------
// Authorization requests

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCode {
    pub code_hash: String,
    pub tenant_id: TenantId,
    /// The client's row id.
    pub client_id: ClientRowId,
    pub user_id: UserId,
    pub session_hash: SessionHash,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: UnixTime,
    pub amr: Vec<AuthMethod>,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    pub used_at: Option<UnixTime>,
    /// The user's security stamp when the code was issued.
    pub security_stamp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: GrantId,
    pub tenant_id: TenantId,
    /// The client's row id.
    pub client_id: ClientRowId,
    /// `None` for client credentials.
    pub user_id: Option<UserId>,
    pub session_hash: Option<SessionHash>,
    pub scope: String,
    pub amr: Vec<AuthMethod>,
    pub auth_time: UnixTime,
    /// The user's security stamp when granted: a change (password reset,
    /// recovery, helpdesk reset) ends the grant.
    pub security_stamp: Option<String>,
    pub code_hash: Option<String>,
    pub created_at: UnixTime,
    /// When its last refresh token can no longer be used.
    pub expires_at: UnixTime,
    pub revoked_at: Option<UnixTime>,
    /// The generation of the one refresh token that works now (0: the grant
    /// has none). Every use moves it on by one.
    pub refresh_generation: i64,
}

/// What the token endpoint hands out.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scope: String,
}

/// What signing needs: the tenant's issuer and opened key.
pub struct Issuer<'a> {
    pub issuer: &'a str,
    pub signer: &'a Signer,
    pub secrets: &'a SecretBox,
}

pub(super) fn at_hash(access_token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    b64url(&digest[..16])
}

/// Claims about the user that `scope` lets the application see.
pub fn user_claims(user: &User, scope: &str) -> BTreeMap<&'static str, serde_json::Value> {
    let mut claims = BTreeMap::new();
    let has = |s| super::scope::has(scope, s);
    if has(Scope::Email) {
        claims.insert("email", user.email.clone().into());
        claims.insert("email_verified", user.email_verified.into());
    }
    if has(Scope::Profile) {
        claims.insert("name", user.display_name.clone().into());
        claims.insert("preferred_username", user.username.clone().into());
        if let Some(lang) = user.language {
            claims.insert("locale", lang.as_str().into());
        }
        claims.insert("updated_at", user.updated_at.0.into());
    }
    claims
}

/// Signs the access token (and for a user grant the ID token) of `grant`.
#[allow(clippy::too_many_arguments)]
pub(super) fn mint(
    iss: &Issuer<'_>,
    random: &dyn Random,
    client: &Client,
    grant: &Grant,
    user: Option<&User>,
    nonce: Option<&str>,
    refresh_token: Option<String>,
    now: UnixTime,
) -> Result<TokenResponse, TokenError> {
    // What the application may have now: one it lost since the grant
    // began (an earlier code, a refresh) is left out of these tokens.
    let scope = super::scope::permitted(client, &grant.scope);
    let grant = &Grant {
        scope,
        ..grant.clone()
    };
    let exp = now.plus(client.access_token_secs);
    let jti = format!("{}.{}", grant.id, new_id::<String>(random));
    let sub = grant
        .user_id
        .as_ref()
        .map_or(client.client_id.as_str(), UserId::as_str);
    let mut access = serde_json::json!({
        "iss": iss.issuer,
        "sub": sub,
        "aud": client.client_id,
        "client_id": client.client_id,
        "iat": now.0,
        "exp": exp.0,
        "jti": jti,
    });
    if !grant.scope.is_empty() {
        access["scope"] = grant.scope.clone().into();
    }
    let mut id_token = None;
    let access_token;
    if let Some(user) = user {
        let amr: Vec<&str> = grant.amr.iter().map(|m| m.as_str()).collect();
        access["auth_time"] = grant.auth_time.0.into();
        access["amr"] = amr.clone().into();
        access["acr"] = acr(&grant.amr).into();
        if let Some(session) = &grant.session_hash {
            access["sid"] = sid(iss.secrets, session).into();
        }
        access_token = iss.signer.sign_typed("at+jwt", &access)?;
        if super::scope::has(&grant.scope, Scope::OpenId) {
            let mut id = serde_json::json!({
                "iss": iss.issuer,
                "sub": sub,
                "aud": client.client_id,
                "azp": client.client_id,
                "iat": now.0,
                "exp": exp.0,
                "auth_time": grant.auth_time.0,
                "amr": amr,
                "acr": acr(&grant.amr),
                "at_hash": at_hash(&access_token),
            });
            if let Some(session) = &grant.session_hash {
                id["sid"] = sid(iss.secrets, session).into();
            }
            if let Some(nonce) = nonce {
                id["nonce"] = nonce.into();
            }
            for (k, v) in user_claims(user, &grant.scope) {
                id[k] = v;
            }
            id_token = Some(iss.signer.sign(&id)?);
        }
    } else {
        access_token = iss.signer.sign_typed("at+jwt", &access)?;
    }
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: client.access_token_secs,
        refresh_token,
        id_token,
        scope: grant.scope.clone(),
    })
}

/// The user of a grant, if the grant still stands for them: active, and
/// with the security stamp the grant began with.
pub(super) async fn grant_user<S: UserStore>(
    store: &S,
    grant: &Grant,
) -> StoreResult<Option<User>> {
    let Some(user_id) = &grant.user_id else {
        return Ok(None);
    };
    let user = store.user_by_id(&grant.tenant_id, user_id).await?;
    Ok(user.filter(|u| stands_for(grant, u)))
}

/// Whether `grant` still stands for `user`: active, with the security
/// stamp the grant began with.
pub(super) fn stands_for(grant: &Grant, user: &User) -> bool {
    user.is_active() && grant.security_stamp.as_deref() == Some(user.security_stamp.as_str())
}
