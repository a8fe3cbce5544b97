-- A version per tenant row: a settings change written from an older read
-- (another change came first) is refused instead of undoing that change.
ALTER TABLE tenants ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
