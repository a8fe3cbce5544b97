//! Reminders to the people who are not ready for losing a factor, from the
//! unready list: the chosen people or everyone in the list, first a
//! confirmation that says how many will be mailed and who is skipped, then
//! the mails. Core decides who (`factors::readiness`); this parses and
//! draws. A refusal shows the list again with the error beside the boxes,
//! the choice kept.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::effects::audit::Actor;
use latchkey_core::factors::directory::PeopleInput;
use latchkey_core::factors::readiness::{self, Recipients, ReminderInput, ReminderPlan};
use serde::Deserialize;

use super::people_list::{Listing, list_page, page_link};
use super::{AdminForm, text};
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;
use crate::app::extract::csrf_form::csrf_field;
use crate::app::extract::{Client, SignedIn};
use crate::app::form::FormError;
use crate::app::respond::see_other;
use crate::i18n::Texts;

/// The reminder form: `all=yes` for everyone in the list (`q` its
/// search), or the chosen `person` boxes (a field that repeats, so the
/// form is read as pairs); `confirm=yes` on the confirmation.
#[derive(Default)]
pub struct ReminderForm {
    csrf: String,
    all: bool,
    q: String,
    people: Vec<String>,
    confirm: bool,
}

impl<'de> Deserialize<'de> for ReminderForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        let mut form = ReminderForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "all" => form.all = value == "yes",
                "q" => form.q = value,
                "person" => form.people.push(value),
                "confirm" => form.confirm = value == "yes",
                _ => {}
            }
        }
        Ok(form)
    }
}

csrf_field!(Binding::Session => ReminderForm);

#[derive(Template)]
#[template(path = "admin_reminders.html")]
struct ConfirmPage<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    csrf: String,
    heading: String,
    /// Who is left out, and why, one sentence each.
    skipped: Vec<String>,
    count: i64,
    all: bool,
    q: String,
    people: Vec<String>,
    /// The unready list this came from.
    back: String,
}

/// Who is skipped, in words.
fn skipped(t: &Texts, plan: &ReminderPlan) -> Vec<String> {
    let mut said = vec![];
    if plan.recently > 0 {
        said.push(t.count("readiness-skipped-recent", plan.recently));
    }
    if plan.not_needed > 0 {
        said.push(t.count("readiness-skipped-needless", plan.not_needed));
    }
    if plan.later > 0 {
        said.push(t.with(
            "readiness-later",
            &[
                ("count", plan.later.into()),
                ("batch", i64::from(readiness::BATCH).into()),
            ],
        ));
    }
    said
}

/// The unready list again, with why the reminder was refused (422).
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    form: ReminderForm,
    err: Error,
) -> Result<Response, WebError> {
    let Error::Invalid(errors) = err else {
        return Err(err.into());
    };
    let t = text(admin);
    let fields = errors
        .iter()
        .map(|e| match e.field.as_str() {
            "q" => "q".to_owned(),
            _ => "person".to_owned(),
        })
        .collect();
    let listing = Listing {
        input: PeopleInput {
            search: Some(form.q),
            ready: Some("no".to_owned()),
            ..Default::default()
        },
        status: StatusCode::UNPROCESSABLE_ENTITY,
        error: Some(FormError {
            text: t.say_all(&errors),
            fields,
        }),
        notice: None,
        chosen: form.people,
    };
    list_page(state, headers, admin, listing).await
}

/// Reminds the people chosen in the unready list, or everyone in it:
/// the confirmation first, then (`confirm=yes`) the mails, and back to the
/// list with what they came to.
pub async fn remind(
    State(state): State<AppState>,
    Client(meta): Client,
    headers: HeaderMap,
    AdminForm { admin, form }: AdminForm<ReminderForm>,
) -> Result<Response, WebError> {
    let input = ReminderInput {
        all: form.all,
        search: Some(form.q.clone()),
        people: form.people.clone(),
    };
    let recipients = match Recipients::parse(&input) {
        Ok(r) => r,
        Err(err) => return refused(&state, &headers, &admin, form, err).await,
    };
    let tenant = &admin.tenant;
    let back = |search: &str| {
        format!(
            "/t/{}/admin/people{}",
            tenant.slug,
            page_link(search, true, ("after", ""))
        )
    };
    let search = match &recipients {
        Recipients::All { search, .. } => search.clone(),
        Recipients::Chosen(_) => form.q.trim().to_owned(),
    };
    if form.confirm {
        let done = readiness::remind(
            state.db(),
            state.random(),
            state.clock(),
            tenant,
            &recipients,
            &Actor::Admin(admin.user.id.clone()),
            &meta,
        )
        .await;
        return match done {
            Ok(o) => Ok(see_other(&format!(
                "{}&done=reminded&sent={}&recent={}&needless={}&left={}",
                back(&search),
                o.sent,
                o.skipped_recently_reminded,
                o.skipped_not_needed,
                o.remaining
            ))),
            Err(err) => refused(&state, &headers, &admin, form, err).await,
        };
    }
    let plan = match readiness::plan(state.db(), tenant, &recipients, state.clock().now()).await {
        Ok(plan) => plan,
        Err(err) => return refused(&state, &headers, &admin, form, err).await,
    };
    let t = text(&admin);
    let count = plan.to_remind.len() as i64;
    let (cookie, token) = csrf::issue(&state, &headers, tenant, admin.session.id_hash.as_str());
    let page = ConfirmPage {
        t,
        tenant_name: &tenant.display_name,
        tenant_slug: tenant.slug.as_str(),
        csrf: token,
        heading: if count == 0 {
            t.get("readiness-nobody")
        } else {
            t.count("readiness-confirm-heading", count)
        },
        skipped: skipped(&t, &plan),
        count,
        all: form.all,
        q: search.clone(),
        people: match &recipients {
            Recipients::Chosen(ids) => ids.iter().map(ToString::to_string).collect(),
            Recipients::All { .. } => vec![],
        },
        back: back(&search),
    };
    Ok(csrf::render(&state, StatusCode::OK, &page, &cookie))
}
