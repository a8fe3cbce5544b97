-- Invitations of a tenant's administrator: mailed single-use links, stored
-- as the SHA-256 of their token, valid for seven days. A newer invitation
-- to the same address replaces an unused older one.
CREATE TABLE admin_invitations (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    email_key  TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT admin_invitations_token_unique UNIQUE,
    invited_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    user_id    TEXT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX admin_invitations_tenant ON admin_invitations (tenant_id, created_at);
