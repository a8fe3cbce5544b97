-- Account Self-Recovery: cases, what second factors a user had (history),
-- devices a user signed in from, and the tenant's recovery settings.
CREATE TABLE recovery_cases (
    id                    TEXT PRIMARY KEY,
    tenant_id             TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id               TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state                 TEXT NOT NULL CHECK (state IN ('started', 'proven', 'waiting', 'ready', 'completed', 'cancelled', 'expired', 'locked')),
    is_open               BOOLEAN NOT NULL,
    proof_email_code      BOOLEAN NOT NULL,
    proof_password        BOOLEAN NOT NULL,
    proof_recovery_code   BOOLEAN NOT NULL,
    known_device          BOOLEAN NOT NULL,
    wrong_codes           BIGINT NOT NULL,
    email_key             TEXT,
    email_code_hash       TEXT,
    email_code_expires_at BIGINT,
    browser_hash          TEXT NOT NULL,
    cancel_token_hash     TEXT,
    return_to             TEXT,
    started_at            BIGINT NOT NULL,
    ready_at              BIGINT,
    expires_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    version               BIGINT NOT NULL,
    closed_at             BIGINT
);
-- At most one proven open case per user; unproven attempts belong to their
-- browsers and do not block each other.
CREATE UNIQUE INDEX recovery_cases_one_open ON recovery_cases (user_id) WHERE is_open AND state <> 'started';
CREATE INDEX recovery_cases_user ON recovery_cases (user_id);
CREATE INDEX recovery_cases_tenant ON recovery_cases (tenant_id, started_at);
CREATE INDEX recovery_cases_browser ON recovery_cases (browser_hash);
CREATE UNIQUE INDEX recovery_cases_cancel ON recovery_cases (cancel_token_hash);

-- Second factors a user had: kept after the secrets are gone (NIST SP 800-63B-4 §4.1).
CREATE TABLE factor_history (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('totp', 'passkey', 'recovery_codes')),
    name        TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    removed_at  BIGINT NOT NULL,
    removed_by  TEXT NOT NULL
);
CREATE INDEX factor_history_user ON factor_history (user_id, removed_at);

-- Browsers a user completed a sign-in from (the cookie holds a random id).
CREATE TABLE known_devices (
    id_hash      TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);

ALTER TABLE tenants ADD COLUMN recovery_waiting_secs BIGINT NOT NULL DEFAULT 86400;
ALTER TABLE tenants ADD COLUMN recovery_known_device_secs BIGINT NOT NULL DEFAULT 7776000;
ALTER TABLE tenants ADD COLUMN helpdesk_text TEXT;
ALTER TABLE tenants ADD COLUMN helpdesk_url TEXT;
