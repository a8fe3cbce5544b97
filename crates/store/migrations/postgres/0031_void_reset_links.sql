-- "Forgot password" for an address no account has writes a void link row,
-- the same statements as a real request, so that the answer's timing does
-- not tell the two apart (docs/security/timing.md): its user is NULL, its
-- token was never shown to anyone, and no lookup returns it.
ALTER TABLE password_resets ALTER COLUMN user_id DROP NOT NULL;
