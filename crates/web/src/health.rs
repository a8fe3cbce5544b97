//! Liveness, readiness and metrics for operators and orchestrators.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::store::TenantStore;
use serde_json::json;

use crate::AppState;
use crate::app::paths;

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(paths::HEALTHZ, axum::routing::get(healthz))
        .route(paths::READYZ, axum::routing::get(readyz))
}

/// The process is up and serving HTTP.
pub async fn healthz() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
        .into_response()
}

/// The database answers and every migration this binary knows is applied.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let db = state.db();
    if let Err(err) = db.ping().await {
        tracing::warn!(error = %err, "readiness: database unreachable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable", "reason": "database unreachable"})),
        )
            .into_response();
    }
    match db.migration_status().await {
        Ok(status) if status.is_current() => (
            StatusCode::OK,
            Json(json!({"status": "ready", "database": db.backend().name(), "migrations": status.applied})),
        )
            .into_response(),
        Ok(status) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unavailable",
                "reason": "migrations pending; run `latchkey migrate`",
                "pending": status.pending,
            })),
        )
            .into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "readiness: cannot read migrations");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "reason": "cannot read migration state"})),
            )
                .into_response()
        }
    }
}

/// Per-tenant recovery statistics in Prometheus text format.
async fn recovery_metrics(state: &AppState) -> Result<String, latchkey_core::Error> {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut cases = String::new();
    let mut median = String::new();
    let mut resets = String::new();
    let mut surges = String::new();
    for tenant in state.db().list_tenants().await? {
        let stats =
            latchkey_core::recovery::stats::stats(state.db(), &tenant, state.clock().now()).await?;
        let t = tenant.slug.as_str();
        for (name, n) in [
            ("open", stats.open),
            ("completed", stats.completed),
            ("cancelled", stats.cancelled),
            ("expired", stats.expired),
            ("locked", stats.locked),
        ] {
            let _ = writeln!(
                cases,
                "latchkey_recovery_cases{{tenant=\"{t}\",state=\"{name}\"}} {n}"
            );
        }
        if let Some(secs) = stats.median_secs_to_complete {
            let _ = writeln!(
                median,
                "latchkey_recovery_median_seconds_to_complete{{tenant=\"{t}\"}} {secs}"
            );
        }
        let _ = writeln!(
            resets,
            "latchkey_factor_resets{{tenant=\"{t}\",by=\"self\"}} {}",
            stats.self_recoveries
        );
        let _ = writeln!(
            resets,
            "latchkey_factor_resets{{tenant=\"{t}\",by=\"helpdesk\"}} {}",
            stats.helpdesk_resets
        );
        let _ = writeln!(
            surges,
            "latchkey_recovery_surges{{tenant=\"{t}\"}} {}",
            stats.surges
        );
    }
    out.push_str("# HELP latchkey_recovery_cases Self-recovery cases by tenant and state.\n# TYPE latchkey_recovery_cases gauge\n");
    out.push_str(&cases);
    out.push_str("# HELP latchkey_recovery_median_seconds_to_complete Median time from start to completion of self-recoveries.\n# TYPE latchkey_recovery_median_seconds_to_complete gauge\n");
    out.push_str(&median);
    out.push_str("# HELP latchkey_factor_resets Second-factor resets: by the users themselves (self-recovery) or by the helpdesk.\n# TYPE latchkey_factor_resets gauge\n");
    out.push_str(&resets);
    out.push_str("# HELP latchkey_recovery_surges Surges of self-recovery starts in the last 90 days (new cases waited longer); alert when it rises.\n# TYPE latchkey_recovery_surges gauge\n");
    out.push_str(&surges);
    Ok(out)
}

/// `/metrics` on the metrics listener; `expected` is the SHA-256 of the
/// bearer token a scrape must send, when one is configured.
pub async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    expected: Option<String>,
) -> Response {
    if let Some(expected) = expected {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        let hash = latchkey_core::platform::secret::sha256_hex(presented.as_bytes());
        if presented.is_empty()
            || !latchkey_core::platform::secret::ct_eq(hash.as_bytes(), expected.as_bytes())
        {
            return (
                StatusCode::UNAUTHORIZED,
                [
                    (
                        header::WWW_AUTHENTICATE,
                        "Bearer realm=\"latchkey metrics\"",
                    ),
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                ],
                "send the metrics token (metrics.token) as a bearer token\n",
            )
                .into_response();
        }
    }
    let pool = state.hasher();
    let recovery = match recovery_metrics(&state).await {
        Ok(text) => text,
        Err(err) => {
            tracing::warn!(error = %err, "recovery statistics unavailable for /metrics");
            String::new()
        }
    };
    let mut body = state.metrics().render(&[
        (
            "latchkey_password_hashes_in_progress",
            "Password hashes running or queued.",
            pool.in_use() as f64,
        ),
        (
            "latchkey_password_hashes_completed",
            "Password hashes and verifications computed since start.",
            pool.completed() as f64,
        ),
        (
            "latchkey_password_hash_rejected",
            "Password hashes refused since start because the queue was full.",
            pool.rejected() as f64,
        ),
    ]);
    body.push_str(&recovery);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
