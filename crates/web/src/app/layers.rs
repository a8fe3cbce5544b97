//! Middleware around every route: request ids, tracing, body limits, security
//! headers and request metrics.

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::AppState;

/// Largest request body accepted (forms are small).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Every powerful browser feature off, for every page; only passkeys
/// (WebAuthn `get` and `create`) stay allowed, for this origin alone.
const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), bluetooth=(), camera=(), \
    display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), \
    identity-credentials-get=(), idle-detection=(), local-fonts=(), magnetometer=(), microphone=(), \
    midi=(), otp-credentials=(), payment=(), picture-in-picture=(), \
    publickey-credentials-create=(self), publickey-credentials-get=(self), screen-wake-lock=(), \
    serial=(), storage-access=(), usb=(), web-share=(), xr-spatial-tracking=()";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The layers, innermost first. The body limit sits inside the security
/// headers, so its 413 carries them like every other response.
pub fn wrap(routes: Router, state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    routes
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::app::context::scope,
        ))
        .layer(middleware::from_fn(cors))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(middleware::from_fn_with_state(state, security_headers))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
                .layer(PropagateRequestIdLayer::new(request_id)),
        )
}

/// Whether `path` is an OpenID Connect endpoint that browsers call from
/// applications' own origins (single-page applications): discovery, keys,
/// token, userinfo and revocation.
fn cross_origin_endpoint(path: &str) -> bool {
    let mut parts = path.splitn(4, '/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(""), Some("t"), Some(_), Some(rest))
            if matches!(rest, "token" | "userinfo" | "revoke" | "jwks" | ".well-known/openid-configuration")
    )
}

/// CORS for those endpoints: any origin, never with cookies (they use none:
/// the token endpoint trusts PKCE and client authentication, userinfo a
/// bearer token), and an answer to preflight requests.
async fn cors(req: Request, next: Next) -> Response {
    if !cross_origin_endpoint(req.uri().path()) {
        return next.run(req).await;
    }
    let preflight = req.method() == axum::http::Method::OPTIONS;
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    if preflight {
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET, POST"),
        );
        h.insert(
            "access-control-allow-headers",
            HeaderValue::from_static("authorization, content-type"),
        );
        h.insert("access-control-max-age", HeaderValue::from_static("600"));
    }
    response
}

async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(req).await;
    state.metrics().observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "no-referrer");
    set(
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    set(header::CACHE_CONTROL, "no-store");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if state.config().secure_cookies {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    response
}
