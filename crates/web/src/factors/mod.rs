//! Second factors: the prompt at the second sign-in step, confirming a
//! recent sign-in (re-authentication), and setting up or removing an
//! authenticator app, recovery codes and passkeys. The rules are in
//! `core::factors`.

mod code_offer;
mod passkeys;
mod prompt;
mod reauth;
mod recovery_codes;
mod removal;
mod totp;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use latchkey_core::Error;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::platform::lang::Language;
use latchkey_core::platform::secret::SecretToken;
use serde::Deserialize;

use crate::AppState;
use crate::app::browser;
use crate::app::csrf::Binding;
use crate::app::error::WebError;
use crate::app::extract::PendingStep;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::paths;
use crate::app::respond::{continue_to, see_other};
use crate::i18n;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::SIGNIN_OTP, get(prompt::otp_form).post(prompt::otp))
        .route(paths::SIGNIN_RECOVERY_CODE, post(prompt::recovery_code))
        .route(paths::TOTP, get(totp::setup).post(totp::enrol))
        .route(
            paths::TOTP_REMOVE,
            get(removal::confirm_app).post(totp::remove),
        )
        .route(paths::REAUTH, get(reauth::form).post(reauth::confirm))
        .route(
            paths::RECOVERY_CODES,
            get(recovery_codes::page).post(recovery_codes::create),
        )
        .route(paths::RECOVERY_CODES_USED, get(code_offer::page))
        .route(paths::RECOVERY_CODES_LATER, post(code_offer::later))
        .merge(passkeys::routes())
}

#[derive(Deserialize, Default)]
pub struct ReturnTo {
    return_to: Option<String>,
}

/// The code forms: the second-step prompt and the app's set-up.
#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    offer: String,
    /// Set when the form replaces the user's current app.
    replacing: Option<String>,
    return_to: Option<String>,
}

csrf_field!(Binding::Session => CodeForm);

/// To the password prompt, then back to `/t/{tenant}/{back}`.
pub(crate) fn reauth_redirect(tenant: &latchkey_core::tenants::Tenant, back: &str) -> Response {
    see_other(&paths::reauth(tenant, back))
}

/// Off to `return_to` with the session's new cookie, after the second
/// sign-in step succeeded.
pub(crate) async fn signed_in_as(
    state: &AppState,
    headers: &HeaderMap,
    step: &PendingStep,
    meta: &RequestMeta,
    token: &SecretToken,
    return_to: &str,
) -> Result<Response, WebError> {
    let mut response = continue_to(return_to);
    browser::set_session(state, &step.tenant, &mut response, token);
    browser::after_sign_in(
        state,
        headers,
        &step.tenant,
        &step.user,
        meta,
        true,
        false,
        &mut response,
    )
    .await?;
    Ok(response)
}

/// A failed code attempt as shown on the form: status, message, and the
/// `Retry-After` seconds when rate limited.
pub(crate) struct CodeFailure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    retry_after: Option<i64>,
}

impl CodeFailure {
    /// A failure that is not rate limited.
    pub(crate) fn page(status: StatusCode, message: String) -> CodeFailure {
        CodeFailure {
            status,
            message,
            retry_after: None,
        }
    }

    /// A wrong code or too many, as the app's set-up page says it (in the
    /// user's language).
    pub(crate) fn from(err: Error, lang: Language) -> Result<CodeFailure, WebError> {
        let t = i18n::texts(lang);
        match err {
            Error::InvalidCode => Ok(CodeFailure {
                status: StatusCode::UNAUTHORIZED,
                message: t.get("setup-wrong-code"),
                retry_after: None,
            }),
            Error::RateLimited { retry_after_secs } => Ok(CodeFailure {
                status: StatusCode::TOO_MANY_REQUESTS,
                message: t.try_again("setup-too-many-attempts", retry_after_secs),
                retry_after: Some(retry_after_secs.max(1)),
            }),
            other => Err(other.into()),
        }
    }

    /// The message at the second-step prompt, in the user's language.
    pub(crate) fn at_prompt(&self, lang: Language, recovery_code: bool) -> String {
        let t = i18n::texts(lang);
        match (self.status, self.retry_after) {
            (StatusCode::TOO_MANY_REQUESTS, Some(secs)) => {
                t.try_again("signin-too-many-attempts", secs)
            }
            _ if recovery_code => t.get("signin-wrong-recovery-code"),
            _ => t.get("signin-wrong-code"),
        }
    }

    pub(crate) fn apply(&self, mut response: Response) -> Response {
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
