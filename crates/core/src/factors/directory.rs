//! The administrators' list of people and a person's page: who they are,
//! which second factors they hold, how ready they are for losing one, when
//! they last signed in, and what a helpdesk reset of theirs would remove.
//!
//! The list is searched by the *start* of the username, the email address
//! or the display name, case-insensitively (each compared by its folded key,
//! [`fold_key`]), and paged by a keyset on the username — both served by
//! indexes, so a page costs the same with a hundred or a hundred thousand
//! people (decision 0016, docs/benchmarks.md).

use crate::Error;
use crate::accounts::user::User;
use crate::effects::audit::AuditEvent;
use crate::factors::enrolment::Readiness;
use crate::factors::passkey::PasskeyCredential;
use crate::platform::clock::UnixTime;
use crate::platform::ids::UserId;
use crate::platform::validate::{Errors, FieldError, Said, fold_key, nfkc_trim};
use crate::store::{
    Activity, AuditStore, PageFrom, PasskeyStore, PeopleFilter, PersonRow, RecoveryCodeStore,
    TotpStore, UserStore,
};
use crate::tenants::Tenant;

/// People on a page unless asked otherwise.
pub const PAGE_SIZE: u32 = 50;
/// The most people on one page.
pub const PAGE_MAX: u32 = 100;
/// The longest search: an email address.
pub const SEARCH_MAX: usize = 254;
/// Events on a person's page.
pub const RECENT_EVENTS: u32 = 20;

/// What the list of people was asked for, as typed (the page's and the
/// API's query parameters).
#[derive(Debug, Clone, Default)]
pub struct PeopleInput {
    /// `q`: the start of a username, email address or display name.
    pub search: Option<String>,
    /// `after`: the page after this username key.
    pub after: Option<String>,
    /// `before`: the page before this username key.
    pub before: Option<String>,
    /// `limit`: people on the page, 1 to [`PAGE_MAX`].
    pub limit: Option<String>,
    /// `ready`: `no` for the active people who are not ready for losing a
    /// factor (the unready list); absent for everyone.
    pub ready: Option<String>,
}

/// The list of people's query once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleQuery {
    /// The search as typed (trimmed), to show it again.
    pub search: String,
    pub filter: PeopleFilter,
}

impl PeopleQuery {
    /// Checks every parameter and says what is wrong with each.
    pub fn parse(input: &PeopleInput) -> Result<PeopleQuery, Error> {
        let mut errors = Errors::default();
        let search = nfkc_trim(input.search.as_deref().unwrap_or(""));
        let len = search.chars().count();
        if len > SEARCH_MAX {
            errors.push(FieldError::said(
                "q",
                Said::TooLong {
                    len,
                    max: SEARCH_MAX,
                },
            ));
        } else if search.chars().any(char::is_control) {
            errors.push(FieldError::said("q", Said::ControlCharacters));
        }
        let cursor = |field: &str, value: &Option<String>, errors: &mut Errors| {
            let value = value.as_deref()?;
            // a cursor is a username key the list handed out: folded,
            // without spaces, at most 64 characters
            if value.is_empty()
                || value.chars().count() > 64
                || value.chars().any(|c| c.is_whitespace() || c.is_control())
                || fold_key(value) != value
            {
                errors.push(FieldError::said(field, Said::PageCursor));
                return None;
            }
            Some(value.to_owned())
        };
        let after = cursor("after", &input.after, &mut errors);
        let before = cursor("before", &input.before, &mut errors);
        let from = match (after, before) {
            (Some(_), Some(_)) => {
                errors.push(FieldError::said("before", Said::PageCursor));
                None
            }
            (Some(a), None) => Some(PageFrom::After(a)),
            (None, Some(b)) => Some(PageFrom::Before(b)),
            (None, None) => None,
        };
        let limit = match input.limit.as_deref().map(str::trim) {
            None | Some("") => PAGE_SIZE,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=PAGE_MAX).contains(&n) => n,
                _ => {
                    errors.push(FieldError::said("limit", Said::PageSize { max: PAGE_MAX }));
                    PAGE_SIZE
                }
            },
        };
        let unready = match input.ready.as_deref().map(str::trim) {
            None | Some("") => false,
            Some("no") => true,
            Some(_) => {
                errors.push(FieldError::said("ready", Said::ReadyFilter));
                false
            }
        };
        errors.into_result()?;
        let prefix = (!search.is_empty()).then(|| fold_key(&search));
        Ok(PeopleQuery {
            search,
            filter: PeopleFilter {
                prefix,
                from,
                limit,
                unready,
                ..PeopleFilter::first(limit)
            },
        })
    }
}

/// A person in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub user: User,
    pub authenticator_app: bool,
    pub passkeys: i64,
    pub readiness: Readiness,
    pub last_sign_in_at: Option<UnixTime>,
    /// When they were last reminded to prepare for recovery.
    pub nudged_at: Option<UnixTime>,
}

impl Listed {
    pub fn has_second_factor(&self) -> bool {
        self.authenticator_app || self.passkeys > 0
    }
}

/// One page of the list, with the cursors of its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeoplePage {
    pub people: Vec<Listed>,
    /// `after` for the next page, if there is one.
    pub next: Option<String>,
    /// `before` for the previous page, if there is one.
    pub previous: Option<String>,
}

/// One page of the tenant's people.
pub async fn list<S: UserStore>(
    store: &S,
    tenant: &Tenant,
    query: &PeopleQuery,
) -> Result<PeoplePage, Error> {
    let limit = query.filter.limit;
    // one more than the page: whether there is a page beyond it
    let filter = PeopleFilter {
        limit: limit + 1,
        ..query.filter.clone()
    };
    let mut rows = store.list_people(&tenant.id, &filter).await?;
    let more = rows.len() > limit as usize;
    let backwards = matches!(query.filter.from, Some(PageFrom::Before(_)));
    if more {
        if backwards {
            rows.remove(0);
        } else {
            rows.truncate(limit as usize);
        }
    }
    let key = |r: Option<&PersonRow>| r.map(|r| r.user.username_key.clone());
    let (next, previous) = match &query.filter.from {
        None => (more.then(|| key(rows.last())).flatten(), None),
        Some(PageFrom::After(_)) => (more.then(|| key(rows.last())).flatten(), key(rows.first())),
        Some(PageFrom::Before(_)) => (key(rows.last()), more.then(|| key(rows.first())).flatten()),
    };
    Ok(PeoplePage {
        people: rows.into_iter().map(listed).collect(),
        next,
        previous,
    })
}

pub(crate) fn listed(row: PersonRow) -> Listed {
    let factors = usize::from(row.authenticator_app) + row.passkeys.max(0) as usize;
    Listed {
        readiness: Readiness::of(&row.user, factors, row.unused_recovery_codes),
        user: row.user,
        authenticator_app: row.authenticator_app,
        passkeys: row.passkeys,
        last_sign_in_at: row.last_sign_in_at,
        nudged_at: row.nudged_at,
    }
}

/// What a helpdesk reset of a person would remove (and what it ends
/// beside: their sessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Holdings {
    pub authenticator_app: bool,
    pub passkeys: usize,
    pub unused_recovery_codes: i64,
    /// Their sessions that have not ended: each is signed out.
    pub sessions: i64,
}

impl Holdings {
    /// No second factor and no recovery codes: a helpdesk reset would
    /// remove nothing it is for, and is refused.
    pub fn nothing_to_reset(&self) -> bool {
        !self.authenticator_app && self.passkeys == 0 && self.unused_recovery_codes == 0
    }
}

/// What `user` holds that a helpdesk reset removes.
pub async fn holdings<S: UserStore + TotpStore + PasskeyStore + RecoveryCodeStore>(
    store: &S,
    user: &User,
    now: UnixTime,
) -> Result<Holdings, Error> {
    let activity = store
        .user_activity(&user.tenant_id, &user.id, now)
        .await?
        .unwrap_or_default();
    Ok(Holdings {
        authenticator_app: store.totp_for_user(&user.id).await?.is_some(),
        passkeys: store.passkeys_for_user(&user.id).await?.len(),
        unused_recovery_codes: store.unused_recovery_codes(&user.id).await?,
        sessions: activity.sessions,
    })
}

/// A person's page.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub user: User,
    /// When their authenticator app was set up.
    pub authenticator_app: Option<UnixTime>,
    pub passkeys: Vec<PasskeyCredential>,
    pub unused_recovery_codes: i64,
    pub readiness: Readiness,
    pub activity: Activity,
    /// The newest events about them, newest first.
    pub events: Vec<AuditEvent>,
}

impl PersonView {
    pub fn holdings(&self) -> Holdings {
        Holdings {
            authenticator_app: self.authenticator_app.is_some(),
            passkeys: self.passkeys.len(),
            unused_recovery_codes: self.unused_recovery_codes,
            sessions: self.activity.sessions,
        }
    }
}

/// The person `user_id` of `tenant`, for their page; not found for anyone
/// else (another tenant's person included).
pub async fn person<S: UserStore + TotpStore + PasskeyStore + RecoveryCodeStore + AuditStore>(
    store: &S,
    tenant: &Tenant,
    user_id: &UserId,
    now: UnixTime,
) -> Result<PersonView, Error> {
    let user = store
        .user_by_id(&tenant.id, user_id)
        .await?
        .ok_or(Error::NotFound("person"))?;
    let activity = store
        .user_activity(&tenant.id, user_id, now)
        .await?
        .unwrap_or_default();
    let authenticator_app = store.totp_for_user(user_id).await?.map(|t| t.created_at);
    let passkeys = store.passkeys_for_user(user_id).await?;
    let unused_recovery_codes = store.unused_recovery_codes(user_id).await?;
    let factors = usize::from(authenticator_app.is_some()) + passkeys.len();
    let events = store.user_audit(&tenant.id, user_id, RECENT_EVENTS).await?;
    Ok(PersonView {
        readiness: Readiness::of(&user, factors, unused_recovery_codes),
        user,
        authenticator_app,
        passkeys,
        unused_recovery_codes,
        activity,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(
        search: &str,
        after: Option<&str>,
        before: Option<&str>,
        limit: Option<&str>,
    ) -> PeopleInput {
        PeopleInput {
            search: Some(search.into()),
            after: after.map(Into::into),
            before: before.map(Into::into),
            limit: limit.map(Into::into),
            ready: None,
        }
    }

    fn fields(err: Error) -> Vec<String> {
        match err {
            Error::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn searches_are_folded_and_pages_bounded() {
        let q = PeopleQuery::parse(&input("  ÄLICE ", Some("bob"), None, Some("20"))).unwrap();
        assert_eq!(q.search, "ÄLICE");
        assert_eq!(q.filter.prefix.as_deref(), Some("älice"));
        assert_eq!(q.filter.from, Some(PageFrom::After("bob".into())));
        assert_eq!(q.filter.limit, 20);
        let q = PeopleQuery::parse(&PeopleInput::default()).unwrap();
        assert_eq!(
            (q.filter.prefix, q.filter.from, q.filter.limit),
            (None, None, PAGE_SIZE)
        );
        let q = PeopleQuery::parse(&input(" ", None, Some("m"), None)).unwrap();
        assert_eq!(q.filter.prefix, None);
        assert_eq!(q.filter.from, Some(PageFrom::Before("m".into())));
    }

    #[test]
    fn bad_parameters_are_each_named() {
        let long = "a".repeat(SEARCH_MAX + 1);
        assert_eq!(
            fields(PeopleQuery::parse(&input(&long, None, None, None)).unwrap_err()),
            ["q"]
        );
        assert_eq!(
            fields(PeopleQuery::parse(&input("a\u{0}", None, None, None)).unwrap_err()),
            ["q"]
        );
        for bad in ["Bob", "a b", "", "x\n"] {
            assert_eq!(
                fields(PeopleQuery::parse(&input("", Some(bad), None, None)).unwrap_err()),
                ["after"],
                "{bad:?}"
            );
        }
        assert_eq!(
            fields(PeopleQuery::parse(&input("", Some("a"), Some("b"), None)).unwrap_err()),
            ["before"]
        );
        for bad in ["0", "101", "-1", "ten", "1.5"] {
            assert_eq!(
                fields(PeopleQuery::parse(&input("", None, None, Some(bad))).unwrap_err()),
                ["limit"],
                "{bad:?}"
            );
        }
        let all = PeopleQuery::parse(&input(&long, Some("A"), None, Some("0"))).unwrap_err();
        assert_eq!(fields(all), ["q", "after", "limit"]);
        let ready = |v: &str| {
            PeopleQuery::parse(&PeopleInput {
                ready: Some(v.into()),
                ..Default::default()
            })
        };
        assert!(ready("no").unwrap().filter.unready);
        assert!(!ready("").unwrap().filter.unready);
        assert!(
            !PeopleQuery::parse(&PeopleInput::default())
                .unwrap()
                .filter
                .unready
        );
        for bad in ["yes", "NO", "0"] {
            assert_eq!(fields(ready(bad).unwrap_err()), ["ready"], "{bad:?}");
        }
    }

    #[test]
    fn nothing_to_reset_is_no_factor_and_no_codes() {
        assert!(Holdings::default().nothing_to_reset());
        assert!(
            Holdings {
                sessions: 3,
                ..Default::default()
            }
            .nothing_to_reset()
        );
        for h in [
            Holdings {
                authenticator_app: true,
                ..Default::default()
            },
            Holdings {
                passkeys: 1,
                ..Default::default()
            },
            Holdings {
                unused_recovery_codes: 1,
                ..Default::default()
            },
        ] {
            assert!(!h.nothing_to_reset(), "{h:?}");
        }
    }
}
