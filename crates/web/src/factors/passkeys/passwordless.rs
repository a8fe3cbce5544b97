//! "Sign in with a passkey" on the sign-in page, where the tenant allows
//! sign-in with a passkey alone.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::factors::passkey::{self, Answer, Mediation, RelyingParty};
use latchkey_core::tenants::Tenant as TenantRecord;

use super::{PageParts, PasswordlessForm, ceremony_page, relying_party};
use crate::AppState;
use crate::app::browser;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Client, CsrfForm, Lang, Tenant};
use crate::app::paths;
use crate::app::respond::{continue_to, json, safe_return_to};
use crate::i18n;

fn parts(lang: Lang, tenant: &TenantRecord, return_to: &str) -> PageParts {
    let t = i18n::texts(lang.0);
    PageParts {
        t,
        heading: t.get("step-passwordless-heading"),
        intro: t.get("step-passwordless-intro"),
        button: t.get("step-passwordless-button"),
        mode: "get",
        action: paths::signin_passwordless_finish(tenant),
        cancel: paths::signin_to(tenant, return_to),
        name: String::new(),
        return_to: return_to.to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    headers: &HeaderMap,
    rp: &RelyingParty,
    tenant: &TenantRecord,
    lang: Lang,
    meta: &RequestMeta,
    return_to: &str,
    failure: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let started =
        passkey::start_passwordless(&state.env(), rp, tenant, meta, Mediation::Modal).await?;
    Ok(ceremony_page(
        state,
        csrf::issue(state, headers, tenant, ""),
        tenant,
        started,
        parts(lang, tenant, return_to),
        failure,
    ))
}

pub async fn start(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasswordlessForm>,
) -> Result<Response, WebError> {
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    page(&state, &headers, rp, &tenant, lang, &meta, &return_to, None).await
}

/// The sign-in page's script, as the page opens in a browser that can offer
/// passkeys in the username field: a ceremony for that offer, as JSON
/// (`{"ceremony": …, "options": …}`). The answer goes to [`finish`], as the
/// button's does. Refused (and the page keeps its password form) where the
/// tenant has no passwordless sign-in or the address asked too often.
pub async fn autofill(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Client(meta): Client,
    CsrfForm(_): CsrfForm<PasswordlessForm>,
) -> Result<Response, WebError> {
    let rp = relying_party(&state)?;
    let started =
        passkey::start_passwordless(&state.env(), rp, &tenant, &meta, Mediation::Autofill).await;
    Ok(match started {
        Ok(started) => {
            let options: serde_json::Value = serde_json::from_str(&started.options)
                .map_err(|e| WebError::Internal(format!("passkey options: {e}")))?;
            json(
                StatusCode::OK,
                &serde_json::json!({
                    "ceremony": started.ceremony.expose(),
                    "options": options,
                }),
            )
        }
        Err(Error::RateLimited { retry_after_secs }) => json(
            StatusCode::TOO_MANY_REQUESTS,
            &serde_json::json!({ "error": "rate_limited", "retry_after": retry_after_secs }),
        ),
        Err(Error::Invalid(_)) => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "error": "not_offered" }),
        ),
        Err(other) => return Err(other.into()),
    })
}

/// The browser's answer to a passwordless sign-in.
pub async fn finish(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasswordlessForm>,
) -> Result<Response, WebError> {
    let rp = relying_party(&state)?;
    let return_to = safe_return_to(&tenant, form.return_to.as_deref());
    let answer = Answer {
        ceremony: &form.ceremony,
        response: &form.response,
    };
    let policy = state.config().session;
    let finished =
        passkey::finish_passwordless(&state.env(), rp, &tenant, answer, &meta, &policy).await;
    let failure = match finished {
        Ok(signed_in) => {
            browser::end_previous_sessions(&state, &headers, &tenant).await?;
            let mut response = continue_to(&return_to);
            browser::set_session(&state, &tenant, &mut response, &signed_in.token);
            browser::after_sign_in(
                &state,
                &headers,
                &tenant,
                &signed_in.user,
                &meta,
                true,
                false,
                &mut response,
            )
            .await?;
            return Ok(response);
        }
        Err(Error::InvalidCredentials) => (
            StatusCode::UNAUTHORIZED,
            i18n::texts(lang.0)
                .get("step-passkey-failed-org")
                .to_owned(),
        ),
        Err(Error::Invalid(errors)) => (
            StatusCode::BAD_REQUEST,
            i18n::texts(lang.0).say_first(&errors),
        ),
        Err(other) => return Err(other.into()),
    };
    let failure = Some(failure);
    page(
        &state, &headers, rp, &tenant, lang, &meta, &return_to, failure,
    )
    .await
}
