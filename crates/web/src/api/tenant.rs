//! A tenant's self-recovery, for its administrators: statistics, the
//! helpdesk reset, and asking the operator to activate it.

use axum::extract::State;
use axum::http::StatusCode;
use latchkey_core::Error;
use latchkey_core::accounts::user::LoginKey;
use latchkey_core::effects::audit::Actor;
use latchkey_core::recovery::{activation, stats};
use latchkey_core::store::UserStore;
use serde::Deserialize;
use serde_json::json;

use super::{ApiAdmin, ApiPath, ApiResult, JsonBody, RecentApiAdmin, ok};
use crate::AppState;
use crate::app::extract::Client;

pub async fn stats(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    ApiAdmin { tenant }: ApiAdmin,
) -> ApiResult {
    ok(
        StatusCode::OK,
        stats::stats(state.db(), &tenant, state.clock().now()).await?,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    reason: String,
}

pub async fn reset_factors(
    State(state): State<AppState>,
    ApiPath((_, login)): ApiPath<(String, String)>,
    Client(meta): Client,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
    body: JsonBody,
) -> ApiResult {
    let body: ResetBody = body.read()?;
    let key = LoginKey::from_input(&login).ok_or(Error::NotFound("user"))?;
    let user = state
        .db()
        .user_by_login(&tenant.id, &key)
        .await?
        .ok_or(Error::NotFound("user"))?;
    latchkey_core::recovery::journey::helpdesk_reset(
        &state.env(),
        &tenant,
        &user,
        &Actor::Admin(admin.id.clone()),
        &body.reason,
        &meta,
    )
    .await?;
    ok(
        StatusCode::OK,
        json!({ "reset": true, "user": user.username }),
    )
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[serde(default)]
    note: String,
}

pub async fn request_activation(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    Client(meta): Client,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
    body: JsonBody,
) -> ApiResult {
    let b: NoteBody = body.read()?;
    let request = activation::request_activation(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &admin,
        &b.note,
        &meta,
    )
    .await?;
    ok(StatusCode::CREATED, request)
}
