//! The audit log page (`/t/{tenant}/admin/audit`): a filter form (GET, so
//! a filtered view is a link one can keep), a table of one page of events,
//! links to the newest and the older events, and the exports of the
//! filtered view. Every rule is core's `accounts::audit_log`; a wrong
//! field is said beside it, in the page's language, with what was typed
//! kept.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use latchkey_core::accounts::audit_export::{ExportFormat, rfc3339};
use latchkey_core::accounts::audit_log::{
    self, AuditEntry, AuditPage, AuditQueryInput, EXPORT_MAX,
};
use latchkey_core::effects::audit::{Actor, AuditKind};
use latchkey_core::platform::validate::FieldError;
use serde::Deserialize;

use super::{Administrator, text};
use crate::AppState;
use crate::app::error::{WebError, html};
use crate::app::extract::SignedIn;
use crate::app::respond::{download, query_escape, utc};
use crate::i18n::Texts;

/// The filter as the form sends it (every field text, absent as empty).
#[derive(Deserialize, Default)]
pub struct AuditForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    cursor: String,
    #[serde(default)]
    format: String,
}

impl AuditForm {
    fn input(&self) -> AuditQueryInput {
        AuditQueryInput {
            person: self.person.clone(),
            event: self.event.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            cursor: self.cursor.clone(),
            limit: String::new(),
        }
    }

    /// The filter as a query string (without cursor and format), for the
    /// paging and export links.
    fn query(&self) -> String {
        [
            ("person", &self.person),
            ("event", &self.event),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", query_escape(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// A row of the table, in the page's words.
struct Row {
    time: String,
    datetime: String,
    actor: String,
    person: String,
    label: Option<String>,
    event: String,
    ip: Option<String>,
    user_agent: Option<String>,
    detail: Option<String>,
}

/// An option of the event list.
struct Choice {
    value: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditLogPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    person: String,
    event: String,
    from: String,
    to: String,
    /// The event list, by group: the group's name and its kinds.
    groups: Vec<(String, Vec<Choice>)>,
    /// What is wrong, by field (`person`, `event`, `from`, `to`), and
    /// about no field (`cursor`, an export too large).
    errors: Vec<(String, String)>,
    general: Vec<String>,
    rows: Vec<Row>,
    /// Whether a page of results is shown (not when the filter was wrong).
    shown: bool,
    /// The filter's query string, for the links.
    filter: String,
    /// The link to the next page, and whether this is not the first.
    older: Option<String>,
    paged: bool,
    export_intro: String,
}

impl AuditLogPage<'_> {
    /// The message about `field`, if any.
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    fn link(&self, extra: &str) -> String {
        let mut q = self.filter.clone();
        if !extra.is_empty() {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(extra);
        }
        if q.is_empty() {
            format!("/t/{}/admin/audit", self.tenant_slug)
        } else {
            format!("/t/{}/admin/audit?{q}", self.tenant_slug)
        }
    }

    fn export(&self, format: &str) -> String {
        let filter = if self.filter.is_empty() {
            String::new()
        } else {
            format!("&{}", self.filter)
        };
        format!(
            "/t/{}/admin/audit/export?format={format}{filter}",
            self.tenant_slug
        )
    }
}

fn groups(t: Texts) -> Vec<(String, Vec<Choice>)> {
    let mut out: Vec<(&'static str, Vec<Choice>)> = vec![];
    for kind in AuditKind::ALL {
        let choice = Choice {
            value: kind.as_str(),
            label: t.get(&kind.label_key()),
        };
        match out.iter_mut().find(|(g, _)| *g == kind.group()) {
            Some((_, choices)) => choices.push(choice),
            None => out.push((kind.group(), vec![choice])),
        }
    }
    out.into_iter()
        .map(|(g, choices)| (t.get(&format!("audit-group-{g}")), choices))
        .collect()
}

fn actor(t: Texts, entry: &AuditEntry) -> String {
    let name = || {
        entry
            .actor_name
            .clone()
            .unwrap_or_else(|| t.get("audit-deleted-account"))
    };
    match &entry.event.actor {
        Actor::User(_) => name(),
        Actor::Admin(_) => format!("{} ({})", name(), t.get("audit-as-admin")),
        Actor::Operator => t.get("audit-actor-operator"),
        Actor::OperatorCli => t.get("audit-actor-operator-cli"),
        Actor::OperatorAccount(_) => t.get("audit-actor-operator-console"),
        Actor::System => t.get("audit-actor-system"),
        Actor::Anonymous => t.get("audit-actor-anonymous"),
    }
}

fn row(t: Texts, entry: &AuditEntry) -> Row {
    let e = &entry.event;
    let person = match (&e.user_id, &entry.person) {
        (None, _) => "—".to_owned(),
        (Some(_), Some(name)) => name.clone(),
        (Some(_), None) => t.get("audit-deleted-account"),
    };
    Row {
        time: utc(e.at),
        datetime: rfc3339(e.at),
        actor: actor(t, entry),
        person,
        label: entry.kind.map(|k| t.get(&k.label_key())),
        event: e.event.clone(),
        ip: e.ip.clone(),
        user_agent: e.user_agent.clone(),
        detail: (e.detail.trim() != "{}").then(|| e.detail.clone()),
    }
}

fn page<'a>(
    admin: &'a SignedIn,
    form: &AuditForm,
    result: Option<&AuditPage>,
    field_errors: &[FieldError],
) -> AuditLogPage<'a> {
    let t = text(admin);
    let (mut errors, mut general) = (vec![], vec![]);
    for e in field_errors {
        let said = t.say_first(std::slice::from_ref(e));
        match e.field.as_str() {
            "person" | "event" | "from" | "to" => errors.push((e.field.clone(), said)),
            _ => general.push(said),
        }
    }
    let filter = form.query();
    AuditLogPage {
        t,
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        person: form.person.clone(),
        event: form.event.trim().to_owned(),
        from: form.from.clone(),
        to: form.to.clone(),
        groups: groups(t),
        errors,
        general,
        rows: result
            .map(|p| p.entries.iter().map(|e| row(t, e)).collect())
            .unwrap_or_default(),
        shown: result.is_some(),
        older: result
            .and_then(|p| p.next.as_ref())
            .map(|c| format!("cursor={}", query_escape(c))),
        paged: !form.cursor.trim().is_empty(),
        filter,
        export_intro: t.with("audit-export-intro", &[("max", EXPORT_MAX.into())]),
    }
}

/// The page with what was wrong with the filter (422), or the error.
fn refused(
    admin: &SignedIn,
    form: &AuditForm,
    err: latchkey_core::Error,
) -> Result<Response, WebError> {
    let latchkey_core::Error::Invalid(errors) = err else {
        return Err(err.into());
    };
    Ok(html(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(admin, form, None, &errors),
    ))
}

pub async fn log(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    query: Result<Query<AuditForm>, QueryRejection>,
) -> Result<Response, WebError> {
    let form = query.map(|Query(q)| q).unwrap_or_default();
    match audit_log::read_page(state.db(), &admin.tenant, &form.input()).await {
        Ok(result) => Ok(html(
            StatusCode::OK,
            &page(&admin, &form, Some(&result), &[]),
        )),
        Err(err) => refused(&admin, &form, err),
    }
}

/// The filtered view as a file (see `audit_log::read_export`).
pub async fn export(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    query: Result<Query<AuditForm>, QueryRejection>,
) -> Result<Response, WebError> {
    let form = query.map(|Query(q)| q).unwrap_or_default();
    let format = match ExportFormat::parse(&form.format) {
        Ok(format) => format,
        Err(e) => return refused(&admin, &form, latchkey_core::Error::Invalid(vec![e])),
    };
    match audit_log::read_export(state.db(), &admin.tenant, &form.input()).await {
        Ok(entries) => Ok(download(
            &admin.tenant,
            state.clock().now(),
            format,
            &entries,
        )),
        Err(err) => refused(&admin, &form, err),
    }
}
