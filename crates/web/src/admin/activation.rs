//! A tenant admin asks the operator to activate self-recovery (from the
//! account page; core checks the role).

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
    Ok(see_other(&paths::account(&me.tenant)))
}
