-- The administrators' list of people (decision 0016): search
-- by the start of the username, the email address or the display name, each
-- compared by its folded key (core's `fold_key`), and paging by username.
-- The store compares and sorts these keys byte by byte (COLLATE "C", as
-- SQLite does), whatever the database's collation: the indexes below are
-- the ones such a comparison can use.
--
-- display_name_key: the folded display name; core computes it for new
-- users (`User::display_name_key`); older rows get lower().
ALTER TABLE users ADD COLUMN display_name_key TEXT NOT NULL DEFAULT '';
UPDATE users SET display_name_key = lower(trim(display_name));
-- last_sign_in_at: when a session of the user last became complete (the
-- store sets it with the session); older rows take their newest session's.
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;
UPDATE users SET last_sign_in_at = (
    SELECT MAX(auth_time) FROM sessions
    WHERE sessions.user_id = users.id AND sessions.stage = 'complete'
);
CREATE INDEX users_username_key_c ON users (tenant_id, username_key COLLATE "C");
CREATE INDEX users_email_key_c ON users (tenant_id, email_key COLLATE "C");
CREATE INDEX users_display_name_key_c ON users (tenant_id, display_name_key COLLATE "C");
-- A person's page counts their passkeys and reads their recent events.
CREATE INDEX passkeys_user ON passkeys (user_id);
CREATE INDEX audit_events_user_at ON audit_events (user_id, at);
