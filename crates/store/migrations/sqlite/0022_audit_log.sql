-- The audit log of the tenant console, API and CLI (issue 13): filtered by
-- person, event or period and paged by (at, id), newest first. Each index
-- leads with the tenant and ends with (at, id), so a page is one range
-- scan in the log's order whichever filter is set:
--   * the whole log, a period, a page after a cursor: (tenant_id, at, id),
--     which replaces (tenant_id, at);
--   * one kind of event (also the statistics' counts): (tenant_id, event, …);
--   * one person, about them or done by them: (tenant_id, user_id, …) and
--     (tenant_id, actor, …), which the engine unions for the OR.
DROP INDEX audit_events_tenant_at;
CREATE INDEX audit_events_tenant_at_id ON audit_events (tenant_id, at, id);
CREATE INDEX audit_events_tenant_event ON audit_events (tenant_id, event, at, id);
CREATE INDEX audit_events_tenant_user ON audit_events (tenant_id, user_id, at, id);
CREATE INDEX audit_events_tenant_actor ON audit_events (tenant_id, actor, at, id);
