-- "Forgot password" for an address no account has writes a void link row,
-- the same statements as a real request, so that the answer's timing does
-- not tell the two apart (docs/security/timing.md): its user is NULL, its
-- token was never shown to anyone, and no lookup returns it. SQLite cannot
-- drop NOT NULL in place, so the table is rebuilt.
CREATE TABLE password_resets_new (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL CONSTRAINT password_resets_token_unique UNIQUE,
    email_key  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
INSERT INTO password_resets_new (id, tenant_id, user_id, token_hash, email_key, created_at, expires_at, used_at)
    SELECT id, tenant_id, user_id, token_hash, email_key, created_at, expires_at, used_at FROM password_resets;
DROP TABLE password_resets;
ALTER TABLE password_resets_new RENAME TO password_resets;
CREATE INDEX password_resets_user ON password_resets (user_id);
