//! Setting up, replacing and removing an authenticator app.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::factors::totp;
use latchkey_core::platform::ids::TotpId;
use latchkey_core::store::TotpStore;
use latchkey_core::tenants::SecondFactorPolicy;
use qrcodegen::{QrCode, QrCodeEcc};

use super::{CodeFailure, CodeForm, reauth_redirect};
use crate::AppState;
use crate::app::error::WebError;
use crate::app::extract::{Button, Client, CsrfForm, SignedIn};
use crate::app::form::{FormError, outcome_on};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::app::{browser, csrf};
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "totp.html")]
struct TotpPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    qr_svg: String,
    secret: String,
    offer: String,
    error: Option<FormError>,
    /// The tenant requires a second factor (the page is not optional).
    required: bool,
    /// The id of the app this one replaces (a new phone).
    replacing: Option<TotpId>,
    /// A passkey can be set up instead.
    passkeys_available: bool,
}

/// The set-up page; `failure` is the status and message of a failed attempt.
async fn totp_page(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    offer: Option<&str>,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (status, error) = outcome_on(&["code"], failure);
    let SignedIn {
        tenant,
        session,
        user,
        ..
    } = me;
    let replacing = state.db().totp_for_user(&user.id).await?.map(|c| c.id);
    let env = state.env();
    // A failed attempt shows the same secret again: the app has it already.
    let (secret, sealed) = match offer.and_then(|o| {
        env.secrets
            .open(o, &format!("totp-offer:{}:{}", user.id, session.id_hash))
            .map(|s| (s, o.to_owned()))
    }) {
        Some(pair) => pair,
        None => {
            let fresh = totp::offer(&env, user, session);
            (fresh.secret.to_vec(), fresh.sealed)
        }
    };
    let uri = totp::otpauth_uri(&tenant.display_name, &user.username, &secret);
    let (cookie, token) = csrf::issue(state, headers, tenant, session.id_hash.as_str());
    let page = TotpPage {
        t: i18n::texts(me.lang),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        qr_svg: qr_svg(&uri, &i18n::texts(me.lang).get("setup-qr-label"))?,
        secret: totp::base32(&secret),
        offer: sealed,
        error,
        required: tenant.second_factor == SecondFactorPolicy::Required,
        replacing,
        passkeys_available: state.relying_party().is_some(),
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

/// The QR code of `text` as an SVG element (dark modules as one path),
/// named `label` for screen readers.
fn qr_svg(text: &str, label: &str) -> Result<String, WebError> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|e| WebError::Internal(format!("QR code: {e:?}")))?;
    let border = 4;
    let size = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let label = askama::filters::escape(label, askama::filters::Html)
        .map(|safe| safe.to_string())
        .unwrap_or_default();
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

pub async fn setup(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if totp::require_recent_auth(&me.session, state.clock().now()).is_err() {
        return Ok(reauth_redirect(&me.tenant, "account/totp"));
    }
    totp_page(&state, &headers, &me, None, None).await
}

pub async fn enrol(
    State(state): State<AppState>,
    Client(meta): Client,
    mut me: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let replacing = form
        .replacing
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(TotpId::from);
    let enrolment = totp::Enrolment {
        offer: &form.offer,
        code: &form.code,
        replacing: replacing.as_ref(),
    };
    let result = totp::enrol(
        &state.env(),
        &me.tenant,
        &me.user,
        &me.session,
        enrolment,
        &meta,
    )
    .await;
    match result {
        // A replacement keeps the recovery codes; a first app is followed by
        // them, for the day the phone is gone. Either way everyone else is
        // signed out and this browser goes on under a new id.
        Ok(token) => {
            browser::moved_to(&mut me, &token);
            let mut response = if replacing.is_some() {
                see_other(&paths::account_with(&me.tenant, "done=app"))
            } else {
                super::recovery_codes::after_factor(&state, &headers, &me, &meta, "app").await?
            };
            browser::set_session(&state, &me.tenant, &mut response, &token);
            Ok(response)
        }
        Err(Error::ReauthRequired) => Ok(reauth_redirect(&me.tenant, "account/totp")),
        Err(err @ (Error::InvalidCode | Error::RateLimited { .. })) => {
            let failure = CodeFailure::from(err, me.lang)?;
            let shown = Some((failure.status, failure.message.clone()));
            let page = totp_page(&state, &headers, &me, Some(&form.offer), shown).await?;
            Ok(failure.apply(page))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Client(meta): Client,
    me: SignedIn,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    match totp::remove(&state.env(), &me.tenant, &me.user, &me.session, &meta).await {
        Ok(token) => {
            let mut response = see_other(&paths::account_with(&me.tenant, "done=app-removed"));
            browser::set_session(&state, &me.tenant, &mut response, &token);
            Ok(response)
        }
        Err(Error::ReauthRequired) => Ok(reauth_redirect(&me.tenant, "account/totp/remove")),
        Err(other) => Err(other.into()),
    }
}
