-- Tokens for the operator JSON API (/api/operator/...): made with
-- `latchkey operator token create`, shown once, kept as SHA-256.
CREATE TABLE operator_tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT operator_tokens_hash_unique UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
