//! Who is signed in: the browser's session in the tenant, at the stage a
//! route needs.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use latchkey_core::accounts::session::{self, Session, SessionStage};
use latchkey_core::accounts::user::User;
use latchkey_core::factors::enrolment::{self, Pending};
use latchkey_core::platform::ids::SessionHash;
use latchkey_core::platform::lang::Language;
use latchkey_core::tenants;

use super::Tenant;
use crate::AppState;
use crate::app::cookies::{self, Names};
use crate::app::error::WebError;
use crate::app::paths;
use crate::app::respond::see_other;

/// A signed-in user (a complete sign-in) of the path's tenant; a browser
/// without one is sent to sign in, and back to the account page after.
/// As `Option<SignedIn>`, a browser without one is `None`.
pub struct SignedIn {
    pub tenant: tenants::Tenant,
    pub session: Session,
    pub user: User,
    /// The user's language (see [`super::lang`]).
    pub lang: Language,
}

/// A signed-in user who has done the set-up the tenant requires (a second
/// factor and recovery codes); one who has not is sent to do it first.
/// Every page for signed-in users takes this, except the set-up pages
/// themselves and sign-out.
pub struct Enrolled(pub SignedIn);

/// A sign-in waiting for its second step; a browser without one is sent to
/// sign in.
pub struct PendingStep {
    pub tenant: tenants::Tenant,
    pub session: Session,
    pub user: User,
    pub lang: Language,
}

/// The session a form posted by this request must be bound to (see
/// [`super::CsrfForm`]): set by the extractors above.
#[derive(Clone)]
pub(crate) struct SessionBinding(pub SessionHash);

/// The tenant, this browser's session at `stage` with its user, and the
/// page language — what [`SignedIn`] and [`PendingStep`] hold; the
/// request's forms are bound to that session.
async fn session_of(
    parts: &mut Parts,
    state: &AppState,
    stage: SessionStage,
) -> Result<Option<(tenants::Tenant, Session, User, Language)>, Response> {
    let Tenant(tenant) = Tenant::from_request_parts(parts, state).await?;
    let found = session_at(state, &parts.headers, &tenant, stage)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(found.map(|(session, user)| {
        parts
            .extensions
            .insert(SessionBinding(session.id_hash.clone()));
        let lang = super::lang::of_user(&parts.headers, &tenant, &user);
        (tenant, session, user, lang)
    }))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match <SignedIn as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
        {
            Some(signed_in) => Ok(signed_in),
            None => {
                let Tenant(tenant) = Tenant::from_request_parts(parts, state).await?;
                Err(see_other(&paths::signin_to_account(&tenant)))
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Response> {
        let found = session_of(parts, state, SessionStage::Complete).await?;
        if let Some((tenant, session, _, _)) = &found {
            let hash = session.id_hash.as_str();
            crate::app::context::note_signed_in(hash);
            if let Some(token) =
                crate::app::csrf::existing_token(state, &parts.headers, tenant, hash)
            {
                crate::app::context::note_form_token(tenant.slug.as_str(), hash, &token);
            }
        }
        Ok(found.map(|(tenant, session, user, lang)| SignedIn {
            tenant,
            session,
            user,
            lang,
        }))
    }
}

impl FromRequestParts<AppState> for Enrolled {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let signed_in =
            <SignedIn as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        match enrolment_first(state, &signed_in.tenant, &signed_in.user)
            .await
            .map_err(IntoResponse::into_response)?
        {
            Some(redirect) => Err(redirect),
            None => Ok(Enrolled(signed_in)),
        }
    }
}

impl FromRequestParts<AppState> for PendingStep {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match <PendingStep as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
        {
            Some(pending) => Ok(pending),
            None => {
                let Tenant(tenant) = Tenant::from_request_parts(parts, state).await?;
                Err(see_other(&paths::signin(&tenant)))
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for PendingStep {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Response> {
        let found = session_of(parts, state, SessionStage::SecondFactor).await?;
        Ok(found.map(|(tenant, session, user, lang)| PendingStep {
            tenant,
            session,
            user,
            lang,
        }))
    }
}

/// This browser's session in `tenant` at `stage`.
pub(crate) async fn session_at(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &tenants::Tenant,
    stage: SessionStage,
) -> Result<Option<(Session, User)>, WebError> {
    let Some(presented) = cookies::get(headers, &Names::of(state, tenant).session()) else {
        return Ok(None);
    };
    Ok(session::authenticate(
        state.db(),
        state.clock(),
        &state.config().session,
        tenant,
        &presented,
        stage,
    )
    .await?)
}

/// Where a user must go first when the tenant requires a second factor they
/// have not set up (see `core::factors::enrolment`).
pub(crate) async fn enrolment_first(
    state: &AppState,
    tenant: &tenants::Tenant,
    user: &User,
) -> Result<Option<Response>, WebError> {
    Ok(
        match enrolment::pending_enrolment(state.db(), tenant, user).await? {
            Some(Pending::SecondFactor) => Some(see_other(&paths::totp(tenant))),
            Some(Pending::RecoveryCodes) => Some(see_other(&paths::recovery_codes(tenant))),
            None => None,
        },
    )
}
