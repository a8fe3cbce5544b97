//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): an
//! application asks to sign the browser out, and where to send it after.

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::accounts::session::{Session, SessionStage};
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::oidc;
use latchkey_core::platform::ids::ClientId;
use latchkey_core::platform::secret::sha256_hex;
use latchkey_core::signin;
use latchkey_core::store::ClientStore;
use latchkey_core::tenants::Tenant as TenantRecord;
use serde::Deserialize;

use super::authorize::Params;
use super::{request_error_page, text};
use crate::AppState;
use crate::app::bearer::issuer;
use crate::app::browser;
use crate::app::csrf;
use crate::app::error::{MessagePage, WebError, html};
use crate::app::extract::session::session_at;
use crate::app::extract::{Client, Tenant};
use crate::app::respond::{found, leave_form};
use crate::i18n::Texts;

#[derive(Template)]
#[template(path = "logout.html")]
struct LogoutPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    redirect: String,
}

fn single(params: &Params, name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty() && v.len() <= 8192)
}

/// Where to send the browser after signing out, if the application asked
/// for a registered address; an unregistered one is an error page.
async fn logout_target(
    state: &AppState,
    tenant: &TenantRecord,
    params: &Params,
) -> Result<Result<(Option<String>, Option<String>), String>, WebError> {
    let hint = match single(params, "id_token_hint") {
        Some(token) => {
            let keys = state.tenant_keys(&tenant.id, false).await?;
            // An ID token (not an access token) this issuer signed; expired
            // ones are fine, as RP-initiated logout says.
            let Some(claims) =
                oidc::signing::verify(&keys.keys, &token, "JWT", state.clock().now())
                    .filter(|c| c["iss"] == issuer(state, tenant) && c.get("azp") == c.get("aud"))
            else {
                return Ok(Err(
                    "id_token_hint is not an ID token this issuer signed".into()
                ));
            };
            Some(claims)
        }
        None => None,
    };
    let client_id = single(params, "client_id");
    let hinted = hint
        .as_ref()
        .and_then(|c| c["aud"].as_str().map(str::to_owned));
    if let (Some(a), Some(b)) = (&client_id, &hinted)
        && a != b
    {
        return Ok(Err("client_id differs from the ID token's audience".into()));
    }
    let sid = hint
        .as_ref()
        .and_then(|c| c["sid"].as_str().map(str::to_owned));
    let Some(uri) = single(params, "post_logout_redirect_uri") else {
        return Ok(Ok((None, sid)));
    };
    let Some(client_id) = client_id.or(hinted) else {
        return Ok(Err(
            "post_logout_redirect_uri needs id_token_hint or client_id".into(),
        ));
    };
    let Some(client) = state
        .db()
        .client_by_client_id(&tenant.id, &ClientId::new(client_id.as_str()))
        .await?
    else {
        return Ok(Err(format!(
            "no application \"{client_id}\" is registered here"
        )));
    };
    if !client.post_logout_uris.contains(&uri) {
        return Ok(Err(
            "post_logout_redirect_uri is not registered for this application".into(),
        ));
    }
    let target = match single(params, "state") {
        Some(s) => oidc::with_query(&uri, &[("state", &s)]),
        None => uri,
    };
    Ok(Ok((Some(target), sid)))
}

async fn sign_out_browser(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &TenantRecord,
    meta: &RequestMeta,
    session: &Session,
    target: Option<String>,
) -> Result<Response, WebError> {
    signin::sign_out(
        state.db(),
        state.random(),
        state.clock(),
        tenant,
        session,
        meta,
    )
    .await?;
    let mut response = signed_out(headers, tenant, target);
    browser::clear_session(state, tenant, &mut response);
    Ok(response)
}

fn signed_out(headers: &HeaderMap, tenant: &TenantRecord, target: Option<String>) -> Response {
    match target {
        Some(target) => found(&target),
        None => {
            let t = text(headers, tenant);
            let (title, text) = (
                t.get("oidc-signed-out-title"),
                t.get("oidc-signed-out-text"),
            );
            html(StatusCode::OK, &MessagePage::new(t, &title, &text))
        }
    }
}

/// The sign-out form's CSRF binding: the session and the address it
/// returns to (checked when the form was made), so neither can be swapped.
fn logout_binding(session: &Session, target: &str) -> String {
    format!(
        "{}:logout:{}",
        session.id_hash,
        sha256_hex(target.as_bytes())
    )
}

async fn end_session_with(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &TenantRecord,
    meta: &RequestMeta,
    params: Params,
) -> Result<Response, WebError> {
    let (target, sid) = match logout_target(state, tenant, &params).await? {
        Ok(pair) => pair,
        Err(detail) => return Ok(request_error_page(headers, tenant, &detail)),
    };
    let Some((session, _)) = session_at(state, headers, tenant, SessionStage::Complete).await?
    else {
        return Ok(signed_out(headers, tenant, target));
    };
    // The application proved which sign-in it means: no question needed.
    if sid.is_some_and(|sid| sid == oidc::sid(state.secrets(), &session.id_hash)) {
        return sign_out_browser(state, headers, tenant, meta, &session, target).await;
    }
    let target = target.unwrap_or_default();
    let (cookie, csrf) = csrf::issue(state, headers, tenant, &logout_binding(&session, &target));
    let page = LogoutPage {
        t: text(headers, tenant),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        redirect: target,
    };
    Ok(csrf::render(state, StatusCode::OK, &page, &cookie))
}

pub async fn end_session(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Client(meta): Client,
    headers: HeaderMap,
    query: Result<Query<Params>, QueryRejection>,
) -> Result<Response, WebError> {
    let params = query.map(|Query(q)| q).unwrap_or_default();
    end_session_with(&state, &headers, &tenant, &meta, params).await
}

pub async fn end_session_post(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, WebError> {
    let params = form.map(|Form(f)| f).unwrap_or_default();
    end_session_with(&state, &headers, &tenant, &meta, params).await
}

#[derive(Deserialize, Default)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    post_logout_redirect_uri: String,
}

/// The confirmation of the sign-out page. The address to return to was
/// checked when the page was made; it is checked again here, since the
/// form comes back from the browser.
pub async fn confirm(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let Some((session, _)) = session_at(&state, &headers, &tenant, SessionStage::Complete).await?
    else {
        return Ok(signed_out(&headers, &tenant, None));
    };
    let binding = logout_binding(&session, &form.post_logout_redirect_uri);
    if !csrf::check(&state, &headers, &tenant, &binding, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let target = Some(form.post_logout_redirect_uri).filter(|t| !t.is_empty());
    let response = sign_out_browser(&state, &headers, &tenant, &meta, &session, target).await?;
    Ok(leave_form(response))
}
