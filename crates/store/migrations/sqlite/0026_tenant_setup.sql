-- The set-up wizard (decision 0019): how far a tenant's set-up got and
-- whether its administrators put it off; password sign-in as a setting of
-- its own, so a tenant can sign in with passkeys only. Tenants that exist
-- already are set up (v2) or wait behind the upgrade banner (v1).
ALTER TABLE tenants ADD COLUMN password_signin INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN setup_step TEXT NOT NULL DEFAULT 'done'
    CHECK (setup_step IN ('organisation', 'signin', 'second_factors', 'recovery', 'application', 'summary', 'done'));
ALTER TABLE tenants ADD COLUMN setup_postponed INTEGER NOT NULL DEFAULT 0;
UPDATE tenants SET setup_step = 'organisation', setup_postponed = 1 WHERE onboarding = 'v1';
