//! The account page's "Remove access" (`core::oidc::connections`): the
//! application's consent goes, and with it every grant and token it holds
//! for the person — first-party applications' as well as third-party ones.

use axum::extract::{Path, State};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::oidc::connections;
use latchkey_core::platform::ids::ClientRowId;

use crate::AppState;
use crate::app::error::WebError;
use crate::app::extract::{Button, Client, CsrfForm, SignedIn};
use crate::app::paths;
use crate::app::respond::see_other;

pub async fn remove_access(
    State(state): State<AppState>,
    Path((_, client_id)): Path<(String, ClientRowId)>,
    Client(meta): Client,
    me: SignedIn,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    let removed =
        connections::remove_access(&state.env(), &me.tenant, &me.user, &client_id, &meta).await;
    let notice = match removed {
        Ok(_) => "app=removed",
        // removed meanwhile (another tab), or never connected
        Err(Error::NotFound(_)) => "app=gone",
        Err(other) => return Err(other.into()),
    };
    Ok(see_other(&paths::account_with(&me.tenant, notice)))
}
