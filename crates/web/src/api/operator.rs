//! The deployment's operator: activation requests and each tenant's
//! self-recovery.

use axum::extract::State;
use axum::http::StatusCode;
use latchkey_core::Error;
use latchkey_core::effects::audit::Actor;
use latchkey_core::recovery::{activation, stats};
use latchkey_core::store::RecoveryStore;
use serde::Deserialize;
use serde_json::json;

use super::{ApiPath, ApiResult, JsonBody, Operator, ok};
use crate::AppState;
use crate::app::error::ApiError;
use crate::app::extract::tenant::load;

pub async fn stats(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    _: Operator,
) -> ApiResult {
    let tenant = load(&state, &slug).await?;
    ok(
        StatusCode::OK,
        stats::stats(state.db(), &tenant, state.clock().now()).await?,
    )
}

pub async fn requests(State(state): State<AppState>, _: Operator) -> ApiResult {
    ok(
        StatusCode::OK,
        state.db().pending_activation_requests().await?,
    )
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[serde(default)]
    reason: String,
}

/// `enable`, `disable`, `approve` or `decline` self-recovery of a tenant.
pub async fn recovery(
    State(state): State<AppState>,
    ApiPath((slug, action)): ApiPath<(String, String)>,
    _: Operator,
    body: JsonBody,
) -> ApiResult {
    let reason = body.read_or_default::<DecisionBody>()?.reason;
    let tenant = load(&state, &slug).await?;
    let (db, random, clock) = (state.db(), state.random(), state.clock());
    match action.as_str() {
        "enable" => {
            let t = activation::enable(db, random, clock, &tenant, &Actor::Operator).await?;
            ok(
                StatusCode::OK,
                json!({ "tenant": t.slug, "self_recovery": t.self_recovery }),
            )
        }
        "disable" => {
            let (t, cancelled) =
                activation::disable(db, random, clock, &tenant, &Actor::Operator).await?;
            ok(
                StatusCode::OK,
                json!({ "tenant": t.slug, "self_recovery": t.self_recovery, "cancelled_cases": cancelled }),
            )
        }
        "approve" | "decline" => {
            let r = activation::decide_request(
                db,
                random,
                clock,
                &tenant,
                action == "approve",
                &reason,
                &Actor::Operator,
            )
            .await?;
            ok(StatusCode::OK, r)
        }
        _ => Err(ApiError::Core(Error::NotFound("action"))),
    }
}
