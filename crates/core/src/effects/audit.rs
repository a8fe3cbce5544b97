//! The audit trail: who did what to whom, from where, and when.

pub use crate::effects::audit_kind::AuditKind;
use crate::platform::clock::{Clock, UnixTime};
use crate::platform::ids::{OperatorAccountId, TenantId, UserId};
use crate::platform::random::{Random, new_id};

/// Where a request came from; passed from the edge to every service that audits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

pub const USER_AGENT_MAX: usize = 400;

impl RequestMeta {
    pub fn new(ip: Option<String>, user_agent: Option<&str>) -> Self {
        let user_agent = user_agent.map(|ua| {
            ua.chars()
                .filter(|c| !c.is_control())
                .take(USER_AGENT_MAX)
                .collect()
        });
        RequestMeta { ip, user_agent }
    }
}

/// Who did something, as the audit trail (and an activation request's
/// `requested_by`/`decided_by`) records it: the text is what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Actor {
    /// A user acting for themselves: `user:<id>`.
    User(UserId),
    /// A tenant administrator acting on someone else: `admin:<id>`.
    Admin(UserId),
    /// The operator, through the operator API: `operator`.
    Operator,
    /// The operator, at the command line: `operator:cli`.
    OperatorCli,
    /// An operator signed in to the console: `operator:account:<id>`.
    OperatorAccount(OperatorAccountId),
    /// latchkey itself (housekeeping, a surge it noticed): `system`.
    System,
    /// Someone not (yet) known: a failed sign-in, a recovery start.
    Anonymous,
}

impl Actor {
    /// Reads a stored actor; `None` for text no actor is written as.
    pub fn parse(text: &str) -> Option<Actor> {
        Some(match text {
            "operator" => Actor::Operator,
            "operator:cli" => Actor::OperatorCli,
            "system" => Actor::System,
            "anonymous" => Actor::Anonymous,
            _ => match text.split_once(':')? {
                ("user", id) if !id.is_empty() => Actor::User(UserId::new(id)),
                ("admin", id) if !id.is_empty() => Actor::Admin(UserId::new(id)),
                ("operator", rest) => match rest.split_once(':')? {
                    ("account", id) if !id.is_empty() => {
                        Actor::OperatorAccount(OperatorAccountId::new(id))
                    }
                    _ => return None,
                },
                _ => return None,
            },
        })
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::User(id) => write!(f, "user:{id}"),
            Actor::Admin(id) => write!(f, "admin:{id}"),
            Actor::Operator => f.write_str("operator"),
            Actor::OperatorCli => f.write_str("operator:cli"),
            Actor::OperatorAccount(id) => write!(f, "operator:account:{id}"),
            Actor::System => f.write_str("system"),
            Actor::Anonymous => f.write_str("anonymous"),
        }
    }
}

/// As its stored text.
impl serde::Serialize for Actor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    pub id: String,
    pub tenant_id: Option<TenantId>,
    /// The user the event is about.
    pub user_id: Option<UserId>,
    /// Who acted.
    pub actor: Actor,
    /// Dotted event name, e.g. `signin.succeeded`: an [`AuditKind`]'s
    /// word (rows written before a kind was retired keep theirs).
    pub event: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Event-specific detail as a JSON object; never secrets.
    pub detail: String,
    pub at: UnixTime,
}

/// Which of a tenant's events a reading of the audit log takes: what
/// `accounts::audit_log` parsed from a filter, for the store to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Events about this person (`user_id`) or done by them, as themselves
    /// or as an administrator (`user:<id>`, `admin:<id>`).
    pub person: Option<UserId>,
    pub kind: Option<AuditKind>,
    /// Events at or after this time.
    pub from: Option<UnixTime>,
    /// Events before this time.
    pub until: Option<UnixTime>,
    /// Events after this one in the log's order (newest first: older, or
    /// as old with a smaller id) — the next page of a keyset paging.
    pub after: Option<AuditCursor>,
}

/// Where a page of the audit log ended: the last event's time and id. The
/// log is ordered by both, newest first, so the next page starts exactly
/// after it, however many events were written meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    pub at: UnixTime,
    pub id: String,
}

impl AuditCursor {
    /// Most characters of an event id a cursor may carry (ids are UUIDs).
    const ID_MAX: usize = 64;

    pub fn of(event: &AuditEvent) -> Self {
        AuditCursor {
            at: event.at,
            id: event.id.clone(),
        }
    }

    /// As links and the API carry it: opaque, URL-safe.
    pub fn encode(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{}.{}", self.at.0, self.id))
    }

    /// A cursor [`AuditCursor::encode`] made; `None` for any other text.
    pub fn decode(text: &str) -> Option<Self> {
        use base64::Engine;
        if text.len() > 2 * Self::ID_MAX {
            return None;
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (at, id) = text.split_once('.')?;
        let at = at.parse::<i64>().ok().filter(|at| *at >= 0)?;
        let id_ok = !id.is_empty()
            && id.len() <= Self::ID_MAX
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        id_ok.then(|| AuditCursor {
            at: UnixTime(at),
            id: id.to_owned(),
        })
    }
}

/// An event about `user_id` in `tenant`, now, from the request `meta`.
pub fn audit_event(
    random: &dyn Random,
    clock: &dyn Clock,
    tenant_id: &TenantId,
    user_id: Option<&UserId>,
    actor: Actor,
    event: AuditKind,
    meta: &RequestMeta,
) -> AuditEvent {
    AuditEvent {
        id: new_id(random),
        tenant_id: Some(tenant_id.clone()),
        user_id: user_id.cloned(),
        actor,
        event: event.as_str().to_owned(),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        detail: "{}".to_owned(),
        at: clock.now(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_read_back_as_written() {
        for actor in [
            Actor::User(UserId::new("u-1")),
            Actor::Admin(UserId::new("a:1")),
            Actor::Operator,
            Actor::OperatorCli,
            Actor::OperatorAccount(OperatorAccountId::new("o-1")),
            Actor::System,
            Actor::Anonymous,
        ] {
            assert_eq!(Actor::parse(&actor.to_string()), Some(actor.clone()));
        }
        assert_eq!(Actor::User(UserId::new("u-1")).to_string(), "user:u-1");
        assert_eq!(Actor::OperatorCli.to_string(), "operator:cli");
        assert_eq!(
            serde_json::to_string(&Actor::Admin(UserId::new("a"))).unwrap(),
            "\"admin:a\""
        );
        for bad in ["", "user:", "root", "helpdesk:x"] {
            assert_eq!(Actor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn cursors_read_back_and_nothing_else_is_one() {
        let cursor = AuditCursor {
            at: UnixTime(1_764_950_000),
            id: "0b6f2c1e-5d7a-4c3b-9a8e-1f2d3c4b5a69".into(),
        };
        let text = cursor.encode();
        assert!(
            text.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(AuditCursor::decode(&text), Some(cursor));
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        for bad in [
            String::new(),
            "not a cursor".into(),
            b64("12"),
            b64("-1.abc"),
            b64("x.abc"),
            b64("12."),
            b64("12.a'b"),
            b64(&format!("12.{}", "a".repeat(65))),
        ] {
            assert_eq!(AuditCursor::decode(&bad), None, "{bad}");
        }
    }
}
