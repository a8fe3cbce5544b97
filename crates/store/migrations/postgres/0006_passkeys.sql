-- Passkeys and security keys (WebAuthn), the state of running ceremonies,
-- and the tenant setting for sign-in with a passkey alone.
CREATE TABLE passkeys (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    credential_id   TEXT NOT NULL,
    passkey         TEXT NOT NULL,
    backup_eligible BOOLEAN NOT NULL,
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT,
    -- WebAuthn §7.1: a credential id registered to any account is refused.
    CONSTRAINT passkeys_credential_unique UNIQUE (credential_id)
);

CREATE TABLE passkey_ceremonies (
    id_hash      TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      TEXT REFERENCES users (id) ON DELETE CASCADE,
    session_hash TEXT,
    kind         TEXT NOT NULL CHECK (kind IN ('register', 'second_factor', 'passwordless', 'reauth')),
    name         TEXT,
    state_sealed TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX passkey_ceremonies_session ON passkey_ceremonies (session_hash);
CREATE INDEX passkey_ceremonies_expiry ON passkey_ceremonies (expires_at);

ALTER TABLE tenants ADD COLUMN passwordless BOOLEAN NOT NULL DEFAULT FALSE;
