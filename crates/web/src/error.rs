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
    pub title: &'a str,
    pub message: &'a str,
    pub details: Vec<String>,
    pub link: Option<(&'a str, &'a str)>,
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
        match self {
            WebError::Csrf => message(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "The form was not sent from this page or is too old. Go back, reload the page and try again.",
            ),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                internal()
            }
            WebError::Core(err) => match err {
                Error::Invalid(errors) => html(
                    StatusCode::BAD_REQUEST,
                    &MessagePage {
                        title: "Please check your input",
                        message: "Some fields are not valid:",
                        details: errors.iter().map(ToString::to_string).collect(),
                        link: None,
                    },
                ),
                Error::Conflict(field) => {
                    message(StatusCode::CONFLICT, "Already exists", &field.to_string())
                }
                Error::NotFound(what) => message(
                    StatusCode::NOT_FOUND,
                    "Not found",
                    &format!("There is no such {what} here. Check the address."),
                ),
                Error::ReauthRequired => message(
                    StatusCode::FORBIDDEN,
                    "Please sign in again",
                    "For your security, second factors can only be changed within 10 minutes of signing in. \
                     Sign out, sign in again, and try once more.",
                ),
                Error::InvalidCode => message(
                    StatusCode::UNAUTHORIZED,
                    "The code is not correct",
                    &Error::InvalidCode.to_string(),
                ),
                Error::InvalidLink => message(
                    StatusCode::GONE,
                    "This link cannot be used",
                    "It was used already, has expired, or a newer link replaced it. \
                     Sign in to ask for a new one.",
                ),
                Error::InvalidCredentials => message(
                    StatusCode::UNAUTHORIZED,
                    "Sign-in failed",
                    &Error::InvalidCredentials.to_string(),
                ),
                Error::RateLimited { retry_after_secs } => with_retry_after(
                    message(
                        StatusCode::TOO_MANY_REQUESTS,
                        "Too many attempts",
                        &format!(
                            "Too many attempts. Try again in {}.",
                            wait_text(retry_after_secs)
                        ),
                    ),
                    retry_after_secs,
                ),
                Error::Overloaded { retry_after_secs } => with_retry_after(
                    message(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Busy",
                        "The server is busy right now. Try again in a moment.",
                    ),
                    retry_after_secs,
                ),
                Error::Store(StoreError::Unavailable(detail)) => {
                    tracing::error!(%detail, "database unavailable");
                    with_retry_after(
                        message(
                            StatusCode::SERVICE_UNAVAILABLE,
                            "Temporarily unavailable",
                            "latchkey cannot reach its database right now. Try again in a moment.",
                        ),
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
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Something went wrong on our side. Please try again; if it keeps happening, tell your administrator the time it happened.",
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
