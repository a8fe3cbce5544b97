//! The browser's recovery case, named by its case cookie (never by the URL).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use latchkey_core::tenants;

use super::Tenant;
use crate::AppState;
use crate::app::cookies::{self, Names};
use crate::app::paths;
use crate::app::respond::see_other;

/// The path's tenant and this browser's case cookie; a browser without one
/// is sent to the start of recovery.
pub struct RecoveryBrowser {
    pub tenant: tenants::Tenant,
    /// The case cookie's value, as core's recovery journey takes it.
    pub browser: String,
}

impl FromRequestParts<AppState> for RecoveryBrowser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Tenant(tenant) = Tenant::from_request_parts(parts, state).await?;
        match case_cookie(state, &parts.headers, &tenant) {
            Some(browser) => Ok(RecoveryBrowser { tenant, browser }),
            None => Err(see_other(&paths::recover(&tenant))),
        }
    }
}

/// The browser's case cookie in `tenant`, if it has one.
pub(crate) fn case_cookie(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    tenant: &tenants::Tenant,
) -> Option<String> {
    cookies::get(headers, &Names::of(state, tenant).recovery_case())
}
