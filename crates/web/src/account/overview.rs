//! The account page: who is signed in, their factors, how ready they are
//! for losing one, the applications they allowed, and (for administrators)
//! the state of self-recovery.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::accounts::session::AuthMethod;
use latchkey_core::factors::recovery_codes;
use latchkey_core::oidc::connections;
use latchkey_core::platform::ids::{ClientRowId, PasskeyId};
use latchkey_core::recovery::activation::RequestStatus;
use latchkey_core::recovery::case::{FactorKind, RemovedBy};
use latchkey_core::store::{PasskeyStore, RecoveryCodeStore, RecoveryStore, TotpStore};
use serde::Deserialize;

use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::{Enrolled, SignedIn};
use crate::app::timezone::PageZone;
use crate::i18n::{self, Markup, Texts};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    t: Texts,
    /// "Hello, Alice".
    hello: String,
    /// "You are signed in as <strong>alice</strong>." (HTML).
    signed_in_as: String,
    notice: Option<String>,
    /// "On since …", when the authenticator app is set up.
    totp_since: Option<String>,
    passkeys: Vec<PasskeyRow>,
    /// The server can offer passkeys (see `AppState::relying_party`).
    passkeys_available: bool,
    /// The user has a second factor (app or passkey), so recovery codes count.
    has_factor: bool,
    recovery_codes: i64,
    /// "7 unused".
    codes_unused: String,
    /// How ready the user is for the day they lose a factor: (done, advice).
    readiness: Vec<(bool, String)>,
    /// For tenant admins: self-recovery's state and their latest request.
    admin: Option<AdminView>,
    /// Second factors the user had, newest first: (what, name, "removed … by …").
    history: Vec<(String, String, String)>,
    /// Recent security events: (what, when, from where or who).
    activity: Vec<(String, String, Option<String>)>,
    /// Applications connected to the user (consent or live grant).
    apps: Vec<AppRow>,
    /// "You have 9 recovery codes left.", when a used code's offer of a
    /// new set waits for an answer.
    code_offer: Option<String>,
    /// Where the offer's "Later" leads: back here.
    later_to: String,
    apps_text: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    email: &'a str,
    email_verified: bool,
    /// An open change of address: "A link was sent to … (until …)".
    email_change: Option<String>,
    /// When and how this session was earned (HTML).
    signed_in: String,
    /// When it ends at the latest, and after how long idle.
    session_ends: String,
    csrf: String,
}

/// What a tenant admin sees about self-recovery.
struct AdminView {
    active: bool,
    /// (status, when, the operator's reason).
    request: Option<(String, String, Option<String>)>,
    /// A new request can be made.
    can_request: bool,
    /// The organisation's set-up is not finished: a way to it.
    setup_open: bool,
}

/// An application as the account page lists it.
struct AppRow {
    id: ClientRowId,
    name: String,
    /// "your organisation's application", "allowed on …", "last used …".
    facts: Vec<String>,
}

/// A passkey as the account page lists it.
struct PasskeyRow {
    id: PasskeyId,
    name: String,
    /// "added …".
    added: String,
    /// "last used …".
    last_used: Option<String>,
    /// "synced passkey" or "not synced".
    kind: String,
    /// Marked as a suspected copy: the warning to show.
    suspected_copy: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    sent: Option<String>,
    password: Option<String>,
    /// A factor was just set up (`app`, `passkey`).
    done: Option<String>,
    /// A change of address was asked for (`sent`) or cancelled.
    email: Option<String>,
    /// An application's access was removed (`removed`) or was gone already.
    app: Option<String>,
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
    let t = i18n::texts(*lang);
    let zone = PageZone::of(&headers, tenant);
    let notice = if query.password.is_some() {
        Some(t.get("account-password-changed"))
    } else if let Some(email) = query.email.as_deref() {
        Some(t.get(if email == "cancelled" {
            "account-email-change-cancelled"
        } else {
            "account-email-change-sent"
        }))
    } else if let Some(app) = query.app.as_deref() {
        Some(t.get(if app == "removed" {
            "oidc-apps-removed"
        } else {
            "oidc-apps-gone"
        }))
    } else if query.sent.is_some() {
        Some(t.get("account-link-sent"))
    } else {
        t.factor_added(query.done.as_deref())
    };
    let email_change = latchkey_core::accounts::email_change::open(&state.env(), user)
        .await?
        .map(|c| {
            t.with(
                "account-email-change-open",
                &[
                    ("email", c.new_email.as_str().into()),
                    ("until", zone.at(c.expires_at).into()),
                ],
            )
        });
    let db = state.db();
    let totp_since = db.totp_for_user(&user.id).await?.map(|c| {
        t.with(
            "account-on-since",
            &[("since", zone.at(c.created_at).into())],
        )
    });
    let recovery_codes = db.unused_recovery_codes(&user.id).await?;
    let passkeys: Vec<PasskeyRow> = db
        .passkeys_for_user(&user.id)
        .await?
        .into_iter()
        .map(|p| PasskeyRow {
            kind: t.get(if p.backup_eligible {
                "account-synced"
            } else {
                "account-not-synced"
            }),
            suspected_copy: (!p.signs_in()).then(|| t.get("account-suspected-copy")),
            id: p.id,
            name: p.name,
            added: t.with("account-added", &[("when", zone.at(p.created_at).into())]),
            last_used: p
                .last_used_at
                .map(|at| t.with("account-last-used", &[("when", zone.at(at).into())])),
        })
        .collect();
    let factors = usize::from(totp_since.is_some()) + passkeys.len();
    let ready = latchkey_core::factors::enrolment::readiness(db, user).await?;
    let readiness = vec![
        (ready.email_verified, t.get("account-ready-email")),
        (ready.recovery_codes, t.get("account-ready-codes")),
        (ready.spare_factor, t.get("account-ready-factors")),
    ];
    let username = Markup::Element {
        tag: "strong",
        class: Some("username"),
        text: &user.username,
    };
    let methods = Markup::Element {
        tag: "span",
        class: Some("methods"),
        text: &signed_in_with(t, &session.methods),
    };
    let idle_minutes = state.config().session.idle_secs / 60;
    let (cookie, token) = csrf::issue(&state, &headers, tenant, session.id_hash.as_str());
    let page = AccountPage {
        hello: t.with(
            "account-hello",
            &[("name", user.display_name.as_str().into())],
        ),
        signed_in_as: t.html("account-signed-in-as", &[("username", username)]),
        apps: applications(&state, &me, t, &zone).await?,
        code_offer: recovery_codes::offer(db, user)
            .await?
            .map(|o| t.codes_left(o.remaining)),
        later_to: crate::app::paths::account(tenant),
        apps_text: t,
        notice,
        admin: admin_view(&state, &me, t, &zone).await?,
        readiness,
        history: history(&state, &me, t, &zone).await?,
        activity: activity(&state, &me, t, &zone).await?,
        has_factor: factors > 0,
        totp_since,
        passkeys,
        passkeys_available: state.relying_party().is_some(),
        codes_unused: t.count("account-unused", recovery_codes),
        recovery_codes,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        email: &user.email,
        email_verified: user.email_verified,
        email_change,
        signed_in: t.html(
            "account-signed-in-with",
            &[
                ("at", Markup::Text(&zone.at(session.auth_time))),
                ("methods", methods),
            ],
        ),
        session_ends: t.with(
            "account-session-ends-at",
            &[
                ("at", zone.at(session.expires_at).into()),
                ("minutes", idle_minutes.into()),
            ],
        ),
        csrf: token,
        t,
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}

/// Second factors the user had, newest first (the last ten).
async fn history(
    state: &AppState,
    me: &SignedIn,
    t: Texts,
    zone: &PageZone,
) -> Result<Vec<(String, String, String)>, WebError> {
    Ok(state
        .db()
        .factor_history(&me.user.id)
        .await?
        .into_iter()
        .take(10)
        .map(|h| {
            (
                match h.kind {
                    FactorKind::Totp => t.get("account-kind-app"),
                    FactorKind::Passkey => t.get("account-kind-passkey"),
                    FactorKind::RecoveryCodes => t.get("account-kind-codes"),
                },
                h.name,
                t.with(
                    "account-removed",
                    &[
                        ("when", zone.at(h.removed_at).into()),
                        (
                            "by",
                            t.get(match h.removed_by {
                                RemovedBy::Helpdesk(_) => "account-by-admin",
                                RemovedBy::Recovery(_) => "account-by-recovery",
                            })
                            .into(),
                        ),
                    ],
                ),
            )
        })
        .collect())
}

/// The recent security events, in the person's words.
async fn activity(
    state: &AppState,
    me: &SignedIn,
    t: Texts,
    zone: &PageZone,
) -> Result<Vec<(String, String, Option<String>)>, WebError> {
    Ok(
        latchkey_core::accounts::activity::recent(state.db(), &me.user)
            .await?
            .into_iter()
            .map(|a| {
                let what = t.get(&a.kind.key("activity"));
                let from = if a.by_admin {
                    Some(t.get("activity-by-admin"))
                } else {
                    match (a.device.map(|d| t.device(d)), a.address) {
                        (Some(device), Some(address)) => Some(t.with(
                            "activity-from",
                            &[("device", device.into()), ("address", address.into())],
                        )),
                        (Some(device), None) => Some(device),
                        (None, Some(address)) => Some(address),
                        (None, None) => None,
                    }
                };
                (what, zone.at(a.at), from)
            })
            .collect(),
    )
}

/// Self-recovery as a tenant administrator sees it; `None` for others.
async fn admin_view(
    state: &AppState,
    me: &SignedIn,
    t: Texts,
    zone: &PageZone,
) -> Result<Option<AdminView>, WebError> {
    if !me.user.is_admin() {
        return Ok(None);
    }
    let latest = state.db().latest_activation_request(&me.tenant.id).await?;
    let waits_for_upgrade =
        latchkey_core::recovery::activation::waits_for_upgrade(&me.tenant, latest.as_ref());
    Ok(Some(AdminView {
        active: me.tenant.self_recovery,
        can_request: latchkey_core::recovery::activation::can_request(&me.tenant, latest.as_ref()),
        setup_open: !me.tenant.setup.finished(),
        request: latest.map(|r| {
            (
                t.get(match r.status {
                    RequestStatus::Pending if waits_for_upgrade => {
                        "account-request-waiting-upgrade"
                    }
                    RequestStatus::Pending => "account-request-pending",
                    RequestStatus::Approved => "account-request-approved",
                    RequestStatus::Declined => "account-request-declined",
                }),
                zone.at(r.decided_at.unwrap_or(r.created_at)),
                r.decision_reason,
            )
        }),
    }))
}

/// The applications connected to the user, as the page lists them.
async fn applications(
    state: &AppState,
    me: &SignedIn,
    t: Texts,
    zone: &PageZone,
) -> Result<Vec<AppRow>, WebError> {
    Ok(
        connections::connected(state.db(), &me.user, state.clock().now())
            .await?
            .into_iter()
            .map(|c| {
                let mut facts = vec![];
                if c.first_party {
                    facts.push(t.get("oidc-apps-own"));
                }
                if let Some(at) = c.consented_at {
                    facts.push(t.with1("oidc-apps-allowed", "when", &zone.at(at)));
                }
                if let Some(at) = c.last_used_at {
                    facts.push(t.with1("oidc-apps-last-used", "when", &zone.at(at)));
                }
                AppRow {
                    id: c.client_id,
                    name: c.client_name,
                    facts,
                }
            })
            .collect(),
    )
}

/// How the session was earned, e.g. "password, authenticator app".
fn signed_in_with(t: Texts, methods: &[AuthMethod]) -> String {
    methods
        .iter()
        .map(|m| match m {
            AuthMethod::Password => t.get("account-m-password"),
            AuthMethod::Otp => t.get("account-m-otp"),
            AuthMethod::HardwareKey => t.get("account-m-hwk"),
            AuthMethod::SoftwareKey => t.get("account-m-swk"),
            AuthMethod::KeyPossession => t.get("account-m-pop"),
            AuthMethod::RecoveryCode => t.get("account-m-rc"),
            AuthMethod::Recovery => t.get("account-m-recovery"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use latchkey_core::effects::audit::AuditKind;

    /// Every event the account page shows has its words in every language.
    #[test]
    fn every_shown_event_is_said_in_every_language() {
        let mut shown = 0;
        for kind in AuditKind::ALL {
            if !latchkey_core::accounts::activity::shown(*kind) {
                continue;
            }
            shown += 1;
            let key = kind.key("activity");
            for lang in latchkey_core::platform::lang::Language::ALL {
                assert!(
                    latchkey_i18n::catalogue().has(lang.as_str(), &key),
                    "{key} in {lang}"
                );
            }
        }
        assert!(shown >= 19);
    }
}
