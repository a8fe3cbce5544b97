-- A change of address waits for a link mailed to the new address: stored as
-- the SHA-256 of its token, used once, for 24 hours, and only while the
-- account still has the address it replaces. One open change per person.
CREATE TABLE email_changes (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email     TEXT NOT NULL,
    new_email_key TEXT NOT NULL,
    old_email_key TEXT NOT NULL,
    token_hash    TEXT NOT NULL CONSTRAINT email_changes_token_unique UNIQUE,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT
);
CREATE INDEX email_changes_user ON email_changes (user_id);
-- When the address last changed: a fresh address is not yet a recovery proof.
ALTER TABLE users ADD COLUMN email_changed_at BIGINT;
