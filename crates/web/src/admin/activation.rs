//! A tenant admin asks the operator to activate self-recovery (from the
//! account page or the set-up wizard; core checks the role). A legacy
//! tenant's request is recorded too and waits for its upgrade.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::app::csrf::Binding;
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, SignedIn};
use crate::app::paths;
use crate::app::respond::see_other;

#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
    /// `setup`: asked from the set-up wizard, which it goes back to.
    #[serde(default)]
    back: String,
}

csrf_field!(Binding::Session => RequestForm);

pub async fn request(
    State(state): State<AppState>,
    Client(meta): Client,
    me: SignedIn,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Result<Response, WebError> {
    latchkey_core::recovery::activation::request_activation(
        state.db(),
        state.random(),
        state.clock(),
        &me.tenant,
        &me.user,
        &form.note,
        &meta,
    )
    .await?;
    if form.back == "setup" {
        let back = paths::admin_setup(&me.tenant, Some("recovery"));
        return Ok(see_other(&format!("{back}&asked=1")));
    }
    Ok(see_other(&paths::account(&me.tenant)))
}
