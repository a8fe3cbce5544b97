-- Tenant admins, whether they may recover themselves, and their requests
-- to have self-recovery activated.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin'));
ALTER TABLE tenants ADD COLUMN recovery_excludes_admins BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE recovery_requests (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    requested_by    TEXT NOT NULL,
    note            TEXT,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    decided_by      TEXT,
    decision_reason TEXT,
    created_at      BIGINT NOT NULL,
    decided_at      BIGINT
);
-- One pending request per tenant.
CREATE UNIQUE INDEX recovery_requests_one_pending ON recovery_requests (tenant_id) WHERE status = 'pending';
