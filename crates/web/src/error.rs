//! The web layer's error: every failure becomes a page with the right status
//! and a message a person can act on. Internal detail goes to the log (with
//! the request id of the surrounding span), never into the response.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use latchkey_core::Error;
use latchkey_core::store::StoreError;

#[derive(Debug)]
pub enum WebError {
    Core(Error),
    /// A form without a valid CSRF token.
    Csrf,
    /// A page that needs a signed-in user; redirect to sign-in.
    Internal(String),
}

impl From<Error> for WebError {
    fn from(err: Error) -> Self {
        WebError::Core(err)
    }
}

impl From<StoreError> for WebError {
    fn from(err: StoreError) -> Self {
        WebError::Core(Error::Store(err))
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub message: &'a str,
    pub details: Vec<String>,
    pub link: Option<(&'a str, &'a str)>,
}

/// The status and message a page shows: a failure's, or 200 and none.
pub fn outcome(failure: Option<(StatusCode, String)>) -> (StatusCode, Option<String>) {
    match failure {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    }
}

/// Renders a template, falling back to plain text if rendering fails (it
/// cannot, since templates are checked at compile time, but never panic).
pub fn html<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub fn message(status: StatusCode, title: &str, message: &str) -> Response {
    html(
        status,
        &MessagePage {
            lang: crate::i18n::errors().lang,
            title,
            message,
            details: vec![],
            link: None,
        },
    )
}

fn with_retry_after(mut response: Response, secs: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let t = crate::i18n::errors();
        match self {
            WebError::Csrf => message(StatusCode::FORBIDDEN, t.csrf_title, t.csrf_text),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                internal()
            }
            WebError::Core(err) => match err {
                Error::Invalid(errors) => html(
                    StatusCode::BAD_REQUEST,
                    &MessagePage {
                        lang: t.lang,
                        title: t.invalid_title,
                        message: t.invalid_text,
                        details: errors
                            .iter()
                            .map(|e| crate::i18n::say_field(e, crate::i18n::current()))
                            .collect(),
                        link: None,
                    },
                ),
                Error::Conflict(field) => {
                    let text = crate::i18n::say_field(&field, crate::i18n::current());
                    message(StatusCode::CONFLICT, t.conflict_title, &text)
                }
                Error::NotFound(what) => {
                    let text = if t.lang == "en" {
                        format!("There is no such {what} here. Check the address.")
                    } else {
                        t.not_found_text.to_owned()
                    };
                    message(StatusCode::NOT_FOUND, t.not_found_title, &text)
                }
                Error::ReauthRequired => {
                    message(StatusCode::FORBIDDEN, t.reauth_title, t.reauth_text)
                }
                Error::InvalidCode => message(StatusCode::UNAUTHORIZED, t.code_title, t.code_text),
                Error::InvalidLink => message(StatusCode::GONE, t.link_title, t.link_text),
                Error::InvalidCredentials => {
                    message(StatusCode::UNAUTHORIZED, t.signin_title, t.signin_text)
                }
                Error::RateLimited { retry_after_secs } => with_retry_after(
                    message(
                        StatusCode::TOO_MANY_REQUESTS,
                        t.limit_title,
                        &format!(
                            "{} {}.",
                            t.limit_text,
                            crate::i18n::wait(crate::i18n::current(), retry_after_secs)
                        ),
                    ),
                    retry_after_secs,
                ),
                Error::Overloaded { retry_after_secs } => with_retry_after(
                    message(StatusCode::SERVICE_UNAVAILABLE, t.busy_title, t.busy_text),
                    retry_after_secs,
                ),
                Error::Store(StoreError::Unavailable(detail)) => {
                    tracing::error!(%detail, "database unavailable");
                    with_retry_after(
                        message(StatusCode::SERVICE_UNAVAILABLE, t.down_title, t.down_text),
                        5,
                    )
                }
                Error::Store(err) => {
                    tracing::error!(error = %err, "store error");
                    internal()
                }
            },
        }
    }
}

fn internal() -> Response {
    let t = crate::i18n::errors();
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        t.internal_title,
        t.internal_text,
    )
}

/// "3 minutes", "45 seconds".
pub fn wait_text(secs: i64) -> String {
    if secs >= 120 {
        format!("{} minutes", (secs + 59) / 60)
    } else {
        format!("{} seconds", secs.max(1))
    }
}
