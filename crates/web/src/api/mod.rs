//! The JSON API.
//!
//! - `/api/t/{tenant}/…` for a tenant's administrators: a bearer access
//!   token of the tenant with the `latchkey:admin` scope (granted only to
//!   first-party applications, and only for administrators; the role is
//!   checked again on every call).
//! - `/api/operator/…` for the deployment's operator: a bearer operator
//!   token (`latchkey operator token create`).
//!
//! Errors are JSON (see [`ApiError`]): `{"error": "...", "message": "...",
//! "fields": [...]}`.
//!
//! Order: the path, then the credential ([`ApiAdmin`], [`RecentApiAdmin`],
//! [`Operator`]), then the body. A handler takes the body as [`JsonBody`]
//! (bytes, not yet parsed) and the path as [`ApiPath`], so no extractor
//! answers before the bearer token was checked; only then is the body read
//! as JSON, and what is wrong with it is said in the shape above. A path
//! that cannot be decoded names nothing that exists and is answered 404,
//! like an unknown route.

mod applications;
mod audit;
mod operator;
mod tenant;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::handler::Handler;
use axum::http::Method;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use latchkey_core::Error;
use latchkey_core::accounts::session::require_recent_auth_time;
use latchkey_core::accounts::user::User;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::store::StoreError;
use latchkey_core::tenants::Tenant;

use crate::AppState;
use crate::app::bearer::{active_access_token, bearer};
use crate::app::error::ApiError;
use crate::app::paths;

/// The methods the API takes.
#[derive(Clone, Copy)]
enum Verb {
    Get,
    Post,
    Patch,
    Delete,
}

impl Verb {
    fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Patch => Method::PATCH,
            Verb::Delete => Method::DELETE,
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Patch => MethodFilter::PATCH,
            Verb::Delete => MethodFilter::DELETE,
        }
    }
}

/// One call of the API: its method and path, and the handler.
struct Operation {
    verb: Verb,
    path: &'static str,
    route: MethodRouter<AppState>,
}

fn op<H, T>(verb: Verb, path: &'static str, handler: H) -> Operation
where
    H: Handler<T, AppState>,
    T: 'static,
{
    Operation {
        verb,
        path,
        route: on(verb.filter(), handler),
    }
}

/// Every call of the API. The router is built from this list, and the
/// OpenAPI document (`openapi.json`) is checked against it, so a call
/// cannot be added without being documented.
fn operations() -> Vec<Operation> {
    use Verb as M;
    vec![
        op(M::Get, paths::API_OPENAPI, openapi),
        op(M::Get, paths::API_TENANT_STATS, tenant::stats),
        op(
            M::Post,
            paths::API_ACTIVATION_REQUEST,
            tenant::request_activation,
        ),
        op(M::Post, paths::API_RESET_FACTORS, tenant::reset_factors),
        op(M::Get, paths::API_USERS, tenant::users),
        op(
            M::Post,
            paths::API_SIGN_OUT_EVERYONE,
            tenant::sign_out_everyone,
        ),
        op(M::Post, paths::API_USER_INVITATIONS, tenant::invite),
        op(M::Get, paths::API_READINESS, tenant::readiness),
        op(M::Post, paths::API_READINESS_REMINDERS, tenant::remind),
        op(M::Get, paths::API_APPLICATIONS, applications::list),
        op(M::Post, paths::API_APPLICATIONS, applications::create),
        op(M::Get, paths::API_APPLICATION, applications::show),
        op(M::Patch, paths::API_APPLICATION, applications::update),
        op(M::Delete, paths::API_APPLICATION, applications::delete),
        op(
            M::Post,
            paths::API_APPLICATION_SECRET,
            applications::rotate_secret,
        ),
        op(M::Get, paths::API_AUDIT, audit::list),
        op(M::Get, paths::API_AUDIT_EXPORT, audit::export),
        op(M::Get, paths::API_OPERATOR_REQUESTS, operator::requests),
        op(M::Get, paths::API_OPERATOR_STATS, operator::stats),
        op(M::Post, paths::API_OPERATOR_RECOVERY, operator::recovery),
        op(
            M::Get,
            paths::API_OPERATOR_INVITATIONS,
            operator::invitations,
        ),
        op(M::Post, paths::API_OPERATOR_INVITATIONS, operator::invite),
    ]
}

pub(crate) fn routes() -> Router<AppState> {
    operations()
        .into_iter()
        .fold(Router::new(), |router, o| router.route(o.path, o.route))
}

/// The method and path of every call the API serves, as routed.
pub fn served() -> Vec<(Method, &'static str)> {
    operations()
        .into_iter()
        .map(|o| (o.verb.method(), o.path))
        .collect()
}

/// The OpenAPI 3.1 document of this API: a checked-in file (decision
/// 0021), held to the routes by the tests.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        OPENAPI,
    )
        .into_response()
}

type ApiResult = Result<Response, ApiError>;

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
        // Every call takes an object; serde would also read a struct from
        // an array of its fields in order. (The body is not blank, checked
        // above.)
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::BadBody(
                "the body must be a JSON object ({...}), not an array, a string, a number or null"
                    .into(),
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

/// The path's tenant, for a call that only reads, by a bearer token of one
/// of its administrators.
pub struct ApiAdmin {
    pub tenant: Tenant,
}

/// [`ApiAdmin`] for a call that changes something: the token's sign-in
/// (`auth_time`) must be recent, by the same rule as the console's
/// changes; else 401 with an RFC 9470 step-up challenge.
pub struct RecentApiAdmin {
    pub tenant: Tenant,
    pub admin: User,
}

impl FromRequestParts<AppState> for ApiAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (tenant, _, _) = signed_in_administrator(parts, state).await?;
        Ok(ApiAdmin { tenant })
    }
}

impl FromRequestParts<AppState> for RecentApiAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (tenant, admin, auth_time) = signed_in_administrator(parts, state).await?;
        require_recent_auth_time(auth_time, state.clock().now())?;
        Ok(RecentApiAdmin { tenant, admin })
    }
}

/// The tenant, the administrator and when they signed in.
async fn signed_in_administrator(
    parts: &mut Parts,
    state: &AppState,
) -> Result<(Tenant, User, UnixTime), ApiError> {
    let ApiPath(params) =
        ApiPath::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
            .await?;
    let slug = params.get("tenant").map(String::as_str).unwrap_or_default();
    let tenant = crate::app::extract::tenant::load(state, slug).await?;
    let token = bearer(&parts.headers).ok_or(ApiError::Unauthorized)?;
    let active = active_access_token(state, &tenant, token)
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
    if !latchkey_core::oidc::scope::has(scope, latchkey_core::oidc::Scope::Admin) {
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

/// The deployment's operator, by the bearer operator token.
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or(ApiError::Unauthorized)?;
        latchkey_core::tenants::operator::authenticate(state.db(), token)
            .await?
            .map(|_| Operator)
            .ok_or(ApiError::Unauthorized)
    }
}
