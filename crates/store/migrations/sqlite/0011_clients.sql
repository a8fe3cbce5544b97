-- Applications that use latchkey through OpenID Connect, per tenant.
CREATE TABLE oauth_clients (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id          TEXT NOT NULL CONSTRAINT oauth_clients_client_id_unique UNIQUE,
    name               TEXT NOT NULL,
    secret_hash        TEXT,
    redirect_uris      TEXT NOT NULL,
    post_logout_uris   TEXT NOT NULL,
    grant_types        TEXT NOT NULL,
    first_party        INTEGER NOT NULL,
    access_token_secs  BIGINT NOT NULL,
    refresh_token_secs BIGINT NOT NULL,
    created_at         BIGINT NOT NULL
);
CREATE INDEX oauth_clients_tenant ON oauth_clients (tenant_id);
