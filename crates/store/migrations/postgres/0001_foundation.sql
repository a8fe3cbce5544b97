-- Tenants, users, sessions, rate-limit counters and the audit trail.
CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    slug          TEXT NOT NULL CONSTRAINT tenants_slug_unique UNIQUE,
    display_name  TEXT NOT NULL,
    onboarding    TEXT NOT NULL CHECK (onboarding IN ('v1', 'v2')),
    second_factor TEXT NOT NULL CHECK (second_factor IN ('off', 'optional', 'required')),
    self_recovery BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    username       TEXT NOT NULL,
    username_key   TEXT NOT NULL,
    email          TEXT NOT NULL,
    email_key      TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    email_verified BOOLEAN NOT NULL,
    password_hash  TEXT,
    security_stamp TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT users_username_unique UNIQUE (tenant_id, username_key),
    CONSTRAINT users_email_unique UNIQUE (tenant_id, email_key)
);

CREATE TABLE sessions (
    id_hash        TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    auth_time      BIGINT NOT NULL,
    methods        TEXT NOT NULL,
    security_stamp TEXT NOT NULL,
    ip             TEXT,
    user_agent     TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count        BIGINT NOT NULL
);

CREATE TABLE audit_events (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT,
    user_id    TEXT,
    actor      TEXT NOT NULL,
    event      TEXT NOT NULL,
    ip         TEXT,
    user_agent TEXT,
    detail     TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX audit_events_tenant_at ON audit_events (tenant_id, at);
