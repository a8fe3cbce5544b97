//! The JSON API.
//!
//! - `/api/t/{tenant}/…` for a tenant's administrators: a bearer access
//!   token of the tenant with the `latchkey:admin` scope (granted only to
//!   first-party applications, and only for administrators; the role is
//!   checked again on every call).
//! - `/api/operator/…` for the deployment's operator: a bearer operator
//!   token (`latchkey operator token create`).
//!
//! Errors are JSON: `{"error": "...", "message": "...", "fields": [...]}`.
//!
//! Order: the credential first, then the body. A handler takes the body as
//! [`JsonBody`] (bytes, not yet parsed) and the path as [`ApiPath`], so no
//! extractor answers before the handler has checked the bearer token; only
//! then is the body read as JSON, and what is wrong with it is said in the
//! shape above. A path that cannot be decoded names nothing that exists and
//! is answered 404, like an unknown route.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::Error;
use latchkey_core::accounts::session::RECENT_AUTH_SECS;
use latchkey_core::accounts::user::{LoginKey, User};
use latchkey_core::oidc::client::{self, ClientInput};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::case;
use latchkey_core::store::{ClientStore, RecoveryStore, StoreError, UserStore};
use latchkey_core::tenants::Tenant;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::pages::Client;

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

impl From<crate::error::WebError> for ApiError {
    fn from(err: crate::error::WebError) -> Self {
        match err {
            crate::error::WebError::Core(e) => ApiError::Core(e),
            crate::error::WebError::Csrf => ApiError::Forbidden("csrf"),
            crate::error::WebError::Internal(detail) => {
                ApiError::Core(Error::Store(StoreError::Corrupt(detail)))
            }
        }
    }
}

fn body(status: StatusCode, error: &str, message: &str, fields: serde_json::Value) -> Response {
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
                let mut r = body(
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
            ApiError::Forbidden(why) => body(StatusCode::FORBIDDEN, "forbidden", why, none),
            ApiError::BadBody(why) => body(StatusCode::BAD_REQUEST, "bad_request", &why, none),
            ApiError::Core(err) => match err {
                Error::Invalid(errors) => body(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    "some fields are not valid",
                    errors
                        .iter()
                        .map(|e| json!({ "field": e.field, "message": e.message }))
                        .collect(),
                ),
                Error::Conflict(e) => body(
                    StatusCode::CONFLICT,
                    "conflict",
                    &e.to_string(),
                    json!([{ "field": e.field, "message": e.message }]),
                ),
                Error::NotFound(what) => body(
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
                Error::RateLimited { retry_after_secs } => body(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    &format!("try again in {retry_after_secs} seconds"),
                    none,
                ),
                Error::Store(StoreError::Unavailable(detail)) => {
                    tracing::error!(%detail, "database unavailable");
                    body(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "unavailable",
                        "the database cannot be reached; try again",
                        none,
                    )
                }
                other => {
                    tracing::error!(error = %other, "API call failed");
                    body(
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

type ApiResult = Result<Response, ApiError>;

/// RFC 9470 step-up: the token's authentication is too old for this call.
const STEP_UP_CHALLENGE: &str = "Bearer realm=\"latchkey\", error=\"insufficient_user_authentication\", error_description=\"A sign-in within the last 10 minutes is required\", max_age=\"600\"";
const _: () = assert!(RECENT_AUTH_SECS == 600, "keep STEP_UP_CHALLENGE in step");

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A request body, read but not parsed: handlers parse it with
/// [`JsonBody::read`] once the caller is authenticated. Reading never
/// answers by itself; a body that could not be read is reported then too.
pub struct JsonBody {
    is_json: bool,
    bytes: Result<Bytes, String>,
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| e.body_text());
        Ok(JsonBody { is_json, bytes })
    }
}

impl JsonBody {
    /// The body as the JSON this call takes.
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, ApiError> {
        let bytes = self.bytes.map_err(ApiError::BadBody)?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadBody(
                "the body is empty; send a JSON object".into(),
            ));
        }
        if !self.is_json {
            return Err(ApiError::BadBody(
                "send the body as JSON, with Content-Type: application/json".into(),
            ));
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::BadBody(format!("the body is not the JSON this call takes: {e}"))
        })
    }

    /// As [`JsonBody::read`], where the call may also be sent without a body.
    fn read_or_default<T: serde::de::DeserializeOwned + Default>(self) -> Result<T, ApiError> {
        match &self.bytes {
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Ok(T::default()),
            _ => self.read(),
        }
    }
}

/// The path's parameters; one that cannot be decoded (not UTF-8) is a 404
/// in the API's shape, as an unknown route is.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|_| ApiError::Core(Error::NotFound("resource")))
    }
}

/// Anything under `/api/` that no route takes: 404 in the API's shape.
pub async fn not_found() -> Response {
    ApiError::Core(Error::NotFound("resource")).into_response()
}

/// The tenant and the administrator behind the bearer token, for a call
/// that changes something: the token's sign-in (`auth_time`) must be recent,
/// by the same rule as the console's changes; else 401 with an RFC 9470
/// step-up challenge.
async fn recent_administrator(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<(Tenant, User), ApiError> {
    let (tenant, user, auth_time) = signed_in_administrator(state, headers, slug).await?;
    latchkey_core::accounts::session::require_recent_auth_time(auth_time, state.clock().now())?;
    Ok((tenant, user))
}

/// The tenant and the administrator behind the bearer token, for a call
/// that only reads.
async fn administrator(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<(Tenant, User), ApiError> {
    let (tenant, user, _) = signed_in_administrator(state, headers, slug).await?;
    Ok((tenant, user))
}

/// The tenant, the administrator and when they signed in.
async fn signed_in_administrator(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<(Tenant, User, UnixTime), ApiError> {
    let tenant = crate::pages::load_tenant(state, slug).await?;
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?;
    let active = crate::oidc::active_access_token(state, &tenant, token)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let (Some(user), Some(_grant)) = (active.user, active.grant) else {
        return Err(ApiError::Forbidden(
            "a token of an administrator is needed, not an application's",
        ));
    };
    // The token's own scope: a refresh may have narrowed it below the
    // grant's.
    let scope = active.claims["scope"].as_str().unwrap_or_default();
    if !scope
        .split(' ')
        .any(|s| s == latchkey_core::oidc::ADMIN_SCOPE)
    {
        return Err(ApiError::Forbidden(
            "the token lacks the latchkey:admin scope",
        ));
    }
    if !user.is_admin() {
        return Err(ApiError::Forbidden(
            "only administrators of this organisation may do this",
        ));
    }
    let auth_time = active.claims["auth_time"]
        .as_i64()
        .map(UnixTime)
        .ok_or(ApiError::Unauthorized)?;
    Ok((tenant, user, auth_time))
}

async fn operator(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?;
    latchkey_core::tenants::operator::authenticate(state.db(), token)
        .await?
        .map(drop)
        .ok_or(ApiError::Unauthorized)
}

fn ok(status: StatusCode, value: impl serde::Serialize) -> ApiResult {
    Ok((
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(
            serde_json::to_value(value)
                .map_err(|e| ApiError::Core(Error::Store(StoreError::Corrupt(e.to_string()))))?,
        ),
    )
        .into_response())
}

// --- tenant administrators ---------------------------------------------

pub async fn tenant_stats(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult {
    let (tenant, _) = administrator(&state, &headers, &slug).await?;
    ok(
        StatusCode::OK,
        case::stats(state.db(), &tenant, state.clock().now()).await?,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    reason: String,
}

pub async fn reset_factors(
    State(state): State<AppState>,
    ApiPath((slug, login)): ApiPath<(String, String)>,
    Client(meta): Client,
    headers: HeaderMap,
    body: JsonBody,
) -> ApiResult {
    let (tenant, admin) = recent_administrator(&state, &headers, &slug).await?;
    let body: ResetBody = body.read()?;
    let key = LoginKey::from_input(&login).ok_or(Error::NotFound("user"))?;
    let user = state
        .db()
        .user_by_login(&tenant.id, &key)
        .await?
        .ok_or(Error::NotFound("user"))?;
    latchkey_core::recovery::journey::helpdesk_reset(
        &state.env(),
        &tenant,
        &user,
        &format!("admin:{}", admin.id),
        &body.reason,
        &meta,
    )
    .await?;
    ok(
        StatusCode::OK,
        json!({ "reset": true, "user": user.username }),
    )
}

pub async fn list_applications(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult {
    let (tenant, _) = administrator(&state, &headers, &slug).await?;
    ok(StatusCode::OK, state.db().list_clients(&tenant.id).await?)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicationBody {
    name: String,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    post_logout_uris: Vec<String>,
    #[serde(default)]
    grant_types: Vec<String>,
    #[serde(default)]
    public: bool,
    #[serde(default)]
    first_party: bool,
    access_token_minutes: Option<i64>,
    refresh_token_days: Option<i64>,
    signing_alg: Option<String>,
    /// A JWK Set (object) of the application's public keys, for
    /// `private_key_jwt` instead of a secret.
    jwks: Option<serde_json::Value>,
}

pub async fn create_application(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> ApiResult {
    let (tenant, admin) = recent_administrator(&state, &headers, &slug).await?;
    let b: ApplicationBody = body.read()?;
    let input = ClientInput {
        name: b.name,
        redirect_uris: b.redirect_uris,
        post_logout_uris: b.post_logout_uris,
        grant_types: b.grant_types,
        public: b.public,
        first_party: b.first_party,
        access_token_minutes: b.access_token_minutes,
        refresh_token_days: b.refresh_token_days,
        jwks: b.jwks.map(|v| v.to_string()),
        token_alg: b.signing_alg,
    };
    let (c, secret) = client::create(
        state.db(),
        state.random(),
        state.clock(),
        state.secrets(),
        &tenant,
        &input,
        &format!("admin:{}", admin.id),
    )
    .await?;
    let mut value = serde_json::to_value(&c)
        .map_err(|e| ApiError::Core(Error::Store(StoreError::Corrupt(e.to_string()))))?;
    if let Some(s) = secret {
        value["client_secret"] = s.expose().into();
    }
    ok(StatusCode::CREATED, value)
}

pub async fn show_application(
    State(state): State<AppState>,
    ApiPath((slug, client_id)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let (tenant, _) = administrator(&state, &headers, &slug).await?;
    ok(
        StatusCode::OK,
        client::find(state.db(), &tenant, &client_id).await?,
    )
}

/// A change to an application: fields left out stay as they are.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicationChangeBody {
    name: Option<String>,
    redirect_uris: Option<Vec<String>>,
    post_logout_uris: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
    first_party: Option<bool>,
    access_token_minutes: Option<i64>,
    refresh_token_days: Option<i64>,
    signing_alg: Option<String>,
    jwks: Option<serde_json::Value>,
}

pub async fn update_application(
    State(state): State<AppState>,
    ApiPath((slug, client_id)): ApiPath<(String, String)>,
    headers: HeaderMap,
    body: JsonBody,
) -> ApiResult {
    let (tenant, admin) = recent_administrator(&state, &headers, &slug).await?;
    let b: ApplicationChangeBody = body.read()?;
    let change = client::ClientChange {
        name: b.name,
        redirect_uris: b.redirect_uris,
        post_logout_uris: b.post_logout_uris,
        grant_types: b.grant_types,
        first_party: b.first_party,
        access_token_minutes: b.access_token_minutes,
        refresh_token_days: b.refresh_token_days,
        jwks: b.jwks.map(|v| v.to_string()),
        token_alg: b.signing_alg,
    };
    let c = client::update(
        state.db(),
        state.random(),
        state.clock(),
        state.secrets(),
        &tenant,
        &client_id,
        &change,
        &format!("admin:{}", admin.id),
    )
    .await?;
    ok(StatusCode::OK, c)
}

pub async fn rotate_application_secret(
    State(state): State<AppState>,
    ApiPath((slug, client_id)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let (tenant, admin) = recent_administrator(&state, &headers, &slug).await?;
    let (c, secret) = client::rotate_secret(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &client_id,
        &format!("admin:{}", admin.id),
    )
    .await?;
    ok(
        StatusCode::OK,
        json!({ "client_id": c.client_id, "client_secret": secret.expose() }),
    )
}

pub async fn delete_application(
    State(state): State<AppState>,
    ApiPath((slug, client_id)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let (tenant, admin) = recent_administrator(&state, &headers, &slug).await?;
    client::delete(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &client_id,
        &format!("admin:{}", admin.id),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[serde(default)]
    note: String,
}

pub async fn request_activation(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Client(meta): Client,
    headers: HeaderMap,
    body: JsonBody,
) -> ApiResult {
    let (tenant, admin) = recent_administrator(&state, &headers, &slug).await?;
    let b: NoteBody = body.read()?;
    let request = case::request_activation(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &admin,
        &b.note,
        &meta,
    )
    .await?;
    ok(StatusCode::CREATED, request)
}

// --- the operator --------------------------------------------------------

pub async fn operator_stats(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult {
    operator(&state, &headers).await?;
    let tenant = crate::pages::load_tenant(&state, &slug).await?;
    ok(
        StatusCode::OK,
        case::stats(state.db(), &tenant, state.clock().now()).await?,
    )
}

pub async fn operator_requests(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    operator(&state, &headers).await?;
    ok(
        StatusCode::OK,
        state.db().pending_activation_requests().await?,
    )
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[serde(default)]
    reason: String,
}

/// `enable`, `disable`, `approve` or `decline` self-recovery of a tenant.
pub async fn operator_recovery(
    State(state): State<AppState>,
    ApiPath((slug, action)): ApiPath<(String, String)>,
    headers: HeaderMap,
    body: JsonBody,
) -> ApiResult {
    operator(&state, &headers).await?;
    let reason = body.read_or_default::<DecisionBody>()?.reason;
    let tenant = crate::pages::load_tenant(&state, &slug).await?;
    let (db, random, clock) = (state.db(), state.random(), state.clock());
    match action.as_str() {
        "enable" => {
            let t = case::enable(db, random, clock, &tenant, "operator").await?;
            ok(
                StatusCode::OK,
                json!({ "tenant": t.slug, "self_recovery": t.self_recovery }),
            )
        }
        "disable" => {
            let (t, cancelled) = case::disable(db, random, clock, &tenant, "operator").await?;
            ok(
                StatusCode::OK,
                json!({ "tenant": t.slug, "self_recovery": t.self_recovery, "cancelled_cases": cancelled }),
            )
        }
        "approve" | "decline" => {
            let r = case::decide_request(
                db,
                random,
                clock,
                &tenant,
                action == "approve",
                &reason,
                "operator",
            )
            .await?;
            ok(StatusCode::OK, r)
        }
        _ => Err(ApiError::Core(Error::NotFound("action"))),
    }
}
