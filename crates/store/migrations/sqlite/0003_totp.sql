-- TOTP authenticators (one per user, secret sealed) and two-step sessions.
CREATE TABLE totp_credentials (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed  TEXT NOT NULL,
    last_used_step BIGINT,
    created_at     BIGINT NOT NULL,
    CONSTRAINT totp_credentials_user_unique UNIQUE (user_id)
);

ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'complete' CHECK (stage IN ('complete', 'second_factor'));
