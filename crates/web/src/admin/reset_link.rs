//! "Send a password reset link" on a person's page (ASVS 6.4.6): a
//! confirmation that names the person and the address, then the link
//! goes out. Core decides (`recovery::password_reset::send_for`: who can
//! get one, one a minute, the audit); this draws.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::effects::audit::Actor;
use latchkey_core::factors::directory;
use latchkey_core::platform::ids::UserId;
use latchkey_core::recovery::password_reset;
use serde::Deserialize;

use super::csrf_for;
use super::people::{back, refused, to_person};
use super::{AdminForm, text, unless_recent};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::Client;
use crate::app::extract::csrf_form::csrf_field;
use crate::i18n::Texts;

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    /// "yes" on the confirmation; absent on the person's page.
    #[serde(default)]
    confirm: String,
}

csrf_field!(Binding::Session => LinkForm);

#[derive(Template)]
#[template(path = "admin_person_reset_link.html")]
struct ConfirmPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    id: String,
    heading: String,
    email: String,
    minutes: i64,
}

/// From the person's page: the confirmation. Confirmed: the link is
/// mailed and the person's page says so. Refused (disabled, no verified
/// address, a link within the minute): the person's page says why (422).
/// Needs a recent sign-in, like every change on a person's page.
pub async fn send(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, UserId)>,
    Client(meta): Client,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<LinkForm>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, &back(&user_id)) {
        return Ok(away);
    }
    let view = directory::person(state.db(), &admin.tenant, &user_id, state.clock().now()).await?;
    let person = &view.user;
    if form.confirm == "yes" {
        let sent = password_reset::send_for(
            &state.env(),
            &admin.tenant,
            person,
            &Actor::Admin(admin.user.id.clone()),
            &meta,
        )
        .await;
        return match sent {
            Ok(_) => Ok(to_person(&admin, &user_id, "reset-link-sent")),
            Err(err) => refused(&state, &headers, &admin, &user_id, err, "").await,
        };
    }
    if let Err(err) = password_reset::sendable(&admin.tenant, person) {
        return refused(&state, &headers, &admin, &user_id, err, "").await;
    }
    let (cookie, token) = csrf_for(&state, &headers, &admin);
    let t = text(&admin);
    let heading = t.with(
        "reset-link-confirm-heading",
        &[
            ("name", person.display_name.as_str().into()),
            ("username", person.username.as_str().into()),
        ],
    );
    let page = ConfirmPage {
        t,
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        csrf: token,
        id: person.id.to_string(),
        heading,
        email: person.email.clone(),
        minutes: password_reset::LIFETIME_SECS / 60,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}
