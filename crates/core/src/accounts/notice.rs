//! Telling an account's owner that how it is protected changed: a factor
//! added or removed, a recovery started, locked, cancelled or completed, a
//! password changed — in their language, to their address.

use crate::accounts::user::User;
use crate::effects::mail::{MailMessage, OutboxMail, SecurityEvent};
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
            helpdesk_url: tenant.helpdesk_url.clone(),
        },
        created_at: now,
    }
}
