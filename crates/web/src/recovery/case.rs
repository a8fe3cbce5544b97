//! The browser's case: proofs, the wait, completion, and stopping it.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::accounts::password::Password;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::time::{HOUR, MINUTE};
use latchkey_core::recovery::case::CaseState;
use latchkey_core::recovery::journey::{self, ProofInput, View};
use latchkey_core::tenants::SecondFactorPolicy;
use serde::Deserialize;

use super::text;
use crate::AppState;
use crate::app::browser;
use crate::app::cookies::{self, Names};
use crate::app::csrf::{self, Binding};
use crate::app::error::{WebError, html};
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, CsrfForm, Lang, RecoveryBrowser};
use crate::app::form::{FormError, outcome_on};
use crate::app::paths;
use crate::app::respond::{safe_return_to, see_other};
use crate::app::timezone::PageZone;
use crate::i18n::{self, Markup, Texts};

#[derive(Template)]
#[template(path = "recover_case.html")]
struct CasePage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    view: View,
    csrf: String,
    error: Option<FormError>,
    /// A message about the last step that went well ("a new code is on its
    /// way").
    notice: Option<String>,
    /// The person's time zone, as the browser reported it, else the
    /// organisation's, else UTC.
    zone: PageZone,
    now: UnixTime,
}

impl CasePage<'_> {
    /// "Proven. … completes on <strong>{when}</strong> ({zone}), in 23
    /// hours, …" (HTML), on the person's clock.
    fn waiting(&self, at: &UnixTime) -> String {
        let when = self.zone.local(*at);
        let strong = Markup::Element {
            tag: "strong",
            class: None,
            text: &when,
        };
        let zone = self.zone.label(&self.t, self.tenant_name);
        let relative = self.relative(*at);
        self.t.html(
            "journey-waiting",
            &[
                ("when", strong),
                ("zone", Markup::Text(&zone)),
                ("relative", Markup::Text(&relative)),
            ],
        )
    }

    /// "in 23 hours", "in 5 minutes" (rounded up: never sooner than said).
    fn relative(&self, at: UnixTime) -> String {
        let secs = (at.0 - self.now.0).max(0);
        if secs >= 2 * HOUR {
            let hours = (secs + HOUR - 1) / HOUR;
            self.t.with("journey-in-hours", &[("n", hours.into())])
        } else {
            let minutes = ((secs + MINUTE - 1) / MINUTE).max(1);
            self.t.with("journey-in-minutes", &[("n", minutes.into())])
        }
    }

    fn ended(&self, state: &CaseState) -> String {
        match state {
            CaseState::Completed => self.t.get("recovery-ended-completed"),
            CaseState::Cancelled => self.t.get("recovery-ended-cancelled"),
            CaseState::Expired => self.t.get("recovery-ended-expired"),
            CaseState::Locked => self.t.get("recovery-ended-locked"),
            _ => self.t.get("recovery-ended-other"),
        }
    }
}

/// The case as it stands now, with `failure` from the last form (about
/// the field with id `field`); a browser whose case is gone starts at the
/// start.
pub(super) async fn case_page(
    state: &AppState,
    headers: &HeaderMap,
    case: &RecoveryBrowser,
    lang: Lang,
    meta: &RequestMeta,
    failure: Option<(StatusCode, String)>,
    field: &str,
) -> Result<Response, WebError> {
    page_with(state, headers, case, lang, meta, failure, field, None).await
}

/// The case page, with a `notice` about the last step that went well.
#[allow(clippy::too_many_arguments)]
pub(super) async fn page_with(
    state: &AppState,
    headers: &HeaderMap,
    case: &RecoveryBrowser,
    lang: Lang,
    meta: &RequestMeta,
    failure: Option<(StatusCode, String)>,
    field: &str,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let tenant = &case.tenant;
    let Some(view) = journey::view(&state.env(), tenant, &case.browser, meta).await? else {
        return Ok(see_other(&paths::recover(tenant)));
    };
    let (status, error) = outcome_on(&[field], failure);
    let binding = csrf::recovery_binding(state, headers, tenant);
    let (cookie, token) = csrf::issue(state, headers, tenant, &binding);
    let page = CasePage {
        t: text(lang.0),
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        view,
        csrf: token,
        error,
        notice,
        zone: PageZone::of(headers, tenant),
        now: state.clock().now(),
    };
    Ok(csrf::render(state, status, &page, &cookie))
}

#[derive(Deserialize, Default)]
pub struct CaseQuery {
    /// `?resent`: a new code was asked for.
    resent: Option<String>,
}

pub async fn case(
    State(state): State<AppState>,
    case: RecoveryBrowser,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    query: Result<Query<CaseQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let resent = query.ok().is_some_and(|Query(q)| q.resent.is_some());
    let notice = resent.then(|| text(lang.0).get("journey-resent"));
    page_with(&state, &headers, &case, lang, &meta, None, "", notice).await
}

#[derive(Deserialize, Default)]
pub struct ProofForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
}

#[derive(Deserialize, Default)]
pub struct CompleteForm {
    #[serde(default)]
    csrf: String,
    password: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct StopForm {
    #[serde(default)]
    csrf: String,
}

csrf_field!(Binding::RecoveryCase => ProofForm, CompleteForm, StopForm);

pub async fn proof(
    State(state): State<AppState>,
    case: RecoveryBrowser,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ProofForm>,
) -> Result<Response, WebError> {
    let t = text(lang.0);
    // The id of the field the proof was typed in (see recover_case.html).
    let field = match form.kind.as_str() {
        "email_code" => "email-code",
        "password" => "password",
        _ => "recovery",
    };
    let input = match form.kind.as_str() {
        _ if form.value.is_empty() || form.value.len() > 1024 => None,
        "email_code" => Some(ProofInput::EmailCode(form.value)),
        "password" => Some(ProofInput::Password(Password::presented(&form.value))),
        "recovery_code" => Some(ProofInput::RecoveryCode(form.value)),
        _ => None,
    };
    let Some(input) = input else {
        let failure = Some((StatusCode::BAD_REQUEST, t.get("recovery-fill-one")));
        return case_page(&state, &headers, &case, lang, &meta, failure, field).await;
    };
    let failure = match journey::prove(&state.env(), &case.tenant, &case.browser, input, &meta)
        .await
    {
        Ok(Some(_)) => return Ok(see_other(&paths::recover_case(&case.tenant))),
        Ok(None) => return Ok(see_other(&paths::recover(&case.tenant))),
        // Which proof was wrong, and how many tries are left.
        Err(Error::WrongProof { tries_left }) => {
            let key = match form.kind.as_str() {
                "email_code" => "recovery-wrong-email-code",
                "password" => "recovery-wrong-password-proof",
                _ => "recovery-wrong-recovery-code",
            };
            (StatusCode::UNAUTHORIZED, t.count(key, tries_left))
        }
        Err(Error::RateLimited { retry_after_secs }) => (
            StatusCode::TOO_MANY_REQUESTS,
            t.try_again("recovery-too-many-attempts", retry_after_secs),
        ),
        Err(Error::Overloaded { .. }) => (StatusCode::SERVICE_UNAVAILABLE, t.get("recovery-busy")),
        Err(Error::Conflict(e)) => (StatusCode::CONFLICT, i18n::texts(lang.0).say_first(&[e])),
        Err(Error::Invalid(errors)) => {
            (StatusCode::CONFLICT, i18n::texts(lang.0).say_first(&errors))
        }
        Err(other) => return Err(other.into()),
    };
    case_page(&state, &headers, &case, lang, &meta, Some(failure), field).await
}

#[derive(Template)]
#[template(path = "recover_done.html")]
struct DonePage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    required: bool,
    next: String,
}

pub async fn complete(
    State(state): State<AppState>,
    case: RecoveryBrowser,
    lang: Lang,
    Client(meta): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<CompleteForm>,
) -> Result<Response, WebError> {
    let t = text(lang.0);
    let password = form
        .password
        .filter(|p| !p.is_empty() && p.len() <= 1024)
        .map(|p| Password::presented(&p));
    let policy = state.config().session;
    let tenant = &case.tenant;
    let completed = journey::complete(
        &state.env(),
        tenant,
        &case.browser,
        password,
        &meta,
        &policy,
    )
    .await;
    let done = match completed {
        Ok(done) => done,
        Err(err) => {
            let failure = match err {
                Error::InvalidCredentials => {
                    (StatusCode::UNAUTHORIZED, t.get("recovery-wrong-password"))
                }
                Error::Invalid(errors) => {
                    (StatusCode::CONFLICT, i18n::texts(lang.0).say_first(&errors))
                }
                Error::RateLimited { retry_after_secs } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    t.try_again("recovery-too-many-attempts", retry_after_secs),
                ),
                other => return Err(other.into()),
            };
            let failure = Some(failure);
            return case_page(&state, &headers, &case, lang, &meta, failure, "password").await;
        }
    };
    let page = DonePage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        required: tenant.second_factor == SecondFactorPolicy::Required,
        next: safe_return_to(tenant, done.return_to.as_deref()),
    };
    let resume = done.return_to.is_some().then(|| page.next.clone());
    let mut response = html(StatusCode::OK, &page);
    // Started from an application's sign-in: the set-up pages the done
    // page offers lead back there when the new factor is in.
    if let Some(resume) = resume {
        browser::remember_resume(&state, tenant, &mut response, &resume);
    }
    browser::set_session(&state, tenant, &mut response, &done.token);
    let case_cookie = Names::of(&state, tenant).recovery_case();
    let cleared = cookies::clear(state.config().secure_cookies, &case_cookie);
    cookies::append(&mut response, Some(cleared));
    browser::after_sign_in(
        &state,
        &headers,
        tenant,
        &done.user,
        &meta,
        false,
        true,
        &mut response,
    )
    .await?;
    Ok(response)
}

/// "Stop this recovery" on the case page.
pub async fn stop(
    State(state): State<AppState>,
    case: RecoveryBrowser,
    Client(meta): Client,
    CsrfForm(_): CsrfForm<StopForm>,
) -> Result<Response, WebError> {
    journey::cancel_own(&state.env(), &case.tenant, &case.browser, &meta).await?;
    Ok(see_other(&paths::recover_case(&case.tenant)))
}
