//! Telling an account's owner that how it is protected changed: a factor
//! added or removed, a recovery started, locked, cancelled or completed, a
//! password changed — in their language, to their address.

use crate::accounts::user::User;
use crate::effects::audit::RequestMeta;
use crate::effects::mail::{MailMessage, Origin, OutboxMail, SecurityEvent};
use crate::platform::client::{coarse_address, device};
use crate::platform::clock::UnixTime;
use crate::platform::random::{Random, new_id};
use crate::tenants::Tenant;

/// The notice of `event` for `user`, in their language.
pub fn security_notice(
    random: &dyn Random,
    tenant: &Tenant,
    user: &User,
    event: SecurityEvent,
    now: UnixTime,
) -> OutboxMail {
    OutboxMail {
        id: new_id(random),
        tenant_id: Some(tenant.id.clone()),
        recipient: user.email.clone(),
        language: user.language.unwrap_or(tenant.default_language),
        message: MailMessage::SecurityNotice {
            tenant_name: tenant.display_name.clone(),
            display_name: user.display_name.clone(),
            event,
            at: now.0,
            time_zone: tenant.mail_time_zone(),
            helpdesk_url: tenant.helpdesk_url.clone(),
            origin: Origin::default(),
        },
        created_at: now,
    }
}

/// Where `meta`'s request came from, as a notice tells it.
pub fn origin(meta: &RequestMeta) -> Origin {
    let named = device(meta.user_agent.as_deref().unwrap_or(""));
    Origin {
        browser: named.browser.map(str::to_owned),
        system: named.system.map(str::to_owned),
        address: meta.ip.as_deref().and_then(coarse_address),
    }
}

impl OutboxMail {
    /// A security notice that also says where the person's request that
    /// caused it came from (other mail is left as it is).
    pub fn from_request(mut self, meta: &RequestMeta) -> OutboxMail {
        if let MailMessage::SecurityNotice { origin: o, .. } = &mut self.message {
            *o = origin(meta);
        }
        self
    }
}

/// The notice of a complete sign-in from a browser that is not a known
/// device of `user`, in their language: when, which browser (as its
/// `User-Agent` names itself), from roughly where.
pub fn new_sign_in(
    random: &dyn Random,
    tenant: &Tenant,
    user: &User,
    meta: &RequestMeta,
    now: UnixTime,
) -> OutboxMail {
    let Origin {
        browser,
        system,
        address,
    } = origin(meta);
    OutboxMail {
        id: new_id(random),
        tenant_id: Some(tenant.id.clone()),
        recipient: user.email.clone(),
        language: user.language.unwrap_or(tenant.default_language),
        message: MailMessage::NewSignIn {
            tenant_name: tenant.display_name.clone(),
            display_name: user.display_name.clone(),
            at: now.0,
            time_zone: tenant.mail_time_zone(),
            browser,
            system,
            address,
        },
        created_at: now,
    }
}
