//! The page an invitation opens. A tenant administrator's: choose a
//! username and a password; the account is made (an administrator, the
//! invited address verified), the browser signed in and sent to the
//! console. A person's (decision 0029): their account exists; they choose
//! its password, and are signed in and sent on (the required set-up of a
//! second factor first, where the tenant asks for one). The rules are in
//! `core::accounts::invitation`.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::invitation::{self, Purpose};
use latchkey_core::tenants;
use serde::Deserialize;

use crate::AppState;
use crate::app::browser;
use crate::app::csrf::{self, Binding};
use crate::app::error::{MessagePage, WebError, html};
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, Lang, Tenant};
use crate::app::form::{FormError, error_for};
use crate::app::respond::see_other;
use crate::i18n::{self, Texts};

/// The binding of this page's CSRF token (nobody is signed in yet).
const BINDING: &str = "invitation";

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    token: &'a str,
    email: &'a str,
    username: &'a str,
    display_name: &'a str,
    /// A person's invitation: only the password is chosen.
    person: bool,
    error: Option<FormError>,
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(Deserialize, Default)]
pub struct AcceptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

csrf_field!(Binding::Page(BINDING) => AcceptForm);

/// What the page shows besides the invitation.
struct Typed<'a> {
    username: &'a str,
    display_name: &'a str,
    error: Option<FormError>,
    status: StatusCode,
}

fn page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &tenants::Tenant,
    t: Texts,
    found: &invitation::Invitation,
    token: &str,
    typed: Typed<'_>,
) -> Response {
    let (cookie, csrf_token) = csrf::issue(state, headers, tenant, BINDING);
    let page = InvitationPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: csrf_token,
        token,
        email: &found.email,
        username: typed.username,
        display_name: typed.display_name,
        person: found.purpose == Purpose::Person,
        error: typed.error,
    };
    csrf::render(state, typed.status, &page, &cookie)
}

/// A link that cannot be used: said calmly, with what to do next — the
/// same page for every reason, so it tells nothing about other people's
/// invitations.
fn unusable(t: Texts, tenant: &tenants::Tenant) -> Response {
    let (title, text) = (
        t.get("invitation-unusable-title"),
        t.get("invitation-unusable-text"),
    );
    let page = MessagePage::new(t, &title, &text).link(
        crate::app::paths::signin(tenant),
        t.get("invitation-unusable-signin"),
    );
    html(StatusCode::GONE, &page)
}

pub async fn form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    query: Result<Query<TokenQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let t = i18n::texts(lang);
    let token = query.map(|Query(q)| q.token).unwrap_or_default();
    let found = match invitation::check(&state.env(), &tenant, &token).await {
        Ok(found) => found,
        Err(Error::InvalidLink) => return Ok(unusable(t, &tenant)),
        Err(other) => return Err(other.into()),
    };
    let typed = Typed {
        username: "",
        display_name: "",
        error: None,
        status: StatusCode::OK,
    };
    Ok(page(&state, &headers, &tenant, t, &found, &token, typed))
}

pub async fn accept(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<AcceptForm>,
) -> Result<Response, WebError> {
    let t = i18n::texts(lang);
    let env = state.env();
    let found = match invitation::check(&env, &tenant, &form.token).await {
        Ok(found) => found,
        Err(Error::InvalidLink) => return Ok(unusable(t, &tenant)),
        Err(other) => return Err(other.into()),
    };
    let again = |status: StatusCode, fields: &[&str], text: String| {
        let typed = Typed {
            username: &form.username,
            display_name: &form.display_name,
            error: Some(error_for(status, fields, text)),
            status,
        };
        page(&state, &headers, &tenant, t, &found, &form.token, typed)
    };
    if form.password != form.repeat {
        let text = t.get("signin-passwords-differ");
        return Ok(again(
            StatusCode::BAD_REQUEST,
            &["password", "repeat"],
            text,
        ));
    }
    let choice = invitation::Acceptance {
        username: form.username.clone(),
        display_name: Some(form.display_name.clone()),
        password: form.password.clone(),
    };
    let config = state.config();
    match invitation::accept(&env, &tenant, &form.token, choice, &config.session, &meta).await {
        Ok(accepted) => {
            browser::end_previous_sessions(&state, &headers, &tenant).await?;
            let next = if accepted.user.is_admin() {
                crate::app::paths::admin(&tenant)
            } else {
                crate::app::paths::account(&tenant)
            };
            let mut response = see_other(&next);
            browser::set_session(&state, &tenant, &mut response, &accepted.token);
            browser::after_sign_in(
                &state,
                &headers,
                &tenant,
                &accepted.user,
                &meta,
                false,
                // a new account has no known device: nothing to tell
                false,
                &mut response,
            )
            .await?;
            Ok(response)
        }
        Err(Error::InvalidLink) => Ok(unusable(t, &tenant)),
        Err(Error::Invalid(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            Ok(again(StatusCode::BAD_REQUEST, &fields, t.say_all(&errors)))
        }
        Err(Error::Conflict(error)) => {
            let text = t.say_field(&error);
            Ok(again(StatusCode::CONFLICT, &[error.field.as_str()], text))
        }
        Err(Error::Overloaded { .. }) => {
            state.metrics().overloaded();
            let text = t.get("signin-busy");
            Ok(again(StatusCode::SERVICE_UNAVAILABLE, &[], text))
        }
        Err(other) => Err(other.into()),
    }
}
