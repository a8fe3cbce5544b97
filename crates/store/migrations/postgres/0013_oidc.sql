-- OpenID Connect. Signing keys become per tenant: each tenant is its own
-- issuer, and one tenant's key must never verify another tenant's tokens.
-- No token was issued before this migration, so the deployment-wide keys
-- are dropped; the server makes each tenant's first key when it needs one.
DROP TABLE signing_keys;
CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    alg            TEXT NOT NULL CHECK (alg IN ('ES256')),
    public_jwk     TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    retired_at     BIGINT
);
CREATE INDEX signing_keys_tenant ON signing_keys (tenant_id, created_at);

-- Authorization codes: single use, SHA-256 of the code, a minute of life.
CREATE TABLE oauth_codes (
    code_hash      TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_hash   TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scope          TEXT NOT NULL,
    nonce          TEXT,
    code_challenge TEXT,
    auth_time      BIGINT NOT NULL,
    amr            TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT,
    grant_id       TEXT
);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

-- A grant: what one redeemed code (or one client-credentials request) gave.
-- Its refresh tokens form one family; revoking the grant ends them all and
-- every access token that names it.
CREATE TABLE oauth_grants (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id        TEXT REFERENCES users (id) ON DELETE CASCADE,
    session_hash   TEXT,
    scope          TEXT NOT NULL,
    amr            TEXT NOT NULL,
    auth_time      BIGINT NOT NULL,
    security_stamp TEXT,
    code_hash      TEXT,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    revoked_at     BIGINT
);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id);
CREATE INDEX oauth_grants_session ON oauth_grants (session_hash);
CREATE INDEX oauth_grants_code ON oauth_grants (code_hash);

-- Refresh tokens: SHA-256 of the token; rotated on every use. A used one
-- presented again revokes its whole grant (reuse detection).
CREATE TABLE oauth_refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    grant_id   TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (grant_id);

-- What a user allowed a third-party application, remembered until revoked.
CREATE TABLE oauth_consents (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    scope      TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
