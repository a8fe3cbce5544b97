//! Adding a person (decision 0029): the administrator names them (username,
//! name, address, role); their account is made without a password and a
//! link to choose it is mailed. On their page, an open invitation can be
//! sent again or withdrawn. The rules are in `core::accounts::invitation`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::invitation::{self, PersonInput};
use latchkey_core::effects::audit::Actor;
use latchkey_core::factors::directory;
use latchkey_core::platform::ids::UserId;
use serde::Deserialize;

use super::csrf_for;
use super::{AdminForm, Administrator, text, unless_recent};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::{WebError, with_retry_after};
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, SignedIn};
use crate::app::form::FieldErrors;
use crate::app::respond::see_other;
use crate::i18n::Texts;

#[derive(Deserialize, Default)]
pub struct NewPersonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Deserialize, Default)]
pub struct InvitationForm {
    #[serde(default)]
    csrf: String,
    /// `again` or `withdraw`.
    #[serde(default)]
    action: String,
}

csrf_field!(Binding::Session => NewPersonForm, InvitationForm);

#[derive(Template)]
#[template(path = "admin_person_new.html")]
struct NewPersonPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    username: &'a str,
    display_name: &'a str,
    email: &'a str,
    admin: bool,
    errors: FieldErrors,
}

/// The element id of each core field the form shows.
fn field_id(field: &str) -> Option<&'static str> {
    match field {
        "username" => Some("username"),
        "display_name" => Some("display_name"),
        "email" => Some("email"),
        "role" => Some("role"),
        _ => None,
    }
}

fn new_page(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    form: &NewPersonForm,
    status: StatusCode,
    errors: FieldErrors,
) -> Response {
    let (cookie, token) = csrf_for(state, headers, admin);
    let page = NewPersonPage {
        t: text(admin),
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        csrf: token,
        username: &form.username,
        display_name: &form.display_name,
        email: &form.email,
        admin: form.role == "admin",
        errors,
    };
    csrf::render(state, status, &page, &cookie)
}

/// The form that adds a person.
pub async fn new_person(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let form = NewPersonForm::default();
    Ok(new_page(
        &state,
        &headers,
        &admin,
        &form,
        StatusCode::OK,
        FieldErrors::default(),
    ))
}

/// Adds the person and mails their invitation; their page follows. Bad
/// input comes back beside its field, with everything typed kept.
pub async fn create(
    State(state): State<AppState>,
    Client(meta): Client,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<NewPersonForm>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, "admin/people/new") {
        return Ok(away);
    }
    let input = PersonInput {
        username: form.username.clone(),
        email: form.email.clone(),
        display_name: Some(form.display_name.clone()),
        role: Some(form.role.clone()).filter(|r| !r.is_empty()),
    };
    let actor = Actor::Admin(admin.user.id.clone());
    let t = text(&admin);
    let errors =
        match invitation::invite_person(&state.env(), &admin.tenant, input, &actor, &meta).await {
            Ok((user, _)) => {
                return Ok(see_other(&format!(
                    "/t/{}/admin/people/{}?done=invited",
                    admin.tenant.slug, user.id
                )));
            }
            Err(Error::Invalid(errors)) => errors,
            Err(Error::Conflict(error)) => vec![error],
            Err(other) => return Err(other.into()),
        };
    let shown = FieldErrors::new(&t, &errors, field_id);
    Ok(new_page(
        &state,
        &headers,
        &admin,
        &form,
        StatusCode::UNPROCESSABLE_ENTITY,
        shown,
    ))
}

/// "Send again" (a new link; the old one stops working) or "Withdraw".
pub async fn invitation(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, UserId)>,
    Client(meta): Client,
    AdminForm { admin, form }: AdminForm<InvitationForm>,
) -> Result<Response, WebError> {
    let back = format!("admin/people/{user_id}");
    if let Some(away) = unless_recent(&state, &admin, &back) {
        return Ok(away);
    }
    let env = state.env();
    let now = state.clock().now();
    let person = directory::person(state.db(), &admin.tenant, &user_id, now)
        .await?
        .user;
    let actor = Actor::Admin(admin.user.id.clone());
    let done = match form.action.as_str() {
        "again" => invitation::send_again(&env, &admin.tenant, &person, &actor, &meta)
            .await
            .map(|_| "invitation-sent"),
        _ => invitation::withdraw(&env, &admin.tenant, &person, &actor, &meta)
            .await
            .map(|()| "invitation-withdrawn"),
    };
    let to = |done: &str| {
        see_other(&format!(
            "/t/{}/admin/people/{user_id}?done={done}",
            admin.tenant.slug
        ))
    };
    match done {
        Ok(done) => Ok(to(done)),
        Err(Error::RateLimited { retry_after_secs }) => Ok(with_retry_after(
            to("invitation-too-soon"),
            retry_after_secs,
        )),
        // used or withdrawn meanwhile: the page shows how things are
        Err(Error::NotFound(_)) => Ok(to("invitation-gone")),
        Err(other) => Err(other.into()),
    }
}
