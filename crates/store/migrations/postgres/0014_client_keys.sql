-- private_key_jwt: an application may register public keys (a JWK Set)
-- instead of having a secret. Each client assertion's jti is used once.
ALTER TABLE oauth_clients ADD COLUMN jwks TEXT;
CREATE TABLE oauth_assertions (
    jti_hash   TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oauth_assertions_expiry ON oauth_assertions (expires_at);

-- A code remembers the user's security stamp when it was issued: a
-- password or factor reset between issue and redemption voids it.
ALTER TABLE oauth_codes ADD COLUMN security_stamp TEXT;

-- Refresh tokens are not stored: each is a MAC over (grant, generation);
-- the grant keeps the generation that works now, moved on by every use in
-- one statement. An earlier generation presented again revokes the grant.
DROP TABLE oauth_refresh_tokens;
ALTER TABLE oauth_grants ADD COLUMN refresh_generation BIGINT NOT NULL DEFAULT 0;

-- RS256 for applications that ask for it: signing keys of either
-- algorithm, and the algorithm an application's tokens are signed with.
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_alg_check;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_alg_check CHECK (alg IN ('ES256', 'RS256'));
ALTER TABLE oauth_clients ADD COLUMN token_alg TEXT NOT NULL DEFAULT 'ES256' CHECK (token_alg IN ('ES256', 'RS256'));
