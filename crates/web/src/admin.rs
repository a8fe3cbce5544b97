//! The tenant administration console (tenant admins only): self-recovery
//! statistics with a server-rendered chart, the helpdesk reset of a
//! person's second factors (with a mandatory reason), and the tenant's
//! applications (list and register, the secret shown once).

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::accounts::session::Session;
use latchkey_core::accounts::user::User;
use latchkey_core::oidc::client::{self, Client as OauthClient, ClientInput};
use latchkey_core::recovery::case::{self, Stats};
use latchkey_core::store::{ClientStore, UserStore};
use latchkey_core::tenants::Tenant;
use serde::Deserialize;

use crate::error::{WebError, html, message};
use crate::factors::{Posted, csrf_field, reauth_redirect, signed_in, signed_in_post};
use crate::pages::{Client, see_other};
use crate::{AppState, csrf};

/// Most people listed on the page.
const PEOPLE_MAX: usize = 200;

fn text(headers: &HeaderMap, tenant: &Tenant, user: &User) -> &'static crate::i18n::AdminText {
    crate::i18n::admin(crate::pages::user_language(headers, tenant, user))
}

/// A bar of the statistics chart.
struct Bar {
    label: &'static str,
    value: i64,
    y: i64,
    width: i64,
    colour: &'static str,
}

fn bars(t: &crate::i18n::AdminText, stats: &Stats) -> Vec<Bar> {
    let rows = [
        (t.completed, stats.completed, "#2e7d32"),
        (t.open, stats.open, "#1565c0"),
        (t.cancelled, stats.cancelled, "#757575"),
        (t.expired, stats.expired, "#9e9d24"),
        (t.locked, stats.locked, "#c62828"),
        (t.helpdesk_resets, stats.helpdesk_resets, "#6a1b9a"),
    ];
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    rows.iter()
        .enumerate()
        .map(|(i, (label, value, colour))| Bar {
            label,
            value: *value,
            y: i as i64 * 26 + 4,
            // at most 220 px, and a sliver for zero so the row still shows
            width: (value * 220 / max).max(1),
            colour,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage<'a> {
    t: &'static crate::i18n::AdminText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    notice: Option<&'static str>,
    error: Option<String>,
    recovery_active: bool,
    /// The second-factor policy: off, optional or required.
    policy: &'static str,
    stats: Stats,
    median_minutes: Option<i64>,
    bars: Vec<Bar>,
    chart_height: i64,
    users: Vec<User>,
    apps: Vec<OauthClient>,
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    done: Option<String>,
}

/// The signed-in administrator, or the response that sends anyone else
/// away (sign-in, required set-up, or a refusal).
async fn administrator(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
) -> Result<Result<(Session, User), Response>, WebError> {
    let (session, user) = match signed_in(state, headers, tenant).await? {
        Ok(pair) => pair,
        Err(redirect) => return Ok(Err(redirect)),
    };
    Ok(match turned_away(state, headers, tenant, &user).await? {
        Some(away) => Err(away),
        None => Ok((session, user)),
    })
}

/// Where a signed-in user who may not use the console goes instead: the
/// required set-up first, or a refusal for anyone but an administrator.
async fn turned_away(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    user: &User,
) -> Result<Option<Response>, WebError> {
    if let Some(redirect) = crate::pages::enrolment_first(state, tenant, user).await? {
        return Ok(Some(redirect));
    }
    if !user.is_admin() {
        let t = text(headers, tenant, user);
        return Ok(Some(message(StatusCode::FORBIDDEN, t.title, t.not_admin)));
    }
    Ok(None)
}

#[allow(clippy::too_many_arguments)]
async fn admin_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &Session,
    user: &User,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let t = text(headers, tenant, user);
    let stats = case::stats(state.db(), tenant, state.clock().now()).await?;
    let bars = bars(t, &stats);
    let mut users = state.db().list_users(&tenant.id).await?;
    users.truncate(PEOPLE_MAX);
    let (cookie, csrf) = csrf::issue(state, headers, tenant, &session.id_hash);
    let page = AdminPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        notice,
        error,
        recovery_active: tenant.self_recovery,
        policy: tenant.second_factor.as_str(),
        median_minutes: stats.median_secs_to_complete.map(|s| (s + 59) / 60),
        chart_height: bars.len() as i64 * 26 + 8,
        bars,
        stats,
        users,
        apps: state.db().list_clients(&tenant.id).await?,
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

/// The console again with what was wrong with the input (422); other
/// errors as errors.
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &Session,
    admin: &User,
    err: latchkey_core::Error,
) -> Result<Response, WebError> {
    let latchkey_core::Error::Invalid(errors) = err else {
        return Err(err.into());
    };
    let detail = crate::i18n::say_all(&errors, crate::pages::user_language(headers, tenant, admin));
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    admin_page(
        state,
        headers,
        tenant,
        session,
        admin,
        status,
        None,
        Some(detail),
    )
    .await
}

pub async fn console(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    query: Result<Query<AdminQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let tenant = crate::pages::load_tenant(&state, &slug).await?;
    let (session, user) = match administrator(&state, &headers, &tenant).await? {
        Ok(pair) => pair,
        Err(away) => return Ok(away),
    };
    let t = text(&headers, &tenant, &user);
    let notice = match query.ok().and_then(|Query(q)| q.done).as_deref() {
        Some("reset") => Some(t.reset_done),
        Some("setup") => Some(t.setup_done),
        Some("deleted") => Some(t.app_deleted),
        _ => None,
    };
    admin_page(
        &state,
        &headers,
        &tenant,
        &session,
        &user,
        StatusCode::OK,
        notice,
        None,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

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
}

#[derive(Deserialize, Default)]
pub struct PolicyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    policy: String,
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
    #[serde(default)]
    access_token_minutes: String,
    #[serde(default)]
    refresh_token_days: String,
    #[serde(default)]
    signing_alg: String,
}

csrf_field!(ResetForm, ApplicationForm, PolicyForm, SettingsForm);

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The set-up step of the console: whether people who sign in with a
/// password add a second factor (off, optional, required).
pub async fn second_factors(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<PolicyForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user: admin,
        form,
    } = match admin_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(away) => return Ok(away),
    };
    let input = latchkey_core::tenants::SettingsInput {
        second_factor: Some(form.policy),
        ..Default::default()
    };
    match latchkey_core::tenants::update_settings(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &input,
        &format!("admin:{}", admin.id),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/t/{}/admin?done=setup", tenant.slug))),
        Err(err) => refused(&state, &headers, &tenant, &session, &admin, err).await,
    }
}

/// A posted admin form: the administrator, after the CSRF check.
async fn admin_post<F: crate::factors::CsrfField + Default>(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    form: Result<Form<F>, FormRejection>,
) -> Result<Result<Posted<F>, Response>, WebError> {
    let posted = match signed_in_post(state, slug, headers, form).await? {
        Ok(posted) => posted,
        Err(redirect) => return Ok(Err(redirect)),
    };
    // The session was read with the form; only the role checks remain.
    Ok(
        match turned_away(state, headers, &posted.tenant, &posted.user).await? {
            Some(away) => Err(away),
            None => Ok(posted),
        },
    )
}

/// [`admin_post`] for changes that need a sign-in within the last ten
/// minutes; an older one is sent to confirm it and come back to `back`.
async fn recent_admin_post<F: crate::factors::CsrfField + Default>(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    form: Result<Form<F>, FormRejection>,
    back: &str,
) -> Result<Result<Posted<F>, Response>, WebError> {
    let posted = match admin_post(state, slug, headers, form).await? {
        Ok(posted) => posted,
        Err(away) => return Ok(Err(away)),
    };
    if latchkey_core::factors::totp::require_recent_auth(&posted.session, state.clock().now())
        .is_err()
    {
        return Ok(Err(reauth_redirect(&posted.tenant, back)));
    }
    Ok(Ok(posted))
}

/// The helpdesk reset: every second factor of the person goes, their
/// sessions end, they are told by mail; the administrator and the reason
/// are recorded. Needs a sign-in within the last 10 minutes.
pub async fn reset_factors(
    State(state): State<AppState>,
    Path((slug, user_id)): Path<(String, String)>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user: admin,
        form,
    } = match recent_admin_post(&state, &slug, &headers, form, "admin").await? {
        Ok(posted) => posted,
        Err(away) => return Ok(away),
    };
    let Some(person) = state.db().user_by_id(&tenant.id, &user_id).await? else {
        return Err(WebError::Core(latchkey_core::Error::NotFound("person")));
    };
    let result = latchkey_core::recovery::journey::helpdesk_reset(
        &state.env(),
        &tenant,
        &person,
        &format!("admin:{}", admin.id),
        &form.reason,
        &meta,
    )
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/t/{}/admin?done=reset", tenant.slug))),
        Err(err) => refused(&state, &headers, &tenant, &session, &admin, err).await,
    }
}

#[derive(Template)]
#[template(path = "admin_client.html")]
struct CreatedPage<'a> {
    t: &'static crate::i18n::AdminText,
    title: &'static str,
    note: &'static str,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    name: &'a str,
    client_id: &'a str,
    secret: Option<&'a str>,
}

/// Registers an application; its secret is shown on the answer only.
pub async fn create_application(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Result<Form<ApplicationForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        session,
        user: admin,
        form,
    } = match admin_post(&state, &slug, &headers, form).await? {
        Ok(posted) => posted,
        Err(away) => return Ok(away),
    };
    let input = ClientInput {
        name: form.name.clone(),
        redirect_uris: lines(&form.redirect_uris),
        public: form.kind == "public",
        first_party: form.first_party.is_some(),
        ..Default::default()
    };
    let created = client::create(
        state.db(),
        state.random(),
        state.clock(),
        state.secrets(),
        &tenant,
        &input,
        &format!("admin:{}", admin.id),
    )
    .await;
    match created {
        Ok((c, secret)) => {
            let t = text(&headers, &tenant, &admin);
            Ok(html(
                StatusCode::OK,
                &CreatedPage {
                    t,
                    title: t.created_title,
                    note: t.created_secret_note,
                    tenant_name: &tenant.display_name,
                    tenant_slug: tenant.slug.as_str(),
                    name: &c.name,
                    client_id: &c.client_id,
                    secret: secret.as_ref().map(|s| s.expose()),
                },
            ))
        }
        Err(err) => refused(&state, &headers, &tenant, &session, &admin, err).await,
    }
}

#[derive(Template)]
#[template(path = "admin_app.html")]
struct ApplicationPage<'a> {
    t: &'static crate::i18n::AdminText,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    notice: Option<&'static str>,
    error: Option<String>,
    client_id: &'a str,
    kind: &'static str,
    has_secret: bool,
    name: String,
    redirect_uris: String,
    post_logout_uris: String,
    /// authorization_code, refresh_token, client_credentials
    grants: (bool, bool, bool),
    first_party: bool,
    access_minutes: String,
    refresh_days: String,
    signing_alg: String,
}

impl SettingsForm {
    /// The form as the stored application fills it in.
    fn of(c: &OauthClient) -> SettingsForm {
        let on = |g: client::GrantType| c.grant_types.contains(&g).then(|| "on".to_owned());
        SettingsForm {
            csrf: String::new(),
            name: c.name.clone(),
            redirect_uris: c.redirect_uris.join("\n"),
            post_logout_uris: c.post_logout_uris.join("\n"),
            grant_authorization_code: on(client::GrantType::AuthorizationCode),
            grant_refresh_token: on(client::GrantType::RefreshToken),
            grant_client_credentials: on(client::GrantType::ClientCredentials),
            first_party: c.first_party.then(|| "on".to_owned()),
            access_token_minutes: (c.access_token_secs / 60).to_string(),
            refresh_token_days: (c.refresh_token_secs / 86_400).to_string(),
            signing_alg: c.token_alg.clone(),
        }
    }

    /// The change it asks for; numbers that are not numbers are named.
    fn change(
        &self,
        t: &crate::i18n::AdminText,
    ) -> Result<client::ClientChange, latchkey_core::Error> {
        let mut errors = vec![];
        let mut number = |field: &str, text: &str| match text.trim() {
            "" => None,
            v => v.parse::<i64>().map(Some).unwrap_or_else(|_| {
                errors.push(latchkey_core::platform::validate::FieldError::new(
                    field,
                    format!("\"{v}\" {}", t.whole_number),
                ));
                None
            }),
        };
        let access_token_minutes = number("access_token_minutes", &self.access_token_minutes);
        let refresh_token_days = number("refresh_token_days", &self.refresh_token_days);
        if !errors.is_empty() {
            return Err(latchkey_core::Error::Invalid(errors));
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
            access_token_minutes,
            refresh_token_days,
            jwks: None,
            token_alg: Some(self.signing_alg.clone()),
        })
    }
}

/// The application's settings page, filled in from `form` (the stored
/// settings, or what was just posted when it was refused).
#[allow(clippy::too_many_arguments)]
fn application_page(
    state: &AppState,
    headers: &HeaderMap,
    tenant: &Tenant,
    session: &Session,
    t: &'static crate::i18n::AdminText,
    app: &OauthClient,
    form: &SettingsForm,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    let (cookie, csrf) = csrf::issue(state, headers, tenant, &session.id_hash);
    let page = ApplicationPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf,
        notice,
        error,
        client_id: &app.client_id,
        kind: if app.is_public() {
            t.public
        } else {
            t.confidential
        },
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
        access_minutes: form.access_token_minutes.clone(),
        refresh_days: form.refresh_token_days.clone(),
        signing_alg: form.signing_alg.clone(),
    };
    csrf::render(state, status, &page, &cookie)
}

#[derive(Deserialize, Default)]
pub struct ApplicationQuery {
    saved: Option<String>,
}

/// One application's settings, with a new secret and removal.
pub async fn application(
    State(state): State<AppState>,
    Path((slug, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    query: Result<Query<ApplicationQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let tenant = crate::pages::load_tenant(&state, &slug).await?;
    let (session, user) = match administrator(&state, &headers, &tenant).await? {
        Ok(pair) => pair,
        Err(away) => return Ok(away),
    };
    let app = client::find(state.db(), &tenant, &client_id).await?;
    let t = text(&headers, &tenant, &user);
    let saved = query.ok().and_then(|Query(q)| q.saved).is_some();
    Ok(application_page(
        &state,
        &headers,
        &tenant,
        &session,
        t,
        &app,
        &SettingsForm::of(&app),
        StatusCode::OK,
        saved.then_some(t.app_saved),
        None,
    ))
}

pub async fn update_application(
    State(state): State<AppState>,
    Path((slug, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<SettingsForm>, FormRejection>,
) -> Result<Response, WebError> {
    // Redirect addresses decide where sign-ins go: a change needs a recent
    // sign-in, like a new secret or a removal.
    let Posted {
        tenant,
        session,
        user: admin,
        form,
    } = match recent_admin_post(
        &state,
        &slug,
        &headers,
        form,
        &format!("admin/applications/{client_id}"),
    )
    .await?
    {
        Ok(posted) => posted,
        Err(away) => return Ok(away),
    };
    let app = client::find(state.db(), &tenant, &client_id).await?;
    let t = text(&headers, &tenant, &admin);
    let result = match form.change(t) {
        Ok(change) => {
            client::update(
                state.db(),
                state.random(),
                state.clock(),
                state.secrets(),
                &tenant,
                &app.client_id,
                &change,
                &format!("admin:{}", admin.id),
            )
            .await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(c) => Ok(see_other(&format!(
            "/t/{}/admin/applications/{}?saved=1",
            tenant.slug, c.client_id
        ))),
        Err(latchkey_core::Error::Invalid(errors)) => Ok(application_page(
            &state,
            &headers,
            &tenant,
            &session,
            t,
            &app,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(crate::i18n::say_all(
                &errors,
                crate::pages::user_language(&headers, &tenant, &admin),
            )),
        )),
        Err(err) => Err(err.into()),
    }
}

/// A new secret for a confidential application, shown once. Needs a
/// sign-in within the last 10 minutes.
pub async fn rotate_application_secret(
    State(state): State<AppState>,
    Path((slug, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<crate::factors::CsrfForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        user: admin,
        ..
    } = match recent_admin_post(&state, &slug, &headers, form, "admin").await? {
        Ok(posted) => posted,
        Err(away) => return Ok(away),
    };
    let (c, secret) = client::rotate_secret(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &client_id,
        &format!("admin:{}", admin.id),
    )
    .await?;
    let t = text(&headers, &tenant, &admin);
    Ok(html(
        StatusCode::OK,
        &CreatedPage {
            t,
            title: t.rotated_title,
            note: t.rotated_note,
            tenant_name: &tenant.display_name,
            tenant_slug: tenant.slug.as_str(),
            name: &c.name,
            client_id: &c.client_id,
            secret: Some(secret.expose()),
        },
    ))
}

/// Removes an application. Needs a sign-in within the last 10 minutes.
pub async fn delete_application(
    State(state): State<AppState>,
    Path((slug, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<crate::factors::CsrfForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Posted {
        tenant,
        user: admin,
        ..
    } = match recent_admin_post(&state, &slug, &headers, form, "admin").await? {
        Ok(posted) => posted,
        Err(away) => return Ok(away),
    };
    client::delete(
        state.db(),
        state.random(),
        state.clock(),
        &tenant,
        &client_id,
        &format!("admin:{}", admin.id),
    )
    .await?;
    Ok(see_other(&format!("/t/{}/admin?done=deleted", tenant.slug)))
}
