//! Recovery codes: how many are left, and a new set (shown once).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::factors::recovery_codes;
use latchkey_core::store::RecoveryCodeStore;
use serde::Deserialize;

use super::reauth_redirect;
use crate::AppState;
use crate::app::browser;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Button, Client, CsrfForm, SignedIn};
use crate::app::paths;
use crate::app::respond::{query_escape, see_other};
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    count: i64,
    unused: i64,
    codes: Vec<String>,
    download: String,
    /// Where "I saved them" leads: back to an application's sign-in that
    /// waited for the set-up, else the account page.
    next: String,
    /// The confirmation of the factor just set up.
    notice: Option<String>,
}

fn codes_page(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    unused: i64,
    codes: Vec<String>,
    notice: Option<String>,
) -> Response {
    let (cookie, token) = csrf::issue(state, headers, &me.tenant, me.session.id_hash.as_str());
    let t = i18n::texts(me.lang);
    let lead = t.with(
        "setup-codes-file",
        &[
            ("tenant", me.tenant.display_name.as_str().into()),
            ("url", state.config().public_url.as_str().into()),
        ],
    );
    let text = format!("{lead}\n\n{}\n", codes.join("\n"));
    let page = RecoveryCodesPage {
        t,
        tenant_name: &me.tenant.display_name,
        tenant_slug: me.tenant.slug.as_str(),
        csrf: token,
        count: i64::try_from(recovery_codes::COUNT).unwrap_or(i64::MAX),
        unused,
        codes,
        download: format!("data:text/plain;charset=utf-8,{}", query_escape(&text)),
        next: browser::resume_target(state, headers, &me.tenant),
        notice,
    };
    csrf::render(state, StatusCode::OK, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct CodesQuery {
    /// The factor just set up (`app`, `passkey`).
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    query: Result<Query<CodesQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let done = query.ok().and_then(|Query(q)| q.done);
    let notice = i18n::texts(me.lang).factor_added(done.as_deref());
    let unused = state.db().unused_recovery_codes(&me.user.id).await?;
    Ok(codes_page(&state, &headers, &me, unused, vec![], notice))
}

pub async fn create(
    State(state): State<AppState>,
    Client(meta): Client,
    mut me: SignedIn,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, WebError> {
    let created =
        recovery_codes::regenerate(&state.env(), &me.tenant, &me.user, &me.session, &meta).await;
    let created = match created {
        Ok(created) => created,
        Err(Error::ReauthRequired) => {
            return Ok(reauth_redirect(&me.tenant, "account/recovery-codes"));
        }
        Err(other) => return Err(other.into()),
    };
    if let Some(token) = &created.session {
        browser::moved_to(&mut me, token);
    }
    // Shown once: never cached (every page carries Cache-Control: no-store).
    let unused = created.codes.len() as i64;
    let mut response = codes_page(&state, &headers, &me, unused, created.codes, None);
    if let Some(token) = &created.session {
        browser::set_session(&state, &me.tenant, &mut response, token);
    }
    Ok(response)
}

/// After a second factor was added: a person without unused codes sees
/// their first set at once (no extra click); one who holds codes goes to
/// the account page, which confirms the new factor.
pub(super) async fn after_factor(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    meta: &RequestMeta,
    done: &str,
) -> Result<Response, WebError> {
    let env = state.env();
    match recovery_codes::first_set(&env, &me.tenant, &me.user, &me.session, meta).await {
        Ok(Some(codes)) => {
            let notice = i18n::texts(me.lang).factor_added(Some(done));
            let unused = codes.len() as i64;
            Ok(codes_page(state, headers, me, unused, codes, notice))
        }
        Ok(None) => Ok(see_other(&paths::account_with(
            &me.tenant,
            &format!("done={done}"),
        ))),
        // the sign-in grew old meanwhile: the codes page offers the set
        Err(Error::ReauthRequired) => Ok(see_other(&paths::recovery_codes_after(&me.tenant, done))),
        Err(other) => Err(other.into()),
    }
}
