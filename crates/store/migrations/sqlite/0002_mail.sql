-- Languages, the mail outbox and email verification links.
ALTER TABLE tenants ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'de', 'fr'));
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en', 'de', 'fr'));

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT,
    recipient       TEXT NOT NULL,
    language        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    params          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE outbox_attempts (
    message_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    attempt    BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed')),
    detail     TEXT,
    PRIMARY KEY (message_id, attempt)
);

CREATE TABLE email_verifications (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email_key  TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT email_verifications_token_unique UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX email_verifications_user ON email_verifications (user_id);
