//! What the browser holds between requests besides CSRF: its session
//! cookie, its device id, and the authorization request it will resume.

use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::accounts::session::SessionStage;
use latchkey_core::accounts::user::User;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::platform::time::{DAY, HOUR};
use latchkey_core::signin;
use latchkey_core::tenants::Tenant;

use crate::AppState;
use crate::app::cookies::{self, Names};
use crate::app::error::WebError;
use crate::app::extract::session::session_at;
use crate::app::respond::safe_return_to;

/// Gives the browser its session: `token` in the tenant's session cookie.
pub fn set_session(
    state: &AppState,
    tenant: &Tenant,
    response: &mut Response,
    token: &SecretToken,
) {
    let cookie = cookies::set(
        state.config().secure_cookies,
        &Names::of(state, tenant).session(),
        token.expose(),
        None,
    );
    cookies::append(response, Some(cookie));
}

/// After a change that signed everyone else out (the session goes on under
/// the new id `token`): the rest of the request renders with the new id
/// (forms' CSRF tokens are bound to it) and the response gives the browser
/// the new cookie ([`set_session`]).
pub fn moved_to(me: &mut crate::app::extract::SignedIn, token: &SecretToken) {
    me.session.id_hash = token.hash().into();
    crate::app::context::note_signed_in(me.session.id_hash.as_str());
}

/// Takes the session cookie away.
pub fn clear_session(state: &AppState, tenant: &Tenant, response: &mut Response) {
    let cookie = cookies::clear(
        state.config().secure_cookies,
        &Names::of(state, tenant).session(),
    );
    cookies::append(response, Some(cookie));
}

/// This browser's device id in `tenant`, as presented.
pub fn device(state: &AppState, headers: &HeaderMap, tenant: &Tenant) -> Option<String> {
    cookies::get(headers, &Names::of(state, tenant).device())
}

/// A new sign-in replaces the session this browser had for the tenant:
/// that one ends, with the application tokens issued through it.
pub async fn end_previous_sessions(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
) -> Result<(), WebError> {
    for stage in [SessionStage::Complete, SessionStage::SecondFactor] {
        if let Some((previous, _)) = session_at(state, headers, tenant, stage).await? {
            signin::end_session(state.db(), &previous.id_hash, state.clock().now()).await?;
        }
    }
    Ok(())
}

/// After a complete sign-in (the rules: `recovery::journey::after_sign_in`):
/// the browser's device cookie gets its fresh id, and a browser that is not
/// a known device is told to the person — unless `told_already` (a
/// completed recovery mails its own notice).
#[allow(clippy::too_many_arguments)]
pub async fn after_sign_in(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
    meta: &RequestMeta,
    second_factor: bool,
    told_already: bool,
    response: &mut Response,
) -> Result<(), WebError> {
    let name = Names::of(state, tenant).device();
    let presented = cookies::get(headers, &name);
    let fresh = latchkey_core::recovery::journey::after_sign_in(
        &state.env(),
        tenant,
        user,
        presented.as_deref(),
        second_factor,
        told_already,
        meta,
    )
    .await?;
    let cookie = cookies::set(
        state.config().secure_cookies,
        &name,
        fresh.expose(),
        Some(400 * DAY),
    );
    cookies::append(response, Some(cookie));
    Ok(())
}

/// Remembers `resume` (an authorization request's path) while the user
/// sets up a required second factor.
pub fn remember_resume(state: &AppState, tenant: &Tenant, response: &mut Response, resume: &str) {
    cookies::append(
        response,
        Some(cookies::set(
            state.config().secure_cookies,
            &Names::of(state, tenant).resume(),
            &URL_SAFE_NO_PAD.encode(resume),
            Some(HOUR),
        )),
    );
}

/// Forgets the remembered authorization request (it was answered).
pub fn forget_resume(state: &AppState, tenant: &Tenant, response: &mut Response) {
    cookies::append(
        response,
        Some(cookies::clear(
            state.config().secure_cookies,
            &Names::of(state, tenant).resume(),
        )),
    );
}

/// Where the set-up pages lead when they are done: the remembered
/// authorization request, else the account page.
pub fn resume_target(state: &AppState, headers: &HeaderMap, tenant: &Tenant) -> String {
    let remembered = cookies::get(headers, &Names::of(state, tenant).resume())
        .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
        .and_then(|b| String::from_utf8(b).ok());
    safe_return_to(tenant, remembered.as_deref())
}
