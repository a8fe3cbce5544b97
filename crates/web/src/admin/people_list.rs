//! The list of people: everyone, searched and paged, or (`?ready=no`) the
//! active people who are not ready for losing a factor, each with what
//! they lack, the boxes to choose them and the buttons that remind them
//! (`reminders`). Core decides (`factors::directory`); this parses and
//! draws.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::factors::directory::{self, Listed, PeopleInput, PeoplePage, PeopleQuery};
use serde::Deserialize;

use super::csrf_for;
use super::people::{factors_text, readiness_text, state_text, when};
use super::{Administrator, text};
use crate::AppState;
use crate::app::csrf;
use crate::app::error::WebError;
use crate::app::extract::SignedIn;
use crate::app::form::FormError;
use crate::app::timezone::PageZone;
use crate::i18n::Texts;

#[derive(Deserialize, Default)]
pub struct PeopleParams {
    q: Option<String>,
    after: Option<String>,
    before: Option<String>,
    ready: Option<String>,
    /// `reminded`: back from sending reminders, with what they came to.
    done: Option<String>,
    sent: Option<i64>,
    recent: Option<i64>,
    needless: Option<i64>,
    left: Option<i64>,
    /// With `done=signed-out`: how many sessions everyone's sign-out ended.
    sessions: Option<i64>,
}

/// A row of the table, in the page's language.
struct Row {
    id: String,
    username: String,
    display_name: String,
    email: String,
    factors: String,
    ready: bool,
    readiness: String,
    last_sign_in: String,
    active: bool,
    state: String,
    /// Chosen for a reminder (kept when the reminder was refused).
    chosen: bool,
    /// When they were last reminded, if ever.
    reminded: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePageView<'a> {
    t: Texts,
    tenant_name: &'a str,
    tenant_slug: &'a str,
    search: String,
    error: Option<FormError>,
    notice: Option<String>,
    rows: Vec<Row>,
    next: Option<String>,
    previous: Option<String>,
    first: Option<String>,
    /// The unready list: only the people not ready, with the reminder form.
    unready: bool,
    csrf: String,
}

impl PeoplePageView<'_> {
    /// The accessible name of a row's box: "Choose Alice for the reminder".
    fn choose_label(&self, row: &Row) -> String {
        self.t.with1("readiness-choose", "name", &row.display_name)
    }
}

fn row(t: &Texts, zone: &PageZone, p: Listed, chosen: &[String]) -> Row {
    let id = p.user.id.to_string();
    Row {
        factors: factors_text(t, p.authenticator_app, p.passkeys),
        ready: p.readiness.ready(),
        readiness: readiness_text(t, &p.readiness),
        last_sign_in: when(t, zone, p.last_sign_in_at),
        active: p.user.is_active(),
        state: state_text(t, p.user.status),
        chosen: chosen.contains(&id),
        reminded: p.nudged_at.map(|at| zone.at(at)),
        id,
        username: p.user.username,
        display_name: p.user.display_name,
        email: p.user.email,
    }
}

/// `?q=…&ready=no&after=…` (the search and the filter kept across pages),
/// encoded.
pub(super) fn page_link(search: &str, unready: bool, cursor: (&str, &str)) -> String {
    let mut pairs = vec![];
    if !search.is_empty() {
        pairs.push(("q", search));
    }
    if unready {
        pairs.push(("ready", "no"));
    }
    if !cursor.1.is_empty() {
        pairs.push(cursor);
    }
    match serde_urlencoded::to_string(&pairs) {
        Ok(q) if !q.is_empty() => format!("?{q}"),
        _ => String::new(),
    }
}

/// What sending reminders (or signing everyone out) came to, from the
/// address it led back to.
fn reminded_notice(t: &Texts, p: &PeopleParams) -> Option<String> {
    if p.done.as_deref() == Some("signed-out") {
        return Some(t.count("everyone-done", p.sessions.unwrap_or(0).max(0)));
    }
    if p.done.as_deref() != Some("reminded") {
        return None;
    }
    let n = |v: Option<i64>| v.unwrap_or(0).max(0);
    let mut said = vec![t.count("readiness-sent", n(p.sent))];
    if n(p.recent) > 0 {
        said.push(t.count("readiness-skipped-recent", n(p.recent)));
    }
    if n(p.needless) > 0 {
        said.push(t.count("readiness-skipped-needless", n(p.needless)));
    }
    if n(p.left) > 0 {
        said.push(t.count("readiness-left", n(p.left)));
    }
    Some(said.join(" "))
}

/// The table of people: searched by the start of a username, display name
/// or email address, 50 to a page; with `?ready=no` only those not ready,
/// each with what they lack, and the form that reminds them.
pub async fn people(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    headers: HeaderMap,
    params: Result<Query<PeopleParams>, QueryRejection>,
) -> Result<Response, WebError> {
    let t = text(&admin);
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let notice = reminded_notice(&t, &params);
    let input = PeopleInput {
        search: params.q,
        after: params.after,
        before: params.before,
        limit: None,
        ready: params.ready,
    };
    let listing = Listing {
        input,
        status: StatusCode::OK,
        error: None,
        notice,
        chosen: vec![],
    };
    list_page(&state, &headers, &admin, listing).await
}

/// A page of the list as asked for, with what to show beside it.
pub(super) struct Listing {
    pub input: PeopleInput,
    pub status: StatusCode,
    pub error: Option<FormError>,
    pub notice: Option<String>,
    /// The ids of people chosen for a reminder that was refused.
    pub chosen: Vec<String>,
}

pub(super) async fn list_page(
    state: &AppState,
    headers: &HeaderMap,
    admin: &SignedIn,
    listing: Listing,
) -> Result<Response, WebError> {
    let t = text(admin);
    let zone = PageZone::of(headers, &admin.tenant);
    let Listing {
        input,
        status,
        error,
        notice,
        chosen,
    } = listing;
    let unready_asked = input.ready.as_deref().map(str::trim) == Some("no");
    let (status, search, error, unready, page) = match PeopleQuery::parse(&input) {
        Ok(query) => {
            let page = directory::list(state.db(), &admin.tenant, &query).await?;
            let paged = query.filter.from.is_some();
            (
                status,
                query.search,
                error,
                query.filter.unready,
                (page, paged),
            )
        }
        Err(Error::Invalid(errors)) => {
            let error = FormError {
                text: t.say_all(&errors),
                fields: vec!["q".to_owned()],
            };
            let search = input.search.unwrap_or_default();
            let empty = PeoplePage {
                people: vec![],
                next: None,
                previous: None,
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                search,
                Some(error),
                unready_asked,
                (empty, true),
            )
        }
        Err(err) => return Err(err.into()),
    };
    let (page, paged) = page;
    let (cookie, token) = csrf_for(state, headers, admin);
    let view = PeoplePageView {
        t,
        tenant_name: &admin.tenant.display_name,
        tenant_slug: admin.tenant.slug.as_str(),
        next: page
            .next
            .as_deref()
            .map(|k| page_link(&search, unready, ("after", k))),
        previous: page
            .previous
            .as_deref()
            .map(|k| page_link(&search, unready, ("before", k))),
        // back to the first page when this is a later one
        first: paged.then(|| page_link(&search, unready, ("after", ""))),
        rows: page
            .people
            .into_iter()
            .map(|p| row(&t, &zone, p, &chosen))
            .collect(),
        search,
        error,
        notice,
        unready,
        csrf: token,
    };
    Ok(csrf::render(state, status, &view, &cookie))
}
