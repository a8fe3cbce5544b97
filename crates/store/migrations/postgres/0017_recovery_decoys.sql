-- Decoys are stored cases with no account behind them (user_id NULL): they
-- run the same code path as real cases (the same writes, the same atomic
-- counting of wrong proofs, the same expiry). A case also keeps when its
-- proofs sufficed (a case proven again in another browser keeps the
-- original's completion time where the original waited) and whether it
-- started during a surge of starts in its tenant (a longer wait), and
-- whether its emailed code was withheld (too many starts for that name).
ALTER TABLE recovery_cases ALTER COLUMN user_id DROP NOT NULL;
-- A deleted account's cases become decoys (SET NULL), not gone.
ALTER TABLE recovery_cases DROP CONSTRAINT recovery_cases_user_id_fkey;
ALTER TABLE recovery_cases ADD CONSTRAINT recovery_cases_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE recovery_cases ADD COLUMN surge BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE recovery_cases ADD COLUMN proven_at BIGINT;
ALTER TABLE recovery_cases ADD COLUMN code_withheld BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX recovery_cases_lapse ON recovery_cases (is_open, expires_at);
CREATE INDEX recovery_cases_closed ON recovery_cases (closed_at);
