//! Who is asking, for audit records and rate limits.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use latchkey_core::effects::audit::RequestMeta;

use crate::AppState;

/// The client's address and user agent.
pub struct Client(pub RequestMeta);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The last X-Forwarded-For entry is the one the trusted proxy wrote;
        // when it is not an address, the connection's address is used.
        let forwarded = state
            .config()
            .trust_proxy_headers
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
            })
            .flatten();
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let ua = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok());
        Ok(Client(RequestMeta::new(
            forwarded.or(peer).map(|ip| ip.to_string()),
            ua,
        )))
    }
}
