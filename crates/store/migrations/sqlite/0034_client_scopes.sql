-- The scopes each application may be given (decision 0032, ASVS 10.4.11),
-- as a JSON list like grant_types. Applications registered before get what
-- every application could have until now, so an upgrade stops none of them:
-- openid profile email offline_access, and first-party ones latchkey:admin
-- as well. An administrator narrows each list to what it needs.
ALTER TABLE oauth_clients ADD COLUMN scopes TEXT NOT NULL DEFAULT '["openid","profile","email","offline_access"]';
UPDATE oauth_clients SET scopes = '["openid","profile","email","offline_access","latchkey:admin"]' WHERE first_party = 1;
