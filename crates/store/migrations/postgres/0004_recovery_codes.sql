-- Printed recovery codes: stored as SHA-256 hashes, each usable once.
CREATE TABLE recovery_codes (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at    BIGINT,
    CONSTRAINT recovery_codes_user_hash_unique UNIQUE (user_id, code_hash)
);
