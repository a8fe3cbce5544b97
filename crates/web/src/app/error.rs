//! The web layer's one error mapping. A failure becomes what the route
//! answers with:
//!
//! - [`WebError`] → a page with the right status and a message a person can
//!   act on (every browser route);
//! - [`ApiError`] → JSON in the API's shape (`/api/…`);
//! - [`OAuthRefusal`] → the JSON error of RFC 6749 §5.2 with its HTTP
//!   status (the token endpoint and its siblings; [`OAuthFailure`] where the
//!   server's own failures are answered as pages).
//!   Core names the error ([`OAuthError`]); which status it gets is
//!   decided here, in [`token_error_status`].
//!
//! Internal detail goes to the log (with the request id of the surrounding
//! span), never into the response.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use latchkey_core::Error;
use latchkey_core::accounts::session::RECENT_AUTH_SECS;
use latchkey_core::oidc::{OAuthError, TokenError};
use latchkey_core::store::StoreError;
use serde_json::json;

use crate::app::{context, paths};
use crate::i18n::{Texts, errors};

#[derive(Debug)]
pub enum WebError {
    Core(Error),
    /// A form without a valid CSRF token.
    Csrf,
    /// Something that cannot happen did; the detail is logged.
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

/// A page with a message and a way forward: an error, or news such as
/// "You are signed out". It names the request's tenant when one is known.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub t: Texts,
    pub tenant_name: Option<String>,
    pub title: &'a str,
    pub message: &'a str,
    pub details: Vec<String>,
    /// Where to go from here, and the link's text.
    pub link: (String, String),
}

impl<'a> MessagePage<'a> {
    /// The page in `t`'s language, leading on as [`forward`] says.
    pub fn new(t: Texts, title: &'a str, message: &'a str) -> MessagePage<'a> {
        MessagePage {
            t,
            tenant_name: context::tenant().map(|k| k.name),
            title,
            message,
            details: vec![],
            link: forward(t),
        }
    }

    /// Leading on to `href` instead.
    pub fn link(mut self, href: String, label: String) -> MessagePage<'a> {
        self.link = (href, label);
        self
    }

    /// With a list of what was wrong.
    pub fn details(mut self, details: Vec<String>) -> MessagePage<'a> {
        self.details = details;
        self
    }
}

/// The way forward from a page of a known tenant: its sign-in (which sends
/// a signed-in browser on to the account); from anywhere else, the front
/// page.
pub fn forward(t: Texts) -> (String, String) {
    match context::tenant() {
        Some(tenant) => (
            format!("/t/{}/signin", tenant.slug),
            t.with1("error-forward-signin", "tenant", &tenant.name),
        ),
        None => ("/".to_owned(), t.get("error-forward-home")),
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

/// A message page in the request's language (see [`context::language`]).
pub fn message(status: StatusCode, title: &str, message: &str) -> Response {
    html(status, &MessagePage::new(errors(), title, message))
}

/// An error page whose title and text are messages of the catalogue.
fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let t = errors();
    message(status, &t.get(title), &t.get(text))
}

/// An expired form: back to the page that shows it, where there is one.
fn expired_form() -> Response {
    let t = errors();
    let (title, text) = (t.get("error-csrf-title"), t.get("error-csrf-text"));
    let mut page = MessagePage::new(t, &title, &text);
    if let Some(href) = context::landing() {
        page = page.link(href, t.get("error-forward-back"));
    }
    html(StatusCode::FORBIDDEN, &page)
}

/// A link that cannot be used. A password-reset link is for someone who
/// cannot sign in: they are offered a new link, not the sign-in.
fn unusable_link() -> Response {
    let t = errors();
    let reset = context::route().as_deref() == Some(paths::RESET_PASSWORD);
    let title = t.get("error-link-title");
    if let (true, Some(tenant)) = (reset, context::tenant()) {
        let text = t.get("error-reset-link-text");
        let page = MessagePage::new(t, &title, &text).link(
            format!("/t/{}/forgot-password", tenant.slug),
            t.get("error-forward-new-link"),
        );
        return html(StatusCode::GONE, &page);
    }
    let text = t.get("error-link-text");
    html(StatusCode::GONE, &MessagePage::new(t, &title, &text))
}

/// `response` with `Retry-After: secs` (at least 1).
pub(crate) fn with_retry_after(mut response: Response, secs: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let t = errors();
        match self {
            WebError::Csrf => expired_form(),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                internal()
            }
            WebError::Core(err) => match err {
                Error::Invalid(errors) => {
                    let (title, text) = (t.get("error-invalid-title"), t.get("error-invalid-text"));
                    let mut page = MessagePage::new(t, &title, &text)
                        .details(errors.iter().map(|e| t.say_field(e)).collect());
                    if let Some(href) = context::landing() {
                        page = page.link(href, t.get("error-forward-back"));
                    }
                    html(StatusCode::BAD_REQUEST, &page)
                }
                Error::Conflict(field) => message(
                    StatusCode::CONFLICT,
                    &t.get("error-conflict-title"),
                    &t.say_field(&field),
                ),
                Error::NotFound(what) => {
                    // `what` is core's English noun: only English pages name it.
                    let text = if t.lang() == "en" {
                        format!("There is no such {what} here. Check the address.")
                    } else {
                        t.get("error-not-found-text")
                    };
                    message(
                        StatusCode::NOT_FOUND,
                        &t.get("error-not-found-title"),
                        &text,
                    )
                }
                Error::ReauthRequired => page(
                    StatusCode::FORBIDDEN,
                    "error-reauth-title",
                    "error-reauth-text",
                ),
                Error::InvalidCode | Error::WrongProof { .. } => page(
                    StatusCode::UNAUTHORIZED,
                    "error-code-title",
                    "error-code-text",
                ),
                Error::InvalidLink => unusable_link(),
                Error::InvalidCredentials => page(
                    StatusCode::UNAUTHORIZED,
                    "error-signin-title",
                    "error-signin-text",
                ),
                Error::RateLimited { retry_after_secs } => with_retry_after(
                    message(
                        StatusCode::TOO_MANY_REQUESTS,
                        &t.get("error-limit-title"),
                        &t.try_again("error-limit-text", retry_after_secs),
                    ),
                    retry_after_secs,
                ),
                Error::Overloaded { retry_after_secs } => with_retry_after(
                    page(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "error-busy-title",
                        "error-busy-text",
                    ),
                    retry_after_secs,
                ),
                Error::Store(StoreError::Unavailable(detail)) => {
                    tracing::error!(%detail, "database unavailable");
                    with_retry_after(
                        page(
                            StatusCode::SERVICE_UNAVAILABLE,
                            "error-down-title",
                            "error-down-text",
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
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "error-internal-title",
        "error-internal-text",
    )
}

// ---------------------------------------------------------------------------
// The API: JSON `{"error": "...", "message": "...", "fields": [...]}`.

pub enum ApiError {
    /// No or an unknown credential.
    Unauthorized,
    /// A valid credential that may not do this.
    Forbidden(&'static str),
    /// The body is not the JSON this call takes.
    BadBody(String),
    Core(Error),
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        ApiError::Core(err)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        ApiError::Core(Error::Store(err))
    }
}

impl From<WebError> for ApiError {
    fn from(err: WebError) -> Self {
        match err {
            WebError::Core(e) => ApiError::Core(e),
            WebError::Csrf => ApiError::Forbidden("csrf"),
            WebError::Internal(detail) => ApiError::Core(Error::Store(StoreError::Corrupt(detail))),
        }
    }
}

/// RFC 9470 step-up: the token's authentication is too old for this call.
const STEP_UP_CHALLENGE: &str = "Bearer realm=\"latchkey\", error=\"insufficient_user_authentication\", error_description=\"A sign-in within the last 10 minutes is required\", max_age=\"600\"";
const _: () = assert!(RECENT_AUTH_SECS == 600, "keep STEP_UP_CHALLENGE in step");

fn api_body(status: StatusCode, error: &str, message: &str, fields: serde_json::Value) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "error": error, "message": message, "fields": fields })),
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let none = json!([]);
        match self {
            ApiError::Unauthorized => {
                let mut r = api_body(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "send a valid bearer token in the Authorization header",
                    none,
                );
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"latchkey\""),
                );
                r
            }
            ApiError::Forbidden(why) => api_body(StatusCode::FORBIDDEN, "forbidden", why, none),
            ApiError::BadBody(why) => api_body(StatusCode::BAD_REQUEST, "bad_request", &why, none),
            ApiError::Core(err) => match err {
                Error::Invalid(errors) => api_body(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    "some fields are not valid",
                    errors
                        .iter()
                        .map(|e| json!({ "field": e.field, "message": e.message }))
                        .collect(),
                ),
                Error::Conflict(e) => api_body(
                    StatusCode::CONFLICT,
                    "conflict",
                    &e.to_string(),
                    json!([{ "field": e.field, "message": e.message }]),
                ),
                Error::NotFound(what) => api_body(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    &format!("no such {what}"),
                    none,
                ),
                Error::ReauthRequired => {
                    let mut r = (
                        StatusCode::UNAUTHORIZED,
                        [(header::CACHE_CONTROL, "no-store")],
                        Json(json!({
                            "error": "insufficient_user_authentication",
                            "message": "this change needs a sign-in within the last 10 minutes: sign in again (max_age) and use the new token",
                            "fields": [],
                            "max_age": RECENT_AUTH_SECS,
                        })),
                    )
                        .into_response();
                    r.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static(STEP_UP_CHALLENGE),
                    );
                    r
                }
                Error::RateLimited { retry_after_secs } => api_body(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    &format!("try again in {retry_after_secs} seconds"),
                    none,
                ),
                Error::Store(StoreError::Unavailable(detail)) => {
                    tracing::error!(%detail, "database unavailable");
                    api_body(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "unavailable",
                        "the database cannot be reached; try again",
                        none,
                    )
                }
                other => {
                    tracing::error!(error = %other, "API call failed");
                    api_body(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "the call could not be completed",
                        none,
                    )
                }
            },
        }
    }
}

// ---------------------------------------------------------------------------
// OAuth: the token, revocation and introspection endpoints.

/// A failure at a token-style endpoint; `basic` says whether the client
/// authenticated with HTTP Basic (which decides the challenge of a 401).
pub struct OAuthRefusal {
    pub error: TokenError,
    pub basic: bool,
}

/// The HTTP status of a token-style endpoint's error: 429 for a rate limit
/// (with `Retry-After`), 401 for a failed client authentication (RFC 6749
/// §5.2), 500 and 503 for the server's own failures, else 400.
pub fn token_error_status(err: &TokenError) -> StatusCode {
    if err.retry_after_secs.is_some() {
        return StatusCode::TOO_MANY_REQUESTS;
    }
    match err.error {
        OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
        OAuthError::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        OAuthError::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl IntoResponse for OAuthRefusal {
    fn into_response(self) -> Response {
        let OAuthRefusal { error: err, basic } = self;
        let server_error = err.error == OAuthError::ServerError;
        if server_error {
            tracing::error!(detail = %err.description, "token endpoint failed");
        }
        let description = if server_error {
            "the request could not be completed; try again"
        } else {
            err.description.as_str()
        };
        let status = token_error_status(&err);
        let mut response = crate::app::respond::json(
            status,
            &json!({ "error": err.error.as_str(), "error_description": description }),
        );
        if let Some(secs) = err.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        if status == StatusCode::UNAUTHORIZED {
            let challenge = if basic {
                "Basic realm=\"latchkey\""
            } else {
                "Basic realm=\"latchkey\", error=\"invalid_client\""
            };
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

/// The revocation and introspection endpoints' failures: an OAuth error, or
/// a failure of the server's own, which is answered like on every other
/// route (a page; its detail logged).
pub enum OAuthFailure {
    OAuth(OAuthRefusal),
    Web(WebError),
}

impl From<OAuthRefusal> for OAuthFailure {
    fn from(err: OAuthRefusal) -> Self {
        OAuthFailure::OAuth(err)
    }
}

impl<E: Into<WebError>> From<E> for OAuthFailure {
    fn from(err: E) -> Self {
        OAuthFailure::Web(err.into())
    }
}

impl IntoResponse for OAuthFailure {
    fn into_response(self) -> Response {
        match self {
            OAuthFailure::OAuth(err) => err.into_response(),
            OAuthFailure::Web(err) => err.into_response(),
        }
    }
}
