-- Reminders to prepare for losing a second factor (decision 0024): when an
-- administrator last reminded the person, so that nobody is reminded more
-- than once a week. The store sets it in the transaction that queues the
-- reminder's mail.
ALTER TABLE users ADD COLUMN reminded_at BIGINT;
-- Whether a person holds an unused recovery code, probed once per person
-- when a tenant's readiness is counted: answered from this index alone.
CREATE INDEX recovery_codes_unused ON recovery_codes (user_id) WHERE used_at IS NULL;
