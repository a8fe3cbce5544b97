//! The tenant's applications: register one (its secret shown once), its
//! settings, a new secret, and removal.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::effects::audit::Actor;
use latchkey_core::oidc::Scope;
use latchkey_core::oidc::client::{self, Client as OauthClient};
use latchkey_core::oidc::snippet::{self, AppKind, Endpoints};
use latchkey_core::platform::ids::ClientId;
use latchkey_core::platform::time::DAY;
use latchkey_core::platform::validate::FieldError;
use serde::Deserialize;

use super::app_scopes::{ScopeBox, scope_boxes, ticked};
use super::csrf_for;
use super::{AdminForm, Administrator, lines, text, unless_recent};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::{WebError, html};
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Button, SignedIn};
use crate::app::form::FieldErrors;
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::{self, Texts};

#[derive(Deserialize, Default)]
pub struct ApplicationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    redirect_uris: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    first_party: Option<String>,
    /// The form had the scope boxes: none ticked is then a choice, not
    /// "the default".
    scopes_shown: Option<String>,
    scope_openid: Option<String>,
    scope_profile: Option<String>,
    scope_email: Option<String>,
    scope_offline_access: Option<String>,
    scope_admin: Option<String>,
}

impl ApplicationForm {
    fn ticked(&self) -> Vec<Scope> {
        ticked(&[
            &self.scope_openid,
            &self.scope_profile,
            &self.scope_email,
            &self.scope_offline_access,
            &self.scope_admin,
        ])
    }
}

/// The settings form of one application; every field is sent.
#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    redirect_uris: String,
    #[serde(default)]
    post_logout_uris: String,
    grant_authorization_code: Option<String>,
    grant_refresh_token: Option<String>,
    grant_client_credentials: Option<String>,
    first_party: Option<String>,
    scope_openid: Option<String>,
    scope_profile: Option<String>,
    scope_email: Option<String>,
    scope_offline_access: Option<String>,
    scope_admin: Option<String>,
    #[serde(default)]
    access_token_minutes: String,
    #[serde(default)]
    refresh_token_days: String,
    #[serde(default)]
    signing_alg: String,
}

csrf_field!(Binding::Session => ApplicationForm, SettingsForm);

#[derive(Template)]
#[template(path = "admin_client.html")]
struct CreatedPage<'a> {
    t: Texts,
    title: String,
    note: String,
    tenant_name: &'a str,
    name: &'a str,
    client_id: &'a str,
    secret: Option<&'a str>,
    issuer: String,
    discovery: String,
    snippet: String,
    /// Where to go from here: (address, link text).
    next: (String, String),
}

/// The page that shows an application's client id and — this once — its
/// secret, with the tenant's issuer, discovery address and a configuration
/// for its kind (the secret in it); `outcome` is (title, the note about the
/// secret, next address, its link text).
pub(super) fn created_page(
    state: &AppState,
    admin: &SignedIn,
    app: &OauthClient,
    secret: Option<&str>,
    outcome: (String, String, String, String),
) -> Response {
    let t = text(admin);
    let (title, note, next_href, next_text) = outcome;
    let endpoints = Endpoints::of(&state.config().public_url, &admin.tenant);
    let snippet = snippet::snippet(AppKind::of(app), &endpoints, app, secret);
    html(
        StatusCode::OK,
        &CreatedPage {
            t,
            title,
            note,
            tenant_name: &admin.tenant.display_name,
            name: &app.name,
            client_id: app.client_id.as_str(),
            secret,
            issuer: endpoints.issuer,
            discovery: endpoints.discovery,
            snippet,
            next: (next_href, next_text),
        },
    )
}

/// The console with what was wrong with a new application beside its
/// fields, the form keeping what was typed.
async fn create_refused(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    form: &ApplicationForm,
    err: Error,
) -> Result<Response, WebError> {
    let Error::Invalid(errors) = err else {
        return Err(err.into());
    };
    let typed = super::console::AppValues {
        name: form.name.clone(),
        redirect_uris: form.redirect_uris.clone(),
        kind: form.kind.clone(),
        first_party: form.first_party.is_some(),
        scopes: if form.scopes_shown.is_some() {
            form.ticked()
        } else {
            Scope::DEFAULT.to_vec()
        },
    };
    let errors = FieldErrors::new(&text(admin), &errors, app_field_id);
    super::console::page(
        state,
        headers,
        admin,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        errors,
        Some(typed),
    )
    .await
}

/// The element of an application's form that shows `field`.
pub(super) fn app_field_id(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "app-name",
        "redirect_uris" => "app-redirects",
        "post_logout_uris" => "app-logout",
        "access_token_minutes" => "app-access",
        "refresh_token_days" => "app-refresh",
        "signing_alg" => "app-alg",
        "grant_types" | "kind" => "app-kind",
        "scopes" => "app-scopes",
        _ => return None,
    })
}

/// Registers an application; its secret is shown on the answer only.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<ApplicationForm>,
) -> Result<Response, WebError> {
    let mut input = match AppKind::parse(&form.kind) {
        Ok(kind) => kind.input(
            &form.name,
            lines(&form.redirect_uris),
            form.first_party.is_some(),
        ),
        Err(_) => {
            let err = Error::said("kind", latchkey_core::platform::validate::Said::ChooseOne);
            return create_refused(&state, &headers, &admin, &form, err).await;
        }
    };
    if form.scopes_shown.is_some() {
        input.scopes = form
            .ticked()
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        if input.scopes.is_empty() {
            // none ticked: said with whatever else is wrong
            let mut errors = match input.parse(&admin.tenant, state.random(), state.clock().now()) {
                Err(Error::Invalid(errors)) => errors,
                _ => vec![],
            };
            errors.push(FieldError::said(
                "scopes",
                latchkey_core::platform::validate::Said::ScopesNeedOpenId,
            ));
            return create_refused(&state, &headers, &admin, &form, Error::Invalid(errors)).await;
        }
    }
    let created = client::create(
        state.db(),
        state.random(),
        state.clock(),
        state.secrets(),
        &admin.tenant,
        &input,
        &Actor::Admin(admin.user.id.clone()),
    )
    .await;
    match created {
        Ok((c, secret)) => {
            let t = text(&admin);
            Ok(created_page(
                &state,
                &admin,
                &c,
                secret.as_ref().map(|s| s.expose()),
                (
                    t.get("admin-created-title"),
                    t.get("admin-created-secret-note"),
                    paths::admin_home(&admin.tenant),
                    t.get("admin-back"),
                ),
            ))
        }
        Err(err) => create_refused(&state, &headers, &admin, &form, err).await,
    }
}

#[derive(Template)]
#[template(path = "admin_app.html")]
struct ApplicationPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    notice: Option<String>,
    errors: FieldErrors,
    client_id: &'a str,
    kind: String,
    issuer: String,
    discovery: String,
    snippet: String,
    has_secret: bool,
    name: String,
    redirect_uris: String,
    post_logout_uris: String,
    /// authorization_code, refresh_token, client_credentials
    grants: (bool, bool, bool),
    first_party: bool,
    scopes: Vec<ScopeBox>,
    access_minutes: String,
    refresh_days: String,
    signing_alg: String,
}

impl SettingsForm {
    /// The form as the stored application fills it in.
    fn of(c: &OauthClient) -> SettingsForm {
        let on = |g: client::GrantType| c.grant_types.contains(&g).then(|| "on".to_owned());
        let on_scope = |s: Scope| c.scopes.contains(&s).then(|| "on".to_owned());
        SettingsForm {
            csrf: String::new(),
            name: c.name.clone(),
            redirect_uris: c.redirect_uris.join("\n"),
            post_logout_uris: c.post_logout_uris.join("\n"),
            grant_authorization_code: on(client::GrantType::AuthorizationCode),
            grant_refresh_token: on(client::GrantType::RefreshToken),
            grant_client_credentials: on(client::GrantType::ClientCredentials),
            first_party: c.first_party.then(|| "on".to_owned()),
            scope_openid: on_scope(Scope::OpenId),
            scope_profile: on_scope(Scope::Profile),
            scope_email: on_scope(Scope::Email),
            scope_offline_access: on_scope(Scope::OfflineAccess),
            scope_admin: on_scope(Scope::Admin),
            access_token_minutes: (c.access_token_secs / 60).to_string(),
            refresh_token_days: (c.refresh_token_secs / DAY).to_string(),
            signing_alg: c.token_alg.as_str().to_owned(),
        }
    }

    fn ticked(&self) -> Vec<Scope> {
        ticked(&[
            &self.scope_openid,
            &self.scope_profile,
            &self.scope_email,
            &self.scope_offline_access,
            &self.scope_admin,
        ])
    }

    /// The change it asks for; numbers that are not numbers are named.
    fn change(&self, t: &Texts) -> Result<client::ClientChange, Error> {
        let mut errors = vec![];
        let mut number = |field: &str, text: &str| match text.trim() {
            "" => None,
            v => v.parse::<i64>().map(Some).unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    field,
                    t.with("admin-whole-number", &[("value", v.into())]),
                ));
                None
            }),
        };
        let access_token_minutes = number("access_token_minutes", &self.access_token_minutes);
        let refresh_token_days = number("refresh_token_days", &self.refresh_token_days);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let grant_types = [
            (&self.grant_authorization_code, "authorization_code"),
            (&self.grant_refresh_token, "refresh_token"),
            (&self.grant_client_credentials, "client_credentials"),
        ]
        .iter()
        .filter(|(on, _)| on.is_some())
        .map(|(_, g)| (*g).to_owned())
        .collect::<Vec<_>>();
        Ok(client::ClientChange {
            name: Some(self.name.clone()),
            redirect_uris: Some(lines(&self.redirect_uris)),
            post_logout_uris: Some(lines(&self.post_logout_uris)),
            grant_types: Some(grant_types),
            first_party: Some(self.first_party.is_some()),
            scopes: Some(
                self.ticked()
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect(),
            ),
            access_token_minutes,
            refresh_token_days,
            jwks: None,
            token_alg: Some(self.signing_alg.clone()),
            // set with the API or the CLI (legacy applications only)
            pkce_optional: None,
        })
    }
}

/// The application's settings page, filled in from `form` (the stored
/// settings, or what was just posted when it was refused).
fn settings_page(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    app: &OauthClient,
    form: &SettingsForm,
    status: StatusCode,
    outcome: (Option<String>, FieldErrors),
) -> Response {
    let t = text(admin);
    let (notice, errors) = outcome;
    let endpoints = Endpoints::of(&state.config().public_url, &admin.tenant);
    let snippet = snippet::snippet(AppKind::of(app), &endpoints, app, None);
    let (cookie, token) = csrf_for(state, headers, admin);
    let page = ApplicationPage {
        t,
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        csrf: token,
        notice,
        errors,
        client_id: app.client_id.as_str(),
        kind: t.get(&format!("wizard-app-kind-{}", AppKind::of(app))),
        issuer: endpoints.issuer,
        discovery: endpoints.discovery,
        snippet,
        has_secret: app.secret_hash.is_some(),
        name: form.name.clone(),
        redirect_uris: form.redirect_uris.clone(),
        post_logout_uris: form.post_logout_uris.clone(),
        grants: (
            form.grant_authorization_code.is_some(),
            form.grant_refresh_token.is_some(),
            form.grant_client_credentials.is_some(),
        ),
        first_party: form.first_party.is_some(),
        scopes: scope_boxes(&t, &form.ticked()),
        access_minutes: form.access_token_minutes.clone(),
        refresh_days: form.refresh_token_days.clone(),
        signing_alg: form.signing_alg.clone(),
    };
    csrf::render(state, status, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct SettingsQuery {
    saved: Option<String>,
}

/// One application's settings, with a new secret and removal.
pub async fn settings(
    State(state): State<AppState>,
    Path((_, client_id)): Path<(String, ClientId)>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
    query: Result<Query<SettingsQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let app = client::find(state.db(), &admin.tenant, &client_id).await?;
    let saved = query.ok().and_then(|Query(q)| q.saved).is_some();
    let notice = saved.then(|| text(&admin).get("admin-app-saved"));
    let form = SettingsForm::of(&app);
    Ok(settings_page(
        &state,
        &headers,
        &admin,
        &app,
        &form,
        StatusCode::OK,
        (notice, FieldErrors::default()),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Path((_, client_id)): Path<(String, ClientId)>,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<SettingsForm>,
) -> Result<Response, WebError> {
    // Redirect addresses decide where sign-ins go: a change needs a recent
    // sign-in, like a new secret or a removal.
    let back = paths::admin_application_back(&client_id);
    if let Some(away) = unless_recent(&state, &admin, &back) {
        return Ok(away);
    }
    let app = client::find(state.db(), &admin.tenant, &client_id).await?;
    let result = match form.change(&text(&admin)) {
        Ok(change) => {
            client::update(
                state.db(),
                state.random(),
                state.clock(),
                state.secrets(),
                &admin.tenant,
                &app.client_id,
                &change,
                &Actor::Admin(admin.user.id.clone()),
            )
            .await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(c) => Ok(see_other(&paths::admin_application_saved(
            &admin.tenant,
            &c.client_id,
        ))),
        Err(Error::Invalid(errors)) => {
            let errors = FieldErrors::new(&i18n::texts(admin.lang), &errors, app_field_id);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(settings_page(
                &state,
                &headers,
                &admin,
                &app,
                &form,
                status,
                (None, errors),
            ))
        }
        Err(err) => Err(err.into()),
    }
}

/// A new secret for a confidential application, shown once. Needs a
/// sign-in within the last 10 minutes.
pub async fn rotate_secret(
    State(state): State<AppState>,
    Path((_, client_id)): Path<(String, ClientId)>,
    AdminForm { admin, .. }: AdminForm<Button>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, "admin") {
        return Ok(away);
    }
    let (c, secret) = client::rotate_secret(
        state.db(),
        state.random(),
        state.clock(),
        &admin.tenant,
        &client_id,
        &Actor::Admin(admin.user.id.clone()),
    )
    .await?;
    let t = text(&admin);
    Ok(created_page(
        &state,
        &admin,
        &c,
        Some(secret.expose()),
        (
            t.get("admin-rotated-title"),
            t.get("admin-rotated-note"),
            paths::admin_home(&admin.tenant),
            t.get("admin-back"),
        ),
    ))
}

#[derive(Template)]
#[template(path = "admin_app_delete.html")]
struct DeletePage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    client_id: &'a str,
    name: &'a str,
}

/// "Remove application" asks first: what goes with it, the application
/// named, danger styling, a way back. The recent sign-in is asked before
/// the page, so the administrator confirms once.
pub async fn confirm_delete(
    State(state): State<AppState>,
    Path((_, client_id)): Path<(String, ClientId)>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let back = format!("admin/applications/{client_id}/delete");
    if let Some(away) = unless_recent(&state, &admin, &back) {
        return Ok(away);
    }
    let app = client::find(state.db(), &admin.tenant, &client_id).await?;
    let (cookie, token) = csrf_for(&state, &headers, &admin);
    let page = DeletePage {
        t: text(&admin),
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        csrf: token,
        client_id: app.client_id.as_str(),
        name: &app.name,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

/// Removes an application. Needs a sign-in within the last 10 minutes.
pub async fn delete(
    State(state): State<AppState>,
    Path((_, client_id)): Path<(String, ClientId)>,
    AdminForm { admin, .. }: AdminForm<Button>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, "admin") {
        return Ok(away);
    }
    client::delete(
        state.db(),
        state.random(),
        state.clock(),
        &admin.tenant,
        &client_id,
        &Actor::Admin(admin.user.id.clone()),
    )
    .await?;
    Ok(see_other(&paths::admin_done(&admin.tenant, "deleted")))
}
