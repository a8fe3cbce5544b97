//! After a recovery code was used: the offer of a fresh set
//! (`core::factors::recovery_codes::offer`, decision 0031). Signing in
//! with a code leads here before where the person was going — unless an
//! application waits for the sign-in, which goes first: the account page
//! then makes the same offer. "Make a new set" is the codes page's own
//! form; "Later" answers the offer and goes on.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::factors::recovery_codes;
use serde::Deserialize;

use super::ReturnTo;
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{CsrfForm, SignedIn};
use crate::app::paths;
use crate::app::respond::{query_escape, safe_return_to, see_other};
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "codes_used.html")]
struct CodesUsedPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    /// "You have 9 recovery codes left."
    left: String,
    /// Where "Later" leads.
    return_to: String,
}

/// Where a sign-in with a recovery code leads instead of `return_to`.
pub(crate) fn offer_path(tenant: &latchkey_core::tenants::Tenant, return_to: &str) -> String {
    format!(
        "{}?return_to={}",
        paths::recovery_codes_used(tenant),
        query_escape(return_to)
    )
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    query: Result<Query<ReturnTo>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let return_to = query.ok().and_then(|Query(q)| q.return_to);
    let return_to = safe_return_to(&me.tenant, return_to.as_deref());
    // answered meanwhile (another tab, a new set): nothing to offer
    let Some(offer) = recovery_codes::offer(state.db(), &me.user).await? else {
        return Ok(see_other(&return_to));
    };
    let t = i18n::texts(me.lang);
    let (cookie, token) = csrf::issue(&state, &headers, &me.tenant, me.session.id_hash.as_str());
    let page = CodesUsedPage {
        t,
        tenant_name: &me.tenant.display_name,
        tenant_slug: me.tenant.slug.as_str(),
        csrf: token,
        left: t.codes_left(offer.remaining),
        return_to,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct LaterForm {
    #[serde(default)]
    csrf: String,
    return_to: Option<String>,
}

csrf_field!(Binding::Session => LaterForm);

/// "Later": the offer is answered; on to where the person was going.
pub async fn later(
    State(state): State<AppState>,
    me: SignedIn,
    CsrfForm(form): CsrfForm<LaterForm>,
) -> Result<Response, WebError> {
    recovery_codes::postpone_offer(state.db(), &me.user, state.clock().now()).await?;
    Ok(see_other(&safe_return_to(
        &me.tenant,
        form.return_to.as_deref(),
    )))
}
