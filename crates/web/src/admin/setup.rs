//! The set-up wizard (core `tenants::setup` holds its rules): a page per
//! step, each saved by a form of its own; "finish later", resuming (the
//! upgrade banner of a legacy tenant starts it), finishing; and the
//! checklist the summary and the console's home show.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::effects::audit::{Actor, RequestMeta};
use latchkey_core::oidc::client;
use latchkey_core::oidc::snippet::AppKind;
use latchkey_core::platform::lang::Language;
use latchkey_core::platform::validate::FieldError;
use latchkey_core::recovery::activation;
use latchkey_core::setup::{self, Context, ItemState, SetupStep};
use latchkey_core::store::{ClientStore, RecoveryStore};
use latchkey_core::tenants::{SettingsInput, Tenant};
use serde::Deserialize;

use super::applications::created_page;
use super::{AdminForm, Administrator, lines, text};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Button, Client, SignedIn};
use crate::app::form::FieldErrors;
use crate::app::paths;
use crate::app::respond::see_other;
use crate::app::timezone;
use crate::i18n::{self, Texts};

/// An item of the checklist as a page shows it.
pub struct ChecklistRow {
    pub label: String,
    /// `ok`, `warn` or `note` (the stylesheet's marks).
    pub class: &'static str,
    pub mark: &'static str,
    pub state: String,
    pub done: bool,
    /// The wizard's step that does it.
    pub href: String,
}

/// The tenant's checklist, in the page's language.
pub(super) async fn checklist(
    state: &AppState,
    admin: &SignedIn,
) -> Result<Vec<ChecklistRow>, WebError> {
    let t = text(admin);
    let tenant = &admin.tenant;
    let has_app = !state.db().list_clients(&tenant.id).await?.is_empty();
    let latest = state.db().latest_activation_request(&tenant.id).await?;
    Ok(setup::checklist(tenant, has_app, latest.as_ref())
        .into_iter()
        .map(|item| {
            let (class, mark, key) = match item.state {
                ItemState::Done => ("ok", "✓", "wizard-item-done"),
                ItemState::Open => ("warn", "✗", "wizard-item-open"),
                ItemState::Waiting => ("note", "…", "wizard-item-waiting"),
            };
            ChecklistRow {
                label: t.get(&format!(
                    "wizard-item-{}",
                    item.step.as_str().replace('_', "-")
                )),
                class,
                mark,
                state: t.get(key),
                done: item.state == ItemState::Done,
                href: paths::admin_setup(tenant, Some(item.step.as_str())),
            }
        })
        .collect())
}

/// What the wizard's forms show: the stored settings, or what was typed.
#[derive(Debug, Clone, Default)]
struct Values {
    display_name: String,
    language: String,
    time_zone: String,
    methods: String,
    policy: String,
    wait_hours: String,
    app_name: String,
    app_redirects: String,
    app_kind: String,
    first_party: bool,
}

impl Values {
    fn of(tenant: &Tenant) -> Values {
        Values {
            display_name: tenant.display_name.clone(),
            language: tenant.default_language.as_str().to_owned(),
            time_zone: tenant.time_zone.name().to_owned(),
            methods: tenant.signin_methods().as_str().to_owned(),
            policy: setup::suggested_policy(tenant).as_str().to_owned(),
            wait_hours: (tenant.recovery_waiting_secs / 3600).to_string(),
            app_kind: AppKind::Web.as_str().to_owned(),
            first_party: true,
            ..Default::default()
        }
    }

    /// The stored values with what `form` holds over them.
    fn typed(tenant: &Tenant, form: &StepForm) -> Values {
        let mut v = Values::of(tenant);
        let over = |field: &mut String, typed: &Option<String>| {
            if let Some(typed) = typed {
                typed.clone_into(field);
            }
        };
        over(&mut v.display_name, &form.display_name);
        over(&mut v.language, &form.default_language);
        over(&mut v.time_zone, &form.time_zone);
        over(&mut v.methods, &form.signin_methods);
        over(&mut v.policy, &form.second_factor);
        over(&mut v.wait_hours, &form.recovery_wait_hours);
        over(&mut v.app_name, &form.name);
        over(&mut v.app_redirects, &form.redirect_uris);
        over(&mut v.app_kind, &form.kind);
        v.first_party = form.first_party.is_some();
        v
    }
}

/// A step in the wizard's list of steps.
struct NavItem {
    label: String,
    href: Option<String>,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin_setup.html")]
struct SetupPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    title: String,
    /// A legacy tenant: the wizard ends with the upgrade.
    upgrade: bool,
    step: &'static str,
    step_of: String,
    nav: Vec<NavItem>,
    previous: Option<String>,
    notice: Option<String>,
    errors: FieldErrors,
    v: Values,
    languages: Vec<(&'static str, String)>,
    passkeys_available: bool,
    passkey_only: bool,
    recovery_active: bool,
    /// Where the request for self-recovery stands, if one waits.
    request: Option<String>,
    can_request: bool,
    checklist: Vec<ChecklistRow>,
}

impl SetupPage<'_> {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        AppKind::ALL
            .iter()
            .map(|k| (k.as_str(), self.t.get(&format!("wizard-app-kind-{k}"))))
            .collect()
    }
}

/// The page of `step`.
#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    step: SetupStep,
    status: StatusCode,
    v: Values,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let t = text(admin);
    let tenant = &admin.tenant;
    let latest = state.db().latest_activation_request(&tenant.id).await?;
    let request = latest
        .as_ref()
        .filter(|r| r.status == activation::RequestStatus::Pending)
        .map(|_| {
            t.get(if activation::waits_for_upgrade(tenant, latest.as_ref()) {
                "wizard-recovery-pending-upgrade"
            } else {
                "wizard-recovery-pending"
            })
        });
    let nav = SetupStep::STEPS
        .iter()
        .map(|s| NavItem {
            label: t.get(&format!("wizard-step-{}", s.as_str().replace('_', "-"))),
            href: (setup::may_open(tenant, *s) && *s != step)
                .then(|| paths::admin_setup(tenant, Some(s.as_str()))),
            current: *s == step,
        })
        .collect();
    let (cookie, token) = csrf::issue(state, headers, tenant, admin.session.id_hash.as_str());
    let upgrade = setup::upgrade_offered(tenant);
    let page = SetupPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        title: t.get(if upgrade {
            "wizard-upgrade-title"
        } else {
            "wizard-title"
        }),
        upgrade,
        step: step.as_str(),
        step_of: t.with(
            "wizard-step-of",
            &[
                ("number", (step.number() as i64).into()),
                ("total", (SetupStep::STEPS.len() as i64).into()),
            ],
        ),
        nav,
        previous: step
            .previous()
            .map(|p| paths::admin_setup(tenant, Some(p.as_str()))),
        notice,
        errors,
        v,
        languages: Language::ALL
            .iter()
            .map(|l| (l.as_str(), i18n::texts(*l).get("site-language-name")))
            .collect(),
        passkeys_available: state.relying_party().is_some(),
        passkey_only: tenant.passkey_only(),
        recovery_active: tenant.self_recovery,
        request,
        can_request: activation::can_request(tenant, latest.as_ref()),
        checklist: if step == SetupStep::Summary {
            checklist(state, admin).await?
        } else {
            vec![]
        },
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct WizardQuery {
    step: Option<String>,
    asked: Option<String>,
}

/// The wizard at the step asked for, else where it was left.
pub async fn wizard(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
    query: Result<Query<WizardQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let tenant = &admin.tenant;
    if tenant.setup.finished() {
        return Ok(see_other(&paths::admin_home(tenant)));
    }
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let step = query
        .step
        .as_deref()
        .and_then(|s| SetupStep::parse(s).ok())
        .filter(|s| setup::may_open(tenant, *s))
        .unwrap_or(tenant.setup.step);
    let notice = query
        .asked
        .is_some()
        .then(|| text(&admin).get("wizard-recovery-asked"));
    let mut v = Values::of(tenant);
    if tenant.time_zone.is_utc()
        && let Some(zone) = timezone::reported(&headers)
    {
        // a suggestion: the zone of the administrator's own browser
        zone.name().clone_into(&mut v.time_zone);
    }
    page(
        &state,
        &headers,
        &admin,
        step,
        StatusCode::OK,
        v,
        FieldErrors::default(),
        notice,
    )
    .await
}

/// Every step's form; each sends its own fields.
#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    display_name: Option<String>,
    default_language: Option<String>,
    time_zone: Option<String>,
    signin_methods: Option<String>,
    second_factor: Option<String>,
    recovery_wait_hours: Option<String>,
    name: Option<String>,
    redirect_uris: Option<String>,
    kind: Option<String>,
    first_party: Option<String>,
    /// The application step without an application.
    skip: Option<String>,
}

csrf_field!(Binding::Session => StepForm);

/// The element of the wizard's page that shows the field of `field`.
fn field_id(field: &str) -> Option<&'static str> {
    Some(match field {
        "display_name" => "setup-name",
        "default_language" => "setup-language",
        "time_zone" => "setup-zone",
        "signin_methods" | "passwordless" => "setup-methods",
        "second_factor" => "setup-policy",
        "recovery_wait_hours" => "setup-wait",
        "name" => "app-name",
        "redirect_uris" => "app-redirects",
        "kind" | "grant_types" => "app-kind",
        _ => return None,
    })
}

/// Saves a step and goes on to the next, or shows what was wrong beside
/// its fields, the form keeping what was typed.
pub async fn save(
    State(state): State<AppState>,
    Path((_, step)): Path<(String, String)>,
    Client(meta): Client,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<StepForm>,
) -> Result<Response, WebError> {
    let tenant = &admin.tenant;
    let Ok(step) = SetupStep::parse(&step) else {
        return Ok(see_other(&paths::admin_setup(tenant, None)));
    };
    let cx = Context {
        admin: &admin.user,
        meta: &meta,
    };
    if step == SetupStep::Application && form.skip.is_none() {
        return register(&state, &headers, &admin, &form, &meta).await;
    }
    let input = SettingsInput {
        display_name: form.display_name.clone(),
        default_language: form.default_language.clone(),
        time_zone: form.time_zone.clone(),
        signin_methods: form.signin_methods.clone(),
        second_factor: form.second_factor.clone(),
        recovery_wait_hours: form.recovery_wait_hours.clone(),
        ..Default::default()
    };
    let saved = setup::save_step(
        state.db(),
        state.random(),
        state.clock(),
        tenant,
        step,
        &input,
        state.relying_party().is_some(),
        cx,
    )
    .await;
    match saved {
        Ok(t) => Ok(see_other(&paths::admin_setup(
            &t,
            Some(step.next().as_str()),
        ))),
        Err(err) => refused(&state, &headers, &admin, step, &form, err).await,
    }
}

/// The step again with what was wrong (422), beside the fields it is
/// about; other errors as errors.
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    step: SetupStep,
    form: &StepForm,
    err: Error,
) -> Result<Response, WebError> {
    let errors: Vec<FieldError> = match err {
        Error::Invalid(errors) => errors,
        // another administrator saved first: say so above the form
        Error::Conflict(e) => vec![e],
        other => return Err(other.into()),
    };
    let t = text(admin);
    let errors = FieldErrors::new(&t, &errors, field_id);
    let v = Values::typed(&admin.tenant, form);
    let shown = if setup::may_open(&admin.tenant, step) {
        step
    } else {
        admin.tenant.setup.step
    };
    page(
        state,
        headers,
        admin,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
        v,
        errors,
        None,
    )
    .await
}

/// The application step: registers the application by core's client
/// rules, moves the wizard on and shows the application's configuration
/// (its secret once).
async fn register(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    form: &StepForm,
    meta: &RequestMeta,
) -> Result<Response, WebError> {
    let tenant = &admin.tenant;
    let step = SetupStep::Application;
    if !setup::may_open(tenant, step) {
        let err = Error::said(
            "step",
            latchkey_core::platform::validate::Said::SetupStepNotYet,
        );
        return refused(state, headers, admin, step, form, err).await;
    }
    let kind = match AppKind::parse(form.kind.as_deref().unwrap_or_default()) {
        Ok(kind) => kind,
        Err(_) => {
            let err = Error::said("kind", latchkey_core::platform::validate::Said::ChooseOne);
            return refused(state, headers, admin, step, form, err).await;
        }
    };
    let input = kind.input(
        form.name.as_deref().unwrap_or_default(),
        lines(form.redirect_uris.as_deref().unwrap_or_default()),
        form.first_party.is_some(),
    );
    let created = client::create(
        state.db(),
        state.random(),
        state.clock(),
        state.secrets(),
        tenant,
        &input,
        &Actor::Admin(admin.user.id.clone()),
    )
    .await;
    let (app, secret) = match created {
        Ok(created) => created,
        Err(err) => return refused(state, headers, admin, step, form, err).await,
    };
    let cx = Context {
        admin: &admin.user,
        meta,
    };
    let moved = setup::save_step(
        state.db(),
        state.random(),
        state.clock(),
        tenant,
        step,
        &SettingsInput::default(),
        state.relying_party().is_some(),
        cx,
    )
    .await?;
    let t = text(admin);
    Ok(created_page(
        state,
        admin,
        &app,
        secret.as_ref().map(|s| s.expose()),
        (
            t.get("wizard-app-created"),
            t.get("admin-created-secret-note"),
            paths::admin_setup(&moved, Some(SetupStep::Summary.as_str())),
            t.get("wizard-go-on"),
        ),
    ))
}

/// "Finish later": to the console, which shows what is still open.
pub async fn later(
    State(state): State<AppState>,
    Client(meta): Client,
    AdminForm { admin, .. }: AdminForm<Button>,
) -> Result<Response, WebError> {
    let cx = Context {
        admin: &admin.user,
        meta: &meta,
    };
    setup::postpone(state.db(), state.random(), state.clock(), &admin.tenant, cx).await?;
    Ok(see_other(&paths::admin_home(&admin.tenant)))
}

/// Back to the wizard where it was left (the upgrade banner starts it).
pub async fn resume(
    State(state): State<AppState>,
    Client(meta): Client,
    AdminForm { admin, .. }: AdminForm<Button>,
) -> Result<Response, WebError> {
    let cx = Context {
        admin: &admin.user,
        meta: &meta,
    };
    let t = setup::resume(state.db(), state.random(), state.clock(), &admin.tenant, cx).await?;
    Ok(see_other(&paths::admin_setup(&t, None)))
}

/// Finishes the set-up (a legacy tenant's with the upgrade).
pub async fn finish(
    State(state): State<AppState>,
    Client(meta): Client,
    AdminForm { admin, .. }: AdminForm<Button>,
) -> Result<Response, WebError> {
    let cx = Context {
        admin: &admin.user,
        meta: &meta,
    };
    let upgraded = setup::upgrade_offered(&admin.tenant);
    let t = setup::finish(state.db(), state.random(), state.clock(), &admin.tenant, cx).await?;
    Ok(see_other(&paths::admin_done(
        &t,
        if upgraded {
            "upgraded"
        } else {
            "setup-finished"
        },
    )))
}
