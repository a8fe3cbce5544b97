-- Signing everyone in an organisation out at once (decision 0030) ends the
-- tenant's sessions in one statement; this index finds them without reading
-- every other tenant's.
CREATE INDEX sessions_tenant ON sessions (tenant_id);
