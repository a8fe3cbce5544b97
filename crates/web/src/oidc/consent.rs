//! The consent page: the signed-in person allows (or not) an application.

use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::accounts::session::Session;
use latchkey_core::factors::enrolment;
use latchkey_core::oidc::{self, AuthorizeError, AuthorizeRequest, Next, OAuthError, Scope};
use latchkey_core::platform::secret::sha256_hex;
use latchkey_core::store::OidcStore;
use serde::Deserialize;

use super::authorize::{Params, issue};
use super::request_error_page;
use crate::AppState;
use crate::app::bearer::issuer;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{SignedIn, Tenant};
use crate::app::paths;
use crate::app::respond::{continue_to, found, leave_form, see_other};
use crate::i18n::{self, Texts};
use latchkey_core::platform::time::{DAY, MINUTE};

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    client_name: &'a str,
    username: &'a str,
    scopes: Vec<String>,
    /// "It keeps this access for up to 30 days after each sign-in …".
    lasts: String,
    csrf: String,
    request: String,
}

/// The consent form's CSRF binding: this session and this very request, so
/// a token from another page cannot answer it.
fn binding(session: &Session, request: &str) -> String {
    format!(
        "{}:consent:{}",
        session.id_hash,
        sha256_hex(request.as_bytes())
    )
}

/// The page that asks; in the signed-in person's language.
pub(super) fn page(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    request: &AuthorizeRequest,
) -> Response {
    let t = i18n::texts(me.lang);
    let scopes = request
        .scope
        .iter()
        .map(|s| match s {
            Scope::OpenId => t.get("oidc-scope-openid"),
            Scope::Profile => t.get("oidc-scope-profile"),
            Scope::Email => t.get("oidc-scope-email"),
            Scope::Admin => t.get("oidc-scope-admin"),
            Scope::OfflineAccess => t.get("oidc-scope-offline"),
        })
        .collect();
    let secs = request.client.access_after_sign_in_secs();
    let lasts = if secs >= DAY {
        t.with("oidc-consent-lasts-days", &[("days", (secs / DAY).into())])
    } else {
        let minutes = (secs / MINUTE).max(1);
        t.with("oidc-consent-lasts-minutes", &[("minutes", minutes.into())])
    };
    let resume = paths::authorize_resume(&me.tenant, &request.resume_query(None));
    let (cookie, token) = csrf::issue(state, headers, &me.tenant, &binding(&me.session, &resume));
    let page = ConsentPage {
        t,
        tenant_name: &me.tenant.display_name,
        tenant_slug: me.tenant.slug.as_str(),
        client_name: &request.client.name,
        username: &me.user.username,
        scopes,
        lasts,
        csrf: token,
        request: resume,
    };
    csrf::render(state, StatusCode::OK, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request: String,
    #[serde(default)]
    decision: String,
}

/// The consent page's answer. The form names the request it answers, and
/// its token is bound to it, so the form is read before the session.
pub async fn consent(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    me: Option<SignedIn>,
    headers: HeaderMap,
    form: Result<Form<ConsentForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let Some(query) = form
        .request
        .strip_prefix(&paths::authorize_query_prefix(&tenant))
    else {
        return Ok(request_error_page(
            &headers,
            &tenant,
            "the consent form does not carry an authorization request",
        ));
    };
    let Some(me) = me else {
        return Ok(see_other(&paths::signin_to(&tenant, &form.request)));
    };
    let bound = binding(&me.session, &form.request);
    if !csrf::check(&state, &headers, &tenant, &bound, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let params: Params = serde_urlencoded::from_str(query).unwrap_or_default();
    let iss = issuer(&state, &tenant);
    let request = match oidc::parse_authorize(state.db(), &tenant, params).await {
        Ok(r) => r,
        Err(AuthorizeError::Page(detail)) => {
            return Ok(request_error_page(&headers, &tenant, &detail));
        }
        Err(AuthorizeError::Redirect(e)) => return Ok(found(&e.location(&iss))),
    };
    // Everything but the consent itself must still hold (a fresh enough
    // sign-in, a required set-up done); otherwise the request starts over.
    let pending = enrolment::pending_enrolment(state.db(), &tenant, &me.user)
        .await?
        .is_some();
    match request.next(Some(&me.session), state.clock().now(), pending, false) {
        Next::Consent | Next::Issue => {}
        _ => {
            return Ok(see_other(&paths::authorize_resume(
                &tenant,
                &request.resume_query(None),
            )));
        }
    }
    if form.decision != "allow" {
        let denied = request.error(
            OAuthError::AccessDenied,
            "the user did not allow this application",
        );
        return Ok(continue_to(&denied.location(&iss)));
    }
    state
        .db()
        .save_consent(
            &tenant.id,
            &me.user.id,
            &request.client.id,
            &request.scope_string(),
            state.clock().now(),
        )
        .await?;
    let issued = issue(&state, &tenant, &request, &me.session, &me.user).await?;
    Ok(leave_form(issued))
}
