-- Decoys are stored cases with no account behind them (user_id NULL): they
-- run the same code path as real cases (the same writes, the same atomic
-- counting of wrong proofs, the same expiry). A case also keeps when its
-- proofs sufficed (a case proven again in another browser keeps the
-- original's completion time where the original waited) and whether it
-- started during a surge of starts in its tenant (a longer wait), and
-- whether its emailed code was withheld (too many starts for that name).
-- A deleted account's cases become decoys (SET NULL), not gone.
-- SQLite cannot drop NOT NULL in place: the table is rebuilt.
CREATE TABLE recovery_cases_new (
    id                    TEXT PRIMARY KEY,
    tenant_id             TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id               TEXT REFERENCES users (id) ON DELETE SET NULL,
    state                 TEXT NOT NULL CHECK (state IN ('started', 'proven', 'waiting', 'ready', 'completed', 'cancelled', 'expired', 'locked')),
    is_open               INTEGER NOT NULL,
    proof_email_code      INTEGER NOT NULL,
    proof_password        INTEGER NOT NULL,
    proof_recovery_code   INTEGER NOT NULL,
    known_device          INTEGER NOT NULL,
    surge                 INTEGER NOT NULL DEFAULT 0,
    code_withheld         INTEGER NOT NULL DEFAULT 0,
    wrong_codes           BIGINT NOT NULL,
    email_key             TEXT,
    email_code_hash       TEXT,
    email_code_expires_at BIGINT,
    browser_hash          TEXT NOT NULL,
    cancel_token_hash     TEXT,
    return_to             TEXT,
    started_at            BIGINT NOT NULL,
    proven_at             BIGINT,
    ready_at              BIGINT,
    expires_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    version               BIGINT NOT NULL,
    closed_at             BIGINT
);
INSERT INTO recovery_cases_new (id, tenant_id, user_id, state, is_open, proof_email_code,
    proof_password, proof_recovery_code, known_device, surge, wrong_codes, email_key,
    email_code_hash, email_code_expires_at, browser_hash, cancel_token_hash, return_to,
    started_at, proven_at, ready_at, expires_at, updated_at, version, closed_at)
SELECT id, tenant_id, user_id, state, is_open, proof_email_code, proof_password,
    proof_recovery_code, known_device, 0, wrong_codes, email_key, email_code_hash,
    email_code_expires_at, browser_hash, cancel_token_hash, return_to, started_at, NULL,
    ready_at, expires_at, updated_at, version, closed_at
FROM recovery_cases;
DROP TABLE recovery_cases;
ALTER TABLE recovery_cases_new RENAME TO recovery_cases;
CREATE UNIQUE INDEX recovery_cases_one_open ON recovery_cases (user_id) WHERE is_open AND state <> 'started';
CREATE INDEX recovery_cases_user ON recovery_cases (user_id);
CREATE INDEX recovery_cases_tenant ON recovery_cases (tenant_id, started_at);
CREATE INDEX recovery_cases_browser ON recovery_cases (browser_hash);
CREATE UNIQUE INDEX recovery_cases_cancel ON recovery_cases (cancel_token_hash);
CREATE INDEX recovery_cases_lapse ON recovery_cases (is_open, expires_at);
CREATE INDEX recovery_cases_closed ON recovery_cases (closed_at);
