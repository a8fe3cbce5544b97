-- Accounts of the operator console (made with `latchkey operator
-- add-account`): an argon2id password hash and a sealed authenticator-app
-- secret, both required at sign-in; console sessions of their own, stored
-- as the SHA-256 of the cookie's value.
CREATE TABLE operator_accounts (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL CONSTRAINT operator_accounts_name_unique UNIQUE,
    password_hash  TEXT NOT NULL,
    totp_sealed    TEXT NOT NULL,
    totp_last_step BIGINT,
    created_at     BIGINT NOT NULL,
    disabled_at    BIGINT
);
CREATE TABLE operator_sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES operator_accounts (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
-- The operator log reads only operators' events (and failed console
-- sign-ins), newest first: a partial index holds just those rows, so other
-- audit writes pay nothing for it. Its condition is the query's, word for
-- word.
CREATE INDEX audit_events_operator ON audit_events (at)
    WHERE actor = 'operator' OR actor LIKE 'operator:%' OR event = 'operator.signin.failed';
