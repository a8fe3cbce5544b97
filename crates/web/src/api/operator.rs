//! The deployment's operator: activation requests and each tenant's
//! self-recovery.

use axum::extract::State;
use axum::http::StatusCode;
use latchkey_core::Error;
use latchkey_core::accounts::invitation;
use latchkey_core::effects::audit::Actor;
use latchkey_core::recovery::{activation, stats};
use latchkey_core::store::RecoveryStore;
use serde::Deserialize;
use serde_json::json;

use super::{ApiPath, ApiResult, JsonBody, Operator, ok};
use crate::AppState;
use crate::app::error::ApiError;
use crate::app::extract::tenant::load;
use crate::app::paths;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    email: String,
    /// Answer with the link too, for deployments that send no mail.
    #[serde(default)]
    return_link: bool,
}

/// Invites the tenant's administrator by mail (`{"email": ...}`).
pub async fn invite(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    _: Operator,
    body: JsonBody,
) -> ApiResult {
    let body = body.read::<InviteBody>()?;
    let tenant = load(&state, &slug).await?;
    let meta = latchkey_core::effects::audit::RequestMeta::default();
    let invited =
        invitation::invite(&state.env(), &tenant, &body.email, &Actor::Operator, &meta).await?;
    let i = &invited.invitation;
    let mut answer = json!({
        "id": i.id,
        "tenant": tenant.slug,
        "email": i.email,
        "created_at": i.created_at,
        "expires_at": i.expires_at,
        "mail": "queued",
    });
    if body.return_link {
        let link = format!(
            "{}{}",
            state.config().public_url.trim_end_matches('/'),
            paths::mail_page(&invited.page(&tenant))
        );
        answer["link"] = link.into();
    }
    ok(StatusCode::CREATED, answer)
}

/// The tenant's invitations, newest first (never their links).
pub async fn invitations(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    _: Operator,
) -> ApiResult {
    use latchkey_core::store::InvitationStore;
    let tenant = load(&state, &slug).await?;
    ok(
        StatusCode::OK,
        state.db().list_invitations(&tenant.id, 100).await?,
    )
}
