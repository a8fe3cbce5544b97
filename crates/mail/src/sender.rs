//! Drains the outbox: claims due messages with a lease, renders and delivers
//! each, and records the outcome. Temporary failures are retried with backoff
//! (see `core::mail`); permanent ones are marked failed. A node that dies
//! mid-send leaves a lease that expires, so the message is tried again.

use std::sync::Arc;
use std::time::Duration;

use latchkey_core::effects::mail::{ClaimedMail, Delivery, after_failure};
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::{Random, new_id};
use latchkey_core::store::{OutboxStore, StoreError};
use lettre::message::Mailbox;

use crate::render::{Links, render};
use crate::transport::Transport;

/// How long a claimed message is reserved for one sender: well beyond one
/// SMTP conversation (a few 20-second timeouts).
pub const LEASE_SECS: i64 = 300;
/// Messages are claimed one at a time, so a slow server never holds a batch
/// past its lease.
const BATCH: u32 = 1;

pub struct Sender<S> {
    pub store: S,
    pub transport: Transport,
    pub from: Mailbox,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    pub links: Links,
}

impl<S: OutboxStore> Sender<S> {
    /// Claims and delivers due messages until none are left; returns how many
    /// were attempted.
    pub async fn drain(&self) -> Result<usize, StoreError> {
        let mut attempted = 0;
        loop {
            let claim: String = new_id(&*self.random);
            let claimed = self
                .store
                .claim_mail(self.clock.now(), LEASE_SECS, BATCH, &claim)
                .await?;
            if claimed.is_empty() {
                return Ok(attempted);
            }
            for mail in claimed {
                attempted += 1;
                let outcome = self.deliver(&mail).await;
                let recorded = self
                    .store
                    .record_delivery(&mail.mail.id, &claim, &outcome, self.clock.now())
                    .await?;
                if !recorded {
                    tracing::warn!(id = %mail.mail.id, "outbox lease ended before the outcome was recorded; another sender has the message");
                }
            }
        }
    }

    async fn deliver(&self, claimed: &ClaimedMail) -> Delivery {
        let mail = &claimed.mail;
        let now = self.clock.now();
        let rendered = match render(&mail.message, mail.language, &self.links) {
            Ok(r) => r,
            Err(e) => return after_failure(claimed.attempts, format!("rendering: {e}"), true, now),
        };
        let message = match Transport::message(&self.from, &mail.recipient, &mail.id, &rendered) {
            Ok(m) => m,
            Err(e) => return after_failure(claimed.attempts, e.message, e.permanent, now),
        };
        let stem = format!("{}-{}", mail.created_at.0, mail.id);
        match self.transport.send(message, &stem).await {
            Ok(Some(path)) => {
                tracing::info!(kind = mail.message.kind(), path = %path.display(), "mail written to a file (no SMTP server configured); `latchkey mail list` shows it");
                Delivery::Sent
            }
            Ok(None) => {
                tracing::info!(kind = mail.message.kind(), id = %mail.id, "mail delivered");
                Delivery::Sent
            }
            Err(e) => {
                let outcome = after_failure(claimed.attempts, e.message, e.permanent, now);
                tracing::warn!(kind = mail.message.kind(), id = %mail.id, ?outcome, "mail not delivered");
                outcome
            }
        }
    }

    /// Drains every `poll` until the task is dropped; errors are logged and
    /// retried at the next poll.
    pub async fn run(self, poll: Duration) {
        let mut tick = tokio::time::interval(poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = self.drain().await {
                tracing::warn!(error = %err, "outbox: cannot read or record deliveries; retrying");
            }
        }
    }
}
