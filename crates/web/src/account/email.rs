//! A new confirmation link for the signed-in user's address.

use axum::extract::State;
use axum::response::Response;
use latchkey_core::effects::audit::Actor;

use crate::AppState;
use crate::app::error::WebError;
use crate::app::extract::{Button, Client, CsrfForm, Enrolled};
use crate::app::paths;
use crate::app::respond::see_other;

pub async fn resend(
    State(state): State<AppState>,
    Client(meta): Client,
    Enrolled(me): Enrolled,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    latchkey_core::accounts::email::send(
        &state.env(),
        &me.tenant,
        &me.user,
        Actor::User(me.user.id.clone()),
        &meta,
    )
    .await?;
    Ok(see_other(&paths::account_with(
        &me.tenant,
        "sent=verification",
    )))
}
