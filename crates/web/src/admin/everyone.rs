//! "Sign everyone out" (ASVS 7.4.5): a page that says what happens, then
//! the button. Core decides (`accounts::everyone`: who is kept, the
//! recent sign-in, the audit); this draws and sets the renewed cookie.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::everyone::{self, AskedBy};

use super::csrf_for;
use super::{AdminForm, Administrator, text, unless_recent};
use crate::AppState;
use crate::app::browser;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Button, Client};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::Texts;

/// Where a stale sign-in confirms and comes back to.
const BACK: &str = "admin/people/sign-out";

#[derive(Template)]
#[template(path = "admin_sign_out_everyone.html")]
struct ConfirmPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
}

/// The confirmation: what ends, what stays, and that this browser stays.
pub async fn confirm(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, BACK) {
        return Ok(away);
    }
    let (cookie, token) = csrf_for(&state, &headers, &admin);
    let page = ConfirmPage {
        t: text(&admin),
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        csrf: token,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

/// Signs everyone out; this browser goes on under a new id.
pub async fn sign_out(
    State(state): State<AppState>,
    Client(meta): Client,
    AdminForm { admin, .. }: AdminForm<Button>,
) -> Result<Response, WebError> {
    let done = everyone::sign_out_everyone(
        state.db(),
        state.random(),
        state.clock(),
        &admin.tenant,
        AskedBy::Admin(&admin.session),
        &meta,
    )
    .await;
    match done {
        Ok((count, token)) => {
            let mut response = see_other(&format!(
                "/t/{}/admin/people?done=signed-out&sessions={}",
                admin.tenant.slug, count.sessions
            ));
            if let Some(token) = token {
                browser::set_session(&state, &admin.tenant, &mut response, &token);
            }
            Ok(response)
        }
        Err(Error::ReauthRequired) => Ok(see_other(&paths::reauth(&admin.tenant, BACK))),
        Err(err) => Err(err.into()),
    }
}
