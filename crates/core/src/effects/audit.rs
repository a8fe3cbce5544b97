//! The audit trail: who did what to whom, from where, and when.

use crate::platform::clock::{Clock, UnixTime};
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

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    pub id: String,
    pub tenant_id: Option<String>,
    /// The user the event is about.
    pub user_id: Option<String>,
    /// Who acted: `user:<id>`, `admin:<id>`, `operator` or `system`.
    pub actor: String,
    /// Dotted event name, e.g. `signin.succeeded`.
    pub event: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Event-specific detail as a JSON object; never secrets.
    pub detail: String,
    pub at: UnixTime,
}

/// An event about `user_id` in `tenant`, now, from the request `meta`.
pub fn audit_event(
    random: &dyn Random,
    clock: &dyn Clock,
    tenant_id: &str,
    user_id: Option<&str>,
    actor: String,
    event: &str,
    meta: &RequestMeta,
) -> AuditEvent {
    AuditEvent {
        id: new_id(random),
        tenant_id: Some(tenant_id.to_owned()),
        user_id: user_id.map(str::to_owned),
        actor,
        event: event.to_owned(),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        detail: "{}".to_owned(),
        at: clock.now(),
    }
}
