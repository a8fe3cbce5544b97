//! The account page: who is signed in, their factors, how ready they are
//! for losing one, the applications they allowed, and (for administrators)
//! the state of self-recovery.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::accounts::session::AuthMethod;
use latchkey_core::recovery::case::{FactorKind, RequestStatus};
use latchkey_core::store::{OidcStore, PasskeyStore, RecoveryCodeStore, RecoveryStore, TotpStore};
use serde::Deserialize;

use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Enrolled, SignedIn};
use crate::app::respond::utc;
use crate::i18n::{self, AccountText, OidcText};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    t: &'static AccountText,
    notice: Option<&'a str>,
    /// When the authenticator app was set up, if it is.
    totp_since: Option<String>,
    passkeys: Vec<PasskeyRow>,
    /// The server can offer passkeys (see `AppState::relying_party`).
    passkeys_available: bool,
    /// The user has a second factor (app or passkey), so recovery codes count.
    has_factor: bool,
    /// How ready the user is for the day they lose a factor: (done, advice).
    readiness: Vec<(bool, &'static str)>,
    /// For tenant admins: self-recovery's state and their latest request.
    admin: Option<AdminView>,
    /// Second factors the user had, newest first: (what, name, removed, by).
    history: Vec<(&'static str, String, String, &'static str)>,
    recovery_codes: i64,
    /// Applications the user allowed: (client row id, name, since).
    apps: Vec<(String, String, String)>,
    apps_text: &'static OidcText,
    /// "Administration", for the console link administrators see.
    admin_title: &'static str,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    display_name: &'a str,
    username: &'a str,
    email: &'a str,
    email_verified: bool,
    signed_in_at: String,
    /// How this session was earned, e.g. "password, authenticator app".
    signed_in_with: String,
    expires_at: String,
    idle_minutes: i64,
    csrf: String,
}

/// What a tenant admin sees about self-recovery.
struct AdminView {
    active: bool,
    /// (status, when, the operator's reason).
    request: Option<(String, String, Option<String>)>,
    /// A new request can be made.
    can_request: bool,
}

/// A passkey as the account page lists it.
struct PasskeyRow {
    id: String,
    name: String,
    added: String,
    last_used: Option<String>,
    /// "synced passkey" or "not synced".
    kind: &'static str,
    /// Marked as a suspected copy: the warning to show.
    suspected_copy: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    sent: Option<String>,
    password: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    Enrolled(me): Enrolled,
    query: Result<Query<AccountQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let SignedIn {
        tenant,
        session,
        user,
        lang,
    } = &me;
    let t = i18n::account(*lang);
    let notice = if query.password.is_some() {
        Some(t.password_changed)
    } else {
        query.sent.is_some().then_some(t.link_sent)
    };
    let db = state.db();
    let totp_since = db.totp_for_user(&user.id).await?.map(|c| utc(c.created_at));
    let recovery_codes = db.unused_recovery_codes(&user.id).await?;
    let passkeys: Vec<PasskeyRow> = db
        .passkeys_for_user(&user.id)
        .await?
        .into_iter()
        .map(|p| PasskeyRow {
            kind: if p.backup_eligible {
                t.synced
            } else {
                t.not_synced
            },
            suspected_copy: (!p.signs_in()).then_some(t.suspected_copy),
            id: p.id,
            name: p.name,
            added: utc(p.created_at),
            last_used: p.last_used_at.map(utc),
        })
        .collect();
    let factors = usize::from(totp_since.is_some()) + passkeys.len();
    let readiness = vec![
        (user.email_verified, t.ready_email),
        (recovery_codes > 0, t.ready_codes),
        (factors > 1, t.ready_factors),
    ];
    let (cookie, token) = csrf::issue(&state, &headers, tenant, &session.id_hash);
    let page = AccountPage {
        apps: applications(&state, &me).await?,
        apps_text: i18n::oidc(*lang),
        admin_title: i18n::admin(*lang).title,
        t,
        notice,
        admin: admin_view(&state, &me).await?,
        readiness,
        history: history(&state, &me, t).await?,
        has_factor: factors > 0,
        totp_since,
        passkeys,
        passkeys_available: state.relying_party().is_some(),
        recovery_codes,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        display_name: &user.display_name,
        username: &user.username,
        email: &user.email,
        email_verified: user.email_verified,
        signed_in_at: utc(session.auth_time),
        signed_in_with: signed_in_with(t, &session.methods),
        expires_at: utc(session.expires_at),
        idle_minutes: state.config().session.idle_secs / 60,
        csrf: token,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

/// Second factors the user had, newest first (the last ten).
async fn history(
    state: &AppState,
    me: &SignedIn,
    t: &'static AccountText,
) -> Result<Vec<(&'static str, String, String, &'static str)>, WebError> {
    Ok(state
        .db()
        .factor_history(&me.user.id)
        .await?
        .into_iter()
        .take(10)
        .map(|h| {
            (
                match h.kind {
                    FactorKind::Totp => t.kind_app,
                    FactorKind::Passkey => t.kind_passkey,
                    FactorKind::RecoveryCodes => t.kind_codes,
                },
                h.name,
                utc(h.removed_at),
                if h.removed_by.starts_with("helpdesk:") {
                    t.by_admin
                } else {
                    t.by_recovery
                },
            )
        })
        .collect())
}

/// Self-recovery as a tenant administrator sees it; `None` for others.
async fn admin_view(state: &AppState, me: &SignedIn) -> Result<Option<AdminView>, WebError> {
    if !me.user.is_admin() {
        return Ok(None);
    }
    let latest = state.db().latest_activation_request(&me.tenant.id).await?;
    Ok(Some(AdminView {
        active: me.tenant.self_recovery,
        can_request: !me.tenant.self_recovery
            && latest
                .as_ref()
                .is_none_or(|r| r.status != RequestStatus::Pending),
        request: latest.map(|r| {
            (
                r.status.as_str().to_owned(),
                utc(r.decided_at.unwrap_or(r.created_at)),
                r.decision_reason,
            )
        }),
    }))
}

/// The applications the user allowed: (client row id, name, since).
async fn applications(
    state: &AppState,
    me: &SignedIn,
) -> Result<Vec<(String, String, String)>, WebError> {
    Ok(OidcStore::consents_for_user(state.db(), &me.user.id)
        .await?
        .into_iter()
        .map(|c| (c.client_id, c.client_name, utc(c.granted_at)))
        .collect())
}

/// How the session was earned, e.g. "password, authenticator app".
fn signed_in_with(t: &AccountText, methods: &[AuthMethod]) -> String {
    methods
        .iter()
        .map(|m| match m {
            AuthMethod::Password => t.m_password,
            AuthMethod::Otp => t.m_otp,
            AuthMethod::HardwareKey => t.m_hwk,
            AuthMethod::SoftwareKey => t.m_swk,
            AuthMethod::KeyPossession => t.m_pop,
            AuthMethod::RecoveryCode => t.m_rc,
            AuthMethod::Recovery => t.m_recovery,
        })
        .collect::<Vec<_>>()
        .join(", ")
}
