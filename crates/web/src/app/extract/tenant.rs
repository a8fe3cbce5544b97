//! The tenant a request is for, named by the `{tenant}` segment of its path.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use latchkey_core::Error;
use latchkey_core::tenants;

use crate::AppState;
use crate::app::error::WebError;

/// The tenant of the path; an unknown one is a 404 page. Read once per
/// request: later extractors reuse it.
#[derive(Clone)]
pub struct Tenant(pub tenants::Tenant);

impl std::ops::Deref for Tenant {
    type Target = tenants::Tenant;

    fn deref(&self) -> &tenants::Tenant {
        &self.0
    }
}

impl FromRequestParts<AppState> for Tenant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(tenant) = parts.extensions.get::<Tenant>() {
            return Ok(tenant.clone());
        }
        let slug = slug(parts).await?;
        let tenant = Tenant(
            load(state, &slug)
                .await
                .map_err(IntoResponse::into_response)?,
        );
        parts.extensions.insert(tenant.clone());
        Ok(tenant)
    }
}

/// The tenant of the token-style endpoints (token, userinfo, revocation,
/// introspection), which need only its id and slug: from a short-lived
/// copy (see [`AppState::issuer_tenant`]).
pub struct IssuerTenant(pub tenants::Tenant);

impl FromRequestParts<AppState> for IssuerTenant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let slug = slug(parts).await?;
        state
            .issuer_tenant(&slug)
            .await
            .map(IssuerTenant)
            .map_err(IntoResponse::into_response)
    }
}

/// The `{tenant}` segment, percent-decoded (one that is not UTF-8 is
/// answered 400, as axum's `Path` does).
pub(crate) async fn slug(parts: &mut Parts) -> Result<String, Response> {
    let params = RawPathParams::from_request_parts(parts, &())
        .await
        .map_err(IntoResponse::into_response)?;
    params
        .iter()
        .find(|(name, _)| *name == "tenant")
        .map(|(_, value)| value.to_owned())
        .ok_or_else(|| WebError::Internal("a route without {tenant}".into()).into_response())
}

/// The tenant by its slug; an unknown one is "no such organisation".
pub(crate) async fn load(state: &AppState, slug: &str) -> Result<tenants::Tenant, WebError> {
    let tenant = tenants::by_slug(state.db(), slug)
        .await
        .map_err(|err| match err {
            Error::NotFound(_) => WebError::Core(Error::NotFound(UNKNOWN_TENANT)),
            other => WebError::Core(other),
        })?;
    crate::app::context::note_tenant(&tenant);
    Ok(tenant)
}

/// What an unknown tenant is called in its "not found" error.
pub(crate) const UNKNOWN_TENANT: &str = "organisation (tenant)";
