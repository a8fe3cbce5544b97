//! The console's tenants: the list with their figures and surge alerts,
//! creating one, and one tenant's page — inviting its administrator, its
//! onboarding, self-recovery on or off.

use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::invitation;
use latchkey_core::platform::validate::FieldError;
use latchkey_core::recovery::{activation, stats};
use latchkey_core::store::{
    InvitationStore, OperatorAccountStore, OutboxStore, RecoveryStore, TenantFigures, TenantStore,
};
use latchkey_core::tenants::{self, Tenant, TenantInput};
use serde::Deserialize;

use super::{Console, csrf_check, csrf_issue};
use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::Client;
use crate::app::paths;
use crate::app::respond::{see_other, utc};
use crate::i18n::{self, Texts};

/// One tenant as the list shows it.
pub(super) struct Row {
    pub slug: String,
    pub name: String,
    pub figures: TenantFigures,
    pub open_cases: i64,
    pub surges: i64,
    pub onboarding: String,
    pub self_recovery: bool,
    pub pending_request: bool,
}

#[derive(Template)]
#[template(path = "operator_tenants.html")]
struct ListPage {
    t: Texts,
    csrf: String,
    operator: String,
    /// The navigation's link to this page (`aria-current`).
    current: &'static str,
    rows: Vec<Row>,
    requests: usize,
    /// The deployment's outbox: mail waiting and failed (every tenant's and
    /// none's).
    outbox_pending: i64,
    outbox_failed: i64,
}

impl ListPage {
    fn surging(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.surges > 0).collect()
    }
}

async fn row(state: &AppState, tenant: &Tenant) -> Result<Row, Error> {
    let db = state.db();
    let figures = db.tenant_figures(&tenant.id).await?;
    let stats = stats::stats(db, tenant, state.clock().now()).await?;
    let pending = db.pending_activation_request(&tenant.id).await?.is_some();
    Ok(Row {
        slug: tenant.slug.to_string(),
        name: tenant.display_name.clone(),
        figures,
        open_cases: stats.open,
        surges: stats.surges,
        onboarding: tenant.onboarding.to_string(),
        self_recovery: tenant.self_recovery,
        pending_request: pending,
    })
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let mut rows = vec![];
    for tenant in state.db().list_tenants().await? {
        rows.push(row(&state, &tenant).await?);
    }
    let requests = state.db().pending_activation_requests().await?.len();
    let (outbox_pending, _, outbox_failed) = state.db().outbox_counts().await?;
    let (cookie, token) = csrf_issue(&state, &headers, console.binding());
    let page = ListPage {
        t: i18n::texts(console.lang),
        csrf: token,
        operator: console.account.name.clone(),
        current: "tenants",
        rows,
        requests,
        outbox_pending,
        outbox_failed,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

#[derive(Template)]
#[template(path = "operator_tenant_new.html")]
struct NewPage {
    t: Texts,
    csrf: String,
    operator: String,
    /// The navigation's link to this page (`aria-current`).
    current: &'static str,
    form: NewForm,
    errors: Vec<(String, String)>,
}

impl NewPage {
    /// The message about `field`, if any.
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    default_language: String,
    #[serde(default)]
    second_factor: String,
}

fn new_page(
    state: &AppState,
    headers: &HeaderMap,
    console: &Console,
    t: Texts,
    form: NewForm,
    errors: &[FieldError],
    conflict: bool,
) -> Response {
    let (cookie, token) = csrf_issue(state, headers, console.binding());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = NewPage {
        t,
        csrf: token,
        operator: console.account.name.clone(),
        current: "new",
        form,
        errors: errors
            .iter()
            .map(|e| (e.field.clone(), say_new(t, e, conflict)))
            .collect(),
    };
    csrf::render(state, status, &page, &cookie)
}

/// A field's problem in the page's language: core words the slug's rules
/// in English only (for the CLI and the API), so the page says them here.
fn say_new(t: Texts, e: &FieldError, conflict: bool) -> String {
    match (e.field.as_str(), &e.said) {
        ("slug", None) if conflict => t.get("operator-slug-taken"),
        ("slug", None) => t.get("operator-slug-invalid"),
        ("default_language" | "second_factor", None) => t.get("operator-choose-listed"),
        _ => t.say(e),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
) -> Response {
    let form = NewForm {
        default_language: "en".into(),
        second_factor: "optional".into(),
        ..Default::default()
    };
    new_page(
        &state,
        &headers,
        &console,
        i18n::texts(console.lang),
        form,
        &[],
        false,
    )
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<NewForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    csrf_check(&state, &headers, console.binding(), &form.csrf)?;
    let input = TenantInput {
        slug: form.slug.trim().to_owned(),
        display_name: form.display_name.clone(),
        onboarding: None,
        second_factor: Some(form.second_factor.clone()),
        default_language: Some(form.default_language.clone()),
        passwordless: false,
    };
    let t = i18n::texts(console.lang);
    let actor = console.account.actor();
    let (db, clock, random) = (state.db(), state.clock(), state.random());
    match tenants::create_audited(db, clock, random, &input, &actor, &meta).await {
        Ok(tenant) => Ok(see_other(&paths::operator_tenant_done(&tenant, "created"))),
        Err(Error::Invalid(errors)) => Ok(new_page(
            &state, &headers, &console, t, form, &errors, false,
        )),
        Err(Error::Conflict(error)) => Ok(new_page(
            &state,
            &headers,
            &console,
            t,
            form,
            &[error],
            true,
        )),
        Err(other) => Err(other.into()),
    }
}

/// An invitation as the tenant's page lists it.
pub(super) struct InvitationRow {
    pub email: String,
    pub sent: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "operator_tenant.html")]
struct TenantPage {
    t: Texts,
    csrf: String,
    operator: String,
    /// The navigation's link to this page (`aria-current`).
    current: &'static str,
    tenant: Tenant,
    row: Row,
    invitations: Vec<InvitationRow>,
    notice: Option<String>,
    error: Option<(String, String)>,
    email: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn tenant_page(
    state: &AppState,
    headers: &HeaderMap,
    console: &Console,
    t: Texts,
    tenant: Tenant,
    notice: Option<String>,
    failure: Option<(StatusCode, FieldError, String)>,
) -> Result<Response, WebError> {
    let now = state.clock().now();
    let invitations = state
        .db()
        .list_invitations(&tenant.id, 20)
        .await?
        .into_iter()
        .map(|i| InvitationRow {
            state: if i.used_at.is_some() {
                t.get("operator-invitation-accepted")
            } else if invitation::usable(&i, &tenant, now) {
                t.with1("operator-invitation-open-until", "when", &utc(i.expires_at))
            } else {
                t.get("operator-invitation-expired")
            },
            email: i.email,
            sent: utc(i.created_at),
        })
        .collect();
    let row = row(state, &tenant).await?;
    let (cookie, token) = csrf_issue(state, headers, console.binding());
    let (status, error, email) = match failure {
        Some((status, e, email)) => (status, Some((e.field.clone(), t.say(&e))), email),
        None => (StatusCode::OK, None, String::new()),
    };
    let page = TenantPage {
        t,
        csrf: token,
        operator: console.account.name.clone(),
        current: "tenants",
        tenant,
        row,
        invitations,
        notice,
        error,
        email,
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(slug): Path<String>,
    query: Result<Query<DoneQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tenant = tenants::by_slug(state.db(), &slug).await?;
    let t = i18n::texts(console.lang);
    let notice = query
        .ok()
        .and_then(|Query(q)| q.done)
        .and_then(|done| match done.as_str() {
            "created" | "invited" | "upgraded" | "enabled" | "disabled" | "decided" => {
                Some(t.get(&format!("operator-done-{done}")))
            }
            _ => None,
        });
    tenant_page(&state, &headers, &console, t, tenant, notice, None).await
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

pub async fn invite(
    State(state): State<AppState>,
    console: Console,
    Client(meta): Client,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<InviteForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    csrf_check(&state, &headers, console.binding(), &form.csrf)?;
    let tenant = tenants::by_slug(state.db(), &slug).await?;
    let actor = console.account.actor();
    let result = invitation::invite(&state.env(), &tenant, &form.email, &actor, &meta)
        .await
        .map(|_| (tenant.clone(), "invited"));
    answer(&state, &headers, &console, tenant, result, form.email).await
}

/// Where a tenant page's form leads: back to the page with a notice, or
/// the page again with what was refused beside the form (and the address
/// typed, for the invitation).
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    console: &Console,
    tenant: Tenant,
    result: Result<(Tenant, &str), Error>,
    typed: String,
) -> Result<Response, WebError> {
    let failure = match result {
        Ok((t, done)) => return Ok(see_other(&paths::operator_tenant_done(&t, done))),
        Err(Error::Invalid(mut errors)) if !errors.is_empty() => {
            (StatusCode::BAD_REQUEST, errors.remove(0), typed)
        }
        Err(Error::Conflict(e)) => (StatusCode::CONFLICT, e, typed),
        Err(other) => return Err(other.into()),
    };
    let t = i18n::texts(console.lang);
    tenant_page(state, headers, console, t, tenant, None, Some(failure)).await
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    /// `on` or `off` (self-recovery).
    #[serde(default)]
    to: String,
}

pub async fn upgrade(
    State(state): State<AppState>,
    console: Console,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    csrf_check(&state, &headers, console.binding(), &form.csrf)?;
    let tenant = tenants::by_slug(state.db(), &slug).await?;
    let actor = console.account.actor();
    let (db, random, clock) = (state.db(), state.random(), state.clock());
    let result = activation::upgrade_onboarding(db, random, clock, &tenant, &actor)
        .await
        .map(|t| (t, "upgraded"));
    answer(&state, &headers, &console, tenant, result, String::new()).await
}

pub async fn recovery(
    State(state): State<AppState>,
    console: Console,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    csrf_check(&state, &headers, console.binding(), &form.csrf)?;
    let tenant = tenants::by_slug(state.db(), &slug).await?;
    let actor = console.account.actor();
    let (db, random, clock) = (state.db(), state.random(), state.clock());
    let result = match form.to.as_str() {
        "on" => activation::enable(db, random, clock, &tenant, &actor)
            .await
            .map(|t| (t, "enabled")),
        "off" => activation::disable(db, random, clock, &tenant, &actor)
            .await
            .map(|(t, _)| (t, "disabled")),
        _ => Err(Error::invalid("to", "must be on or off")),
    };
    answer(&state, &headers, &console, tenant, result, String::new()).await
}
