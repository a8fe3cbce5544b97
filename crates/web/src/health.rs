//! Liveness, readiness and metrics for operators and orchestrators.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;

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

pub async fn metrics(State(state): State<AppState>) -> Response {
    let pool = state.hasher();
    let body = state.metrics().render(&[
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
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
