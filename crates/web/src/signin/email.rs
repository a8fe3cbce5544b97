//! The pages an e-mail confirmation link opens — confirming the address,
//! or confirming a change to a new one (`core::accounts::email_change`):
//! a button that confirms. (A link alone changes nothing, so mail scanners
//! that follow links cannot use it up.)

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::app::csrf::{self, SIGN_IN};
use crate::app::error::{MessagePage, WebError, html};
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::lang::of_user;
use crate::app::extract::{Client, CsrfForm, Lang, Tenant};
use crate::app::paths;
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "verify_email.html")]
struct VerifyEmailPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    token: &'a str,
    /// Where the button posts (below the tenant).
    action: &'static str,
    texts: ButtonTexts,
}

/// The keys of a link page's title, explanation and button.
#[derive(Clone, Copy)]
struct ButtonTexts {
    title: &'static str,
    intro: &'static str,
    button: &'static str,
}

const VERIFY: (&str, ButtonTexts) = (
    "verify-email",
    ButtonTexts {
        title: "signin-verify-title",
        intro: "signin-verify-intro",
        button: "signin-verify-button",
    },
);
const CHANGE: (&str, ButtonTexts) = (
    "confirm-email",
    ButtonTexts {
        title: "signin-email-change-title",
        intro: "signin-email-change-intro",
        button: "signin-email-change-button",
    },
);

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn confirm_form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    query: Result<Query<TokenQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    button_page(&state, &tenant, lang, query, &headers, VERIFY)
}

/// The page the link to a new address opens.
pub async fn change_form(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Lang(lang): Lang,
    query: Result<Query<TokenQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    button_page(&state, &tenant, lang, query, &headers, CHANGE)
}

fn button_page(
    state: &AppState,
    tenant: &latchkey_core::tenants::Tenant,
    lang: latchkey_core::platform::lang::Language,
    query: Result<Query<TokenQuery>, QueryRejection>,
    headers: &HeaderMap,
    (action, texts): (&'static str, ButtonTexts),
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let (cookie, token) = csrf::issue(state, headers, tenant, "");
    let link_token: String = query.token.chars().take(64).collect();
    let page = VerifyEmailPage {
        t: i18n::texts(lang),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        token: &link_token,
        action,
        texts,
    };
    csrf::render(state, StatusCode::OK, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

csrf_field!(SIGN_IN => ConfirmForm);

pub async fn confirm(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let user =
        latchkey_core::accounts::email::confirm(&state.env(), &tenant, &form.token, &meta).await?;
    let t = i18n::texts(of_user(&headers, &tenant, &user));
    let title = t.get("signin-verified-title");
    let text = t.with(
        "signin-verified-text",
        &[("email", user.email.as_str().into())],
    );
    Ok(html(
        StatusCode::OK,
        &MessagePage::new(t, &title, &text)
            .link(paths::account(&tenant), t.get("signin-to-account")),
    ))
}

/// Follows the link to a new address: the account takes it. An address
/// another account took meanwhile is said (only this mailbox's reader sees
/// it), with the way back to the account.
pub async fn change(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Client(meta): Client,
    Lang(lang): Lang,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let changed =
        latchkey_core::accounts::email_change::confirm(&state.env(), &tenant, &form.token, &meta)
            .await;
    let (status, t, title, text) = match changed {
        Ok(user) => {
            let t = i18n::texts(of_user(&headers, &tenant, &user));
            let text = t.with(
                "signin-email-changed-text",
                &[("email", user.email.as_str().into())],
            );
            (StatusCode::OK, t, t.get("signin-email-changed-title"), text)
        }
        Err(latchkey_core::Error::Conflict(_)) => {
            let t = i18n::texts(lang);
            (
                StatusCode::CONFLICT,
                t,
                t.get("signin-email-taken-title"),
                t.get("signin-email-taken-text"),
            )
        }
        Err(other) => return Err(other.into()),
    };
    Ok(html(
        status,
        &MessagePage::new(t, &title, &text)
            .link(paths::account(&tenant), t.get("signin-to-account")),
    ))
}
