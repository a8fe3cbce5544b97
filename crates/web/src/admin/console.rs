//! The console page: statistics, the second-factor policy, and the
//! helpdesk reset.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::accounts::user::{User, UserStatus};
use latchkey_core::oidc::client::Client as OauthClient;
use latchkey_core::recovery::stats::{self, Stats};
use latchkey_core::store::{ClientStore, UserStore};
use serde::Deserialize;

use super::{AdminForm, Administrator, refused, text, unless_recent};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, SignedIn};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::Texts;

/// Most people listed on the page.
const PEOPLE_MAX: usize = 200;

/// A bar of the statistics chart.
struct Bar {
    label: String,
    value: i64,
    y: i64,
    width: i64,
    colour: &'static str,
}

fn bars(t: Texts, stats: &Stats) -> Vec<Bar> {
    let rows = [
        ("admin-completed", stats.completed, "#2e7d32"),
        ("admin-open", stats.open, "#1565c0"),
        ("admin-cancelled", stats.cancelled, "#757575"),
        ("admin-expired", stats.expired, "#9e9d24"),
        ("admin-locked", stats.locked, "#c62828"),
        ("admin-helpdesk-resets", stats.helpdesk_resets, "#6a1b9a"),
    ];
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    rows.iter()
        .enumerate()
        .map(|(i, (label, value, colour))| Bar {
            label: t.get(label),
            value: *value,
            y: i as i64 * 26 + 4,
            // at most 220 px, and a sliver for zero so the row still shows
            width: (value * 220 / max).max(1),
            colour,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    notice: Option<String>,
    error: Option<String>,
    recovery_active: bool,
    /// The second-factor policy: off, optional or required.
    policy: &'static str,
    stats: Stats,
    median_minutes: Option<i64>,
    bars: Vec<Bar>,
    chart_height: i64,
    /// Each person with their state in the page's language.
    users: Vec<(User, String)>,
    apps: Vec<OauthClient>,
}

pub(super) async fn page(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let t = text(admin);
    let tenant = &admin.tenant;
    let stats = stats::stats(state.db(), tenant, state.clock().now()).await?;
    let bars = bars(t, &stats);
    let mut users = state.db().list_users(&tenant.id).await?;
    users.truncate(PEOPLE_MAX);
    let (cookie, token) = csrf::issue(state, headers, tenant, &admin.session.id_hash);
    let page = AdminPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        notice,
        error,
        recovery_active: tenant.self_recovery,
        policy: tenant.second_factor.as_str(),
        median_minutes: stats.median_secs_to_complete.map(|s| (s + 59) / 60),
        chart_height: bars.len() as i64 * 26 + 8,
        bars,
        stats,
        users: users
            .into_iter()
            .map(|u| {
                let status = t.get(match u.status {
                    UserStatus::Active => "admin-status-active",
                    UserStatus::Disabled => "admin-status-disabled",
                });
                (u, status)
            })
            .collect(),
        apps: state.db().list_clients(&tenant.id).await?,
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct ConsoleQuery {
    done: Option<String>,
}

pub async fn console(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
    query: Result<Query<ConsoleQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let t = text(&admin);
    let notice = match query.ok().and_then(|Query(q)| q.done).as_deref() {
        Some("reset") => Some(t.get("admin-reset-done")),
        Some("setup") => Some(t.get("admin-setup-done")),
        Some("deleted") => Some(t.get("admin-app-deleted")),
        _ => None,
    };
    page(&state, &headers, &admin, StatusCode::OK, notice, None).await
}

#[derive(Deserialize, Default)]
pub struct PolicyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    policy: String,
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

csrf_field!(Binding::Session => PolicyForm, ResetForm);

/// The set-up step of the console: whether people who sign in with a
/// password add a second factor (off, optional, required).
pub async fn second_factors(
    State(state): State<AppState>,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<PolicyForm>,
) -> Result<Response, WebError> {
    let input = latchkey_core::tenants::SettingsInput {
        second_factor: Some(form.policy),
        ..Default::default()
    };
    let updated = latchkey_core::tenants::update_settings(
        state.db(),
        state.random(),
        state.clock(),
        &admin.tenant,
        &input,
        &format!("admin:{}", admin.user.id),
    )
    .await;
    match updated {
        Ok(_) => Ok(see_other(&paths::admin_done(&admin.tenant, "setup"))),
        Err(err) => refused(&state, &headers, &admin, err).await,
    }
}

/// The helpdesk reset: every second factor of the person goes, their
/// sessions end, they are told by mail; the administrator and the reason
/// are recorded. Needs a sign-in within the last 10 minutes.
pub async fn reset_factors(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, String)>,
    Client(meta): Client,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<ResetForm>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, "admin") {
        return Ok(away);
    }
    let Some(person) = state.db().user_by_id(&admin.tenant.id, &user_id).await? else {
        return Err(WebError::Core(latchkey_core::Error::NotFound("person")));
    };
    let result = latchkey_core::recovery::journey::helpdesk_reset(
        &state.env(),
        &admin.tenant,
        &person,
        &format!("admin:{}", admin.user.id),
        &form.reason,
        &meta,
    )
    .await;
    match result {
        Ok(()) => Ok(see_other(&paths::admin_done(&admin.tenant, "reset"))),
        Err(err) => refused(&state, &headers, &admin, err).await,
    }
}
