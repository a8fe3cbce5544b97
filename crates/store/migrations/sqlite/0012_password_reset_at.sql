-- When the password was last set from a forgot-password link: for a while it
-- does not count as a proof beside an email code (both come from the mailbox).
ALTER TABLE users ADD COLUMN password_reset_at BIGINT;
