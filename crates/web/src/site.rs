//! The pages of no tenant: the front page, the stylesheet, and "not found".

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::app::error::{ApiError, WebError, html, message};
use crate::app::extract::{Lang, Tenant};
use crate::app::paths;
use crate::app::respond::see_other;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::INDEX, get(index))
        .route(paths::STYLESHEET, get(stylesheet))
        .route(paths::TENANT, get(tenant_home))
        .route(paths::TENANT_SLASH, get(tenant_home))
}

async fn index(Lang(lang): Lang) -> Response {
    #[derive(Template)]
    #[template(path = "index.html")]
    struct Index {
        lang: &'static str,
        text: String,
        example: String,
    }
    let t = crate::i18n::texts(lang);
    html(
        StatusCode::OK,
        &Index {
            lang: lang.as_str(),
            text: t.get("site-intro"),
            example: t.get("site-example-tenant"),
        },
    )
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/latchkey.css"),
    )
        .into_response()
}

/// An unknown address: a page, or JSON in the API's shape under `/api/`.
pub(crate) async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::Core(latchkey_core::Error::NotFound("resource")).into_response()
    } else {
        let t = crate::i18n::errors();
        message(
            StatusCode::NOT_FOUND,
            &t.get("error-not-found-title"),
            &t.get("error-not-found-text"),
        )
    }
}

async fn tenant_home(Tenant(tenant): Tenant) -> Result<Response, WebError> {
    Ok(see_other(&paths::account(&tenant)))
}
