-- When the application last used a grant: its latest refresh (NULL: none
-- since it was granted). The account page's "Connected applications" says
-- when each application last used its access (decision 0031).
ALTER TABLE oauth_grants ADD COLUMN used_at BIGINT;

-- A used recovery code whose "make a new set" offer the person answered
-- with "Later" (or that was used before the offer existed): the offer is
-- not made again for it. A new set replaces every code, and so the marks.
ALTER TABLE recovery_codes ADD COLUMN offer_seen_at BIGINT;
UPDATE recovery_codes SET offer_seen_at = used_at WHERE used_at IS NOT NULL;
