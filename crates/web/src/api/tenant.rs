//! A tenant's people and self-recovery, for its administrators: the list
//! of people (search, pages, the unready), readiness and reminders,
//! statistics, the helpdesk reset, and asking
//! the operator to activate self-recovery.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use latchkey_core::Error;
use latchkey_core::accounts::invitation;
use latchkey_core::accounts::user::LoginKey;
use latchkey_core::effects::audit::Actor;
use latchkey_core::factors::directory::{self, PeopleInput, PeopleQuery};
use latchkey_core::factors::readiness;
use latchkey_core::recovery::{activation, stats};
use latchkey_core::store::UserStore;
use serde::Deserialize;
use serde_json::json;

use super::{ApiAdmin, ApiPath, ApiResult, JsonBody, RecentApiAdmin, ok};
use crate::AppState;
use crate::app::extract::Client;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct UsersParams {
    q: Option<String>,
    after: Option<String>,
    before: Option<String>,
    limit: Option<String>,
    ready: Option<String>,
}

/// The tenant's people, a page at a time: `q` (the start of a username,
/// display name or email address), `after` / `before` (the cursors a page
/// hands out), `limit` (1–100, 50 unless given), `ready=no` (only the
/// active people not ready for losing a factor).
pub async fn users(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    ApiAdmin { tenant }: ApiAdmin,
    params: Result<Query<UsersParams>, QueryRejection>,
) -> ApiResult {
    let Query(p) = params.map_err(|e| {
        Error::invalid(
            "query",
            format!(
                "{}; the parameters are q, after, before, limit and ready",
                e.body_text()
            ),
        )
    })?;
    let query = PeopleQuery::parse(&PeopleInput {
        search: p.q,
        after: p.after,
        before: p.before,
        limit: p.limit,
        ready: p.ready,
    })?;
    let page = directory::list(state.db(), &tenant, &query).await?;
    let users: Vec<_> = page
        .people
        .iter()
        .map(|p| {
            json!({
                "id": p.user.id,
                "username": p.user.username,
                "display_name": p.user.display_name,
                "email": p.user.email,
                "email_verified": p.user.email_verified,
                "status": p.user.status.as_str(),
                "role": p.user.role.as_str(),
                "second_factors": {
                    "authenticator_app": p.authenticator_app,
                    "passkeys": p.passkeys,
                },
                "readiness": {
                    "ready": p.readiness.ready(),
                    "email_verified": p.readiness.email_verified,
                    "recovery_codes": p.readiness.recovery_codes,
                    "spare_factor": p.readiness.spare_factor,
                    "missing": p.readiness.missing(),
                },
                "reminded_at": p.nudged_at.map(|t| t.0),
                "last_sign_in_at": p.last_sign_in_at.map(|t| t.0),
            })
        })
        .collect();
    ok(
        StatusCode::OK,
        json!({ "users": users, "next": page.next, "previous": page.previous }),
    )
}

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

/// Signs everyone in the organisation out (decision 0030): every session
/// ends and every application's tokens stop working — this call's token
/// included. One audited event with the counts, which are returned.
pub async fn sign_out_everyone(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    Client(meta): Client,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
) -> ApiResult {
    let (count, _) = latchkey_core::accounts::everyone::sign_out_everyone(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        latchkey_core::accounts::everyone::AskedBy::AdminToken(&admin.id),
        &meta,
    )
    .await?;
    ok(
        StatusCode::OK,
        json!({ "people": count.people, "sessions": count.sessions }),
    )
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    username: String,
    email: String,
    display_name: Option<String>,
    role: Option<String>,
}

/// Adds a person without a password and mails them the link to choose it
/// (decision 0029); the link is never returned.
pub async fn invite(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    Client(meta): Client,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
    body: JsonBody,
) -> ApiResult {
    let b: InviteBody = body.read()?;
    let input = invitation::PersonInput {
        username: b.username,
        email: b.email,
        display_name: b.display_name,
        role: b.role,
    };
    let actor = Actor::Admin(admin.id.clone());
    let (user, invited) =
        invitation::invite_person(&state.env(), &tenant, input, &actor, &meta).await?;
    let i = &invited.invitation;
    ok(
        StatusCode::CREATED,
        json!({
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "role": user.role.as_str(),
            "invitation": { "id": i.id, "created_at": i.created_at, "expires_at": i.expires_at },
            "mail": "queued",
        }),
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

/// How many of the tenant's active people are ready for losing a factor.
pub async fn readiness(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    ApiAdmin { tenant }: ApiAdmin,
) -> ApiResult {
    let counts = readiness::share(state.db(), &tenant, state.clock().now()).await?;
    ok(
        StatusCode::OK,
        json!({
            "people": counts.people,
            "ready": counts.ready,
            "not_ready": counts.people - counts.ready,
            "percent_ready": readiness::percent(&counts),
            "not_ready_reminded_recently": counts.nudged_recently,
        }),
    )
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RemindersBody {
    #[serde(default)]
    all: bool,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    people: Vec<String>,
}

/// Reminds people who are not ready by mail: `{"all": true, "q": …}` for
/// everyone not ready (whose name starts with `q`), or `{"people": [ids]}`.
pub async fn remind(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    Client(meta): Client,
    RecentApiAdmin { tenant, admin }: RecentApiAdmin,
    body: JsonBody,
) -> ApiResult {
    let b: RemindersBody = body.read()?;
    let recipients = readiness::Recipients::parse(&readiness::ReminderInput {
        all: b.all,
        search: b.q,
        people: b.people,
    })?;
    let outcome = readiness::remind(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &recipients,
        &Actor::Admin(admin.id.clone()),
        &meta,
    )
    .await?;
    ok(StatusCode::OK, outcome)
}
