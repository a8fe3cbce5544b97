//! People: a person's page (the list of people is `people_list`) — their
//! factors, sessions and recent events; disable or enable, their role, and the helpdesk reset (a reason, then a confirmation that
//! names them and what goes). Core decides (`factors::directory`,
//! `accounts::user`, `recovery::journey::helpdesk_*`); this parses and draws.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::invitation;
use latchkey_core::accounts::user::{self, UserStatus};
use latchkey_core::effects::audit::{Actor, AuditEvent};
use latchkey_core::factors::directory::{self, Holdings, PersonView};
use latchkey_core::factors::enrolment::{Missing, Readiness};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::UserId;
use latchkey_core::platform::validate::{FieldError, Said};
use latchkey_core::recovery::journey::{helpdesk_preview, helpdesk_reset};
use latchkey_core::recovery::password_reset;
use serde::Deserialize;

use super::csrf_for;
use super::{AdminForm, Administrator, text, unless_recent};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, SignedIn};
use crate::app::form::FormError;
use crate::app::respond::see_other;
use crate::app::timezone::PageZone;
use crate::i18n::Texts;

/// What a person holds, in words: "authenticator app, 2 passkeys".
pub(super) fn factors_text(t: &Texts, app: bool, passkeys: i64) -> String {
    let mut parts = vec![];
    if app {
        parts.push(t.get("people-factor-app"));
    }
    if passkeys > 0 {
        parts.push(t.count("people-factor-passkeys", passkeys));
    }
    if parts.is_empty() {
        t.get("people-factor-none")
    } else {
        parts.join(", ")
    }
}

/// Ready, or what is missing (core's `Readiness::missing`): "missing: a
/// verified address, recovery codes or a spare factor".
pub(super) fn readiness_text(t: &Texts, r: &Readiness) -> String {
    let missing = r.missing();
    if missing.is_empty() {
        return t.get("people-ready");
    }
    let words: Vec<String> = missing
        .iter()
        .filter_map(|m| match m {
            Missing::VerifiedAddress => Some(t.get("people-missing-address")),
            // either would do: one phrase says both
            Missing::RecoveryCodes => Some(t.get("people-missing-spare")),
            Missing::SpareFactor => None,
        })
        .collect();
    t.with("people-not-ready", &[("missing", words.join(", ").into())])
}

pub(super) fn when(t: &Texts, zone: &PageZone, at: Option<UnixTime>) -> String {
    at.map(|at| zone.at(at))
        .unwrap_or_else(|| t.get("people-never"))
}

pub(super) fn state_text(t: &Texts, status: UserStatus) -> String {
    t.get(match status {
        UserStatus::Active => "admin-status-active",
        UserStatus::Disabled => "admin-status-disabled",
    })
}

/// An event on a person's page.
struct EventRow {
    at: String,
    event: String,
    actor: String,
}

fn event_row(zone: &PageZone, e: AuditEvent) -> EventRow {
    EventRow {
        at: zone.at(e.at),
        event: e.event,
        actor: e.actor.to_string(),
    }
}

/// A passkey on a person's page.
struct KeyRow {
    name: String,
    added: String,
    used: String,
}

#[derive(Template)]
#[template(path = "admin_person.html")]
struct PersonPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    notice: Option<String>,
    error: Option<FormError>,
    id: String,
    username: String,
    display_name: String,
    email: String,
    email_verified: bool,
    admin: bool,
    active: bool,
    state: String,
    /// The page is the administrator's own: no role or state change.
    yourself: bool,
    created: String,
    last_sign_in: String,
    sessions: i64,
    last_active: String,
    app: Option<String>,
    passkeys: Vec<KeyRow>,
    codes: i64,
    ready: bool,
    readiness: String,
    nothing_to_reset: bool,
    reason: String,
    events: Vec<EventRow>,
    /// Their open invitation, if any (decision 0029).
    invitation: Option<InvitationRow>,
    /// Why no password reset link can be sent them, if it cannot.
    no_reset_link: Option<String>,
}

/// An open invitation on a person's page.
struct InvitationRow {
    sent: String,
    until: String,
    expired: bool,
}

/// A person's page (`status` 200, or 422 with what was wrong with a form).
async fn person_page(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    user_id: &UserId,
    status: StatusCode,
    notice: Option<String>,
    refusal: Option<(Vec<FieldError>, String)>,
) -> Result<Response, WebError> {
    let t = text(admin);
    let zone = PageZone::of(headers, &admin.tenant);
    let now = state.clock().now();
    let view: PersonView = directory::person(state.db(), &admin.tenant, user_id, now).await?;
    let (cookie, token) = csrf_for(state, headers, admin);
    let (error, reason) = match refusal {
        Some((errors, reason)) => {
            let fields = errors
                .iter()
                .filter_map(|e| match e.field.as_str() {
                    // "person": nothing to remove, about no field
                    "reason" => Some("reason".to_owned()),
                    "role" => Some("role".to_owned()),
                    _ => None,
                })
                .collect();
            let text = t.say_all(&errors);
            (Some(FormError { text, fields }), reason)
        }
        None => (None, String::new()),
    };
    let held = view.holdings();
    let u = &view.user;
    let invitation = invitation::pending(&state.env(), &admin.tenant, u)
        .await?
        .map(|i| InvitationRow {
            sent: zone.at(i.created_at),
            until: zone.at(i.expires_at),
            expired: i.expires_at <= now,
        });
    let page = PersonPage {
        t,
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        csrf: token,
        notice,
        error,
        id: u.id.to_string(),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        email: u.email.clone(),
        email_verified: u.email_verified,
        admin: u.is_admin(),
        active: u.is_active(),
        state: state_text(&t, u.status),
        yourself: u.id == admin.user.id,
        created: zone.at(u.created_at),
        last_sign_in: when(&t, &zone, view.activity.last_sign_in_at),
        sessions: view.activity.sessions,
        last_active: when(&t, &zone, view.activity.last_active_at),
        app: view.authenticator_app.map(|at| zone.at(at)),
        passkeys: view
            .passkeys
            .iter()
            .map(|k| KeyRow {
                name: k.name.clone(),
                added: zone.at(k.created_at),
                used: when(&t, &zone, k.last_used_at),
            })
            .collect(),
        codes: view.unused_recovery_codes,
        ready: view.readiness.ready(),
        readiness: readiness_text(&t, &view.readiness),
        nothing_to_reset: held.nothing_to_reset(),
        reason,
        events: view
            .events
            .into_iter()
            .map(|e| event_row(&zone, e))
            .collect(),
        invitation,
        no_reset_link: match password_reset::sendable(&admin.tenant, u) {
            Err(Error::Invalid(errors)) => {
                Some(match errors.first().and_then(|e| e.said.as_ref()) {
                    Some(Said::ResetLinkDisabled) => t.get("reset-link-not-active"),
                    Some(Said::ResetLinkUnverified) => t.get("reset-link-not-verified"),
                    _ => t.say_first(&errors),
                })
            }
            _ => None,
        },
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct PersonParams {
    done: Option<String>,
}

pub async fn person(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, UserId)>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
    query: Result<Query<PersonParams>, QueryRejection>,
) -> Result<Response, WebError> {
    let t = text(&admin);
    let notice = match query.ok().and_then(|Query(q)| q.done).as_deref() {
        Some("reset") => Some(t.get("admin-reset-done")),
        Some("disabled") => Some(t.get("people-done-disabled")),
        Some("enabled") => Some(t.get("people-done-enabled")),
        Some("role") => Some(t.get("people-done-role")),
        Some("signed-out") => Some(t.get("people-done-signed-out")),
        Some("reset-link-sent") => Some(t.get("reset-link-done")),
        Some("invited") => Some(t.get("invite-done")),
        Some("invitation-sent") => Some(t.get("invite-done-again")),
        Some("invitation-withdrawn") => Some(t.get("invite-done-withdrawn")),
        Some("invitation-too-soon") => Some(t.get("invite-too-soon")),
        Some("invitation-gone") => Some(t.get("invite-gone")),
        _ => None,
    };
    person_page(
        &state,
        &headers,
        &admin,
        &user_id,
        StatusCode::OK,
        notice,
        None,
    )
    .await
}

/// "Sign out everywhere": every browser and application of the person
/// (ASVS 7.4.5), behind the administrator's recent sign-in.
pub async fn sign_out(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, UserId)>,
    Client(meta): Client,
    headers: HeaderMap,
    AdminForm { admin, .. }: AdminForm<crate::app::extract::Button>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, &back(&user_id)) {
        return Ok(away);
    }
    let view = directory::person(state.db(), &admin.tenant, &user_id, state.clock().now()).await?;
    match user::sign_out(
        state.db(),
        state.random(),
        state.clock(),
        &admin.tenant,
        &view.user,
        &Actor::Admin(admin.user.id.clone()),
        &meta,
    )
    .await
    {
        Ok(()) => Ok(to_person(&admin, &user_id, "signed-out")),
        Err(err) => refused(&state, &headers, &admin, &user_id, err, "").await,
    }
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    /// "yes" on the confirmation; absent on the person's page.
    #[serde(default)]
    confirm: String,
}

csrf_field!(Binding::Session => StatusForm, RoleForm, ResetForm);

/// Where an administrator whose sign-in is too old confirms it and comes
/// back to: the person's page.
pub(super) fn back(user_id: &UserId) -> String {
    format!("admin/people/{user_id}")
}

pub(super) fn to_person(admin: &SignedIn, user_id: &UserId, done: &str) -> Response {
    see_other(&format!(
        "/t/{}/admin/people/{user_id}?done={done}",
        admin.tenant.slug
    ))
}

/// The person's page again with what was wrong (422), or the error.
pub(super) async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    user_id: &UserId,
    err: Error,
    reason: &str,
) -> Result<Response, WebError> {
    let Error::Invalid(errors) = err else {
        return Err(err.into());
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let refusal = Some((errors, reason.to_owned()));
    person_page(state, headers, admin, user_id, status, None, refusal).await
}

/// Disables the account (every session ends) or enables it again.
pub async fn set_status(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, UserId)>,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<StatusForm>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, &back(&user_id)) {
        return Ok(away);
    }
    let view = directory::person(state.db(), &admin.tenant, &user_id, state.clock().now()).await?;
    let result = match UserStatus::parse(&form.status) {
        Ok(status) => user::set_status(
            state.db(),
            state.random(),
            state.clock(),
            &admin.tenant,
            &view.user,
            status,
            &Actor::Admin(admin.user.id.clone()),
        )
        .await
        .map(|()| status),
        Err(e) => Err(Error::Invalid(vec![e])),
    };
    match result {
        Ok(UserStatus::Disabled) => Ok(to_person(&admin, &user_id, "disabled")),
        Ok(UserStatus::Active) => Ok(to_person(&admin, &user_id, "enabled")),
        Err(err) => refused(&state, &headers, &admin, &user_id, err, "").await,
    }
}

/// Makes the person a member or an administrator.
pub async fn set_role(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, UserId)>,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<RoleForm>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, &back(&user_id)) {
        return Ok(away);
    }
    let view = directory::person(state.db(), &admin.tenant, &user_id, state.clock().now()).await?;
    let result = user::set_role(
        state.db(),
        state.random(),
        state.clock(),
        &admin.tenant,
        &view.user,
        &form.role,
        &Actor::Admin(admin.user.id.clone()),
    )
    .await;
    match result {
        Ok(_) => Ok(to_person(&admin, &user_id, "role")),
        Err(err) => refused(&state, &headers, &admin, &user_id, err, "").await,
    }
}

#[derive(Template)]
#[template(path = "admin_person_reset.html")]
struct ConfirmPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    id: String,
    heading: String,
    display_name: String,
    held: Holdings,
    passkeys: i64,
    reason: String,
}

/// The helpdesk reset, in two steps: the reason (checked, and refused when
/// the person holds nothing to remove) leads to a confirmation naming the
/// person and what will go; confirmed, every second factor goes, their
/// sessions end and they are told by mail. Needs a recent sign-in.
pub async fn reset(
    State(state): State<AppState>,
    Path((_, user_id)): Path<(String, UserId)>,
    Client(meta): Client,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<ResetForm>,
) -> Result<Response, WebError> {
    if let Some(away) = unless_recent(&state, &admin, &back(&user_id)) {
        return Ok(away);
    }
    let view = directory::person(state.db(), &admin.tenant, &user_id, state.clock().now()).await?;
    let person = &view.user;
    if form.confirm == "yes" {
        let done = helpdesk_reset(
            &state.env(),
            &admin.tenant,
            person,
            &Actor::Admin(admin.user.id.clone()),
            &form.reason,
            &meta,
        )
        .await;
        return match done {
            Ok(()) => Ok(to_person(&admin, &user_id, "reset")),
            Err(err) => refused(&state, &headers, &admin, &user_id, err, &form.reason).await,
        };
    }
    let now = state.clock().now();
    match helpdesk_preview(state.db(), person, &form.reason, now).await {
        Ok((held, reason)) => {
            let (cookie, token) = csrf_for(&state, &headers, &admin);
            let t = text(&admin);
            let heading = t.with(
                "people-confirm-heading",
                &[
                    ("name", person.display_name.as_str().into()),
                    ("username", person.username.as_str().into()),
                ],
            );
            let page = ConfirmPage {
                t,
                heading,
                passkeys: i64::try_from(held.passkeys).unwrap_or(i64::MAX),
                tenant_name: &admin.tenant.display_name,
                tenant_slug: admin.tenant.slug.as_str(),
                csrf: token,
                id: person.id.to_string(),
                display_name: person.display_name.clone(),
                held,
                reason,
            };
            Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
        }
        Err(err) => refused(&state, &headers, &admin, &user_id, err, &form.reason).await,
    }
}
