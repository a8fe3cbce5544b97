//! CSRF protection for every form: a signed double-submit token.
//!
//! The browser holds a random value in an HttpOnly cookie; each form carries
//! HMAC(secret key, cookie value, tenant, session). A cross-site page can
//! neither read the cookie nor compute the MAC, and a token from before sign-in
//! stops working after it because the session is part of the MAC.

use axum::http::HeaderMap;
use latchkey_core::platform::random::{Random, bytes};
use latchkey_core::platform::secret::{b64url, ct_eq, hmac_sha256};

use crate::app::cookies;

const COOKIE: &str = "csrf";

/// The browser's CSRF cookie value, and whether it has to be (re)set.
#[derive(Debug, Clone)]
pub struct CsrfCookie {
    pub value: String,
    pub is_new: bool,
}

impl CsrfCookie {
    /// Uses the browser's cookie, or makes a new one when it has none.
    pub fn from_request(headers: &HeaderMap, secure: bool, random: &dyn Random) -> CsrfCookie {
        match existing(headers, secure) {
            Some(value) => CsrfCookie {
                value,
                is_new: false,
            },
            None => CsrfCookie {
                value: b64url(&bytes::<32>(random)),
                is_new: true,
            },
        }
    }

    pub fn set_cookie(&self, secure: bool) -> Option<String> {
        self.is_new
            .then(|| cookies::set(secure, &cookies::name(secure, COOKIE), &self.value, None))
    }

    /// The token for a form of `tenant`, for the session with `session_hash`
    /// (empty before sign-in).
    pub fn token(&self, key: &[u8; 32], tenant: &str, session_hash: &str) -> String {
        token(key, &self.value, tenant, session_hash)
    }
}

fn existing(headers: &HeaderMap, secure: bool) -> Option<String> {
    cookies::get(headers, &cookies::name(secure, COOKIE)).filter(|v| v.len() == 43)
}

fn token(key: &[u8; 32], cookie: &str, tenant: &str, session_hash: &str) -> String {
    b64url(&hmac_sha256(
        key,
        &[
            b"csrf",
            cookie.as_bytes(),
            tenant.as_bytes(),
            session_hash.as_bytes(),
        ],
    ))
}

/// Checks a submitted form token against the browser's cookie.
pub fn verify(
    headers: &HeaderMap,
    secure: bool,
    key: &[u8; 32],
    tenant: &str,
    session_hash: &str,
    submitted: &str,
) -> bool {
    match existing(headers, secure) {
        Some(cookie) => ct_eq(
            token(key, &cookie, tenant, session_hash).as_bytes(),
            submitted.as_bytes(),
        ),
        None => false,
    }
}

/// This browser's CSRF cookie and the token for a form of `tenant`, bound to
/// `binding`: a session's hash, a recovery case, a page's purpose, or ""
/// before sign-in.
pub(crate) fn issue(
    state: &crate::AppState,
    headers: &HeaderMap,
    tenant: &latchkey_core::tenants::Tenant,
    binding: &str,
) -> (CsrfCookie, String) {
    let config = state.config();
    let cookie = CsrfCookie::from_request(headers, config.secure_cookies, state.random());
    let token = cookie.token(&config.secret_key, tenant.slug.as_str(), binding);
    crate::app::context::note_form_token(tenant.slug.as_str(), binding, &token);
    (cookie, token)
}

/// The token for `tenant` and `binding` from the CSRF cookie this browser
/// already holds (none without one: nothing to set on the answer).
pub(crate) fn existing_token(
    state: &crate::AppState,
    headers: &HeaderMap,
    tenant: &latchkey_core::tenants::Tenant,
    binding: &str,
) -> Option<String> {
    let config = state.config();
    existing(headers, config.secure_cookies)
        .map(|cookie| token(&config.secret_key, &cookie, tenant.slug.as_str(), binding))
}

/// Whether `submitted` is this browser's token for `tenant` and `binding`.
pub(crate) fn check(
    state: &crate::AppState,
    headers: &HeaderMap,
    tenant: &latchkey_core::tenants::Tenant,
    binding: &str,
    submitted: &str,
) -> bool {
    let config = state.config();
    verify(
        headers,
        config.secure_cookies,
        &config.secret_key,
        tenant.slug.as_str(),
        binding,
        submitted,
    )
}

/// `page` with `status`, setting the CSRF cookie when the browser had none.
pub(crate) fn render<T: askama::Template>(
    state: &crate::AppState,
    status: axum::http::StatusCode,
    page: &T,
    cookie: &CsrfCookie,
) -> axum::response::Response {
    let mut response = crate::app::error::html(status, page);
    cookies::append(
        &mut response,
        cookie.set_cookie(state.config().secure_cookies),
    );
    response
}

/// What a form's token is bound to besides the browser and the tenant.
#[derive(Debug, Clone, Copy)]
pub enum Binding {
    /// The session of the signed-in user, or of the sign-in waiting for
    /// its second step (established by the `SignedIn` and `PendingStep`
    /// extractors).
    Session,
    /// The browser's recovery case (its cookie), or none on the start page.
    RecoveryCase,
    /// A page a visitor uses before signing in, by its purpose ("" for the
    /// sign-in pages themselves).
    Page(&'static str),
}

/// The sign-in pages (password, passwordless, e-mail confirmation).
pub const SIGN_IN: Binding = Binding::Page("");

/// The binding of recovery pages: the case cookie's hash, or "" without one.
pub(crate) fn recovery_binding(
    state: &crate::AppState,
    headers: &HeaderMap,
    tenant: &latchkey_core::tenants::Tenant,
) -> String {
    cookies::get(headers, &cookies::Names::of(state, tenant).recovery_case())
        .map(|c| {
            format!(
                "recovery:{}",
                latchkey_core::platform::secret::sha256_hex(c.as_bytes())
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::COOKIE as COOKIE_HEADER;
    use latchkey_core::platform::random::OsRandom;

    #[test]
    fn tokens_bind_cookie_tenant_and_session() {
        let key = [9u8; 32];
        let c = CsrfCookie::from_request(&HeaderMap::new(), false, &OsRandom);
        assert!(c.is_new);
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE_HEADER,
            HeaderValue::from_str(&format!("latchkey-csrf={}", c.value)).unwrap(),
        );
        let t = c.token(&key, "acme", "");
        assert!(verify(&h, false, &key, "acme", "", &t));
        assert!(!verify(&h, false, &key, "beta", "", &t));
        assert!(!verify(&h, false, &key, "acme", "session", &t));
        assert!(!verify(&h, false, &[1u8; 32], "acme", "", &t));
        assert!(!verify(&HeaderMap::new(), false, &key, "acme", "", &t));
        assert!(!verify(&h, false, &key, "acme", "", ""));
        // the secure variant reads only the __Host- cookie
        assert!(!verify(&h, true, &key, "acme", "", &t));
    }
}
