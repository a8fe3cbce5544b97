-- The organisation's time zone (IANA name, or UTC): mails show times on
-- its clock, and pages do when the browser reports no zone (decision 0028).
ALTER TABLE tenants ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
