//! The tenant's audit log, for its administrators: a page of events by a
//! filter, and the filtered view as CSV or JSON lines. The rules (and
//! every message about a wrong parameter) are core's
//! `accounts::audit_log`, as for the console and the CLI.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use latchkey_core::accounts::audit_export::{ExportFormat, json};
use latchkey_core::accounts::audit_log::{self, AuditQueryInput};
use latchkey_core::{Error, platform::validate::FieldError};
use serde::Deserialize;
use serde_json::json;

use super::{ApiAdmin, ApiPath, ApiResult, ok};
use crate::AppState;
use crate::app::error::ApiError;
use crate::app::respond::download;

/// The query string: the filter, and `cursor`/`limit` (a page) or
/// `format` (an export).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
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
    limit: String,
    #[serde(default)]
    format: String,
}

fn params(query: Result<Query<AuditParams>, QueryRejection>) -> Result<AuditParams, ApiError> {
    query.map(|Query(q)| q).map_err(|e| {
        ApiError::BadBody(format!(
            "the query string is not one this call takes ({}); it takes person, event, from, to, cursor, limit and, for an export, format",
            e.body_text()
        ))
    })
}

fn input(p: &AuditParams) -> AuditQueryInput {
    AuditQueryInput {
        person: p.person.clone(),
        event: p.event.clone(),
        from: p.from.clone(),
        to: p.to.clone(),
        cursor: p.cursor.clone(),
        limit: p.limit.clone(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    ApiAdmin { tenant }: ApiAdmin,
    query: Result<Query<AuditParams>, QueryRejection>,
) -> ApiResult {
    let p = params(query)?;
    if !p.format.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "format",
            "is for exports: call /audit/export with it",
        )])
        .into());
    }
    let page = audit_log::read_page(state.db(), &tenant, &input(&p)).await?;
    ok(
        StatusCode::OK,
        json!({
            "events": page.entries.iter().map(json).collect::<Vec<_>>(),
            "next_cursor": page.next,
        }),
    )
}

pub async fn export(
    State(state): State<AppState>,
    ApiPath(_): ApiPath<String>,
    ApiAdmin { tenant }: ApiAdmin,
    query: Result<Query<AuditParams>, QueryRejection>,
) -> ApiResult {
    let p = params(query)?;
    let format = ExportFormat::parse(&p.format).map_err(|e| Error::Invalid(vec![e]))?;
    let entries = audit_log::read_export(state.db(), &tenant, &input(&p)).await?;
    Ok(download(&tenant, state.clock().now(), format, &entries))
}
