//! Readiness across a tenant (recovery.md, "Readiness"; decision 0024):
//! the share of its people who are ready for losing a factor, and
//! reminders by mail to those who are not.
//!
//! Ready is [`Readiness::ready`] — a verified address, and unused recovery
//! codes or a spare second factor. The store counts a whole tenant with one
//! query that states the same rule in SQL; the conformance suite holds that
//! statement to [`Readiness::ready`] on every combination
//! ([`Readiness::every`]).
//!
//! A reminder goes to active people who are not ready, at most once per
//! person in [`REMIND_AGAIN_AFTER_SECS`]: the store marks each person
//! reminded in the transaction that queues their mail and writes their
//! audit event, and skips anyone reminded since (two administrators
//! sending at once remind each person once). A tenant sends at most
//! [`REMINDER_LIMIT`] batches an hour (counted in the database), and a
//! batch reminds at most [`BATCH`] people; the next batch reaches those
//! left over, since those reminded are skipped.

use crate::Error;
use crate::effects::audit::{Actor, AuditKind, RequestMeta, audit_event};
use crate::effects::mail::{Link, MailMessage, OutboxMail, Page};
use crate::effects::ratelimit::RateLimit;
use crate::factors::directory::{self, Listed, PAGE_MAX, PeopleInput, PeopleQuery};
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::ids::{TenantId, UserId};
use crate::platform::random::{Random, new_id};
use crate::platform::time::{DAY, HOUR};
use crate::platform::validate::Said;
use crate::store::{
    Nudge, PeopleFilter, RateLimitStore, ReadinessCounts, ReadinessStore, UserStore,
};
use crate::tenants::Tenant;

/// A person reminded is not reminded again for a week.
pub const REMIND_AGAIN_AFTER_SECS: i64 = 7 * DAY;
/// The most people one batch reminds.
pub const BATCH: u32 = 1000;
/// The most people an administrator can choose for one reminder (a page
/// of the list).
pub const CHOSEN_MAX: usize = PAGE_MAX as usize;
/// Batches of reminders per tenant and hour.
pub const REMINDER_LIMIT: RateLimit = RateLimit {
    max: 20,
    window_secs: HOUR,
};

/// The tenant's counter of reminder batches.
fn limit_key(tenant_id: &TenantId) -> String {
    format!("reminders:tenant:{tenant_id}")
}

/// Whole percent of `counts.people` who are ready, rounded down (so 100
/// means everyone); `None` for a tenant without people.
pub fn percent(counts: &ReadinessCounts) -> Option<i64> {
    (counts.people > 0).then(|| counts.ready.max(0) * 100 / counts.people)
}

/// Reminded after this are reminded recently.
fn recent_since(now: UnixTime) -> UnixTime {
    now.plus(-REMIND_AGAIN_AFTER_SECS)
}

/// How many of the tenant's active people are ready.
pub async fn share<S: ReadinessStore>(
    store: &S,
    tenant: &Tenant,
    now: UnixTime,
) -> Result<ReadinessCounts, Error> {
    Ok(store
        .readiness_counts(&tenant.id, None, recent_since(now))
        .await?)
}

/// Whom a reminder is for, as the form or the API sent it.
#[derive(Debug, Clone, Default)]
pub struct ReminderInput {
    /// Everyone not ready in the list (its search, if any).
    pub all: bool,
    /// `q`: the list's search, with `all`.
    pub search: Option<String>,
    /// Chosen people, by id.
    pub people: Vec<String>,
}

/// Whom a reminder is for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    /// Everyone not ready whose name, address or display name starts with
    /// the search (everyone when it is empty).
    All {
        search: String,
        prefix: Option<String>,
    },
    /// These people (each once).
    Chosen(Vec<UserId>),
}

impl Recipients {
    pub fn parse(input: &ReminderInput) -> Result<Recipients, Error> {
        let chosen: Vec<&str> = input
            .people
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        if input.all {
            if !chosen.is_empty() {
                return Err(Error::said("people", Said::NudgeWhom));
            }
            let query = PeopleQuery::parse(&PeopleInput {
                search: input.search.clone(),
                ..Default::default()
            })?;
            return Ok(Recipients::All {
                search: query.search,
                prefix: query.filter.prefix,
            });
        }
        if chosen.is_empty() {
            return Err(Error::said("people", Said::NudgeWhom));
        }
        if chosen.len() > CHOSEN_MAX {
            return Err(Error::said(
                "people",
                Said::TooManyChosen { max: CHOSEN_MAX },
            ));
        }
        let mut ids: Vec<UserId> = vec![];
        let mut malformed = 0;
        for p in chosen {
            // an id latchkey hands out: short, plain characters
            if p.len() > 64
                || !p
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                malformed += 1;
                continue;
            }
            let id = UserId::from(p.to_owned());
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if malformed > 0 {
            return Err(Error::said(
                "people",
                Said::UnknownPeople { count: malformed },
            ));
        }
        Ok(Recipients::Chosen(ids))
    }
}

/// Whom a reminder would reach, and whom it would leave out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReminderPlan {
    /// Not ready, active, not reminded in the last week.
    pub to_remind: Vec<Listed>,
    /// Not ready, but reminded in the last week: skipped.
    pub recently: i64,
    /// Chosen people who are ready, or disabled: nothing to remind of.
    pub not_needed: i64,
    /// Not ready, not reminded, beyond this batch: the next one reaches
    /// them.
    pub later: i64,
}

/// What a reminder came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct ReminderOutcome {
    /// Mails queued, one per person.
    pub sent: i64,
    /// Skipped: reminded in the last week.
    pub skipped_recently_reminded: i64,
    /// Skipped: ready already, or disabled.
    pub skipped_not_needed: i64,
    /// Not ready and not reminded, left for the next batch.
    pub remaining: i64,
}

/// Who `recipients` would reach now (the confirmation step shows it).
pub async fn plan<S: UserStore + ReadinessStore>(
    store: &S,
    tenant: &Tenant,
    recipients: &Recipients,
    now: UnixTime,
) -> Result<ReminderPlan, Error> {
    let since = recent_since(now);
    match recipients {
        Recipients::All { prefix, .. } => {
            let counts = store
                .readiness_counts(&tenant.id, prefix.as_deref(), since)
                .await?;
            let filter = PeopleFilter {
                prefix: prefix.clone(),
                unready: true,
                skip_nudged_after: Some(since),
                ..PeopleFilter::first(BATCH)
            };
            let rows = store.list_people(&tenant.id, &filter).await?;
            let to_remind: Vec<Listed> = rows.into_iter().map(directory::listed).collect();
            let unready = counts.people - counts.ready;
            let later = (unready - counts.nudged_recently - to_remind.len() as i64).max(0);
            Ok(ReminderPlan {
                to_remind,
                recently: counts.nudged_recently,
                not_needed: 0,
                later,
            })
        }
        Recipients::Chosen(ids) => {
            let filter = PeopleFilter {
                ids: ids.clone(),
                ..PeopleFilter::first(ids.len() as u32)
            };
            let rows = store.list_people(&tenant.id, &filter).await?;
            if rows.len() < ids.len() {
                return Err(Error::said(
                    "people",
                    Said::UnknownPeople {
                        count: ids.len() - rows.len(),
                    },
                ));
            }
            let mut plan = ReminderPlan::default();
            for person in rows.into_iter().map(directory::listed) {
                if !person.user.is_active() || person.readiness.ready() {
                    plan.not_needed += 1;
                } else if person.nudged_at.is_some_and(|at| at > since) {
                    plan.recently += 1;
                } else {
                    plan.to_remind.push(person);
                }
            }
            Ok(plan)
        }
    }
}

/// The reminder mail to `person`, in their language, naming what they
/// lack and leading to their account page.
fn reminder_mail(
    random: &dyn Random,
    tenant: &Tenant,
    person: &Listed,
    now: UnixTime,
) -> OutboxMail {
    OutboxMail {
        id: new_id(random),
        tenant_id: Some(tenant.id.clone()),
        recipient: person.user.email.clone(),
        language: person.user.language.unwrap_or(tenant.default_language),
        message: MailMessage::ReadinessReminder {
            tenant_name: tenant.display_name.clone(),
            display_name: person.user.display_name.clone(),
            missing: person.readiness.missing(),
            link: Link::Page(Page::Account {
                tenant: tenant.slug.to_string(),
            }),
        },
        created_at: now,
    }
}

/// Reminds `recipients` by mail: one batch, counted against
/// [`REMINDER_LIMIT`]; each person reminded gets their mail and an audit
/// event (`user.readiness.reminded`, the administrator as the actor,
/// naming what was missing), written with the mark that they were
/// reminded, in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn remind<S: UserStore + ReadinessStore + RateLimitStore>(
    store: &S,
    random: &dyn Random,
    clock: &dyn Clock,
    tenant: &Tenant,
    recipients: &Recipients,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<ReminderOutcome, Error> {
    let now = clock.now();
    let plan = plan(store, tenant, recipients, now).await?;
    let hit = store
        .rate_limit_add(&limit_key(&tenant.id), 1, now, REMINDER_LIMIT.window_secs)
        .await?;
    if REMINDER_LIMIT.exceeded(&hit) {
        return Err(Error::RateLimited {
            retry_after_secs: REMINDER_LIMIT.retry_after(&hit, now),
        });
    }
    let nudges: Vec<Nudge> = plan
        .to_remind
        .iter()
        .map(|person| {
            let mut audit = audit_event(
                random,
                clock,
                &tenant.id,
                Some(&person.user.id),
                actor.clone(),
                AuditKind::UserReadinessReminded,
                meta,
            );
            let missing: Vec<&str> = person
                .readiness
                .missing()
                .iter()
                .map(|m| m.as_str())
                .collect();
            audit.detail = serde_json::json!({ "missing": missing }).to_string();
            Nudge {
                user_id: person.user.id.clone(),
                mail: reminder_mail(random, tenant, person, now),
                audit,
            }
        })
        .collect();
    let sent = store
        .record_nudges(&tenant.id, &nudges, recent_since(now), now)
        .await?;
    let sent = sent.len() as i64;
    // reminded by someone else since the plan was made
    let raced = plan.to_remind.len() as i64 - sent;
    Ok(ReminderOutcome {
        sent,
        skipped_recently_reminded: plan.recently + raced,
        skipped_not_needed: plan.not_needed,
        remaining: plan.later,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::enrolment::Readiness;

    fn fields(err: Error) -> Vec<(String, String)> {
        match err {
            Error::Invalid(errors) => errors
                .into_iter()
                .map(|e| (e.field, format!("{:?}", e.said)))
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    fn chosen(ids: &[&str]) -> ReminderInput {
        ReminderInput {
            people: ids.iter().map(|s| (*s).to_owned()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_share_is_whole_percent_rounded_down() {
        let c = |people, ready| ReadinessCounts {
            people,
            ready,
            nudged_recently: 0,
        };
        assert_eq!(percent(&c(530, 412)), Some(77));
        assert_eq!(percent(&c(3, 2)), Some(66));
        assert_eq!(percent(&c(1000, 999)), Some(99), "not 100 until everyone");
        assert_eq!(percent(&c(4, 4)), Some(100));
        assert_eq!(percent(&c(0, 0)), None);
    }

    #[test]
    fn recipients_are_everyone_in_the_list_or_chosen_people() {
        let all = Recipients::parse(&ReminderInput {
            all: true,
            search: Some(" Bob ".into()),
            people: vec![" ".into()],
        })
        .unwrap();
        assert_eq!(
            all,
            Recipients::All {
                search: "Bob".into(),
                prefix: Some("bob".into())
            }
        );
        assert_eq!(
            Recipients::parse(&chosen(&["a1", " b2 ", "a1", ""])).unwrap(),
            Recipients::Chosen(vec!["a1".to_owned().into(), "b2".to_owned().into()])
        );
    }

    #[test]
    fn a_reminder_to_nobody_or_to_too_many_is_refused() {
        let whom = fields(Recipients::parse(&ReminderInput::default()).unwrap_err());
        assert_eq!(whom[0].0, "people");
        assert!(whom[0].1.contains("NudgeWhom"), "{whom:?}");
        let both = ReminderInput {
            all: true,
            ..chosen(&["a1"])
        };
        assert_eq!(fields(Recipients::parse(&both).unwrap_err())[0].0, "people");
        let many: Vec<String> = (0..=CHOSEN_MAX).map(|i| format!("id{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let err = fields(Recipients::parse(&chosen(&many)).unwrap_err());
        assert!(err[0].1.contains("TooManyChosen"), "{err:?}");
        let err = fields(Recipients::parse(&chosen(&["a1", "<script>", "x y"])).unwrap_err());
        assert!(err[0].1.contains("UnknownPeople { count: 2 }"), "{err:?}");
        let long = "a".repeat(65);
        let err = fields(Recipients::parse(&chosen(&[&long])).unwrap_err());
        assert!(err[0].1.contains("UnknownPeople"), "{err:?}");
        // a search that is no search
        let err = fields(
            Recipients::parse(&ReminderInput {
                all: true,
                search: Some("a\u{0}".into()),
                people: vec![],
            })
            .unwrap_err(),
        );
        assert_eq!(err[0].0, "q");
    }

    #[test]
    fn every_unready_person_is_told_something() {
        let unready: Vec<_> = Readiness::every().filter(|r| !r.ready()).collect();
        assert_eq!(unready.len(), 5);
        assert!(unready.iter().all(|r| !r.missing().is_empty()));
    }
}
