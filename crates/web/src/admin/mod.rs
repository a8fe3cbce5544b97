//! The tenant administration console (tenant admins only): self-recovery
//! statistics with a server-rendered chart, the second-factor policy, the
//! people (`people`: search, pages, a person's page with the helpdesk reset
//! of their second factors; the unready list, whose people `reminders`
//! mails), the tenant's applications, asking the
//! operator to activate self-recovery, the audit log (`audit`) and the
//! set-up wizard (`setup`), which opens instead of the home until the
//! set-up is finished or put off.

mod activation;
mod app_scopes;
mod applications;
mod audit;
mod console;
mod everyone;
mod invite;
mod people;
mod people_list;
mod reminders;
mod reset_link;
mod setup;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use latchkey_core::factors::totp::require_recent_auth;

use crate::AppState;
use crate::app::error::{MessagePage, WebError, html};
use crate::app::extract::session::enrolment_first;
use crate::app::extract::{CsrfField, CsrfForm, SignedIn};
use crate::app::form::FieldErrors;
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::{self, Texts};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN, get(console::console))
        .route(paths::ADMIN_SECOND_FACTORS, post(console::second_factors))
        .route(paths::ADMIN_PEOPLE, get(people_list::people))
        .route(
            paths::ADMIN_PEOPLE_NEW,
            get(invite::new_person).post(invite::create),
        )
        .route(
            paths::ADMIN_PEOPLE_SIGN_OUT,
            get(everyone::confirm).post(everyone::sign_out),
        )
        .route(paths::ADMIN_PERSON, get(people::person))
        .route(paths::ADMIN_PERSON_RESET_LINK, post(reset_link::send))
        .route(paths::ADMIN_PERSON_INVITATION, post(invite::invitation))
        .route(paths::ADMIN_PERSON_STATUS, post(people::set_status))
        .route(paths::ADMIN_PERSON_SIGN_OUT, post(people::sign_out))
        .route(paths::ADMIN_PERSON_ROLE, post(people::set_role))
        .route(paths::ADMIN_PERSON_RESET, post(people::reset))
        .route(paths::ADMIN_APPLICATIONS, post(applications::create))
        .route(
            paths::ADMIN_APPLICATION,
            get(applications::settings).post(applications::update),
        )
        .route(
            paths::ADMIN_APPLICATION_SECRET,
            post(applications::rotate_secret),
        )
        .route(
            paths::ADMIN_APPLICATION_DELETE,
            get(applications::confirm_delete).post(applications::delete),
        )
        .route(paths::ADMIN_RECOVERY_REQUEST, post(activation::request))
        .route(paths::ADMIN_SETUP, get(setup::wizard))
        .route(paths::ADMIN_SETUP_STEP, post(setup::save))
        .route(paths::ADMIN_SETUP_LATER, post(setup::later))
        .route(paths::ADMIN_SETUP_RESUME, post(setup::resume))
        .route(paths::ADMIN_SETUP_FINISH, post(setup::finish))
        .route(paths::ADMIN_AUDIT, get(audit::log))
        .route(paths::ADMIN_AUDIT_EXPORT, get(audit::export))
        .route(paths::ADMIN_REMINDERS, post(reminders::remind))
}

fn text(admin: &SignedIn) -> Texts {
    i18n::texts(admin.lang)
}

/// The cookie and token of a console form, bound to the administrator's
/// session.
fn csrf_for(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
) -> (crate::app::csrf::CsrfCookie, String) {
    crate::app::csrf::issue(
        state,
        headers,
        &admin.tenant,
        admin.session.id_hash.as_str(),
    )
}

/// The signed-in administrator of the path's tenant. Anyone else is sent
/// away: to sign in, to the set-up the tenant requires, or refused (403).
pub struct Administrator(pub SignedIn);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let signed_in =
            <SignedIn as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        turned_away(state, &signed_in).await?;
        Ok(Administrator(signed_in))
    }
}

/// A form posted by the administrator, after its CSRF check (which comes
/// before the role is looked at, as for every form of a signed-in user).
pub struct AdminForm<F> {
    pub admin: SignedIn,
    pub form: F,
}

impl<F: CsrfField> FromRequest<AppState> for AdminForm<F> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let admin =
            <SignedIn as FromRequestParts<AppState>>::from_request_parts(&mut parts, state).await?;
        let CsrfForm(form) =
            CsrfForm::<F>::from_request(Request::from_parts(parts, body), state).await?;
        turned_away(state, &admin).await?;
        Ok(AdminForm { admin, form })
    }
}

/// Where a signed-in user who may not use the console goes instead: the
/// required set-up first — and from it back to the console page they were
/// on (the wizard, whose second-factor step has just required one) —, or a
/// refusal for anyone but an administrator.
async fn turned_away(state: &AppState, user: &SignedIn) -> Result<(), Response> {
    if let Some(mut redirect) = enrolment_first(state, &user.tenant, &user.user)
        .await
        .map_err(IntoResponse::into_response)?
    {
        if let Some(back) = crate::app::context::landing().filter(|_| user.user.is_admin()) {
            crate::app::browser::remember_resume(state, &user.tenant, &mut redirect, &back);
        }
        return Err(redirect);
    }
    if !user.user.is_admin() {
        let t = text(user);
        let (title, refusal) = (t.get("admin-title"), t.get("admin-not-admin"));
        let page = MessagePage::new(t, &title, &refusal)
            .link(paths::account(&user.tenant), t.get("error-forward-account"));
        return Err(html(StatusCode::FORBIDDEN, &page));
    }
    Ok(())
}

/// For changes that need a sign-in within the last ten minutes: an older
/// one is sent to confirm it and come back to `/t/{tenant}/{back}`.
fn unless_recent(state: &AppState, admin: &SignedIn, back: &str) -> Option<Response> {
    require_recent_auth(&admin.session, state.clock().now())
        .is_err()
        .then(|| see_other(&paths::reauth(&admin.tenant, back)))
}

/// The non-empty lines of a text area, trimmed.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The console again with what was wrong with the input (422); other
/// errors as errors.
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    err: latchkey_core::Error,
) -> Result<Response, WebError> {
    let latchkey_core::Error::Invalid(errors) = err else {
        return Err(err.into());
    };
    let errors = FieldErrors::new(&i18n::texts(admin.lang), &errors, |_| None);
    console::page(
        state,
        headers,
        admin,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        errors,
        None,
    )
    .await
}
