//! The authorization endpoint (by GET or POST): the request is checked,
//! then the browser signs in, sets up what the tenant requires, allows the
//! application, or gets its code.

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use latchkey_core::accounts::session::Session;
use latchkey_core::accounts::user::User;
use latchkey_core::factors::enrolment;
use latchkey_core::oidc::{self, AuthorizeError, AuthorizeRequest, Next, OAuthError};
use latchkey_core::tenants::Tenant as TenantRecord;

use super::request_error_page;
use crate::AppState;
use crate::app::bearer::issuer;
use crate::app::browser;
use crate::app::error::WebError;
use crate::app::extract::session::enrolment_first;
use crate::app::extract::{SignedIn, Tenant};
use crate::app::paths;
use crate::app::respond::{found, query_escape, see_other};

pub(super) type Params = Vec<(String, String)>;

pub async fn authorize(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    me: Option<SignedIn>,
    headers: HeaderMap,
    query: Result<Query<Params>, QueryRejection>,
) -> Result<Response, WebError> {
    match query {
        Ok(Query(params)) => run(&state, &headers, &tenant, me.as_ref(), params).await,
        Err(_) => Ok(not_form_encoded(&headers, &tenant, "the query string")),
    }
}

pub async fn authorize_post(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    me: Option<SignedIn>,
    headers: HeaderMap,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Response, WebError> {
    match form {
        Ok(Form(params)) => run(&state, &headers, &tenant, me.as_ref(), params).await,
        Err(_) => Ok(not_form_encoded(&headers, &tenant, "the request body")),
    }
}

fn not_form_encoded(headers: &HeaderMap, tenant: &TenantRecord, what: &str) -> Response {
    request_error_page(
        headers,
        tenant,
        &format!("{what} is not valid form encoding"),
    )
}

async fn run(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &TenantRecord,
    me: Option<&SignedIn>,
    params: Params,
) -> Result<Response, WebError> {
    let iss = issuer(state, tenant);
    let request = match oidc::parse_authorize(state.db(), tenant, params).await {
        Ok(r) => r,
        Err(AuthorizeError::Page(detail)) => {
            return Ok(request_error_page(headers, tenant, &detail));
        }
        Err(AuthorizeError::Redirect(e)) => return Ok(found(&e.location(&iss))),
    };
    let now = state.clock().now();
    let (pending, consented) = match me {
        Some(me) => (
            enrolment::pending_enrolment(state.db(), tenant, &me.user)
                .await?
                .is_some(),
            oidc::has_consent(state.db(), &me.user, &request).await?,
        ),
        None => (false, false),
    };
    let step = request.next(me.map(|me| &me.session), now, pending, consented);
    match (step, me) {
        (Next::Fail(error), _) => {
            let description = match error {
                OAuthError::LoginRequired => "the user must sign in",
                OAuthError::InteractionRequired => "the user must set up a second factor first",
                _ => "the user must allow this application",
            };
            Ok(found(&request.error(error, description).location(&iss)))
        }
        (Next::SignIn { fresh }, _) => {
            let resume =
                paths::authorize_resume(tenant, &request.resume_query(fresh.then_some(now)));
            let mut location = paths::signin_to(tenant, &resume);
            if let Some(hint) = &request.login_hint {
                location.push_str("&login=");
                location.push_str(&query_escape(hint));
            }
            if fresh {
                // The form even for a signed-in browser; the new sign-in
                // will replace the session (a GET here ends nothing).
                location.push_str("&fresh=1");
            }
            Ok(see_other(&location))
        }
        (Next::Enrol, Some(me)) => {
            let mut response = enrolment_first(state, tenant, &me.user)
                .await?
                .unwrap_or_else(|| see_other(&paths::account(tenant)));
            browser::remember_resume(
                state,
                tenant,
                &mut response,
                &paths::authorize_resume(tenant, &request.resume_query(None)),
            );
            Ok(response)
        }
        (Next::Consent, Some(me)) => Ok(super::consent::page(state, headers, me, &request)),
        (Next::Issue, Some(me)) => issue(state, tenant, &request, &me.session, &me.user).await,
        (Next::Enrol | Next::Consent | Next::Issue, None) => Err(WebError::Internal(
            "a step for a signed-in user without a session".into(),
        )),
    }
}

/// Issues the code and sends the browser back to the application.
pub(super) async fn issue(
    state: &AppState,
    tenant: &TenantRecord,
    request: &AuthorizeRequest,
    session: &Session,
    user: &User,
) -> Result<Response, WebError> {
    let code = oidc::issue_code(
        state.db(),
        state.random(),
        tenant,
        request,
        session,
        user,
        state.clock().now(),
    )
    .await?;
    let iss = issuer(state, tenant);
    let mut pairs = vec![("code", code.expose())];
    if let Some(s) = &request.state {
        pairs.push(("state", s));
    }
    pairs.push(("iss", &iss));
    let mut response = found(&oidc::with_query(&request.redirect_uri, &pairs));
    browser::forget_resume(state, tenant, &mut response);
    Ok(response)
}
