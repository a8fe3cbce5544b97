//! The console's activation requests (approve, or decline with a reason;
//! the administrator who asked is mailed either way) and the operator's
//! own trail.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::effects::audit::{Actor, AuditKind};
use latchkey_core::recovery::activation;
use latchkey_core::store::{OperatorAccountStore, RecoveryStore, TenantStore, UserStore};
use latchkey_core::tenants;
use serde::Deserialize;

use super::{Console, csrf_check, csrf_issue};
use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::paths;
use crate::app::respond::{see_other, utc};
use crate::i18n::{self, Texts};

/// A pending request as the page shows it.
pub(super) struct RequestRow {
    pub slug: String,
    pub tenant_name: String,
    pub onboarding_v1: bool,
    /// The administrator who asked, by name, and their address.
    pub requester: String,
    pub email: String,
    pub note: String,
    pub asked: String,
}

#[derive(Template)]
#[template(path = "operator_requests.html")]
struct RequestsPage {
    t: Texts,
    csrf: String,
    operator: String,
    /// The navigation's link to this page (`aria-current`).
    current: &'static str,
    rows: Vec<RequestRow>,
    /// The tenant whose decision failed, and why.
    error: Option<(String, String)>,
}

async fn requests_page(
    state: &AppState,
    headers: &HeaderMap,
    console: &Console,
    t: Texts,
    error: Option<(String, String)>,
) -> Result<Response, WebError> {
    let db = state.db();
    let tenants = db.list_tenants().await?;
    let mut rows = vec![];
    for r in db.pending_activation_requests().await? {
        let Some(tenant) = tenants.iter().find(|t| t.id == r.tenant_id) else {
            continue;
        };
        let asker = match &r.requested_by {
            Actor::User(id) | Actor::Admin(id) => db.user_by_id(&tenant.id, id).await?,
            _ => None,
        };
        let (requester, email) = match asker {
            Some(u) => (u.display_name, u.email),
            None => (t.get("audit-deleted-account"), String::new()),
        };
        rows.push(RequestRow {
            slug: tenant.slug.to_string(),
            tenant_name: tenant.display_name.clone(),
            onboarding_v1: tenant.onboarding == tenants::Onboarding::V1,
            requester,
            email,
            note: r.note.unwrap_or_default(),
            asked: utc(r.created_at),
        });
    }
    let (cookie, token) = csrf_issue(state, headers, console.binding());
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = RequestsPage {
        t,
        csrf: token,
        operator: console.account.name.clone(),
        current: "requests",
        rows,
        error,
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

pub async fn requests(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    requests_page(&state, &headers, &console, i18n::texts(console.lang), None).await
}

#[derive(Deserialize, Default)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    /// `approve` or `decline`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    console: Console,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    csrf_check(&state, &headers, console.binding(), &form.csrf)?;
    let tenant = tenants::by_slug(state.db(), &slug).await?;
    let t = i18n::texts(console.lang);
    let approve = match form.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(Error::invalid("decision", "must be approve or decline").into()),
    };
    if !approve && form.reason.trim().is_empty() {
        let error = (
            tenant.slug.to_string(),
            t.get("operator-decline-needs-reason"),
        );
        return requests_page(&state, &headers, &console, t, Some(error)).await;
    }
    let actor = console.account.actor();
    let (db, random, clock) = (state.db(), state.random(), state.clock());
    match activation::decide_request(db, random, clock, &tenant, approve, &form.reason, &actor)
        .await
    {
        Ok(_) => Ok(see_other(&paths::operator_tenant_done(&tenant, "decided"))),
        Err(Error::Invalid(errors)) => {
            let error = (tenant.slug.to_string(), t.say_all(&errors));
            requests_page(&state, &headers, &console, t, Some(error)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// One of the operator's actions.
pub(super) struct AuditRow {
    pub time: String,
    pub who: String,
    pub what: String,
    pub tenant: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "operator_audit.html")]
struct AuditPage {
    t: Texts,
    csrf: String,
    operator: String,
    /// The navigation's link to this page (`aria-current`).
    current: &'static str,
    rows: Vec<AuditRow>,
}

/// How many of the newest events the page shows.
const AUDIT_ROWS: u32 = 200;

pub async fn audit(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let t = i18n::texts(console.lang);
    let db = state.db();
    let accounts = db.list_operator_accounts().await?;
    let tenants = db.list_tenants().await?;
    let rows = db
        .operator_audit(AUDIT_ROWS)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            time: utc(e.at),
            who: match &e.actor {
                Actor::OperatorAccount(id) => accounts
                    .iter()
                    .find(|a| a.id == *id)
                    .map_or_else(|| id.to_string(), |a| a.name.clone()),
                Actor::OperatorCli => t.get("audit-actor-operator-cli"),
                Actor::Operator => t.get("operator-actor-api"),
                _ => t.get("audit-actor-anonymous"),
            },
            what: AuditKind::parse(&e.event)
                .map_or_else(|_| e.event.clone(), |k| t.get(&k.label_key())),
            tenant: e
                .tenant_id
                .as_ref()
                .and_then(|id| tenants.iter().find(|t| t.id == *id))
                .map_or_else(String::new, |t| t.slug.to_string()),
            ip: e.ip.unwrap_or_default(),
        })
        .collect();
    let (cookie, token) = csrf_issue(&state, &headers, console.binding());
    let page = AuditPage {
        t,
        csrf: token,
        operator: console.account.name.clone(),
        current: "audit",
        rows,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}
