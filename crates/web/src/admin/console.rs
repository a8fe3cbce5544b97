//! The console's home: statistics, the second-factor policy, a way to the
//! people (`people`), the applications.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::effects::audit::Actor;
use latchkey_core::factors::readiness;
use latchkey_core::oidc::client::Client as OauthClient;
use latchkey_core::oidc::snippet::AppKind;
use latchkey_core::recovery::stats::{self, Stats, Week};
use latchkey_core::setup;
use latchkey_core::store::{ClientStore, ReadinessCounts};
use serde::Deserialize;

use super::setup::ChecklistRow;
use super::{AdminForm, Administrator, refused, text};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::SignedIn;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::form::FieldErrors;
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::Texts;

/// A bar of the statistics chart.
struct Bar {
    label: String,
    value: i64,
    y: i64,
    width: i64,
    /// Its class, which gives its colour in light and dark mode (the
    /// stylesheet's `--bar-*`, each at 3:1 or more against the card).
    class: &'static str,
}

/// The height of a row of the chart (a label above its bar).
const ROW: i64 = 42;

fn bars(t: Texts, stats: &Stats) -> Vec<Bar> {
    let rows = [
        ("admin-completed", stats.completed, "bar-completed"),
        ("admin-open", stats.open, "bar-open"),
        ("admin-cancelled", stats.cancelled, "bar-cancelled"),
        ("admin-expired", stats.expired, "bar-expired"),
        ("admin-locked", stats.locked, "bar-locked"),
        (
            "admin-helpdesk-resets",
            stats.helpdesk_resets,
            "bar-helpdesk",
        ),
    ];
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    rows.iter()
        .enumerate()
        .map(|(i, (label, value, class))| Bar {
            label: t.get(label),
            value: *value,
            // each row: its label, and under it the bar (labels of any
            // length fit, in every language)
            y: i as i64 * ROW,
            // at most 280 of the chart's 360 units (the value follows the
            // bar), and a sliver for zero so the row still shows
            width: (value * 280 / max).max(2),
            class,
        })
        .collect()
}

/// A week's column of the weekly chart: its outcomes stacked from the
/// bottom.
struct Column {
    x: i64,
    /// The top of the column (its total is written above it).
    top: i64,
    total: i64,
    segments: Vec<Segment>,
}

struct Segment {
    y: i64,
    height: i64,
    class: &'static str,
}

/// A week as the table under the chart shows it.
struct WeekRow {
    starts: String,
    week: Week,
}

/// The weekly chart's plot: the room above the columns for their totals,
/// and the height of the tallest column.
const PLOT_TOP: i64 = 18;
const PLOT_HEIGHT: i64 = 120;
/// Each week's share of the chart's 360 units, and its column's width.
const COLUMN: i64 = 30;
const COLUMN_WIDTH: i64 = 18;

/// The outcomes of a week, bottom up, with their catalogue keys and classes
/// (the stylesheet's `--bar-*`).
fn outcomes(week: &Week) -> [(&'static str, i64, &'static str); 4] {
    [
        ("admin-completed", week.completed, "bar-completed"),
        ("admin-cancelled", week.cancelled, "bar-cancelled"),
        ("admin-expired", week.expired, "bar-expired"),
        ("admin-locked", week.locked, "bar-locked"),
    ]
}

fn columns(weeks: &[Week]) -> Vec<Column> {
    let max = weeks.iter().map(Week::closed).max().unwrap_or(0).max(1);
    let bottom = PLOT_TOP + PLOT_HEIGHT;
    weeks
        .iter()
        .enumerate()
        .map(|(i, week)| {
            let mut y = bottom;
            let mut segments = vec![];
            for (_, n, class) in outcomes(week) {
                if n == 0 {
                    continue;
                }
                // at least a sliver for one case among many
                let height = (n * PLOT_HEIGHT / max).max(2);
                y -= height;
                segments.push(Segment { y, height, class });
            }
            Column {
                x: i as i64 * COLUMN + (COLUMN - COLUMN_WIDTH) / 2,
                top: y,
                total: week.closed(),
                segments,
            }
        })
        .collect()
}

/// A day as the weekly chart shows it: `2025-01-31` (UTC).
fn day(t: latchkey_core::platform::clock::UnixTime) -> String {
    crate::app::respond::utc(t)
        .split_once(' ')
        .map_or_else(|| t.0.to_string(), |(day, _)| day.to_owned())
}

/// The new application's form as typed (kept when it was refused).
#[derive(Debug, Clone)]
pub(super) struct AppValues {
    pub name: String,
    pub redirect_uris: String,
    pub kind: String,
    pub first_party: bool,
    pub scopes: Vec<latchkey_core::oidc::Scope>,
}

impl Default for AppValues {
    fn default() -> AppValues {
        AppValues {
            name: String::new(),
            redirect_uris: String::new(),
            kind: AppKind::Web.as_str().to_owned(),
            first_party: false,
            scopes: latchkey_core::oidc::Scope::DEFAULT.to_vec(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    notice: Option<String>,
    errors: FieldErrors,
    app: AppValues,
    /// The new application's scope boxes.
    scopes: Vec<super::app_scopes::ScopeBox>,
    kinds: Vec<(&'static str, String)>,
    /// A legacy tenant: the banner offering the upgrade.
    upgrade: bool,
    /// The set-up is not finished: what is still open.
    checklist: Vec<ChecklistRow>,
    recovery_active: bool,
    /// The second-factor policy: off, optional or required.
    policy: &'static str,
    stats: Stats,
    median_minutes: Option<i64>,
    bars: Vec<Bar>,
    chart_height: i64,
    /// The weekly chart, its legend and its table.
    columns: Vec<Column>,
    legend: Vec<(String, &'static str)>,
    weeks: Vec<WeekRow>,
    /// How many people are ready for losing a factor, and the share.
    readiness: ReadinessCounts,
    /// "412 of 530 people are ready — 77 %", and the percent (none
    /// without people).
    share: Option<(String, i64)>,
    apps: Vec<OauthClient>,
}

impl AdminPage<'_> {
    /// What kind of application `app` is, in words.
    fn kind_label(&self, app: &OauthClient) -> String {
        self.t.get(&format!("wizard-app-kind-{}", AppKind::of(app)))
    }
}

pub(super) async fn page(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    status: StatusCode,
    notice: Option<String>,
    errors: FieldErrors,
    typed: Option<AppValues>,
) -> Result<Response, WebError> {
    let t = text(admin);
    let tenant = &admin.tenant;
    let upgrade = setup::upgrade_offered(tenant);
    let checklist = if tenant.setup.finished() || upgrade {
        vec![]
    } else {
        super::setup::checklist(state, admin).await?
    };
    let stats = stats::stats(state.db(), tenant, state.clock().now()).await?;
    let counts = readiness::share(state.db(), tenant, state.clock().now()).await?;
    let bars = bars(t, &stats);
    let (cookie, token) = csrf::issue(state, headers, tenant, admin.session.id_hash.as_str());
    let page = AdminPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        notice,
        errors,
        scopes: super::app_scopes::scope_boxes(
            &t,
            &typed.as_ref().map_or_else(
                || latchkey_core::oidc::Scope::DEFAULT.to_vec(),
                |a| a.scopes.clone(),
            ),
        ),
        app: typed.unwrap_or_default(),
        kinds: AppKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.get(&format!("wizard-app-kind-{k}"))))
            .collect(),
        upgrade,
        checklist,
        recovery_active: tenant.self_recovery,
        policy: tenant.second_factor.as_str(),
        median_minutes: stats.median_secs_to_complete.map(|s| (s + 59) / 60),
        chart_height: bars.len() as i64 * ROW,
        bars,
        columns: columns(&stats.weeks),
        legend: stats
            .weeks
            .first()
            .map(|w| {
                outcomes(w)
                    .iter()
                    .map(|(key, _, class)| (t.get(key), *class))
                    .collect()
            })
            .unwrap_or_default(),
        weeks: stats
            .weeks
            .iter()
            .map(|w| WeekRow {
                starts: day(w.starts_at),
                week: w.clone(),
            })
            .collect(),
        stats,
        readiness: counts,
        share: readiness::percent(&counts).map(|percent| {
            let said = t.with(
                "readiness-share",
                &[
                    ("ready", counts.ready.into()),
                    ("people", counts.people.into()),
                    ("percent", percent.into()),
                ],
            );
            (said, percent)
        }),
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
    if setup::wizard_due(&admin.tenant) {
        // a set-up neither finished nor put off: the wizard first
        return Ok(see_other(&paths::admin_setup(&admin.tenant, None)));
    }
    let t = text(&admin);
    let notice = match query.ok().and_then(|Query(q)| q.done).as_deref() {
        Some("setup") => Some(t.get("admin-setup-done")),
        Some("deleted") => Some(t.get("admin-app-deleted")),
        Some("setup-finished") => Some(t.get("wizard-finished")),
        Some("upgraded") => Some(t.get("wizard-upgraded")),
        _ => None,
    };
    page(
        &state,
        &headers,
        &admin,
        StatusCode::OK,
        notice,
        FieldErrors::default(),
        None,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct PolicyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    policy: String,
}

csrf_field!(Binding::Session => PolicyForm);

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
        &Actor::Admin(admin.user.id.clone()),
    )
    .await;
    match updated {
        Ok(_) => Ok(see_other(&paths::admin_done(&admin.tenant, "setup"))),
        Err(err) => refused(&state, &headers, &admin, err).await,
    }
}
