-- PKCE for every client (decision 0020): a confidential application must
-- send code_challenge too, unless marked legacy. Applications registered
-- before are marked legacy when confidential, so an upgrade breaks none of
-- them; an administrator turns it off once the application sends PKCE.
ALTER TABLE oauth_clients ADD COLUMN pkce_optional INTEGER NOT NULL DEFAULT 0;
UPDATE oauth_clients SET pkce_optional = 1 WHERE secret_hash IS NOT NULL OR jwks IS NOT NULL;
