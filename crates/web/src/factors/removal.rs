//! The confirmation before a second factor goes: what it takes with it (the
//! recovery codes with the last factor, the other sessions with a passkey),
//! or why it cannot go (the last factor of a tenant that requires one).
//! The removal itself stays the form's `POST` to the same address.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::factors::removal::{self, RemovalPreview, Removing};
use latchkey_core::platform::ids::PasskeyId;

use super::reauth_redirect;
use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::SignedIn;
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "remove_factor.html")]
struct RemovePage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    heading: String,
    /// What happens, one line each.
    consequences: Vec<String>,
    /// Why it cannot go; no form then, but the ways to add another.
    refused: Option<String>,
    removing_app: bool,
    /// Where the form posts.
    action: String,
    button: String,
    /// Back to the factor's place on the account page.
    cancel: String,
}

/// `GET /t/{tenant}/account/totp/remove`.
pub async fn confirm_app(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    confirm(&state, &headers, &me, Removing::AuthenticatorApp).await
}

/// `GET /t/{tenant}/account/passkeys/{id}/remove`.
pub async fn confirm_passkey(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, PasskeyId)>,
    me: SignedIn,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    confirm(&state, &headers, &me, Removing::Passkey(id)).await
}

async fn confirm(
    state: &AppState,
    headers: &HeaderMap,
    me: &SignedIn,
    removing: Removing,
) -> Result<Response, WebError> {
    let slug = me.tenant.slug.as_str();
    let (action, cancel) = match &removing {
        Removing::AuthenticatorApp => (
            format!("/t/{slug}/account/totp/remove"),
            format!("/t/{slug}/account"),
        ),
        Removing::Passkey(id) => (
            format!("/t/{slug}/account/passkeys/{id}/remove"),
            format!("/t/{slug}/account#passkeys"),
        ),
    };
    let now = state.env().clock.now();
    let preview = match removal::preview(
        state.db(),
        &me.tenant,
        &me.user,
        &me.session,
        &removing,
        now,
    )
    .await
    {
        Ok(preview) => preview,
        Err(Error::ReauthRequired) => {
            return Ok(reauth_redirect(&me.tenant, &action[slug.len() + 4..]));
        }
        Err(other) => return Err(other.into()),
    };
    let t = i18n::texts(me.lang);
    let (heading, button) = match &preview.passkey_name {
        None => (t.get("remove-app-title"), t.get("remove-app-button")),
        Some(name) => (
            t.with1("remove-passkey-title", "name", name),
            t.get("remove-passkey-button"),
        ),
    };
    let (cookie, token) = csrf::issue(state, headers, &me.tenant, me.session.id_hash.as_str());
    let page = RemovePage {
        consequences: consequences(&t, &preview),
        refused: preview.refused.then(|| t.get("remove-refused")),
        removing_app: removing == Removing::AuthenticatorApp,
        t,
        tenant_name: &me.tenant.display_name,
        tenant_slug: slug,
        csrf: token,
        heading,
        action,
        button,
        cancel,
    };
    Ok(csrf::render(state, StatusCode::OK, &page, &cookie))
}

fn consequences(t: &Texts, p: &RemovalPreview) -> Vec<String> {
    if p.refused {
        return vec![];
    }
    let mut lines = vec![if p.factors_left == 0 {
        t.get("remove-last-factor")
    } else {
        t.count("remove-factors-left", p.factors_left as i64)
    }];
    if p.codes_removed > 0 {
        lines.push(t.count("remove-codes-go", p.codes_removed));
    }
    if p.ends_other_sessions {
        lines.push(t.get("remove-sessions-end"));
    }
    lines.push(t.get("remove-mail"));
    lines
}
