//! The account page's "Remove access": the consent goes, and with it every
//! token the application holds for the user.

use axum::extract::{Path, State};
use axum::response::Response;
use latchkey_core::platform::ids::ClientRowId;
use latchkey_core::store::OidcStore;

use crate::AppState;
use crate::app::error::WebError;
use crate::app::extract::{Button, CsrfForm, SignedIn};
use crate::app::paths;
use crate::app::respond::see_other;

pub async fn withdraw_consent(
    State(state): State<AppState>,
    Path((_, client_id)): Path<(String, ClientRowId)>,
    me: SignedIn,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    state
        .db()
        .withdraw_consent(&me.user.id, &client_id, state.clock().now())
        .await?;
    Ok(see_other(&paths::account(&me.tenant)))
}
