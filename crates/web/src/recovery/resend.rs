//! "Send a new code" on the case page.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::recovery::journey::{self, Resent};
use serde::Deserialize;

use super::case::{Notice, case_page, page_with};
use super::text;
use crate::AppState;
use crate::app::csrf::Binding;
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, Lang, RecoveryBrowser};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n;

#[derive(Deserialize, Default)]
pub struct ResendForm {
    #[serde(default)]
    csrf: String,
}

csrf_field!(Binding::RecoveryCase => ResendForm);

/// A new code, then back to the case page, which says so; over the name's
/// code mails, the case page says calmly (a notice, not an error) what
/// still works and when the next may go.
pub async fn resend(
    State(state): State<AppState>,
    case: RecoveryBrowser,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<ResendForm>,
) -> Result<Response, WebError> {
    let t = text(lang.0);
    let tenant = &case.tenant;
    let failure = match journey::resend_code(&state.env(), tenant, &case.browser, &meta).await {
        Ok(None) => return Ok(see_other(&paths::recover(tenant))),
        Ok(Some(Resent::Sent)) => {
            return Ok(see_other(&format!(
                "{}?resent",
                paths::recover_case(tenant)
            )));
        }
        Ok(Some(Resent::NotNeeded)) => return Ok(see_other(&paths::recover_case(tenant))),
        Ok(Some(Resent::Limited { retry_after_secs })) => {
            // Nothing the person did is wrong: a calm notice of what still
            // works, still answered as a limit.
            let notice = Notice::warning(t.try_again("journey-resend-limit", retry_after_secs));
            let mut page =
                page_with(&state, &headers, &case, lang, &meta, None, "", Some(notice)).await?;
            *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            return Ok(page);
        }
        Err(Error::RateLimited { retry_after_secs }) => (
            StatusCode::TOO_MANY_REQUESTS,
            t.try_again("recovery-too-many-attempts", retry_after_secs),
        ),
        Err(Error::Conflict(e)) => (StatusCode::CONFLICT, i18n::texts(lang.0).say_first(&[e])),
        Err(other) => return Err(other.into()),
    };
    case_page(&state, &headers, &case, lang, &meta, Some(failure), "").await
}
