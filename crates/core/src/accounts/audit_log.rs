//! The audit log as a tenant's administrators read it — on the console,
//! through the API and with `latchkey audit` — by one set of rules:
//!
//! - **person**: a user id, a username or an email address of the tenant
//!   (resolved here); events about them (`user_id`) and events they did,
//!   for themselves or as an administrator (`user:<id>`, `admin:<id>`);
//! - **event**: one [`AuditKind`], by its stored word;
//! - **from / to**: dates `YYYY-MM-DD` in UTC, both days included (a tenant
//!   has no time zone of its own; the pages say "UTC" beside the fields);
//! - **cursor**: where the previous page ended (keyset paging, newest
//!   first, decision 0014): stable while events are written meanwhile;
//! - **limit**: events per page, 1 to [`PAGE_MAX`] ([`PAGE_SIZE`] if not
//!   given).
//!
//! Every problem with the input is reported at once, per field, in words
//! that say how to fix it. An export is the whole filtered view (the cursor
//! aside), at most [`EXPORT_MAX`] events: a larger one is refused with a
//! request to narrow the filter, never cut short (its encodings are in
//! [`super::audit_export`]).

use std::collections::HashMap;

use crate::Error;
use crate::accounts::user::{LoginKey, User};
use crate::effects::audit::{Actor, AuditCursor, AuditEvent, AuditFilter, AuditKind};
use crate::platform::clock::UnixTime;
use crate::platform::ids::UserId;
use crate::platform::time::DAY;
use crate::platform::validate::{Errors, FieldError, Said};
use crate::store::{AuditStore, UserStore};
use crate::tenants::Tenant;

/// Events on a page unless the reader asks for another number.
pub const PAGE_SIZE: u32 = 50;
/// Most events on one page.
pub const PAGE_MAX: u32 = 200;
/// Most events in one export.
pub const EXPORT_MAX: usize = 50_000;
/// Events read at once while an export is collected.
const EXPORT_BATCH: u32 = 1_000;

/// The filter as typed: every field as text, empty for "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQueryInput {
    pub person: String,
    pub event: String,
    pub from: String,
    pub to: String,
    pub cursor: String,
    pub limit: String,
}

/// A parsed filter: what the store applies, the person it names, and the
/// page size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub filter: AuditFilter,
    pub person: Option<User>,
    pub limit: u32,
}

/// An event with the names of the people it mentions (their current
/// usernames; `None` for an account that no longer exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub event: AuditEvent,
    /// The event's kind; `None` for a word no kind has (rows older than a
    /// retired kind).
    pub kind: Option<AuditKind>,
    /// The username of `event.user_id`.
    pub person: Option<String>,
    /// The username of the actor, when the actor is a person.
    pub actor_name: Option<String>,
}

/// One page of the log and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The cursor of the next (older) page; `None` on the last page.
    pub next: Option<String>,
    pub query: AuditQuery,
}

/// Checks and resolves `input` for `tenant`: the one function every way of
/// reading the log calls.
pub async fn parse_query<S: UserStore>(
    store: &S,
    tenant: &Tenant,
    input: &AuditQueryInput,
) -> Result<AuditQuery, Error> {
    let mut errors = Errors::default();
    let person = match find_person(store, tenant, &input.person).await? {
        Ok(person) => person,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let kind = errors.take(kind(&input.event)).flatten();
    let from = errors.take(date("from", &input.from)).flatten();
    let to = errors.take(date("to", &input.to)).flatten();
    let until = to.map(|t| UnixTime(t.0 + DAY));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.push(FieldError::said("to", Said::AuditDatesReversed));
    }
    let after = errors.take(cursor(&input.cursor)).flatten();
    let limit = errors.take(limit(&input.limit)).unwrap_or(PAGE_SIZE);
    errors.into_result()?;
    Ok(AuditQuery {
        filter: AuditFilter {
            person: person.as_ref().map(|p| p.id.clone()),
            kind,
            from,
            until,
            after,
        },
        person,
        limit,
    })
}

/// A page of the tenant's log by `input`, newest first.
pub async fn read_page<S: UserStore + AuditStore>(
    store: &S,
    tenant: &Tenant,
    input: &AuditQueryInput,
) -> Result<AuditPage, Error> {
    let query = parse_query(store, tenant, input).await?;
    let mut events = store
        .query_audit(&tenant.id, &query.filter, query.limit + 1)
        .await?;
    let next = if events.len() > query.limit as usize {
        events.truncate(query.limit as usize);
        events.last().map(|e| AuditCursor::of(e).encode())
    } else {
        None
    };
    Ok(AuditPage {
        entries: entries(store, tenant, events).await?,
        next,
        query,
    })
}

/// Every event of the filtered view (the cursor and limit aside), newest
/// first; refused when more than [`EXPORT_MAX`] match.
pub async fn read_export<S: UserStore + AuditStore>(
    store: &S,
    tenant: &Tenant,
    input: &AuditQueryInput,
) -> Result<Vec<AuditEntry>, Error> {
    let whole = AuditQueryInput {
        cursor: String::new(),
        limit: String::new(),
        ..input.clone()
    };
    let mut filter = parse_query(store, tenant, &whole).await?.filter;
    let mut events = vec![];
    loop {
        let batch = store.query_audit(&tenant.id, &filter, EXPORT_BATCH).await?;
        let done = batch.len() < EXPORT_BATCH as usize;
        filter.after = batch.last().map(AuditCursor::of);
        events.extend(batch);
        if events.len() > EXPORT_MAX {
            return Err(Error::Invalid(vec![FieldError::said(
                "from",
                Said::AuditExportTooLarge { max: EXPORT_MAX },
            )]));
        }
        if done {
            break;
        }
    }
    entries(store, tenant, events).await
}

/// The events with their kinds and the names of the people they mention,
/// each person looked up once.
async fn entries<S: UserStore>(
    store: &S,
    tenant: &Tenant,
    events: Vec<AuditEvent>,
) -> Result<Vec<AuditEntry>, Error> {
    let mut names: HashMap<UserId, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let actor_id = match &event.actor {
            Actor::User(id) | Actor::Admin(id) => Some(id.clone()),
            _ => None,
        };
        let mut name_of = async |id: Option<&UserId>| -> Result<Option<String>, Error> {
            let Some(id) = id else { return Ok(None) };
            if let Some(name) = names.get(id) {
                return Ok(name.clone());
            }
            let name = store.user_by_id(&tenant.id, id).await?.map(|u| u.username);
            names.insert(id.clone(), name.clone());
            Ok(name)
        };
        let person = name_of(event.user_id.as_ref()).await?;
        let actor_name = name_of(actor_id.as_ref()).await?;
        out.push(AuditEntry {
            kind: AuditKind::parse(&event.event).ok(),
            event,
            person,
            actor_name,
        });
    }
    Ok(out)
}

/// The person `text` names in the tenant: by id, else by username or
/// address. `Ok(Err(_))` when it names nobody.
async fn find_person<S: UserStore>(
    store: &S,
    tenant: &Tenant,
    text: &str,
) -> Result<Result<Option<User>, FieldError>, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Ok(None));
    }
    let nobody = || FieldError::said("person", Said::AuditPerson);
    let Some(key) = LoginKey::from_input(text) else {
        return Ok(Err(nobody()));
    };
    if let Some(user) = store.user_by_id(&tenant.id, &UserId::new(text)).await? {
        return Ok(Ok(Some(user)));
    }
    Ok(store
        .user_by_login(&tenant.id, &key)
        .await?
        .map(Some)
        .ok_or_else(nobody))
}

fn kind(text: &str) -> Result<Option<AuditKind>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    AuditKind::parse(text).map(Some).map_err(|e| FieldError {
        message: format!(
            "{}; the events are: {}",
            Said::AuditEvent.english(),
            e.message
                .split_once(": ")
                .map_or(e.message.as_str(), |(_, list)| list)
        ),
        ..FieldError::said("event", Said::AuditEvent)
    })
}

/// A day `YYYY-MM-DD` (UTC) as the time it starts.
fn date(field: &str, text: &str) -> Result<Option<UnixTime>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let wrong = || FieldError::said(field, Said::AuditDate);
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(wrong());
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(wrong());
    }
    let (y, m, d) = (
        y.parse::<i32>().map_err(|_| wrong())?,
        m.parse::<u8>().map_err(|_| wrong())?,
        d.parse::<u8>().map_err(|_| wrong())?,
    );
    let month = time::Month::try_from(m).map_err(|_| wrong())?;
    let day = time::Date::from_calendar_date(y, month, d).map_err(|_| wrong())?;
    Ok(Some(UnixTime(day.midnight().assume_utc().unix_timestamp())))
}

fn cursor(text: &str) -> Result<Option<AuditCursor>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    AuditCursor::decode(text)
        .map(Some)
        .ok_or_else(|| FieldError::said("cursor", Said::AuditCursor))
}

fn limit(text: &str) -> Result<u32, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(PAGE_SIZE);
    }
    match text.parse::<i64>() {
        Ok(n) if (1..=i64::from(PAGE_MAX)).contains(&n) => Ok(n as u32),
        Ok(n) => Err(FieldError::said(
            "limit",
            Said::NotBetween {
                value: n,
                max: i64::from(PAGE_MAX),
            },
        )),
        Err(_) => Err(FieldError::new(
            "limit",
            format!("\"{text}\" is not a whole number; give 1 to {PAGE_MAX}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_in_utc() {
        assert_eq!(date("from", ""), Ok(None));
        assert_eq!(
            date("from", " 2025-12-05 "),
            Ok(Some(UnixTime(1_764_892_800)))
        );
        assert_eq!(date("from", "1970-01-01"), Ok(Some(UnixTime(0))));
        assert_eq!(date("to", "2024-02-29"), Ok(Some(UnixTime(1_709_164_800))));
        for bad in [
            "2026-13-01",
            "2025-02-29",
            "2026-12-5",
            "05.12.2026",
            "2026/12/05",
            "20261205",
            "+202-12-05",
            "2026-12-05T00:00",
            "yesterday",
        ] {
            let err = date("to", bad).unwrap_err();
            assert_eq!(
                (err.field.as_str(), err.said),
                ("to", Some(Said::AuditDate)),
                "{bad}"
            );
        }
    }

    #[test]
    fn kinds_limits_and_cursors_say_what_to_do() {
        assert_eq!(kind(" "), Ok(None));
        assert_eq!(kind("factors.reset"), Ok(Some(AuditKind::FactorsReset)));
        let err = kind("factors.nuked").unwrap_err();
        assert_eq!(err.said, Some(Said::AuditEvent));
        assert!(
            err.message
                .contains("signin.succeeded, signin.password_accepted"),
            "{}",
            err.message
        );
        assert_eq!(limit(""), Ok(PAGE_SIZE));
        assert_eq!(limit("200"), Ok(200));
        for bad in ["0", "201", "-3", "ten", "1.5"] {
            assert_eq!(limit(bad).unwrap_err().field, "limit", "{bad}");
        }
        assert_eq!(cursor(""), Ok(None));
        assert_eq!(
            cursor("garbage!").unwrap_err().said,
            Some(Said::AuditCursor)
        );
    }
}
